import { Annotations, Duration, Size, Stack, Token } from 'aws-cdk-lib';
import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { FargateCapacityOptions, ManagedInstancesCapacityOptions } from './capacity-options';
import { CapacityOptions, ServiceNetworkMode } from './options';
import { SubnetPlacement, SubnetRole } from '../network';
import { Findings } from '../validation';
import { validateEcsName, validateSecurityGroupName } from './private/validation';

/**
 * What a `ServiceCapacity` is bound for.
 */
export interface ServiceCapacityBindOptions {
  /**
   * The VPC of the service.
   */
  readonly vpc: ec2.IVpc;

  /**
   * The network mode of the service's tasks.
   */
  readonly networkMode: ServiceNetworkMode;
}

/**
 * The cluster and capacity a service runs on, as a `ServiceCapacity` resolves them.
 */
export interface ServiceCapacityConfig {
  /**
   * The cluster.
   */
  readonly cluster: ecs.ICluster;

  /**
   * How the tasks are launched (EC2 for Auto Scaling group capacity and existing EC2 clusters).
   */
  readonly compatibility: ecs.Compatibility;

  /**
   * The service's capacity provider strategy.
   *
   * @default - the cluster's default strategy, or the launch type
   */
  readonly capacityProviderStrategies?: ecs.CapacityProviderStrategy[];

  /**
   * The Auto Scaling group of the container instances, when the capacity created one.
   *
   * @default - none
   */
  readonly autoScalingGroup?: autoscaling.AutoScalingGroup;

  /**
   * The most instances of `autoScalingGroup`.
   *
   * @default - none
   */
  readonly maxInstances?: number;

  /**
   * The capacity provider wrapping `autoScalingGroup`.
   *
   * @default - none
   */
  readonly capacityProvider?: ecs.AsgCapacityProvider;

  /**
   * The container instances' role, when the capacity created it.
   *
   * @default - none
   */
  readonly instanceRole?: iam.Role;

  /**
   * The container instances' security group (bridge-mode tasks share it).
   *
   * @default - none
   */
  readonly instanceSecurityGroup?: ec2.ISecurityGroup;

  /**
   * The CPU architecture of the capacity, when known (the image's platform is checked against it).
   *
   * @default - unknown (an existing cluster)
   */
  readonly cpuArchitecture?: ecs.CpuArchitecture;

  /**
   * The Managed Instances capacity provider, when the capacity created one.
   *
   * @default - none
   */
  readonly managedInstancesCapacityProvider?: ecs.ManagedInstancesCapacityProvider;
}

/**
 * Options of an existing cluster as a service's capacity.
 */
export interface ExistingClusterCapacityOptions {
  /**
   * The security group of the cluster's container instances; required in bridge mode, where the load balancer
   * reaches the dynamic host ports (32768-65535) through it.
   *
   * @default - none (awsvpc tasks have a security group of their own)
   */
  readonly instanceSecurityGroup?: ec2.ISecurityGroup;

  /**
   * The capacity provider strategy of the service.
   *
   * @default - the cluster's default strategy, or the EC2 launch type
   */
  readonly capacityProviderStrategies?: ecs.CapacityProviderStrategy[];
}

/**
 * Where a `PrivateEcsService` runs: a new cluster with an EC2 Auto Scaling group capacity provider, or an existing
 * cluster. Pass the same object to several services to share one cluster (it is created with the first service).
 *
 * @example
 * import * as ec2 from 'aws-cdk-lib/aws-ec2';
 * import { ServiceCapacity } from '@gtuc/cdk-privatelink-ecs';
 *
 * const capacity = ServiceCapacity.autoScalingGroup({
 *   instanceType: ec2.InstanceType.of(ec2.InstanceClass.T3, ec2.InstanceSize.MEDIUM),
 *   minCapacity: 2,
 *   maxCapacity: 4,
 * });
 */
export abstract class ServiceCapacity {
  /**
   * A new cluster whose capacity provider scales an EC2 Auto Scaling group (ECS-optimized Amazon Linux 2023,
   * IMDSv2 only, an encrypted gp3 root volume).
   *
   * @param options the instances, their number and their subnets
   */
  public static autoScalingGroup(options: CapacityOptions = {}): ServiceCapacity {
    return new AutoScalingGroupCapacity(options);
  }

