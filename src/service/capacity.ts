import { Annotations, Duration, Token } from 'aws-cdk-lib';
import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { CapacityOptions, ServiceNetworkMode } from './options';
import { SubnetPlacement, SubnetRole } from '../network';
import { Findings } from '../validation';

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
  private bound?: { config: ServiceCapacityConfig; vpc: ec2.IVpc };

  constructor(private readonly options: CapacityOptions) {
    super();
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

  public bind(scope: Construct, options: ServiceCapacityBindOptions): ServiceCapacityConfig {
    if (this.bound) {
      if (this.bound.vpc !== options.vpc) {
        throw new Error(
          '`capacity` is already the capacity of a service in another VPC: a cluster and its instances live in one VPC.',
        );
      }
      return this.bound.config;
    }
    const config = this.create(scope, options.vpc);
    this.bound = { config, vpc: options.vpc };
    return config;
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
    const machineImage = capacity.machineImage ?? ecs.EcsOptimizedImage.amazonLinux2023();
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
      capacity.instanceType ?? ec2.InstanceType.of(ec2.InstanceClass.T3, ec2.InstanceSize.MEDIUM),
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
    };
  }
}
