import * as path from 'path';
import { Duration, RemovalPolicy, Stack, StackProps } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { Findings, HubSpokeNetwork } from '../../src';
import { OneOffTaskRun } from '../constructs/one-off-task-run';

/** Props of the GTUC migration stack. */
export interface MigrationStackProps extends StackProps {
  /** The hub-spoke network: the task runs in the ECS VPC's `ecs-service` subnets and reaches Aurora over the TGW. */
  readonly network: HubSpokeNetwork;
  /** The master secret: the migration credentials (DDL, `CREATE EXTENSION`). Only this stack's task reads it. */
  readonly masterSecret: secretsmanager.ISecret;
  /** The database the migrations run in (`DB_NAME`; the master secret has no `dbname`). */
  readonly databaseName: string;
  /** The group role the migrations grant the application's privileges to (`DB_APP_GROUP_ROLE`). */
  readonly appGroupRoleName: string;
  /** The data key: encrypts the task's and the custom resource's log groups (imported by ARN: no cycle). */
  readonly encryptionKey?: kms.IKey;
  /** How long the migration logs are kept, in days. @default 365 */
  readonly logRetention?: number;
}

/**
 * The schema migrations as their own deployment step: a one-off Fargate task (`node dist/cli/migrate.js`, the
 * items image) that runs with the master credentials, awaited by a custom resource. The service stacks depend on
 * this stack, so a task never serves a schema that failed to migrate, and the serving tasks never hold the master
 * secret.
 */
export class MigrationStack extends Stack {
  public readonly cluster: ecs.Cluster;
  public readonly taskDefinition: ecs.FargateTaskDefinition;
  public readonly run: OneOffTaskRun;

  constructor(scope: Construct, id: string, props: MigrationStackProps) {
    super(scope, id, props);
    const ecsSpoke = props.network.spoke('ecs');
    const rdsVpc = props.network.spoke('rds').vpc;

    this.cluster = new ecs.Cluster(this, 'Cluster', {
      vpc: ecsSpoke.vpc,
      clusterName: 'items-ecs-migrate',
      containerInsightsV2: ecs.ContainerInsights.ENABLED,
    });
    const encryptionKey = props.encryptionKey
      ? kms.Key.fromKeyArn(this, 'DataKey', props.encryptionKey.keyArn)
      : undefined;
    const retention = (props.logRetention ?? 365) as logs.RetentionDays;
    const logGroup = new logs.LogGroup(this, 'Logs', {
      logGroupName: '/gtuc/items/migrations',
      retention,
      encryptionKey,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.taskDefinition = new ecs.FargateTaskDefinition(this, 'TaskDefinition', {
      family: 'items-migrate',
      cpu: 256,
      memoryLimitMiB: 512,
      runtimePlatform: {
        cpuArchitecture: ecs.CpuArchitecture.X86_64,
        operatingSystemFamily: ecs.OperatingSystemFamily.LINUX,
      },
    });
    this.taskDefinition.addContainer('migrate', {
      containerName: 'migrate',
      image: ecs.ContainerImage.fromAsset(path.join(__dirname, '..', 'items-service')),
      command: ['node', 'dist/cli/migrate.js'],
      environment: {
        // The task role reads the secret itself (no ECS secrets: nothing frozen in the task, nothing for the agent).
        DB_SECRET_ARN: props.masterSecret.secretArn,
        // The master secret's attachment adds host and port but no dbname: name the application database.
        DB_NAME: props.databaseName,
        DB_SSL: 'true',
        DB_APP_GROUP_ROLE: props.appGroupRoleName,
        LOG_LEVEL: 'info',
      },
      logging: ecs.LogDrivers.awsLogs({ logGroup, streamPrefix: 'migrate' }),
      readonlyRootFilesystem: true,
      essential: true,
    });
    props.masterSecret.grantRead(this.taskDefinition.taskRole);

    const securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: ecsSpoke.vpc,
      securityGroupName: 'items-ecs-migrate-sg',
      description: 'items migrations: HTTPS to AWS APIs, PostgreSQL to the RDS VPC; no inbound',
      allowAllOutbound: false,
    });
    securityGroup.addEgressRule(
      ec2.Peer.anyIpv4(),
      ec2.Port.tcp(443),
      'HTTPS to ECR, Secrets Manager, CloudWatch Logs',
    );
    securityGroup.addEgressRule(
      ec2.Peer.ipv4(rdsVpc.vpcCidrBlock),
      ec2.Port.tcp(5432),
      'PostgreSQL to Aurora in the RDS VPC (over the transit gateway)',
    );

    this.run = new OneOffTaskRun(this, 'Run', {
      cluster: this.cluster,
      taskDefinition: this.taskDefinition,
      containerName: 'migrate',
      subnets: ecsSpoke.selectTier('ecs-service'),
      securityGroups: [securityGroup],
      timeout: Duration.minutes(30),
      logRetention: retention,
      encryptionKey,
    });

    Findings.acknowledge(
      this.taskDefinition.obtainExecutionRole(),
      'ecr:GetAuthorizationToken, which an image from ECR needs, has no resource-level permissions (Resource must be *).',
      'AwsSolutions-IAM5[Resource::*]',
    );
    Findings.acknowledge(
      this.taskDefinition,
      'Only non-secret settings are environment variables; DB_SECRET_ARN names the secret the task role reads at run time.',
      'AwsSolutions-ECS2',
    );
  }
}
