import pg from 'pg';
import { Sequelize } from 'sequelize';
import type { DbConfig } from './config.js';
import type { Logger } from './logger.js';
import { defineItemModel, type ItemModel } from './models/item.js';

/**
 * The service talks to PostgreSQL through two pools:
 * - Sequelize (models, migrations, writes) and
 * - a plain `pg` pool for the hot read paths (list/get/readiness), which run
 *   named prepared statements and return rows that are already in the API shape.
 * Both fail fast when the database is unreachable: no retries, a short connect
 * and acquire timeout, so requests answer 503 instead of queueing for a minute.
 */
export interface Database {
  readonly sequelize: Sequelize;
  readonly Item: ItemModel;
  readonly readPool: pg.Pool;
  close(): Promise<void>;
}

function sslOptions(cfg: DbConfig) {
  return cfg.ssl ? { ca: cfg.ssl.ca, rejectUnauthorized: true } : undefined;
}

export function createSequelize(cfg: DbConfig, logger?: Logger, opts: { poolMax?: number } = {}): Sequelize {
  const sequelize = new Sequelize(cfg.database, cfg.user, cfg.password, {
    host: cfg.host,
    port: cfg.port,
    dialect: 'postgres',
    dialectModule: pg,
    logging: logger && logger.isLevelEnabled('trace') ? (sql: string) => logger.trace({ sql }, 'sql') : false,
    benchmark: false,
    pool: {
      max: opts.poolMax ?? Math.max(2, Math.ceil(cfg.poolMax / 2)),
      min: 0,
      acquire: cfg.acquireTimeoutMs,
      idle: 10_000,
      evict: 1_000,
    },
    retry: { max: 0 },
    dialectOptions: {
      connectionTimeoutMillis: cfg.acquireTimeoutMs,
      statement_timeout: cfg.statementTimeoutMs,
      application_name: 'items-service',
      ssl: sslOptions(cfg),
    },
  });
  return sequelize;
}

export function createReadPool(cfg: DbConfig, logger?: Logger): pg.Pool {
  const pool = new pg.Pool({
    host: cfg.host,
    port: cfg.port,
    database: cfg.database,
    user: cfg.user,
    password: cfg.password,
    ssl: sslOptions(cfg),
    max: cfg.poolMax,
    connectionTimeoutMillis: cfg.acquireTimeoutMs,
    idleTimeoutMillis: 10_000,
    statement_timeout: cfg.statementTimeoutMs,
    application_name: 'items-service-read',
  });
  // An idle client whose server went away emits 'error' on the pool; without a
  // listener that would crash the process during a database outage.
  pool.on('error', (err) => logger?.warn({ err: { message: err.message, code: (err as { code?: string }).code } }, 'idle database connection lost'));
  return pool;
}

export function createDatabase(cfg: DbConfig, logger?: Logger): Database {
  const sequelize = createSequelize(cfg, logger);
  const readPool = createReadPool(cfg, logger);
  return {
    sequelize,
    Item: defineItemModel(sequelize),
    readPool,
    async close() {
      await Promise.allSettled([sequelize.close(), readPool.end()]);
    },
  };
}

const UNAVAILABLE_NAMES = new Set([
  'SequelizeConnectionError',
  'SequelizeConnectionRefusedError',
  'SequelizeConnectionTimedOutError',
  'SequelizeHostNotFoundError',
  'SequelizeHostNotReachableError',
  'SequelizeConnectionAcquireTimeoutError',
  'SequelizeAccessDeniedError',
]);

const UNAVAILABLE_ERRNO = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);

/**
 * True when an error means "the database is not available right now"
 * (connection refused/reset/timed out, server shutting down or starting up,
 * statement cancelled by a timeout), so the request should get a 503.
 */
export function isDatabaseUnavailable(err: unknown, depth = 0): boolean {
  if (!err || typeof err !== 'object' || depth > 4) return false;
  const e = err as { name?: string; code?: string; message?: string; parent?: unknown; original?: unknown; cause?: unknown };
  if (e.name && UNAVAILABLE_NAMES.has(e.name)) return true;
  if (typeof e.code === 'string') {
    if (UNAVAILABLE_ERRNO.has(e.code)) return true;
    // 08xxx connection exceptions, 57P01-57P05 admin shutdown / crash / cannot connect now,
    // 57014 statement timeout (query_canceled), 53300 too many connections.
    if (/^08/.test(e.code) || /^57P0/.test(e.code) || e.code === '57014' || e.code === '53300') return true;
  }
  if (typeof e.message === 'string' && /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|connect ECONNREFUSED|Connection terminated unexpectedly/i.test(e.message)) {
    return true;
  }
  return isDatabaseUnavailable(e.parent, depth + 1) || isDatabaseUnavailable(e.original, depth + 1) || isDatabaseUnavailable(e.cause, depth + 1);
}

/** SQLSTATE of a pg or Sequelize-wrapped error. */
export function sqlState(err: unknown): string | undefined {
  const e = err as { code?: unknown; parent?: { code?: unknown }; original?: { code?: unknown } } | undefined;
  const code = e?.parent?.code ?? e?.original?.code ?? e?.code;
  return typeof code === 'string' ? code : undefined;
}
