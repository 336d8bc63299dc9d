import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Duration } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { AwsSolutionsChecks, HIPAASecurityChecks, NIST80053R5Checks, PCIDSS321Checks } from 'cdk-nag';
import { buildGtucApp } from '../../example/app';
import { DatabaseStack } from '../../example/stacks/database-stack';
import { NetworkStack } from '../../example/stacks/network-stack';

const TIERS = ['10.0.0.0/24', '10.0.1.0/24', '10.0.2.0/24', '10.0.6.0/24', '10.0.7.0/24', '10.0.8.0/24'];

describe('the GTUC example, secure by default', () => {
  // GIVEN the whole example app
  const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'gtuc-security-')) });
  buildGtucApp(app);
  const assembly = app.synth();
  const t = (name: string) => Template.fromJSON(assembly.getStackByName(name).template);
  const network = t('items-network');
  const database = t('items-database');
  const awsvpc = t('items-service-awsvpc');
  const bridge = t('items-service-bridge');
  const keyLogicalId = Object.keys(network.findResources('AWS::KMS::Key'))[0];
  /** The key's ARN as another stack sees it (an import of the network stack's export). */
  const importedKeyArn = {
    'Fn::ImportValue': Match.stringLikeRegexp(`^items-network:ExportsOutputFnGetAtt${keyLogicalId}Arn`),
  };

  test.each([
    ['AwsSolutions', AwsSolutionsChecks],
    ['NIST 800-53 R5', NIST80053R5Checks],
    ['PCI DSS 3.2.1', PCIDSS321Checks],
    ['HIPAA Security', HIPAASecurityChecks],
  ])('WHEN the %s pack runs THEN nothing is unacknowledged', (_name, Pack) => {
    const report = new Pack(app).validateScope(app);
    expect(
      report.violations.flatMap((v) => v.violatingResources.map((r) => `${v.ruleName} @ ${r.constructPath}`)),
    ).toEqual([]);
  });

  test('THEN one rotating key carries the policy CloudWatch Logs and CloudWatch alarms need', () => {
    network.resourceCountIs('AWS::KMS::Key', 1);
    network.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Sid: 'CloudWatchLogs',
            Effect: 'Allow',
            Principal: { Service: 'logs.us-east-2.amazonaws.com' },
            Action: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
            Condition: {
              ArnLike: {
                'kms:EncryptionContext:aws:logs:arn': {
                  'Fn::Join': [
                    '',
                    ['arn:', { Ref: 'AWS::Partition' }, ':logs:us-east-2:', { Ref: 'AWS::AccountId' }, ':log-group:*'],
                  ],
                },
              },
            },
          }),
          Match.objectLike({
            Sid: 'CloudWatchAlarmsToSns',
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
          }),
        ]),
      },
    });
  });

  test('THEN every log group is encrypted with the key and kept at least a year', () => {
    for (const [template, kmsKeyId] of [
      [network, { 'Fn::GetAtt': [keyLogicalId, 'Arn'] }],
      [database, importedKeyArn],
      [awsvpc, importedKeyArn],
      [bridge, importedKeyArn],
    ] as Array<[Template, unknown]>) {
      const groups = Object.values(template.findResources('AWS::Logs::LogGroup'));
      expect(groups.length).toBeGreaterThan(0);
      for (const group of groups) {
        // throws unless the group's KmsKeyId is the data key
        Template.fromJSON({ Resources: { Group: group } }).hasResourceProperties('AWS::Logs::LogGroup', {
          KmsKeyId: kmsKeyId,
        });
        expect(group.Properties.RetentionInDays).toBe(365);
      }
    }
  });

  test('THEN the alarm topics and the database secret use the key', () => {
    for (const template of [awsvpc, bridge]) {
      template.resourceCountIs('AWS::SNS::Topic', 1);
      template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: importedKeyArn });
    }
    database.hasResourceProperties('AWS::SecretsManager::Secret', {
      Name: 'items-rds-db-credentials',
      KmsKeyId: importedKeyArn,
    });
  });

  test('THEN a daily backup plan keeps 35 days of the cluster in an encrypted vault', () => {
    database.hasResourceProperties('AWS::Backup::BackupVault', {
      BackupVaultName: 'items-rds-backup-vault',
      EncryptionKeyArn: importedKeyArn,
    });
    database.hasResourceProperties('AWS::Backup::BackupPlan', {
      BackupPlan: {
        BackupPlanName: 'items-rds-backup-plan',
        BackupPlanRule: [
          Match.objectLike({
            RuleName: 'daily',
            ScheduleExpression: 'cron(0 5 * * ? *)',
            StartWindowMinutes: 60,
            CompletionWindowMinutes: 480,
            Lifecycle: { DeleteAfterDays: 35 },
          }),
        ],
      },
    });
    const clusterId = Object.keys(database.findResources('AWS::RDS::DBCluster'))[0];
    database.hasResourceProperties('AWS::Backup::BackupSelection', {
      BackupSelection: Match.objectLike({
        SelectionName: 'items-rds-db',
        Resources: [
          {
            'Fn::Join': [
              '',
              [
                'arn:',
                { Ref: 'AWS::Partition' },
                ':rds:us-east-2:',
                { Ref: 'AWS::AccountId' },
                ':cluster:',
                { Ref: clusterId },
              ],
            ],
          },
        ],
      }),
    });
  });

  test('THEN PostgreSQL admits the ECS compute and task tiers only, in the security group and the network ACL', () => {
    database.hasResourceProperties('AWS::EC2::SecurityGroup', {
      GroupName: 'items-rds-sg',
      SecurityGroupIngress: TIERS.map((cidr) => Match.objectLike({ CidrIp: cidr, FromPort: 5432, ToPort: 5432 })),
    });
    const aclIngress = Object.values(network.findResources('AWS::EC2::NetworkAclEntry'))
      .map((r) => r.Properties)
      .filter((p) => !p.Egress && p.RuleAction === 'allow' && p.PortRange?.From === 5432)
      .map((p) => p.CidrBlock)
      .sort();
    expect(aclIngress).toEqual([...TIERS].sort());
  });

  test('THEN the NLBs are deletion-protected and the stages traced', () => {
    for (const template of [awsvpc, bridge]) {
      template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
        LoadBalancerAttributes: Match.arrayWith([{ Key: 'deletion_protection.enabled', Value: 'true' }]),
      });
      template.hasResourceProperties('AWS::ApiGateway::Stage', { TracingEnabled: true });
    }
  });

  test('THEN the items container runs as 1000:1000 on a read-only root with a noexec tmpfs, capabilities dropped', () => {
    for (const template of [awsvpc, bridge]) {
      template.hasResourceProperties('AWS::ECS::TaskDefinition', {
        ContainerDefinitions: [
          Match.objectLike({
            Name: 'items',
            User: '1000:1000',
            ReadonlyRootFilesystem: true,
            Privileged: false,
            LinuxParameters: {
              Capabilities: { Drop: ['ALL'] },
              Tmpfs: [{ ContainerPath: '/tmp', Size: 64, MountOptions: ['noexec', 'nosuid'] }],
            },
          }),
        ],
      });
    }
  });

  test('THEN the instances come from two types, IMDSv2 hop limit 1, tasks blocked from IMDS', () => {
    for (const template of [awsvpc, bridge]) {
      template.hasResourceProperties('AWS::AutoScaling::AutoScalingGroup', {
        MixedInstancesPolicy: Match.objectLike({
          LaunchTemplate: Match.objectLike({
            Overrides: [{ InstanceType: 't3.medium' }, { InstanceType: 't3a.medium' }],
          }),
          InstancesDistribution: Match.objectLike({ OnDemandPercentageAboveBaseCapacity: 100 }),
        }),
      });
      template.hasResourceProperties('AWS::EC2::LaunchTemplate', {
        LaunchTemplateData: Match.objectLike({
          MetadataOptions: { HttpEndpoint: 'enabled', HttpPutResponseHopLimit: 1, HttpTokens: 'required' },
          Monitoring: { Enabled: true },
          UserData: {
            'Fn::Base64': {
              'Fn::Join': [
                '',
                Match.arrayWith([Match.stringLikeRegexp('echo ECS_AWSVPC_BLOCK_IMDS=true >> /etc/ecs/ecs.config')]),
              ],
            },
          },
        }),
      });
    }
  });
});

