/**
 * `npm run bench`: seeds 10,000 items, then loads `GET /items?limit=20` and
 * `GET /items/:id` with autocannon against the service (dist/main.js) and a
 * bare node:http + pg reference server (scripts/reference-server.mjs), both as
 * separate processes, alternating, in the same run. Prints one line per
 * measurement and the service/reference ratios.
 *
 * Env: DATABASE_URL (else embedded PostgreSQL), BENCH_DURATION (s, default 10),
 * BENCH_WARMUP (s, default 3), BENCH_CONNECTIONS (default 50), BENCH_ROUNDS (default 1).
 */
import autocannon from 'autocannon';
import { spawn, type ChildProcess } from 'node:child_process';
import { openSync, readFileSync } from 'node:fs';
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
const DURATION = Number(process.env.BENCH_DURATION ?? 10);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 3);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 1);
const ITEMS = 10_000;

type Impl = 'service' | 'reference';
type Route = 'list' | 'get';
interface Server {
  impl: Impl;
  child: ChildProcess;
  port: number;
}

const log = (msg: string) => process.stderr.write(`bench: ${msg}\n`);

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
  const script = impl === 'service' ? (process.env.BENCH_SERVICE_SCRIPT ?? path.join(root, 'dist', 'main.js')) : path.join(root, 'scripts', 'reference-server.mjs');
  const child = spawn(process.execPath, [script], {
    cwd: root,
    env: {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'production',
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      HOST: '127.0.0.1',
      MIGRATE_ON_START: 'false',
      DB_POOL_MAX: '10',
      // BENCH_SVC_FOO=bar is passed to the service as FOO=bar (for experiments).
      ...(impl === 'service'
        ? Object.fromEntries(Object.entries(process.env).filter(([k]) => k.startsWith('BENCH_SVC_')).map(([k, v]) => [k.slice(10), v]))
        : {}),
    },
    stdio: ['ignore', out, out],
  });
  await waitForListening(child, logFile, impl);
  log(`${impl} pid ${child.pid} on port ${port}, log ${logFile}`);
  return { impl, child, port };
}

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
  const result = await autocannon({
    url: `http://127.0.0.1:${server.port}`,
    connections: CONNECTIONS,
    duration: seconds,
    requests: [
      route === 'list'
        ? { method: 'GET', path: '/items?limit=20' }
        : {
            method: 'GET',
            setupRequest: (req) => ({ ...req, path: `/items/${ids[i++ % ids.length]}` }),
          },
    ],
  });
  if (result.errors || result.non2xx || result.timeouts) {
    throw new Error(`${server.impl} ${route}: errors=${result.errors} non2xx=${result.non2xx} timeouts=${result.timeouts}`);
  }
  const cpuUsPerReq = ((cpuMs(server.child.pid!) - cpuBefore) * 1000) / Math.max(1, result.requests.total);
  return { rps: result.requests.average, p99: result.latency.p99, cpuUsPerReq };
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
  const servers: Server[] = [];
  try {
    const dbConfig = loadDbConfig({ DATABASE_URL: databaseUrl });
    await runMigrations(dbConfig);
    const sequelize = createSequelize(dbConfig);
    const inserted = await seed(sequelize, ITEMS);
    const [idRows] = (await sequelize.query('SELECT id FROM items ORDER BY random() LIMIT 2000')) as [{ id: string }[], unknown];
    await sequelize.query('VACUUM ANALYZE items');
    await sequelize.close();
    const ids = idRows.map((r) => r.id);
    log(`seeded ${inserted} items`);

    servers.push(await startProcess('service', databaseUrl), await startProcess('reference', databaseUrl));
    const [service, reference] = servers as [Server, Server];

    // Same request, same answer.
    const routes = (process.env.BENCH_ROUTES ?? 'list,get').split(',') as Route[];
    for (const p of routes.map((r) => (r === 'list' ? '/items?limit=20' : `/items/${ids[0]}`))) {
      const [a, b] = await Promise.all([service, reference].map((s) => fetch(`http://127.0.0.1:${s.port}${p}`).then((r) => r.text())));
      if (a !== b) throw new Error(`service and reference disagree on ${p}:\n${a.slice(0, 300)}\n${b.slice(0, 300)}`);
    }
    log('service and reference return identical bodies');

    const results: Record<Route, Record<Impl, { rps: number[]; p99: number[] }>> = {
      list: { service: { rps: [], p99: [] }, reference: { rps: [], p99: [] } },
      get: { service: { rps: [], p99: [] }, reference: { rps: [], p99: [] } },
    };
    for (const route of routes) {
      for (const s of [service, reference]) await load(s, route, ids, WARMUP);
      for (let round = 0; round < ROUNDS; round++) {
        const order = round % 2 === 0 ? [service, reference] : [reference, service];
        for (const s of order) {
          const r = await load(s, route, ids, DURATION);
          results[route][s.impl].rps.push(r.rps);
          results[route][s.impl].p99.push(r.p99);
          console.log(`bench route=${route} impl=${s.impl} rps=${Math.round(r.rps)} p99_ms=${r.p99} rss_mb=${rssMb(s.child.pid!)}`);
          log(`detail route=${route} impl=${s.impl} server_cpu_us_per_req=${Math.round(r.cpuUsPerReq)}`);
        }
      }
    }
    const avg = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    for (const route of routes) {
      const s = results[route].service;
      const r = results[route].reference;
      console.log(`bench ratio route=${route} rps=${(avg(s.rps) / avg(r.rps)).toFixed(2)} p99=${(avg(s.p99) / avg(r.p99)).toFixed(2)}`);
    }
  } finally {
    for (const s of servers) s.child.kill('SIGTERM');
    await Promise.all(servers.map((s) => new Promise((r) => (s.child.exitCode !== null ? r(null) : s.child.once('exit', r)))));
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
