import pg from 'pg';
import { Umzug, SequelizeStorage, type MigrationFn as UmzugMigrationFn } from 'umzug';
import type { QueryInterface } from 'sequelize';
import type { DbConfig } from './config.js';
import { createSequelize, credentialClient } from './db.js';
import type { Logger } from './logger.js';
import { MIGRATIONS } from './migrations/index.js';

export type MigrationFn = UmzugMigrationFn<QueryInterface>;

/** Advisory lock key shared by every task of the service (any constant bigint works). */
export const MIGRATION_LOCK_KEY = 727_274_001;

export interface MigrationResult {
  /** Names of the migrations this call applied (empty when the schema was up to date). */
  readonly executed: string[];
  /** Milliseconds spent waiting for the advisory lock. */
  readonly lockWaitMs: number;
  /** The group role granted DML (undefined when grants are disabled). */
  readonly appGroupRole?: string;
}

/** The group role the application users are members of (`DB_APP_GROUP_ROLE`, default items_app_rw; `none` disables). */
export const DEFAULT_APP_GROUP_ROLE = 'items_app_rw';
const ROLE_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export function appGroupRoleFromEnv(env: Record<string, string | undefined> = process.env): string | null {
  const raw = env.DB_APP_GROUP_ROLE?.trim();
  if (raw === 'none') return null;
  const role = raw || DEFAULT_APP_GROUP_ROLE;
  if (!ROLE_NAME.test(role) || role.startsWith('pg_') || role.startsWith('rds')) {
    throw new Error(`DB_APP_GROUP_ROLE must be a lower-case PostgreSQL identifier (a-z, 0-9, _; not pg_* or rds*), got "${raw}"`);
  }
  return role;
}

/**
 * Least privilege for the serving process: the group role (NOLOGIN) gets DML on the tables and
 * usage on the sequences, now and for tables the migrating role creates later (default
 * privileges); nobody but the owner may create objects in the schema. The login users (and
 * the rotation's `_clone`) are members of the group and own nothing.
 */
export async function grantAppRole(client: pg.Client, role: string, logger?: Logger): Promise<void> {
  const exists = await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role]);
  if (exists.rowCount === 0) {
    try {
      await client.query(`CREATE ROLE ${role} NOLOGIN`);
      logger?.info({ role }, 'created the application group role');
    } catch (err) {
      // 42710: created concurrently by another migrator (roles are per cluster).
      if ((err as { code?: string }).code !== '42710' && (err as { code?: string }).code !== '23505') throw err;
    }
  }
  await client.query(`
    REVOKE CREATE ON SCHEMA public FROM PUBLIC;
    GRANT USAGE ON SCHEMA public TO ${role};
    GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${role};
    REVOKE ALL ON TABLE schema_migrations FROM ${role};
    GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ${role};
    ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ${role};
    ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO ${role};`);
}

/**
 * Applies pending migrations while holding a PostgreSQL session advisory lock,
 * so several tasks starting at once migrate exactly once: the first one takes
 * the lock and migrates, the others wait, then find nothing pending.
 * The lock lives on its own connection and is released when that connection
 * ends, even if this process dies mid-migration.
 */
export async function runMigrations(db: DbConfig, logger?: Logger, opts: { lockTimeoutMs?: number; appGroupRole?: string | null } = {}): Promise<MigrationResult> {
  const appGroupRole = opts.appGroupRole === undefined ? appGroupRoleFromEnv() : opts.appGroupRole;
  await db.credentials.load();
  const Client = credentialClient({ ...db, queryTimeoutMs: 0 }, logger);
  const lockClient = new Client({
    ssl: db.ssl ? { ca: db.ssl.ca, rejectUnauthorized: true } : undefined,
    connectionTimeoutMillis: Math.max(db.acquireTimeoutMs, 5000),
    application_name: 'items-service-migrate',
  });
  lockClient.on('error', (err) => logger?.warn({ err: { message: err.message } }, 'migration lock connection error'));
  await lockClient.connect();
  const sequelize = createSequelize(db, logger, { poolMax: 2 });
  try {
    const started = Date.now();
    await lockClient.query(`SET lock_timeout = ${Math.floor(opts.lockTimeoutMs ?? 300_000)}`);
    await lockClient.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    const lockWaitMs = Date.now() - started;
    try {
      const umzug = new Umzug<QueryInterface>({
        migrations: MIGRATIONS.map((m) => ({ name: m.name, up: m.up, down: m.down })),
        context: sequelize.getQueryInterface(),
        storage: new SequelizeStorage({ sequelize, tableName: 'schema_migrations' }),
        logger: logger
          ? {
              info: (msg) => logger.info({ migration: msg }, 'migration'),
              warn: (msg) => logger.warn({ migration: msg }, 'migration'),
              error: (msg) => logger.error({ migration: msg }, 'migration'),
              debug: (msg) => logger.debug({ migration: msg }, 'migration'),
            }
          : undefined,
      });
      const executed = (await umzug.up()).map((m) => m.name);
      if (appGroupRole) await grantAppRole(lockClient, appGroupRole, logger);
      logger?.info({ executed, lockWaitMs, appGroupRole }, executed.length ? 'migrations applied' : 'schema up to date');
      return { executed, lockWaitMs, appGroupRole: appGroupRole ?? undefined };
    } finally {
      await lockClient.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    }
  } finally {
    await sequelize.close().catch(() => undefined);
    await lockClient.end().catch(() => undefined);
  }
}
