import type { ErrorRequestHandler, Response } from 'express';
import type { ZodError } from 'zod';
import { isDatabaseUnavailable, sqlState } from './db.js';
import type { Logger } from './logger.js';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: unknown[] = [],
    readonly headers: Record<string, string> = {},
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
export function sendJson(res: Response, status: number, body: string, headers?: Record<string, string>): void {
  res.statusCode = status;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.setHeader('content-length', Buffer.byteLength(body));
  if (headers) for (const k in headers) res.setHeader(k, headers[k]);
  res.end(body);
}

export function sendError(res: Response, status: number, code: string, message: string, details: unknown[] = [], headers?: Record<string, string>): void {
  sendJson(res, status, JSON.stringify({ error: { code, message, details } }), headers);
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

/**
 * The last middleware: turns every error into the JSON error body.
 * Client mistakes are 4xx; a database outage is 503 + Retry-After; only a
 * genuine bug is 500 (and is logged with its stack).
 */
export function errorHandler(logger: Logger, retryAfterSeconds: number): ErrorRequestHandler {
  return (err, req, res, _next) => {
    if (res.headersSent) {
      logger.error({ err, reqId: res.getHeader('x-request-id') }, 'error after response started');
      res.destroy();
      return;
    }
    if (err instanceof ApiError) {
      sendError(res, err.status, err.code, err.message, err.details, err.headers);
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
      sendError(res, 409, 'conflict', 'an item with this sku already exists', [{ path: 'sku', message: 'must be unique' }]);
      return;
    }
    if (isDatabaseUnavailable(err)) {
      logger.warn({ reqId: res.getHeader('x-request-id'), err: { name: e.name, message: e.message, code: state } }, 'database unavailable');
      sendError(res, 503, 'service_unavailable', 'the database is temporarily unavailable, retry later', [], {
        'retry-after': String(retryAfterSeconds),
      });
      return;
    }
    if (state === '22P02' || state === '22003' || state === '22001' || state === '23514' || state === '22021' || state === '22007' || state === '22008') {
      // Data the validation should have caught; still the client's input, not a server fault.
      logger.warn({ reqId: res.getHeader('x-request-id'), sqlState: state, url: req.originalUrl }, 'input rejected by the database');
      sendError(res, 400, 'validation_failed', 'value rejected by the database', [{ sqlState: state }]);
      return;
    }
    logger.error({ reqId: res.getHeader('x-request-id'), err }, 'unhandled error');
    sendError(res, 500, 'internal', 'internal server error');
  };
}
