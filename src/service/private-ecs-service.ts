import { Annotations, Duration, RemovalPolicy, Token } from 'aws-cdk-lib';
import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecr_assets from 'aws-cdk-lib/aws-ecr-assets';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { ServiceCapacity, ServiceCapacityConfig } from './capacity';
import { ServiceNetworkMode, TaskScalingOptions } from './options';
import { SubnetPlacement, SubnetRole } from '../network';
import { Findings } from '../validation';
import { PrivateEcsServiceCommonProps } from './private/common-props';
import {
  parseTaskSize,
  validateEcsName,
  validateFargateTaskSize,
  validateLogGroupName,
  validateSecurityGroupName,
} from './private/validation';

/** Props that configure the container created from `image`; none of them fits with `taskDefinition`. */
const IMAGE_PROPS = [
  'cpu',
  'memoryLimitMiB',
  'environment',
  'secrets',
  'containerHealthCheck',
  'logRetention',
  'logGroupName',
  'executionRoleName',
  'taskRole',
  'containerUser',
  'readonlyRootFilesystem',
  'addCapabilities',
  'tmpfs',
  'encryptionKey',
] as const;

/** User names and ids that mean root in a container's `user`. */
const ROOT_USERS = ['root', '0'];

/**
 * Properties of a `PrivateEcsService`.
 */
export interface PrivateEcsServiceProps extends PrivateEcsServiceCommonProps {
  /**
   * The VPC of the service (any `IVpc`, e.g. `HubSpokeNetwork.vpc('ecs')`).
   */
  readonly vpc: ec2.IVpc;

  /**
   * Where the tasks run.
   *
   * @default ServiceCapacity.autoScalingGroup() - a new cluster with t3.medium instances, 2 to 4
   */
  readonly capacity?: ServiceCapacity;

  /**
   * The container image; the construct creates the task definition with one container. Exclusive with
   * `taskDefinition`.
   *
   * @default - none; required unless `taskDefinition` is set
   */
  readonly image?: ecs.ContainerImage;

  /**
   * A task definition of your own (with sidecars, volumes…): EC2-compatible, in the service's network mode, its
   * container `containerName` (or its default container) mapping `containerPort`. Exclusive with `image`.
   *
   * @default - created from `image`
   */
  readonly taskDefinition?: ecs.TaskDefinition;

  /**
   * The container's name (with `taskDefinition`: the container that receives the traffic).
   *
   * @default - 'app'; with `taskDefinition`, its default container
   */
  readonly containerName?: string;

  /**
   * The customer-managed KMS key that encrypts the container's log group (its key policy must let the
   * `logs.<region>.amazonaws.com` service principal use it).
   *
   * @default - CloudWatch Logs' own encryption
   */
  readonly encryptionKey?: kms.IKey;

  /**
   * Alarms whose state rolls a deployment back (CloudWatch alarm names).
   *
   * @default - none
   */
  readonly deploymentAlarmNames?: string[];

  /**
   * Task auto scaling on CPU (and optionally memory). `targetRequestsPerTaskPerMinute` needs the front door: use
   * `RequestRateScaling` (or the `PrivateLinkEcsService` facade).
   *
   * @default - no task auto scaling
   */
  readonly autoScaling?: TaskScalingOptions;

  /**
   * The platform the image is built for (pass the same `Platform` to `ContainerImage.fromAsset`); it must match the
   * capacity's CPU architecture when both are known. For an asset image, its own `platform` is read when set.
   *
   * @default - the asset image's `platform`, else unknown (not checked)
   */
  readonly imagePlatform?: ecr_assets.Platform;

  /**
   * How ECS replaces the tasks on a deployment (ECS deployment controller). BLUE_GREEN, LINEAR and CANARY shift
   * traffic between two target groups: they need an awsvpc service behind a `PrivateApplicationLoadBalancer`
   * (which builds the alternate target group); `deploymentAlarmNames` roll any strategy back.
   *
   * @default ecs.DeploymentStrategy.ROLLING
   */
  readonly deploymentStrategy?: ecs.DeploymentStrategy;

