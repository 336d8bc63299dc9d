import { App, CfnOutput, Duration, Environment } from 'aws-cdk-lib';
import { acknowledgeComplianceFindings } from './compliance';
import { GtucConfig, modeName, readConfig } from './config';
import { DatabaseStack } from './stacks/database-stack';
import { MigrationStack } from './stacks/migration-stack';
import { NetworkStack } from './stacks/network-stack';
import { ServiceStack } from './stacks/service-stack';

/** The stacks of the GTUC example. */
export interface GtucStacks {
  readonly config: GtucConfig;
  readonly network: NetworkStack;
  readonly database: DatabaseStack;
  readonly migrations: MigrationStack;
  readonly services: ServiceStack[];
}

/**
 * Builds the GTUC environment into `app`: stacks `items-network`, `items-database`, `items-migrations` (the schema
 * migrations, run once per deployment before the services) and one `items-service-<mode>` per network mode,
 * pinned to us-east-2 (AZs a/b/c) with no lookups.
 */
export function buildGtucApp(app: App): GtucStacks {
  const config = readConfig(app);
  const env: Environment = { account: process.env.CDK_DEFAULT_ACCOUNT, region: 'us-east-2' };

  const network = new NetworkStack(app, 'items-network', {
    env,
    description: 'GTUC items: hub-spoke network (items-ecs-vpc, items-rds-vpc, items-tgw)',
    databaseClientCidrs: config.databaseClientCidrs,
    logRetention: config.logRetentionDays,
    retainKey: config.deletionProtection,
  });
  const database = new DatabaseStack(app, 'items-database', {
    env,
    description: 'GTUC items: Aurora PostgreSQL items-rds-db',
    rdsSpoke: network.network.spoke('rds'),
    instanceType: config.databaseInstanceType,
    deletionProtection: config.deletionProtection,
    encryptionKey: network.dataKey,
    logRetention: config.logRetentionDays,
    backupRetention: Duration.days(35),
  });
  new CfnOutput(database, 'DbEndpoint', { value: database.cluster.clusterEndpoint.hostname });
  new CfnOutput(database, 'DbSecretArn', {
    value: database.masterSecret.secretArn,
    description: 'Master secret (migrations, role setup and rotations only)',
  });
  new CfnOutput(database, 'DbAppSecretArn', {
    value: database.appUser.secret!.secretArn,
    description: 'Application user secret (the services read it; alternating-users rotation)',
  });

  const migrations = new MigrationStack(app, 'items-migrations', {
    env,
    description: 'GTUC items: schema migrations as a one-off ECS task with the migration credentials',
    network: network.network,
    masterSecret: database.masterSecret,
    databaseName: database.databaseName,
    appGroupRoleName: database.appUser.groupRoleName,
    encryptionKey: network.dataKey,
    logRetention: config.logRetentionDays,
  });
  // The migrations grant to the group role the database stack created (and the role setup precedes them).
  migrations.addDependency(database);

  const services = config.networkModes.map(
    (mode) =>
      new ServiceStack(app, `items-service-${modeName(mode)}`, {
        env,
        description: `GTUC items: catalog service, ${modeName(mode)} network mode, behind API Gateway + WAF`,
        network: network.network,
        database: database.cluster,
        databaseSecret: database.appUser.secret!,
        encryptionKey: network.dataKey,
        networkMode: mode,
        config,
      }),
  );
  // A service starts only after the schema it serves is migrated.
  for (const service of services) {
    service.addDependency(migrations);
  }
  acknowledgeComplianceFindings(network, database, services, migrations);
  return { config, network, database, migrations, services };
}
