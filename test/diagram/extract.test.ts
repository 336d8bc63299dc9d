import * as path from 'path';
import { Templates } from '../../tools/diagram/cfn';
import { extractCompute } from '../../tools/diagram/extract/compute';
import { Context } from '../../tools/diagram/extract/context';
import { extractData, extractRotations } from '../../tools/diagram/extract/data';
import { extractEdge } from '../../tools/diagram/extract/edge';
import { extractNetwork } from '../../tools/diagram/extract/network';
import { extractSecurity } from '../../tools/diagram/extract/security';
import { readSnapshot } from '../../tools/diagram/generate';
import { buildModel } from '../../tools/diagram/model';

const name = (n: string) => [{ Key: 'Name', Value: n }];

/** One small stack per domain; `app` reaches `net` through an export, as CDK's cross-stack references do. */
const TEMPLATES: Templates = {
  net: {
    Resources: {
      Vpc: { Type: 'AWS::EC2::VPC', Properties: { CidrBlock: '10.9.0.0/16', Tags: name('vpc-a') } },
      SubA: {
        Type: 'AWS::EC2::Subnet',
        Properties: {
          VpcId: { Ref: 'Vpc' },
          CidrBlock: '10.9.1.0/24',
          AvailabilityZone: 'us-east-2a',
          Tags: name('sub-a'),
        },
      },
      SubB: {
        Type: 'AWS::EC2::Subnet',
        Properties: {
          VpcId: { Ref: 'Vpc' },
          CidrBlock: '10.9.10.0/24',
          AvailabilityZone: 'us-east-2b',
          Tags: name('sub-b'),
        },
      },
      Rtb: { Type: 'AWS::EC2::RouteTable', Properties: { VpcId: { Ref: 'Vpc' }, Tags: name('rtb') } },
      RtbA: {
        Type: 'AWS::EC2::SubnetRouteTableAssociation',
        Properties: { RouteTableId: { Ref: 'Rtb' }, SubnetId: { Ref: 'SubA' } },
      },
      Tgw: { Type: 'AWS::EC2::TransitGateway', Properties: { Tags: name('tgw') } },
      ToTgw: {
        Type: 'AWS::EC2::Route',
        Properties: {
          RouteTableId: { Ref: 'Rtb' },
          DestinationCidrBlock: '10.0.0.0/8',
          TransitGatewayId: { Ref: 'Tgw' },
        },
      },
      Attach: {
        Type: 'AWS::EC2::TransitGatewayAttachment',
        Properties: {
          TransitGatewayId: { Ref: 'Tgw' },
          VpcId: { Ref: 'Vpc' },
          SubnetIds: [{ Ref: 'SubA' }],
          Tags: name('attach'),
        },
      },
      Acl: { Type: 'AWS::EC2::NetworkAcl', Properties: { VpcId: { Ref: 'Vpc' }, Tags: name('nacl') } },
      AclIn: {
        Type: 'AWS::EC2::NetworkAclEntry',
        Properties: {
          NetworkAclId: { Ref: 'Acl' },
          RuleNumber: 100,
          Protocol: 6,
          RuleAction: 'allow',
          CidrBlock: '10.0.0.0/8',
          PortRange: { From: 5432, To: 5432 },
        },
      },
      AclB: {
        Type: 'AWS::EC2::SubnetNetworkAclAssociation',
        Properties: { NetworkAclId: { Ref: 'Acl' }, SubnetId: { Ref: 'SubB' } },
      },
      Logs: {
        Type: 'AWS::EC2::VPCEndpoint',
        Properties: {
          VpcId: { Ref: 'Vpc' },
          VpcEndpointType: 'Interface',
          ServiceName: 'com.amazonaws.us-east-2.logs',
          SubnetIds: [{ Ref: 'SubA' }, { Ref: 'SubB' }],
          SecurityGroupIds: [{ 'Fn::GetAtt': ['EndpointSg', 'GroupId'] }],
        },
      },
      EndpointSg: {
        Type: 'AWS::EC2::SecurityGroup',
        Properties: {
          GroupDescription: 'endpoints',
          GroupName: 'endpoint-sg',
          VpcId: { Ref: 'Vpc' },
          SecurityGroupIngress: [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, CidrIp: '10.9.0.0/16' }],
        },
      },
      Key: { Type: 'AWS::KMS::Key', Properties: {} },
    },
    Outputs: {
      SubA: { Value: { Ref: 'SubA' }, Export: { Name: 'net:SubA' } },
      Vpc: { Value: { Ref: 'Vpc' }, Export: { Name: 'net:Vpc' } },
    },
  },
  app: {
    Resources: {
      LbSg: {
        Type: 'AWS::EC2::SecurityGroup',
        Properties: { GroupDescription: 'lb', GroupName: 'lb-sg', VpcId: { 'Fn::ImportValue': 'net:Vpc' } },
      },
      Lb: {
        Type: 'AWS::ElasticLoadBalancingV2::LoadBalancer',
        Properties: {
          Type: 'network',
          Scheme: 'internal',
          Name: 'lb',
          Subnets: [{ 'Fn::ImportValue': 'net:SubA' }],
          SecurityGroups: [{ 'Fn::GetAtt': ['LbSg', 'GroupId'] }],
        },
      },
      Tg: {
        Type: 'AWS::ElasticLoadBalancingV2::TargetGroup',
        Properties: { Name: 'tg', Protocol: 'TCP', Port: 8080, TargetType: 'ip' },
      },
      Listener: {
        Type: 'AWS::ElasticLoadBalancingV2::Listener',
        Properties: {
          LoadBalancerArn: { Ref: 'Lb' },
          Protocol: 'TCP',
          Port: 80,
          DefaultActions: [{ Type: 'forward', TargetGroupArn: { Ref: 'Tg' } }],
        },
      },
      Task: {
        Type: 'AWS::ECS::TaskDefinition',
        Properties: {
          NetworkMode: 'awsvpc',
          ContainerDefinitions: [{ Name: 'web', Cpu: 256, Memory: 512, PortMappings: [{ ContainerPort: 8080 }] }],
        },
      },
      Service: {
        Type: 'AWS::ECS::Service',
        Properties: {
          ServiceName: 'web',
          DesiredCount: 2,
          TaskDefinition: { Ref: 'Task' },
          LoadBalancers: [{ TargetGroupArn: { Ref: 'Tg' }, ContainerName: 'web', ContainerPort: 8080 }],
          NetworkConfiguration: { AwsvpcConfiguration: { Subnets: [{ 'Fn::ImportValue': 'net:SubA' }] } },
        },
      },
      Api: {
        Type: 'AWS::ApiGateway::RestApi',
        Properties: { Name: 'api', EndpointConfiguration: { Types: ['REGIONAL'] } },
      },
      Stage: {
        Type: 'AWS::ApiGateway::Stage',
        Properties: {
          RestApiId: { Ref: 'Api' },
          StageName: 'prod',
          MethodSettings: [{ ResourcePath: '/*', HttpMethod: '*', ThrottlingRateLimit: 10, ThrottlingBurstLimit: 20 }],
        },
      },
      Get: {
        Type: 'AWS::ApiGateway::Method',
        Properties: {
          RestApiId: { Ref: 'Api' },
          ResourceId: { 'Fn::GetAtt': ['Api', 'RootResourceId'] },
          HttpMethod: 'GET',
          AuthorizationType: 'NONE',
        },
      },
      Plan: {
        Type: 'AWS::ApiGateway::UsagePlan',
        Properties: {
          UsagePlanName: 'plan',
          ApiStages: [{ ApiId: { Ref: 'Api' }, Stage: { Ref: 'Stage' } }],
          Throttle: { RateLimit: 5, BurstLimit: 10 },
        },
      },
      Acl: {
        Type: 'AWS::WAFv2::WebACL',
        Properties: {
          Name: 'acl',
          DefaultAction: { Allow: {} },
          CaptchaConfig: { ImmunityTimeProperty: { ImmunityTime: 600 } },
          CustomResponseBodies: { no: { ContentType: 'APPLICATION_JSON', Content: '{"error":"no"}' } },
          Rules: [
            {
              Name: 'captcha',
              Priority: 1,
              Action: { Captcha: {} },
              Statement: { GeoMatchStatement: { CountryCodes: ['GH'] } },
            },
            {
              Name: 'block',
              Priority: 0,
              Action: { Block: { CustomResponse: { ResponseCode: 403, CustomResponseBodyKey: 'no' } } },
              Statement: { GeoMatchStatement: { CountryCodes: ['NG'] } },
            },
          ],
        },
      },
      AclAssoc: {
        Type: 'AWS::WAFv2::WebACLAssociation',
        Properties: {
          WebACLArn: { 'Fn::GetAtt': ['Acl', 'Arn'] },
          ResourceArn: {
            'Fn::Join': [
              '',
              ['arn:aws:apigateway:us-east-2::/restapis/', { Ref: 'Api' }, '/stages/', { Ref: 'Stage' }],
            ],
          },
        },
      },
      Cluster: {
        Type: 'AWS::RDS::DBCluster',
        Properties: {
          DBClusterIdentifier: 'db',
          Engine: 'aurora-postgresql',
          EngineVersion: '16.6',
          Port: 5432,
          EnableCloudwatchLogsExports: ['postgresql'],
        },
      },
      Writer: {
        Type: 'AWS::RDS::DBInstance',
        Properties: {
          DBClusterIdentifier: { Ref: 'Cluster' },
          DBInstanceIdentifier: 'db-writer',
          DBInstanceClass: 'db.t4g.medium',
          PromotionTier: 0,
        },
      },
      DbLogs: {
        Type: 'AWS::Logs::LogGroup',
        Properties: { LogGroupName: '/aws/rds/cluster/db/postgresql', RetentionInDays: 90 },
      },
      Secret: { Type: 'AWS::SecretsManager::Secret', Properties: { Name: 'db-credentials' } },
      Attachment: {
        Type: 'AWS::SecretsManager::SecretTargetAttachment',
        Properties: { SecretId: { Ref: 'Secret' }, TargetId: { Ref: 'Cluster' }, TargetType: 'AWS::RDS::DBCluster' },
      },
      Brand: { Type: 'AWS::Brand::New', Properties: { Anything: { 'Fn::GetAtt': ['Api', 'Unknown'] } } },
    },
  },
};