  /**
   * AWS Fargate: no instances to manage; awsvpc tasks only, with the task definition's runtime platform set to
   * `cpuArchitecture`. The capacity provider strategy is FARGATE, or FARGATE_SPOT with `spot`.
   *
   * @param options the architecture, Spot and the cluster
   */
  public static fargate(options: FargateCapacityOptions = {}): ServiceCapacity {
    return new FargateCapacity(options);
  }

  /**
   * ECS Managed Instances: EC2 instances that AWS chooses (from your requirements), patches and replaces; the tasks
   * run through a Fargate-style service (awsvpc only). Graviton with `cpuArchitecture: ecs.CpuArchitecture.ARM64`.
   *
   * @param options the instance requirements, the architecture and the subnets
   */
  public static managedInstances(options: ManagedInstancesCapacityOptions = {}): ServiceCapacity {
    return new ManagedInstancesCapacity(options);
  }

  /**
   * An existing EC2 cluster; its capacity providers or instances must be able to place the tasks.
   *
   * @param cluster the cluster
   * @param options the instances' security group (bridge mode) and the capacity provider strategy
   */
  public static fromCluster(cluster: ecs.ICluster, options: ExistingClusterCapacityOptions = {}): ServiceCapacity {
    return new ExistingClusterCapacity(cluster, options);
  }

  /**
   * Resolves the cluster and capacity for a service (creating them under `scope` the first time).
   *
   * @param scope the service, under which new resources are created
   * @param options the service's VPC and network mode
   */
  public abstract bind(scope: Construct, options: ServiceCapacityBindOptions): ServiceCapacityConfig;
}

/**
 * The cluster a created capacity makes on its first `bind()` and hands to every later service, which must be in
 * the same VPC.
 */
class OneVpcBinding {
  private bound?: { config: ServiceCapacityConfig; vpc: ec2.IVpc };

  /** @param what what lives in the cluster's VPC besides it, for the error message (`instances`, `tasks`) */
  constructor(private readonly what: string) {}

  /** The config made by `create` for the first VPC; the same config for that VPC again; an error for another. */
  public config(vpc: ec2.IVpc, create: () => ServiceCapacityConfig): ServiceCapacityConfig {
    if (this.bound) {
      if (this.bound.vpc !== vpc) {
        throw new Error(
          `\`capacity\` is already the capacity of a service in another VPC: a cluster and its ${this.what} live in one VPC.`,
        );
      }
      return this.bound.config;
    }
    const config = create();
    this.bound = { config, vpc };
    return config;
  }
}

class ExistingClusterCapacity extends ServiceCapacity {
  constructor(
    private readonly cluster: ecs.ICluster,
    private readonly options: ExistingClusterCapacityOptions,
  ) {
    super();
  }

  public bind(_scope: Construct, options: ServiceCapacityBindOptions): ServiceCapacityConfig {
    if (options.networkMode === ServiceNetworkMode.BRIDGE && !this.options.instanceSecurityGroup) {
      throw new Error(
        '`instanceSecurityGroup` is required with `ServiceCapacity.fromCluster()` in BRIDGE mode: the load balancer must reach the dynamic host ports (32768-65535) of the container instances.',
      );
    }
    return {
      cluster: this.cluster,
      compatibility: ecs.Compatibility.EC2,
      capacityProviderStrategies: this.options.capacityProviderStrategies,
      instanceSecurityGroup: this.options.instanceSecurityGroup,
    };
  }
}

class AutoScalingGroupCapacity extends ServiceCapacity {
  private readonly binding = new OneVpcBinding('instances');

