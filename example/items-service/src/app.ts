import { randomUUID } from 'node:crypto';
import http from 'node:http';
import express, { type Express, type RequestHandler } from 'express';
import type { Config } from './config.js';
import type { Database } from './db.js';
import { errorHandler, sendError, sendJson } from './errors.js';
import { itemHandlers } from './items/handlers.js';
import { createAccessLogger, type Logger } from './logger.js';
import { buildOpenApi } from './openapi.js';
import { ROUTES, allowedMethods, type Handlers } from './routes.js';

/** Mutable process state shared with the server (draining during shutdown). */
export interface AppState {
  draining: boolean;
}

export interface AppOptions {
  readonly db: Database;
  readonly config: Pick<Config, 'bodyLimitBytes' | 'retryAfterSeconds'>;
  readonly logger: Logger;
  readonly state?: AppState;
  /** 'all' logs one line per request; 'errors' only 4xx/5xx and slow requests. */
  readonly requestLog?: 'all' | 'errors';
}

/** Request ids we accept from clients / API Gateway (anything else is replaced). */
const REQUEST_ID = /^[A-Za-z0-9._:=+/-]{1,200}$/;
const REQUEST_ID_HEADERS = ['x-request-id', 'x-amzn-requestid', 'x-amzn-apigateway-request-id', 'x-amz-apigw-id', 'x-correlation-id'];
const SLOW_MS = 1000;

export function requestContext(logger: Logger, state: AppState, mode: 'all' | 'errors'): RequestHandler {
  return (req, res, next) => {
    let id: string | string[] | undefined;
    for (let i = 0; i < REQUEST_ID_HEADERS.length && id === undefined; i++) id = req.headers[REQUEST_ID_HEADERS[i]!];
    const reqId = typeof id === 'string' && REQUEST_ID.test(id) ? id : randomUUID();
    res.setHeader('x-request-id', reqId);
    // While draining, tell keep-alive clients to reconnect elsewhere after this response.
    if (state.draining) res.setHeader('connection', 'close');
    const start = performance.now();
    res.once('close', () => {
      const ms = Math.round((performance.now() - start) * 10) / 10;
      const status = res.statusCode;
      const aborted = !res.writableFinished;
      if (mode === 'all' || status >= 400 || aborted || ms >= SLOW_MS) {
        const line = { reqId, method: req.method, path: req.originalUrl, status, ms, aborted: aborted || undefined };
        if (status >= 500) logger.error(line, 'request');
        else logger.info(line, 'request');
      }
    });
    next();
  };
}

export function createApp(opts: AppOptions): Express {
  const { db, config, logger } = opts;
  const state = opts.state ?? { draining: false };
  const app = express();
  app.disable('x-powered-by');
  app.disable('etag'); // ETags are item versions, set explicitly.
  app.set('query parser', 'simple');

  const openapiBody = JSON.stringify(buildOpenApi());
  const items = itemHandlers(db);
  const handlers: Handlers = {
    healthz: (_req, res) => sendJson(res, 200, '{"status":"ok"}'),
    readyz: async (_req, res) => {
      if (state.draining) {
        sendError(res, 503, 'draining', 'the service is shutting down', [], { 'retry-after': String(config.retryAfterSeconds) });
        return;
      }
      try {
        await db.read({ text: 'SELECT 1' });
        sendJson(res, 200, '{"status":"ready"}');
      } catch (err) {
        logger.warn({ err: { message: (err as Error).message } }, 'readiness check failed');
        sendError(res, 503, 'service_unavailable', 'the database is not reachable', [], { 'retry-after': String(config.retryAfterSeconds) });
      }
    },
    openapi: (_req, res) => sendJson(res, 200, openapiBody),
    ...items,
  };

  app.use(requestContext(createAccessLogger(logger), state, opts.requestLog ?? 'all'));

  const json = express.json({ limit: config.bodyLimitBytes, strict: true, type: ['application/json', 'application/*+json'] });
  for (const route of ROUTES) {
    const chain: RequestHandler[] = route.json ? [json, handlers[route.handler]] : [handlers[route.handler]];
    app[route.method](route.path, ...chain);
  }

  // Known path, unsupported method: 405 with Allow (OPTIONS: 204 with Allow).
  for (const [path, methods] of allowedMethods()) {
    const allow = [...methods, 'OPTIONS'].join(', ');
    app.all(path, (req, res) => {
      if (req.method === 'OPTIONS') {
        res.setHeader('allow', allow);
        res.statusCode = 204;
        res.end();
        return;
      }
      sendError(res, 405, 'method_not_allowed', `${req.method} is not allowed on ${path}`, [{ allow: methods }], { allow });
    });
  }

  app.use((req, res) => sendError(res, 404, 'not_found', `no route for ${req.method} ${req.path}`));
  app.use(errorHandler(logger, config.retryAfterSeconds));
  return app;
}

/**
 * The HTTP server for an Express app. Express 5 re-parents every request and
 * response with Object.setPrototypeOf(req, app.request) — slow in V8, and it
 * deoptimises Node's http code for every request (measured here: about 95 us of
 * CPU per request, half the cost of a GET /items/:id). Constructing req/res with
 * those prototypes from the start turns that call into a no-op.
 */
export function createHttpServer(app: Express, fastPrototypes = process.env.HTTP_PROTOTYPE_FASTPATH !== 'false'): http.Server {
  if (!fastPrototypes) return http.createServer(app);
  // Node's IncomingMessage/ServerResponse are plain constructor functions: calling them on an
  // object created by `new Req()` (prototype app.request) initialises it in place.
  const isClass = (f: unknown) => /^class\b/.test(Function.prototype.toString.call(f));
  if (isClass(http.IncomingMessage) || isClass(http.ServerResponse)) return http.createServer(app);
  const IncomingMessage = http.IncomingMessage as unknown as (this: unknown, socket: unknown) => void;
  const ServerResponse = http.ServerResponse as unknown as (this: unknown, req: unknown, options: unknown) => void;
  const Req = function (this: unknown, socket: unknown) {
    IncomingMessage.call(this, socket);
  } as unknown as typeof http.IncomingMessage;
  Req.prototype = app.request;
  const Res = function (this: unknown, req: unknown, options: unknown) {
    ServerResponse.call(this, req, options);
  } as unknown as typeof http.ServerResponse;
  Res.prototype = app.response;
  return http.createServer({ IncomingMessage: Req, ServerResponse: Res }, app);
}
