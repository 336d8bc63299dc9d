import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { startEmbeddedPostgres, type EmbeddedPg } from '../src/dev/embedded-postgres.js';
import { ErrorBody } from '../src/schemas.js';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { call, createTestDatabase, dbConfigFor, newItem, startTestApp, type TestApp } from './helpers.js';

/** Acquire timeout 2 s (helpers), client-side query timeout 1.5 s: the documented bound is their sum. */
const ACQUIRE_TIMEOUT_MS = 2000;
const QUERY_TIMEOUT_MS = 1500;

/** The postmaster and its children (backends, checkpointer, ...). */
function postgresPids(dataDir: string): number[] {
  const postmaster = Number(readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  const pids = [postmaster];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === postmaster) pids.push(Number(d));
    } catch {
      // exited meanwhile
    }
  }
  return pids;
}

/**
 * A database outage under load: this file runs its own PostgreSQL (whatever
 * DATABASE_URL says) so it can stop and restart it.
 */
let epg: EmbeddedPg;
let t: TestApp;
before(async () => {
  epg = await startEmbeddedPostgres();
  const testDb = await createTestDatabase('outage', epg.adminUrl);
  t = await startTestApp('outage', { testDb, dbConfig: dbConfigFor(testDb.url, { DB_QUERY_TIMEOUT_MS: String(QUERY_TIMEOUT_MS), DB_STATEMENT_TIMEOUT_MS: '1000' }) });
});
after(async () => {
  await t?.close();
  await epg?.destroy();
});