  constructor(private readonly options: CapacityOptions) {
    super();
    validateEcsName('capacity.clusterName', options.clusterName);
    validateSecurityGroupName('capacity.securityGroupName', options.securityGroupName);
    const min = options.minCapacity ?? 2;
    const max = options.maxCapacity ?? 4;
    if (min < 0 || max < 1 || min > max) {
      throw new Error(
        `\`capacity.minCapacity\` (${min}) must not exceed \`capacity.maxCapacity\` (${max}), and the maximum must be at least 1.`,
      );
    }
    const pct = options.targetCapacityPercent;
    if (pct !== undefined && (pct < 1 || pct > 100)) {
      throw new Error(`\`capacity.targetCapacityPercent\` must be between 1 and 100, got: ${pct}.`);
    }
    const arch = options.cpuArchitecture;
    if (arch && options.instanceType) {
      const instanceArch = architectureOf(options.instanceType);
      if (instanceArch !== arch._cpuArchitecture) {
        throw new Error(
          `\`capacity.instanceType\` ${options.instanceType} is a ${instanceArch} type, but \`capacity.cpuArchitecture\` is ${arch._cpuArchitecture}: choose a ${arch._cpuArchitecture === 'ARM64' ? 'Graviton (e.g. t4g, m7g, c7g)' : 'x86_64 (e.g. t3, m7i, c7a)'} instance type.`,
        );
      }
    }
    const hops = options.metadataHopLimit;
    if (hops !== undefined && !Token.isUnresolved(hops) && (!Number.isInteger(hops) || hops < 1 || hops > 64)) {
      throw new Error(`\`capacity.metadataHopLimit\` must be an integer from 1 to 64, got: ${hops}.`);
    }
    if (options.instanceTypes !== undefined) {
      if (options.instanceType !== undefined) {
        throw new Error(
          '`capacity.instanceTypes` and `capacity.instanceType` are exclusive: list every type in `instanceTypes`.',
        );
      }
      if (options.instanceTypes.length === 0) {
        throw new Error('`capacity.instanceTypes` must list at least one instance type, got: [].');
      }
      const seen = new Set<string>();
      for (const type of options.instanceTypes) {
        const name = type.toString();
        if (seen.has(name)) {
          throw new Error(`\`capacity.instanceTypes\` must not repeat an instance type, got: ${name} twice.`);
        }
        seen.add(name);
      }
    }
    if (options.instanceTypes && options.instanceTypes.length > 0) {
      const expected = options.cpuArchitecture?._cpuArchitecture ?? architectureOf(options.instanceTypes[0]);
      const other = options.instanceTypes.find((t) => architectureOf(t) !== expected);
      if (other) {
        throw new Error(
          `\`capacity.instanceTypes\` must all be of one architecture (${expected}), got: ${other} (${architectureOf(other)}).`,
        );
      }
    }
    const spot = options.spotPercentage;
    if (spot !== undefined) {
      if (!Token.isUnresolved(spot) && (!Number.isInteger(spot) || spot < 0 || spot > 100)) {
        throw new Error(`\`capacity.spotPercentage\` must be an integer from 0 to 100, got: ${spot}.`);
      }
      if (options.instanceTypes === undefined) {
        throw new Error('`capacity.spotPercentage` needs `capacity.instanceTypes` (a mixed instances policy).');
      }
    }
  }

  /** The architecture: `cpuArchitecture`, else the instance type's, else x86_64. */
  private get cpuArchitecture(): ecs.CpuArchitecture {
    if (this.options.cpuArchitecture) {
      return this.options.cpuArchitecture;
    }
    const first = this.options.instanceType ?? this.options.instanceTypes?.[0];
    if (first && architectureOf(first) === 'ARM64') {
      return ecs.CpuArchitecture.ARM64;
    }
    return ecs.CpuArchitecture.X86_64;
  }

  public bind(scope: Construct, options: ServiceCapacityBindOptions): ServiceCapacityConfig {
    return this.binding.config(options.vpc, () => this.create(scope, options.vpc));
  }

