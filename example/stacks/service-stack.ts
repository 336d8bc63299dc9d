import * as path from 'path';
import { CfnOutput, Duration, Stack, StackProps } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as rds from 'aws-cdk-lib/aws-rds';
import { Construct } from 'constructs';
import { Findings, HubSpokeNetwork, PrivateLinkEcsService, ServiceNetworkMode } from '../../src';
import { GtucConfig, modeName } from '../config';

/** Props of a GTUC items service stack. */
export interface ServiceStackProps extends StackProps {
  /** The hub-spoke network. */
  readonly network: HubSpokeNetwork;
  /** The Aurora cluster (its secret feeds the container's DB_* variables). */
  readonly database: rds.DatabaseCluster;
  /** awsvpc (brief step 5) or bridge with dynamic host ports (brief step 6). */
  readonly networkMode: ServiceNetworkMode;
  /** Deploy-time settings. */
  readonly config: GtucConfig;
  /** The customer-managed key of the log groups and the alarm topic. */
  readonly encryptionKey: kms.IKey;
}

/**
 * Brief steps 4–6: an EC2 ECS cluster running the items catalog behind an internal NLB, a VPC link, a REST API
 * stage and the geo web ACL. Each mode has its own cluster, so the two deployments can be changed, scaled and
 * destroyed independently; the awsvpc deployment carries the brief's names, the bridge one the same names with
 * a `-bridge` suffix (IAM role and security group names must be unique).
 */
export class ServiceStack extends Stack {
  public readonly service: PrivateLinkEcsService;