/**
 * A database with a master and an application-user secret (both attached to the cluster, each rotated), a
 * service and a deploy-time one-off task reading the application secret by ARN, and a provider's state machine.
 */
const DB_TEMPLATES: Templates = {
  db: {
    Resources: {
      Vpc: { Type: 'AWS::EC2::VPC', Properties: { CidrBlock: '10.8.0.0/16', Tags: name('vpc-db') } },
      Sub: {
        Type: 'AWS::EC2::Subnet',
        Properties: {
          VpcId: { Ref: 'Vpc' },
          CidrBlock: '10.8.1.0/24',
          AvailabilityZone: 'us-east-2a',
          Tags: name('sub-db'),
        },
      },
      TaskSg: {
        Type: 'AWS::EC2::SecurityGroup',
        Properties: { GroupDescription: 'migrations', GroupName: 'migrate-sg', VpcId: { Ref: 'Vpc' } },
      },
      AppAttachment: {
        Type: 'AWS::SecretsManager::SecretTargetAttachment',
        Properties: { SecretId: { Ref: 'AppSecret' }, TargetId: { Ref: 'Cluster' }, TargetType: 'AWS::RDS::DBCluster' },
      },
      AppSecret: { Type: 'AWS::SecretsManager::Secret', Properties: { Name: 'db-app-user' } },
      Cluster: {
        Type: 'AWS::RDS::DBCluster',
        Properties: {
          DBClusterIdentifier: 'db',
          Engine: 'aurora-postgresql',
          MasterUserPassword: {
            'Fn::Join': ['', ['{{resolve:secretsmanager:', { Ref: 'MasterSecret' }, ':SecretString:password::}}']],
          },
        },
      },
      MasterAttachment: {
        Type: 'AWS::SecretsManager::SecretTargetAttachment',
        Properties: {
          SecretId: { Ref: 'MasterSecret' },
          TargetId: { Ref: 'Cluster' },
          TargetType: 'AWS::RDS::DBCluster',
        },
      },
      MasterSecret: { Type: 'AWS::SecretsManager::Secret', Properties: { Name: 'db-master' } },
      MasterRotationFn: {
        Type: 'AWS::Lambda::Function',
        Properties: {
          FunctionName: 'master-rotation',
          VpcConfig: { SubnetIds: [{ Ref: 'Sub' }], SecurityGroupIds: [] },
        },
      },
      MasterRotation: {
        Type: 'AWS::SecretsManager::RotationSchedule',
        Properties: {
          SecretId: { Ref: 'MasterSecret' },
          RotationLambdaARN: { 'Fn::GetAtt': ['MasterRotationFn', 'Arn'] },
          RotationRules: { ScheduleExpression: 'rate(30 days)' },
        },
      },
      AppRotationApp: {
        Type: 'AWS::Serverless::Application',
        Properties: { Parameters: { functionName: 'app-rotation', vpcSubnetIds: { Ref: 'Sub' } } },
      },
      AppRotation: {
        Type: 'AWS::SecretsManager::RotationSchedule',
        Properties: {
          SecretId: { Ref: 'AppAttachment' },
          RotationLambdaARN: { 'Fn::GetAtt': ['AppRotationApp', 'Outputs.RotationLambdaARN'] },
          RotationRules: { ScheduleExpression: 'rate(30 days)' },
        },
      },
      ServiceTask: {
        Type: 'AWS::ECS::TaskDefinition',
        Properties: {
          Family: 'api',
          NetworkMode: 'awsvpc',
          ContainerDefinitions: [
            {
              Name: 'api',
              Environment: [
                { Name: 'DB_SECRET_ARN', Value: { Ref: 'AppSecret' } },
                { Name: 'PORT', Value: '8080' },
              ],
              LogConfiguration: { LogDriver: 'awslogs', Options: { 'awslogs-group': { Ref: 'ApiLogs' } } },
            },
          ],
        },
      },
      Service: {
        Type: 'AWS::ECS::Service',
        Properties: {
          ServiceName: 'api',
          TaskDefinition: { Ref: 'ServiceTask' },
          NetworkConfiguration: { AwsvpcConfiguration: { Subnets: [{ Ref: 'Sub' }] } },
        },
      },
      ApiLogs: { Type: 'AWS::Logs::LogGroup', Properties: { LogGroupName: '/api', RetentionInDays: 30 } },
      MigrateTask: {
        Type: 'AWS::ECS::TaskDefinition',
        Properties: {
          Family: 'migrate',
          NetworkMode: 'awsvpc',
          ContainerDefinitions: [
            {
              Name: 'migrate',
              Environment: [{ Name: 'DB_SECRET_ARN', Value: { Ref: 'MasterSecret' } }],
              LogConfiguration: { LogDriver: 'awslogs', Options: { 'awslogs-group': { Ref: 'MigrateLogs' } } },
            },
          ],
        },
      },
      MigrateLogs: { Type: 'AWS::Logs::LogGroup', Properties: { LogGroupName: '/migrate', RetentionInDays: 30 } },
      Migrate: {
        Type: 'Custom::EcsOneOffTask',
        Properties: {
          TaskDefinitionArn: { Ref: 'MigrateTask' },
          Subnets: [{ Ref: 'Sub' }],
          SecurityGroups: [{ 'Fn::GetAtt': ['TaskSg', 'GroupId'] }],
        },
      },
      OnEventFn: {
        Type: 'AWS::Lambda::Function',
        Properties: { Description: 'starts the task', LoggingConfig: { LogGroup: { Ref: 'OnEventLogs' } } },
      },
      OnEventLogs: { Type: 'AWS::Logs::LogGroup', Properties: { LogGroupName: '/on-event', RetentionInDays: 30 } },
      WaiterStateMachineABCDEF12: {
        Type: 'AWS::StepFunctions::StateMachine',
        Properties: {
          LoggingConfiguration: {
            Destinations: [{ CloudWatchLogsLogGroup: { LogGroupArn: { 'Fn::GetAtt': ['WaiterLogs', 'Arn'] } } }],
            Level: 'ERROR',
          },
        },
      },
      WaiterLogs: { Type: 'AWS::Logs::LogGroup', Properties: { LogGroupName: '/waiter', RetentionInDays: 30 } },
    },
  },
};