  private create(scope: Construct, vpc: ec2.IVpc): ServiceCapacityConfig {
    const capacity = this.options;
    const cluster = new ecs.Cluster(scope, 'Cluster', {
      vpc,
      clusterName: capacity.clusterName,
      containerInsightsV2: ecs.ContainerInsights.ENABLED,
    });
    const instanceRole = new iam.Role(scope, 'InstanceRole', {
      roleName: capacity.instanceRoleName,
      assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com'),
      managedPolicies: [
        iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AmazonEC2ContainerServiceforEC2Role'),
        iam.ManagedPolicy.fromAwsManagedPolicyName('AmazonSSMManagedInstanceCore'),
      ],
      description: 'ECS container instances: the ECS agent and Session Manager',
    });
    const securityGroup = new ec2.SecurityGroup(scope, 'InstanceSecurityGroup', {
      vpc,
      securityGroupName: capacity.securityGroupName,
      description: 'ECS container instances',
      allowAllOutbound: true,
    });
    // An explicit launch template: without the feature flag `@aws-cdk/aws-autoscaling:generateLaunchTemplateInsteadOfLaunchConfig`
    // the group would get a launch configuration, which accounts created since October 2024 can't create.
    const arm64 = this.cpuArchitecture === ecs.CpuArchitecture.ARM64;
    const machineImage =
      capacity.machineImage ??
      ecs.EcsOptimizedImage.amazonLinux2023(arm64 ? ecs.AmiHardwareType.ARM : ecs.AmiHardwareType.STANDARD);
    const image = machineImage.getImage(scope);
    const userData = image.userData;
    const hopLimit = capacity.metadataHopLimit ?? 1;
    if (hopLimit > 1) {
      Annotations.of(scope).addWarningV2(
        '@gtuc/cdk-privatelink-ecs:metadataHopLimit',
        `\`capacity.metadataHopLimit\` is ${hopLimit}: bridge-mode containers can reach the instance metadata service and take the instance role's credentials. Keep it at 1 unless a container truly needs IMDS.`,
      );
    }
    if (capacity.blockTaskMetadataAccess ?? true) {
      if (image.osType === ec2.OperatingSystemType.LINUX) {
        // The ECS agent reads /etc/ecs/ecs.config at start; the cluster appends its ECS_CLUSTER line after this one.
        userData.addCommands('echo ECS_AWSVPC_BLOCK_IMDS=true >> /etc/ecs/ecs.config');
      }
    } else {
      Annotations.of(scope).addWarningV2(
        '@gtuc/cdk-privatelink-ecs:blockTaskMetadataAccess',
        "`capacity.blockTaskMetadataAccess` is false: awsvpc tasks can reach the instance metadata service and take the instance role's credentials.",
      );
    }
    if (capacity.detailedMonitoring === false) {
      Annotations.of(scope).addWarningV2(
        '@gtuc/cdk-privatelink-ecs:detailedMonitoring',
        '`capacity.detailedMonitoring` is false: the instances report EC2 metrics every 5 minutes only.',
      );
    }
    const instanceTypes = capacity.instanceTypes ?? [
      capacity.instanceType ??
        ec2.InstanceType.of(arm64 ? ec2.InstanceClass.T4G : ec2.InstanceClass.T3, ec2.InstanceSize.MEDIUM),
    ];
    const launchTemplate = new ec2.LaunchTemplate(scope, 'LaunchTemplate', {
      instanceType: instanceTypes[0],
      machineImage,
      // The cluster appends its ECS_CLUSTER line here.
      userData,
      role: instanceRole,
      securityGroup,
      requireImdsv2: true,
      httpTokens: ec2.LaunchTemplateHttpTokens.REQUIRED,
      httpEndpoint: true,
      httpPutResponseHopLimit: hopLimit,
      detailedMonitoring: capacity.detailedMonitoring ?? true,
      blockDevices: [
        {
          deviceName: '/dev/xvda',
          volume: ec2.BlockDeviceVolume.ebs(capacity.rootVolumeSize ?? 30, {
            encrypted: true,
            volumeType: ec2.EbsDeviceVolumeType.GP3,
          }),
        },
      ],
    });
    const maxInstances = capacity.maxCapacity ?? 4;
    const autoScalingGroup = new autoscaling.AutoScalingGroup(scope, 'AutoScalingGroup', {
      vpc,
      vpcSubnets: SubnetPlacement.select(vpc, {
        role: SubnetRole.COMPUTE,
        vpcSubnets: capacity.vpcSubnets,
        propertyName: 'capacity.vpcSubnets',
      }),
      ...(capacity.instanceTypes
        ? {
            mixedInstancesPolicy: {
              launchTemplate,
              launchTemplateOverrides: instanceTypes.map((instanceType) => ({ instanceType })),
              instancesDistribution: {
                onDemandBaseCapacity: 0,
                onDemandPercentageAboveBaseCapacity: 100 - (capacity.spotPercentage ?? 0),
                onDemandAllocationStrategy: autoscaling.OnDemandAllocationStrategy.PRIORITIZED,
                spotAllocationStrategy: autoscaling.SpotAllocationStrategy.PRICE_CAPACITY_OPTIMIZED,
              },
            },
          }
        : { launchTemplate }),
      minCapacity: capacity.minCapacity ?? 2,
      maxCapacity: maxInstances,
      healthChecks: autoscaling.HealthChecks.ec2({ gracePeriod: Duration.minutes(5) }),
      // Group metrics feed the capacity-at-max alarm and the dashboard.
      groupMetrics: [autoscaling.GroupMetrics.all()],
    });
    const managedTerminationProtection = capacity.managedTerminationProtection ?? true;
    const capacityProvider = new ecs.AsgCapacityProvider(scope, 'CapacityProvider', {
      autoScalingGroup,
      enableManagedScaling: true,
      enableManagedTerminationProtection: managedTerminationProtection,
      // Without termination protection, ECS managed draining moves tasks off a terminating instance (and CDK then
      // adds no Lambda drain hook of its own).
      enableManagedDraining: managedTerminationProtection ? undefined : true,
      targetCapacityPercent: capacity.targetCapacityPercent ?? 100,
    });
    cluster.addAsgCapacityProvider(capacityProvider);

    const managed = (name: string) => `AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/${name}]`;
    Findings.acknowledge(
      instanceRole,
      'AmazonEC2ContainerServiceforEC2Role (ECS agent) and AmazonSSMManagedInstanceCore (Session Manager) are the AWS-maintained policies of container instances.',
      managed('service-role/AmazonEC2ContainerServiceforEC2Role'),
      managed('AmazonSSMManagedInstanceCore'),
    );
    Findings.acknowledge(
      instanceRole,
      "The ECS agent statements that the capacity provider adds (ecs:Submit*, ecs:Poll, ecs:StartTelemetrySession on the cluster's container instances) are written by aws-cdk-lib with the wildcards the agent needs.",
      'AwsSolutions-IAM5[Action::ecs:Submit*]',
      'AwsSolutions-IAM5[Resource::*]',
    );
    Findings.acknowledge(
      autoScalingGroup,
      'The ECS capacity provider manages scaling; its activity appears in the ECS service events and CloudWatch.',
      'AwsSolutions-AS3',
    );
    if (capacity.instanceTypes) {
      Findings.acknowledge(
        autoScalingGroup,
        "The root volume is encrypted (gp3, encrypted: true in the launch template); with a mixed instances policy the launch template sits in MixedInstancesPolicy.LaunchTemplate, which cdk-nag's rule doesn't follow.",
        'AwsSolutions-EC26',
      );
      Findings.acknowledge(
        autoScalingGroup,
        "The launch template requires IMDSv2 (HttpTokens required, hop limit 1); with a mixed instances policy it sits in MixedInstancesPolicy.LaunchTemplate, which cdk-nag's rule doesn't follow.",
        'NIST.800.53.R5-EC2IMDSv2Enabled',
        'HIPAA.Security-EC2IMDSv2Enabled',
      );
    }
    return {
      cluster,
      compatibility: ecs.Compatibility.EC2,
      capacityProviderStrategies: [{ capacityProvider: capacityProvider.capacityProviderName, weight: 1 }],
      autoScalingGroup,
      maxInstances,
      capacityProvider,
      instanceRole,
      instanceSecurityGroup: securityGroup,
      cpuArchitecture: this.cpuArchitecture,
    };
  }
}

