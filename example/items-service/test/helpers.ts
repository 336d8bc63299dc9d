import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { after } from 'node:test';
import pg from 'pg';
import { createApp, createHttpServer, type AppState } from '../src/app.js';
import { loadDbConfig, type DbConfig } from '../src/config.js';
import { createDatabase, type Database } from '../src/db.js';
import { createLogger, type Logger } from '../src/logger.js';
import { runMigrations } from '../src/migrate.js';
import { assertMatchesContract } from './contract.js';

let embedded: Promise<string> | undefined;

/** URL of a PostgreSQL superuser connection: DATABASE_URL from the runner, or a private embedded server. */
export async function adminUrl(): Promise<string> {
  if (process.env.DATABASE_URL) return process.env.DATABASE_URL;
  embedded ??= (async () => {
    const { startEmbeddedPostgres } = await import('../src/dev/embedded-postgres.js');
    const e = await startEmbeddedPostgres();
    after(() => e.destroy());
    return e.url;
  })();
  return embedded;
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = '/' + database;
  return u.toString();
}

export interface TestDb {
  readonly name: string;
  readonly url: string;
  readonly config: DbConfig;
  drop(): Promise<void>;
}

/** A fresh, empty database on the test server (each test file gets its own). */
export async function createTestDatabase(prefix: string, serverUrl?: string): Promise<TestDb> {
  const admin = serverUrl ?? (await adminUrl());
  const name = `items_${prefix}_${randomBytes(4).toString('hex')}`;
  const c = new pg.Client({ connectionString: admin });
  await c.connect();
  try {
    await c.query(`CREATE DATABASE ${name}`);
  } finally {
    await c.end();
  }
  const url = withDatabase(admin, name);
  return {
    name,
    url,
    config: dbConfigFor(url),
    async drop() {
      const d = new pg.Client({ connectionString: admin });
      await d.connect().catch(() => undefined);
      await d.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => undefined);
      await d.end().catch(() => undefined);
    },
  };
}

export function dbConfigFor(url: string, overrides: Record<string, string> = {}): DbConfig {
  return loadDbConfig({ DATABASE_URL: url, DB_ACQUIRE_TIMEOUT_MS: '2000', ...overrides });
}

/** A logger writing JSON lines into memory (for assertions) instead of stdout. */
export function memoryLogger(level = 'info'): { logger: Logger; lines: () => Record<string, unknown>[] } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, cb) {
      chunks.push(chunk.toString());
      cb();
    },
  });
  const logger = createLogger(level, stream as unknown as Parameters<typeof createLogger>[1]);
  return {
    logger,
    lines: () =>
      chunks
        .join('')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

export interface TestApp {
  readonly base: string;
  readonly db: Database;
  readonly testDb: TestDb;
  readonly state: AppState;
  readonly logs: () => Record<string, unknown>[];
  close(): Promise<void>;
}

/** Migrated database + the real Express app listening on 127.0.0.1. */
export async function startTestApp(prefix: string, opts: { testDb?: TestDb; bodyLimitBytes?: number; dbConfig?: DbConfig; corsAllowedOrigins?: string[] } = {}): Promise<TestApp> {
  const testDb = opts.testDb ?? (await createTestDatabase(prefix));
  await runMigrations(testDb.config);
  const { logger, lines } = memoryLogger();
  const dbConfig = opts.dbConfig ?? testDb.config;
  await dbConfig.credentials.load();
  const db = createDatabase(dbConfig, logger);
  const state: AppState = { draining: false };
  const app = createApp({ db, config: { bodyLimitBytes: opts.bodyLimitBytes ?? 64 * 1024, retryAfterSeconds: 5, corsAllowedOrigins: opts.corsAllowedOrigins }, logger, state });
  const server = createHttpServer(app, undefined, logger).listen(0, '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    server.once('listening', () => resolve());
    server.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}`,
    db,
    testDb,
    state,
    logs: lines,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      await db.close();
      if (!opts.testDb) await testDb.drop();
    },
  };
}

export interface Res {
  status: number;
  headers: Headers;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  text: string;
}

/** fetch + JSON parse, never throws on HTTP status. */
export async function call(base: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Res> {
  const init: RequestInit = { method, headers: { ...headers } };
  if (body !== undefined) {
    init.body = typeof body === 'string' ? body : JSON.stringify(body);
    (init.headers as Record<string, string>)['content-type'] ??= 'application/json';
  }
  const r = await fetch(base + path, init);
  const text = await r.text();
  assertMatchesContract(method, path, r.status, r.headers.get('content-type'), text);
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  return { status: r.status, headers: r.headers, body: parsed, text };
}

let skuCounter = 0;
export function newItem(overrides: Record<string, unknown> = {}) {
  skuCounter++;
  return {
    sku: `T-${process.pid}-${Date.now().toString(36)}-${skuCounter}`,
    name: `Test item ${skuCounter}`,
    description: 'A thing for testing',
    priceCents: 1999,
    currency: 'EUR',
    category: 'test',
    stock: 5,
    ...overrides,
  };
}