describe('network extractor', () => {
  test('reads VPCs, subnets, routes, NACL entries, the TGW and endpoints, and places them', () => {
    // GIVEN
    const ctx = new Context(TEMPLATES);

    // WHEN
    const net = extractNetwork(ctx);

    // THEN
    expect(ctx.region).toBe('us-east-2');
    expect(net.vpcs.map((v) => [v.name, v.cidr])).toEqual([['vpc-a', '10.9.0.0/16']]);
    expect(net.subnets.map((s) => [s.name, s.az, s.routeTable, s.nacl])).toEqual([
      ['sub-a', 'us-east-2a', 'net/Rtb', undefined],
      ['sub-b', 'us-east-2b', undefined, 'net/Acl'],
    ]);
    expect(net.routeTables[0].routes).toEqual([
      { dest: '10.0.0.0/8', target: 'TGW tgw', targetKey: 'net/Tgw' },
      { dest: '10.9.0.0/16', target: 'local' },
    ]);
    expect(net.nacls[0].entries).toEqual([
      { ruleNumber: 100, egress: false, action: 'ALLOW', protocol: 'tcp', ports: '5432', cidr: '10.0.0.0/8' },
    ]);
    expect(net.tgws[0].attachments).toEqual([
      { key: 'net/Attach', name: 'attach', vpc: 'net/Vpc', subnets: ['net/SubA'] },
    ]);
    expect(net.endpoints.map((e) => [e.service, e.type, e.subnets])).toEqual([
      ['logs', 'Interface', ['net/SubA', 'net/SubB']],
    ]);
    expect(ctx.placements.map((p) => [p.subnet, p.kind, p.label])).toEqual([
      ['net/SubA', 'tgw-eni', 'TGW attachment ENI (attach)'],
      ['net/SubA', 'endpoint', 'logs'],
      ['net/SubB', 'endpoint', 'logs'],
    ]);
  });
});

