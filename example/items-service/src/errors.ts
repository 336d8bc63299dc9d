import { STATUS_CODES } from 'node:http';
import type { ErrorRequestHandler, Response } from 'express';
import type { ZodError } from 'zod';
import { isDatabaseUnavailable, sqlState } from './db.js';
import type { Logger } from './logger.js';

/**
 * Every error is an RFC 9457 problem document (`application/problem+json`):
 * `type`, `title`, `status`, `detail`, `instance` (the request path), plus the stable
 * `code`, the `requestId` and, for validation failures, the field-level `errors` list.
 * The same shape comes from the error middleware, from the protocol-level errors Node's
 * parser raises (clientError), and is what the front door and the web ACL answer with.
 */
export const PROBLEM_TYPE_BASE = 'urn:gtuc:items:problem:';
export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export interface FieldError {
  readonly in: 'body' | 'query' | 'path' | 'header';
  readonly path: string;
  readonly code: string;
  readonly message: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly errors: readonly FieldError[] = [],
    readonly headers: Record<string, string> = {},
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export function validationError(err: ZodError, where: 'body' | 'query' | 'path'): ApiError {
  return new ApiError(
    400,
    'validation_failed',
    `invalid request ${where}`,
    err.issues.map((i) => ({ in: where, path: i.path.map(String).join('.'), code: i.code, message: i.message })),
  );
}

/** Writes a JSON body cheaply (no etag hashing, no mime lookups). */
export function sendJson(res: Response, status: number, body: string, headers?: Record<string, string>, contentType = 'application/json; charset=utf-8'): void {
  res.statusCode = status;
  res.setHeader('content-type', contentType);
  res.setHeader('content-length', Buffer.byteLength(body));
  if (headers) for (const k in headers) res.setHeader(k, headers[k]!);
  res.end(body);
}

export function problemJson(status: number, code: string, detail: string, instance: string | undefined, requestId: string | undefined, errors: readonly unknown[] = [], extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    type: PROBLEM_TYPE_BASE + code,
    title: STATUS_CODES[status] ?? 'Error',
    status,
    detail,
    instance,
    code,
    requestId,
    errors,
    ...extra,
  });
}

/** The request path (without the query) as the problem's `instance`. */
function instanceOf(res: Response): string | undefined {
  const url = (res.req as { originalUrl?: string } | undefined)?.originalUrl;
  if (!url) return undefined;
  const q = url.indexOf('?');
  return q === -1 ? url : url.slice(0, q);
}

export function sendError(res: Response, status: number, code: string, detail: string, errors: readonly unknown[] = [], headers?: Record<string, string>, extra?: Record<string, unknown>): void {
  const reqId = res.getHeader('x-request-id');
  const body = problemJson(status, code, detail, instanceOf(res), typeof reqId === 'string' ? reqId : undefined, errors, extra);
  sendJson(res, status, body, headers, PROBLEM_CONTENT_TYPE);
}

/** Maps body-parser / http-errors client errors to stable codes. */
const CLIENT_ERROR_CODES: Record<string, string> = {
  'entity.parse.failed': 'malformed_json',
  'entity.too.large': 'payload_too_large',
  'encoding.unsupported': 'unsupported_encoding',
  'charset.unsupported': 'unsupported_charset',
  'request.aborted': 'request_aborted',
  'request.size.invalid': 'bad_request',
  'entity.verify.failed': 'bad_request',
  'stream.encoding.set': 'bad_request',
  'parameters.too.many': 'bad_request',
};

/** The request's log fields (request id, trace ids) set by the request context middleware. */
export const logFields = (res: Response): Record<string, unknown> => (res.locals?.log as Record<string, unknown>) ?? { reqId: res.getHeader('x-request-id') };

/**
 * The last middleware: turns every error into a problem document.
 * Client mistakes are 4xx; a database outage is 503 + Retry-After; only a
 * genuine bug is 500 (and is logged with its stack).
 */
export function errorHandler(logger: Logger, retryAfterSeconds: number): ErrorRequestHandler {
  return (err, req, res, _next) => {
    if (res.headersSent) {
      logger.error({ ...logFields(res), err }, 'error after response started');
      res.destroy();
      return;
    }
    if (err instanceof ApiError) {
      sendError(res, err.status, err.code, err.message, err.errors, err.headers, err.extra);
      return;
    }
    const e = err as { status?: unknown; statusCode?: unknown; type?: unknown; expose?: unknown; message?: unknown; name?: string; errors?: unknown };
    const status = typeof e.status === 'number' ? e.status : typeof e.statusCode === 'number' ? e.statusCode : undefined;
    if (status !== undefined && status >= 400 && status < 500) {
      const code = (typeof e.type === 'string' && CLIENT_ERROR_CODES[e.type]) || (status === 413 ? 'payload_too_large' : status === 415 ? 'unsupported_media_type' : 'bad_request');
      const message = e.expose !== false && typeof e.message === 'string' ? e.message : 'bad request';
      sendError(res, status, code, message);
      return;
    }
    const state = sqlState(err);
    if (e.name === 'SequelizeUniqueConstraintError' || state === '23505') {
      sendError(res, 409, 'conflict', 'an item with this sku already exists (SKUs are compared case-insensitively)', [{ in: 'body', path: 'sku', code: 'unique', message: 'must be unique (case-insensitive)' }]);
      return;
    }
    if (isDatabaseUnavailable(err)) {
      logger.warn({ ...logFields(res), err: { name: e.name, message: e.message, code: state } }, 'database unavailable');
      sendError(res, 503, 'service_unavailable', 'the database is temporarily unavailable, retry later', [], {
        'retry-after': String(retryAfterSeconds),
      });
      return;
    }
    if (state === '22P02' || state === '22003' || state === '22001' || state === '23514' || state === '22021' || state === '22007' || state === '22008') {
      // Data the validation should have caught; still the client's input, not a server fault.
      logger.warn({ ...logFields(res), sqlState: state, url: req.originalUrl }, 'input rejected by the database');
      sendError(res, 400, 'validation_failed', 'value rejected by the database', [{ in: 'body', path: '', code: `sqlstate_${state}`, message: 'value rejected by the database' }]);
      return;
    }
    logger.error({ ...logFields(res), err }, 'unhandled error');
    sendError(res, 500, 'internal', 'internal server error');
  };
}
