import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import http from 'node:http';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { createTestDatabase, newItem, type TestDb } from './helpers.js';
import { assertBuilt, mainJs, root, startServerProcess, type ServerProcess } from './server-process.js';

/**
 * SIGTERM under load against the real compiled server (dist/main.js) in its own
 * process, the way ECS stops a task.
 */
let testDb: TestDb;
before(async () => {
  assertBuilt();
  testDb = await createTestDatabase('sigterm');
});
after(async () => {
  await testDb?.drop();
});

/** The compiled server, started directly. */
function startServer(env: Record<string, string>): Promise<ServerProcess> {
  return startServerProcess(process.execPath, [mainJs], env);
}

interface Result {
  status?: number;
  error?: string;
  body?: string;
}

function request(port: number, agent: http.Agent | undefined, method: string, p: string, body?: string): Promise<Result> {
  return new Promise((resolve) => {
    const req = http.request({ host: '127.0.0.1', port, method, path: p, agent, headers: body ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } : {} }, (res) => {
      let data = '';
      res.on('data', (c) => (data += c));
      res.on('end', () => resolve({ status: res.statusCode, body: data }));
      res.on('error', (err) => resolve({ error: err.message }));
    });
    req.on('error', (err) => resolve({ error: (err as NodeJS.ErrnoException).code ?? err.message }));
    req.end(body);
  });
}

