import { randomUUID } from 'node:crypto';
import { isUtf8 } from 'node:buffer';
import http from 'node:http';
import express, { type Express, type RequestHandler, type Response } from 'express';
import type { Config } from './config.js';
import type { Database } from './db.js';
import { ApiError, PROBLEM_CONTENT_TYPE, errorHandler, logFields, problemJson, sendError, sendJson } from './errors.js';
import { itemHandlers } from './items/handlers.js';
import { createAccessLogger, type AccessLogger, type Logger } from './logger.js';
import { buildOpenApi } from './openapi.js';
import { ROUTES, allowedMethods, type Handlers } from './routes.js';

/** Mutable process state shared with the server (draining during shutdown). */
export interface AppState {
  draining: boolean;
}

export interface AppOptions {
  readonly db: Database;
  readonly config: Pick<Config, 'bodyLimitBytes' | 'retryAfterSeconds'> & Partial<Pick<Config, 'corsAllowedOrigins'>>;
  readonly logger: Logger;
  readonly state?: AppState;
  /** 'all' logs one line per request; 'errors' only 4xx/5xx and slow requests. */
  readonly requestLog?: 'all' | 'errors';
}

/** Request ids we accept from clients / API Gateway (anything else is replaced). */
const REQUEST_ID = /^[A-Za-z0-9._:=+/-]{1,200}$/;
const REQUEST_ID_HEADERS = ['x-request-id', 'x-amzn-requestid', 'x-amzn-apigateway-request-id', 'x-amz-apigw-id', 'x-correlation-id'];
/** W3C Trace Context `traceparent` (version 00 layout; future versions may append fields). */
const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;
/** API Gateway / X-Ray `X-Amzn-Trace-Id` (Root=1-...;Parent=...;Sampled=...). */
const AMZN_TRACE_ID = /^[A-Za-z0-9=;:._-]{1,256}$/;
const SLOW_MS = 1000;
/** Headers a browser may read on a cross-origin response. */
const CORS_EXPOSE = 'ETag, Last-Modified, Location, Link, Retry-After, X-Request-Id, Allow';

/** Parses `traceparent`; undefined when absent or invalid (all-zero ids, version ff). */
export function traceIdOf(header: string | string[] | undefined): string | undefined {
  if (typeof header !== 'string') return undefined;
  const m = TRACEPARENT.exec(header.trim());
  if (!m || m[1] === 'ff' || /^0+$/.test(m[2]!) || /^0+$/.test(m[3]!) || (m[1] === '00' && m[5] !== undefined)) return undefined;
  return m[2];
}

/** Per-response state of the access log (on the response, so one shared 'close' listener serves every request). */
const ACCESS = Symbol('items.access');
interface AccessState {
  readonly start: number;
  readonly log: { reqId: string; traceId?: string; amznTraceId?: string };
}

export function requestContext(logger: AccessLogger, state: AppState, mode: 'all' | 'errors', corsOrigins: ReadonlySet<string> | undefined): RequestHandler {
  const anyOrigin = corsOrigins?.has('*') ?? false;
  const logAll = mode === 'all' && logger.infoEnabled;
  // One listener function for every response (no closure or once-wrapper per request).
  function onClose(this: Response & { [ACCESS]?: AccessState }) {
    const a = this[ACCESS];
    if (a === undefined) return;
    const ms = Math.round((performance.now() - a.start) * 10) / 10;
    const status = this.statusCode;
    const aborted = !this.writableFinished;
    if (logAll || status >= 400 || aborted || ms >= SLOW_MS) {
      const level = status >= 500 ? 'error' : 'info';
      if (level === 'error' ? !logger.errorEnabled : !logger.infoEnabled) return;
      const l = a.log;
      logger.write(level, { reqId: l.reqId, traceId: l.traceId, amznTraceId: l.amznTraceId, method: this.req.method, path: this.req.originalUrl, status, ms, aborted });
    }
  }
  return (req, res, next) => {
    const h = req.headers;
    let id: string | string[] | undefined;
    for (let i = 0; i < REQUEST_ID_HEADERS.length && id === undefined; i++) id = h[REQUEST_ID_HEADERS[i]!];
    const reqId = typeof id === 'string' && REQUEST_ID.test(id) ? id : randomUUID();
    res.setHeader('x-request-id', reqId);
    const traceparent = h.traceparent;
    const amzn = h['x-amzn-trace-id'];
    const log: AccessState['log'] = { reqId };
    if (traceparent !== undefined) log.traceId = traceIdOf(traceparent);
    if (typeof amzn === 'string' && AMZN_TRACE_ID.test(amzn)) log.amznTraceId = amzn;
    res.locals.log = log;
    // While draining, tell keep-alive clients to reconnect elsewhere after this response.
    if (state.draining) res.setHeader('connection', 'close');
    if (corsOrigins !== undefined) {
      const origin = h.origin;
      if (typeof origin === 'string' && (anyOrigin || corsOrigins.has(origin))) {
        res.setHeader('access-control-allow-origin', anyOrigin ? '*' : origin);
        res.setHeader('access-control-expose-headers', CORS_EXPOSE);
      }
      if (!anyOrigin) res.setHeader('vary', 'Origin');
    }
    (res as Response & { [ACCESS]?: AccessState })[ACCESS] = { start: performance.now(), log };
    res.on('close', onClose);
    // RFC 9112 §3.2: an HTTP/1.1 request without Host is a 400 (Node's own check answers with an empty body).
    if (h.host === undefined && req.httpVersionMajor === 1 && req.httpVersionMinor === 1) {
      res.setHeader('connection', 'close');
      sendError(res, 400, 'missing_host', 'an HTTP/1.1 request must carry a Host header', [{ in: 'header', path: 'host', code: 'required', message: 'Host is required' }]);
      return;
    }
    // Every body is JSON (problem details included): an Accept that rules both out is 406.
    const accept = h.accept;
    if (accept !== undefined && accept !== '*/*' && !acceptsJson(accept)) {
      sendError(res, 406, 'not_acceptable', 'this API answers application/json (errors: application/problem+json)', [{ in: 'header', path: 'accept', code: 'not_acceptable', message: `cannot satisfy Accept: ${accept.slice(0, 100)}` }]);
      return;
    }
    next();
  };
}

