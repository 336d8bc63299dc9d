import { loadDbConfig, describeDb } from '../config.js';
import { createSequelize } from '../db.js';
import { createLogger } from '../logger.js';
import { seed } from '../seed.js';

/** `npm run seed [count]`: load the sample catalog (idempotent). Run migrations first. */
const logger = createLogger(process.env.LOG_LEVEL ?? 'info');
const count = Number(process.argv[2] ?? process.env.SEED_COUNT ?? 200);
try {
  if (!Number.isInteger(count) || count < 1 || count > 1_000_000) throw new Error(`seed count must be 1..1000000, got ${process.argv[2]}`);
  const db = loadDbConfig();
  await db.credentials.load();
  logger.info({ db: describeDb(db), count }, 'seeding');
  const sequelize = createSequelize(db, logger);
  try {
    const inserted = await seed(sequelize, count);
    logger.info({ inserted, skipped: count - inserted }, 'seeded');
  } finally {
    await sequelize.close();
  }
} catch (err) {
  logger.error({ err }, 'seed failed');
  process.exitCode = 1;
}
