import { readFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';

/**
 * The one place the service gets database credentials from.
 *
 * - In AWS: `DB_SECRET_ARN` names a Secrets Manager secret in the RDS shape
 *   (`{"username","password","host","port","dbname"}`), read with the task role.
 * - Locally and in tests: `DATABASE_URL`, or `DB_HOST`/`DB_NAME`/`DB_USER` with
 *   `DB_PASSWORD` or `DB_PASSWORD_FILE` (the file is re-read on every refresh).
 *
 * Credentials are re-read on a timer (`DB_SECRET_REFRESH_SECONDS`, default 300) and as soon
 * as PostgreSQL rejects a password (SQLSTATE 28P01), so an alternating-users rotation never
 * needs a restart: new pool connections use the fresh credentials, open ones keep working.
 * Nothing here logs a password; `describe()` is the loggable view.
 *
 * IAM database authentication (`DB_IAM_AUTH=true`, exclusive with every password source):
 * the password is an RDS IAM auth token signed with the task role (`@aws-sdk/rds-signer`).
 * A token is valid for 15 minutes; the source caches it and signs a new one after 10 minutes
 * (on the timer and, should the timer lag, on the next `current()` past that age) and at once
 * after a 28P01. Tokens are never logged.
 */
export interface DbCredentials {
  readonly host: string;
  readonly port: number;
  readonly database: string;
  readonly user: string;
  readonly password: string;
}

export interface CredentialSource {
  /** Where credentials come from: 'url', 'env', 'file', 'secretsmanager' or 'iam' (RDS IAM auth tokens). */
  readonly kind: 'url' | 'env' | 'file' | 'secretsmanager' | 'iam';
  /** The credentials in force (throws before the first load of an asynchronous source). */
  current(): DbCredentials;
  /** Loads the credentials once (no-op when already loaded). */
  load(): Promise<DbCredentials>;
  /**
   * Re-reads the credentials now. Concurrent calls share one read. With `rejected` (the
   * credentials PostgreSQL refused), newer credentials in force are returned without a read;
   * otherwise calls within `minIntervalMs` of the last re-read return the credentials in force.
   */
  refresh(reason: string, rejected?: DbCredentials): Promise<DbCredentials>;
  /** Resolves when no refresh is in flight. */
  settled(): Promise<void>;
  /** Starts the periodic re-read (unref'd timer). */
  startTimer(onError?: (err: Error) => void, onChange?: (reason: string) => void): void;
  stop(): void;
  /** How many times the credentials changed since start (for tests and logs). */
  readonly changes: number;
  describe(): Record<string, unknown>;
}

/** Set (as a symbol, never logged) on a 28P01 error: the credentials the server refused. */
export const REJECTED_CREDENTIALS = Symbol('rejectedCredentials');

export class CredentialError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CredentialError';
  }
}

type Env = Record<string, string | undefined>;

/** Parses an RDS-shaped secret; env DB_HOST/DB_PORT/DB_NAME fill what the secret lacks. */
export function parseRdsSecret(text: string, env: Env = {}): DbCredentials {
  let s: Record<string, unknown>;
  try {
    s = JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw new CredentialError('the database secret is not JSON (expected {"username","password","host","port","dbname"})');
  }
  const str = (k: string) => (typeof s[k] === 'string' && s[k] !== '' ? (s[k] as string) : undefined);
  const user = str('username');
  const password = str('password');
  const host = str('host') ?? env.DB_HOST;
  const database = str('dbname') ?? env.DB_NAME ?? 'postgres';
  const rawPort = s.port ?? env.DB_PORT ?? 5432;
  const port = Number(rawPort);
  const missing = [!user && 'username', !password && 'password', !host && 'host'].filter(Boolean);
  if (missing.length) throw new CredentialError(`the database secret lacks ${missing.join(', ')}`);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new CredentialError(`the database secret has an invalid port: ${JSON.stringify(rawPort)}`);
  return { host: host!, port, database, user: user!, password: password! };
}