  /**
   * With BLUE_GREEN, LINEAR or CANARY: how long the new revision runs with all production traffic before the old one
   * is stopped (a rollback is instant during this time).
   *
   * @default - ECS's default bake time
   */
  readonly bakeTime?: Duration;

  /**
   * With LINEAR or CANARY: the percentage of traffic shifted per step and the wait between steps.
   *
   * @default - LINEAR 10% every 6 minutes; CANARY 5%, then the rest after 10 minutes
   */
  readonly trafficShift?: ecs.TrafficShiftConfig;
}

/**
 * The compute part: an ECS service with its task definition, circuit breaker, deployment alarms, deployment
 * strategy and task scaling, on the capacity you choose: EC2 (awsvpc or bridge mode), Fargate or ECS Managed
 * Instances (awsvpc), x86_64 or arm64. A load balancer part reaches it
 * (`PrivateNetworkLoadBalancer.addService()`); it is `IConnectable` (the tasks' security group in awsvpc mode,
 * the instances' in bridge mode).
 *
 * @example
 * import * as ec2 from 'aws-cdk-lib/aws-ec2';
 * import * as ecs from 'aws-cdk-lib/aws-ecs';
 * import { PrivateEcsService, ServiceCapacity, ServiceNetworkMode } from '@gtuc/cdk-privatelink-ecs';
 *
 * declare const vpc: ec2.IVpc;
 * const capacity = ServiceCapacity.autoScalingGroup({ minCapacity: 2, maxCapacity: 4 });
 * const items = new PrivateEcsService(this, 'Items', {
 *   vpc,
 *   capacity,
 *   networkMode: ServiceNetworkMode.AWS_VPC,
 *   image: ecs.ContainerImage.fromRegistry('nginxinc/nginx-unprivileged:stable-alpine'),
 *   containerPort: 8080,
 *   containerUser: '101:101',
 *   readonlyRootFilesystem: true,
 *   tmpfs: [{ containerPath: '/tmp', size: 64 }],
 * });
 */
export class PrivateEcsService extends Construct implements ec2.IConnectable {
  /** The VPC of the service. */
  public readonly vpc: ec2.IVpc;
  /** The network mode of the tasks. */
  public readonly networkMode: ServiceNetworkMode;
  /** The cluster. */
  public readonly cluster: ecs.ICluster;
  /** The cluster and capacity the service runs on. */
  public readonly capacity: ServiceCapacityConfig;
  /** The Auto Scaling group of a created cluster's capacity provider. */
  public readonly autoScalingGroup?: autoscaling.AutoScalingGroup;
  /** The container instances' security group. */
  public readonly instanceSecurityGroup?: ec2.ISecurityGroup;
  /** The task definition. */
  public readonly taskDefinition: ecs.TaskDefinition;
  /** The container that receives the traffic. */
  public readonly container: ecs.ContainerDefinition;
  /** The port the container listens on. */
  public readonly containerPort: number;
  /** The task execution role (created from `image`, or the task definition's). */
  public readonly executionRole?: iam.IRole;
  /** The container's log group (created from `image`). */
  public readonly logGroup?: logs.LogGroup;
  /** The ECS service. */
  public readonly service: ecs.BaseService;
  /** The tasks' security group (awsvpc mode only). */
  public readonly serviceSecurityGroup?: ec2.SecurityGroup;
  /** The task auto scaling target, when `autoScaling` is set. */
  public readonly scalableTaskCount?: ecs.ScalableTaskCount;
  /** The desired number of tasks. */
  public readonly desiredCount: number;
  /** The security groups of the traffic's targets: the tasks' (awsvpc) or the instances' (bridge). */
  public readonly connections: ec2.Connections;
  /** How ECS replaces the tasks on a deployment. */
  public readonly deploymentStrategy: ecs.DeploymentStrategy;