/** The stack's region as cdk-nag prints it in finding IDs. */
function regionOf(scope: Construct): string {
  const region = Stack.of(scope).region;
  return Token.isUnresolved(region) ? '<AWS::Region>' : region;
}

/** The stack's account as cdk-nag prints it in finding IDs. */
function accountOf(scope: Construct): string {
  const account = Stack.of(scope).account;
  return Token.isUnresolved(account) ? '<AWS::AccountId>' : account;
}

/** 'ARM64' or 'X86_64', the runtime platform's spelling, of an EC2 instance type. */
function architectureOf(instanceType: ec2.InstanceType): string {
  return instanceType.architecture === ec2.InstanceArchitecture.ARM_64 ? 'ARM64' : 'X86_64';
}

/** Bridge (and host) mode need container instances of your own; Fargate and Managed Instances run awsvpc tasks. */
function requireAwsVpc(factory: string, networkMode: ServiceNetworkMode) {
  if (networkMode !== ServiceNetworkMode.AWS_VPC) {
    throw new Error(
      `\`networkMode\` ${networkMode} is not supported by \`capacity\` ${factory}: its tasks run in AWS_VPC mode only (bridge mode needs \`ServiceCapacity.autoScalingGroup()\` or \`ServiceCapacity.fromCluster()\`).`,
    );
  }
}

