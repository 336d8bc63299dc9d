import * as path from 'path';
import { Size, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecr_assets from 'aws-cdk-lib/aws-ecr-assets';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { PrivateEcsService, PrivateEcsServiceProps, ServiceCapacity, ServiceNetworkMode } from '../../src';
import { IMAGE, newStack, newVpc } from '../parts/fixtures';

function service(stack: Stack, props: Partial<PrivateEcsServiceProps> = {}, id = 'Billing') {
  const vpc = (props.vpc as ec2.Vpc) ?? (stack.node.tryFindChild('Vpc') as ec2.Vpc) ?? newVpc(stack);
  return new PrivateEcsService(stack, id, { vpc, image: IMAGE, containerPort: 8080, ...props });
}

const ASSET_DIR = path.join(__dirname, 'docker-context');

describe('ServiceCapacity', () => {
  describe('GIVEN ServiceCapacity.fargate() WHEN a service uses it', () => {
    const stack = newStack();
    const billing = service(stack, { capacity: ServiceCapacity.fargate() });
    const template = Template.fromStack(stack);

    test('THEN the cluster has the Fargate capacity providers and the service uses FARGATE, no launch type', () => {
      template.hasResourceProperties('AWS::ECS::ClusterCapacityProviderAssociations', {
        CapacityProviders: ['FARGATE', 'FARGATE_SPOT'],
      });
      template.hasResourceProperties('AWS::ECS::Service', {
        CapacityProviderStrategy: [{ CapacityProvider: 'FARGATE', Weight: 1 }],
        LaunchType: Match.absent(),
        PlacementStrategies: Match.absent(),
      });
    });

    test('THEN the task definition is Fargate with an x86_64 Linux runtime platform and task-level CPU and memory', () => {
      template.hasResourceProperties('AWS::ECS::TaskDefinition', {
        RequiresCompatibilities: ['FARGATE'],
        NetworkMode: 'awsvpc',
        Cpu: '256',
        Memory: '512',
        RuntimePlatform: { OperatingSystemFamily: 'LINUX', CpuArchitecture: 'X86_64' },
      });
    });

    test('THEN the tasks sit in the private subnets with their own security group and no public IP', () => {
      const vpc = stack.node.findChild('Vpc') as ec2.Vpc;
      template.hasResourceProperties('AWS::ECS::Service', {
        NetworkConfiguration: {
          AwsvpcConfiguration: {
            AssignPublicIp: 'DISABLED',
            SecurityGroups: [stack.resolve(billing.serviceSecurityGroup!.securityGroupId)],
            Subnets: vpc.privateSubnets.map((s) => stack.resolve(s.subnetId)),
          },
        },
      });
      expect(billing.service).toBeInstanceOf(ecs.FargateService);
      expect(billing.capacity.compatibility).toBe(ecs.Compatibility.FARGATE);
    });
  });

  describe('GIVEN other Fargate options', () => {
    test('THEN the strategy keeps 1 task on FARGATE and weights the rest to FARGATE_SPOT', () => {
      const stack = newStack();
      service(stack, { capacity: ServiceCapacity.fargate({ spot: true, onDemandBase: 1 }) });
      Template.fromStack(stack).hasResourceProperties('AWS::ECS::Service', {
        CapacityProviderStrategy: [
          { CapacityProvider: 'FARGATE', Base: 1, Weight: 0 },
          { CapacityProvider: 'FARGATE_SPOT', Weight: 1 },
        ],
      });
    });

    test('THEN Graviton Fargate sets the ARM64 runtime platform', () => {
      const stack = newStack();
      service(stack, {
        capacity: ServiceCapacity.fargate({ cpuArchitecture: ecs.CpuArchitecture.ARM64 }),
        imagePlatform: ecr_assets.Platform.LINUX_ARM64,
        cpu: 512,
        memoryLimitMiB: 1024,
      });
      Template.fromStack(stack).hasResourceProperties('AWS::ECS::TaskDefinition', {
        Cpu: '512',
        Memory: '1024',
        RuntimePlatform: { OperatingSystemFamily: 'LINUX', CpuArchitecture: 'ARM64' },
      });
    });
  });

  describe('GIVEN ServiceCapacity.managedInstances() on Graviton WHEN a service uses it', () => {
    const stack = newStack();
    const capacity = ServiceCapacity.managedInstances({
      cpuArchitecture: ecs.CpuArchitecture.ARM64,
      vCpuCountMin: 2,
      memoryMin: Size.gibibytes(4),
      allowedInstanceTypes: ['m7g.*', 'c7g.*'],
    });
    const billing = service(stack, { capacity });
    const template = Template.fromStack(stack);
    const vpc = stack.node.findChild('Vpc') as ec2.Vpc;

    test('THEN a Managed Instances capacity provider chooses Graviton instances in the private subnets', () => {
      template.hasResourceProperties('AWS::ECS::CapacityProvider', {
        ManagedInstancesProvider: {
          InstanceLaunchTemplate: Match.objectLike({
            CapacityOptionType: 'ON_DEMAND',
            NetworkConfiguration: {
              Subnets: vpc.privateSubnets.map((s) => stack.resolve(s.subnetId)),
              SecurityGroups: [stack.resolve(billing.instanceSecurityGroup!.securityGroupId)],
            },
            InstanceRequirements: Match.objectLike({
              VCpuCount: { Min: 2 },
              MemoryMiB: { Min: 4096 },
              CpuManufacturers: ['amazon-web-services'],
              InstanceGenerations: ['current'],
              AllowedInstanceTypes: ['m7g.*', 'c7g.*'],
            }),
          }),
        },
      });
    });

    test('THEN the service runs through a Fargate-style service on the capacity provider, the task definition is MANAGED_INSTANCES arm64', () => {
      expect(billing.service).toBeInstanceOf(ecs.FargateService);
      template.hasResourceProperties('AWS::ECS::Service', {
        CapacityProviderStrategy: [{ CapacityProvider: stack.resolve(capacityProviderName(billing)), Weight: 1 }],
        LaunchType: Match.absent(),
        NetworkConfiguration: {
          AwsvpcConfiguration: Match.objectLike({
            SecurityGroups: [stack.resolve(billing.serviceSecurityGroup!.securityGroupId)],
          }),
        },
      });
      template.hasResourceProperties('AWS::ECS::TaskDefinition', {
        RequiresCompatibilities: ['MANAGED_INSTANCES'],
        NetworkMode: 'awsvpc',
        Cpu: '256',
        Memory: '512',
        RuntimePlatform: { OperatingSystemFamily: 'LINUX', CpuArchitecture: 'ARM64' },
      });
    });
  });

  describe('GIVEN ServiceCapacity.autoScalingGroup() on Graviton', () => {
    test('THEN cpuArchitecture ARM64 picks the ECS-optimized AL2023 arm64 AMI and t4g.medium', () => {
      const stack = newStack();
      const billing = service(stack, {
        capacity: ServiceCapacity.autoScalingGroup({ cpuArchitecture: ecs.CpuArchitecture.ARM64 }),
      });
      const template = Template.fromStack(stack);
      template.hasResourceProperties('AWS::EC2::LaunchTemplate', {
        LaunchTemplateData: Match.objectLike({
          InstanceType: 't4g.medium',
          ImageId: { Ref: Match.stringLikeRegexp('SsmParameterValueawsserviceecsoptimizedamiamazonlinux2023arm64') },
        }),
      });
      expect(billing.capacity.cpuArchitecture).toBe(ecs.CpuArchitecture.ARM64);
    });

    test('THEN a Graviton instance type alone implies ARM64', () => {
      const stack = newStack();
      const billing = service(stack, {
        capacity: ServiceCapacity.autoScalingGroup({
          instanceType: ec2.InstanceType.of(ec2.InstanceClass.M7G, ec2.InstanceSize.LARGE),
        }),
      });
      expect(billing.capacity.cpuArchitecture).toBe(ecs.CpuArchitecture.ARM64);
    });
  });

  describe('GIVEN an asset image', () => {
    test('THEN its platform is read and checked against the capacity', () => {
      const stack = newStack();
      expect(() =>
        service(stack, {
          capacity: ServiceCapacity.fargate(),
          image: ecs.ContainerImage.fromAsset(ASSET_DIR, { platform: ecr_assets.Platform.LINUX_ARM64 }),
        }),
      ).toThrow(
        "`imagePlatform` linux/arm64 doesn't run on the X86_64 `capacity` (`capacity.cpuArchitecture` X86_64): build the image for linux/amd64 (`Platform.LINUX_AMD64`) or choose ARM64 capacity.",
      );
    });

    test('THEN an asset without a platform gets a warning naming the platform to pass', () => {
      const stack = newStack();
      service(stack, {
        capacity: ServiceCapacity.fargate({ cpuArchitecture: ecs.CpuArchitecture.ARM64 }),
        image: ecs.ContainerImage.fromAsset(ASSET_DIR),
      });
      Annotations.fromStack(stack).hasWarning(
        '/Parts/Billing',
        "The image asset has no `platform`: Docker builds it for the build machine's architecture, which must be ARM64. Pass `platform: Platform.LINUX_ARM64` to `ContainerImage.fromAsset`. [ack: @gtuc/cdk-privatelink-ecs:imagePlatform]",
      );
    });
  });

  describe('GIVEN bad input', () => {
    test('THEN bridge mode with Fargate fails naming both props', () => {
      const stack = newStack();
      expect(() =>
        service(stack, { capacity: ServiceCapacity.fargate(), networkMode: ServiceNetworkMode.BRIDGE }),
      ).toThrow(
        '`networkMode` BRIDGE is not supported by `capacity` ServiceCapacity.fargate(): its tasks run in AWS_VPC mode only (bridge mode needs `ServiceCapacity.autoScalingGroup()` or `ServiceCapacity.fromCluster()`).',
      );
    });

    test('THEN bridge mode with Managed Instances fails naming both props', () => {
      const stack = newStack();
      expect(() =>
        service(stack, { capacity: ServiceCapacity.managedInstances(), networkMode: ServiceNetworkMode.BRIDGE }),
      ).toThrow(
        '`networkMode` BRIDGE is not supported by `capacity` ServiceCapacity.managedInstances(): its tasks run in AWS_VPC mode only (bridge mode needs `ServiceCapacity.autoScalingGroup()` or `ServiceCapacity.fromCluster()`).',
      );
    });

    test('THEN an arm64 image platform on x86 EC2 capacity fails naming both props', () => {
      const stack = newStack();
      expect(() =>
        service(stack, {
          capacity: ServiceCapacity.autoScalingGroup(),
          imagePlatform: ecr_assets.Platform.LINUX_ARM64,
        }),
      ).toThrow(
        "`imagePlatform` linux/arm64 doesn't run on the X86_64 `capacity` (`capacity.cpuArchitecture` X86_64): build the image for linux/amd64 (`Platform.LINUX_AMD64`) or choose ARM64 capacity.",
      );
    });

    test('THEN an amd64 image platform on Graviton Managed Instances fails', () => {
      const stack = newStack();
      expect(() =>
        service(stack, {
          capacity: ServiceCapacity.managedInstances({ cpuArchitecture: ecs.CpuArchitecture.ARM64 }),
          imagePlatform: ecr_assets.Platform.LINUX_AMD64,
        }),
      ).toThrow(
        "`imagePlatform` linux/amd64 doesn't run on the ARM64 `capacity` (`capacity.cpuArchitecture` ARM64): build the image for linux/arm64 (`Platform.LINUX_ARM64`) or choose X86_64 capacity.",
      );
    });

    test('THEN an x86 instance type with ARM64 fails naming both props', () => {
      expect(() =>
        ServiceCapacity.autoScalingGroup({
          cpuArchitecture: ecs.CpuArchitecture.ARM64,
          instanceType: ec2.InstanceType.of(ec2.InstanceClass.T3, ec2.InstanceSize.MEDIUM),
        }),
      ).toThrow(
        '`capacity.instanceType` t3.medium is a X86_64 type, but `capacity.cpuArchitecture` is ARM64: choose a Graviton (e.g. t4g, m7g, c7g) instance type.',
      );
    });

    test('THEN an x86 instance family for Graviton Managed Instances fails', () => {
      expect(() =>
        ServiceCapacity.managedInstances({
          cpuArchitecture: ecs.CpuArchitecture.ARM64,
          allowedInstanceTypes: ['m7i.*'],
        }),
      ).toThrow(
        "`capacity.allowedInstanceTypes` entry 'm7i.*' is an x86_64 family, but `capacity.cpuArchitecture` is ARM64.",
      );
    });

    test('THEN Fargate Spot on ARM64, onDemandBase without Spot and a bad vCPU range fail', () => {
      expect(() => ServiceCapacity.fargate({ spot: true, cpuArchitecture: ecs.CpuArchitecture.ARM64 })).toThrow(
        '`capacity.spot` is not available with `capacity.cpuArchitecture` ARM64: Fargate Spot runs x86_64 Linux tasks only.',
      );
      expect(() => ServiceCapacity.fargate({ onDemandBase: 1 })).toThrow(
        '`capacity.onDemandBase` applies only with `capacity.spot`, got: 1 without Spot.',
      );
      expect(() => ServiceCapacity.managedInstances({ vCpuCountMin: 4, vCpuCountMax: 2 })).toThrow(
        '`capacity.vCpuCountMin` must be a positive integer not above `capacity.vCpuCountMax`, got: 4 and 2.',
      );
    });

    test('THEN the remaining capacity messages', () => {
      expect(() => ServiceCapacity.fargate({ spot: true, onDemandBase: -1 })).toThrow(
        '`capacity.onDemandBase` must be a non-negative integer, got: -1.',
      );
      const stack = newStack();
      const cluster = new ecs.Cluster(stack, 'Existing', { vpc: newVpc(stack) });
      expect(() => ServiceCapacity.fargate({ cluster, clusterName: 'billing' })).toThrow(
        "`capacity.clusterName` names a new cluster and can't be combined with `capacity.cluster`.",
      );
      const capacity = ServiceCapacity.fargate();
      service(stack, { capacity });
      const other = newVpc(newStack('Other'));
      expect(() => capacity.bind(stack, { vpc: other, networkMode: ServiceNetworkMode.AWS_VPC })).toThrow(
        '`capacity` is already the capacity of a service in another VPC: a cluster and its tasks live in one VPC.',
      );
      const managed = ServiceCapacity.managedInstances();
      service(stack, { capacity: managed }, 'Reports');
      expect(() => managed.bind(stack, { vpc: other, networkMode: ServiceNetworkMode.AWS_VPC })).toThrow(
        '`capacity` is already the capacity of a service in another VPC: a cluster and its instances live in one VPC.',
      );
      expect(() => ServiceCapacity.managedInstances({ allowedInstanceTypes: ['c7g.*'] })).toThrow(
        "`capacity.allowedInstanceTypes` entry 'c7g.*' is a Graviton (ARM64) family, but `capacity.cpuArchitecture` is X86_64.",
      );
      expect(() =>
        ServiceCapacity.autoScalingGroup({
          cpuArchitecture: ecs.CpuArchitecture.X86_64,
          instanceType: ec2.InstanceType.of(ec2.InstanceClass.T4G, ec2.InstanceSize.MEDIUM),
        }),
      ).toThrow(
        '`capacity.instanceType` t4g.medium is a ARM64 type, but `capacity.cpuArchitecture` is X86_64: choose a x86_64 (e.g. t3, m7i, c7a) instance type.',
      );
    });

    test('THEN a Fargate shared cluster is one cluster, and x86 Managed Instances pick Intel or AMD', () => {
      const stack = newStack();
      const capacity = ServiceCapacity.fargate();
      const a = service(stack, { capacity }, 'A');
      const b = service(stack, { capacity }, 'B');
      expect(a.cluster).toBe(b.cluster);
      service(stack, { capacity: ServiceCapacity.managedInstances({ spot: true }) }, 'C');
      const template = Template.fromStack(stack);
      template.resourceCountIs('AWS::ECS::Cluster', 2);
      template.hasResourceProperties('AWS::ECS::CapacityProvider', {
        ManagedInstancesProvider: {
          InstanceLaunchTemplate: Match.objectLike({
            CapacityOptionType: 'SPOT',
            InstanceRequirements: Match.objectLike({
              VCpuCount: { Min: 1 },
              MemoryMiB: { Min: 2048 },
              CpuManufacturers: ['intel', 'amd'],
            }),
          }),
        },
      });
    });

    test('THEN a task definition without Managed Instances compatibility fails', () => {
      const stack = newStack();
      const taskDefinition = new ecs.FargateTaskDefinition(stack, 'Td');
      taskDefinition.addContainer('app', { image: IMAGE, portMappings: [{ containerPort: 8080 }] });
      expect(() =>
        service(stack, { capacity: ServiceCapacity.managedInstances(), image: undefined, taskDefinition }),
      ).toThrow(
        '`taskDefinition` must be compatible with Managed Instances (`compatibility: ecs.Compatibility.MANAGED_INSTANCES`) with `ServiceCapacity.managedInstances()`, got: a task definition without it.',
      );
    });

    test('THEN an EC2 task definition on Fargate capacity fails', () => {
      const stack = newStack();
      const taskDefinition = new ecs.Ec2TaskDefinition(stack, 'Td', { networkMode: ecs.NetworkMode.AWS_VPC });
      taskDefinition.addContainer('app', {
        image: IMAGE,
        memoryLimitMiB: 512,
        portMappings: [{ containerPort: 8080 }],
      });
      expect(() => service(stack, { capacity: ServiceCapacity.fargate(), image: undefined, taskDefinition })).toThrow(
        '`taskDefinition` must be Fargate-compatible (an `ecs.FargateTaskDefinition`) with `ServiceCapacity.fargate()`, got: a task definition without Fargate compatibility.',
      );
    });
  });
});

function capacityProviderName(s: PrivateEcsService): string {
  return s.capacity.managedInstancesCapacityProvider!.capacityProviderName;
}
