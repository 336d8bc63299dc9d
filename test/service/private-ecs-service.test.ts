import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { PrivateEcsService, ServiceCapacity, ServiceNetworkMode } from '../../src';
import { IMAGE, newStack, newVpc, sharedParts } from '../parts/fixtures';

describe('PrivateEcsService', () => {
  describe('GIVEN an awsvpc and a bridge service on one capacity WHEN synthesized', () => {
    const stack = newStack();
    const { vpc, items, orders } = sharedParts(stack);
    const template = Template.fromStack(stack);

    test('THEN they share one cluster, one Auto Scaling group and one capacity provider with termination protection', () => {
      template.resourceCountIs('AWS::ECS::Cluster', 1);
      template.resourceCountIs('AWS::AutoScaling::AutoScalingGroup', 1);
      template.hasResourceProperties('AWS::AutoScaling::AutoScalingGroup', {
        MinSize: '1',
        MaxSize: '2',
        VPCZoneIdentifier: vpc.privateSubnets.map((s) => stack.resolve(s.subnetId)),
        NewInstancesProtectedFromScaleIn: true,
      });
      template.hasResourceProperties('AWS::ECS::CapacityProvider', {
        AutoScalingGroupProvider: Match.objectLike({
          ManagedTerminationProtection: 'ENABLED',
          ManagedScaling: Match.objectLike({ Status: 'ENABLED', TargetCapacity: 100 }),
        }),
      });
      expect(items.cluster).toBe(orders.cluster);
    });

    test('THEN the awsvpc task definition maps the container port on itself, the bridge one on a dynamic host port', () => {
      template.hasResourceProperties('AWS::ECS::TaskDefinition', {
        NetworkMode: 'awsvpc',
        RequiresCompatibilities: ['EC2'],
        ContainerDefinitions: [
          Match.objectLike({ Name: 'app', PortMappings: [{ ContainerPort: 8080, HostPort: 8080, Protocol: 'tcp' }] }),
        ],
      });
      template.hasResourceProperties('AWS::ECS::TaskDefinition', {
        NetworkMode: 'bridge',
        ContainerDefinitions: [
          Match.objectLike({ Name: 'app', PortMappings: [{ ContainerPort: 8080, HostPort: 0, Protocol: 'tcp' }] }),
        ],
      });
    });

    test('THEN the awsvpc service runs in the private subnets with its own group, circuit breaker on, 2 tasks', () => {
      template.hasResourceProperties('AWS::ECS::Service', {
        DesiredCount: 2,
        DeploymentConfiguration: Match.objectLike({
          DeploymentCircuitBreaker: { Enable: true, Rollback: true },
          MinimumHealthyPercent: 50,
          MaximumPercent: 200,
        }),
        NetworkConfiguration: {
          AwsvpcConfiguration: {
            AssignPublicIp: 'DISABLED',
            SecurityGroups: [stack.resolve(items.serviceSecurityGroup!.securityGroupId)],
            Subnets: vpc.privateSubnets.map((s) => stack.resolve(s.subnetId)),
          },
        },
      });
    });

    test('THEN each is IConnectable: the tasks group (awsvpc), the instances group (bridge)', () => {
      expect(items.connections.securityGroups).toEqual([items.serviceSecurityGroup]);
      expect(orders.connections.securityGroups).toEqual([orders.instanceSecurityGroup]);
      expect(orders.serviceSecurityGroup).toBeUndefined();
      expect(items.service).toBeInstanceOf(ecs.BaseService);
      expect(items.service.node.path).toBe('Parts/Items/Resource');
    });
  });

  test('GIVEN managedTerminationProtection false WHEN synthesized THEN the capacity provider does not protect instances', () => {
    const stack = newStack();
    new PrivateEcsService(stack, 'Items', {
      vpc: newVpc(stack),
      image: IMAGE,
      capacity: ServiceCapacity.autoScalingGroup({ managedTerminationProtection: false }),
    });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::ECS::CapacityProvider', {
      AutoScalingGroupProvider: Match.objectLike({
        ManagedTerminationProtection: 'DISABLED',
        ManagedDraining: 'ENABLED',
      }),
    });
    template.hasResourceProperties('AWS::AutoScaling::AutoScalingGroup', {
      NewInstancesProtectedFromScaleIn: Match.absent(),
    });
  });

  test('GIVEN a task definition with a sidecar WHEN synthesized THEN the service uses it and targets the named container', () => {
    const stack = newStack();
    const taskDefinition = new ecs.Ec2TaskDefinition(stack, 'Task', { networkMode: ecs.NetworkMode.AWS_VPC });
    taskDefinition.addContainer('web', { image: IMAGE, memoryLimitMiB: 256, portMappings: [{ containerPort: 80 }] });
    taskDefinition.addContainer('sidecar', { image: IMAGE, memoryLimitMiB: 128 });
    const service = new PrivateEcsService(stack, 'Items', {
      vpc: newVpc(stack),
      taskDefinition,
      containerName: 'web',
      containerPort: 80,
    });
    expect(service.taskDefinition).toBe(taskDefinition);
    expect(service.container.containerName).toBe('web');
    expect(service.logGroup).toBeUndefined();
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::ECS::TaskDefinition', 1);
    template.hasResourceProperties('AWS::ECS::TaskDefinition', {
      ContainerDefinitions: [Match.objectLike({ Name: 'web' }), Match.objectLike({ Name: 'sidecar' })],
    });
  });

  test('GIVEN an existing cluster WHEN bridge mode with its instances group THEN no cluster is created', () => {
    const stack = newStack();
    const vpc = newVpc(stack);
    const cluster = ecs.Cluster.fromClusterAttributes(stack, 'Existing', {
      clusterName: 'shared',
      vpc,
      securityGroups: [],
      hasEc2Capacity: true,
    });
    const sg = new ec2.SecurityGroup(stack, 'InstancesSg', { vpc });
    const service = new PrivateEcsService(stack, 'Items', {
      vpc,
      image: IMAGE,
      networkMode: ServiceNetworkMode.BRIDGE,
      capacity: ServiceCapacity.fromCluster(cluster, { instanceSecurityGroup: sg }),
    });
    expect(service.cluster).toBe(cluster);
    expect(service.connections.securityGroups).toEqual([sg]);
    Template.fromStack(stack).resourceCountIs('AWS::AutoScaling::AutoScalingGroup', 0);
  });

  describe('bad input', () => {
    test('GIVEN image and taskDefinition THEN synth fails', () => {
      const stack = newStack();
      const taskDefinition = new ecs.Ec2TaskDefinition(stack, 'Task');
      expect(() => new PrivateEcsService(stack, 'S', { vpc: newVpc(stack), image: IMAGE, taskDefinition })).toThrow(
        'Set either `image` or `taskDefinition`, not both: `image` creates a task definition.',
      );
    });

    test('GIVEN neither image nor taskDefinition THEN synth fails', () => {
      const stack = newStack();
      expect(() => new PrivateEcsService(stack, 'S', { vpc: newVpc(stack) })).toThrow(
        '`image` or `taskDefinition` is required, got: neither.',
      );
    });

    test('GIVEN taskDefinition and cpu THEN synth fails naming `cpu`', () => {
      const stack = newStack();
      const taskDefinition = new ecs.Ec2TaskDefinition(stack, 'Task');
      expect(() => new PrivateEcsService(stack, 'S', { vpc: newVpc(stack), taskDefinition, cpu: 512 })).toThrow(
        "`cpu` configures the container created from `image` and can't be combined with `taskDefinition`.",
      );
    });

    test('GIVEN a bridge task definition for an awsvpc service THEN synth fails naming `taskDefinition`', () => {
      const stack = newStack();
      const taskDefinition = new ecs.Ec2TaskDefinition(stack, 'Task', { networkMode: ecs.NetworkMode.BRIDGE });
      taskDefinition.addContainer('web', {
        image: IMAGE,
        memoryLimitMiB: 256,
        portMappings: [{ containerPort: 8080 }],
      });
      expect(() => new PrivateEcsService(stack, 'S', { vpc: newVpc(stack), taskDefinition })).toThrow(
        '`taskDefinition` must use the network mode of `networkMode` (awsvpc), got: bridge.',
      );
    });

    test('GIVEN a container port the task definition does not map THEN synth fails naming `containerPort`', () => {
      const stack = newStack();
      const taskDefinition = new ecs.Ec2TaskDefinition(stack, 'Task', { networkMode: ecs.NetworkMode.AWS_VPC });
      taskDefinition.addContainer('web', { image: IMAGE, memoryLimitMiB: 256, portMappings: [{ containerPort: 80 }] });
      expect(() => new PrivateEcsService(stack, 'S', { vpc: newVpc(stack), taskDefinition })).toThrow(
        "`containerPort` must be mapped by container 'web' of `taskDefinition`, got: 8080.",
      );
    });

    test('GIVEN an existing cluster in bridge mode without its instances group THEN synth fails', () => {
      const stack = newStack();
      const vpc = newVpc(stack);
      const cluster = new ecs.Cluster(stack, 'Existing', { vpc });
      expect(
        () =>
          new PrivateEcsService(stack, 'S', {
            vpc,
            image: IMAGE,
            networkMode: ServiceNetworkMode.BRIDGE,
            capacity: ServiceCapacity.fromCluster(cluster),
          }),
      ).toThrow(
        '`instanceSecurityGroup` is required with `ServiceCapacity.fromCluster()` in BRIDGE mode: the load balancer must reach the dynamic host ports (32768-65535) of the container instances.',
      );
    });

    test('GIVEN one capacity for services in two VPCs THEN synth fails naming `capacity`', () => {
      const stack = newStack();
      const capacity = ServiceCapacity.autoScalingGroup();
      new PrivateEcsService(stack, 'A', { vpc: newVpc(stack, 'VpcA'), image: IMAGE, capacity });
      expect(() => new PrivateEcsService(stack, 'B', { vpc: newVpc(stack, 'VpcB'), image: IMAGE, capacity })).toThrow(
        '`capacity` is already the capacity of a service in another VPC: a cluster and its instances live in one VPC.',
      );
    });

    test('GIVEN request-rate scaling on the compute part THEN synth fails naming the prop', () => {
      const stack = newStack();
      expect(
        () =>
          new PrivateEcsService(stack, 'S', {
            vpc: newVpc(stack),
            image: IMAGE,
            autoScaling: { maxCapacity: 4, targetRequestsPerTaskPerMinute: 100 },
          }),
      ).toThrow(
        '`autoScaling.targetRequestsPerTaskPerMinute` needs the front door: add a `RequestRateScaling` with the API (or use `PrivateLinkEcsService`).',
      );
    });

    test('GIVEN capacity minCapacity above maxCapacity THEN the factory fails naming both', () => {
      expect(() => ServiceCapacity.autoScalingGroup({ minCapacity: 5, maxCapacity: 2 })).toThrow(
        '`capacity.minCapacity` (5) must not exceed `capacity.maxCapacity` (2), and the maximum must be at least 1.',
      );
    });
  });
});