/** Sends the headers and half of the body, and returns a function that sends the rest. */
function slowPost(port: number, body: string): { finish: () => void; done: Promise<Result> } {
  let finish!: () => void;
  const done = new Promise<Result>((resolve) => {
    const req = http.request(
      { host: '127.0.0.1', port, method: 'POST', path: '/items', agent: false, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
      (res) => {
        let data = '';
        res.on('data', (c) => (data += c));
        res.on('end', () => resolve({ status: res.statusCode, body: data }));
      },
    );
    req.on('error', (err) => resolve({ error: (err as NodeJS.ErrnoException).code ?? err.message }));
    const half = Math.floor(body.length / 2);
    req.write(body.slice(0, half));
    finish = () => req.end(body.slice(half));
  });
  return { finish, done };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('graceful shutdown', () => {
  it('on SIGTERM stops accepting, finishes every in-flight request, exits 0', async () => {
    const s = await startServer({ DATABASE_URL: testDb.url, SHUTDOWN_DRAIN_MS: '10000', MIGRATE_ON_START: 'true' });
    try {
      const seedRes = await request(s.port, undefined, 'POST', '/items', JSON.stringify(newItem()));
      assert.equal(seedRes.status, 201, seedRes.body);
      const id = JSON.parse(seedRes.body!).id as string;

      // Requests in flight: bodies half sent.
      const slowItems = Array.from({ length: 8 }, () => newItem());
      const slow = slowItems.map((item) => slowPost(s.port, JSON.stringify(item)));

      // Keep-alive load until the signal is sent.
      let signalled = false;
      const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
      const results: Result[] = [];
      const worker = async (n: number) => {
        for (let i = 0; !signalled; i++) {
          const r = await request(s.port, agent, 'GET', (i + n) % 2 ? `/items/${id}` : '/items?limit=10');
          results.push(r);
        }
      };
      const load = Promise.all(Array.from({ length: 12 }, (_, n) => worker(n)));
      await sleep(800);

      signalled = true;
      s.child.kill('SIGTERM');
      await sleep(300);

      // The listener is closed: a new connection is refused.
      const late = await request(s.port, false as unknown as undefined, 'GET', '/healthz');
      assert.ok(late.error, `new connections are refused after SIGTERM (got ${JSON.stringify(late)})`);

      // Now let the in-flight requests finish.
      for (const x of slow) x.finish();
      const slowResults = await Promise.all(slow.map((x) => x.done));
      await load;
      agent.destroy();

      const { code, signal } = await s.exit;
      assert.equal(signal, null);
      assert.equal(code, 0, 'exit code 0');

      assert.ok(results.length > 50, `load ran (${results.length} requests)`);
      const failedLoad = results.filter((r) => r.error || (r.status ?? 0) >= 300);
      assert.deepEqual(failedLoad, [], `${failedLoad.length} of ${results.length} in-flight requests failed`);
      for (const r of slowResults) assert.equal(r.status, 201, `slow POST: ${JSON.stringify(r)}`);

      const messages = s.logs.map((l) => l.msg);
      assert.ok(messages.includes('shutdown: draining'));
      assert.ok(messages.includes('shutdown: complete'));

      // The in-flight writes were committed.
      const c = new pg.Client({ connectionString: testDb.url });
      await c.connect();
      try {
        const { rows } = await c.query('SELECT count(*)::int AS n FROM items WHERE sku = ANY($1)', [slowItems.map((i) => i.sku)]);
        assert.equal(rows[0].n, slowItems.length);
      } finally {
        await c.end();
      }
    } finally {
      if (s.child.exitCode === null) s.child.kill('SIGKILL');
    }
  });

  it('SIGTERM under 300 concurrent requests: every accepted connection gets a complete answer', async () => {
    const s = await startServer({ DATABASE_URL: testDb.url, SHUTDOWN_DRAIN_MS: '10000' });
    try {
      const agent = new http.Agent({ keepAlive: true, maxSockets: 100 });
      // Warm keep-alive connections so some of the 300 reuse them.
      await Promise.all(Array.from({ length: 100 }, () => request(s.port, agent, 'GET', '/healthz')));
      const all: Promise<Result & { connClose?: boolean }>[] = [];
      for (let i = 0; i < 300; i++) {
        const a = i % 3 === 0 ? agent : (false as unknown as undefined);
        all.push(request(s.port, a, 'GET', i % 2 ? '/items?limit=5' : '/healthz').then((r) => ({ ...r, error: r.error && `${r.error}${a ? ' (keep-alive)' : ' (new connection)'}` })));
      }
      await sleep(5);
      s.child.kill('SIGTERM');
      const results = await Promise.all(all);
      agent.destroy();
      const { code } = await s.exit;
      const failed = results.filter((r) => r.error || r.status !== 200);
      const reasons: Record<string, number> = {};
      for (const r of failed) reasons[r.error ?? String(r.status)] = (reasons[r.error ?? String(r.status)] ?? 0) + 1;
      console.log(`sigterm under 300 concurrent: ${results.length - failed.length} answered, failed ${JSON.stringify(reasons)}`);
      assert.deepEqual(reasons, {}, 'no request dropped');
      assert.equal(code, 0);
    } finally {
      if (s.child.exitCode === null) s.child.kill('SIGKILL');
    }
  });

  it('exits 0 on SIGTERM when idle, and bounds the drain time when a request never finishes', async () => {
    const s = await startServer({ DATABASE_URL: testDb.url, SHUTDOWN_DRAIN_MS: '1500', MIGRATE_ON_START: 'false' });
    try {
      const stuck = slowPost(s.port, JSON.stringify(newItem()));
      await sleep(200);
      const started = Date.now();
      s.child.kill('SIGTERM');
      const { code } = await s.exit;
      const took = Date.now() - started;
      assert.equal(code, 0);
      assert.ok(took >= 1400 && took < 6000, `drain bounded by SHUTDOWN_DRAIN_MS (took ${took} ms)`);
      const r = await stuck.done;
      assert.ok(r.error, 'the never-finished request was cut at the deadline');
      assert.ok(s.logs.some((l) => l.msg === 'shutdown: drain time exceeded, closing remaining connections'));
    } finally {
      if (s.child.exitCode === null) s.child.kill('SIGKILL');
    }
  });

  it('the dev launcher drains under load before it stops its embedded PostgreSQL, exits 0, never prints the password', async () => {
    const { freePort } = await import('../src/dev/embedded-postgres.js');
    const dataDir = path.join(mkdtempSync(path.join(os.tmpdir(), 'items-dev-test-')), 'data');
    chmodSync(path.dirname(dataDir), 0o755);
    const pgPort = await freePort();
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'src', 'dev', 'dev.ts')], {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', PORT: '0', DEV_PG_DATA: dataDir, DEV_PG_PORT: String(pgPort), SEED_COUNT: '20', LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    const exit = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    try {
      const until = Date.now() + 60_000;
      let port: number | undefined;
      while (!port && Date.now() < until && child.exitCode === null) {
        const m = /"msg":"listening"[^\n]*|"port":(\d+)[^\n]*"msg":"listening"/.exec(out);
        if (m) port = Number(/"port":(\d+)/.exec(m[0])![1]);
        else await sleep(100);
      }
      assert.ok(port, `dev server did not start: ${out.slice(-2000)}`);
      const agent = new http.Agent({ keepAlive: true, maxSockets: 50 });
      const all: Promise<Result>[] = [];
      for (let i = 0; i < 200; i++) all.push(request(port!, i % 2 ? agent : (false as unknown as undefined), 'GET', i % 2 ? '/items?limit=5' : '/healthz'));
      await sleep(5);
      child.kill('SIGTERM');
      const results = await Promise.all(all);
      agent.destroy();
      const code = await exit;
      const failed = results.filter((r) => r.error || r.status !== 200);
      assert.deepEqual(failed, [], `dev drain dropped ${failed.length} of 200`);
      assert.equal(code, 0, out.slice(-2000));
      const drained = out.indexOf('"shutdown: complete"');
      const stopped = out.indexOf('dev: stopping embedded PostgreSQL');
      assert.ok(drained > 0 && stopped > drained, 'PostgreSQL stops after the drain');
      assert.ok(!out.includes('items-dev-password'), 'the password is never printed');
      assert.ok(!/postgres:\/\/[^@\s]*:[^@\s]*@/.test(out), 'no URL with credentials');
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      rmSync(path.dirname(dataDir), { recursive: true, force: true });
    }
  });

  it('fails fast with a clear message when no database is configured', async () => {
    const child = spawn(process.execPath, [mainJs], { cwd: root, env: { PATH: process.env.PATH ?? '' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c) => (stderr += c));
    const code = await new Promise((r) => child.on('exit', r));
    assert.equal(code, 1);
    assert.match(stderr, /DATABASE_URL/);
  });
});
