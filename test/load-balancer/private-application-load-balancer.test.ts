import { Duration } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import {
  PrivateApplicationLoadBalancer,
  PrivateEcsService,
  PrivateNetworkLoadBalancer,
  PrivateRestApi,
  PrivateVpcLinkV2,
  ServiceCapacity,
  ServiceNetworkMode,
} from '../../src';
import { IMAGE, idOf, newStack, newVpc, resourcesOf } from '../parts/fixtures';

function albParts(strategy?: ecs.DeploymentStrategy) {
  const stack = newStack();
  const vpc = newVpc(stack);
  const fargate = ServiceCapacity.fargate();
  const billing = new PrivateEcsService(stack, 'Billing', {
    vpc,
    capacity: fargate,
    image: IMAGE,
    containerPort: 8080,
    deploymentStrategy: strategy,
    deploymentAlarmNames: strategy ? ['billing-5xx'] : undefined,
  });
  const reports = new PrivateEcsService(stack, 'Reports', {
    vpc,
    capacity: ServiceCapacity.autoScalingGroup({ minCapacity: 1, maxCapacity: 2 }),
    networkMode: ServiceNetworkMode.BRIDGE,
    image: IMAGE,
    containerPort: 9090,
  });
  const alb = new PrivateApplicationLoadBalancer(stack, 'Alb', { vpc, deletionProtection: false });
  return { stack, vpc, billing, reports, alb };
}

