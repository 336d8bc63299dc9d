import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ConfigError, describeDb, loadConfig, loadDbConfig } from '../src/config.js';
import { isDatabaseUnavailable } from '../src/db.js';

describe('configuration', () => {
  it('reads DATABASE_URL', () => {
    const c = loadDbConfig({ DATABASE_URL: 'postgres://app:p%40ss@db.example:6543/items' });
    const k = c.credentials.current();
    assert.deepEqual([k.host, k.port, k.database, k.user, k.password, c.ssl], ['db.example', 6543, 'items', 'app', 'p@ss', undefined]);
  });
  it('reads the discrete DB_* variables ECS injects from the Aurora secret', () => {
    const c = loadDbConfig({ DB_HOST: 'cluster.example', DB_PORT: '5432', DB_NAME: 'items', DB_USER: 'items', DB_PASSWORD: 'x' });
    const k = c.credentials.current();
    assert.deepEqual([k.host, k.port, k.database, k.user, k.password], ['cluster.example', 5432, 'items', 'items', 'x']);
    assert.throws(() => loadDbConfig({ DB_HOST: 'h' }), (e: Error) => e instanceof ConfigError && /DB_NAME, DB_USER, DB_PASSWORD \(or DB_PASSWORD_FILE\)/.test(e.message));
    assert.throws(() => loadDbConfig({}), ConfigError);
    assert.throws(() => loadDbConfig({ DB_HOST: 'h', DB_NAME: 'n', DB_USER: 'u', DB_PASSWORD: 'p', DB_PORT: 'x' }), ConfigError);
  });
  it('DB_SSL verifies the server with the CA bundle from DB_SSL_CA_PATH', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'items-ca-'));
    const ca = path.join(dir, 'bundle.pem');
    writeFileSync(ca, '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
    const base = { DB_HOST: 'h', DB_NAME: 'n', DB_USER: 'u', DB_PASSWORD: 'p' };
    const c = loadDbConfig({ ...base, DB_SSL: 'true', DB_SSL_CA_PATH: ca });
    assert.equal(c.ssl?.rejectUnauthorized, true);
    assert.match(c.ssl!.ca, /BEGIN CERTIFICATE/);
    assert.throws(() => loadDbConfig({ ...base, DB_SSL: 'true', DB_SSL_CA_PATH: path.join(dir, 'missing.pem') }), /CA bundle/);
    // Default path is the one the Dockerfile downloads to.
    assert.throws(() => loadDbConfig({ ...base, DB_SSL: '1' }), /\/opt\/rds\/global-bundle\.pem/);
    assert.equal(loadDbConfig({ ...base, DB_SSL: 'false' }).ssl, undefined);
    assert.throws(() => loadDbConfig({ ...base, DB_SSL: 'perhaps' }), ConfigError);
  });
  it('DB_IAM_AUTH=true signs a token for DB_HOST/DB_PORT/DB_NAME/DB_USER/AWS_REGION and requires TLS', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'items-ca-'));
    const ca = path.join(dir, 'bundle.pem');
    writeFileSync(ca, '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
    const iam = { DB_IAM_AUTH: 'true', DB_HOST: 'cluster.example', DB_PORT: '5433', DB_NAME: 'items', DB_USER: 'items_app', AWS_REGION: 'eu-west-1' };
    const asked: unknown[] = [];
    const c = loadDbConfig({ ...iam, DB_SSL_CA_PATH: ca }, { tokenGenerator: async (req) => (asked.push(req), 'token-1') });
    assert.equal(c.credentials.kind, 'iam');
    assert.equal(c.ssl?.rejectUnauthorized, true, 'TLS is on by default in IAM mode');
    assert.deepEqual(await c.credentials.load(), { host: 'cluster.example', port: 5433, database: 'items', user: 'items_app', password: 'token-1' });
    assert.deepEqual(asked, [{ host: 'cluster.example', port: 5433, user: 'items_app', region: 'eu-west-1' }]);
    assert.ok(!JSON.stringify(describeDb(c)).includes('token-1'), 'the token is never in the loggable description');
    // TLS cannot be turned off.
    assert.throws(
      () => loadDbConfig({ ...iam, DB_SSL: 'false' }),
      (e: Error) => e instanceof ConfigError && e.message === 'DB_IAM_AUTH=true requires TLS (RDS accepts IAM auth tokens only over SSL), but DB_SSL is "false"; unset DB_SSL or set it to true',
    );
    // Missing settings are named.
    assert.throws(() => loadDbConfig({ DB_IAM_AUTH: 'true', DB_HOST: 'h' }), (e: Error) => e instanceof ConfigError && e.message === 'DB_IAM_AUTH=true needs DB_NAME, DB_USER, AWS_REGION');
    assert.throws(() => loadDbConfig({ ...iam, DB_IAM_AUTH: 'maybe' }), (e: Error) => e instanceof ConfigError && e.message === 'DB_IAM_AUTH must be a boolean (true/false), got "maybe"');
  });
  it('DB_IAM_AUTH=true with a password source fails naming both', () => {
    const iam = { DB_IAM_AUTH: 'true', DB_HOST: 'h', DB_NAME: 'n', DB_USER: 'u', AWS_REGION: 'eu-west-1' };
    const msg = (what: string) => `DB_IAM_AUTH=true and ${what} are exclusive: IAM database authentication uses an auth token as the password; unset ${what} (or DB_IAM_AUTH)`;
    const cases: [Record<string, string>, string][] = [
      [{ DB_SECRET_ARN: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:x' }, 'DB_SECRET_ARN'],
      [{ DB_PASSWORD: 'p' }, 'DB_PASSWORD'],
      [{ DB_PASSWORD_FILE: '/run/secrets/pw' }, 'DB_PASSWORD_FILE'],
      [{ DATABASE_URL: 'postgres://u:p@h/n' }, 'DATABASE_URL'],
      [{ DB_SECRET_ARN: 'arn:x', DB_PASSWORD: 'p' }, 'DB_SECRET_ARN, DB_PASSWORD'],
    ];
    for (const [extra, what] of cases) {
      assert.throws(() => loadDbConfig({ ...iam, ...extra }), (e: Error) => e instanceof ConfigError && e.message === msg(what), what);
    }
    // DB_IAM_AUTH=false leaves the password sources as they were.
    assert.equal(loadDbConfig({ ...iam, DB_IAM_AUTH: 'false', DB_PASSWORD: 'p' }).credentials.kind, 'env');
  });
  it('never exposes the password in the loggable description', () => {
    const c = loadDbConfig({ DATABASE_URL: 'postgres://app:topsecret@h/db' });
    assert.ok(!JSON.stringify(describeDb(c)).includes('topsecret'));
  });
  it('has production defaults', () => {
    const c = loadConfig({ DATABASE_URL: 'postgres://a:b@h/d' });
    assert.equal(c.port, 8080);
    assert.equal(c.migrateOnStart, false, 'the serving process never migrates unless asked');
    assert.equal(c.db.queryTimeoutMs, 6000);
    assert.equal(c.db.statementTimeoutMs, 5000);
    assert.equal(c.db.acquireTimeoutMs, 3000);
    assert.ok(c.shutdownDrainMs > 0);
    assert.equal(loadConfig({ DATABASE_URL: 'postgres://a:b@h/d', MIGRATE_ON_START: 'false', SHUTDOWN_DRAIN_MS: '1500' }).shutdownDrainMs, 1500);
  });
  it('classifies database outages', () => {
    assert.ok(isDatabaseUnavailable(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })));
    assert.ok(isDatabaseUnavailable({ name: 'SequelizeConnectionAcquireTimeoutError' }));
    assert.ok(isDatabaseUnavailable({ name: 'SequelizeDatabaseError', parent: { code: '57P01' } }));
    assert.ok(isDatabaseUnavailable({ code: '08006' }));
    assert.ok(!isDatabaseUnavailable({ code: '23505' }));
    assert.ok(!isDatabaseUnavailable(new TypeError('x')));
  });
});
