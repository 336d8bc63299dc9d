/**
 * `npm run bench` (`npx projen items:bench`): seeds 10,000 items, then loads four servers
 * on the same PostgreSQL and data, one at a time, in alternating rounds (A B C D A B C D ...):
 * - service: this service (dist/main.js),
 * - reference: a bare node:http + pg server (scripts/reference-server.mjs),
 * - express-sequelize: naive Express 5 + Sequelize 6 from the libraries' guides,
 * - fastify: Fastify 5 + pg with schemas for serialization.
 * Routes: list (`GET /items?limit=20`), get (`GET /items/:id`), get304 (the same with a
 * matching If-None-Match), create (`POST /items`, a new SKU per request). Before timing it
 * checks the GET bodies are byte-identical and the POST bodies equal apart from id and
 * timestamps. Between rounds the rows created by the bench are deleted. Prints medians:
 *   bench route=<r> impl=<i> rps=<n> p99_ms=<n> cpu_us_per_req=<n> rss_mb=<n>
 *   bench ratio route=<r> vs=<i> rps=<service/i> p99=<service/i> cpu=<service/i>
 * With taskset and >= 2 CPUs, the load generator (this process) runs on CPU 0 and the server on CPU 1.
 *
 * Env: DATABASE_URL (else embedded PostgreSQL), BENCH_DURATION (s, default 5), BENCH_WARMUP
 * (s, default 2), BENCH_CONNECTIONS (default 50), BENCH_ROUNDS (default 3), BENCH_ROUTES, BENCH_IMPLS,
 * BENCH_SERVICE_NODE_ARGS (node flags for the service, e.g. --cpu-prof), BENCH_SVC_<VAR> (env for the service).
 */
import autocannon from 'autocannon';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { openSync, readFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { startEmbeddedPostgres, freePort, type EmbeddedPg } from '../src/dev/embedded-postgres.js';
import { loadDbConfig } from '../src/config.js';
import { createSequelize } from '../src/db.js';
import { runMigrations } from '../src/migrate.js';
import { seed } from '../src/seed.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DURATION = Number(process.env.BENCH_DURATION ?? 5);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 2);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 3));
const ITEMS = 10_000;

const IMPLS = ['service', 'reference', 'express-sequelize', 'fastify'] as const;
const ROUTES = ['list', 'get', 'get304', 'create'] as const;
type Impl = (typeof IMPLS)[number];
type Route = (typeof ROUTES)[number];
interface Server {
  impl: Impl;
  child: ChildProcess;
  port: number;
}

const log = (msg: string) => process.stderr.write(`bench: ${msg}\n`);

const SCRIPTS: Record<Impl, string> = {
  service: process.env.BENCH_SERVICE_SCRIPT ?? path.join(root, 'dist', 'main.js'),
  reference: path.join(root, 'scripts', 'reference-server.mjs'),
  'express-sequelize': path.join(root, 'scripts', 'naive-express-sequelize.mjs'),
  fastify: path.join(root, 'scripts', 'fastify-server.mjs'),
};

/** Pins this process to CPU 0 and returns the command prefix that puts servers on CPU 1. */
function pinning(): string[] {
  if (os.availableParallelism() < 2) return [];
  try {
    execFileSync('taskset', ['-p', '-c', '0', String(process.pid)], { stdio: 'ignore' });
    return ['taskset', '-c', '1'];
  } catch {
    return [];
  }
}
const PIN = pinning();

async function waitForListening(child: ChildProcess, logFile: string, what: string): Promise<number> {
  const started = Date.now();
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${what} exited with ${child.exitCode}; see ${logFile}`);
    const text = readFileSync(logFile, 'utf8');
    const line = text.split('\n').find((l) => l.includes('"msg":"listening"'));
    if (line) return (JSON.parse(line) as { port: number }).port;
    if (Date.now() - started > 30_000) throw new Error(`${what} did not start; see ${logFile}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function startProcess(impl: Impl, databaseUrl: string): Promise<Server> {
  const port = await freePort();
  const logFile = path.join(os.tmpdir(), `items-bench-${impl}.log`);
  const out = openSync(logFile, 'w');
  // BENCH_SERVICE_NODE_ARGS='--cpu-prof --cpu-prof-dir=/tmp/prof' profiles the service.
  const nodeArgs = impl === 'service' ? (process.env.BENCH_SERVICE_NODE_ARGS ?? '').split(' ').filter(Boolean) : [];
  const cmd = [...PIN, process.execPath, ...nodeArgs, SCRIPTS[impl]];
  const child = spawn(cmd[0]!, cmd.slice(1), {
    cwd: root,
    env: {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'production',
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      HOST: '127.0.0.1',
      DB_POOL_MAX: '10',
      // BENCH_SVC_FOO=bar is passed to the service as FOO=bar (for experiments, e.g. BENCH_SVC_NODE_OPTIONS=--cpu-prof).
      ...(impl === 'service'
        ? Object.fromEntries(Object.entries(process.env).filter(([k]) => k.startsWith('BENCH_SVC_')).map(([k, v]) => [k.slice(10), v]))
        : {}),
    },
    stdio: ['ignore', out, out],
  });
  await waitForListening(child, logFile, impl);
  log(`${impl} pid ${child.pid} on port ${port}${PIN.length ? ' (CPU 1)' : ''}, log ${logFile}`);
  return { impl, child, port };
}

let skuCounter = 0;
const runId = Date.now().toString(36);
const newBody = () =>
  JSON.stringify({ sku: `BENCH-${runId}-${++skuCounter}`, name: 'Bench item', description: 'Created by the benchmark', priceCents: 1234, currency: 'EUR', category: 'bench', stock: 3 });

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return Math.round(kb / 1024);
}

/** CPU time (user + system) a process has used, in ms. */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime, stime in clock ticks (USER_HZ = 100)
}

