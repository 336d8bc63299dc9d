import pg from 'pg';
import { Umzug, SequelizeStorage, type MigrationFn as UmzugMigrationFn } from 'umzug';
import type { QueryInterface } from 'sequelize';
import type { DbConfig } from './config.js';
import { createSequelize } from './db.js';
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
}

/**
 * Applies pending migrations while holding a PostgreSQL session advisory lock,
 * so several tasks starting at once migrate exactly once: the first one takes
 * the lock and migrates, the others wait, then find nothing pending.
 * The lock lives on its own connection and is released when that connection
 * ends, even if this process dies mid-migration.
 */
export async function runMigrations(db: DbConfig, logger?: Logger, opts: { lockTimeoutMs?: number } = {}): Promise<MigrationResult> {
  const lockClient = new pg.Client({
    host: db.host,
    port: db.port,
    database: db.database,
    user: db.user,
    password: db.password,
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
      logger?.info({ executed, lockWaitMs }, executed.length ? 'migrations applied' : 'schema up to date');
      return { executed, lockWaitMs };
    } finally {
      await lockClient.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    }
  } finally {
    await sequelize.close().catch(() => undefined);
    await lockClient.end().catch(() => undefined);
  }
}
