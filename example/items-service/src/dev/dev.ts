/**
 * `npm run dev`: the service on localhost with no setup.
 * Without DB_SECRET_ARN / DATABASE_URL / DB_HOST it starts an embedded PostgreSQL whose data
 * persists in the temp directory between runs, migrates, seeds the sample catalog
 * (idempotent), and serves on PORT (default 8080). It never prints the database password.
 *
 * SIGTERM / SIGINT to this process drain the service first (every accepted request is
 * answered) and only then stop PostgreSQL; the process exits 0.
 */
import os from 'node:os';
import path from 'node:path';
import { describeDb, hasDatabaseConfig, loadDbConfig } from '../config.js';
import { createSequelize } from '../db.js';
import { main } from '../main.js';
import { runMigrations } from '../migrate.js';
import { seed } from '../seed.js';
import { startEmbeddedPostgres, type EmbeddedPg } from './embedded-postgres.js';

process.env.HOST ??= '127.0.0.1';
process.env.LOG_LEVEL ??= 'info';

const SIGNALS = ['SIGTERM', 'SIGINT', 'SIGHUP'] as const;

let embedded: EmbeddedPg | undefined;
if (!hasDatabaseConfig()) {
  const dataDir = process.env.DEV_PG_DATA ?? path.join(os.tmpdir(), 'items-service-dev-pg', 'data');
  process.stdout.write(`dev: no DATABASE_URL, starting embedded PostgreSQL (data in ${dataDir})\n`);
  const before = new Map(SIGNALS.map((s) => [s, new Set(process.listeners(s))]));
  embedded = await startEmbeddedPostgres({ dataDir, port: Number(process.env.DEV_PG_PORT ?? 54329) });
  // The library stops PostgreSQL on the first signal (its exit hook): that would cut the
  // requests the service is still draining. Remove its signal hooks; we stop it after the drain.
  for (const s of SIGNALS) for (const l of process.listeners(s)) if (!before.get(s)!.has(l)) process.removeListener(s, l as () => void);
  process.env.DATABASE_URL = embedded.url;
}

const dbConfig = loadDbConfig();
await dbConfig.credentials.load();
process.stdout.write(`dev: database ${JSON.stringify(describeDb(dbConfig))}\n`);
await runMigrations(dbConfig);
const sequelize = createSequelize(dbConfig);
const inserted = await seed(sequelize, Number(process.env.SEED_COUNT ?? 200));
await sequelize.close();
process.stdout.write(`dev: seeded ${inserted} new sample items\n`);

process.env.MIGRATE_ON_START = 'false';
const running = await main(process.env, {
  afterShutdown: async () => {
    if (!embedded) return;
    process.stdout.write('dev: stopping embedded PostgreSQL\n');
    await embedded.stop();
  },
});
process.stdout.write(`dev: http://localhost:${running.port}/items  (OpenAPI: /openapi.json)\n`);
// A signal that arrives during start-up (before main() installed its handlers) still stops PostgreSQL.
process.on('exit', () => {
  if (embedded) process.stdout.write('dev: exiting\n');
});