async function load(server: Server, route: Route, ids: string[], seconds: number) {
  let i = 0;
  const cpuBefore = cpuMs(server.child.pid!);
  const request: autocannon.Request =
    route === 'list'
      ? { method: 'GET', path: '/items?limit=20' }
      : route === 'create'
        ? { method: 'POST', path: '/items', headers: { 'content-type': 'application/json' }, setupRequest: (req) => ({ ...req, body: newBody() }) }
        : {
            method: 'GET',
            headers: route === 'get304' ? { 'if-none-match': '"1"' } : {},
            setupRequest: (req) => ({ ...req, path: `/items/${ids[i++ % ids.length]}` }),
          };
  const result = await autocannon({ url: `http://127.0.0.1:${server.port}`, connections: CONNECTIONS, duration: seconds, requests: [request] });
  const expected = route === 'get304' ? 304 : route === 'create' ? 201 : 200;
  const okCount = (result as unknown as { statusCodeStats?: Record<string, { count: number }> }).statusCodeStats?.[String(expected)]?.count ?? 0;
  if (result.errors || result.timeouts || (okCount !== result.requests.total && expected !== 304) || (expected === 304 && result['3xx'] !== result.requests.total)) {
    throw new Error(`${server.impl} ${route}: errors=${result.errors} timeouts=${result.timeouts} expected ${expected} for all ${result.requests.total}, got ${JSON.stringify((result as unknown as { statusCodeStats?: unknown }).statusCodeStats)}`);
  }
  const cpuUsPerReq = ((cpuMs(server.child.pid!) - cpuBefore) * 1000) / Math.max(1, result.requests.total);
  return { rps: result.requests.average, p99: result.latency.p99, cpuUsPerReq };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

async function checkSameAnswers(servers: Server[], ids: string[]) {
  const get = (s: Server, p: string, headers: Record<string, string> = {}) => fetch(`http://127.0.0.1:${s.port}${p}`, { headers }).then(async (r) => ({ status: r.status, etag: r.headers.get('etag'), body: await r.text() }));
  for (const p of ['/items?limit=20', `/items/${ids[0]}`]) {
    const answers = await Promise.all(servers.map((s) => get(s, p)));
    for (let k = 1; k < answers.length; k++) {
      if (answers[k]!.status !== 200 || answers[k]!.body !== answers[0]!.body) {
        throw new Error(`${servers[k]!.impl} and ${servers[0]!.impl} disagree on GET ${p}:\n${answers[0]!.body.slice(0, 300)}\n${answers[k]!.body.slice(0, 300)}`);
      }
    }
  }
  // node:http, not fetch: fetch adds Cache-Control: no-cache to conditional requests (which disables 304s in Express's req.fresh).
  const raw = (s: Server, p: string, headers: Record<string, string>) =>
    new Promise<{ status: number; etag: string | null; body: string }>((resolve, reject) => {
      http.get({ host: '127.0.0.1', port: s.port, path: p, headers }, (res) => {
        let body = '';
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode!, etag: (res.headers.etag as string) ?? null, body }));
      }).on('error', reject);
    });
  const not = await Promise.all(servers.map((s) => raw(s, `/items/${ids[0]}`, { 'if-none-match': '"1"' })));
  for (const [k, a] of not.entries()) if (a.status !== 304 || a.body !== '' || a.etag !== '"1"') throw new Error(`${servers[k]!.impl}: conditional GET gave ${a.status} ${a.etag}`);
  const created = await Promise.all(
    servers.map((s) => fetch(`http://127.0.0.1:${s.port}/items`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: newBody() }).then(async (r) => ({ status: r.status, body: await r.text() }))),
  );
  const strip = (t: string) => {
    const o = JSON.parse(t) as Record<string, unknown>;
    return JSON.stringify(Object.fromEntries(Object.entries(o).map(([k, v]) => [k, k === 'id' || k === 'createdAt' || k === 'updatedAt' || k === 'sku' ? typeof v : v])));
  };
  for (const [k, c] of created.entries()) {
    if (c.status !== 201 || strip(c.body) !== strip(created[0]!.body)) throw new Error(`${servers[k]!.impl}: POST answered ${c.status} ${c.body.slice(0, 300)} vs ${created[0]!.body.slice(0, 300)}`);
  }
  log('all four servers return byte-identical GET bodies, 304s, and POST bodies equal apart from id, sku and timestamps');
}

