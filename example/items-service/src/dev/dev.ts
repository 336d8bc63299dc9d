/**
 * `npm run dev`: the service on localhost with no setup.
 * Without DATABASE_URL / DB_HOST it starts an embedded PostgreSQL whose data
 * persists in the temp directory between runs, migrates, seeds the sample
 * catalog (idempotent), and serves on PORT (default 8080).
 */
import os from 'node:os';
import path from 'node:path';
import { hasDatabaseConfig } from '../config.js';
import { createSequelize } from '../db.js';
import { loadDbConfig } from '../config.js';
import { main } from '../main.js';
import { runMigrations } from '../migrate.js';
import { seed } from '../seed.js';
import { startEmbeddedPostgres, type EmbeddedPg } from './embedded-postgres.js';

process.env.HOST ??= '127.0.0.1';
process.env.LOG_LEVEL ??= 'info';

let embedded: EmbeddedPg | undefined;
if (!hasDatabaseConfig()) {
  const dataDir = process.env.DEV_PG_DATA ?? path.join(os.tmpdir(), 'items-service-dev-pg', 'data');
  process.stdout.write(`dev: no DATABASE_URL, starting embedded PostgreSQL (data in ${dataDir})\n`);
  embedded = await startEmbeddedPostgres({ dataDir, port: Number(process.env.DEV_PG_PORT ?? 54329) });
  process.env.DATABASE_URL = embedded.url;
  process.stdout.write(`dev: DATABASE_URL=${embedded.url}\n`);
}

const dbConfig = loadDbConfig();
await runMigrations(dbConfig);
const sequelize = createSequelize(dbConfig);
const inserted = await seed(sequelize, Number(process.env.SEED_COUNT ?? 200));
await sequelize.close();
process.stdout.write(`dev: seeded ${inserted} new sample items\n`);

process.env.MIGRATE_ON_START = 'false';
const running = await main();
process.stdout.write(`dev: http://localhost:${running.port}/items  (OpenAPI: /openapi.json)\n`);

// main() exits on SIGTERM/SIGINT after draining; stop PostgreSQL on the way out.
process.on('exit', () => {
  if (embedded) process.stdout.write('dev: stopping embedded PostgreSQL\n');
});