describe('security extractor', () => {
  test('reads every group and rule, the implicit EC2 egress rule and the VPC default group, and who uses each', () => {
    // GIVEN
    const ctx = new Context(TEMPLATES);
    const net = extractNetwork(ctx);

    // WHEN
    const sec = extractSecurity(ctx, net);
    extractCompute(ctx);

    // THEN
    expect(sec.securityGroups.map((g) => [g.name, g.isDefault])).toEqual([
      ['vpc-a default SG', true],
      ['lb-sg', false],
      ['endpoint-sg', false],
    ]);
    const rules = sec.sgRules.map((r) => [r.sg, r.direction, r.ports, r.origin]);
    expect(rules).toContainEqual(['net/EndpointSg', 'ingress', '443', 'inline']);
    expect(rules).toContainEqual(['net/EndpointSg', 'egress', 'all', 'implicit']);
    expect(rules).toContainEqual(['net/Vpc#DefaultSecurityGroup', 'ingress', 'all', 'implicit']);
    expect(sec.securityGroups.find((g) => g.key === 'net/EndpointSg')!.usedBy).toEqual(['endpoint logs']);
    expect(sec.securityGroups.find((g) => g.key === 'app/LbSg')!.usedBy).toEqual(['NLB lb']);
  });
});

describe('compute extractor', () => {
  test('reads the load balancer, its target group and the service behind it, placed in its subnets', () => {
    // GIVEN
    const ctx = new Context(TEMPLATES);

    // WHEN
    const compute = extractCompute(ctx);

    // THEN
    expect(compute.nlbs.map((l) => [l.name, l.scheme, l.subnets, l.listeners, l.targetGroups])).toEqual([
      ['lb', 'internal', ['net/SubA'], ['TCP :80'], ['tg: TCP :8080, targets ip']],
    ]);
    expect(compute.services.map((s) => [s.name, s.networkMode, s.desired, s.nlb, s.container])).toEqual([
      ['web', 'awsvpc', '2', 'app/Lb', 'web 256 CPU / 512 MiB, ports 8080→8080'],
    ]);
    expect(ctx.placements.map((p) => p.label)).toEqual(['NLB lb (internal)', 'tasks web (awsvpc)']);
  });

  test('reads a secret the container reads by ARN from its environment', () => {
    // GIVEN
    const ctx = new Context(DB_TEMPLATES);

    // WHEN
    const compute = extractCompute(ctx);

    // THEN
    expect(compute.services.map((s) => [s.name, s.secrets])).toEqual([['api', ['db/AppSecret']]]);
  });

  test('places a deploy-time one-off task like tasks, with the security groups it uses', () => {
    // GIVEN
    const ctx = new Context(DB_TEMPLATES);
    const net = extractNetwork(ctx);
    const sec = extractSecurity(ctx, net);

    // WHEN
    extractCompute(ctx);

    // THEN
    expect(ctx.placements.filter((p) => p.item === 'db/Migrate').map((p) => [p.subnet, p.kind, p.label])).toEqual([
      ['db/Sub', 'tasks', 'one-off task migrate (at deploy, db)'],
    ]);
    expect(sec.securityGroups.find((g) => g.key === 'db/TaskSg')!.usedBy).toEqual(['one-off task migrate']);
  });

  test('names the log groups of a service-less task definition, a function and a state machine', () => {
    // GIVEN
    const ctx = new Context(DB_TEMPLATES);

    // WHEN
    extractCompute(ctx);

    // THEN
    expect([...ctx.logPurpose.entries()].sort()).toEqual([
      ['db/ApiLogs', ['container logs of api']],
      ['db/MigrateLogs', ['container logs of task migrate']],
      ['db/OnEventLogs', ['function logs: starts the task']],
      ['db/WaiterLogs', ['state machine logs: WaiterStateMachine']],
    ]);
  });

  test('labels each rotation function with the secret it rotates', () => {
    // GIVEN
    const ctx = new Context(DB_TEMPLATES);

    // WHEN
    extractCompute(ctx, extractRotations(ctx));

    // THEN
    expect(ctx.placements.filter((p) => p.kind === 'lambda').map((p) => [p.item, p.label])).toEqual([
      ['db/MasterRotationFn', 'secret rotation Lambda (db-master)'],
      ['db/AppRotationApp', 'secret rotation Lambda (db-app-user)'],
    ]);
  });
});