describe('the example context for logs', () => {
  test('GIVEN logRetentionDays 731 WHEN synthesized THEN the log groups keep two years', () => {
    const app = new App({
      outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'gtuc-security-')),
      context: { logRetentionDays: '731', networkModes: 'awsvpc' },
    });
    buildGtucApp(app);
    const template = Template.fromJSON(app.synth().getStackByName('items-service-awsvpc').template);
    for (const group of Object.values(template.findResources('AWS::Logs::LogGroup'))) {
      expect(group.Properties.RetentionInDays).toBe(731);
    }
  });

  test('GIVEN a test deployment (deletionProtection=false) WHEN the four packs run THEN nothing is unacknowledged and the NLB is unprotected', () => {
    const app = new App({
      outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'gtuc-security-')),
      context: { deletionProtection: 'false', networkModes: 'awsvpc' },
    });
    buildGtucApp(app);
    const assembly = app.synth();
    const findings = [
      new AwsSolutionsChecks(app),
      new NIST80053R5Checks(app),
      new PCIDSS321Checks(app),
      new HIPAASecurityChecks(app),
    ]
      .flatMap((pack) => pack.validateScope(app).violations)
      .flatMap((v) => v.violatingResources.map((r) => `${v.ruleName} @ ${r.constructPath}`));
    expect(findings).toEqual([]);
    Template.fromJSON(assembly.getStackByName('items-service-awsvpc').template).hasResourceProperties(
      'AWS::ElasticLoadBalancingV2::LoadBalancer',
      { LoadBalancerAttributes: Match.arrayWith([{ Key: 'deletion_protection.enabled', Value: 'false' }]) },
    );
    Template.fromJSON(assembly.getStackByName('items-network').template).hasResource('AWS::KMS::Key', {
      DeletionPolicy: 'Delete',
      Properties: Match.objectLike({ PendingWindowInDays: 30 }),
    });
  });

  test('GIVEN logRetentionDays 100 WHEN built THEN it fails naming the context key', () => {
    const app = new App({ context: { logRetentionDays: '100' } });
    expect(() => buildGtucApp(app)).toThrow(
      "Context `logRetentionDays` must be a CloudWatch Logs retention (e.g. 365, 400, 545, 731), got: '100'.",
    );
  });
});

describe('the example database backup plan', () => {
  test('GIVEN a backup retention of 0 days WHEN the stack is built THEN it fails naming the prop and the value', () => {
    const app = new App();
    const env = { account: '123456789012', region: 'us-east-2' };
    const network = new NetworkStack(app, 'net', { env, databaseClientCidrs: ['10.0.0.0/24'], logRetention: 365 });
    expect(
      () =>
        new DatabaseStack(app, 'db', {
          env,
          rdsSpoke: network.network.spoke('rds'),
          instanceType: new ec2.InstanceType('t4g.medium'),
          deletionProtection: true,
          backupRetention: Duration.days(0),
        }),
    ).toThrow('`backupRetention` must be at least 1 day, got: 0 days.');
  });
});
