import { loadDbConfig, describeDb } from '../config.js';
import { createLogger } from '../logger.js';
import { runMigrations } from '../migrate.js';

/** `npm run migrate`: apply pending migrations under the advisory lock. */
const logger = createLogger(process.env.LOG_LEVEL ?? 'info');
try {
  const db = loadDbConfig();
  logger.info({ db: describeDb(db) }, 'migrating');
  const result = await runMigrations(db, logger);
  logger.info(result, 'done');
} catch (err) {
  logger.error({ err }, 'migration failed');
  process.exitCode = 1;
}