  constructor(scope: Construct, id: string, props: ServiceStackProps) {
    super(scope, id, props);
    const { network, config } = props;
    const mode = modeName(props.networkMode);
    const ecsSpoke = network.spoke('ecs');
    const suffix = props.networkMode === ServiceNetworkMode.AWS_VPC ? '' : `-${mode}`;
    const secret = props.database.secret!;
    // Imported from the network stack, so that grants on it land in the grantees' IAM policies (no cycle).
    const encryptionKey = kms.Key.fromKeyArn(this, 'DataKey', props.encryptionKey.keyArn);

    // Placement by subnet role: instances in ecs-ec2 (COMPUTE), the NLB and the task interfaces in ecs-service
    // (LOAD_BALANCER, TASKS); nothing in ecs-tgw (TRANSIT).
    this.service = new PrivateLinkEcsService(this, 'Items', {
      vpc: ecsSpoke.vpc,
      networkMode: props.networkMode,
      clusterName: `items-ecs-${mode}`,
      capacity: {
        // Two types (a mixed instances policy): a capacity shortage of one type doesn't stop scale-out.
        instanceTypes: config.instanceTypes,
        spotPercentage: config.spotPercentage > 0 ? config.spotPercentage : undefined,
        minCapacity: config.minInstances,
        maxCapacity: config.maxInstances,
        instanceRoleName: `items-ecs-ec2-role${suffix}`,
        securityGroupName: `items-ecs-ec2-sg${suffix}`,
      },
      image: ecs.ContainerImage.fromAsset(path.join(__dirname, '..', 'items-service')),
      containerName: 'items',
      // The image's unprivileged user by id, a read-only root filesystem with a tmpfs for /tmp, no capabilities.
      containerUser: '1000:1000',
      readonlyRootFilesystem: true,
      tmpfs: [
        { containerPath: '/tmp', size: 64, mountOptions: [ecs.TmpfsMountOption.NOEXEC, ecs.TmpfsMountOption.NOSUID] },
      ],
      containerPort: 8080,
      cpu: 256,
      memoryLimitMiB: 512,
      environment: {
        DB_SSL: 'true',
        MIGRATE_ON_START: 'true',
        LOG_LEVEL: 'info',
      },
      secrets: {
        DB_HOST: ecs.Secret.fromSecretsManager(secret, 'host'),
        DB_PORT: ecs.Secret.fromSecretsManager(secret, 'port'),
        DB_NAME: ecs.Secret.fromSecretsManager(secret, 'dbname'),
        DB_USER: ecs.Secret.fromSecretsManager(secret, 'username'),
        DB_PASSWORD: ecs.Secret.fromSecretsManager(secret, 'password'),
      },
      containerHealthCheck: {
        command: [
          'CMD',
          'node',
          '-e',
          "fetch('http://127.0.0.1:8080/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))",
        ],
        interval: Duration.seconds(15),
        timeout: Duration.seconds(5),
        retries: 3,
        startPeriod: Duration.seconds(60),
      },
      logGroupName: `/gtuc/items/${mode}/containers`,
      // One key for every log group and the alarm topic; logs kept for a year by default (context logRetentionDays).
      encryptionKey,
      logRetention: config.logRetentionDays as logs.RetentionDays,
      accessLogRetention: config.logRetentionDays as logs.RetentionDays,
      tracingEnabled: true,
      // Off only for test deployments (context deletionProtection=false), like the database's.
      loadBalancerDeletionProtection: config.deletionProtection,
      accessLogGroupName: `/gtuc/items/${mode}/api-access`,
      executionRoleName: `items-ecs-task-definition-role${suffix}`,
      serviceName: `items-${mode}`,
      desiredCount: config.desiredCount,
      autoScaling: { maxCapacity: config.maxTasks, targetCpuUtilization: 60, targetRequestsPerTaskPerMinute: 3000 },
      healthCheckGracePeriod: Duration.seconds(90),
      serviceSecurityGroupName: props.networkMode === ServiceNetworkMode.AWS_VPC ? 'items-ecs-service-sg' : undefined,
      loadBalancerName: `items-${mode}-nlb`,
      loadBalancerSecurityGroupName: `items-ecs-nlb-sg${suffix}`,
      targetGroupName: `items-${mode}-tg`,
      healthCheck: { path: '/healthz' },
      apiName: `items-api-${mode}`,
      vpcLinkName: `items-vpc-link-${mode}`,
      stageName: 'prod',
      // The network stack owns the account-wide API Gateway CloudWatch role.
      cloudWatchRole: false,
      throttling: { rateLimit: config.throttleRate, burstLimit: config.throttleBurst },
      monitoring: {
        alarmEmail: config.alarmEmail,
        database: props.database,
        alarmNamePrefix: `items-${mode}`,
        dashboardName: `items-${mode}`,
      },
      webAcl: {
        webAclName: `items-waf-${mode}`,
        blockedCountries: ['NG'],
        captchaCountries: ['GH'],
        rateLimit: config.wafRateLimit,
        logRetention: config.logRetentionDays as logs.RetentionDays,
      },
    });
    // The tasks reach Aurora in the RDS VPC over the transit gateway; the database admits the ECS VPC CIDR.
    secret.grantRead(this.service.executionRole);
    // The library acknowledges no AwsSolutions-ECS2 itself (the rule reports the whole task definition): the
    // example lists the variables it sets and why none is secret.
    Findings.acknowledge(
      this.service.taskDefinition,
      'The container environment holds DB_SSL, MIGRATE_ON_START and LOG_LEVEL only, none secret; the database host, port, name, user and password come from Secrets Manager as ECS secrets.',
      'AwsSolutions-ECS2',
    );

    if (!config.deletionProtection) {
      Findings.acknowledge(
        this.service.loadBalancer,
        'Deletion protection is off only for test deployments (context deletionProtection=false).',
        ...['NIST.800.53.R5', 'PCI.DSS.321', 'HIPAA.Security'].map((pack) => `${pack}-ELBDeletionProtectionEnabled`),
      );
    }

    new CfnOutput(this, 'ApiUrl', { value: this.service.url, description: 'Invoke URL of the REST API stage' });
    new CfnOutput(this, 'ClusterName', { value: this.service.cluster.clusterName });
    new CfnOutput(this, 'ServiceName', { value: this.service.service.serviceName });
    new CfnOutput(this, 'NlbDnsName', { value: this.service.loadBalancer.loadBalancerDnsName });
    void ec2;
  }
}