describe('PrivateApplicationLoadBalancer', () => {
  describe('GIVEN a Fargate and a bridge service WHEN both are added with path and host rules and routed', () => {
    const { stack, vpc, billing, reports, alb } = albParts();
    const billingTarget = alb.addService(billing, {
      priority: 10,
      pathPatterns: ['/billing', '/billing/*'],
      healthCheck: { path: '/healthz' },
    });
    const reportsTarget = alb.addService(reports, { priority: 20, hostHeaders: ['reports.internal.example.com'] });
    const api = new PrivateRestApi(stack, 'Api', { cloudWatchRole: false });
    api.addRoute('/billing', billingTarget);
    api.addRoute('/reports', reportsTarget);
    const template = Template.fromStack(stack);
    const albSg = stack.resolve(alb.securityGroup.securityGroupId);
    const link = alb.vpcLink as any;
    const linkSg = stack.resolve(link.securityGroup.securityGroupId);

    test('THEN the ALB is internal, in one private subnet per AZ, with its own SG, deletion protection as asked', () => {
      template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
        Type: 'application',
        Scheme: 'internal',
        Subnets: vpc.privateSubnets.map((s) => stack.resolve(s.subnetId)),
        SecurityGroups: [albSg],
        LoadBalancerAttributes: Match.arrayWith([
          { Key: 'deletion_protection.enabled', Value: 'false' },
          { Key: 'routing.http.drop_invalid_header_fields.enabled', Value: 'true' },
        ]),
      });
      Annotations.fromStack(stack).hasWarning(
        '/Parts/Alb',
        'The ALB has no deletion protection: a stack update or a console click can delete it. [ack: @gtuc/cdk-privatelink-ecs:albDeletionProtection]',
      );
    });

    test('THEN one HTTP listener on 80 answers 404 by default', () => {
      template.resourceCountIs('AWS::ElasticLoadBalancingV2::Listener', 1);
      template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
        Port: 80,
        Protocol: 'HTTP',
        DefaultActions: [
          {
            Type: 'fixed-response',
            FixedResponseConfig: {
              StatusCode: '404',
              ContentType: 'application/json',
              MessageBody: '{"message":"Not Found"}',
            },
          },
        ],
      });
    });

    test('THEN each service has a listener rule with its priority and conditions, forwarding to its target group', () => {
      template.hasResourceProperties('AWS::ElasticLoadBalancingV2::ListenerRule', {
        Priority: 10,
        Conditions: [{ Field: 'path-pattern', PathPatternConfig: { Values: ['/billing', '/billing/*'] } }],
        Actions: [{ Type: 'forward', TargetGroupArn: { Ref: idOf(stack, billingTarget.targetGroup) } }],
      });
      template.hasResourceProperties('AWS::ElasticLoadBalancingV2::ListenerRule', {
        Priority: 20,
        Conditions: [{ Field: 'host-header', HostHeaderConfig: { Values: ['reports.internal.example.com'] } }],
        Actions: [{ Type: 'forward', TargetGroupArn: { Ref: idOf(stack, reportsTarget.targetGroup) } }],
      });
    });

    test('THEN the Fargate service has ip targets on its container port, the bridge service instance targets', () => {
      template.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', {
        TargetType: 'ip',
        Port: 8080,
        Protocol: 'HTTP',
        HealthCheckPath: '/healthz',
        HealthCheckPort: 'traffic-port',
        HealthCheckIntervalSeconds: 10,
        HealthyThresholdCount: 2,
        UnhealthyThresholdCount: 2,
        Matcher: { HttpCode: '200-399' },
        TargetGroupAttributes: Match.arrayWith([{ Key: 'deregistration_delay.timeout_seconds', Value: '30' }]),
      });
      template.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', {
        TargetType: 'instance',
        Port: 9090,
      });
      template.hasResourceProperties('AWS::ECS::Service', {
        LoadBalancers: [
          {
            ContainerName: 'app',
            ContainerPort: 8080,
            TargetGroupArn: { Ref: idOf(stack, billingTarget.targetGroup) },
          },
        ],
      });
    });

    test("THEN the link's group reaches the listener port only, and the ALB's group the targets' ports only", () => {
      template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
        GroupId: albSg,
        SourceSecurityGroupId: linkSg,
        IpProtocol: 'tcp',
        FromPort: 80,
        ToPort: 80,
      });
      template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
        GroupId: stack.resolve(billing.serviceSecurityGroup!.securityGroupId),
        SourceSecurityGroupId: albSg,
        IpProtocol: 'tcp',
        FromPort: 8080,
        ToPort: 8080,
      });
      template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
        GroupId: stack.resolve(reports.instanceSecurityGroup!.securityGroupId),
        SourceSecurityGroupId: albSg,
        IpProtocol: 'tcp',
        FromPort: 32768,
        ToPort: 65535,
      });
      const [, albGroup] = resourcesOf(template, 'AWS::EC2::SecurityGroup').find(
        ([id]) => id === stack.resolve(alb.securityGroup.securityGroupId)['Fn::GetAtt'][0],
      )!;
      expect(albGroup.SecurityGroupIngress).toBeUndefined();
      expect(albGroup.SecurityGroupEgress).toEqual(
        [
          {
            CidrIp: undefined,
            Description: 'ALB to the container port (traffic and health checks)',
            DestinationSecurityGroupId: stack.resolve(billing.serviceSecurityGroup!.securityGroupId),
            FromPort: 8080,
            IpProtocol: 'tcp',
            ToPort: 8080,
          },
          {
            CidrIp: undefined,
            Description: 'ALB to the dynamic host ports of bridge-mode tasks',
            DestinationSecurityGroupId: stack.resolve(reports.instanceSecurityGroup!.securityGroupId),
            FromPort: 32768,
            IpProtocol: 'tcp',
            ToPort: 65535,
          },
        ].map(({ CidrIp, ...rule }) => rule),
      );
      const [, linkGroup] = resourcesOf(template, 'AWS::EC2::SecurityGroup').find(
        ([id]) => id === linkSg['Fn::GetAtt'][0],
      )!;
      expect(linkGroup.SecurityGroupEgress).toEqual([
        {
          Description: 'API Gateway VPC link V2 to the ALB listener',
          DestinationSecurityGroupId: albSg,
          FromPort: 80,
          IpProtocol: 'tcp',
          ToPort: 80,
        },
      ]);
    });

    test('THEN every route integrates through the V2 link with the ALB as IntegrationTarget', () => {
      template.resourceCountIs('AWS::ApiGatewayV2::VpcLink', 1);
      template.resourceCountIs('AWS::ApiGateway::VpcLink', 0);
      const linked = resourcesOf(template, 'AWS::ApiGateway::Method')
        .map(([, p]) => p)
        .filter((m) => m.Integration.ConnectionType === 'VPC_LINK');
      expect(linked.length).toBeGreaterThan(0);
      for (const m of linked) {
        expect(m.Integration.ConnectionId).toEqual({ Ref: stack.getLogicalId(link.cfnVpcLink) });
        expect(m.Integration.IntegrationTarget).toEqual({ Ref: idOf(stack, alb.loadBalancer) });
      }
      expect(billingTarget.baseUri).toBe(`http://${alb.loadBalancer.loadBalancerDnsName}:80`);
      expect(reportsTarget.baseUri).toBe('http://reports.internal.example.com:80');
      template.hasResourceProperties('AWS::ApiGatewayV2::VpcLink', {
        SubnetIds: vpc.privateSubnets.map((s) => stack.resolve(s.subnetId)),
        SecurityGroupIds: [linkSg],
      });
    });
  });

  describe('GIVEN the options', () => {
    test('THEN tls makes an HTTPS listener on 443 and access logs go to the bucket', () => {
      const stack = newStack();
      const vpc = newVpc(stack);
      const certificate = acm.Certificate.fromCertificateArn(
        stack,
        'Cert',
        'arn:aws:acm:us-east-2:123456789012:certificate/abc',
      );
      const bucket = new s3.Bucket(stack, 'Logs');
      const alb = new PrivateApplicationLoadBalancer(stack, 'Alb', {
        vpc,
        tls: { certificate, serverName: 'api.internal.example.com' },
        accessLogsBucket: bucket,
        accessLogsPrefix: 'alb',
      });
      const billing = new PrivateEcsService(stack, 'Billing', {
        vpc,
        capacity: ServiceCapacity.fargate(),
        image: IMAGE,
      });
      const target = alb.addService(billing, { priority: 1, pathPatterns: ['/*'] });
      const template = Template.fromStack(stack);
      template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
        Port: 443,
        Protocol: 'HTTPS',
        Certificates: [{ CertificateArn: 'arn:aws:acm:us-east-2:123456789012:certificate/abc' }],
        SslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06',
      });
      template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
        LoadBalancerAttributes: Match.arrayWith([
          { Key: 'deletion_protection.enabled', Value: 'true' },
          { Key: 'access_logs.s3.enabled', Value: 'true' },
          { Key: 'access_logs.s3.bucket', Value: stack.resolve(bucket.bucketName) },
          { Key: 'access_logs.s3.prefix', Value: 'alb' },
        ]),
      });
      expect(target.baseUri).toBe('https://api.internal.example.com:443');
    });
  });

  describe('GIVEN the ECS deployment strategies', () => {
    for (const strategy of [
      ecs.DeploymentStrategy.BLUE_GREEN,
      ecs.DeploymentStrategy.LINEAR,
      ecs.DeploymentStrategy.CANARY,
    ]) {
      test(`THEN ${strategy} behind the ALB gets an alternate target group, a weighted rule and alarm rollback`, () => {
        const { stack, billing, alb } = albParts(strategy);
        const target = alb.addService(billing, { priority: 10, pathPatterns: ['/billing', '/billing/*'] });
        const template = Template.fromStack(stack);
        const blue = { Ref: idOf(stack, target.targetGroup) };
        const green = { Ref: idOf(stack, target.alternateTargetGroup!) };
        template.hasResourceProperties('AWS::ElasticLoadBalancingV2::ListenerRule', {
          Priority: 10,
          Actions: [
            {
              Type: 'forward',
              ForwardConfig: {
                TargetGroups: [
                  { TargetGroupArn: blue, Weight: 100 },
                  { TargetGroupArn: green, Weight: 0 },
                ],
              },
            },
          ],
        });
        template.hasResourceProperties('AWS::ECS::Service', {
          DeploymentController: { Type: 'ECS' },
          DeploymentConfiguration: Match.objectLike({
            Strategy: strategy,
            Alarms: { AlarmNames: ['billing-5xx'], Enable: true, Rollback: true },
            DeploymentCircuitBreaker: Match.absent(),
          }),
          LoadBalancers: [
            Match.objectLike({
              ContainerName: 'app',
              ContainerPort: 8080,
              TargetGroupArn: blue,
              AdvancedConfiguration: Match.objectLike({
                AlternateTargetGroupArn: green,
                ProductionListenerRule: { Ref: idOf(stack, target.listenerRule) },
              }),
            }),
          ],
        });
      });
    }

    test('THEN LINEAR takes its traffic shift and bake time', () => {
      const stack = newStack();
      const vpc = newVpc(stack);
      const billing = new PrivateEcsService(stack, 'Billing', {
        vpc,
        capacity: ServiceCapacity.fargate(),
        image: IMAGE,
        deploymentStrategy: ecs.DeploymentStrategy.LINEAR,
        trafficShift: { stepPercent: 20, stepBakeTime: Duration.minutes(3) },
        bakeTime: Duration.minutes(15),
      });
      new PrivateApplicationLoadBalancer(stack, 'Alb', { vpc }).addService(billing, {
        priority: 1,
        pathPatterns: ['/*'],
      });
      Template.fromStack(stack).hasResourceProperties('AWS::ECS::Service', {
        DeploymentConfiguration: Match.objectLike({
          Strategy: 'LINEAR',
          BakeTimeInMinutes: 15,
          LinearConfiguration: { StepPercent: 20, StepBakeTimeInMinutes: 3 },
        }),
      });
    });

    test('THEN ROLLING behind the NLB stays as it was (no alternate target)', () => {
      const stack = newStack();
      const vpc = newVpc(stack);
      const billing = new PrivateEcsService(stack, 'Billing', {
        vpc,
        capacity: ServiceCapacity.fargate(),
        image: IMAGE,
        deploymentStrategy: ecs.DeploymentStrategy.ROLLING,
      });
      new PrivateNetworkLoadBalancer(stack, 'Nlb', { vpc }).addService(billing, { port: 8081 });
      Template.fromStack(stack).hasResourceProperties('AWS::ECS::Service', {
        DeploymentConfiguration: Match.objectLike({ Strategy: 'ROLLING' }),
        LoadBalancers: [Match.objectLike({ AdvancedConfiguration: Match.absent() })],
      });
    });
  });

  describe('GIVEN bad input', () => {
    test('THEN the remaining props messages', () => {
      const stack = newStack();
      const vpc = newVpc(stack);
      const link = new PrivateVpcLinkV2(stack, 'Link', { vpc });
      expect(() => new PrivateApplicationLoadBalancer(stack, 'A', { vpc, vpcLink: link, vpcLinkName: 'x' })).toThrow(
        "`vpcLinkName` names a new VPC link and can't be combined with `vpcLink`.",
      );
      const otherVpc = newVpc(stack, 'Other');
      expect(() => new PrivateApplicationLoadBalancer(stack, 'B', { vpc: otherVpc, vpcLink: link })).toThrow(
        "`vpcLink` must reach into the load balancer's VPC, got: 'Parts/Link' in another VPC.",
      );
      expect(() => new PrivateApplicationLoadBalancer(stack, 'C', { vpc, loadBalancerName: '-bad' })).toThrow(
        "`loadBalancerName` must be 1-32 letters, digits or hyphens, not starting or ending with a hyphen, got: '-bad'.",
      );
      expect(() => new PrivateApplicationLoadBalancer(stack, 'D', { vpc, accessLogsPrefix: 'alb' })).toThrow(
        '`accessLogsPrefix` applies only with `accessLogsBucket`, got: a prefix without a bucket.',
      );
      const certificate = acm.Certificate.fromCertificateArn(
        stack,
        'Cert',
        'arn:aws:acm:us-east-2:123456789012:certificate/abc',
      );
      expect(
        () => new PrivateApplicationLoadBalancer(stack, 'E', { vpc, tls: { certificate, serverName: 'bad name' } }),
      ).toThrow("`tls.serverName` must be a DNS name the certificate is issued for, got: 'bad name'.");
      const alb = new PrivateApplicationLoadBalancer(stack, 'F', { vpc });
      const elsewhere = new PrivateEcsService(stack, 'Elsewhere', {
        vpc: otherVpc,
        capacity: ServiceCapacity.fargate(),
        image: IMAGE,
      });
      expect(() => alb.addService(elsewhere, { priority: 1, pathPatterns: ['/*'] })).toThrow(
        "`service` must run in the load balancer's VPC, got: 'Parts/Elsewhere' in another VPC.",
      );
      const here = new PrivateEcsService(stack, 'Here', { vpc, capacity: ServiceCapacity.fargate(), image: IMAGE });
      expect(() => alb.addService(here, { priority: 1, pathPatterns: ['/*'], targetGroupName: 'bad_name' })).toThrow(
        "`targetGroupName` must be 1-32 letters, digits or hyphens, not starting or ending with a hyphen, got: 'bad_name'.",
      );
    });

    test('THEN a priority collision fails naming the prop and the other service', () => {
      const { billing, reports, alb } = albParts();
      alb.addService(billing, { priority: 10, pathPatterns: ['/billing'] });
      expect(() => alb.addService(reports, { priority: 10, pathPatterns: ['/reports'] })).toThrow(
        "`priority` 10 is already the listener rule of 'Parts/Billing' on this load balancer: each rule needs a priority of its own.",
      );
    });

    test('THEN an ALB route through a V1 link fails', () => {
      const stack = newStack();
      const vpc = newVpc(stack);
      const nlb = new PrivateNetworkLoadBalancer(stack, 'Nlb', { vpc });
      expect(() => new PrivateApplicationLoadBalancer(stack, 'Alb', { vpc, vpcLink: nlb.vpcLink })).toThrow(
        "`vpcLink` must be a VPC link V2 to reach an ALB (a V1 link reaches one NLB only), got: V1 ('Parts/Nlb/VpcLink').",
      );
    });

    test('THEN BLUE_GREEN, LINEAR or CANARY behind the NLB fails naming both', () => {
      const stack = newStack();
      const vpc = newVpc(stack);
      const billing = new PrivateEcsService(stack, 'Billing', {
        vpc,
        capacity: ServiceCapacity.fargate(),
        image: IMAGE,
        deploymentStrategy: ecs.DeploymentStrategy.CANARY,
      });
      const nlb = new PrivateNetworkLoadBalancer(stack, 'Nlb', { vpc });
      expect(() => nlb.addService(billing, { port: 8081 })).toThrow(
        "`deploymentStrategy` CANARY of 'Parts/Billing' is not supported by `PrivateNetworkLoadBalancer.addService()`: it builds one target group per listener, and ECS shifts traffic between two (the pinned aws-cdk-lib documents LINEAR and CANARY for ALBs only). Use ROLLING here, or put the service behind a `PrivateApplicationLoadBalancer`.",
      );
    });

    test('THEN a traffic-shifting strategy in bridge mode fails naming both', () => {
      const stack = newStack();
      expect(
        () =>
          new PrivateEcsService(stack, 'Reports', {
            vpc: newVpc(stack),
            networkMode: ServiceNetworkMode.BRIDGE,
            image: IMAGE,
            deploymentStrategy: ecs.DeploymentStrategy.BLUE_GREEN,
          }),
      ).toThrow(
        '`deploymentStrategy` BLUE_GREEN is not supported with `networkMode` BRIDGE: ECS shifts traffic between two target groups of `ip` targets, which needs AWS_VPC mode; use ROLLING.',
      );
    });

    test('THEN trafficShift without LINEAR or CANARY, and bakeTime with ROLLING, fail', () => {
      const stack = newStack();
      const vpc = newVpc(stack);
      expect(
        () =>
          new PrivateEcsService(stack, 'A', {
            vpc,
            image: IMAGE,
            deploymentStrategy: ecs.DeploymentStrategy.BLUE_GREEN,
            trafficShift: { stepPercent: 10 },
          }),
      ).toThrow('`trafficShift` applies only to `deploymentStrategy` LINEAR or CANARY, got: BLUE_GREEN.');
      expect(() => new PrivateEcsService(stack, 'B', { vpc, image: IMAGE, bakeTime: Duration.minutes(5) })).toThrow(
        '`bakeTime` applies only to `deploymentStrategy` BLUE_GREEN, LINEAR or CANARY, got: ROLLING.',
      );
    });

    test('THEN a rule without conditions, too many values, a relative path and a bad port fail', () => {
      const { billing, alb, stack, vpc } = albParts();
      expect(() => alb.addService(billing, { priority: 1 })).toThrow(
        '`pathPatterns` or `hostHeaders` is required: a listener rule needs a condition, got: neither.',
      );
      expect(() =>
        alb.addService(billing, {
          priority: 1,
          pathPatterns: ['/a', '/b', '/c'],
          hostHeaders: ['x.example', 'y.example', 'z.example'],
        }),
      ).toThrow("`pathPatterns` and `hostHeaders` hold at most 5 values in all (an ALB rule's limit), got: 6.");
      expect(() => alb.addService(billing, { priority: 1, pathPatterns: ['billing/*'] })).toThrow(
        "`pathPatterns` entries must start with '/', got: 'billing/*'.",
      );
      expect(() => alb.addService(billing, { priority: 0, pathPatterns: ['/*'] })).toThrow(
        '`priority` must be an integer from 1 to 50000, got: 0.',
      );
      expect(() => new PrivateApplicationLoadBalancer(stack, 'Alb2', { vpc, port: 70000 })).toThrow(
        '`port` must be an integer from 1 to 65535, got: 70000.',
      );
    });
  });
});

