import { Templates } from '../../tools/diagram/cfn';
import { extractCompute } from '../../tools/diagram/extract/compute';
import { Context } from '../../tools/diagram/extract/context';
import { extractData } from '../../tools/diagram/extract/data';
import { extractEdge } from '../../tools/diagram/extract/edge';
import { extractNetwork } from '../../tools/diagram/extract/network';
import { extractSecurity } from '../../tools/diagram/extract/security';
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
});
