import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks } from 'cdk-nag';
import { buildGtucApp, GtucStacks } from '../../example/app';

function synthApp(context: Record<string, string> = {}) {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'gtuc-app-'));
  const app = new App({ outdir, context });
  const stacks = buildGtucApp(app);
  const assembly = app.synth();
  const templates: Record<string, Template> = {};
  for (const stack of assembly.stacks) {
    templates[stack.stackName] = Template.fromJSON(stack.template);
  }
  return { app, stacks, assembly, templates, outdir };
}

type Resources = Array<{ stack: string; id: string; type: string; props: any }>;
function allResources(templates: Record<string, Template>): Resources {
  return Object.entries(templates).flatMap(([stack, t]) =>
    Object.entries(t.toJSON().Resources as Record<string, any>).map(([id, r]) => ({
      stack,
      id,
      type: r.Type,
      props: r.Properties ?? {},
    })),
  );
}

describe('the GTUC example app', () => {
  let app: App;
  let stacks: GtucStacks;
  let templates: Record<string, Template>;
  let resources: Resources;
  let outdir: string;

  beforeAll(() => {
    ({ app, stacks, templates, outdir } = synthApp());
    resources = allResources(templates);
  });
  afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

  test('has the network, database, migrations and both service stacks, pinned to us-east-2', () => {
    expect(Object.keys(templates).sort()).toEqual([
      'items-database',
      'items-migrations',
      'items-network',
      'items-service-awsvpc',
      'items-service-bridge',
    ]);
    for (const stack of [stacks.network, stacks.database, stacks.migrations, ...stacks.services]) {
      expect(stack.region).toBe('us-east-2');
    }
  });

  test('cdk-nag AwsSolutions reports nothing unacknowledged', () => {
    const report = new AwsSolutionsChecks(app).validateScope(app);
    expect(report.violations.map((v) => `${v.ruleName} ${v.violatingResources.map((r) => r.constructPath)}`)).toEqual(
      [],
    );
  });

  test('cdk-nag still finds what is not acknowledged (the check is live)', () => {
    const control = new App();
    const { network } = buildGtucApp(control);
    new s3.Bucket(network, 'UnencryptedBucketWithoutLogs');
    const report = new AwsSolutionsChecks(control).validateScope(control);
    expect(report.violations.map((v) => v.ruleName)).toEqual(expect.arrayContaining(['AwsSolutions-S1']));
  });

  test('no security group admits 0.0.0.0/0 or ::/0', () => {
    const ingress = [
      ...resources
        .filter((r) => r.type === 'AWS::EC2::SecurityGroup')
        .flatMap((r) => (r.props.SecurityGroupIngress ?? []).map((rule: any) => ({ ...rule, where: r.id }))),
      ...resources.filter((r) => r.type === 'AWS::EC2::SecurityGroupIngress').map((r) => ({ ...r.props, where: r.id })),
    ];
    expect(ingress.length).toBeGreaterThan(10);
    expect(ingress.filter((rule) => rule.CidrIp === '0.0.0.0/0' || rule.CidrIpv6 === '::/0')).toEqual([]);
  });

  test('the database is encrypted, private, IAM-auth enabled, protected, and admits 5432 from the ECS compute and task tiers only', () => {
    const db = templates['items-database'];
    db.hasResourceProperties('AWS::RDS::DBCluster', {
      DBClusterIdentifier: 'items-rds-db',
      DatabaseName: 'items',
      Engine: 'aurora-postgresql',
      StorageEncrypted: true,
      DeletionProtection: true,
      EnableIAMDatabaseAuthentication: true,
      EnableCloudwatchLogsExports: ['postgresql'],
      BackupRetentionPeriod: 7,
      DBSubnetGroupName: { Ref: Match.anyValue() },
    });
    const instances = resources.filter((r) => r.type === 'AWS::RDS::DBInstance');
    expect(
      instances.map((i) => [i.props.DBInstanceIdentifier, i.props.AvailabilityZone, i.props.PubliclyAccessible]),
    ).toEqual(
      expect.arrayContaining([
        ['items-rds-db-writer', 'us-east-2a', false],
        ['items-rds-db-reader', 'us-east-2b', false],
      ]),
    );
    db.hasResource('AWS::RDS::DBCluster', { DeletionPolicy: 'Snapshot', UpdateReplacePolicy: 'Snapshot' });
    db.hasResourceProperties('AWS::RDS::DBClusterParameterGroup', {
      DBClusterParameterGroupName: 'items-rds-pg',
      Family: 'aurora-postgresql16',
      Parameters: { 'rds.force_ssl': '1' },
    });
    db.hasResourceProperties('AWS::RDS::DBSubnetGroup', { DBSubnetGroupName: 'items-rds-subnet-group' });
    db.hasResourceProperties('AWS::EC2::SecurityGroup', {
      GroupName: 'items-rds-sg',
      // The ECS compute (ecs-ec2) and task (ecs-service) tiers only, not the whole ECS VPC.
      SecurityGroupIngress: [
        '10.0.0.0/24',
        '10.0.1.0/24',
        '10.0.2.0/24',
        '10.0.6.0/24',
        '10.0.7.0/24',
        '10.0.8.0/24',
      ].map((cidr) => ({
        CidrIp: cidr,
        IpProtocol: 'tcp',
        FromPort: 5432,
        ToPort: 5432,
        Description: `PostgreSQL from ${cidr}`,
      })),
    });
    db.hasResourceProperties('AWS::SecretsManager::RotationSchedule', {
      RotationRules: { ScheduleExpression: 'rate(30 days)' },
    });
  });

  test('the two services run in awsvpc (target type ip) and bridge (target type instance, host port 0)', () => {
    templates['items-service-awsvpc'].hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', {
      Name: 'items-awsvpc-tg',
      TargetType: 'ip',
      Port: 8080,
      HealthCheckPath: '/healthz',
    });
    templates['items-service-bridge'].hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', {
      Name: 'items-bridge-tg',
      TargetType: 'instance',
      HealthCheckPort: 'traffic-port',
    });
    templates['items-service-awsvpc'].hasResourceProperties('AWS::ECS::TaskDefinition', {
      NetworkMode: 'awsvpc',
      ContainerDefinitions: [
        Match.objectLike({ PortMappings: [{ ContainerPort: 8080, HostPort: 8080, Protocol: 'tcp' }] }),
      ],
    });
    templates['items-service-bridge'].hasResourceProperties('AWS::ECS::TaskDefinition', {
      NetworkMode: 'bridge',
      ContainerDefinitions: [
        Match.objectLike({ PortMappings: [{ ContainerPort: 8080, HostPort: 0, Protocol: 'tcp' }] }),
      ],
    });
  });

  test('the container gets the application secret by ARN (no ECS secrets) and does not migrate', () => {
    const task = Object.values(templates['items-service-awsvpc'].findResources('AWS::ECS::TaskDefinition'))[0];
    const container = task.Properties.ContainerDefinitions[0];
    expect(container.Secrets).toBeUndefined();
    expect(container.Environment).toEqual(
      expect.arrayContaining([
        {
          Name: 'DB_SECRET_ARN',
          Value: {
            'Fn::ImportValue': expect.stringMatching(/^items-database:ExportsOutputRefAppUserSecretAttachment/),
          },
        },
        { Name: 'DB_SSL', Value: 'true' },
        { Name: 'MIGRATE_ON_START', Value: 'false' },
      ]),
    );
  });

  test('each REST API stage has a web ACL association and the geo rules', () => {
    for (const name of ['items-service-awsvpc', 'items-service-bridge']) {
      const t = templates[name];
      const stages = Object.keys(t.findResources('AWS::ApiGateway::Stage'));
      expect(stages).toHaveLength(1);
      const association = Object.values(t.findResources('AWS::WAFv2::WebACLAssociation'))[0];
      expect(JSON.stringify(association.Properties.ResourceArn)).toContain('/stages/');
      const acl = Object.values(t.findResources('AWS::WAFv2::WebACL'))[0].Properties;
      const byName = Object.fromEntries(acl.Rules.map((r: any) => [r.Name, r]));
      expect(byName.BlockedCountries.Statement.GeoMatchStatement.CountryCodes).toEqual(['NG']);
      expect(byName.CaptchaCountries.Statement.AndStatement.Statements[0].GeoMatchStatement.CountryCodes).toEqual([
        'GH',
      ]);
      expect(byName.RateLimit.Statement.RateBasedStatement.Limit).toBe(1000);
      expect(acl.AssociationConfig).toEqual({ RequestBody: { API_GATEWAY: { DefaultSizeInspectionLimit: 'KB_64' } } });
      expect(byName.AllowedIpAddresses).toBeUndefined(); // the allow list is empty unless given in context
      expect(Object.keys(byName)).toEqual(
        expect.arrayContaining(['AWS-AWSManagedRulesAnonymousIpList', 'AWS-AWSManagedRulesSQLiRuleSet']),
      );
    }
  });

  test("the web ACL's computed capacity is pinned: 1182 WCUs", () => {
    expect(stacks.services.map((s) => s.service.webAcl!.capacity)).toEqual([1182, 1182]);
  });

  test('an allow list from context becomes an IP set and an ALLOW rule before the geo rules', () => {
    const { templates: withAllowList, outdir: dir } = synthApp({
      networkModes: 'awsvpc',
      wafAllowedIpv4Cidrs: '198.51.100.0/24, 203.0.113.7/32',
    });
    try {
      const t = withAllowList['items-service-awsvpc'];
      t.hasResourceProperties('AWS::WAFv2::IPSet', {
        IPAddressVersion: 'IPV4',
        Addresses: ['198.51.100.0/24', '203.0.113.7/32'],
      });
      const acl = Object.values(t.findResources('AWS::WAFv2::WebACL'))[0].Properties;
      const names = acl.Rules.map((r: any) => `${r.Priority} ${r.Name}`);
      expect(names.slice(0, 3)).toEqual(['20 AllowedIpAddresses', '30 BlockedCountries', '40 CaptchaCountries']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('writes need IAM authorization, reads are public', () => {
    const methods = Object.values(templates['items-service-awsvpc'].findResources('AWS::ApiGateway::Method')).map(
      (m) => [m.Properties.HttpMethod, m.Properties.AuthorizationType],
    );
    expect(
      methods.filter(([m]) => ['POST', 'PUT', 'PATCH', 'DELETE'].includes(m)).every(([, a]) => a === 'AWS_IAM'),
    ).toBe(true);
    expect(methods.filter(([m]) => m === 'GET').every(([, a]) => a === 'NONE')).toBe(true);
    expect(methods).toHaveLength(14);
  });

  test('every log group has a retention', () => {
    const groups = resources.filter((r) => r.type === 'AWS::Logs::LogGroup');
    expect(groups.length).toBeGreaterThan(5);
    expect(groups.filter((g) => !g.props.RetentionInDays).map((g) => `${g.stack}/${g.id}`)).toEqual([]);
  });

  test('no two resources share a physical name, and names fit AWS limits', () => {
    const nameProps: Record<string, string> = {
      'AWS::IAM::Role': 'RoleName',
      'AWS::EC2::SecurityGroup': 'GroupName',
      'AWS::ElasticLoadBalancingV2::LoadBalancer': 'Name',
      'AWS::ElasticLoadBalancingV2::TargetGroup': 'Name',
      'AWS::ECS::Cluster': 'ClusterName',
      'AWS::ECS::Service': 'ServiceName',
      'AWS::ApiGateway::RestApi': 'Name',
      'AWS::ApiGateway::VpcLink': 'Name',
      'AWS::WAFv2::WebACL': 'Name',
      'AWS::Logs::LogGroup': 'LogGroupName',
      'AWS::RDS::DBCluster': 'DBClusterIdentifier',
      'AWS::RDS::DBInstance': 'DBInstanceIdentifier',
      'AWS::SecretsManager::Secret': 'Name',
    };
    const seen = new Map<string, string>();
    const duplicates: string[] = [];
    for (const r of resources) {
      const prop = nameProps[r.type];
      const name = prop && r.props[prop];
      if (typeof name !== 'string') {
        continue;
      }
      const key = `${r.type}:${name}`;
      if (seen.has(key)) {
        duplicates.push(`${key} in ${seen.get(key)} and ${r.stack}/${r.id}`);
      }
      seen.set(key, `${r.stack}/${r.id}`);
      if (r.type.startsWith('AWS::ElasticLoadBalancingV2')) {
        expect(name.length).toBeLessThanOrEqual(32);
      }
      if (r.type === 'AWS::IAM::Role') {
        expect(name.length).toBeLessThanOrEqual(64);
      }
    }
    expect(duplicates).toEqual([]);
    // The brief's names are there.
    for (const key of [
      'AWS::IAM::Role:items-ecs-ec2-role',
      'AWS::IAM::Role:items-ecs-task-definition-role',
      'AWS::EC2::SecurityGroup:items-ecs-ec2-sg',
      'AWS::EC2::SecurityGroup:items-ecs-service-sg',
      'AWS::EC2::SecurityGroup:items-rds-sg',
      'AWS::RDS::DBCluster:items-rds-db',
    ]) {
      expect(seen.has(key)).toBe(true);
    }
  });

  test('the service image is built from example/items-service/Dockerfile as an asset', () => {
    const assets = JSON.parse(fs.readFileSync(path.join(outdir, 'items-service-awsvpc.assets.json'), 'utf8'));
    const images = Object.values(assets.dockerImages ?? {}) as any[];
    expect(images).toHaveLength(1);
    const staged = path.join(outdir, images[0].source.directory);
    expect(fs.existsSync(path.join(staged, 'Dockerfile'))).toBe(true);
    expect(fs.existsSync(path.join(staged, 'node_modules'))).toBe(false);
  });

  test('outputs: API URLs, NLB DNS names, database endpoint and secret ARN', () => {
    for (const name of ['items-service-awsvpc', 'items-service-bridge']) {
      expect(Object.keys(templates[name].toJSON().Outputs).sort()).toEqual(
        expect.arrayContaining(['ApiUrl', 'ClusterName', 'NlbDnsName', 'ServiceName']),
      );
    }
    expect(Object.keys(templates['items-database'].toJSON().Outputs)).toEqual(
      expect.arrayContaining(['DbEndpoint', 'DbSecretArn', 'DbAppSecretArn']),
    );
  });
});

describe('the example context', () => {
  test('one mode only, test-deployment settings and a wider database CIDR', () => {
    const { templates } = synthApp({
      networkModes: 'bridge',
      deletionProtection: 'false',
      databaseClientCidrs: '10.0.0.0/8',
      nag: 'false',
    });
    expect(Object.keys(templates).sort()).toEqual([
      'items-database',
      'items-migrations',
      'items-network',
      'items-service-bridge',
    ]);
    templates['items-database'].hasResourceProperties('AWS::RDS::DBCluster', { DeletionProtection: false });
    templates['items-database'].hasResource('AWS::RDS::DBCluster', { DeletionPolicy: 'Delete' });
    // The same CIDR reaches the security group and the network ACL.
    templates['items-database'].hasResourceProperties('AWS::EC2::SecurityGroup', {
      SecurityGroupIngress: [Match.objectLike({ CidrIp: '10.0.0.0/8', FromPort: 5432 })],
    });
    templates['items-network'].hasResourceProperties('AWS::EC2::NetworkAclEntry', {
      CidrBlock: '10.0.0.0/8',
      PortRange: { From: 5432, To: 5432 },
      Egress: false,
    });
  });

  test.each([
    [{ networkModes: 'host' }, "Context `networkModes` must list awsvpc and/or bridge, got: 'host'."],
    [{ deletionProtection: 'yes' }, "Context `deletionProtection` must be true or false, got: 'yes'."],
    [{ minInstances: '5', maxInstances: '3' }, 'Context `minInstances` (5) must not exceed `maxInstances` (3).'],
    [{ desiredCount: '0' }, "Context `desiredCount` must be an integer from 1 to 50, got: '0'."],
  ])('bad context %j fails with a clear message', (context, message) => {
    expect(() => buildGtucApp(new App({ context }))).toThrow(message);
  });
});
