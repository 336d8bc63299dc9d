import type { RequestHandler } from 'express';
import type { z } from 'zod';
import { ErrorBody, Health, IdParams, Item, ItemInput, ItemPage, ItemPatch, ListQuery } from './schemas.js';

export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

export interface ResponseSpec {
  readonly description: string;
  readonly schema?: z.ZodType;
  readonly headers?: readonly string[];
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

const err = (description: string, headers?: string[]): ResponseSpec => ({ description, schema: ErrorBody, headers });
const E400 = err('Invalid request (validation failed, malformed JSON, bad id)');
const E404 = err('Item not found');
const E503 = err('Database unavailable; retry after the Retry-After seconds', ['Retry-After']);
const E412 = err('If-Match does not match the current version', ['ETag']);
/** What PUT and PATCH answer. */
const UPDATE_RESPONSES = {
  200: { description: 'Updated', schema: Item, headers: ['ETag'] },
  400: E400,
  404: E404,
  409: err('Another item has this sku'),
  412: E412,
  413: err('Body too large'),
  415: err('Body is not JSON'),
  503: E503,
};

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
    responses: { 200: { description: 'A page of items', schema: ItemPage }, 400: E400, 503: E503 },
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
      201: { description: 'Created', schema: Item, headers: ['Location', 'ETag'] },
      400: E400,
      409: err('An item with this sku exists'),
      413: err('Body too large'),
      415: err('Body is not JSON'),
      503: E503,
    },
    handler: 'create',
  },
  {
    method: 'get',
    path: '/items/:id',
    operationId: 'getItem',
    summary: 'Get one item',
    tag: 'items',
    params: IdParams,
    responses: { 200: { description: 'The item', schema: Item, headers: ['ETag'] }, 400: E400, 404: E404, 503: E503 },
    handler: 'get',
  },
  {
    method: 'put',
    path: '/items/:id',
    operationId: 'replaceItem',
    summary: 'Replace an item (honours If-Match)',
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
    summary: 'Change some fields of an item (honours If-Match)',
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
    summary: 'Delete an item (honours If-Match)',
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
