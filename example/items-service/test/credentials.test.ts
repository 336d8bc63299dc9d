import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { loadDbConfig } from '../src/config.js';
import { parseRdsSecret } from '../src/credentials.js';
import { DEFAULT_APP_GROUP_ROLE, appGroupRoleFromEnv } from '../src/migrate.js';
import { call, createTestDatabase, newItem, startTestApp, type TestDb } from './helpers.js';

/**
 * Least-privilege database access against the real PostgreSQL: the application user is a
 * member of the group role the migrations grant DML to, and nothing else; credentials come
 * from a Secrets Manager endpoint (a local HTTP server speaking its JSON protocol, reached by
 * the real AWS SDK) and are rotated the way the alternating-users rotation function does it.
 */
let testDb: TestDb;
let admin: pg.Client;
const suffix = randomBytes(3).toString('hex');
const appUser = `items_app_${suffix}`;
const pw1 = `pw1-${randomBytes(8).toString('hex')}`;
const pw2 = `pw2-${randomBytes(8).toString('hex')}`;

/** A minimal Secrets Manager (GetSecretValue only) whose current secret the test switches. */
let secret = '';
let secretReads = 0;
let sm: http.Server;
const ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:items-app-AbCdEf';

before(async () => {
  testDb = await createTestDatabase('creds');
  admin = new pg.Client({ connectionString: testDb.url });
  await admin.connect();
  // The migration step (run by startTestApp below with the admin credentials) creates the group role and grants.
  const { runMigrations } = await import('../src/migrate.js');
  await runMigrations(testDb.config);
  await admin.query(`CREATE ROLE ${appUser} LOGIN PASSWORD '${pw1}' IN ROLE ${DEFAULT_APP_GROUP_ROLE}`);
  sm = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const target = req.headers['x-amz-target'];
      if (target !== 'secretsmanager.GetSecretValue' || JSON.parse(body).SecretId !== ARN) {
        res.writeHead(400, { 'content-type': 'application/x-amz-json-1.1' }).end(JSON.stringify({ __type: 'ResourceNotFoundException', message: 'no' }));
        return;
      }
      secretReads++;
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' }).end(JSON.stringify({ ARN, Name: 'items-app', SecretString: secret, VersionId: 'v' + secretReads, VersionStages: ['AWSCURRENT'] }));
    });
  });
  await new Promise<void>((r) => sm.listen(0, '127.0.0.1', () => r()));
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_SECRETS_MANAGER: `http://127.0.0.1:${(sm.address() as AddressInfo).port}`,
    AWS_ACCESS_KEY_ID: 'AKIDTEST',
    AWS_SECRET_ACCESS_KEY: 'test-secret',
    AWS_REGION: 'eu-west-1',
  });
});
after(async () => {
  for (const u of [appUser, `${appUser}_clone`]) await admin?.query(`DROP ROLE IF EXISTS ${u}`).catch(() => undefined);
  await admin?.end();
  await testDb?.drop();
  sm?.close();
});

const rdsSecret = (username: string, password: string) => {
  const u = new URL(testDb.url);
  return JSON.stringify({ engine: 'postgres', username, password, host: u.hostname, port: Number(u.port), dbname: testDb.name });
};

async function asUser(user: string, password: string, fn: (c: pg.Client) => Promise<void>) {
  const u = new URL(testDb.url);
  u.username = user;
  u.password = password;
  const c = new pg.Client({ connectionString: u.toString() });
  await c.connect();
  try {
    await fn(c);
  } finally {
    await c.end();
  }
}

const sqlStateOf = async (p: Promise<unknown>) => p.then(() => 'ok', (e: { code?: string }) => e.code ?? 'error');

