import { readFileSync } from 'node:fs';
import { CredentialError, credentialSourceFromEnv, type CredentialSource, type SourceOptions } from './credentials.js';

/** Connection settings for PostgreSQL, resolved from the environment. */
export interface DbConfig {
  /** Host, port, database, user and password: read through one module, refreshed without a restart. */
  readonly credentials: CredentialSource;
  /** TLS options; undefined means plain TCP (local development only). */
  readonly ssl?: { readonly ca: string; readonly rejectUnauthorized: true; readonly caPath: string };
  /** Maximum connections per pool (the service has a read pool and a write pool). */
  readonly poolMax: number;
  /** How long a request may wait for a connection (including connecting) before it fails with 503. */
  readonly acquireTimeoutMs: number;
  /** Server-side statement timeout. */
  readonly statementTimeoutMs: number;
  /**
   * Client-side bound on one query: when the server does not answer (frozen, network
   * black hole) the connection is destroyed and the request answers 503.
   */
  readonly queryTimeoutMs: number;
}

export interface Config {
  readonly host: string;
  readonly port: number;
  readonly db: DbConfig;
  readonly migrateOnStart: boolean;
  /** Upper bound for letting in-flight requests finish after SIGTERM. */
  readonly shutdownDrainMs: number;
  readonly logLevel: string;
  /** Maximum accepted JSON body size in bytes. */
  readonly bodyLimitBytes: number;
  /** Seconds advertised in Retry-After when the database is unavailable. */
  readonly retryAfterSeconds: number;
  /** Origins that get CORS headers (`CORS_ALLOWED_ORIGINS`, comma-separated; `*` for any); empty: none. */
  readonly corsAllowedOrigins: readonly string[];
}

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

export const DEFAULT_RDS_CA_PATH = '/opt/rds/global-bundle.pem';

type Env = Record<string, string | undefined>;

function intFrom(env: Env, name: string, def: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return def;
  if (!/^\d+$/.test(raw.trim())) throw new ConfigError(`${name} must be an integer, got "${raw}"`);
  const n = Number(raw.trim());
  if (n < min || n > max) throw new ConfigError(`${name} must be between ${min} and ${max}, got ${n}`);
  return n;
}

export function boolFrom(env: Env, name: string, def: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return def;
  const v = raw.trim().toLowerCase();
  if (['1', 'true', 'yes', 'on', 'require', 'required', 'verify-full'].includes(v)) return true;
  if (['0', 'false', 'no', 'off', 'disable', 'disabled'].includes(v)) return false;
  throw new ConfigError(`${name} must be a boolean (true/false), got "${raw}"`);
}

/** True when the environment names a database (DB_SECRET_ARN, DATABASE_URL or DB_HOST). */
export function hasDatabaseConfig(env: Env = process.env): boolean {
  return Boolean(env.DB_SECRET_ARN?.trim() || env.DATABASE_URL?.trim() || env.DB_HOST?.trim());
}

export function loadDbConfig(env: Env = process.env, opts: SourceOptions = {}): DbConfig {
  let credentials: CredentialSource;
  try {
    credentials = credentialSourceFromEnv(env, opts);
  } catch (err) {
    if (err instanceof CredentialError) throw new ConfigError(err.message);
    throw err;
  }
  let sslFromUrl = false;
  const url = env.DATABASE_URL?.trim();
  if (url && !env.DB_SECRET_ARN?.trim()) {
    const sslmode = new URL(url).searchParams.get('sslmode');
    sslFromUrl = sslmode !== null && !['disable', 'allow', 'prefer'].includes(sslmode);
  }

  // IAM database authentication only works over TLS: DB_SSL defaults to true and may not be turned off.
  const iam = credentials.kind === 'iam';
  const useSsl = boolFrom(env, 'DB_SSL', iam || sslFromUrl);
  if (iam && !useSsl) {
    throw new ConfigError(`DB_IAM_AUTH=true requires TLS (RDS accepts IAM auth tokens only over SSL), but DB_SSL is "${env.DB_SSL}"; unset DB_SSL or set it to true`);
  }
  let ssl: DbConfig['ssl'];
  if (useSsl) {
    const caPath = env.DB_SSL_CA_PATH?.trim() || DEFAULT_RDS_CA_PATH;
    let ca: string;
    try {
      ca = readFileSync(caPath, 'utf8');
    } catch (err) {
      throw new ConfigError(`DB_SSL is set but the CA bundle ${caPath} cannot be read (${(err as Error).message}); set DB_SSL_CA_PATH`);
    }
    if (!ca.includes('BEGIN CERTIFICATE')) {
      throw new ConfigError(`DB_SSL_CA_PATH ${caPath} does not contain a PEM certificate`);
    }
    ssl = { ca, rejectUnauthorized: true, caPath };
  }

  const statementTimeoutMs = intFrom(env, 'DB_STATEMENT_TIMEOUT_MS', 5000, 100, 600000);
  return {
    credentials,
    ssl,
    poolMax: intFrom(env, 'DB_POOL_MAX', 10, 1, 200),
    acquireTimeoutMs: intFrom(env, 'DB_ACQUIRE_TIMEOUT_MS', 3000, 100, 60000),
    statementTimeoutMs,
    queryTimeoutMs: intFrom(env, 'DB_QUERY_TIMEOUT_MS', statementTimeoutMs + 1000, 100, 600000),
  };
}

function corsOrigins(raw: string | undefined): string[] {
  const list = (raw ?? '').split(',').map((o) => o.trim()).filter(Boolean);
  for (const o of list) {
    if (o !== '*' && !/^https?:\/\/[A-Za-z0-9.-]+(:\d{1,5})?$/.test(o)) {
      throw new ConfigError(`CORS_ALLOWED_ORIGINS entries must be origins like https://app.example.com (scheme://host[:port]) or *, got "${o}"`);
    }
  }
  return list;
}

export function loadConfig(env: Env = process.env): Config {
  return {
    host: env.HOST?.trim() || '0.0.0.0',
    port: intFrom(env, 'PORT', 8080, 0, 65535),
    db: loadDbConfig(env),
    migrateOnStart: boolFrom(env, 'MIGRATE_ON_START', false),
    shutdownDrainMs: intFrom(env, 'SHUTDOWN_DRAIN_MS', 20000, 0, 600000),
    logLevel: env.LOG_LEVEL?.trim() || 'info',
    bodyLimitBytes: intFrom(env, 'BODY_LIMIT_BYTES', 64 * 1024, 1024, 10 * 1024 * 1024),
    retryAfterSeconds: intFrom(env, 'RETRY_AFTER_SECONDS', 5, 1, 3600),
    corsAllowedOrigins: corsOrigins(env.CORS_ALLOWED_ORIGINS),
  };
}

/** A loggable description of where the service connects, without the password. */
export function describeDb(db: DbConfig): Record<string, unknown> {
  return { ...db.credentials.describe(), tls: Boolean(db.ssl), caPath: db.ssl?.caPath };
}