/** What an RDS IAM auth token is signed for. */
export interface IamTokenRequest {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly region: string;
}

/** Generates an RDS IAM auth token (default: `Signer.getAuthToken()` with the task role). */
export type IamTokenGenerator = (req: IamTokenRequest) => Promise<string>;

/** An RDS IAM auth token is valid for 15 minutes. */
export const IAM_TOKEN_LIFETIME_MS = 15 * 60_000;
/** A cached token is replaced after 10 minutes, well before it expires. */
export const IAM_TOKEN_REFRESH_MS = 10 * 60_000;

export interface SourceOptions {
  /** Reads the raw secret string (tests inject one; default: Secrets Manager GetSecretValue). */
  readonly readSecret?: () => Promise<string>;
  readonly minIntervalMs?: number;
  /** IAM mode: generates the auth token (tests inject one; default: `@aws-sdk/rds-signer`). */
  readonly tokenGenerator?: IamTokenGenerator;
  /** IAM mode: age after which a cached token is replaced (default {@link IAM_TOKEN_REFRESH_MS}). */
  readonly iamRefreshMs?: number;
  /** The clock (tests inject a fake one; default `Date.now`). */
  readonly now?: () => number;
}

function makeSource(
  kind: CredentialSource['kind'],
  read: () => Promise<DbCredentials>,
  initial: DbCredentials | undefined,
  refreshSeconds: number,
  where: Record<string, unknown>,
  minIntervalMs: number,
  /** When set: credentials older than this are re-read on the next `current()` (IAM tokens). */
  maxAgeMs?: number,
  now: () => number = Date.now,
): CredentialSource {
  let creds = initial;
  let inflight: Promise<DbCredentials> | undefined;
  let lastRead = 0;
  let timer: NodeJS.Timeout | undefined;
  let changes = 0;
  let onChangeCb: ((reason: string) => void) | undefined;

  const doRead = (reason: string): Promise<DbCredentials> => {
    inflight ??= read()
      .then((fresh) => {
        let next = fresh;
        const changed = creds !== undefined && (creds.user !== next.user || creds.password !== next.password || creds.host !== next.host || creds.port !== next.port || creds.database !== next.database);
        // Keep the same object when nothing changed (identity tells callers whether a read moved on).
        if (!changed && creds) next = creds;
        creds = next;
        lastRead = now();
        if (changed) {
          changes++;
          onChangeCb?.(reason);
        }
        return next;
      })
      .finally(() => {
        inflight = undefined;
      });
    return inflight;
  };

  const source: CredentialSource = {
    kind,
    get changes() {
      return changes;
    },
    current() {
      if (!creds) throw new CredentialError('database credentials are not loaded yet');
      // The token in force is still valid (15 min) while its successor is signed in the background.
      if (maxAgeMs !== undefined && !inflight && now() - lastRead >= maxAgeMs) {
        doRead('token age').catch(() => undefined);
      }
      return creds;
    },
    async load() {
      return creds ?? doRead('initial');
    },
    async refresh(reason, rejected) {
      if (inflight) return inflight;
      if (creds && rejected && creds !== rejected) return creds;
      if (creds && !rejected && now() - lastRead < minIntervalMs) return creds;
      return doRead(reason);
    },
    async settled() {
      if (inflight) await inflight.catch(() => undefined);
    },
    startTimer(onError, onChange) {
      onChangeCb = onChange;
      if (timer || refreshSeconds <= 0 || kind === 'url' || kind === 'env') return;
      timer = setInterval(() => {
        doRead('timer').catch((err: Error) => onError?.(err));
      }, kind === 'iam' && maxAgeMs !== undefined ? maxAgeMs : refreshSeconds * 1000);
      timer.unref();
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
    },
    describe() {
      const c = creds;
      return { source: kind, ...where, host: c?.host, port: c?.port, database: c?.database, user: c?.user };
    },
  };
  return source;
}