  constructor(scope: Construct, id: string, props: PrivateEcsServiceProps) {
    super(scope, id);
    this.vpc = props.vpc;
    this.networkMode = props.networkMode ?? ServiceNetworkMode.AWS_VPC;
    this.containerPort = props.containerPort ?? 8080;
    this.desiredCount = props.desiredCount ?? 2;
    this.deploymentStrategy = props.deploymentStrategy ?? ecs.DeploymentStrategy.ROLLING;
    this.validateProps(props);
    this.validateDeploymentStrategy(props);
    const awsVpc = this.networkMode === ServiceNetworkMode.AWS_VPC;

    this.capacity = (props.capacity ?? ServiceCapacity.autoScalingGroup()).bind(this, {
      vpc: props.vpc,
      networkMode: this.networkMode,
    });
    this.cluster = this.capacity.cluster;
    this.autoScalingGroup = this.capacity.autoScalingGroup;
    this.instanceSecurityGroup = this.capacity.instanceSecurityGroup;
    const compatibility = this.capacity.compatibility;
    this.validateImagePlatform(props);

    if (props.taskDefinition) {
      this.taskDefinition = props.taskDefinition;
      this.validateTaskDefinition(props.taskDefinition, props.containerName, compatibility);
      this.container = props.containerName
        ? props.taskDefinition.findContainer(props.containerName)!
        : props.taskDefinition.defaultContainer!;
      this.executionRole = props.taskDefinition.executionRole;
    } else {
      const created = this.createTaskDefinition(props);
      this.taskDefinition = created.taskDefinition;
      this.container = created.container;
      this.executionRole = created.executionRole;
      this.logGroup = created.logGroup;
    }

    if (awsVpc) {
      this.serviceSecurityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
        vpc: props.vpc,
        securityGroupName: props.serviceSecurityGroupName,
        description: 'Tasks of the service: the container port from the load balancer only',
        allowAllOutbound: true,
      });
    }
    const targets = awsVpc ? this.serviceSecurityGroup : this.instanceSecurityGroup;
    this.connections = new ec2.Connections({ securityGroups: targets ? [targets] : [] });

    const common = {
      cluster: this.cluster,
      taskDefinition: this.taskDefinition,
      serviceName: props.serviceName,
      desiredCount: this.desiredCount,
      minHealthyPercent: props.minHealthyPercent ?? 50,
      maxHealthyPercent: props.maxHealthyPercent ?? 200,
      // The ECS API documents the circuit breaker for rolling updates; traffic-shifting strategies roll back on the
      // deployment alarms (and on failed health checks of the new revision).
      circuitBreaker:
        this.deploymentStrategy === ecs.DeploymentStrategy.ROLLING
          ? { enable: true, rollback: props.circuitBreakerRollback ?? true }
          : undefined,
      healthCheckGracePeriod: props.healthCheckGracePeriod ?? Duration.seconds(60),
      capacityProviderStrategies: this.capacity.capacityProviderStrategies,
      securityGroups: awsVpc ? [this.serviceSecurityGroup!] : undefined,
      vpcSubnets: awsVpc
        ? SubnetPlacement.select(props.vpc, {
            role: SubnetRole.TASKS,
            vpcSubnets: props.taskSubnets,
            propertyName: 'taskSubnets',
          })
        : undefined,
      propagateTags: ecs.PropagatedTagSource.SERVICE,
      enableECSManagedTags: true,
      // Explicit for the traffic-shifting strategies (the alternate target needs it); absent for ROLLING, so that
      // existing services keep their template (adding it replaces the service).
      deploymentController:
        this.deploymentStrategy === ecs.DeploymentStrategy.ROLLING
          ? undefined
          : { type: ecs.DeploymentControllerType.ECS },
      deploymentStrategy: props.deploymentStrategy,
      bakeTime: props.bakeTime,
      linearConfiguration: this.deploymentStrategy === ecs.DeploymentStrategy.LINEAR ? props.trafficShift : undefined,
      canaryConfiguration: this.deploymentStrategy === ecs.DeploymentStrategy.CANARY ? props.trafficShift : undefined,
    };
    this.service =
      compatibility === ecs.Compatibility.EC2
        ? this.createService(this, 'Resource', {
            ...common,
            placementStrategies: [
              ecs.PlacementStrategy.spreadAcross(ecs.BuiltInAttributes.AVAILABILITY_ZONE),
              ecs.PlacementStrategy.spreadAcrossInstances(),
            ],
          })
        : // Fargate and Managed Instances tasks both run through a Fargate-style service.
          this.createFargateService(this, 'Resource', { ...common, assignPublicIp: false });
    if (props.deploymentAlarmNames && props.deploymentAlarmNames.length > 0) {
      this.service.enableDeploymentAlarms(props.deploymentAlarmNames, {
        behavior: ecs.AlarmBehavior.ROLLBACK_ON_ALARM,
      });
    }

    if (props.autoScaling) {
      this.scalableTaskCount = this.service.autoScaleTaskCount({
        minCapacity: props.autoScaling.minCapacity ?? this.desiredCount,
        maxCapacity: props.autoScaling.maxCapacity,
      });
      this.scalableTaskCount.scaleOnCpuUtilization('CpuScaling', {
        targetUtilizationPercent: props.autoScaling.targetCpuUtilization ?? 60,
      });
      if (props.autoScaling.targetMemoryUtilization !== undefined) {
        this.scalableTaskCount.scaleOnMemoryUtilization('MemoryScaling', {
          targetUtilizationPercent: props.autoScaling.targetMemoryUtilization,
        });
      }
    }
  }

  /**
   * The task's target for a load balancer (the traffic container and port).
   */
  public loadBalancerTarget(alternateTarget?: ecs.IAlternateTarget): ecs.IEcsLoadBalancerTarget {
    return this.service.loadBalancerTarget({
      containerName: this.container.containerName,
      containerPort: this.containerPort,
      alternateTarget,
    });
  }

  /**
   * Creates the ECS service. Override to customise.
   *
   * @param scope the scope to create it in
   * @param id its construct id
   * @param props the resolved service props
   */
  protected createService(scope: Construct, id: string, props: ecs.Ec2ServiceProps): ecs.BaseService {
    return new ecs.Ec2Service(scope, id, props);
  }

  /**
   * Creates the ECS service on Fargate or Managed Instances capacity. Override to customise.
   *
   * @param scope the scope to create it in
   * @param id its construct id
   * @param props the resolved service props
   */
  protected createFargateService(scope: Construct, id: string, props: ecs.FargateServiceProps): ecs.BaseService {
    return new ecs.FargateService(scope, id, props);
  }

  private createTaskDefinition(props: PrivateEcsServiceProps) {
    const awsVpc = this.networkMode === ServiceNetworkMode.AWS_VPC;
    const containerName = props.containerName ?? 'app';
    const executionRole = new iam.Role(this, 'ExecutionRole', {
      roleName: props.executionRoleName,
      assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com'),
      managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AmazonECSTaskExecutionRolePolicy')],
      description: 'Pulls the image, writes logs and reads the secrets of the task',
    });
    const logGroup = new logs.LogGroup(this, 'LogGroup', {
      logGroupName: props.logGroupName,
      encryptionKey: props.encryptionKey,
      retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const cpu = props.cpu ?? 256;
    const memoryLimitMiB = props.memoryLimitMiB ?? 512;
    const arch = this.capacity.cpuArchitecture;
    const runtimePlatform = arch
      ? { operatingSystemFamily: ecs.OperatingSystemFamily.LINUX, cpuArchitecture: arch }
      : undefined;
    let taskDefinition: ecs.TaskDefinition;
    switch (this.capacity.compatibility) {
      case ecs.Compatibility.FARGATE:
        validateFargateTaskSize(cpu, memoryLimitMiB, { cpu: '`cpu`', memory: '`memoryLimitMiB`' });
        taskDefinition = new ecs.FargateTaskDefinition(this, 'TaskDefinition', {
          cpu,
          memoryLimitMiB,
          runtimePlatform,
          executionRole,
          taskRole: props.taskRole,
        });
        break;
      case ecs.Compatibility.MANAGED_INSTANCES:
        taskDefinition = new ecs.TaskDefinition(this, 'TaskDefinition', {
          compatibility: ecs.Compatibility.MANAGED_INSTANCES,
          networkMode: ecs.NetworkMode.AWS_VPC,
          cpu: String(cpu),
          memoryMiB: String(memoryLimitMiB),
          runtimePlatform,
          executionRole,
          taskRole: props.taskRole,
        });
        break;
      default:
        taskDefinition = new ecs.Ec2TaskDefinition(this, 'TaskDefinition', {
          networkMode: awsVpc ? ecs.NetworkMode.AWS_VPC : ecs.NetworkMode.BRIDGE,
          executionRole,
          taskRole: props.taskRole,
        });
    }
    this.warnOnWeakContainer(props);
    const linuxParameters = new ecs.LinuxParameters(this, 'LinuxParameters');
    linuxParameters.dropCapabilities(ecs.Capability.ALL);
    if (props.addCapabilities && props.addCapabilities.length > 0) {
      linuxParameters.addCapabilities(...props.addCapabilities);
    }
    if (props.tmpfs && props.tmpfs.length > 0) {
      if (this.capacity.compatibility === ecs.Compatibility.FARGATE) {
        throw new Error(
          `\`tmpfs\` is not supported on Fargate capacity (use a task volume instead), got: ${props.tmpfs.length} mount(s).`,
        );
      }
      linuxParameters.addTmpfs(...props.tmpfs);
    }
    const container = taskDefinition.addContainer(containerName, {
      image: props.image!,
      user: props.containerUser,
      readonlyRootFilesystem: props.readonlyRootFilesystem ?? false,
      privileged: false,
      linuxParameters,
      cpu,
      memoryLimitMiB,
      environment: props.environment,
      secrets: props.secrets,
      healthCheck: props.containerHealthCheck,
      logging: ecs.LogDrivers.awsLogs({ logGroup, streamPrefix: containerName }),
      portMappings: [
        {
          containerPort: this.containerPort,
          hostPort: awsVpc ? this.containerPort : 0,
          protocol: ecs.Protocol.TCP,
        },
      ],
      stopTimeout: Duration.seconds(30),
    });
    // AwsSolutions-ECS2 reports the whole task definition, not a variable: acknowledge it only when the single
    // variable is the one aws-cdk-lib adds itself (AWS_REGION on awsvpc containers), never a user's `environment`.
    if (awsVpc && (props.environment === undefined || Object.keys(props.environment).length === 0)) {
      Findings.acknowledge(
        taskDefinition,
        "The container's only environment variable is AWS_REGION, which aws-cdk-lib's Ec2TaskDefinition adds to awsvpc containers (the region, not a secret).",
        'AwsSolutions-ECS2',
      );
    }
    const managed = (name: string) => `AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/${name}]`;
    Findings.acknowledge(
      executionRole,
      'AmazonECSTaskExecutionRolePolicy is the AWS-maintained policy for image pulls and log writes of ECS tasks.',
      managed('service-role/AmazonECSTaskExecutionRolePolicy'),
    );
    Findings.acknowledge(
      executionRole,
      'ecr:GetAuthorizationToken, which an image from ECR needs, has no resource-level permissions (Resource must be *).',
      'AwsSolutions-IAM5[Resource::*]',
    );
    return { taskDefinition, container, executionRole, logGroup };
  }

  private warnOnWeakContainer(props: PrivateEcsServiceProps) {
    if (props.encryptionKey === undefined) {
      Annotations.of(this).addWarningV2(
        '@gtuc/cdk-privatelink-ecs:logEncryptionKey',
        "`encryptionKey` is not set: the container's log group uses CloudWatch Logs' own encryption; NIST 800-53, PCI DSS and HIPAA checks ask for a customer-managed key.",
      );
    }
    const user = props.containerUser;
    if (user === undefined) {
      Annotations.of(this).addWarningV2(
        '@gtuc/cdk-privatelink-ecs:containerUser',
        "`containerUser` is not set: the container runs as the image's USER, root unless the image says otherwise. Set a non-root user (e.g. '1000:1000').",
      );
    } else if (!Token.isUnresolved(user) && ROOT_USERS.includes(user.split(':')[0])) {
      Annotations.of(this).addWarningV2(
        '@gtuc/cdk-privatelink-ecs:containerUser',
        `\`containerUser\` is '${user}': the container runs as root.`,
      );
    }
    if (props.readonlyRootFilesystem !== true) {
      Annotations.of(this).addWarningV2(
        '@gtuc/cdk-privatelink-ecs:readonlyRootFilesystem',
        `\`readonlyRootFilesystem\` is ${props.readonlyRootFilesystem === false ? 'false' : 'not set'}: the container can write to its root filesystem. Set it to true (with \`tmpfs\` mounts where the process writes).`,
      );
    }
    const added = (props.addCapabilities ?? []).filter(
      (c) => c === ecs.Capability.ALL || c === ecs.Capability.SYS_ADMIN,
    );
    if (added.length > 0) {
      Annotations.of(this).addWarningV2(
        '@gtuc/cdk-privatelink-ecs:addCapabilities',
        `\`addCapabilities\` gives back ${added.join(', ')}: the container is nearly as powerful as a privileged one.`,
      );
    }
  }

  private validateTaskDefinition(
    taskDefinition: ecs.TaskDefinition,
    containerName: string | undefined,
    compatibility: ecs.Compatibility,
  ) {
    const expected = this.networkMode === ServiceNetworkMode.AWS_VPC ? ecs.NetworkMode.AWS_VPC : ecs.NetworkMode.BRIDGE;
    if (compatibility === ecs.Compatibility.FARGATE && !taskDefinition.isFargateCompatible) {
      throw new Error(
        '`taskDefinition` must be Fargate-compatible (an `ecs.FargateTaskDefinition`) with `ServiceCapacity.fargate()`, got: a task definition without Fargate compatibility.',
      );
    }
    if (compatibility === ecs.Compatibility.FARGATE) {
      this.validateFargateTaskDefinitionSize(taskDefinition);
    }
    if (compatibility === ecs.Compatibility.MANAGED_INSTANCES && !taskDefinition.isManagedInstancesCompatible) {
      throw new Error(
        '`taskDefinition` must be compatible with Managed Instances (`compatibility: ecs.Compatibility.MANAGED_INSTANCES`) with `ServiceCapacity.managedInstances()`, got: a task definition without it.',
      );
    }
    if (compatibility === ecs.Compatibility.EC2 && !taskDefinition.isEc2Compatible) {
      throw new Error(
        '`taskDefinition` must be EC2-compatible (an `ecs.Ec2TaskDefinition`), got: a task definition without EC2 compatibility.',
      );
    }
    if (taskDefinition.networkMode !== expected) {
      throw new Error(
        `\`taskDefinition\` must use the network mode of \`networkMode\` (${expected}), got: ${taskDefinition.networkMode}.`,
      );
    }
    const container = containerName ? taskDefinition.findContainer(containerName) : taskDefinition.defaultContainer;
    if (!container) {
      throw new Error(
        containerName
          ? `\`containerName\` must name a container of \`taskDefinition\`, got: '${containerName}'.`
          : '`taskDefinition` must have a container before the service is created, got: none.',
      );
    }
    if (!container.portMappings.some((m) => m.containerPort === this.containerPort)) {
      throw new Error(
        `\`containerPort\` must be mapped by container '${container.containerName}' of \`taskDefinition\`, got: ${this.containerPort}.`,
      );
    }
  }

  /** A Fargate task definition's task-level CPU and memory, as its L1 resource renders them, must be a Fargate size. */
  private validateFargateTaskDefinitionSize(taskDefinition: ecs.TaskDefinition) {
    const cfn = taskDefinition.node.defaultChild as ecs.CfnTaskDefinition | undefined;
    if (!(cfn instanceof ecs.CfnTaskDefinition)) {
      return;
    }
    const cpu = parseTaskSize(cfn.cpu, 'vCPU');
    const memory = parseTaskSize(cfn.memory, 'GB');
    if (cpu === undefined || memory === undefined) {
      return;
    }
    validateFargateTaskSize(cpu, memory, { cpu: '`taskDefinition` task CPU', memory: '`taskDefinition` task memory' });
  }

  private validateImagePlatform(props: PrivateEcsServiceProps) {
    const assetPlatform =
      props.image instanceof ecs.AssetImage
        ? (props.image as unknown as { props?: { platform?: ecr_assets.Platform } }).props?.platform
        : undefined;
    const platform = props.imagePlatform ?? assetPlatform;
    const arch = this.capacity.cpuArchitecture?._cpuArchitecture;
    if (!platform) {
      if (props.image instanceof ecs.AssetImage) {
        Annotations.of(this).addWarningV2(
          '@gtuc/cdk-privatelink-ecs:imagePlatform',
          `The image asset has no \`platform\`: Docker builds it for the build machine's architecture, which must be ${arch ?? 'the capacity architecture'}. Pass \`platform: Platform.${arch === 'ARM64' ? 'LINUX_ARM64' : 'LINUX_AMD64'}\` to \`ContainerImage.fromAsset\`.`,
        );
      }
      return;
    }
    if (Token.isUnresolved(platform.platform) || !arch) {
      return;
    }
    const imageArch = /arm64|aarch64/.test(platform.platform)
      ? 'ARM64'
      : /amd64|x86_64/.test(platform.platform)
        ? 'X86_64'
        : undefined;
    if (imageArch && imageArch !== arch) {
      throw new Error(
        `\`imagePlatform\` ${platform.platform} doesn't run on the ${arch} \`capacity\` (\`capacity.cpuArchitecture\` ${arch}): build the image for ${arch === 'ARM64' ? 'linux/arm64 (`Platform.LINUX_ARM64`)' : 'linux/amd64 (`Platform.LINUX_AMD64`)'} or choose ${imageArch} capacity.`,
      );
    }
  }

  private validateDeploymentStrategy(props: PrivateEcsServiceProps) {
    const strategy = this.deploymentStrategy;
    if (strategy !== ecs.DeploymentStrategy.ROLLING && this.networkMode !== ServiceNetworkMode.AWS_VPC) {
      throw new Error(
        `\`deploymentStrategy\` ${strategy} is not supported with \`networkMode\` ${this.networkMode}: ECS shifts traffic between two target groups of \`ip\` targets, which needs AWS_VPC mode; use ROLLING.`,
      );
    }
    if (
      props.trafficShift &&
      strategy !== ecs.DeploymentStrategy.LINEAR &&
      strategy !== ecs.DeploymentStrategy.CANARY
    ) {
      throw new Error(`\`trafficShift\` applies only to \`deploymentStrategy\` LINEAR or CANARY, got: ${strategy}.`);
    }
    if (props.bakeTime && strategy === ecs.DeploymentStrategy.ROLLING) {
      throw new Error('`bakeTime` applies only to `deploymentStrategy` BLUE_GREEN, LINEAR or CANARY, got: ROLLING.');
    }
  }

  private validateProps(props: PrivateEcsServiceProps) {
    const awsVpc = this.networkMode === ServiceNetworkMode.AWS_VPC;
    if (props.image && props.taskDefinition) {
      throw new Error('Set either `image` or `taskDefinition`, not both: `image` creates a task definition.');
    }
    if (!props.image && !props.taskDefinition) {
      throw new Error('`image` or `taskDefinition` is required, got: neither.');
    }
    if (props.taskDefinition) {
      for (const name of IMAGE_PROPS) {
        if (props[name] !== undefined) {
          throw new Error(
            `\`${name}\` configures the container created from \`image\` and can't be combined with \`taskDefinition\`.`,
          );
        }
      }
    }
    validateEcsName('serviceName', props.serviceName);
    validateLogGroupName('logGroupName', props.logGroupName);
    validateSecurityGroupName('serviceSecurityGroupName', props.serviceSecurityGroupName);
    const port = this.containerPort;
    if (!Token.isUnresolved(port) && (!Number.isInteger(port) || port < 1 || port > 65535)) {
      throw new Error(`\`containerPort\` must be an integer from 1 to 65535, got: ${port}.`);
    }
    if (!awsVpc) {
      if (props.taskSubnets) {
        throw new Error(
          "`taskSubnets` applies only to AWS_VPC mode; bridge-mode tasks use their instance's network (see `capacity.vpcSubnets`).",
        );
      }
      if (props.serviceSecurityGroupName) {
        throw new Error(
          "`serviceSecurityGroupName` applies only to AWS_VPC mode; bridge-mode tasks use the instances' security group.",
        );
      }
    }
    const desired = this.desiredCount;
    if (!Token.isUnresolved(desired) && (!Number.isInteger(desired) || desired < 0)) {
      throw new Error(`\`desiredCount\` must be a non-negative integer, got: ${desired}.`);
    }
    const scaling = props.autoScaling;
    if (scaling) {
      const min = scaling.minCapacity ?? desired;
      if (!(min <= desired && desired <= scaling.maxCapacity) || min < 0) {
        throw new Error(
          `Task counts must satisfy \`autoScaling.minCapacity\` <= \`desiredCount\` <= \`autoScaling.maxCapacity\`, got: ${min} <= ${desired} <= ${scaling.maxCapacity}.`,
        );
      }
      for (const [name, value] of [
        ['autoScaling.targetCpuUtilization', scaling.targetCpuUtilization],
        ['autoScaling.targetMemoryUtilization', scaling.targetMemoryUtilization],
      ] as Array<[string, number | undefined]>) {
        if (value !== undefined && (value <= 0 || value > 100)) {
          throw new Error(`\`${name}\` must be greater than 0 and at most 100, got: ${value}.`);
        }
      }
      if (scaling.targetRequestsPerTaskPerMinute !== undefined) {
        throw new Error(
          '`autoScaling.targetRequestsPerTaskPerMinute` needs the front door: add a `RequestRateScaling` with the API stage (or use `PrivateLinkEcsService`).',
        );
      }
    }
    for (const [name, value] of [
      ['minHealthyPercent', props.minHealthyPercent],
      ['maxHealthyPercent', props.maxHealthyPercent],
    ] as Array<[string, number | undefined]>) {
      if (value !== undefined && value < 0) {
        throw new Error(`\`${name}\` must not be negative, got: ${value}.`);
      }
    }
    if ((props.minHealthyPercent ?? 50) > (props.maxHealthyPercent ?? 200)) {
      throw new Error(
        `\`minHealthyPercent\` (${props.minHealthyPercent ?? 50}) must not exceed \`maxHealthyPercent\` (${props.maxHealthyPercent ?? 200}).`,
      );
    }
  }
}