type Phase = 'before' | 'outage' | 'recovering' | 'after';
interface Sample {
  phase: Phase;
  /** Phase when the response arrived (a request may straddle the stop). */
  endPhase: Phase;
  kind: 'create' | 'list' | 'get' | 'ready';
  status: number;
  ms: number;
  retryAfter: string | null;
  body: unknown;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('database outage', () => {
  it('answers 503 fast while the database is down, recovers by itself, loses no acknowledged write', async () => {
    let phase: Phase = 'before';
    let stop = false;
    const samples: Sample[] = [];
    const acknowledged: string[] = [];
    const ids: string[] = [];

    const worker = async (n: number) => {
      for (let i = 0; !stop; i++) {
        let kind = (['create', 'list', 'create', 'get', 'ready'] as const)[(i + n) % 5]!;
        if (kind === 'get' && ids.length === 0) kind = 'list';
        const p = phase;
        const started = performance.now();
        let r;
        if (kind === 'create') {
          const item = newItem();
          r = await call(t.base, 'POST', '/items', item);
          if (r.status === 201) {
            acknowledged.push(item.sku);
            ids.push(r.body.id);
          }
        } else if (kind === 'list') r = await call(t.base, 'GET', '/items?limit=5&sort=-price');
        else if (kind === 'get') r = await call(t.base, 'GET', `/items/${ids[i % ids.length]}`);
        else r = await call(t.base, 'GET', '/readyz');
        samples.push({ phase: p, endPhase: phase, kind, status: r.status, ms: performance.now() - started, retryAfter: r.headers.get('retry-after'), body: r.body });
        if (r.status === 503) await sleep(20);
      }
    };
    const load = Promise.all(Array.from({ length: 6 }, (_, n) => worker(n)));

    await sleep(1000);
    phase = 'outage';
    await epg.stop();
    await sleep(3000);
    phase = 'recovering';
    await epg.start();
    const recoveredAt = performance.now();
    let ready = false;
    while (!ready && performance.now() - recoveredAt < 20_000) {
      ready = (await call(t.base, 'GET', '/readyz')).status === 200;
      if (!ready) await sleep(100);
    }
    const recoveryMs = performance.now() - recoveredAt;
    phase = 'after';
    await sleep(1500);
    stop = true;
    await load;

    assert.ok(ready, 'readiness recovered after the database came back');
    const by = (p: Phase) => samples.filter((s) => s.phase === p);
    const summary = (['before', 'outage', 'recovering', 'after'] as Phase[]).map((p) => {
      const h: Record<number, number> = {};
      for (const s of by(p)) h[s.status] = (h[s.status] ?? 0) + 1;
      return `${p}=${JSON.stringify(h)}`;
    });
    console.log(`outage samples: ${summary.join(' ')} recovery=${Math.round(recoveryMs)}ms acknowledged=${acknowledged.length}`);

    // Only 2xx or 503: never a 500, never a hang.
    for (const s of samples) {
      assert.ok((s.status >= 200 && s.status < 300) || s.status === 503, `unexpected ${s.status} for ${s.kind} in ${s.phase}: ${JSON.stringify(s.body)}`);
      if (s.status === 503) {
        assert.ok(s.retryAfter && Number(s.retryAfter) > 0, '503 carries Retry-After');
        assert.ok(ErrorBody.safeParse(s.body).success, '503 has the JSON error body');
      }
      // Fail fast: nobody waits for a 60 s pool timeout (acquire timeout is 2 s in tests).
      assert.ok(s.ms < 6000, `${s.kind} in ${s.phase} took ${Math.round(s.ms)} ms`);
    }
    const healthy = by('before').filter((s) => s.endPhase === 'before');
    assert.ok(healthy.every((s) => s.status < 300) && healthy.length > 10, 'healthy before the outage');
    const outage = by('outage');
    assert.ok(outage.filter((s) => s.status === 503).length >= 5, 'requests got 503 during the outage');
    assert.ok(outage.some((s) => s.kind === 'ready' && s.status === 503), '/readyz went 503');
    const afterSamples = by('after');
    assert.ok(afterSamples.length > 10 && afterSamples.every((s) => s.status < 300), `all good after recovery: ${JSON.stringify(afterSamples.filter((s) => s.status >= 300).slice(0, 3))}`);
    assert.ok(afterSamples.some((s) => s.kind === 'create' && s.status === 201), 'writes work again');

    // Every write acknowledged with 201 is in the database.
    const c = new pg.Client({ connectionString: t.testDb.url });
    await c.connect();
    try {
      const { rows } = await c.query('SELECT sku FROM items WHERE sku = ANY($1)', [acknowledged]);
      const found = new Set(rows.map((r) => r.sku as string));
      const missing = acknowledged.filter((s) => !found.has(s));
      assert.deepEqual(missing, [], `${missing.length} acknowledged writes lost`);
    } finally {
      await c.end();
    }
  });
});

describe('frozen database', () => {
  it('answers 503 within acquire + query timeout while PostgreSQL is frozen (SIGSTOP), and recovers when it thaws', async () => {
    let phase: 'before' | 'frozen' | 'thawed' = 'before';
    let stop = false;
    const samples: { phase: string; kind: string; status: number; ms: number; retryAfter: string | null }[] = [];
    const acknowledged: string[] = [];
    const ids: string[] = [];
    const worker = async (n: number) => {
      for (let i = 0; !stop; i++) {
        const kind = (['create', 'list', 'get'] as const)[(i + n) % 3]!;
        const p = phase;
        const started = performance.now();
        let r;
        if (kind === 'create') {
          const item = newItem();
          r = await call(t.base, 'POST', '/items', item);
          if (r.status === 201) {
            acknowledged.push(item.sku);
            ids.push(r.body.id);
          }
        } else if (kind === 'get' && ids.length) r = await call(t.base, 'GET', `/items/${ids[i % ids.length]}`);
        else r = await call(t.base, 'GET', '/items?limit=5');
        samples.push({ phase: p, kind, status: r.status, ms: performance.now() - started, retryAfter: r.headers.get('retry-after') });
        if (r.status === 503) await sleep(50);
      }
    };
    const load = Promise.all(Array.from({ length: 6 }, (_, n) => worker(n)));
    await sleep(800);
    const pids = postgresPids(epg.dataDir);
    phase = 'frozen';
    for (const pid of pids) process.kill(pid, 'SIGSTOP');
    try {
      await sleep(4000);
    } finally {
      for (const pid of pids) process.kill(pid, 'SIGCONT');
    }
    phase = 'thawed';
    const thawedAt = performance.now();
    let ready = false;
    while (!ready && performance.now() - thawedAt < 10_000) {
      ready = (await call(t.base, 'GET', '/readyz')).status === 200;
      if (!ready) await sleep(100);
    }
    const recoveryMs = performance.now() - thawedAt;
    await sleep(1000);
    stop = true;
    await load;

    const frozen = samples.filter((s) => s.phase === 'frozen');
    const h: Record<number, number> = {};
    for (const s of frozen) h[s.status] = (h[s.status] ?? 0) + 1;
    const worst = Math.round(Math.max(...frozen.map((s) => s.ms)));
    console.log(`frozen samples: ${JSON.stringify(h)} slowest=${worst}ms recovery=${Math.round(recoveryMs)}ms acknowledged=${acknowledged.length}`);
    assert.ok(ready, 'ready again after the thaw');
    // Bound: waiting for a connection (acquire) plus one query, plus scheduling slack on a busy machine.
    const bound = ACQUIRE_TIMEOUT_MS + QUERY_TIMEOUT_MS + 1500;
    for (const s of samples) {
      assert.ok((s.status >= 200 && s.status < 300) || s.status === 503, `${s.kind} in ${s.phase}: ${s.status}`);
      if (s.status === 503) assert.ok(Number(s.retryAfter) > 0);
      assert.ok(s.ms < bound, `${s.kind} in ${s.phase} took ${Math.round(s.ms)} ms (bound ${bound} ms)`);
    }
    assert.ok(frozen.filter((s) => s.status === 503).length >= 3, 'requests on the frozen database got 503');
    const after = samples.filter((s) => s.phase === 'thawed' && s.ms > 0).slice(-10);
    assert.ok(after.length > 5 && after.every((s) => s.status < 300), `healthy after the thaw: ${JSON.stringify(after)}`);
    const c = new pg.Client({ connectionString: t.testDb.url });
    await c.connect();
    try {
      const { rows } = await c.query('SELECT count(*)::int AS n FROM items WHERE sku = ANY($1)', [acknowledged]);
      assert.equal(rows[0].n, acknowledged.length, 'no acknowledged write lost');
    } finally {
      await c.end();
    }
  });
});
