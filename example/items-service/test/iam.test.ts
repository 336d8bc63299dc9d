import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import type { DbConfig } from '../src/config.js';
import { IAM_TOKEN_REFRESH_MS, credentialSourceFromEnv, type CredentialSource, type IamTokenRequest } from '../src/credentials.js';
import { credentialClient } from '../src/db.js';
import { DEFAULT_APP_GROUP_ROLE, runMigrations } from '../src/migrate.js';
import { call, createTestDatabase, newItem, startTestApp, type TestDb } from './helpers.js';

/**
 * IAM database authentication against the real PostgreSQL. RDS checks an IAM auth token where
 * PostgreSQL checks a password, so the injected token generator hands out "tokens" that the
 * test sets as the role's password (ALTER ROLE … PASSWORD) — exactly what rotating tokens look
 * like to the pool: the previous one stops working, the current one works. The clock is fake,
 * so the 10-minute refresh boundary is crossed without waiting.
 * (TLS is required by the configuration in IAM mode — config.test.ts — the embedded server has
 * none, so this test builds the DbConfig from the credential source directly.)
 */
let testDb: TestDb;
let admin: pg.Client;
const suffix = randomBytes(3).toString('hex');
const iamUser = `items_iam_${suffix}`;
const token = (n: number) => `iam-token-${n}-${randomBytes(8).toString('hex')}`;

before(async () => {
  testDb = await createTestDatabase('iam');
  admin = new pg.Client({ connectionString: testDb.url });
  await admin.connect();
  await runMigrations(testDb.config);
  await admin.query(`CREATE ROLE ${iamUser} LOGIN IN ROLE ${DEFAULT_APP_GROUP_ROLE}`);
});
after(async () => {
  await admin?.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = $1`, [iamUser]).catch(() => undefined);
  await admin?.query(`DROP ROLE IF EXISTS ${iamUser}`).catch(() => undefined);
  await admin?.end();
  await testDb?.drop();
});

/** What a new pool connection authenticates as (a fresh connection, not one from a pool). */
async function newConnectionUser(cfg: DbConfig): Promise<string> {
  const Client = credentialClient(cfg);
  const c = new Client();
  await c.connect();
  try {
    return (await c.query('SELECT current_user AS u')).rows[0].u as string;
  } finally {
    await c.end();
  }
}

describe('IAM database authentication', () => {
  it('new connections use the current token, refreshed at 10 minutes and at once after 28P01', async () => {
    const u = new URL(testDb.url);
    let clock = 1_700_000_000_000;
    let next = token(1);
    const issued: string[] = [];
    const requests: IamTokenRequest[] = [];
    const setToken = async (t: string) => {
      next = t;
      await admin.query(`ALTER ROLE ${iamUser} PASSWORD '${t}'`);
    };
    await setToken(next);
    const credentials: CredentialSource = credentialSourceFromEnv(
      { DB_IAM_AUTH: 'true', DB_HOST: u.hostname, DB_PORT: u.port, DB_NAME: testDb.name, DB_USER: iamUser, AWS_REGION: 'eu-west-1' },
      {
        now: () => clock,
        minIntervalMs: 0,
        tokenGenerator: async (req) => {
          requests.push(req);
          issued.push(next);
          return next;
        },
      },
    );
    assert.equal(credentials.kind, 'iam');
    const dbConfig: DbConfig = { ...testDb.config, credentials };
    const t = await startTestApp('iam', { testDb, dbConfig });
    try {
      // GIVEN the first token
      assert.equal(issued.length, 1);
      assert.deepEqual(requests[0], { host: u.hostname, port: Number(u.port), user: iamUser, region: 'eu-west-1' });
      const created = await call(t.base, 'POST', '/items', newItem());
      assert.equal(created.status, 201, created.text);
      assert.equal((await call(t.base, 'GET', '/items?limit=5')).status, 200);
      assert.equal(await newConnectionUser(dbConfig), iamUser, 'a new connection authenticates with the token');

      // WHEN the token is just under 10 minutes old THEN it stays cached.
      clock += IAM_TOKEN_REFRESH_MS - 1;
      assert.equal(credentials.current().password, issued[0]);
      await credentials.settled();
      assert.equal(issued.length, 1, 'no new token before the boundary');

      // WHEN the boundary is reached (the server now accepts only the next token)
      await setToken(token(2));
      clock += 1;
      credentials.current();
      await credentials.settled();
      // THEN the next token is signed and new connections use it.
      assert.equal(issued.length, 2, 'a new token at 10 minutes');
      assert.equal(credentials.current().password, issued[1]);
      assert.equal(await newConnectionUser(dbConfig), iamUser, 'a new connection uses the refreshed token');
      assert.equal((await call(t.base, 'GET', `/items/${created.body.id}`)).status, 200);

      // WHEN the server stops accepting the cached token before its age (28P01) and the pools must reconnect
      await setToken(token(3));
      await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = $1`, [iamUser]);
      await new Promise((r) => setTimeout(r, 300));
      // THEN the rejected connect signs a new token at once and the requests still succeed.
      const read = await call(t.base, 'GET', '/items?limit=5');
      assert.equal(read.status, 200, read.text);
      const write = await call(t.base, 'POST', '/items', newItem());
      assert.equal(write.status, 201, write.text);
      assert.equal((await call(t.base, 'GET', `/items/${write.body.id}`)).status, 200);
      assert.equal(issued.length, 3, `one new token after the 28P01 (tokens issued: ${issued.length})`);
      assert.equal(credentials.current().password, issued[2]);
      const logs = t.logs();
      assert.ok(
        logs.some((l) => (l as { reason?: string }).reason === '28P01'),
        'the re-read was caused by the rejected token',
      );
      const text = JSON.stringify(logs);
      for (const tok of issued) assert.ok(!text.includes(tok), 'no token in the logs');
    } finally {
      await t.close();
    }
  });
});
