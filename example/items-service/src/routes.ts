import type { RequestHandler } from 'express';
import type { z } from 'zod';
import { ErrorBody, Health, IdParams, Item, ItemInput, ItemPage, ItemPatch, ListQuery } from './schemas.js';

export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

export interface ResponseSpec {
  readonly description: string;
  readonly schema?: z.ZodType;
  readonly headers?: readonly string[];
  /** An error: the body is a problem document (application/problem+json). */
  readonly problem?: boolean;
}

/**
 * One API operation. The Express app registers exactly these routes and the
 * OpenAPI document is generated from exactly these specs (a test checks both).
 */
export interface RouteSpec {
  readonly method: Method;
  /** Express path syntax (`/items/:id`). */
  readonly path: string;
  readonly operationId: string;
  readonly summary: string;
  readonly tag: string;
  readonly query?: z.ZodType;
  readonly params?: z.ZodType;
  readonly body?: z.ZodType;
  /** true when the route parses a JSON body (only these get a body parser). */
  readonly json?: boolean;
  readonly conditional?: boolean;
  readonly responses: Readonly<Record<number, ResponseSpec>>;
  readonly handler: HandlerName;
}

export type HandlerName = 'healthz' | 'readyz' | 'openapi' | 'list' | 'get' | 'create' | 'replace' | 'patch' | 'remove';
export type Handlers = Record<HandlerName, RequestHandler>;

const err = (description: string, headers?: string[]): ResponseSpec => ({ description, schema: ErrorBody, headers, problem: true });
const E400 = err('Invalid request (validation failed, malformed JSON, invalid UTF-8, bad id, repeated or empty parameter)');
const E404 = err('Item not found');
const E503 = err('Database unavailable; retry after the Retry-After seconds', ['Retry-After']);
const E412 = err('A precondition failed: If-Match or If-Unmodified-Since is stale, or If-None-Match matches (the item exists)', ['ETag', 'Last-Modified']);
/** What PUT and PATCH answer. */
const UPDATE_RESPONSES = {
  200: { description: 'Updated', schema: Item, headers: ['ETag', 'Last-Modified'] },
  400: E400,
  404: E404,
  409: err('Another item has this sku'),
  412: E412,
  413: err('Body too large'),
  415: err('Body is not JSON, has no Content-Type, or is not UTF-8'),
  503: E503,
};

/** Problem responses every operation can give (added to each operation in the OpenAPI document). */
export const COMMON_RESPONSES: Readonly<Record<number, ResponseSpec>> = {
  400: err('Malformed request (no Host header, bad percent-encoding, bad chunking, conflicting Content-Length)'),
  406: err('Accept rules out application/json and application/problem+json'),
  431: err('Request headers too large (answered by the HTTP parser, same problem shape)'),
};
export const METHOD_NOT_ALLOWED = err('The path does not allow this method', ['Allow']);

export const ROUTES: readonly RouteSpec[] = [
  {
    method: 'get',
    path: '/healthz',
    operationId: 'healthz',
    summary: 'Liveness: the process is up (does not touch the database)',
    tag: 'health',
    responses: { 200: { description: 'Alive', schema: Health } },
    handler: 'healthz',
  },
  {
    method: 'get',
    path: '/readyz',
    operationId: 'readyz',
    summary: 'Readiness: the database is reachable and the process is not draining',
    tag: 'health',
    responses: { 200: { description: 'Ready', schema: Health }, 503: E503 },
    handler: 'readyz',
  },
  {
    method: 'get',
    path: '/openapi.json',
    operationId: 'openapi',
    summary: 'This OpenAPI document',
    tag: 'meta',
    responses: { 200: { description: 'OpenAPI 3.1 document' } },
    handler: 'openapi',
  },
  {
    method: 'get',
    path: '/items',
    operationId: 'listItems',
    summary: 'List items with filters, text search, sorting and cursor pagination',
    tag: 'items',
    query: ListQuery,
    responses: { 200: { description: 'A page of items', schema: ItemPage, headers: ['Link'] }, 400: E400, 503: E503 },
    handler: 'list',
  },
  {
    method: 'post',
    path: '/items',
    operationId: 'createItem',
    summary: 'Create an item',
    tag: 'items',
    body: ItemInput,
    json: true,
    responses: {
      201: { description: 'Created', schema: Item, headers: ['Location', 'ETag', 'Last-Modified'] },
      400: E400,
      409: err('An item with this sku exists (compared case-insensitively)'),
      413: err('Body too large'),
      415: err('Body is not JSON, has no Content-Type, or is not UTF-8'),
      503: E503,
    },
    handler: 'create',
  },
  {
    method: 'get',
    path: '/items/:id',
    operationId: 'getItem',
    summary: 'Get one item (honours If-None-Match and If-Modified-Since)',
    tag: 'items',
    params: IdParams,
    conditional: true,
    responses: {
      200: { description: 'The item', schema: Item, headers: ['ETag', 'Last-Modified'] },
      304: { description: 'Not modified: If-None-Match matches the ETag, or the item is unchanged since If-Modified-Since', headers: ['ETag', 'Last-Modified'] },
      400: E400,
      404: E404,
      503: E503,
    },
    handler: 'get',
  },
  {
    method: 'put',
    path: '/items/:id',
    operationId: 'replaceItem',
    summary: 'Replace an item (honours If-Match, If-None-Match, If-Unmodified-Since)',
    tag: 'items',
    params: IdParams,
    body: ItemInput,
    json: true,
    conditional: true,
    responses: UPDATE_RESPONSES,
    handler: 'replace',
  },
  {
    method: 'patch',
    path: '/items/:id',
    operationId: 'patchItem',
    summary: 'Change some fields of an item (honours If-Match, If-None-Match, If-Unmodified-Since)',
    tag: 'items',
    params: IdParams,
    body: ItemPatch,
    json: true,
    conditional: true,
    responses: UPDATE_RESPONSES,
    handler: 'patch',
  },
  {
    method: 'delete',
    path: '/items/:id',
    operationId: 'deleteItem',
    summary: 'Delete an item (honours If-Match, If-None-Match, If-Unmodified-Since)',
    tag: 'items',
    params: IdParams,
    conditional: true,
    responses: { 204: { description: 'Deleted' }, 400: E400, 404: E404, 412: E412, 503: E503 },
    handler: 'remove',
  },
];

/** Distinct paths and the methods each allows (for 405 + Allow). */
export function allowedMethods(): Map<string, string[]> {
  const m = new Map<string, string[]>();
  for (const r of ROUTES) {
    const list = m.get(r.path) ?? [];
    list.push(r.method.toUpperCase());
    if (r.method === 'get') list.push('HEAD');
    m.set(r.path, list);
  }
  return m;
}
