import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describeDb, loadConfig, type Config } from './config.js';
import { isDatabaseUnavailable } from './db.js';
import { createLogger, flushLogger, type Logger } from './logger.js';
import { runMigrations } from './migrate.js';
import { startServer, type RunningServer } from './server.js';

/** Migrates, retrying while the database is not reachable yet (e.g. Aurora still starting). */
async function migrateWithRetry(config: Config, logger: Logger, maxWaitMs = 120_000): Promise<void> {
  const started = Date.now();
  for (let attempt = 1; ; attempt++) {
    try {
      await runMigrations(config.db, logger);
      return;
    } catch (err) {
      if (!isDatabaseUnavailable(err) || Date.now() - started > maxWaitMs) throw err;
      const wait = Math.min(5000, 250 * 2 ** attempt);
      logger.warn({ attempt, wait, err: { message: (err as Error).message } }, 'database not reachable for migrations, retrying');
      await new Promise((r) => setTimeout(r, wait));
    }
  }
}

/**
 * Container entry point: configuration, migrations under the advisory lock
 * only when MIGRATE_ON_START=true (default false: migrations are their own step,
 * `node dist/cli/migrate.js`), then the HTTP server with graceful
 * SIGTERM handling.
 */
export async function main(env: NodeJS.ProcessEnv = process.env, opts: { afterShutdown?: () => Promise<void> } = {}): Promise<RunningServer> {
  const config = loadConfig(env);
  const logger = createLogger(config.logLevel);
  await config.db.credentials.load();
  logger.info({ db: describeDb(config.db), port: config.port, migrateOnStart: config.migrateOnStart }, 'starting');
  if (config.migrateOnStart) await migrateWithRetry(config, logger);
  const running = await startServer(config, logger);

  const onSignal = (signal: NodeJS.Signals) => {
    running.shutdown(signal).then(async () => {
      flushLogger(logger);
      await opts.afterShutdown?.();
    }).then(
      () => {
        flushLogger(logger);
        process.exit(0);
      },
      (err) => {
        logger.error({ err }, 'shutdown failed');
        flushLogger(logger);
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
  process.on('unhandledRejection', (err) => logger.error({ err }, 'unhandled rejection'));
  return running;
}

function isEntryPoint(): boolean {
  if (!process.argv[1]) return false;
  try {
    return realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isEntryPoint()) {
  main().catch((err) => {
    // The logger may not exist yet (bad configuration): write a JSON line ourselves.
    process.stderr.write(JSON.stringify({ level: 'fatal', service: 'items-service', msg: 'startup failed', error: String((err as Error)?.message ?? err) }) + '\n');
    process.exit(1);
  });
}
