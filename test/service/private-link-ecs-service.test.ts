import { Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as logs from 'aws-cdk-lib/aws-logs';
import {
  getAtt,
  IMAGE,
  ingressRules,
  joined,
  logicalId,
  methodsOf,
  newStack,
  ref,
  resourcesOf,
  synthService,
} from './fixtures';
import {
  ApiAuthorizationType,
  AuthorizationScope,
  GeoWebAcl,
  HubSpokeNetwork,
  PrivateLinkEcsService,
  ServiceNetworkMode,
  VpcLinkVersion,
} from '../../src';
import { evaluateWebAcl, webAclPropertiesOf } from '../waf/waf-policy';

const READS = ['GET', 'HEAD', 'OPTIONS'];
const WRITES = ['POST', 'PUT', 'PATCH', 'DELETE'];

/** The private subnets of the test VPC, as `Ref`s. */
function privateSubnetRefs(stack: Stack, vpc: ec2.IVpc) {
  return vpc.privateSubnets.map((s) => stack.resolve(s.subnetId));
}

/** THEN no method of the API is a MOCK integration, and every one reaches the service through a VPC link. */
function expectNoMockIntegration(template: Template) {
  const methods = methodsOf(template);
  expect(methods.length).toBeGreaterThan(0);
  for (const method of methods) {
    expect(method.Integration.Type).toBe('HTTP_PROXY');
    expect(method.Integration.ConnectionType).toBe('VPC_LINK');
  }
}

/** THEN no security group admits anything from the whole internet. */
function expectNoOpenIngress(template: Template) {
  const open = ingressRules(template).filter((r) => r.CidrIp === '0.0.0.0/0' || r.CidrIpv6 === '::/0');
  expect(open).toEqual([]);
}

describe('PrivateLinkEcsService', () => {
  describe('GIVEN the defaults (AWS_VPC mode) with container port 3000 and health path /healthz', () => {
    // WHEN
    const { stack, service, template } = synthService({ containerPort: 3000, healthCheck: { path: '/healthz' } });
    const nlb = service.loadBalancer;
    const nlbSg = service.loadBalancerSecurityGroup as ec2.SecurityGroup;
    const serviceSg = service.serviceSecurityGroup!;
    const vpc = service.cluster.vpc;

    test('THEN the task definition is awsvpc and maps the host port to the container port', () => {
      template.hasResourceProperties('AWS::ECS::TaskDefinition', {
        NetworkMode: 'awsvpc',
        RequiresCompatibilities: ['EC2'],
        ExecutionRoleArn: getAtt(service.executionRole, 'Arn'),
        ContainerDefinitions: [
          Match.objectLike({
            Name: 'app',
            Image: 'public.ecr.aws/nginx/nginx:stable-alpine',
            Cpu: 256,
            Memory: 512,
            Essential: true,
            PortMappings: [{ ContainerPort: 3000, HostPort: 3000, Protocol: 'tcp' }],
            StopTimeout: 30,
            LogConfiguration: {
              LogDriver: 'awslogs',
              Options: {
                'awslogs-group': ref(service.logGroup),
                'awslogs-stream-prefix': 'app',
                'awslogs-region': 'us-east-2',
              },
            },
          }),
        ],
      });
    });

    test('THEN the container log group keeps logs for a month', () => {
      expect(template.toJSON().Resources[logicalId(service.logGroup)]).toEqual({
        Type: 'AWS::Logs::LogGroup',
        Properties: { RetentionInDays: 30 },
        UpdateReplacePolicy: 'Retain',
        DeletionPolicy: 'Retain',
      });
    });

    test('THEN the target group is type ip with an HTTP health check on the traffic port', () => {
      template.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', {
        TargetType: 'ip',
        Port: 3000,
        Protocol: 'TCP',
        VpcId: stack.resolve(vpc.vpcId),
        HealthCheckEnabled: true,
        HealthCheckProtocol: 'HTTP',
        HealthCheckPath: '/healthz',
        HealthCheckPort: 'traffic-port',
        HealthCheckIntervalSeconds: 10,
        HealthyThresholdCount: 2,
        UnhealthyThresholdCount: 2,
        Matcher: { HttpCode: '200-399' },
        TargetGroupAttributes: [{ Key: 'deregistration_delay.timeout_seconds', Value: '30' }],
      });
    });

    test('THEN the service security group admits the container port from the NLB security group only', () => {
      template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
        GroupId: getAtt(serviceSg, 'GroupId'),
        SourceSecurityGroupId: getAtt(nlbSg, 'GroupId'),
        IpProtocol: 'tcp',
        FromPort: 3000,
        ToPort: 3000,
        Description: 'Load balancer to the container port (traffic and health checks)',
      });
      // Every ingress rule of the stack: that one and no other.
      expect(ingressRules(template)).toEqual([
        {
          GroupId: getAtt(serviceSg, 'GroupId'),
          SourceSecurityGroupId: getAtt(nlbSg, 'GroupId'),
          IpProtocol: 'tcp',
          FromPort: 3000,
          ToPort: 3000,
          Description: 'Load balancer to the container port (traffic and health checks)',
        },
      ]);
      expectNoOpenIngress(template);
    });

    test('THEN the NLB security group has no ingress and egress only to the service security group on the port', () => {
      // The egress rule is inline: a group created without inline egress would get EC2's implicit allow-all.
      expect(template.toJSON().Resources[logicalId(nlbSg)].Properties).toEqual({
        GroupDescription: 'Internal NLB behind the API Gateway VPC link: egress to the targets only',
        VpcId: stack.resolve(vpc.vpcId),
        SecurityGroupEgress: [
          {
            DestinationSecurityGroupId: getAtt(serviceSg, 'GroupId'),
            IpProtocol: 'tcp',
            FromPort: 3000,
            ToPort: 3000,
            Description: 'Load balancer to the container port (traffic and health checks)',
          },
        ],
      });
      expect(resourcesOf(template, 'AWS::EC2::SecurityGroupEgress')).toEqual([]);
    });

    test('THEN the NLB is internal, cross-zone, with its security group and PrivateLink enforcement off', () => {
      template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
        Type: 'network',
        Scheme: 'internal',
        Subnets: privateSubnetRefs(stack, vpc),
        SecurityGroups: [getAtt(nlbSg, 'GroupId')],
        EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic: 'off',
        LoadBalancerAttributes: Match.arrayWith([{ Key: 'load_balancing.cross_zone.enabled', Value: 'true' }]),
      });
    });

    test('THEN a TCP listener on port 80 forwards to the target group', () => {
      template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
        LoadBalancerArn: ref(nlb),
        Port: 80,
        Protocol: 'TCP',
        DefaultActions: [{ Type: 'forward', TargetGroupArn: ref(service.targetGroup) }],
      });
    });

    test('THEN the V1 VPC link targets the NLB', () => {
      template.hasResourceProperties('AWS::ApiGateway::VpcLink', {
        TargetArns: [ref(nlb)],
        Description: 'PrivateLink from API Gateway to the internal NLB',
      });
      template.resourceCountIs('AWS::ApiGatewayV2::VpcLink', 0);
    });

    test('THEN reads are public and writes need IAM, on / and on /{proxy+}', () => {
      const byResource = (resourceId: unknown) =>
        Object.fromEntries(
          methodsOf(template)
            .filter((m) => JSON.stringify(m.ResourceId) === JSON.stringify(resourceId))
            .map((m) => [m.HttpMethod, m.AuthorizationType]),
        );
      const expected = {
        ...Object.fromEntries(READS.map((m) => [m, 'NONE'])),
        ...Object.fromEntries(WRITES.map((m) => [m, 'AWS_IAM'])),
      };
      template.hasResourceProperties('AWS::ApiGateway::Resource', {
        ParentId: getAtt(service.api, 'RootResourceId'),
        PathPart: '{proxy+}',
      });
      const proxy = service.api.root.getResource('{proxy+}')!;
      expect(byResource(getAtt(service.api, 'RootResourceId'))).toEqual(expected);
      expect(byResource(ref(proxy))).toEqual(expected);
      expect(methodsOf(template)).toHaveLength(14);
    });

    test.each([...READS, ...WRITES])(
      'THEN %s on /{proxy+} is an HTTP_PROXY through the VPC link to /{proxy}',
      (verb) => {
        const proxy = service.api.root.getResource('{proxy+}')!;
        template.hasResourceProperties('AWS::ApiGateway::Method', {
          HttpMethod: verb,
          ResourceId: ref(proxy),
          RequestParameters: { 'method.request.path.proxy': true },
          ApiKeyRequired: false,
          Integration: {
            Type: 'HTTP_PROXY',
            IntegrationHttpMethod: verb,
            ConnectionType: 'VPC_LINK',
            ConnectionId: ref(service.vpcLink!),
            Uri: { 'Fn::Join': ['', ['http://', getAtt(nlb, 'DNSName'), ':80/{proxy}']] },
            RequestParameters: { 'integration.request.path.proxy': 'method.request.path.proxy' },
            TimeoutInMillis: 29000,
          },
        });
      },
    );

    test.each([...READS, ...WRITES])('THEN %s on / is an HTTP_PROXY through the VPC link to /', (verb) => {
      const root = methodsOf(template).find(
        (m) =>
          m.HttpMethod === verb &&
          JSON.stringify(m.ResourceId) === JSON.stringify(getAtt(service.api, 'RootResourceId')),
      );
      // Header mappings may be added; the root has no path to map.
      const { RequestParameters: params, ...integration } = root.Integration;
      expect(params?.['integration.request.path.proxy']).toBeUndefined();
      expect(integration).toEqual({
        Type: 'HTTP_PROXY',
        IntegrationHttpMethod: verb,
        ConnectionType: 'VPC_LINK',
        ConnectionId: ref(service.vpcLink!),
        Uri: { 'Fn::Join': ['', ['http://', getAtt(nlb, 'DNSName'), ':80/']] },
        TimeoutInMillis: 29000,
      });
      expect(joined(root.Integration.Uri)).toBe(`http://<<${logicalId(nlb)}.DNSName>>:80/`);
      expect(root.RequestParameters).toBeUndefined();
    });

    test('THEN no method is a MOCK integration', () => {
      expectNoMockIntegration(template);
    });

    test('THEN the stage throttles, logs at INFO without data trace, emits metrics and writes access logs', () => {
      template.hasResourceProperties('AWS::ApiGateway::Stage', {
        StageName: 'prod',
        RestApiId: ref(service.api),
        TracingEnabled: false,
        MethodSettings: [
          {
            HttpMethod: '*',
            ResourcePath: '/*',
            ThrottlingRateLimit: 100,
            ThrottlingBurstLimit: 200,
            LoggingLevel: 'INFO',
            MetricsEnabled: true,
            DataTraceEnabled: false,
          },
        ],
        AccessLogSetting: { DestinationArn: getAtt(service.accessLogGroup, 'Arn'), Format: Match.anyValue() },
      });
      const stage = resourcesOf(template, 'AWS::ApiGateway::Stage')[0][1];
      const format = JSON.parse(stage.AccessLogSetting.Format);
      expect(format).toEqual(
        expect.objectContaining({
          requestId: '$context.requestId',
          ip: '$context.identity.sourceIp',
          status: '$context.status',
          integrationStatus: '$context.integrationStatus',
          wafResponseCode: '$context.wafResponseCode',
          webAclArn: '$context.webaclArn',
        }),
      );
      template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 365 });
    });

    test('THEN the usage plan carries the stage throttle, no quota, and the stage; there is no API key', () => {
      template.hasResourceProperties('AWS::ApiGateway::UsagePlan', {
        Throttle: { RateLimit: 100, BurstLimit: 200 },
        Quota: Match.absent(),
        ApiStages: [{ ApiId: ref(service.api), Stage: ref(service.stage), Throttle: {} }],
      });
      template.resourceCountIs('AWS::ApiGateway::ApiKey', 0);
    });

    test('THEN the account-wide API Gateway CloudWatch role is created (a first deploy works), with a warning', () => {
      template.resourceCountIs('AWS::ApiGateway::Account', 1);
      Annotations.fromStack(Stack.of(service)).hasWarning(
        '*',
        Match.stringLikeRegexp('@gtuc/cdk-privatelink-ecs:accountCloudWatchRole'),
      );
    });

    test('THEN the web ACL has the rules GeoWebAcl creates by default, in order', () => {
      const standalone = newStack('Standalone');
      new GeoWebAcl(standalone.stack, 'WebAcl');
      const expected = webAclPropertiesOf(Template.fromStack(standalone.stack).toJSON());
      const actual = webAclPropertiesOf(template.toJSON());
      expect(actual.Rules).toEqual(expected.Rules);
      expect(actual.Scope).toBe('REGIONAL');
      expect(actual.DefaultAction).toEqual({ Allow: {} });
      // GeoWebAcl's defaults are neutral (no geo rules): the rate limit, the oversize-body rule, the managed groups.
      expect(actual.Rules.map((r: any) => `${r.Priority} ${r.Name}`)).toEqual([
        '50 RateLimit',
        '60 OversizeBody',
        '100 AWS-AWSManagedRulesCommonRuleSet',
        '110 AWS-AWSManagedRulesKnownBadInputsRuleSet',
        '120 AWS-AWSManagedRulesAmazonIpReputationList',
      ]);
      expect(actual.Rules[0]).toEqual({
        Name: 'RateLimit',
        Priority: 50,
        Statement: { RateBasedStatement: { AggregateKeyType: 'IP', EvaluationWindowSec: 300, Limit: 1000 } },
        Action: { Block: { CustomResponse: { ResponseCode: 429, CustomResponseBodyKey: 'problem-429' } } },
        VisibilityConfig: { CloudWatchMetricsEnabled: true, MetricName: 'RateLimit', SampledRequestsEnabled: true },
      });
    });

    test('THEN the web ACL is associated with the prod stage, after the stage exists', () => {
      const [[, association]] = resourcesOf(template, 'AWS::WAFv2::WebACLAssociation');
      expect(association.WebACLArn).toEqual(getAtt(service.webAcl!.webAcl, 'Arn'));
      expect(joined(association.ResourceArn)).toBe(
        `arn:<<AWS::Partition>>:apigateway:us-east-2::/restapis/<<${logicalId(service.api)}>>/stages/<<${logicalId(service.stage)}>>`,
      );
      // The stage's Ref is its name.
      expect(template.toJSON().Resources[logicalId(service.stage)].Properties.StageName).toBe('prod');
      template.hasResource('AWS::WAFv2::WebACLAssociation', {
        DependsOn: Match.arrayWith([logicalId(service.stage)]),
      });
    });

    test('THEN WAF logs go to an aws-waf-logs- log group with the authorization, cookie and x-amz-security-token headers redacted', () => {
      const logGroup = service.webAcl!.logGroup!;
      template.hasResourceProperties('AWS::WAFv2::LoggingConfiguration', {
        ResourceArn: getAtt(service.webAcl!.webAcl, 'Arn'),
        RedactedFields: [
          { SingleHeader: { Name: 'authorization' } },
          { SingleHeader: { Name: 'cookie' } },
          { SingleHeader: { Name: 'x-amz-security-token' } },
        ],
      });
      const [[, logging]] = resourcesOf(template, 'AWS::WAFv2::LoggingConfiguration');
      expect(logging.LogDestinationConfigs.map(joined)).toEqual([
        `arn:<<AWS::Partition>>:logs:us-east-2:123456789012:log-group:<<${logicalId(logGroup)}>>`,
      ]);
      template.hasResourceProperties('AWS::Logs::LogGroup', {
        LogGroupName: Match.stringLikeRegexp('^aws-waf-logs-'),
        RetentionInDays: 365,
      });
    });

    test('THEN the service rolls back failed deployments, spreads tasks and uses the capacity provider', () => {
      template.hasResourceProperties('AWS::ECS::Service', {
        Cluster: ref(service.cluster),
        TaskDefinition: ref(service.taskDefinition),
        DesiredCount: 2,
        DeploymentConfiguration: {
          DeploymentCircuitBreaker: { Enable: true, Rollback: true },
          MinimumHealthyPercent: 50,
          MaximumPercent: 200,
        },
        HealthCheckGracePeriodSeconds: 60,
        PlacementStrategies: [
          { Type: 'spread', Field: 'attribute:ecs.availability-zone' },
          { Type: 'spread', Field: 'instanceId' },
        ],
        CapacityProviderStrategy: [{ CapacityProvider: ref(service.capacityProvider!), Weight: 1 }],
        LaunchType: Match.absent(),
        LoadBalancers: [{ ContainerName: 'app', ContainerPort: 3000, TargetGroupArn: ref(service.targetGroup) }],
        NetworkConfiguration: {
          AwsvpcConfiguration: {
            AssignPublicIp: 'DISABLED',
            SecurityGroups: [getAtt(serviceSg, 'GroupId')],
            Subnets: privateSubnetRefs(stack, vpc),
          },
        },
      });
    });

    test('THEN the cluster has Container Insights and the capacity provider manages scaling and termination protection', () => {
      template.hasResourceProperties('AWS::ECS::Cluster', {
        ClusterSettings: [{ Name: 'containerInsights', Value: 'enabled' }],
      });
      template.hasResourceProperties('AWS::ECS::CapacityProvider', {
        AutoScalingGroupProvider: {
          AutoScalingGroupArn: ref(service.autoScalingGroup!),
          ManagedScaling: { Status: 'ENABLED', TargetCapacity: 100 },
          ManagedTerminationProtection: 'ENABLED',
        },
      });
      template.hasResourceProperties('AWS::ECS::ClusterCapacityProviderAssociations', {
        Cluster: ref(service.cluster),
        CapacityProviders: [ref(service.capacityProvider!)],
      });
    });

    test('THEN the Auto Scaling group launches t3.medium with IMDSv2 (hop limit 1), detailed monitoring and an encrypted gp3 root volume from a launch template', () => {
      template.resourceCountIs('AWS::AutoScaling::LaunchConfiguration', 0);
      const [[ltId, lt]] = resourcesOf(template, 'AWS::EC2::LaunchTemplate');
      expect(lt.LaunchTemplateData).toEqual(
        expect.objectContaining({
          InstanceType: 't3.medium',
          MetadataOptions: { HttpEndpoint: 'enabled', HttpPutResponseHopLimit: 1, HttpTokens: 'required' },
          Monitoring: { Enabled: true },
          BlockDeviceMappings: [
            { DeviceName: '/dev/xvda', Ebs: { Encrypted: true, VolumeSize: 30, VolumeType: 'gp3' } },
          ],
          SecurityGroupIds: [getAtt(service.instanceSecurityGroup!, 'GroupId')],
        }),
      );
      expect(joined(lt.LaunchTemplateData.UserData['Fn::Base64'])).toContain('echo ECS_CLUSTER=<<');
      template.hasResourceProperties('AWS::AutoScaling::AutoScalingGroup', {
        MinSize: '2',
        MaxSize: '4',
        NewInstancesProtectedFromScaleIn: true,
        LaunchTemplate: { LaunchTemplateId: { Ref: ltId }, Version: { 'Fn::GetAtt': [ltId, 'LatestVersionNumber'] } },
        VPCZoneIdentifier: privateSubnetRefs(stack, vpc),
      });
    });

    test('THEN the execution and instance roles carry the AWS managed policies', () => {
      const managed = (name: string) => ({
        'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:iam::aws:policy/${name}`]],
      });
      template.hasResourceProperties('AWS::IAM::Role', {
        AssumeRolePolicyDocument: Match.objectLike({
          Statement: [Match.objectLike({ Principal: { Service: 'ecs-tasks.amazonaws.com' } })],
        }),
        ManagedPolicyArns: [managed('service-role/AmazonECSTaskExecutionRolePolicy')],
      });
      template.hasResourceProperties('AWS::IAM::Role', {
        AssumeRolePolicyDocument: Match.objectLike({
          Statement: [Match.objectLike({ Principal: { Service: 'ec2.amazonaws.com' } })],
        }),
        ManagedPolicyArns: [
          managed('service-role/AmazonEC2ContainerServiceforEC2Role'),
          managed('AmazonSSMManagedInstanceCore'),
        ],
      });
    });

    test('THEN there is no task auto scaling', () => {
      template.resourceCountIs('AWS::ApplicationAutoScaling::ScalableTarget', 0);
    });

    test('THEN the default web ACL blocks no country and rate-limits every client', () => {
      const acl = webAclPropertiesOf(template.toJSON());
      for (const country of ['NG', 'GH']) {
        expect(evaluateWebAcl(acl, { country })).toEqual(
          expect.objectContaining({ action: 'ALLOW', terminatingRule: 'Default_Action' }),
        );
      }
      expect(evaluateWebAcl(acl, { country: 'US' })).toEqual(
        expect.objectContaining({ action: 'ALLOW', statusCode: 200, terminatingRule: 'Default_Action' }),
      );
      expect(evaluateWebAcl(acl, { country: 'US', requestsInWindow: 1001 })).toEqual(
        expect.objectContaining({ action: 'BLOCK', statusCode: 429, terminatingRule: 'RateLimit' }),
      );
    });
  });

  describe('GIVEN BRIDGE mode', () => {
    // WHEN
    const { stack, service, template } = synthService({ networkMode: ServiceNetworkMode.BRIDGE, containerPort: 8080 });
    const nlbSg = service.loadBalancerSecurityGroup;
    const instanceSg = service.instanceSecurityGroup!;

    test('THEN the task definition is bridge with a dynamic host port', () => {
      template.hasResourceProperties('AWS::ECS::TaskDefinition', {
        NetworkMode: 'bridge',
        ContainerDefinitions: [
          Match.objectLike({ PortMappings: [{ ContainerPort: 8080, HostPort: 0, Protocol: 'tcp' }] }),
        ],
      });
    });

    test('THEN the target group is type instance with the HTTP health check on the traffic port', () => {
      template.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', {
        TargetType: 'instance',
        Port: 8080,
        Protocol: 'TCP',
        HealthCheckProtocol: 'HTTP',
        HealthCheckPath: '/',
        HealthCheckPort: 'traffic-port',
        HealthCheckIntervalSeconds: 10,
        HealthyThresholdCount: 2,
        UnhealthyThresholdCount: 2,
        TargetGroupAttributes: [{ Key: 'deregistration_delay.timeout_seconds', Value: '30' }],
      });
    });

    test('THEN the instance security group admits 32768-65535 from the NLB security group, and nothing else', () => {
      const rule = {
        GroupId: getAtt(instanceSg, 'GroupId'),
        SourceSecurityGroupId: getAtt(nlbSg, 'GroupId'),
        IpProtocol: 'tcp',
        FromPort: 32768,
        ToPort: 65535,
        Description: 'Load balancer to the dynamic host ports of bridge-mode tasks',
      };
      expect(ingressRules(template)).toEqual([rule]);
      expectNoOpenIngress(template);
    });

    test('THEN the NLB security group egresses only to the instance security group on 32768-65535', () => {
      expect(template.toJSON().Resources[logicalId(nlbSg)].Properties.SecurityGroupEgress).toEqual([
        {
          DestinationSecurityGroupId: getAtt(instanceSg, 'GroupId'),
          IpProtocol: 'tcp',
          FromPort: 32768,
          ToPort: 65535,
          Description: 'Load balancer to the dynamic host ports of bridge-mode tasks',
        },
      ]);
      expect(resourcesOf(template, 'AWS::EC2::SecurityGroupEgress')).toEqual([]);
    });

    test('THEN there is no task security group and the service has no awsvpc configuration', () => {
      expect(service.serviceSecurityGroup).toBeUndefined();
      template.resourceCountIs('AWS::EC2::SecurityGroup', 2); // instances and NLB
      template.hasResourceProperties('AWS::ECS::Service', {
        NetworkConfiguration: Match.absent(),
        LoadBalancers: [{ ContainerName: 'app', ContainerPort: 8080, TargetGroupArn: ref(service.targetGroup) }],
        DeploymentConfiguration: {
          DeploymentCircuitBreaker: { Enable: true, Rollback: true },
          MinimumHealthyPercent: 50,
          MaximumPercent: 200,
        },
      });
    });

    test('THEN the NLB is internal in the private subnets, with PrivateLink enforcement off', () => {
      template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
        Scheme: 'internal',
        Subnets: privateSubnetRefs(stack, service.cluster.vpc),
        SecurityGroups: [getAtt(nlbSg, 'GroupId')],
        EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic: 'off',
      });
    });

    test('THEN the API is wired exactly as in awsvpc mode and has no MOCK integration', () => {
      expectNoMockIntegration(template);
      for (const method of methodsOf(template)) {
        expect(method.Integration.ConnectionId).toEqual(ref(service.vpcLink!));
      }
    });
  });

  describe('GIVEN the GTUC network, the ecs-service tier for tasks and named roles', () => {
    // GIVEN
    const { stack } = newStack();
    const network = new HubSpokeNetwork(stack, 'Network', HubSpokeNetwork.gtucLayout('us-east-2'));
    // WHEN
    const service = new PrivateLinkEcsService(stack, 'Items', {
      vpc: network.vpc('ecs'),
      image: IMAGE,
      taskSubnets: network.spoke('ecs').selectTier('ecs-service'),
      capacity: { vpcSubnets: network.spoke('ecs').selectTier('ecs-ec2'), instanceRoleName: 'items-ecs-ec2-role' },
      executionRoleName: 'items-ecs-task-definition-role',
      serviceSecurityGroupName: 'items-ecs-service-sg',
    });
    const template = Template.fromStack(stack);
    const tier = (name: string) =>
      network
        .spoke('ecs')
        .cfnSubnets(name)
        .map((s) => stack.resolve(s.ref));

    test('THEN the tasks and the NLB are in the ecs-service subnets and the instances in the ecs-ec2 subnets', () => {
      template.hasResourceProperties('AWS::ECS::Service', {
        NetworkConfiguration: { AwsvpcConfiguration: Match.objectLike({ Subnets: tier('ecs-service') }) },
      });
      template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', { Subnets: tier('ecs-service') });
      template.hasResourceProperties('AWS::AutoScaling::AutoScalingGroup', { VPCZoneIdentifier: tier('ecs-ec2') });
    });

    test('THEN the roles and the service security group carry the given names', () => {
      template.hasResourceProperties('AWS::IAM::Role', {
        RoleName: 'items-ecs-task-definition-role',
        ManagedPolicyArns: [
          {
            'Fn::Join': [
              '',
              ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy'],
            ],
          },
        ],
      });
      template.hasResourceProperties('AWS::IAM::Role', {
        RoleName: 'items-ecs-ec2-role',
        ManagedPolicyArns: [
          {
            'Fn::Join': [
              '',
              ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role'],
            ],
          },
          { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/AmazonSSMManagedInstanceCore']] },
        ],
      });
      template.hasResourceProperties('AWS::EC2::SecurityGroup', {
        GroupName: 'items-ecs-service-sg',
        VpcId: stack.resolve(network.vpc('ecs').vpcId),
      });
      expect(service.serviceSecurityGroup).toBeDefined();
    });

    test('THEN no security group in the stack admits 0.0.0.0/0', () => {
      expectNoOpenIngress(template);
    });
  });

  describe('GIVEN a TLS listener', () => {
    // WHEN
    const { service, template } = synthService({}, (stack) => ({
      tls: {
        certificate: acm.Certificate.fromCertificateArn(
          stack,
          'Cert',
          'arn:aws:acm:us-east-2:123456789012:certificate/11111111-2222-3333-4444-555555555555',
        ),
        serverName: 'items.internal.example.com',
      },
    }));

    test('THEN the listener is TLS on 443 with the certificate and the recommended policy', () => {
      template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
        Port: 443,
        Protocol: 'TLS',
        Certificates: [
          { CertificateArn: 'arn:aws:acm:us-east-2:123456789012:certificate/11111111-2222-3333-4444-555555555555' },
        ],
        SslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06',
        DefaultActions: [{ Type: 'forward', TargetGroupArn: ref(service.targetGroup) }],
      });
    });

    test('THEN the integrations call https://<serverName>:443', () => {
      const uris = methodsOf(template).map((m) => m.Integration.Uri);
      expect(new Set(uris)).toEqual(
        new Set(['https://items.internal.example.com:443/{proxy}', 'https://items.internal.example.com:443/']),
      );
      expect(service.integrationBaseUrl).toBe('https://items.internal.example.com:443');
    });
  });

  describe('authorization', () => {
    test('GIVEN ApiAuthorizationType.NONE WHEN synthesized THEN / and /{proxy+} each have one public ANY method', () => {
      // WHEN
      const { template } = synthService({ authorization: { type: ApiAuthorizationType.NONE } });
      // THEN
      const methods = methodsOf(template);
      expect(methods.map((m) => [m.HttpMethod, m.AuthorizationType])).toEqual([
        ['ANY', 'NONE'],
        ['ANY', 'NONE'],
      ]);
      expectNoMockIntegration(template);
    });

    test('GIVEN IAM on ALL_METHODS WHEN synthesized THEN both ANY methods need IAM', () => {
      // WHEN
      const { template } = synthService({
        authorization: { type: ApiAuthorizationType.IAM, scope: AuthorizationScope.ALL_METHODS },
      });
      // THEN
      expect(methodsOf(template).map((m) => [m.HttpMethod, m.AuthorizationType])).toEqual([
        ['ANY', 'AWS_IAM'],
        ['ANY', 'AWS_IAM'],
      ]);
    });

    test('GIVEN COGNITO on ALL_METHODS WHEN synthesized THEN every method uses the Cognito authorizer', () => {
      // GIVEN
      let pool!: cognito.UserPool;
      // WHEN
      const { template } = synthService({}, (stack) => {
        pool = new cognito.UserPool(stack, 'Pool');
        return {
          authorization: {
            type: ApiAuthorizationType.COGNITO,
            scope: AuthorizationScope.ALL_METHODS,
            userPools: [pool],
            authorizationScopes: ['items/read'],
          },
        };
      });
      // THEN
      const [[authorizerId]] = resourcesOf(template, 'AWS::ApiGateway::Authorizer');
      template.hasResourceProperties('AWS::ApiGateway::Authorizer', {
        Type: 'COGNITO_USER_POOLS',
        ProviderARNs: [getAtt(pool, 'Arn')],
        IdentitySource: 'method.request.header.Authorization',
      });
      const methods = methodsOf(template);
      expect(methods).toHaveLength(2);
      for (const method of methods) {
        expect(method).toEqual(
          expect.objectContaining({
            HttpMethod: 'ANY',
            AuthorizationType: 'COGNITO_USER_POOLS',
            AuthorizerId: { Ref: authorizerId },
            AuthorizationScopes: ['items/read'],
          }),
        );
      }
      expectNoMockIntegration(template);
    });

    test('GIVEN COGNITO on writes only WHEN synthesized THEN reads are public and writes use the authorizer', () => {
      // WHEN
      const { template } = synthService({}, (stack) => ({
        authorization: { type: ApiAuthorizationType.COGNITO, userPools: [new cognito.UserPool(stack, 'Pool')] },
      }));
      // THEN
      const auth = Object.fromEntries(methodsOf(template).map((m) => [m.HttpMethod, m.AuthorizationType]));
      expect(auth).toEqual({
        GET: 'NONE',
        HEAD: 'NONE',
        OPTIONS: 'NONE',
        POST: 'COGNITO_USER_POOLS',
        PUT: 'COGNITO_USER_POOLS',
        PATCH: 'COGNITO_USER_POOLS',
        DELETE: 'COGNITO_USER_POOLS',
      });
    });
  });

  describe('API options', () => {
    test('GIVEN throttling, a usage plan with API key and quota, tracing and a timeout WHEN synthesized THEN the stage, plan, key and methods carry them', () => {
      // WHEN
      const { service, template } = synthService({
        throttling: { rateLimit: 50, burstLimit: 75 },
        usagePlan: { apiKeyRequired: true, rateLimit: 10, burstLimit: 20, quotaPerDay: 10000 },
        tracingEnabled: true,
        integrationTimeout: Duration.seconds(10),
        stageName: 'v1',
      });
      // THEN
      template.hasResourceProperties('AWS::ApiGateway::Stage', {
        StageName: 'v1',
        TracingEnabled: true,
        MethodSettings: [
          {
            HttpMethod: '*',
            ResourcePath: '/*',
            ThrottlingRateLimit: 50,
            ThrottlingBurstLimit: 75,
            LoggingLevel: 'INFO',
            MetricsEnabled: true,
            DataTraceEnabled: false,
          },
        ],
      });
      template.hasResourceProperties('AWS::ApiGateway::UsagePlan', {
        Throttle: { RateLimit: 10, BurstLimit: 20 },
        Quota: { Limit: 10000, Period: 'DAY' },
        ApiStages: [{ ApiId: ref(service.api), Stage: ref(service.stage), Throttle: {} }],
      });
      template.resourceCountIs('AWS::ApiGateway::ApiKey', 1);
      template.hasResourceProperties('AWS::ApiGateway::UsagePlanKey', {
        KeyId: ref(service.apiKey!),
        KeyType: 'API_KEY',
        UsagePlanId: ref(service.usagePlan),
      });
      for (const method of methodsOf(template)) {
        expect(method.ApiKeyRequired).toBe(true);
        expect(method.Integration.TimeoutInMillis).toBe(10000);
      }
      const [[, association]] = resourcesOf(template, 'AWS::WAFv2::WebACLAssociation');
      expect(joined(association.ResourceArn)).toMatch(/\/stages\/<<.*>>$/);
    });

    test('GIVEN only throttling WHEN synthesized THEN the usage plan defaults to the stage throttle', () => {
      // WHEN
      const { template } = synthService({ throttling: { rateLimit: 30, burstLimit: 60 } });
      // THEN
      template.hasResourceProperties('AWS::ApiGateway::UsagePlan', { Throttle: { RateLimit: 30, BurstLimit: 60 } });
    });

    test('GIVEN cloudWatchRole false WHEN synthesized THEN no AWS::ApiGateway::Account and no warning', () => {
      // WHEN
      const { template, stack } = synthService({ cloudWatchRole: false });
      // THEN
      template.resourceCountIs('AWS::ApiGateway::Account', 0);
      Annotations.fromStack(stack).hasNoWarning('*', Match.stringLikeRegexp('accountCloudWatchRole'));
    });

    test('GIVEN cloudWatchRole WHEN synthesized THEN AWS::ApiGateway::Account is created with the push-to-CloudWatch role', () => {
      // WHEN
      const { template } = synthService({ cloudWatchRole: true });
      // THEN
      template.resourceCountIs('AWS::ApiGateway::Account', 1);
      template.hasResourceProperties('AWS::IAM::Role', {
        AssumeRolePolicyDocument: Match.objectLike({
          Statement: [Match.objectLike({ Principal: { Service: 'apigateway.amazonaws.com' } })],
        }),
        ManagedPolicyArns: [
          {
            'Fn::Join': [
              '',
              ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs'],
            ],
          },
        ],
      });
    });

    test('GIVEN log retentions WHEN synthesized THEN the container and access log groups keep them', () => {
      // WHEN
      const { service, template } = synthService({
        logRetention: logs.RetentionDays.ONE_WEEK,
        accessLogRetention: logs.RetentionDays.THREE_MONTHS,
      });
      // THEN
      const resources = template.toJSON().Resources;
      expect(resources[logicalId(service.logGroup)].Properties.RetentionInDays).toBe(7);
      expect(resources[logicalId(service.accessLogGroup)].Properties.RetentionInDays).toBe(90);
    });
  });

  describe('GIVEN a VPC link V2', () => {
    // WHEN
    const { stack, service, template } = synthService({ vpcLinkVersion: VpcLinkVersion.V2 });
    const nlb = service.loadBalancer;
    const linkSg = service.vpcLinkSecurityGroup!;

    test('THEN an AWS::ApiGatewayV2::VpcLink has the private subnets and its own security group, and no V1 link exists', () => {
      template.hasResourceProperties('AWS::ApiGatewayV2::VpcLink', {
        SubnetIds: privateSubnetRefs(stack, service.cluster.vpc),
        SecurityGroupIds: [getAtt(linkSg, 'GroupId')],
      });
      template.resourceCountIs('AWS::ApiGateway::VpcLink', 0);
    });

    test('THEN every method connects through the V2 link with the NLB as integration target', () => {
      const methods = methodsOf(template);
      expect(methods).toHaveLength(14);
      for (const method of methods) {
        expect(method.Integration).toEqual(
          expect.objectContaining({
            Type: 'HTTP_PROXY',
            ConnectionType: 'VPC_LINK',
            ConnectionId: ref(service.vpcLinkV2!),
            IntegrationTarget: ref(nlb),
          }),
        );
      }
    });

    test('THEN the VPC link security group reaches the NLB security group on the listener port only', () => {
      template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
        GroupId: getAtt(service.loadBalancerSecurityGroup, 'GroupId'),
        SourceSecurityGroupId: getAtt(linkSg, 'GroupId'),
        IpProtocol: 'tcp',
        FromPort: 80,
        ToPort: 80,
      });
      expect(template.toJSON().Resources[logicalId(linkSg)].Properties.SecurityGroupEgress).toEqual([
        {
          DestinationSecurityGroupId: getAtt(service.loadBalancerSecurityGroup, 'GroupId'),
          IpProtocol: 'tcp',
          FromPort: 80,
          ToPort: 80,
          Description: 'API Gateway VPC link to the NLB listener',
        },
      ]);
      expect(ingressRules(template)).toHaveLength(2); // VPC link → NLB, NLB → tasks
      expectNoOpenIngress(template);
    });
  });

  describe('task auto scaling', () => {
    test('GIVEN autoScaling WHEN synthesized THEN CPU and memory target tracking scale the desired count', () => {
      // WHEN
      const { service, template } = synthService({
        desiredCount: 2,
        autoScaling: { maxCapacity: 6, targetCpuUtilization: 55, targetMemoryUtilization: 70 },
      });
      // THEN
      template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', {
        MinCapacity: 2,
        MaxCapacity: 6,
        ScalableDimension: 'ecs:service:DesiredCount',
        ServiceNamespace: 'ecs',
      });
      template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
        PolicyType: 'TargetTrackingScaling',
        TargetTrackingScalingPolicyConfiguration: {
          PredefinedMetricSpecification: { PredefinedMetricType: 'ECSServiceAverageCPUUtilization' },
          TargetValue: 55,
        },
      });
      template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
        PolicyType: 'TargetTrackingScaling',
        TargetTrackingScalingPolicyConfiguration: {
          PredefinedMetricSpecification: { PredefinedMetricType: 'ECSServiceAverageMemoryUtilization' },
          TargetValue: 70,
        },
      });
      expect(service.scalableTaskCount).toBeDefined();
    });

    test('GIVEN autoScaling without a CPU target WHEN synthesized THEN CPU is tracked at 60 percent, memory is not', () => {
      // WHEN
      const { template } = synthService({ autoScaling: { minCapacity: 1, maxCapacity: 4 } });
      // THEN
      template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', { MinCapacity: 1, MaxCapacity: 4 });
      template.resourceCountIs('AWS::ApplicationAutoScaling::ScalingPolicy', 1);
      template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
        TargetTrackingScalingPolicyConfiguration: Match.objectLike({ TargetValue: 60 }),
      });
    });
  });

  describe('service options', () => {
    test('GIVEN deployment and capacity options WHEN synthesized THEN the service and the Auto Scaling group carry them', () => {
      // WHEN
      const { template } = synthService({
        desiredCount: 3,
        minHealthyPercent: 100,
        maxHealthyPercent: 150,
        circuitBreakerRollback: false,
        healthCheckGracePeriod: Duration.seconds(120),
        healthCheck: {
          interval: Duration.seconds(30),
          healthyThresholdCount: 3,
          unhealthyThresholdCount: 4,
          deregistrationDelay: Duration.seconds(5),
        },
        capacity: {
          instanceType: ec2.InstanceType.of(ec2.InstanceClass.T3, ec2.InstanceSize.LARGE),
          minCapacity: 1,
          maxCapacity: 3,
          rootVolumeSize: 40,
          targetCapacityPercent: 80,
        },
      });
      // THEN
      template.hasResourceProperties('AWS::ECS::Service', {
        DesiredCount: 3,
        HealthCheckGracePeriodSeconds: 120,
        DeploymentConfiguration: {
          DeploymentCircuitBreaker: { Enable: true, Rollback: false },
          MinimumHealthyPercent: 100,
          MaximumPercent: 150,
        },
      });
      template.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', {
        HealthCheckIntervalSeconds: 30,
        HealthyThresholdCount: 3,
        UnhealthyThresholdCount: 4,
        TargetGroupAttributes: [{ Key: 'deregistration_delay.timeout_seconds', Value: '5' }],
      });
      template.hasResourceProperties('AWS::AutoScaling::AutoScalingGroup', { MinSize: '1', MaxSize: '3' });
      template.hasResourceProperties('AWS::EC2::LaunchTemplate', {
        LaunchTemplateData: Match.objectLike({
          InstanceType: 't3.large',
          BlockDeviceMappings: [
            { DeviceName: '/dev/xvda', Ebs: { Encrypted: true, VolumeSize: 40, VolumeType: 'gp3' } },
          ],
        }),
      });
      template.hasResourceProperties('AWS::ECS::CapacityProvider', {
        AutoScalingGroupProvider: Match.objectLike({ ManagedScaling: { Status: 'ENABLED', TargetCapacity: 80 } }),
      });
    });
  });
});
