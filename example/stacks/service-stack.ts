import * as path from 'path';
import { Annotations, CfnOutput, Duration, Size, Stack, StackProps } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { Findings, HubSpokeNetwork, ManagedRuleGroup, PrivateLinkEcsService, ServiceNetworkMode } from '../../src';
import { GtucConfig, modeName } from '../config';

/** The runbook that every alarm description links to (`<url>#<alarm name>`). */
export const RUNBOOK_URL = 'https://github.com/gtuc/cdk-privatelink-ecs/blob/main/docs/operations.md';

/** Props of a GTUC items service stack. */
export interface ServiceStackProps extends StackProps {
  /** The hub-spoke network. */
  readonly network: HubSpokeNetwork;
  /** The Aurora cluster (its metrics feed the dashboard; the service never sees its master secret). */
  readonly database: rds.DatabaseCluster;
  /** The application user's secret: the task role reads it (`DB_SECRET_ARN`) and re-reads it after a rotation. */
  readonly databaseSecret: secretsmanager.ISecret;
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
    const secret = props.databaseSecret;
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
      // The application user's credentials: the service reads the secret with its task role, re-reads it on 28P01
      // and every DB_SECRET_REFRESH_SECONDS (default 300), so the alternating-users rotation needs no restart.
      // Migrations are the items-migrations stack's step, never the serving task's.
      environment: {
        DB_SECRET_ARN: secret.secretArn,
        DB_SSL: 'true',
        MIGRATE_ON_START: 'false',
        LOG_LEVEL: 'info',
        ...(config.allowedOrigins.length > 0 ? { CORS_ALLOWED_ORIGINS: config.allowedOrigins.join(',') } : {}),
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
      // Browser apps (context `allowedOrigins`): preflights and the gateway's own errors answered at the gateway.
      cors:
        config.allowedOrigins.length > 0
          ? { allowOrigins: config.allowedOrigins, exposeHeaders: ['X-Request-Id', 'ETag', 'Link', 'Retry-After'] }
          : undefined,
      monitoring: {
        alarmEmail: config.alarmEmail,
        database: props.database,
        alarmNamePrefix: `items-${mode}`,
        dashboardName: `items-${mode}`,
        runbookUrl: RUNBOOK_URL,
      },
      webAcl: {
        webAclName: `items-waf-${mode}`,
        blockedCountries: ['NG'],
        captchaCountries: ['GH'],
        allowedIpv4Cidrs: config.wafAllowedIpv4Cidrs,
        rateLimit: config.wafRateLimit,
        // The items service accepts 64 KB bodies: WAF inspects all of them and answers 413 above.
        bodyInspectionSize: Size.kibibytes(64),
        managedRuleGroups: [
          ...ManagedRuleGroup.defaults(),
          ManagedRuleGroup.anonymousIpList(),
          ManagedRuleGroup.sqlDatabase(),
        ],
        logRetention: config.logRetentionDays as logs.RetentionDays,
      },
    });
    if (this.service.webAcl) {
      Annotations.of(this).addInfo(`Web ACL items-waf-${mode} needs ${this.service.webAcl.capacity} WCUs.`);
    }
    // The tasks reach Aurora in the RDS VPC over the transit gateway; the database admits the ECS VPC CIDR.
    // Only the task role reads the application secret; the execution role needs no database secret at all.
    secret.grantRead(this.service.taskDefinition.taskRole);
    // The library acknowledges no AwsSolutions-ECS2 itself (the rule reports the whole task definition): the
    // example lists the variables it sets and why none is secret.
    Findings.acknowledge(
      this.service.taskDefinition,
      'The container environment holds non-secret configuration only (DB_SSL, MIGRATE_ON_START, LOG_LEVEL, DB_SECRET_ARN — an ARN, not the secret — and CORS_ALLOWED_ORIGINS when set); the service reads its credentials from Secrets Manager with the task role.',
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