class FargateCapacity extends ServiceCapacity {
  private readonly binding = new OneVpcBinding('tasks');

  constructor(private readonly options: FargateCapacityOptions) {
    super();
    const base = options.onDemandBase;
    if (base !== undefined && !Token.isUnresolved(base)) {
      if (!options.spot) {
        throw new Error(`\`capacity.onDemandBase\` applies only with \`capacity.spot\`, got: ${base} without Spot.`);
      }
      if (!Number.isInteger(base) || base < 0) {
        throw new Error(`\`capacity.onDemandBase\` must be a non-negative integer, got: ${base}.`);
      }
    }
    if (options.spot && options.cpuArchitecture === ecs.CpuArchitecture.ARM64) {
      throw new Error(
        '`capacity.spot` is not available with `capacity.cpuArchitecture` ARM64: Fargate Spot runs x86_64 Linux tasks only.',
      );
    }
    if (options.cluster && options.clusterName !== undefined) {
      throw new Error("`capacity.clusterName` names a new cluster and can't be combined with `capacity.cluster`.");
    }
    validateEcsName('capacity.clusterName', options.clusterName);
  }

  public bind(scope: Construct, options: ServiceCapacityBindOptions): ServiceCapacityConfig {
    requireAwsVpc('ServiceCapacity.fargate()', options.networkMode);
    return this.binding.config(options.vpc, () => this.create(scope, options.vpc));
  }

  private create(scope: Construct, vpc: ec2.IVpc): ServiceCapacityConfig {
    const cluster =
      this.options.cluster ??
      new ecs.Cluster(scope, 'Cluster', {
        vpc,
        clusterName: this.options.clusterName,
        containerInsightsV2: ecs.ContainerInsights.ENABLED,
        enableFargateCapacityProviders: true,
      });
    const strategies: ecs.CapacityProviderStrategy[] = this.options.spot
      ? [
          ...(this.options.onDemandBase
            ? [{ capacityProvider: 'FARGATE', base: this.options.onDemandBase, weight: 0 }]
            : []),
          { capacityProvider: 'FARGATE_SPOT', weight: 1 },
        ]
      : [{ capacityProvider: 'FARGATE', weight: 1 }];
    return {
      cluster,
      compatibility: ecs.Compatibility.FARGATE,
      capacityProviderStrategies: strategies,
      cpuArchitecture: this.options.cpuArchitecture ?? ecs.CpuArchitecture.X86_64,
    };
  }
}

class ManagedInstancesCapacity extends ServiceCapacity {
  private readonly binding = new OneVpcBinding('instances');

  constructor(private readonly options: ManagedInstancesCapacityOptions) {
    super();
    validateEcsName('capacity.clusterName', options.clusterName);
    validateSecurityGroupName('capacity.securityGroupName', options.securityGroupName);
    const min = options.vCpuCountMin ?? 1;
    const max = options.vCpuCountMax;
    if (!Number.isInteger(min) || min < 1 || (max !== undefined && max < min)) {
      throw new Error(
        `\`capacity.vCpuCountMin\` must be a positive integer not above \`capacity.vCpuCountMax\`, got: ${min} and ${max ?? 'no maximum'}.`,
      );
    }
    const arm64 = options.cpuArchitecture === ecs.CpuArchitecture.ARM64;
    for (const pattern of options.allowedInstanceTypes ?? []) {
      // Graviton families carry a `g` after the generation digit (t4g, m7g, c8gd, r7gn…); a1 is the first Graviton.
      const graviton = /^(a1|[a-z]+\d+g[a-z]*)\./.test(pattern);
      if (/^[a-z]+\d+[a-z]*\./.test(pattern) && graviton !== arm64) {
        throw new Error(
          `\`capacity.allowedInstanceTypes\` entry '${pattern}' is ${graviton ? 'a Graviton (ARM64)' : 'an x86_64'} family, but \`capacity.cpuArchitecture\` is ${arm64 ? 'ARM64' : 'X86_64'}.`,
        );
      }
    }
  }