/** A fixed set of credentials (tests, tools). */
export function staticCredentials(c: DbCredentials, kind: 'url' | 'env' = 'env'): CredentialSource {
  return makeSource(kind, async () => c, c, 0, {}, 0);
}

function intEnv(env: Env, name: string, def: number, min: number, max: number): number {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return def;
  if (!/^\d+$/.test(raw)) throw new CredentialError(`${name} must be an integer, got "${raw}"`);
  const n = Number(raw);
  if (n < min || n > max) throw new CredentialError(`${name} must be between ${min} and ${max}, got ${n}`);
  return n;
}

/** Builds the credential source the environment describes. */
export function credentialSourceFromEnv(env: Env = process.env, opts: SourceOptions = {}): CredentialSource {
  const refreshSeconds = intEnv(env, 'DB_SECRET_REFRESH_SECONDS', 300, 0, 86_400);
  const minIntervalMs = opts.minIntervalMs ?? 1000;
  if (isIamAuth(env)) return iamSource(env, opts, minIntervalMs);
  const arn = env.DB_SECRET_ARN?.trim();
  if (arn) {
    const readSecret = opts.readSecret ?? secretsManagerReader(arn, env);
    return makeSource('secretsmanager', async () => parseRdsSecret(await readSecret(), env), undefined, refreshSeconds, { secretArn: arn }, minIntervalMs);
  }
  const url = env.DATABASE_URL?.trim();
  if (url) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new CredentialError('DATABASE_URL is not a valid URL (expected postgres://user:password@host:port/db)');
    }
    if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
      throw new CredentialError(`DATABASE_URL must use the postgres:// scheme, got ${parsed.protocol}`);
    }
    const c: DbCredentials = {
      host: decodeURIComponent(parsed.hostname),
      port: parsed.port ? Number(parsed.port) : 5432,
      database: decodeURIComponent(parsed.pathname.replace(/^\//, '')) || 'postgres',
      user: decodeURIComponent(parsed.username),
      password: decodeURIComponent(parsed.password),
    };
    return staticCredentials(c, 'url');
  }
  const file = env.DB_PASSWORD_FILE?.trim();
  const missing = ['DB_HOST', 'DB_NAME', 'DB_USER'].filter((k) => !env[k]);
  if (!file && !env.DB_PASSWORD) missing.push('DB_PASSWORD (or DB_PASSWORD_FILE)');
  if (missing.length > 0) throw new CredentialError(`database not configured: set DB_SECRET_ARN, DATABASE_URL, or ${missing.join(', ')}`);
  const base = { host: env.DB_HOST!, port: intEnv(env, 'DB_PORT', 5432, 1, 65535), database: env.DB_NAME!, user: env.DB_USER! };
  if (!file) return staticCredentials({ ...base, password: env.DB_PASSWORD! }, 'env');
  const readPassword = (text: string) => {
    const password = text.replace(/\r?\n$/, '');
    if (!password) throw new CredentialError(`DB_PASSWORD_FILE ${file} is empty`);
    return password;
  };
  let initial: DbCredentials;
  try {
    initial = { ...base, password: readPassword(readFileSync(file, 'utf8')) };
  } catch (err) {
    if (err instanceof CredentialError) throw err;
    throw new CredentialError(`DB_PASSWORD_FILE ${file} cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  return makeSource('file', async () => ({ ...base, password: readPassword(await readFile(file, 'utf8')) }), initial, refreshSeconds, { passwordFile: file }, minIntervalMs);
}

/** True when `DB_IAM_AUTH` asks for RDS IAM database authentication. */
export function isIamAuth(env: Env): boolean {
  const raw = env.DB_IAM_AUTH?.trim().toLowerCase();
  if (raw === undefined || raw === '') return false;
  if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
  if (['0', 'false', 'no', 'off'].includes(raw)) return false;
  throw new CredentialError(`DB_IAM_AUTH must be a boolean (true/false), got "${env.DB_IAM_AUTH}"`);
}

/** IAM mode: DB_HOST/DB_PORT/DB_NAME/DB_USER/AWS_REGION, and an auth token as the password. */
function iamSource(env: Env, opts: SourceOptions, minIntervalMs: number): CredentialSource {
  const conflicts = [
    env.DB_SECRET_ARN?.trim() && 'DB_SECRET_ARN',
    env.DB_PASSWORD && 'DB_PASSWORD',
    env.DB_PASSWORD_FILE?.trim() && 'DB_PASSWORD_FILE',
    env.DATABASE_URL?.trim() && 'DATABASE_URL',
  ].filter(Boolean);
  if (conflicts.length > 0) {
    throw new CredentialError(
      `DB_IAM_AUTH=true and ${conflicts.join(', ')} are exclusive: IAM database authentication uses an auth token as the password; unset ${conflicts.join(', ')} (or DB_IAM_AUTH)`,
    );
  }
  const region = env.AWS_REGION?.trim() || env.AWS_DEFAULT_REGION?.trim();
  const missing = ['DB_HOST', 'DB_NAME', 'DB_USER'].filter((k) => !env[k]?.trim());
  if (!region) missing.push('AWS_REGION');
  if (missing.length > 0) throw new CredentialError(`DB_IAM_AUTH=true needs ${missing.join(', ')}`);
  const base = { host: env.DB_HOST!.trim(), port: intEnv(env, 'DB_PORT', 5432, 1, 65535), database: env.DB_NAME!.trim(), user: env.DB_USER!.trim() };
  const refreshMs = opts.iamRefreshMs ?? IAM_TOKEN_REFRESH_MS;
  if (!(refreshMs > 0 && refreshMs < IAM_TOKEN_LIFETIME_MS)) throw new CredentialError(`the IAM token refresh must be between 0 and ${IAM_TOKEN_LIFETIME_MS} ms, got ${refreshMs}`);
  const generate = opts.tokenGenerator ?? rdsSigner();
  const read = async (): Promise<DbCredentials> => {
    const token = await generate({ host: base.host, port: base.port, user: base.user, region: region! });
    if (typeof token !== 'string' || token === '') throw new CredentialError('the IAM auth token generator returned no token');
    return { ...base, password: token };
  };
  return makeSource('iam', read, undefined, refreshMs / 1000, { iamAuth: true, region }, minIntervalMs, refreshMs, opts.now);
}

/** `Signer.getAuthToken()` with the default credential chain (the task role); the SDK is loaded only when used. */
function rdsSigner(): IamTokenGenerator {
  let mod: Promise<typeof import('@aws-sdk/rds-signer')> | undefined;
  return async ({ host, port, user, region }) => {
    mod ??= import('@aws-sdk/rds-signer');
    const { Signer } = await mod;
    return new Signer({ hostname: host, port, username: user, region }).getAuthToken();
  };
}

/** GetSecretValue (AWSCURRENT) with the task role; the SDK is loaded only when used. */
function secretsManagerReader(arn: string, env: Env): () => Promise<string> {
  let client: Promise<{ send: (cmd: unknown) => Promise<{ SecretString?: string }> }> | undefined;
  let Cmd: (new (input: { SecretId: string }) => unknown) | undefined;
  return async () => {
    client ??= import('@aws-sdk/client-secrets-manager').then((m) => {
      Cmd = m.GetSecretValueCommand as unknown as typeof Cmd;
      // The region is the secret's (from the ARN) unless AWS_REGION says otherwise.
      const region = env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? /^arn:[^:]+:secretsmanager:([^:]+):/.exec(arn)?.[1];
      return new m.SecretsManagerClient({ region, maxAttempts: 3 }) as unknown as { send: (cmd: unknown) => Promise<{ SecretString?: string }> };
    });
    const c = await client;
    const out = await c.send(new Cmd!({ SecretId: arn }));
    if (typeof out.SecretString !== 'string') throw new CredentialError(`secret ${arn} has no SecretString`);
    return out.SecretString;
  };
}
