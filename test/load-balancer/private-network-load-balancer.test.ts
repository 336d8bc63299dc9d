import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import {
  PrivateEcsService,
  PrivateNetworkLoadBalancer,
  PrivateVpcLinkV1,
  PrivateVpcLinkV2,
  VpcLinkVersion,
} from '../../src';
import { IMAGE, idOf, newStack, newVpc, resourcesOf, sharedParts } from '../parts/fixtures';

describe('PrivateNetworkLoadBalancer', () => {
  describe('GIVEN an awsvpc and a bridge service WHEN both are added on ports 8081 and 8082', () => {
    const stack = newStack();
    const { vpc, items, orders, nlb } = sharedParts(stack);
    const itemsTarget = nlb.addService(items, { port: 8081, healthCheck: { path: '/healthz' } });
    const ordersTarget = nlb.addService(orders, { port: 8082 });
    const template = Template.fromStack(stack);
    const nlbSg = stack.resolve(nlb.securityGroup.securityGroupId);

    test('THEN the NLB is internal, cross-zone, in one private subnet per AZ, with its own SG and PrivateLink enforcement off', () => {
      template.resourceCountIs('AWS::ElasticLoadBalancingV2::LoadBalancer', 1);
      template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
        Type: 'network',
        Scheme: 'internal',
        Subnets: vpc.privateSubnets.map((s) => stack.resolve(s.subnetId)),
        SecurityGroups: [nlbSg],
        EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic: 'off',
        LoadBalancerAttributes: Match.arrayWith([{ Key: 'load_balancing.cross_zone.enabled', Value: 'true' }]),
      });
    });

    test('THEN each service has its own TCP listener and a target group of the right type on the container port', () => {
      template.resourceCountIs('AWS::ElasticLoadBalancingV2::Listener', 2);
      template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
        Port: 8081,
        Protocol: 'TCP',
        DefaultActions: [{ Type: 'forward', TargetGroupArn: { Ref: idOf(stack, itemsTarget.targetGroup) } }],
      });
      template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
        Port: 8082,
        Protocol: 'TCP',
        DefaultActions: [{ Type: 'forward', TargetGroupArn: { Ref: idOf(stack, ordersTarget.targetGroup) } }],
      });
      template.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', {
        TargetType: 'ip',
        Port: 8080,
        Protocol: 'TCP',
        HealthCheckPath: '/healthz',
        HealthCheckPort: 'traffic-port',
      });
      template.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', {
        TargetType: 'instance',
        Port: 8080,
        HealthCheckPath: '/',
        HealthCheckPort: 'traffic-port',
      });
    });

    test('THEN the ids derive from the services', () => {
      expect(itemsTarget.node.path).toBe('Parts/Nlb/Items');
      expect(ordersTarget.node.path).toBe('Parts/Nlb/Orders');
      expect(nlb.targets).toEqual([itemsTarget, ordersTarget]);
    });

    test('THEN the tasks admit the container port, the instances the dynamic range, from the NLB SG only', () => {
      template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
        GroupId: stack.resolve(items.serviceSecurityGroup!.securityGroupId),
        SourceSecurityGroupId: nlbSg,
        IpProtocol: 'tcp',
        FromPort: 8080,
        ToPort: 8080,
      });
      template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
        GroupId: stack.resolve(orders.instanceSecurityGroup!.securityGroupId),
        SourceSecurityGroupId: nlbSg,
        IpProtocol: 'tcp',
        FromPort: 32768,
        ToPort: 65535,
      });
      const [, nlbGroup] = resourcesOf(template, 'AWS::EC2::SecurityGroup').find(
        ([id]) => id === idOf(stack, nlb.securityGroup as ec2.SecurityGroup),
      )!;
      expect(nlbGroup.SecurityGroupIngress).toBeUndefined();
      expect(nlbGroup.SecurityGroupEgress).toEqual([
        expect.objectContaining({
          DestinationSecurityGroupId: stack.resolve(items.serviceSecurityGroup!.securityGroupId),
          FromPort: 8080,
          ToPort: 8080,
        }),
        expect.objectContaining({
          DestinationSecurityGroupId: stack.resolve(orders.instanceSecurityGroup!.securityGroupId),
          FromPort: 32768,
          ToPort: 65535,
        }),
      ]);
    });

    test('THEN one V1 VPC link targets the NLB, and both targets integrate through it on their own port', () => {
      template.resourceCountIs('AWS::ApiGateway::VpcLink', 1);
      template.hasResourceProperties('AWS::ApiGateway::VpcLink', {
        TargetArns: [{ Ref: idOf(stack, nlb.loadBalancer as elbv2.NetworkLoadBalancer) }],
      });
      expect(nlb.vpcLink).toBeInstanceOf(PrivateVpcLinkV1);
      const a = itemsTarget.bindIntegration();
      const b = ordersTarget.bindIntegration();
      expect(a.vpcLink).toBe(b.vpcLink);
      expect(a.integrationTarget).toBeUndefined();
      expect(stack.resolve(a.baseUri)).toEqual({
        'Fn::Join': ['', ['http://', { 'Fn::GetAtt': [idOf(stack, nlb.loadBalancer as any), 'DNSName'] }, ':8081']],
      });
      expect(stack.resolve(b.baseUri)['Fn::Join'][1][2]).toBe(':8082');
    });
  });

  test('GIVEN vpcLinkVersion V2 WHEN a service is added THEN the link SG reaches the listener port and the integration targets the NLB', () => {
    const stack = newStack();
    const { items, nlb } = sharedParts(stack, { nlb: { vpcLinkVersion: VpcLinkVersion.V2 } });
    const target = nlb.addService(items, { port: 8081 });
    const template = Template.fromStack(stack);
    const link = nlb.vpcLink as PrivateVpcLinkV2;
    expect(link).toBeInstanceOf(PrivateVpcLinkV2);
    template.resourceCountIs('AWS::ApiGateway::VpcLink', 0);
    template.hasResourceProperties('AWS::ApiGatewayV2::VpcLink', {
      SecurityGroupIds: [stack.resolve(link.securityGroup.securityGroupId)],
    });
    template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      GroupId: stack.resolve(nlb.securityGroup.securityGroupId),
      SourceSecurityGroupId: stack.resolve(link.securityGroup.securityGroupId),
      FromPort: 8081,
      ToPort: 8081,
    });
    template.hasResourceProperties('AWS::EC2::SecurityGroup', {
      GroupDescription: Match.stringLikeRegexp('VPC link V2'),
      SecurityGroupEgress: [
        Match.objectLike({
          DestinationSecurityGroupId: stack.resolve(nlb.securityGroup.securityGroupId),
          FromPort: 8081,
          ToPort: 8081,
        }),
      ],
    });
    expect(stack.resolve(target.bindIntegration().integrationTarget)).toEqual({
      Ref: idOf(stack, nlb.loadBalancer as any),
    });
  });

  test('GIVEN an existing NLB with two security groups WHEN a service is added THEN both groups reach the tasks', () => {
    const stack = newStack();
    const vpc = newVpc(stack);
    const sgs = [1, 2].map((i) => new ec2.SecurityGroup(stack, `LbSg${i}`, { vpc, allowAllOutbound: false }));
    const existing = new elbv2.NetworkLoadBalancer(stack, 'Existing', { vpc, securityGroups: sgs });
    const nlb = new PrivateNetworkLoadBalancer(stack, 'Nlb', { vpc, loadBalancer: existing });
    const items = new PrivateEcsService(stack, 'Items', { vpc, image: IMAGE });
    nlb.addService(items, { port: 80 });
    const template = Template.fromStack(stack);
    expect(nlb.securityGroups).toEqual(sgs);
    for (const sg of sgs) {
      template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
        GroupId: stack.resolve(items.serviceSecurityGroup!.securityGroupId),
        SourceSecurityGroupId: stack.resolve(sg.securityGroupId),
        FromPort: 8080,
      });
    }
    template.resourceCountIs('AWS::ElasticLoadBalancingV2::LoadBalancer', 1);
  });

  describe('bad input', () => {
    test('GIVEN two services on one port THEN synth fails naming `port`', () => {
      const stack = newStack();
      const { items, orders, nlb } = sharedParts(stack);
      nlb.addService(items, { port: 8081 });
      expect(() => nlb.addService(orders, { port: 8081 })).toThrow(
        "`port` 8081 is already the listener of 'Parts/Items' on this load balancer: each service needs a port of its own.",
      );
    });

    test('GIVEN a service in another VPC THEN synth fails naming `service`', () => {
      const stack = newStack();
      const { nlb } = sharedParts(stack);
      const other = new PrivateEcsService(stack, 'Elsewhere', { vpc: newVpc(stack, 'Other'), image: IMAGE });
      expect(() => nlb.addService(other, { port: 80 })).toThrow(
        "`service` must run in the load balancer's VPC, got: 'Parts/Elsewhere' in another VPC.",
      );
    });

    test('GIVEN a VPC link V2 of another VPC THEN synth fails naming `vpcLink`', () => {
      const stack = newStack();
      const link = new PrivateVpcLinkV2(stack, 'Link', { vpc: newVpc(stack, 'Other') });
      expect(() => new PrivateNetworkLoadBalancer(stack, 'Nlb', { vpc: newVpc(stack), vpcLink: link })).toThrow(
        "`vpcLink` must reach into the load balancer's VPC, got: 'Parts/Link' in another VPC.",
      );
    });

    test('GIVEN an existing NLB of another VPC THEN synth fails naming `loadBalancer`', () => {
      const stack = newStack();
      const other = newVpc(stack, 'Other');
      const sg = new ec2.SecurityGroup(stack, 'Sg', { vpc: other });
      const existing = new elbv2.NetworkLoadBalancer(stack, 'Existing', { vpc: other, securityGroups: [sg] });
      expect(
        () => new PrivateNetworkLoadBalancer(stack, 'Nlb', { vpc: newVpc(stack), loadBalancer: existing }),
      ).toThrow("`loadBalancer` must be in `vpc`, got: 'Parts/Existing' in another VPC.");
    });

    test('GIVEN a V1 link THEN synth fails: a V1 link has one target', () => {
      const stack = newStack();
      const vpc = newVpc(stack);
      const other = new elbv2.NetworkLoadBalancer(stack, 'Other', { vpc });
      const link = new PrivateVpcLinkV1(stack, 'Link', { vpc, loadBalancer: other });
      expect(() => new PrivateNetworkLoadBalancer(stack, 'Nlb', { vpc, vpcLink: link })).toThrow(
        '`vpcLink` must be a VPC link V2: a V1 link has a single target, so the load balancer creates its own.',
      );
    });

    test('GIVEN an existing NLB without a security group THEN synth fails naming `loadBalancer`', () => {
      const stack = newStack();
      const vpc = newVpc(stack);
      const existing = new elbv2.NetworkLoadBalancer(stack, 'Existing', { vpc });
      expect(() => new PrivateNetworkLoadBalancer(stack, 'Nlb', { vpc, loadBalancer: existing })).toThrow(
        "`loadBalancer` must carry a security group (an NLB can't gain one after creation), got: a load balancer without security groups.",
      );
    });

    test('GIVEN an existing NLB and a name for a new one THEN synth fails naming `loadBalancerName`', () => {
      const stack = newStack();
      const vpc = newVpc(stack);
      const sg = new ec2.SecurityGroup(stack, 'Sg', { vpc });
      const existing = new elbv2.NetworkLoadBalancer(stack, 'Existing', { vpc, securityGroups: [sg] });
      expect(
        () => new PrivateNetworkLoadBalancer(stack, 'Nlb', { vpc, loadBalancer: existing, loadBalancerName: 'x' }),
      ).toThrow("`loadBalancerName` configures a new load balancer and can't be combined with `loadBalancer`.");
    });

    test('GIVEN a port out of range THEN synth fails naming `port`', () => {
      const stack = newStack();
      const { items, nlb } = sharedParts(stack);
      expect(() => nlb.addService(items, { port: 70000 })).toThrow(
        '`port` must be an integer from 1 to 65535, got: 70000.',
      );
    });
  });
});