describe('edge extractor', () => {
  test('reads the API (stage throttle, usage plan, methods) and the web ACL rules in priority order', () => {
    // GIVEN
    const ctx = new Context(TEMPLATES);

    // WHEN
    const edge = extractEdge(ctx);

    // THEN
    expect(
      edge.apis.map((a) => [a.name, a.endpointType, a.methods, a.stages[0].throttle, a.usagePlans[0].throttle]),
    ).toEqual([['api', 'REGIONAL', ['/ GET: no auth'], '10 rps, burst 20', '5 rps, burst 10']]);
    const acl = edge.webAcls[0];
    expect(acl.rules.map((r) => [r.priority, r.action, r.statement, r.response])).toEqual([
      [0, 'BLOCK 403', 'geo: NG', { contentType: 'application/json', body: '{"error":"no"}' }],
      [1, 'CAPTCHA', 'geo: GH', undefined],
    ]);
    expect(acl.captchaImmunity).toBe(600);
    expect(acl.associatedWith).toEqual(['app/Api', 'app/Stage']);
  });
});

describe('data extractor', () => {
  test('reads the cluster with its writer and secret, and names each log group by what writes to it', () => {
    // GIVEN
    const ctx = new Context(TEMPLATES);
    const net = extractNetwork(ctx);

    // WHEN
    const data = extractData(ctx, net);

    // THEN
    expect(
      data.databases.map((d) => [d.name, d.engine, d.port, d.secret, d.instances.map((i) => [i.name, i.role, i.cls])]),
    ).toEqual([['db', 'aurora-postgresql 16.6', '5432', 'app/Secret', [['db-writer', 'writer', 'db.t4g.medium']]]]);
    expect(data.logGroups.map((l) => [l.name, l.retention, l.purpose])).toEqual([
      ['/aws/rds/cluster/db/postgresql', '90 days', 'db log export'],
    ]);
    expect(data.secrets).toEqual([
      { key: 'app/Secret', name: 'db-credentials', rotation: 'no rotation', stack: 'app' },
    ]);
  });

  test('takes the master secret from the master password when other secrets are attached to the cluster', () => {
    // GIVEN
    const ctx = new Context(DB_TEMPLATES);
    const net = extractNetwork(ctx);

    // WHEN
    const data = extractData(ctx, net);

    // THEN
    expect(data.databases.map((d) => [d.name, d.secret])).toEqual([['db', 'db/MasterSecret']]);
    expect(data.secrets.map((s) => [s.name, s.rotation])).toEqual([
      ['db-app-user', 'rotation rate(30 days)'],
      ['db-master', 'rotation rate(30 days)'],
    ]);
  });

  test('lists each rotation function with the secret it rotates, through a target attachment too', () => {
    // GIVEN
    const ctx = new Context(DB_TEMPLATES);

    // WHEN
    const rotations = extractRotations(ctx);

    // THEN
    expect(rotations).toEqual([
      { fn: 'db/AppRotationApp', secret: 'db/AppSecret' },
      { fn: 'db/MasterRotationFn', secret: 'db/MasterSecret' },
    ]);
  });
});