/** True when an Accept header allows application/json or application/problem+json (q > 0). */
export function acceptsJson(accept: string): boolean {
  for (const part of accept.split(',')) {
    const [range, ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    if (q !== undefined && Number(q.slice(2)) === 0) continue;
    const r = range!.trim();
    if (r === '*/*' || r === 'application/*' || r === 'application/json' || r === 'application/problem+json' || r === '') return true;
  }
  return false;
}

const JSON_TYPE = /^application\/(?:[a-z0-9.+-]+\+)?json\s*(?:;|$)/i;

/**
 * Before the JSON body parser: a body needs a Content-Type (415 without one), JSON is UTF-8
 * only (415 for another charset), and invalid UTF-8 bytes are flagged (the handler names the
 * fields instead of storing U+FFFD).
 */
export const jsonPrecheck: RequestHandler = (req, _res, next) => {
  const h = req.headers;
  const hasBody = h['transfer-encoding'] !== undefined || (h['content-length'] !== undefined && h['content-length'] !== '0');
  const ct = h['content-type'];
  if (hasBody && (ct === undefined || ct.trim() === '')) {
    throw new ApiError(415, 'unsupported_media_type', 'a request body needs Content-Type: application/json', [{ in: 'header', path: 'content-type', code: 'required', message: 'Content-Type is required with a body' }]);
  }
  if (ct !== undefined && JSON_TYPE.test(ct)) {
    const charset = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(ct)?.[1]?.toLowerCase();
    if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') {
      throw new ApiError(415, 'unsupported_charset', `JSON must be UTF-8, got charset=${charset.slice(0, 40)}`, [{ in: 'header', path: 'content-type', code: 'charset', message: 'charset must be utf-8' }]);
    }
  }
  next();
};

/** Marks a body that is not valid UTF-8 (body-parser would decode it with U+FFFD replacements). */
const verifyUtf8 = (req: unknown, _res: unknown, buf: Buffer) => {
  if (!isUtf8(buf)) (req as { invalidUtf8?: boolean }).invalidUtf8 = true;
};

