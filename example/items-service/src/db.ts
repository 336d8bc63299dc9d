import pg from 'pg';
import { Sequelize } from 'sequelize';
import type { DbConfig } from './config.js';
import { REJECTED_CREDENTIALS, type DbCredentials } from './credentials.js';
import type { Logger } from './logger.js';
import { defineItemModel, type ItemModel } from './models/item.js';

/**
 * The service talks to PostgreSQL through two pools:
 * - Sequelize (models, migrations, writes) and
 * - a plain `pg` pool for the hot read paths (list/get/readiness), which run
 *   named prepared statements and return rows that are already in the API shape.
 * Both fail fast when the database is unreachable: no retries, a short connect
 * and acquire timeout, a client-side query timeout that destroys a connection
 * whose server stopped answering, so requests answer 503 instead of hanging.
 * Every new connection takes its user and password from the credential source
 * at connect time; a rejected password (28P01) re-reads them and retries once.
 */
export interface Database {
  readonly sequelize: Sequelize;
  readonly Item: ItemModel;
  readonly readPool: pg.Pool;
  /** A read on the pg pool (retried once after a credential refresh on 28P01). */
  read<R extends pg.QueryResultRow = Record<string, unknown>>(q: pg.QueryConfig): Promise<pg.QueryResult<R>>;
  close(): Promise<void>;
}

function sslOptions(cfg: DbConfig) {
  return cfg.ssl ? { ca: cfg.ssl.ca, rejectUnauthorized: true } : undefined;
}

/** SQLSTATE 28P01: invalid_password (also what an expired VALID UNTIL gives). */
export const INVALID_PASSWORD = '28P01';

export class QueryTimeoutError extends Error {
  readonly code = 'ITEMS_QUERY_TIMEOUT';
  constructor(ms: number, cause?: unknown) {
    super(`the database did not answer within ${ms} ms (client-side query timeout); the connection was discarded`, { cause });
    this.name = 'QueryTimeoutError';
  }
}

type Callback = (err: Error | null, res?: unknown) => void;

/**
 * A pg.Client that takes its credentials from the source when it is created (so every new
 * pool connection uses the credentials in force), asks for a re-read when the server rejects
 * the password, and destroys its socket when a query gets no answer within the bound.
 */
export function credentialClient(cfg: DbConfig, logger?: Logger): typeof pg.Client {
  const source = cfg.credentials;
  const queryTimeoutMs = cfg.queryTimeoutMs;
  class CredentialClient extends pg.Client {
    constructor(options: pg.ClientConfig = {}) {
      const c = source.current();
      super({ ...options, host: c.host, port: c.port, database: c.database, user: c.user, password: c.password });
      this.credentials = c;
    }
    private readonly credentials: DbCredentials;
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    override connect(callback?: any): any {
      const onError = (err: Error) => {
        if ((err as { code?: string }).code === INVALID_PASSWORD) {
          (err as unknown as Record<symbol, unknown>)[REJECTED_CREDENTIALS] = this.credentials;
          source.refresh('28P01', this.credentials).catch((e: Error) => logger?.warn({ err: { message: e.message } }, 'credential refresh failed'));
        }
      };
      if (callback) {
        return super.connect((err: Error) => {
          if (err) onError(err);
          callback(err);
        });
      }
      return super.connect().catch((err: Error) => {
        onError(err);
        throw err;
      });
    }
    override query(config: any, values?: any, callback?: any): any {
      if (!queryTimeoutMs || (config && typeof config.submit === 'function')) return super.query(config, values, callback);
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        // Sequelize's pool checks this flag before handing the connection out again.
        (this as unknown as { _invalid: boolean })._invalid = true;
        // The server may be frozen: end() would wait for it. Destroying the socket fails this
        // query and any queued ones, and both pools drop the connection.
        (this as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy();
      }, queryTimeoutMs);
      timer.unref?.();
      const wrap = (cb: Callback): Callback => (err, res) => {
        clearTimeout(timer);
        cb(err && timedOut ? new QueryTimeoutError(queryTimeoutMs, err) : err, res);
      };
      if (typeof values === 'function') return super.query(config, wrap(values));
      if (typeof callback === 'function') return super.query(config, values, wrap(callback));
      return new Promise((resolve, reject) => {
        super.query(config, values, wrap((err, res) => (err ? reject(err) : resolve(res))));
      });
    }
  }
  return CredentialClient as unknown as typeof pg.Client;
}

export function createSequelize(cfg: DbConfig, logger?: Logger, opts: { poolMax?: number } = {}): Sequelize {
  const c = cfg.credentials.current();
  const sequelize = new Sequelize(c.database, c.user, c.password, {
    host: c.host,
    port: c.port,
    dialect: 'postgres',
    dialectModule: { ...pg, Client: credentialClient(cfg, logger) },
    logging: logger && logger.isLevelEnabled('trace') ? (sql: string) => logger.trace({ sql }, 'sql') : false,
    benchmark: false,
    pool: {
      max: opts.poolMax ?? Math.max(2, Math.ceil(cfg.poolMax / 2)),
      min: 0,
      acquire: cfg.acquireTimeoutMs,
      idle: 10_000,
      evict: 1_000,
    },
    // Only a rejected password is retried (after the credential re-read): the query never ran.
    retry: { max: 2, match: [/SequelizeAccessDeniedError|password authentication failed|28P01/] },
    hooks: {
      // A retry after 28P01 waits for the re-read the failed connect started.
      beforeConnect: async () => {
        await cfg.credentials.settled();
      },
    },
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
    Client: credentialClient(cfg, logger),
    ssl: sslOptions(cfg),
    max: cfg.poolMax,
    connectionTimeoutMillis: cfg.acquireTimeoutMs,
    idleTimeoutMillis: 10_000,
    statement_timeout: cfg.statementTimeoutMs,
    application_name: 'items-service-read',
  } as pg.PoolConfig);
  // An idle client whose server went away emits 'error' on the pool; without a
  // listener that would crash the process during a database outage.
  pool.on('error', (err) => logger?.warn({ err: { message: err.message, code: (err as { code?: string }).code } }, 'idle database connection lost'));
  return pool;
}

export function createDatabase(cfg: DbConfig, logger?: Logger): Database {
  const sequelize = createSequelize(cfg, logger);
  const readPool = createReadPool(cfg, logger);
  cfg.credentials.startTimer(
    (err) => logger?.warn({ err: { message: err.message } }, 'periodic credential refresh failed'),
    (reason) => logger?.info({ reason, db: cfg.credentials.describe() }, 'database credentials changed'),
  );
  const read = async <R extends pg.QueryResultRow>(q: pg.QueryConfig): Promise<pg.QueryResult<R>> => {
    try {
      return await readPool.query<R>(q);
    } catch (err) {
      if (sqlState(err) !== INVALID_PASSWORD) throw err;
      await cfg.credentials.refresh('28P01', (err as Record<symbol, DbCredentials | undefined>)[REJECTED_CREDENTIALS]);
      return readPool.query<R>(q);
    }
  };
  return {
    sequelize,
    Item: defineItemModel(sequelize),
    readPool,
    read,
    async close() {
      cfg.credentials.stop();
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

const UNAVAILABLE_ERRNO = new Set(['ITEMS_QUERY_TIMEOUT', 'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);

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
    if (/^08/.test(e.code) || /^57P0/.test(e.code) || e.code === '57014' || e.code === '53300' || e.code === '28P01' || e.code === '28000') return true;
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