describe('buildModel', () => {
  test('lists resource types no extractor reads instead of failing', () => {
    // WHEN
    const model = buildModel(TEMPLATES);

    // THEN
    expect(model.unmodelled).toEqual([
      { type: 'AWS::Brand::New', count: 1 },
      { type: 'AWS::KMS::Key', count: 1 },
    ]);
    expect(model.services).toHaveLength(1);
  });

  test('carries the rotations into the model', () => {
    // WHEN
    const model = buildModel(DB_TEMPLATES);

    // THEN
    expect(model.rotations.map((x) => [x.fn, x.secret])).toEqual([
      ['db/AppRotationApp', 'db/AppSecret'],
      ['db/MasterRotationFn', 'db/MasterSecret'],
    ]);
  });
});

describe('several services behind one front door (the shared-front-door integ snapshot)', () => {
  const snapshot = readSnapshot(path.join(__dirname, '..', '..', 'integ', 'integ.shared-front-door.ts.snapshot'));
  const stack = 'PrivateLinkEcsIntegSharedFrontDoor';

  test('reads the NLB and the ALB with the listener ports that lead to each target group, rules included', () => {
    // GIVEN
    const ctx = new Context(snapshot);

    // WHEN
    const compute = extractCompute(ctx);

    // THEN
    expect(compute.nlbs.map((l) => [l.name, l.type, l.listeners, l.tgPorts])).toEqual([
      ['AlbC1372A32', 'application', ['HTTP :80'], { [`${stack}/AlbBillingTargetGroupB1AD3731`]: ['80'] }],
      [
        'Nlb4C507563',
        'network',
        ['TCP :8081', 'TCP :8082'],
        {
          [`${stack}/NlbItemsTargetGroupE3C66F2C`]: ['8081'],
          [`${stack}/NlbOrdersTargetGroup8D3277BF`]: ['8082'],
        },
      ],
    ]);
    expect(compute.services.map((s) => [s.name, s.networkMode, s.nlb, s.capacity])).toEqual([
      ['BillingServiceCFC72C63', 'awsvpc', `${stack}/AlbC1372A32`, 'Fargate (ARM64)'],
      ['ItemsService6F27BA51', 'awsvpc', `${stack}/Nlb4C507563`, undefined],
      ['OrdersService8DB65732', 'bridge', `${stack}/Nlb4C507563`, undefined],
    ]);
    expect(ctx.placements.filter((p) => p.kind === 'nlb').map((p) => p.label)).toContain('ALB AlbC1372A32 (internal)');
  });

  test('reads the V1 link (PrivateLink to the NLB) and the V2 link (IntegrationTarget) with the routes through each', () => {
    // GIVEN
    const ctx = new Context(snapshot);

    // WHEN
    const edge = extractEdge(ctx);

    // THEN
    expect(edge.apis).toHaveLength(1);
    expect(edge.apis[0].vpcLinks.map((l) => [l.version, l.targets, l.routes])).toEqual([
      ['V2', [`${stack}/AlbC1372A32`], [{ path: '/billing', target: ':80/billing', port: '80' }]],
      [
        'V1',
        [`${stack}/Nlb4C507563`],
        [
          { path: '/items', target: ':8081', port: '8081' },
          { path: '/orders', target: ':8082', port: '8082' },
        ],
      ],
    ]);
  });
});
