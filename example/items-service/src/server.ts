import type { Server } from 'node:http';
import { readFile } from 'node:fs/promises';
import type { AddressInfo, Socket } from 'node:net';
import { createApp, createHttpServer, type AppState } from './app.js';
import type { Config } from './config.js';
import { createDatabase, type Database } from './db.js';
import { flushLogger, type Logger } from './logger.js';

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

/** Requests in flight on a connection and since when it has been idle (for the drain). */
interface SocketState {
  active: number;
  idleSince: number;
}
const SOCKET_STATE = Symbol('items.socketState');

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
  // Per-connection request accounting for the drain.
  const sockets = new Set<Socket>();
  const socketState = new WeakMap<Socket, SocketState>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socketState.set(socket, { active: 0, idleSince: Date.now() });
    socket.once('close', () => sockets.delete(socket));
  });
  // One shared 'close' listener (the connection's state rides on the response): no closure per request.
  function onResponseClose(this: { [SOCKET_STATE]?: SocketState }) {
    const st = this[SOCKET_STATE];
    if (st === undefined) return;
    this[SOCKET_STATE] = undefined;
    st.active--;
    st.idleSince = Date.now();
  }
  server.on('request', (req, res) => {
    const st = socketState.get(req.socket);
    if (!st) return;
    st.active++;
    (res as unknown as { [SOCKET_STATE]?: SocketState })[SOCKET_STATE] = st;
    res.on('close', onResponseClose);
  });
  logger.info({ port, host: config.host }, 'listening');
  flushLogger(logger);

  let stopping: Promise<void> | undefined;
  const shutdown = (reason: string): Promise<void> => {
    stopping ??= (async () => {
      const started = Date.now();
      state.draining = true;
      logger.info({ reason, drainMs: config.shutdownDrainMs }, 'shutdown: draining');
      // Connections the kernel accepted but Node has not picked up yet would be reset when the
      // listener closes: keep accepting (answering with Connection: close) until that queue is empty.
      const backlog = await waitForEmptyAcceptQueue(port, Math.min(1000, config.shutdownDrainMs));
      if (backlog > 0) logger.warn({ backlog }, 'shutdown: accept queue not empty after 1 s');
      // http.Server#close() would also destroy idle keep-alive sockets at once, racing
      // with requests already on the wire. Stop listening first, answer whatever arrives
      // on open connections with `Connection: close`, and only then close idle sockets.
      server.closeIdleConnections = () => undefined;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      const graceMs = Math.max(50, Math.min(opts.idleGraceMs ?? 500, config.shutdownDrainMs));
      // Close keep-alive connections only once they have been idle for the whole grace period, so a
      // client that is about to reuse one gets its answer (with Connection: close) rather than a reset.
      const idleTimer = setInterval(() => {
        const now = Date.now();
        for (const socket of sockets) {
          const st = socketState.get(socket);
          if (st && st.active === 0 && now - st.idleSince >= graceMs) socket.destroy();
        }
      }, Math.max(25, graceMs / 4));
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

/** Length of the kernel accept queue of the listening socket on `port` (Linux /proc/net/tcp*); undefined elsewhere. */
export async function acceptQueueLength(port: number): Promise<number | undefined> {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  let found: number | undefined;
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f.length < 5 || f[3] !== '0A' || !f[1]!.endsWith(':' + hexPort)) continue;
      found = (found ?? 0) + parseInt(f[4]!.split(':')[1]!, 16);
    }
  }
  return found;
}

/** Waits (bounded) until the accept queue is empty twice in a row; returns what is left. */
async function waitForEmptyAcceptQueue(port: number, maxMs: number): Promise<number> {
  const until = Date.now() + maxMs;
  let emptyChecks = 0;
  for (;;) {
    const n = await acceptQueueLength(port);
    if (n === undefined) {
      // Not Linux: give pending connections a moment to be accepted.
      await new Promise((r) => setTimeout(r, Math.min(100, maxMs)));
      return 0;
    }
    emptyChecks = n === 0 ? emptyChecks + 1 : 0;
    if (emptyChecks >= 2 || Date.now() >= until) return n;
    await new Promise((r) => setTimeout(r, 10));
  }
}
