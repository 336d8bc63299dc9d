import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import {
  HubSpokeNetwork,
  HubSpokeNetworkProps,
  PrivateEcsService,
  PrivateNetworkLoadBalancer,
  ServiceCapacity,
  ServiceNetworkMode,
  SubnetPlacement,
  SubnetRole,
  SubnetTierType,
} from '../../src';
import { IMAGE, newStack, newVpc } from '../parts/fixtures';

/** A user's own two-AZ network: one app tier and a /28 transit tier per spoke. */
function ownNetwork(stack: Stack) {
  const props: HubSpokeNetworkProps = {
    availabilityZones: ['us-east-2a', 'us-east-2b'],
    flowLogs: false,
    spokes: [
      {
        name: 'apps',
        cidrBlock: '10.20.0.0/16',
        tiers: [
          { name: 'app', type: SubnetTierType.PRIVATE, cidrBlocks: ['10.20.0.0/20', '10.20.16.0/20'] },
          { name: 'tgw', type: SubnetTierType.TRANSIT, cidrBlocks: ['10.20.255.0/28', '10.20.255.16/28'] },
        ],
      },
    ],
  };
  return new HubSpokeNetwork(stack, 'Network', props);
}

/** The subnet IDs (resolved) of a tier. */
function tierIds(stack: Stack, network: HubSpokeNetwork, spoke: string, tier: string) {
  return network
    .spoke(spoke)
    .cfnSubnets(tier)
    .map((s) => stack.resolve(s.ref));
}

