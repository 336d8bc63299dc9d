import { Duration, RemovalPolicy, Stack, StackProps } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as events from 'aws-cdk-lib/aws-events';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { DatabaseApplicationUser, Findings, SpokeVpc } from '../../src';

/** Characters left out of generated and rotated passwords (as the master secret always had). */
const EXCLUDE_CHARACTERS = '"@/\\\'';

/** Props of the GTUC database stack. */
export interface DatabaseStackProps extends StackProps {
  /** The RDS spoke of the network (tier `rds` holds the database, with its network ACL). */
  readonly rdsSpoke: SpokeVpc;
  /** Aurora instance type (writer and reader). */
  readonly instanceType: ec2.InstanceType;
  /** Deletion protection and a snapshot on delete. */
  readonly deletionProtection: boolean;
  /**
   * The application's login user (rotated with `<name>_clone`) and the NOLOGIN group role holding its grants.
   * The migration task re-asserts the group's grants under the same name (`DB_APP_GROUP_ROLE`).
   */
  readonly appUserName?: string;
  readonly appGroupRoleName?: string;
  /** The customer-managed key of the credentials secret, the PostgreSQL log group and the backup vault. */
  readonly encryptionKey?: kms.IKey;
  /** How long the PostgreSQL log export is kept. */
  readonly logRetention?: logs.RetentionDays;
  /** Daily AWS Backup recovery points of the cluster, kept this long (none when undefined). */
  readonly backupRetention?: Duration;
}

/** The master user: the Aurora secret `items-rds-db-credentials`, read only by migrations, role setup and rotations. */
export const MASTER_USER_NAME = 'items_admin';

/**
 * Brief step 3: Aurora PostgreSQL `items-rds-db` (database `items`) in the RDS VPC's private subnets, with
 * parameter group `items-rds-pg`, subnet group `items-rds-subnet-group` and security group `items-rds-sg`.
 */
export class DatabaseStack extends Stack {
  public readonly cluster: rds.DatabaseCluster;
  public readonly securityGroup: ec2.SecurityGroup;
  /** The application database. */
  public readonly databaseName = 'items';
  /** The master secret: for the migration step only (never the service). */
  public readonly masterSecret: secretsmanager.ISecret;
  /** The application user `items_app` (group `items_app_rw`), its secret and alternating-users rotation. */
  public readonly appUser: DatabaseApplicationUser;
  /** The AWS Backup plan of the cluster, when `backupRetention` is set. */
  public readonly backupPlan?: backup.BackupPlan;