  public bind(scope: Construct, options: ServiceCapacityBindOptions): ServiceCapacityConfig {
    requireAwsVpc('ServiceCapacity.managedInstances()', options.networkMode);
    return this.binding.config(options.vpc, () => this.create(scope, options.vpc));
  }

  private create(scope: Construct, vpc: ec2.IVpc): ServiceCapacityConfig {
    const o = this.options;
    const arm64 = o.cpuArchitecture === ecs.CpuArchitecture.ARM64;
    const cluster = new ecs.Cluster(scope, 'Cluster', {
      vpc,
      clusterName: o.clusterName,
      containerInsightsV2: ecs.ContainerInsights.ENABLED,
    });
    const securityGroup = new ec2.SecurityGroup(scope, 'InstanceSecurityGroup', {
      vpc,
      securityGroupName: o.securityGroupName,
      description: 'ECS Managed Instances',
      allowAllOutbound: true,
    });
    const capacityProvider = new ecs.ManagedInstancesCapacityProvider(scope, 'CapacityProvider', {
      subnets: SubnetPlacement.subnets(vpc, {
        role: SubnetRole.COMPUTE,
        vpcSubnets: o.vpcSubnets,
        propertyName: 'capacity.vpcSubnets',
      }),
      securityGroups: [securityGroup],
      taskVolumeStorage: o.taskVolumeStorage,
      capacityOptionType: o.spot ? ecs.CapacityOptionType.SPOT : ecs.CapacityOptionType.ON_DEMAND,
      propagateTags: ecs.PropagateManagedInstancesTags.CAPACITY_PROVIDER,
      instanceRequirements: {
        vCpuCountMin: o.vCpuCountMin ?? 1,
        vCpuCountMax: o.vCpuCountMax,
        memoryMin: o.memoryMin ?? Size.gibibytes(2),
        memoryMax: o.memoryMax,
        cpuManufacturers: arm64 ? [ec2.CpuManufacturer.AWS] : [ec2.CpuManufacturer.INTEL, ec2.CpuManufacturer.AMD],
        instanceGenerations: [ec2.InstanceGeneration.CURRENT],
        allowedInstanceTypes: o.allowedInstanceTypes,
      },
    });
    cluster.addManagedInstancesCapacityProvider(capacityProvider);
    Findings.acknowledge(
      capacityProvider,
      'AmazonECSInfrastructureRolePolicyForManagedInstances is the AWS-maintained policy with which ECS launches, patches and replaces Managed Instances.',
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/AmazonECSInfrastructureRolePolicyForManagedInstances]',
    );
    Findings.acknowledge(
      capacityProvider,
      "The instance profile's policy, written by aws-cdk-lib, holds the ECS agent actions (ecs:Poll, ecs:Submit*, ecs:StartTelemetrySession…) that have no resource-level permissions.",
      'AwsSolutions-IAM5[Resource::*]',
      'AwsSolutions-IAM5[Action::ecs:Submit*]',
      `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ecs:${regionOf(scope)}:${accountOf(scope)}:container-instance/*]`,
    );
    return {
      cluster,
      compatibility: ecs.Compatibility.MANAGED_INSTANCES,
      capacityProviderStrategies: [{ capacityProvider: capacityProvider.capacityProviderName, weight: 1 }],
      instanceSecurityGroup: securityGroup,
      cpuArchitecture: o.cpuArchitecture ?? ecs.CpuArchitecture.X86_64,
      managedInstancesCapacityProvider: capacityProvider,
    };
  }
}
