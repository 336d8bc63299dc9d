import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp, createHttpServer, type AppState } from './app.js';
import type { Config } from './config.js';
import { createDatabase, type Database } from './db.js';
import type { Logger } from './logger.js';

export interface RunningServer {
  readonly server: Server;
  readonly port: number;
  readonly db: Database;
  readonly state: AppState;
  /** Graceful stop: refuse new connections, finish in-flight requests (bounded), close the pools. */
  shutdown(reason: string): Promise<void>;
}

export interface StartOptions {
  readonly requestLog?: 'all' | 'errors';
  /** After this long, idle keep-alive connections are closed (in-flight ones continue). */
  readonly idleGraceMs?: number;
}

export async function startServer(config: Config, logger: Logger, opts: StartOptions = {}): Promise<RunningServer> {
  await config.db.credentials.load();
  const db = createDatabase(config.db, logger);
  const state: AppState = { draining: false };
  const app = createApp({ db, config, logger, state, requestLog: opts.requestLog ?? (process.env.REQUEST_LOG === 'errors' ? 'errors' : 'all') });
  const server = createHttpServer(app, undefined, logger);
  // Longer than typical load balancer idle timeouts, so the LB closes idle connections first.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  logger.info({ port, host: config.host }, 'listening');

  let stopping: Promise<void> | undefined;
  const shutdown = (reason: string): Promise<void> => {
    stopping ??= (async () => {
      const started = Date.now();
      state.draining = true;
      logger.info({ reason, drainMs: config.shutdownDrainMs }, 'shutdown: draining');
      // http.Server#close() would also destroy idle keep-alive sockets at once, racing
      // with requests already on the wire. Stop listening first, answer whatever arrives
      // on open connections with `Connection: close`, and only then close idle sockets.
      const closeIdle = server.closeIdleConnections.bind(server);
      server.closeIdleConnections = () => undefined;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections = closeIdle;
      const graceMs = Math.max(50, Math.min(opts.idleGraceMs ?? 500, config.shutdownDrainMs));
      const idleTimer = setInterval(() => server.closeIdleConnections(), graceMs);
      let deadline: NodeJS.Timeout | undefined;
      const timedOut = await Promise.race([
        closed.then(() => false),
        new Promise<boolean>((resolve) => {
          deadline = setTimeout(() => resolve(true), config.shutdownDrainMs);
        }),
      ]);
      clearInterval(idleTimer);
      clearTimeout(deadline);
      if (timedOut) {
        logger.warn({ drainMs: config.shutdownDrainMs }, 'shutdown: drain time exceeded, closing remaining connections');
        server.closeAllConnections();
      }
      await db.close();
      logger.info({ ms: Date.now() - started }, 'shutdown: complete');
    })();
    return stopping;
  };

  return { server, port, db, state, shutdown };
}