describe('SubnetPlacement', () => {
  describe('GIVEN the GTUC layout WHEN the parts use their defaults', () => {
    const stack = newStack();
    const network = new HubSpokeNetwork(stack, 'Network', HubSpokeNetwork.gtucLayout('us-east-2'));
    const vpc = network.vpc('ecs');
    const items = new PrivateEcsService(stack, 'Items', { vpc, image: IMAGE });
    const nlb = new PrivateNetworkLoadBalancer(stack, 'Nlb', { vpc });
    nlb.addService(items, { port: 80 });
    const template = Template.fromStack(stack);

    test('THEN the NLB gets exactly the three ecs-service subnets, one per AZ', () => {
      template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
        Subnets: tierIds(stack, network, 'ecs', 'ecs-service'),
      });
    });

    test('THEN the instances go to ecs-ec2 and the task interfaces to ecs-service, never to ecs-tgw', () => {
      template.hasResourceProperties('AWS::AutoScaling::AutoScalingGroup', {
        VPCZoneIdentifier: tierIds(stack, network, 'ecs', 'ecs-ec2'),
      });
      template.hasResourceProperties('AWS::ECS::Service', {
        NetworkConfiguration: {
          AwsvpcConfiguration: {
            AssignPublicIp: 'DISABLED',
            SecurityGroups: Match.anyValue(),
            Subnets: tierIds(stack, network, 'ecs', 'ecs-service'),
          },
        },
      });
    });
  });

  test("GIVEN a user's own HubSpokeNetwork without roles WHEN the parts use their defaults THEN everything lands in the app tier", () => {
    const stack = newStack();
    const network = ownNetwork(stack);
    const vpc = network.vpc('apps');
    const service = new PrivateEcsService(stack, 'Items', {
      vpc,
      image: IMAGE,
      networkMode: ServiceNetworkMode.BRIDGE,
    });
    new PrivateNetworkLoadBalancer(stack, 'Nlb', { vpc }).addService(service, { port: 80 });
    const template = Template.fromStack(stack);
    const app = tierIds(stack, network, 'apps', 'app');
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', { Subnets: app });
    template.hasResourceProperties('AWS::AutoScaling::AutoScalingGroup', { VPCZoneIdentifier: app });
  });

  test('GIVEN an ec2.Vpc with two private subnet groups WHEN placed by default THEN one group, one per AZ', () => {
    const stack = newStack();
    const vpc = new ec2.Vpc(stack, 'Vpc', {
      availabilityZones: ['us-east-2a', 'us-east-2b'],
      subnetConfiguration: [
        { name: 'Public', subnetType: ec2.SubnetType.PUBLIC },
        { name: 'App', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
        { name: 'Extra', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      ],
    });
    const subnets = SubnetPlacement.subnets(vpc, { role: SubnetRole.LOAD_BALANCER });
    expect(subnets).toEqual(vpc.selectSubnets({ subnetGroupName: 'App' }).subnets);
    // THEN the whole private type is refused for a load balancer: two subnets per AZ.
    expect(() =>
      SubnetPlacement.subnets(vpc, {
        role: SubnetRole.LOAD_BALANCER,
        vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
        propertyName: 'loadBalancerSubnets',
      }),
    ).toThrow(
      '`loadBalancerSubnets` must select one subnet per availability zone for a load balancer, got: 2 in us-east-2a (App (us-east-2a), Extra (us-east-2a)).',
    );
  });

  describe('bad input', () => {
    test('GIVEN transit subnets for the NLB THEN synth fails naming `vpcSubnets` and the subnets', () => {
      const stack = newStack();
      const network = ownNetwork(stack);
      expect(
        () =>
          new PrivateNetworkLoadBalancer(stack, 'Nlb', {
            vpc: network.vpc('apps'),
            vpcSubnets: network.spoke('apps').selectTier('tgw'),
          }),
      ).toThrow(
        '`vpcSubnets` must not select transit subnets (they hold the transit gateway attachment only) for a load balancer, got: tgw (us-east-2a), tgw (us-east-2b).',
      );
    });

    test('GIVEN transit subnets for the instances THEN synth fails naming `capacity.vpcSubnets`', () => {
      const stack = newStack();
      const network = ownNetwork(stack);
      expect(
        () =>
          new PrivateEcsService(stack, 'S', {
            vpc: network.vpc('apps'),
            image: IMAGE,
            capacity: ServiceCapacity.autoScalingGroup({ vpcSubnets: network.spoke('apps').selectTier('tgw') }),
          }),
      ).toThrow(
        '`capacity.vpcSubnets` must not select transit subnets (they hold the transit gateway attachment only) for container instances, got: tgw (us-east-2a), tgw (us-east-2b).',
      );
    });

    test('GIVEN transit subnets for the tasks THEN synth fails naming `taskSubnets`', () => {
      const stack = newStack();
      const network = ownNetwork(stack);
      expect(
        () =>
          new PrivateEcsService(stack, 'S', {
            vpc: network.vpc('apps'),
            image: IMAGE,
            capacity: ServiceCapacity.autoScalingGroup({ vpcSubnets: network.spoke('apps').selectTier('app') }),
            taskSubnets: network.spoke('apps').selectTier('tgw'),
          }),
      ).toThrow(
        '`taskSubnets` must not select transit subnets (they hold the transit gateway attachment only) for task network interfaces, got: tgw (us-east-2a), tgw (us-east-2b).',
      );
    });

    test('GIVEN public subnets for the NLB THEN synth fails unless allowPublicSubnets is set', () => {
      const stack = newStack();
      const vpc = newVpc(stack);
      expect(
        () => new PrivateNetworkLoadBalancer(stack, 'Nlb', { vpc, vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC } }),
      ).toThrow(
        '`vpcSubnets` must select private subnets for a load balancer (set `allowPublicSubnets` to use public ones), got: Public (us-east-2a), Public (us-east-2b), Public (us-east-2c).',
      );
      const nlb = new PrivateNetworkLoadBalancer(stack, 'Nlb2', {
        vpc,
        vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC },
        allowPublicSubnets: true,
      });
      nlb.addService(new PrivateEcsService(stack, 'S', { vpc, image: IMAGE }), { port: 80 });
      Template.fromStack(stack).hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
        Scheme: 'internal',
        Subnets: vpc.publicSubnets.map((s) => stack.resolve(s.subnetId)),
      });
    });

    test('GIVEN gtucLayout without a literal region THEN it fails naming `region`', () => {
      expect(() => HubSpokeNetwork.gtucLayout('useast2')).toThrow(
        "`region` must be a literal region name such as us-east-2 (the layout pins zone names), got: 'useast2'.",
      );
    });

    test('GIVEN the us-east-2 layout in a eu-west-1 stack THEN synth fails naming `availabilityZones`', () => {
      const stack = new Stack(new App(), 'Eu', { env: { account: '123456789012', region: 'eu-west-1' } });
      expect(() => new HubSpokeNetwork(stack, 'Network', HubSpokeNetwork.gtucLayout('us-east-2'))).toThrow(
        "`availabilityZones` must lie in the stack's region eu-west-1, got: 'us-east-2a', 'us-east-2b', 'us-east-2c'.",
      );
    });

    test('GIVEN the TRANSIT role on a private tier THEN synth fails naming the tier', () => {
      const stack = newStack();
      expect(
        () =>
          new HubSpokeNetwork(stack, 'Network', {
            availabilityZones: ['us-east-2a'],
            spokes: [
              {
                name: 'a',
                cidrBlock: '10.0.0.0/16',
                tiers: [
                  {
                    name: 'app',
                    type: SubnetTierType.PRIVATE,
                    cidrBlocks: ['10.0.0.0/24'],
                    roles: [SubnetRole.TRANSIT],
                  },
                  { name: 'tgw', type: SubnetTierType.TRANSIT, cidrBlocks: ['10.0.1.0/28'] },
                ],
              },
            ],
          }),
      ).toThrow(
        '`spokes[0].tiers[0].roles` may include TRANSIT only on a TRANSIT tier, got: [TRANSIT] on a PRIVATE tier.',
      );
    });
  });
});
