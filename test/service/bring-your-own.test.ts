import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { AZS, getAtt, IMAGE, ingressRules, logicalId, methodsOf, newStack, newVpc, ref, resourcesOf } from './fixtures';
import { GeoWebAcl, PrivateLinkEcsService, ServiceNetworkMode } from '../../src';

const WEB_ACL_ARN = 'arn:aws:wafv2:us-east-2:123456789012:regional/webacl/items/a1b2c3d4-5678-90ab-cdef-EXAMPLE11111';

describe('PrivateLinkEcsService with existing resources', () => {
  test('GIVEN an imported VPC WHEN synthesized THEN tasks, instances, NLB and security groups use its subnets and id', () => {
    // GIVEN
    const { stack } = newStack();
    const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', {
      vpcId: 'vpc-0123456789abcdef0',
      availabilityZones: AZS,
      privateSubnetIds: ['subnet-00000000000000001', 'subnet-00000000000000002', 'subnet-00000000000000003'],
      publicSubnetIds: ['subnet-0000000000000000a', 'subnet-0000000000000000b', 'subnet-0000000000000000c'],
    });
    // WHEN
    const service = new PrivateLinkEcsService(stack, 'Items', { vpc, image: IMAGE });
    const template = Template.fromStack(stack);
    // THEN
    const privateIds = ['subnet-00000000000000001', 'subnet-00000000000000002', 'subnet-00000000000000003'];
    template.hasResourceProperties('AWS::ECS::Service', {
      NetworkConfiguration: {
        AwsvpcConfiguration: {
          AssignPublicIp: 'DISABLED',
          SecurityGroups: [getAtt(service.serviceSecurityGroup!, 'GroupId')],
          Subnets: privateIds,
        },
      },
    });
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', { Subnets: privateIds });
    template.hasResourceProperties('AWS::AutoScaling::AutoScalingGroup', { VPCZoneIdentifier: privateIds });
    for (const [, sg] of resourcesOf(template, 'AWS::EC2::SecurityGroup')) {
      expect(sg.VpcId).toBe('vpc-0123456789abcdef0');
    }
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', {
      VpcId: 'vpc-0123456789abcdef0',
      TargetType: 'ip',
    });
  });

  test('GIVEN an existing cluster with its instance security group in BRIDGE mode WHEN synthesized THEN the dynamic range opens on that group and no cluster is created', () => {
    // GIVEN
    const { stack } = newStack();
    const vpc = newVpc(stack);
    const cluster = ecs.Cluster.fromClusterAttributes(stack, 'Cluster', {
      clusterName: 'items-ecs-cluster',
      vpc,
      securityGroups: [],
    });
    const instanceSecurityGroup = ec2.SecurityGroup.fromSecurityGroupId(stack, 'InstanceSg', 'sg-0aaaaaaaaaaaaaaaa');
    // WHEN
    const service = new PrivateLinkEcsService(stack, 'Items', {
      vpc,
      image: IMAGE,
      networkMode: ServiceNetworkMode.BRIDGE,
      cluster,
      instanceSecurityGroup,
      capacityProviderStrategies: [{ capacityProvider: 'items-capacity', weight: 1, base: 1 }],
    });
    const template = Template.fromStack(stack);
    // THEN
    expect(ingressRules(template)).toEqual([
      {
        GroupId: 'sg-0aaaaaaaaaaaaaaaa',
        SourceSecurityGroupId: getAtt(service.loadBalancerSecurityGroup, 'GroupId'),
        IpProtocol: 'tcp',
        FromPort: 32768,
        ToPort: 65535,
        Description: 'Load balancer to the dynamic host ports of bridge-mode tasks',
      },
    ]);
    expect(
      template.toJSON().Resources[logicalId(service.loadBalancerSecurityGroup)].Properties.SecurityGroupEgress,
    ).toEqual([
      {
        DestinationSecurityGroupId: 'sg-0aaaaaaaaaaaaaaaa',
        IpProtocol: 'tcp',
        FromPort: 32768,
        ToPort: 65535,
        Description: 'Load balancer to the dynamic host ports of bridge-mode tasks',
      },
    ]);
    template.hasResourceProperties('AWS::ECS::Service', {
      Cluster: 'items-ecs-cluster',
      CapacityProviderStrategy: [{ CapacityProvider: 'items-capacity', Weight: 1, Base: 1 }],
      NetworkConfiguration: Match.absent(),
    });
    for (const type of [
      'AWS::ECS::Cluster',
      'AWS::ECS::CapacityProvider',
      'AWS::AutoScaling::AutoScalingGroup',
      'AWS::EC2::LaunchTemplate',
    ]) {
      template.resourceCountIs(type, 0);
    }
    expect(service.instanceSecurityGroup).toBe(instanceSecurityGroup);
    expect(service.autoScalingGroup).toBeUndefined();
  });

  test('GIVEN an existing cluster in AWS_VPC mode without strategies WHEN synthesized THEN the service uses the EC2 launch type', () => {
    // GIVEN
    const { stack } = newStack();
    const vpc = newVpc(stack);
    const cluster = ecs.Cluster.fromClusterAttributes(stack, 'Cluster', { clusterName: 'items', vpc });
    // WHEN
    const service = new PrivateLinkEcsService(stack, 'Items', { vpc, image: IMAGE, cluster });
    const template = Template.fromStack(stack);
    // THEN
    template.hasResourceProperties('AWS::ECS::Service', {
      Cluster: 'items',
      LaunchType: 'EC2',
      CapacityProviderStrategy: Match.absent(),
      NetworkConfiguration: {
        AwsvpcConfiguration: Match.objectLike({ SecurityGroups: [getAtt(service.serviceSecurityGroup!, 'GroupId')] }),
      },
    });
    template.resourceCountIs('AWS::ECS::Cluster', 0);
    expect(ingressRules(template)).toEqual([
      expect.objectContaining({
        GroupId: getAtt(service.serviceSecurityGroup!, 'GroupId'),
        SourceSecurityGroupId: getAtt(service.loadBalancerSecurityGroup, 'GroupId'),
        FromPort: 8080,
        ToPort: 8080,
      }),
    ]);
  });

  test('GIVEN an NLB created outside with a security group WHEN synthesized THEN the construct adds its listener and rules to it', () => {
    // GIVEN
    const { stack } = newStack();
    const vpc = newVpc(stack);
    const nlbSg = new ec2.SecurityGroup(stack, 'NlbSg', { vpc, allowAllOutbound: false });
    const loadBalancer = new elbv2.NetworkLoadBalancer(stack, 'Nlb', {
      vpc,
      internetFacing: false,
      securityGroups: [nlbSg],
    });
    // WHEN
    const service = new PrivateLinkEcsService(stack, 'Items', { vpc, image: IMAGE, loadBalancer });
    const template = Template.fromStack(stack);
    // THEN
    template.resourceCountIs('AWS::ElasticLoadBalancingV2::LoadBalancer', 1);
    expect(service.loadBalancerSecurityGroup).toBe(nlbSg);
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      LoadBalancerArn: ref(loadBalancer),
      Port: 80,
      Protocol: 'TCP',
    });
    template.hasResourceProperties('AWS::ApiGateway::VpcLink', { TargetArns: [ref(loadBalancer)] });
    expect(ingressRules(template)).toEqual([
      expect.objectContaining({
        GroupId: getAtt(service.serviceSecurityGroup!, 'GroupId'),
        SourceSecurityGroupId: getAtt(nlbSg, 'GroupId'),
        FromPort: 8080,
        ToPort: 8080,
      }),
    ]);
    // The caller's group gets its egress rule inline (never EC2's implicit allow-all).
    expect(template.toJSON().Resources[logicalId(nlbSg)].Properties.SecurityGroupEgress).toEqual([
      expect.objectContaining({
        DestinationSecurityGroupId: getAtt(service.serviceSecurityGroup!, 'GroupId'),
        FromPort: 8080,
        ToPort: 8080,
      }),
    ]);
    // Only the caller's group and the tasks' group: the construct created no NLB security group.
    expect(
      resourcesOf(template, 'AWS::EC2::SecurityGroup')
        .map(([id]) => id)
        .sort(),
    ).toEqual(
      [logicalId(nlbSg), logicalId(service.serviceSecurityGroup!), logicalId(service.instanceSecurityGroup!)].sort(),
    );
  });

  test('GIVEN an imported NLB with a security group WHEN synthesized THEN the VPC link and the integrations target it', () => {
    // GIVEN
    const { stack } = newStack();
    const vpc = newVpc(stack);
    const arn = 'arn:aws:elasticloadbalancing:us-east-2:123456789012:loadbalancer/net/items-nlb/0123456789abcdef';
    const loadBalancer = elbv2.NetworkLoadBalancer.fromNetworkLoadBalancerAttributes(stack, 'Nlb', {
      loadBalancerArn: arn,
      loadBalancerDnsName: 'items-nlb-0123456789abcdef.elb.us-east-2.amazonaws.com',
      loadBalancerSecurityGroups: ['sg-0bbbbbbbbbbbbbbbb'],
      vpc,
    });
    // WHEN
    const service = new PrivateLinkEcsService(stack, 'Items', { vpc, image: IMAGE, loadBalancer });
    const template = Template.fromStack(stack);
    // THEN
    template.resourceCountIs('AWS::ElasticLoadBalancingV2::LoadBalancer', 0);
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', { LoadBalancerArn: arn, Port: 80 });
    template.hasResourceProperties('AWS::ApiGateway::VpcLink', { TargetArns: [arn] });
    for (const method of methodsOf(template)) {
      expect(method.Integration.Uri).toMatch(
        /^http:\/\/items-nlb-0123456789abcdef\.elb\.us-east-2\.amazonaws\.com:80\/(\{proxy\})?$/,
      );
    }
    expect(ingressRules(template)).toEqual([
      {
        GroupId: getAtt(service.serviceSecurityGroup!, 'GroupId'),
        SourceSecurityGroupId: 'sg-0bbbbbbbbbbbbbbbb',
        IpProtocol: 'tcp',
        FromPort: 8080,
        ToPort: 8080,
        Description: 'Load balancer to the container port (traffic and health checks)',
      },
    ]);
  });

  test('GIVEN an existing web ACL ARN WHEN synthesized THEN the stage is associated with it and no web ACL is created', () => {
    // GIVEN
    const { stack } = newStack();
    // WHEN
    const service = new PrivateLinkEcsService(stack, 'Items', {
      vpc: newVpc(stack),
      image: IMAGE,
      webAclArn: WEB_ACL_ARN,
    });
    const template = Template.fromStack(stack);
    // THEN
    template.resourceCountIs('AWS::WAFv2::WebACL', 0);
    template.resourceCountIs('AWS::WAFv2::LoggingConfiguration', 0);
    template.hasResource('AWS::WAFv2::WebACLAssociation', {
      Properties: {
        WebACLArn: WEB_ACL_ARN,
        ResourceArn: {
          'Fn::Join': [
            '',
            [
              'arn:',
              { Ref: 'AWS::Partition' },
              ':apigateway:us-east-2::/restapis/',
              ref(service.api),
              '/stages/',
              ref(service.stage),
            ],
          ],
        },
      },
      DependsOn: [logicalId(service.stage)],
    });
    expect(service.webAcl).toBeUndefined();
  });

  describe('GIVEN a facade whose web ACL a second facade reuses WHEN synthesized', () => {
    const { stack } = newStack();
    const vpc = newVpc(stack);
    const items = new PrivateLinkEcsService(stack, 'Items', {
      vpc,
      image: IMAGE,
      webAcl: { blockedCountries: ['NG'] },
    });
    const orders = new PrivateLinkEcsService(stack, 'Orders', {
      vpc,
      image: IMAGE,
      existingWebAcl: items.webAcl,
      cloudWatchRole: false,
      monitoring: { alarmNamePrefix: 'orders' },
    });
    const template = Template.fromStack(stack);

    test('THEN there is one web ACL and one logging configuration', () => {
      template.resourceCountIs('AWS::WAFv2::WebACL', 1);
      template.resourceCountIs('AWS::WAFv2::LoggingConfiguration', 1);
      expect(orders.webAcl).toBe(items.webAcl);
    });

    test("THEN the second facade's stage is associated with the shared web ACL", () => {
      template.resourceCountIs('AWS::WAFv2::WebACLAssociation', 2);
      template.hasResource('AWS::WAFv2::WebACLAssociation', {
        Properties: {
          WebACLArn: getAtt(items.webAcl!.webAcl, 'Arn'),
          ResourceArn: {
            'Fn::Join': [
              '',
              [
                'arn:',
                { Ref: 'AWS::Partition' },
                ':apigateway:us-east-2::/restapis/',
                ref(orders.api),
                '/stages/',
                ref(orders.stage),
              ],
            ],
          },
        },
        DependsOn: [logicalId(orders.stage)],
      });
      expect(stack.resolve(orders.webAclAssociation!.webAclArn)).toEqual(getAtt(items.webAcl!.webAcl, 'Arn'));
    });

    test('THEN the WAF alarms exist once, in the monitoring of the facade that created the web ACL', () => {
      const wafAlarms = Object.values(template.findResources('AWS::CloudWatch::Alarm'))
        .map((alarm) => JSON.stringify(alarm.Properties.AlarmName))
        .filter((name) => name.includes('waf-'));
      expect(wafAlarms.length).toBeGreaterThan(0);
      expect(wafAlarms.filter((name) => name.includes('orders'))).toEqual([]);
      expect(orders.monitoring!.webAclMonitoring).toBeUndefined();
      expect(items.monitoring!.webAclMonitoring).toBeDefined();
    });
  });

  test('GIVEN a GeoWebAcl of its own WHEN passed as existingWebAcl THEN the facade creates no web ACL and associates it', () => {
    // GIVEN
    const { stack } = newStack();
    const acl = new GeoWebAcl(stack, 'SharedAcl', { blockedCountries: ['NG'] });
    // WHEN
    const service = new PrivateLinkEcsService(stack, 'Items', {
      vpc: newVpc(stack),
      image: IMAGE,
      existingWebAcl: acl,
    });
    const template = Template.fromStack(stack);
    // THEN
    template.resourceCountIs('AWS::WAFv2::WebACL', 1);
    template.resourceCountIs('AWS::WAFv2::LoggingConfiguration', 1);
    template.resourceCountIs('AWS::WAFv2::WebACLAssociation', 1);
    template.hasResourceProperties('AWS::WAFv2::WebACLAssociation', {
      WebACLArn: getAtt(acl.webAcl, 'Arn'),
      ResourceArn: {
        'Fn::Join': [
          '',
          [
            'arn:',
            { Ref: 'AWS::Partition' },
            ':apigateway:us-east-2::/restapis/',
            ref(service.api),
            '/stages/',
            ref(service.stage),
          ],
        ],
      },
    });
    expect(service.webAcl).toBe(acl);
    expect(service.node.tryFindChild('WebAcl')).toBeUndefined();
    Annotations.fromStack(stack).hasNoWarning('*', Match.stringLikeRegexp('@gtuc/cdk-privatelink-ecs:noWebAcl'));
  });

  test('GIVEN enableWebAcl false WHEN synthesized THEN there is no web ACL and a noWebAcl warning', () => {
    // GIVEN
    const { stack } = newStack();
    // WHEN
    new PrivateLinkEcsService(stack, 'Items', { vpc: newVpc(stack), image: IMAGE, enableWebAcl: false });
    // THEN
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::WAFv2::WebACL', 0);
    template.resourceCountIs('AWS::WAFv2::WebACLAssociation', 0);
    Annotations.fromStack(stack).hasWarning('/Service/Items/Api', Match.stringLikeRegexp('no web ACL'));
    Annotations.fromStack(stack).hasWarning('*', Match.stringLikeRegexp('@gtuc/cdk-privatelink-ecs:noWebAcl'));
  });

  test('GIVEN the default web ACL WHEN synthesized THEN there is no noWebAcl warning', () => {
    // GIVEN
    const { stack } = newStack();
    // WHEN
    new PrivateLinkEcsService(stack, 'Items', { vpc: newVpc(stack), image: IMAGE });
    // THEN
    Annotations.fromStack(stack).hasNoWarning('*', Match.stringLikeRegexp('no web ACL'));
  });
});