describe('PrivateVpcLinkV2', () => {
  test('rejects a security group name EC2 refuses and a link name over 128 characters, naming the prop', () => {
    // GIVEN
    const stack = newStack();
    const vpc = newVpc(stack);

    // WHEN / THEN
    expect(() => new PrivateVpcLinkV2(stack, 'Sg', { vpc, securityGroupName: 'sg-link' })).toThrow(
      "`securityGroupName` must be 1 to 255 letters, digits, spaces or ._-:/()#,@[]+=&;{}!$* and not start with 'sg-', got: 'sg-link'.",
    );
    expect(() => new PrivateVpcLinkV2(stack, 'Long', { vpc, vpcLinkName: 'l'.repeat(129) })).toThrow(
      `\`vpcLinkName\` must be 1 to 128 characters, got: '${'l'.repeat(129)}'.`,
    );
    expect(() => new PrivateVpcLinkV2(stack, 'Empty', { vpc, vpcLinkName: '' })).toThrow(
      "`vpcLinkName` must be 1 to 128 characters, got: ''.",
    );
  });

  test('takes a valid security group name and link name as given', () => {
    // GIVEN
    const stack = newStack();
    const vpc = newVpc(stack);

    // WHEN
    new PrivateVpcLinkV2(stack, 'Link', { vpc, securityGroupName: 'items-link-v2', vpcLinkName: 'items-link-v2' });

    // THEN
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::EC2::SecurityGroup', { GroupName: 'items-link-v2' });
    template.hasResourceProperties('AWS::ApiGatewayV2::VpcLink', { Name: 'items-link-v2' });
  });
});
