import { describeDb, loadDbConfig } from '../config.js';
import { createLogger, flushLogger } from '../logger.js';
import { runMigrations } from '../migrate.js';

/**
 * `node dist/cli/migrate.js` (`npm run migrate`): the one-off migration step. Applies pending
 * migrations under the advisory lock, then grants DML to the application group role
 * (`DB_APP_GROUP_ROLE`, default items_app_rw). In AWS it runs as its own ECS task with the
 * migration (master) credentials in `DB_SECRET_ARN`; the serving tasks never migrate.
 * Exit code 0 when the schema is up to date.
 */
const logger = createLogger(process.env.LOG_LEVEL ?? 'info');
try {
  const db = loadDbConfig();
  await db.credentials.load();
  logger.info({ db: describeDb(db) }, 'migrating');
  const result = await runMigrations(db, logger);
  logger.info(result, 'done');
} catch (err) {
  logger.error({ err: { name: (err as Error).name, message: (err as Error).message, code: (err as { code?: string }).code } }, 'migration failed');
  process.exitCode = 1;
}
flushLogger(logger);