  constructor(scope: Construct, id: string, props: DatabaseStackProps) {
    super(scope, id, props);
    const vpc = props.rdsSpoke.vpc;
    // The key lives in the network stack: imported here, so grants on it go to the grantees' IAM policies (the
    // key policy delegates to IAM) instead of a key policy that would depend on this stack.
    const encryptionKey = props.encryptionKey
      ? kms.Key.fromKeyArn(this, 'DataKey', props.encryptionKey.keyArn)
      : undefined;
    const subnets = props.rdsSpoke.selectTier('rds');
    const engine = rds.DatabaseClusterEngine.auroraPostgres({ version: rds.AuroraPostgresEngineVersion.VER_16_6 });

    const parameterGroup = new rds.ParameterGroup(this, 'ParameterGroup', {
      engine,
      name: 'items-rds-pg',
      description: 'items-rds-db cluster parameters: TLS required',
      parameters: { 'rds.force_ssl': '1' },
    });
    const subnetGroup = new rds.SubnetGroup(this, 'SubnetGroup', {
      vpc,
      vpcSubnets: subnets,
      subnetGroupName: 'items-rds-subnet-group',
      description: 'items-rds-db: private-us-east-2{a,b,c}-rds',
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc,
      securityGroupName: 'items-rds-sg',
      description: 'items-rds-db: PostgreSQL from the database client CIDRs only',
      allowAllOutbound: false,
    });
    // The same list drives the rds tier's network ACL, so widening one never leaves the other blocking.
    for (const cidr of props.rdsSpoke.clientCidrs('rds')) {
      this.securityGroup.addIngressRule(ec2.Peer.ipv4(cidr), ec2.Port.tcp(5432), `PostgreSQL from ${cidr}`);
    }

    const instanceProps = (az: string): rds.ProvisionedClusterInstanceProps => ({
      instanceType: props.instanceType,
      availabilityZone: az,
      publiclyAccessible: false,
      enablePerformanceInsights: true,
      autoMinorVersionUpgrade: true,
    });
    // The PostgreSQL log export's group, created up front with a retention (no log-retention function needed).
    const postgresLogs = new logs.LogGroup(this, 'PostgresLogs', {
      logGroupName: '/aws/rds/cluster/items-rds-db/postgresql',
      retention: props.logRetention ?? logs.RetentionDays.THREE_MONTHS,
      encryptionKey,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.cluster = new rds.DatabaseCluster(this, 'Cluster', {
      engine,
      clusterIdentifier: 'items-rds-db',
      defaultDatabaseName: this.databaseName,
      credentials: rds.Credentials.fromGeneratedSecret(MASTER_USER_NAME, {
        secretName: 'items-rds-db-credentials',
        encryptionKey,
      }),
      writer: rds.ClusterInstance.provisioned('Writer', {
        ...instanceProps('us-east-2a'),
        instanceIdentifier: 'items-rds-db-writer',
      }),
      readers: [
        rds.ClusterInstance.provisioned('Reader', {
          ...instanceProps('us-east-2b'),
          instanceIdentifier: 'items-rds-db-reader',
        }),
      ],
      vpc,
      subnetGroup,
      securityGroups: [this.securityGroup],
      parameterGroup,
      storageEncrypted: true,
      iamAuthentication: true,
      // The application role setup runs its SQL through the Data API as the master user (no VPC, no bundling).
      enableDataApi: true,
      backup: { retention: Duration.days(7), preferredWindow: '07:00-08:00' },
      preferredMaintenanceWindow: 'sun:08:30-sun:09:30',
      cloudwatchLogsExports: ['postgresql'],
      monitoringInterval: Duration.seconds(60),
      deletionProtection: props.deletionProtection,
      removalPolicy: props.deletionProtection ? RemovalPolicy.SNAPSHOT : RemovalPolicy.DESTROY,
      copyTagsToSnapshot: true,
    });
    this.cluster.node.addDependency(postgresLogs);
    this.masterSecret = this.cluster.secret!;
    // Rotation functions run in the rds tier and reach Secrets Manager through the RDS VPC's secretsmanager
    // interface endpoint (no NAT in that VPC), and the database on 5432 inside the VPC.
    // The master user: single-user rotation; only the migration step, the role setup and the rotations read it.
    this.cluster.addRotationSingleUser({
      automaticallyAfter: Duration.days(30),
      vpcSubnets: subnets,
      excludeCharacters: EXCLUDE_CHARACTERS,
    });
    // The application user: least privilege, alternating-users rotation with the master secret as the rotating
    // credential. The role setup runs before the secret is attached and before the first rotation (DependsOn).
    this.appUser = new DatabaseApplicationUser(this, 'AppUser', {
      cluster: this.cluster,
      databaseName: this.databaseName,
      userName: props.appUserName ?? 'items_app',
      groupRoleName: props.appGroupRoleName ?? 'items_app_rw',
      masterUserName: MASTER_USER_NAME,
      migrationRoleName: MASTER_USER_NAME,
      secretName: 'items-rds-db-app-credentials',
      encryptionKey,
      logRetention: props.logRetention,
      rotateAfter: Duration.days(30),
      rotationSubnets: subnets,
      excludeCharacters: EXCLUDE_CHARACTERS,
    });

    if (props.backupRetention) {
      this.backupPlan = this.addBackupPlan(props.backupRetention, encryptionKey, props.deletionProtection);
    }

    Findings.acknowledge(
      this.cluster,
      'The brief fixes PostgreSQL on its default port 5432; the security group and network ACL admit it from the ECS VPC only.',
      'AwsSolutions-RDS11',
    );
    const monitoringRole = this.cluster.node.tryFindChild('MonitoringRole');
    if (monitoringRole) {
      Findings.acknowledge(
        monitoringRole,
        'AmazonRDSEnhancedMonitoringRole is the AWS-maintained policy that RDS enhanced monitoring requires.',
        'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole]',
      );
    }
    if (!props.deletionProtection) {
      Findings.acknowledge(
        this.cluster,
        'Deletion protection is off only for test deployments (context deletionProtection=false).',
        'AwsSolutions-RDS10',
        'NIST.800.53.R5-RDSInstanceDeletionProtectionEnabled',
        'PCI.DSS.321-RDSInstanceDeletionProtectionEnabled',
        'HIPAA.Security-RDSInstanceDeletionProtectionEnabled',
      );
    }
  }
  /** A daily AWS Backup plan of the whole cluster (Aurora is backed up per cluster, not per instance). */
  private addBackupPlan(retention: Duration, encryptionKey: kms.IKey | undefined, retain: boolean): backup.BackupPlan {
    if (retention.toDays() < 1) {
      throw new Error(`\`backupRetention\` must be at least 1 day, got: ${retention.toDays()} days.`);
    }
    const vault = new backup.BackupVault(this, 'BackupVault', {
      backupVaultName: 'items-rds-backup-vault',
      encryptionKey,
      // A vault with recovery points can't be deleted; test deployments (no deletion protection) try to.
      removalPolicy: retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    const plan = new backup.BackupPlan(this, 'BackupPlan', {
      backupPlanName: 'items-rds-backup-plan',
      backupVault: vault,
      backupPlanRules: [
        new backup.BackupPlanRule({
          ruleName: 'daily',
          scheduleExpression: events.Schedule.cron({ hour: '5', minute: '0' }),
          startWindow: Duration.hours(1),
          completionWindow: Duration.hours(8),
          deleteAfter: retention,
        }),
      ],
    });
    const selection = plan.addSelection('Cluster', {
      backupSelectionName: 'items-rds-db',
      resources: [backup.BackupResource.fromRdsDatabaseCluster(this.cluster)],
    });
    Findings.acknowledge(
      selection,
      'AWSBackupServiceRolePolicyForBackup is the AWS-maintained policy of the AWS Backup service role.',
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup]',
    );
    return plan;
  }
}