async function main() {
  let embedded: EmbeddedPg | undefined;
  let adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) {
    embedded = await startEmbeddedPostgres();
    adminUrl = embedded.adminUrl;
    log(`embedded PostgreSQL on port ${embedded.port}`);
  }
  const dbName = `items_bench_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${dbName}`);
  const u = new URL(adminUrl);
  u.pathname = `/${dbName}`;
  const databaseUrl = u.toString();
  const db = new pg.Client({ connectionString: databaseUrl });
  const servers: Server[] = [];
  try {
    const dbConfig = loadDbConfig({ DATABASE_URL: databaseUrl });
    await runMigrations(dbConfig, undefined, { appGroupRole: null });
    const sequelize = createSequelize(dbConfig);
    const inserted = await seed(sequelize, ITEMS);
    const [idRows] = (await sequelize.query('SELECT id FROM items ORDER BY random() LIMIT 2000')) as [{ id: string }[], unknown];
    await sequelize.query('VACUUM ANALYZE items');
    await sequelize.close();
    await db.connect();
    const reseed = () => db.query(`DELETE FROM items WHERE sku LIKE 'BENCH-%'`);
    const ids = idRows.map((r) => r.id);
    log(`seeded ${inserted} items; ${os.cpus().length} CPUs, ${os.cpus()[0]?.model}`);

    const impls = (process.env.BENCH_IMPLS?.split(',') as Impl[] | undefined) ?? [...IMPLS];
    const routes = (process.env.BENCH_ROUTES?.split(',') as Route[] | undefined) ?? [...ROUTES];
    for (const impl of impls) servers.push(await startProcess(impl, databaseUrl));
    await checkSameAnswers(servers, ids);
    await reseed();

    const results = new Map<string, { rps: number[]; p99: number[]; cpu: number[]; rss: number[] }>();
    for (const s of servers) for (const route of routes) await load(s, route, ids, WARMUP);
    await reseed();
    for (let round = 0; round < ROUNDS; round++) {
      for (const route of routes) {
        for (const s of servers) {
          const r = await load(s, route, ids, DURATION);
          const key = `${route} ${s.impl}`;
          const e = results.get(key) ?? { rps: [], p99: [], cpu: [], rss: [] };
          e.rps.push(r.rps);
          e.p99.push(r.p99);
          e.cpu.push(r.cpuUsPerReq);
          e.rss.push(rssMb(s.child.pid!));
          results.set(key, e);
          log(`round ${round + 1} route=${route} impl=${s.impl} rps=${Math.round(r.rps)} p99_ms=${r.p99} cpu_us_per_req=${Math.round(r.cpuUsPerReq)}`);
          if (route === 'create') await reseed();
        }
      }
    }
    for (const route of routes) {
      for (const s of servers) {
        const e = results.get(`${route} ${s.impl}`)!;
        console.log(`bench route=${route} impl=${s.impl} rps=${Math.round(median(e.rps))} p99_ms=${median(e.p99)} cpu_us_per_req=${Math.round(median(e.cpu))} rss_mb=${Math.round(median(e.rss))}`);
      }
    }
    const svc = (route: Route) => results.get(`${route} service`);
    for (const route of routes) {
      const a = svc(route);
      if (!a) continue;
      for (const s of servers) {
        if (s.impl === 'service') continue;
        const b = results.get(`${route} ${s.impl}`)!;
        const ratio = (x: number[], y: number[]) => (median(x) / median(y)).toFixed(2);
        console.log(`bench ratio route=${route} vs=${s.impl} rps=${ratio(a.rps, b.rps)} p99=${ratio(a.p99, b.p99)} cpu=${ratio(a.cpu, b.cpu)}`);
      }
    }
  } finally {
    for (const s of servers) s.child.kill('SIGTERM');
    await Promise.all(servers.map((s) => new Promise((r) => (s.child.exitCode !== null ? r(null) : s.child.once('exit', r)))));
    await db.end().catch(() => undefined);
    await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`).catch(() => undefined);
    await admin.end();
    await embedded?.destroy();
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    process.stderr.write(`bench failed: ${(err as Error).stack ?? err}\n`);
    process.exit(1);
  },
);