describe('database access', () => {
  it('the application role can read and write items, and nothing else', async () => {
    await asUser(appUser, pw1, async (c) => {
      const sku = `GR-${suffix}`;
      const ins = await c.query(`INSERT INTO items (sku, name, price_cents, currency, category, stock) VALUES ($1, 'g', 1, 'EUR', 'c', 1) RETURNING id`, [sku]);
      const id = ins.rows[0].id as string;
      assert.equal((await c.query('UPDATE items SET stock = 2 WHERE id = $1', [id])).rowCount, 1);
      assert.equal((await c.query('SELECT stock FROM items WHERE id = $1', [id])).rows[0].stock, 2);
      assert.equal((await c.query('DELETE FROM items WHERE id = $1', [id])).rowCount, 1);
      // No DDL, no role management, no tampering with the migration history, no TRUNCATE.
      assert.equal(await sqlStateOf(c.query('CREATE TABLE evil (x int)')), '42501');
      assert.equal(await sqlStateOf(c.query('DROP TABLE items')), '42501');
      assert.equal(await sqlStateOf(c.query('ALTER TABLE items ADD COLUMN evil int')), '42501');
      assert.equal(await sqlStateOf(c.query('CREATE INDEX evil_idx ON items (stock)')), '42501');
      assert.equal(await sqlStateOf(c.query('TRUNCATE items')), '42501');
      assert.equal(await sqlStateOf(c.query(`CREATE ROLE evil_${suffix} LOGIN SUPERUSER`)), '42501');
      assert.equal(await sqlStateOf(c.query(`CREATE ROLE evil_${suffix}`)), '42501');
      assert.equal(await sqlStateOf(c.query('SELECT * FROM schema_migrations')), '42501');
      assert.equal(await sqlStateOf(c.query(`CREATE DATABASE ${testDb.name}_never`)), '42501');
      const { rows } = await c.query('SELECT rolsuper, rolcreaterole, rolcreatedb FROM pg_roles WHERE rolname = current_user');
      assert.deepEqual(rows[0], { rolsuper: false, rolcreaterole: false, rolcreatedb: false });
    });
  });

  it('DB_APP_GROUP_ROLE is a plain identifier (default items_app_rw, "none" turns the grants off)', () => {
    assert.equal(appGroupRoleFromEnv({}), 'items_app_rw');
    assert.equal(appGroupRoleFromEnv({ DB_APP_GROUP_ROLE: 'catalog_rw' }), 'catalog_rw');
    assert.equal(appGroupRoleFromEnv({ DB_APP_GROUP_ROLE: 'none' }), null);
    for (const bad of ['Items', 'x; DROP TABLE items', 'pg_write_all_data', 'rds_superuser', '1abc']) {
      assert.throws(() => appGroupRoleFromEnv({ DB_APP_GROUP_ROLE: bad }), new RegExp(`DB_APP_GROUP_ROLE must be .*got "${bad.replace(/[;]/g, '.')}"`));
    }
  });

  it('reads the RDS-shaped secret and names what is missing', () => {
    assert.deepEqual(parseRdsSecret('{"username":"u","password":"p","host":"h","port":5433,"dbname":"d"}'), { user: 'u', password: 'p', host: 'h', port: 5433, database: 'd' });
    assert.deepEqual(parseRdsSecret('{"username":"u","password":"p"}', { DB_HOST: 'h2', DB_NAME: 'n' }), { user: 'u', password: 'p', host: 'h2', port: 5432, database: 'n' });
    assert.throws(() => parseRdsSecret('{"username":"u"}'), /the database secret lacks password, host/);
    assert.throws(() => parseRdsSecret('not json'), /not JSON/);
    assert.throws(() => parseRdsSecret('{"username":"u","password":"p","host":"h","port":"x"}'), /invalid port: "x"/);
  });

  it('re-reads DB_PASSWORD_FILE and the secret on the timer', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'items-pw-'));
    const file = path.join(dir, 'pw');
    writeFileSync(file, 'first\n');
    const cfg = loadDbConfig({ DB_HOST: 'h', DB_NAME: 'n', DB_USER: 'u', DB_PASSWORD_FILE: file }, { minIntervalMs: 0 });
    assert.equal(cfg.credentials.current().password, 'first');
    writeFileSync(file, 'second\n');
    assert.equal((await cfg.credentials.refresh('test')).password, 'second');
    assert.throws(() => loadDbConfig({ DB_HOST: 'h', DB_NAME: 'n', DB_USER: 'u', DB_PASSWORD_FILE: path.join(dir, 'missing') }), /DB_PASSWORD_FILE .* cannot be read \(ENOENT\)/);

    secret = rdsSecret(appUser, pw1);
    const sm1 = loadDbConfig({ DB_SECRET_ARN: ARN, DB_SECRET_REFRESH_SECONDS: '1' });
    assert.throws(() => sm1.credentials.current(), /not loaded yet/);
    assert.equal((await sm1.credentials.load()).user, appUser);
    sm1.credentials.startTimer();
    try {
      secret = rdsSecret(`${appUser}_clone`, pw2);
      const until = Date.now() + 5000;
      while (sm1.credentials.current().user !== `${appUser}_clone` && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
      assert.equal(sm1.credentials.current().password, pw2, 'the timer picked up the new secret version');
      assert.equal(sm1.credentials.changes, 1);
      assert.ok(!JSON.stringify(sm1.credentials.describe()).includes(pw2), 'describe() has no password');
    } finally {
      sm1.credentials.stop();
    }
  });

  it('an alternating-users rotation under load fails no request and loses no acknowledged write', async () => {
    secret = rdsSecret(appUser, pw1);
    // The timer is far away: only PostgreSQL rejecting the old password (28P01) can trigger the re-read.
    const dbConfig = loadDbConfig({ DB_SECRET_ARN: ARN, DB_SECRET_REFRESH_SECONDS: '300', DB_ACQUIRE_TIMEOUT_MS: '3000', DB_POOL_MAX: '8' });
    const t = await startTestApp('creds', { testDb, dbConfig });
    try {
      let stop = false;
      let workers = 2;
      const failures: string[] = [];
      const acknowledged: string[] = [];
      const ids: string[] = [];
      let total = 0;
      const worker = async (n: number) => {
        for (let i = 0; !stop; i++) {
          if (n >= workers) {
            await new Promise((r) => setTimeout(r, 20));
            continue;
          }
          const kind = (i + n) % 3;
          let r;
          if (kind === 0) {
            const item = newItem();
            r = await call(t.base, 'POST', '/items', item);
            if (r.status === 201) {
              acknowledged.push(item.sku);
              ids.push(r.body.id);
            }
          } else if (kind === 1 || ids.length === 0) r = await call(t.base, 'GET', '/items?limit=5');
          else r = await call(t.base, 'GET', `/items/${ids[i % ids.length]}`);
          total++;
          if (r.status >= 300) failures.push(`${r.status} ${r.text.slice(0, 200)}`);
        }
      };
      const load = Promise.all(Array.from({ length: 16 }, (_, n) => worker(n)));
      await new Promise((r) => setTimeout(r, 700));

      // The rotation function: createSecret/setSecret (the clone gets the new password and the same group),
      // finishSecret (AWSCURRENT now names the clone) ...
      await admin.query(`CREATE ROLE ${appUser}_clone LOGIN PASSWORD '${pw2}' IN ROLE ${DEFAULT_APP_GROUP_ROLE}`);
      secret = rdsSecret(`${appUser}_clone`, pw2);
      // ... and the previous user's password stops working.
      await admin.query(`ALTER ROLE ${appUser} VALID UNTIL 'epoch'`);
      await sqlStateOf(asUser(appUser, pw1, async () => undefined)).then((s) => assert.equal(s, '28P01', 'the old password is expired'));
      // More concurrency than the pools hold: new connections must be opened, with the old password first.
      workers = 16;
      await new Promise((r) => setTimeout(r, 2000));
      stop = true;
      await load;

      assert.ok(total > 100, `load ran (${total} requests)`);
      assert.deepEqual(failures, [], `${failures.length} of ${total} requests failed; server errors: ${JSON.stringify(t.logs().filter((l) => l.level === 'error' || l.level === 'warn').slice(0, 3))}`);
      const { rows } = await admin.query('SELECT sku FROM items WHERE sku = ANY($1)', [acknowledged]);
      assert.equal(rows.length, acknowledged.length, 'every acknowledged write is stored');
      const users = await admin.query('SELECT usename, count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND usename LIKE $2 GROUP BY usename', [testDb.name, `${appUser}%`]);
      const byUser = Object.fromEntries(users.rows.map((r) => [r.usename, r.n]));
      assert.ok(byUser[`${appUser}_clone`] > 0, `new connections use the rotated credentials: ${JSON.stringify(byUser)}`);
      const logs = JSON.stringify(t.logs());
      assert.ok(logs.includes('database credentials changed'), 'the change is logged');
      assert.ok(!logs.includes(pw1) && !logs.includes(pw2), 'no password in the logs');
      console.log(`rotation: ${total} requests, ${acknowledged.length} acknowledged writes, connections ${JSON.stringify(byUser)}, secret reads ${secretReads}`);
    } finally {
      await t.close();
    }
  });
});