export function createApp(opts: AppOptions): Express {
  const { db, config, logger } = opts;
  const state = opts.state ?? { draining: false };
  const app = express();
  app.disable('x-powered-by');
  app.disable('etag'); // ETags are item versions, set explicitly.
  app.set('query parser', 'simple');
  // Paths match exactly as documented (no case folding, no trailing-slash aliases).
  app.set('case sensitive routing', true);
  app.set('strict routing', true);

  const openapiBody = JSON.stringify(buildOpenApi());
  const items = itemHandlers(db);
  const retryAfter = { 'retry-after': String(config.retryAfterSeconds) };
  const handlers: Handlers = {
    healthz: (_req, res) => sendJson(res, 200, '{"status":"ok"}'),
    readyz: async (_req, res) => {
      if (state.draining) {
        sendError(res, 503, 'draining', 'the service is shutting down', [], retryAfter);
        return;
      }
      try {
        await db.read({ text: 'SELECT 1' });
        sendJson(res, 200, '{"status":"ready"}');
      } catch (err) {
        logger.warn({ ...logFields(res), err: { message: (err as Error).message } }, 'readiness check failed');
        sendError(res, 503, 'service_unavailable', 'the database is not reachable', [], retryAfter);
      }
    },
    openapi: (_req, res) => sendJson(res, 200, openapiBody),
    ...items,
  };

  const cors = config.corsAllowedOrigins && config.corsAllowedOrigins.length > 0 ? new Set(config.corsAllowedOrigins) : undefined;
  app.use(requestContext(createAccessLogger(logger), state, opts.requestLog ?? 'all', cors));

  const json = express.json({ limit: config.bodyLimitBytes, strict: true, type: ['application/json', 'application/*+json'], verify: verifyUtf8 });
  // One router layer per path (its methods on one Route), so a request is matched against each path once.
  const paths = new Map<string, express.IRoute>();
  for (const route of ROUTES) {
    const chain: RequestHandler[] = route.json ? [jsonPrecheck, json, handlers[route.handler]] : [handlers[route.handler]];
    let r = paths.get(route.path);
    if (r === undefined) paths.set(route.path, (r = app.route(route.path)));
    r[route.method](...chain);
  }

  // Known path, unsupported method: 405 with Allow (OPTIONS: 204 with Allow; a CORS preflight also gets the allowed methods).
  for (const [path, methods] of allowedMethods()) {
    const allow = [...methods, 'OPTIONS'].join(', ');
    app.all(path, (req, res) => {
      if (req.method === 'OPTIONS') {
        res.setHeader('allow', allow);
        if (cors && res.hasHeader('access-control-allow-origin') && req.headers['access-control-request-method'] !== undefined) {
          res.setHeader('access-control-allow-methods', allow);
          res.setHeader('access-control-allow-headers', 'Content-Type, If-Match, If-None-Match, If-Modified-Since, If-Unmodified-Since, X-Request-Id, traceparent');
          res.setHeader('access-control-max-age', '600');
        }
        res.statusCode = 204;
        res.end();
        return;
      }
      sendError(res, 405, 'method_not_allowed', `${req.method} is not allowed on ${path}`, [], { allow }, { allow: allow.split(', ') });
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
export function createHttpServer(app: Express, fastPrototypes = process.env.HTTP_PROTOTYPE_FASTPATH !== 'false', logger?: Logger): http.Server {
  // Host is checked by requestContext (so the 400 is a problem document with a request id).
  const base: http.ServerOptions = { requireHostHeader: false };
  let server: http.Server;
  // Node's IncomingMessage/ServerResponse are plain constructor functions: calling them on an
  // object created by `new Req()` (prototype app.request) initialises it in place.
  const isClass = (f: unknown) => /^class\b/.test(Function.prototype.toString.call(f));
  if (!fastPrototypes || isClass(http.IncomingMessage) || isClass(http.ServerResponse)) {
    server = http.createServer(base, app);
  } else {
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
    server = http.createServer({ ...base, IncomingMessage: Req, ServerResponse: Res }, app);
  }
  server.on('clientError', clientErrorHandler(logger));
  return server;
}

/** Node parser error codes -> status and problem code. */
const PARSER_ERRORS: Record<string, [number, string, string]> = {
  HPE_HEADER_OVERFLOW: [431, 'headers_too_large', 'the request headers are too large'],
  HPE_CHUNK_EXTENSIONS_OVERFLOW: [413, 'payload_too_large', 'chunk extensions are too large'],
  HPE_INVALID_CHUNK_SIZE: [400, 'bad_chunking', 'the chunked body is malformed'],
  HPE_UNEXPECTED_CONTENT_LENGTH: [400, 'bad_content_length', 'Content-Length conflicts with Transfer-Encoding or another Content-Length'],
  HPE_INVALID_CONTENT_LENGTH: [400, 'bad_content_length', 'Content-Length is invalid or repeated with different values'],
  HPE_INVALID_TRANSFER_ENCODING: [400, 'bad_transfer_encoding', 'Transfer-Encoding is invalid'],
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'request_timeout', 'the request was not received in time'],
};

/**
 * Protocol errors Node's HTTP parser raises before any middleware runs: answered with the same
 * problem document (and a request id) instead of Node's empty 400, then the connection is closed.
 */
export function clientErrorHandler(logger?: Logger) {
  return (err: NodeJS.ErrnoException & { bytesParsed?: number }, socket: import('node:stream').Duplex) => {
    if (err.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    const [status, code, detail] = PARSER_ERRORS[err.code ?? ''] ?? [400, 'bad_request', 'the request is not valid HTTP/1.1'];
    const reqId = randomUUID();
    const body = problemJson(status, code, detail, undefined, reqId, []);
    logger?.info({ reqId, status, code, parserError: err.code }, 'protocol error');
    socket.end(
      `HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\nContent-Type: ${PROBLEM_CONTENT_TYPE}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
        `X-Request-Id: ${reqId}\r\nConnection: close\r\n\r\n${body}`,
    );
  };
}
