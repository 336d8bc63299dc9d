import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { createSequelize } from '../src/db.js';
import { MIGRATIONS } from '../src/migrations/index.js';
import { runMigrations } from '../src/migrate.js';
import { seed } from '../src/seed.js';
import { buildListStatement } from '../src/items/sql.js';
import { ListQuery } from '../src/schemas.js';
import { createTestDatabase, type TestDb } from './helpers.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
let testDb: TestDb;
before(async () => {
  testDb = await createTestDatabase('mig');
});
after(async () => {
  await testDb?.drop();
});

async function query<T = Record<string, unknown>>(sql: string, values: unknown[] = []): Promise<T[]> {
  const c = new pg.Client({ connectionString: testDb.url });
  await c.connect();
  try {
    return (await c.query(sql, values)).rows as T[];
  } finally {
    await c.end();
  }
}

describe('migrations', () => {
  it('two migrators started together apply each migration exactly once', async () => {
    const [a, b] = await Promise.all([runMigrations(testDb.config), runMigrations(testDb.config)]);
    const all = [...a.executed, ...b.executed].sort();
    assert.deepEqual(all, MIGRATIONS.map((m) => m.name).sort(), `a=${a.executed} b=${b.executed}`);
    assert.ok(a.executed.length === 0 || b.executed.length === 0, 'one migrator did everything, the other found nothing pending');
    const rows = await query<{ name: string }>('SELECT name FROM schema_migrations ORDER BY name');
    assert.deepEqual(rows.map((r) => r.name), MIGRATIONS.map((m) => m.name));
    // And again: nothing to do.
    assert.deepEqual((await runMigrations(testDb.config)).executed, []);
  });

  it('five concurrent migrators on a fresh database also migrate once', async () => {
    const other = await createTestDatabase('mig5');
    try {
      const results = await Promise.all(Array.from({ length: 5 }, () => runMigrations(other.config)));
      assert.deepEqual(results.flatMap((r) => r.executed).sort(), MIGRATIONS.map((m) => m.name).sort());
    } finally {
      await other.drop();
    }
  });

  it('`node dist/cli/migrate.js` is the one-off migration step: migrates, grants DML to the app group role, exits 0', async () => {
    const other = await createTestDatabase('migcli');
    try {
      const child = spawn(process.execPath, [path.join(root, 'dist', 'cli', 'migrate.js')], { env: { PATH: process.env.PATH ?? '', DATABASE_URL: other.url }, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      child.stdout.on('data', (c) => (out += c));
      child.stderr.on('data', (c) => (out += c));
      const code = await new Promise((r) => child.on('exit', r));
      assert.equal(code, 0, out);
      assert.match(out, /"msg":"migrations applied"/);
      assert.ok(!out.includes(new URL(other.url).password), 'no password in the output');
      const c = new pg.Client({ connectionString: other.url });
      await c.connect();
      try {
        const { rows } = await c.query(`SELECT has_table_privilege('items_app_rw', 'items', 'SELECT, INSERT, UPDATE, DELETE') AS dml,
          has_table_privilege('items_app_rw', 'schema_migrations', 'SELECT') AS history, has_schema_privilege('items_app_rw', 'public', 'CREATE') AS ddl`);
        assert.deepEqual(rows[0], { dml: true, history: false, ddl: false });
      } finally {
        await c.end();
      }
    } finally {
      await other.drop();
    }
  });

  it('the seed is idempotent', async () => {
    const sequelize = createSequelize(testDb.config);
    try {
      assert.equal(await seed(sequelize, 150), 150);
      assert.equal(await seed(sequelize, 150), 0);
      const [{ n }] = await query<{ n: number }>('SELECT count(*)::int AS n FROM items');
      assert.equal(n, 150);
      const [{ cats }] = await query<{ cats: number }>('SELECT count(DISTINCT category)::int AS cats FROM items');
      assert.ok(cats >= 5);
    } finally {
      await sequelize.close();
    }
  });

  it('text search uses the trigram indexes at 100k rows', async () => {
    await query(`SET gin_pending_list_limit = '64MB';
      INSERT INTO items (sku, name, description, price_cents, currency, category, stock)
      SELECT 'BULK-' || g, 'Bulk item ' || md5(g::text), 'Generated row ' || md5((g * 7)::text), g % 100000, 'EUR', 'bulk', g % 50
      FROM generate_series(1, 100000) g`);
    await query('VACUUM ANALYZE items');
    const stmt = buildListStatement(ListQuery.parse({ q: 'ab12cd' }), undefined);
    const plan = JSON.stringify(await query(`EXPLAIN (FORMAT JSON) ${stmt.text}`, stmt.values));
    assert.match(plan, /items_name_trgm_idx/);
    assert.match(plan, /items_description_trgm_idx/);
    const started = performance.now();
    await query(stmt.text, stmt.values);
    assert.ok(performance.now() - started < 2000);
  });
});
