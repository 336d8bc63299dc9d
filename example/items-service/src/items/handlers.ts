import type { Request, RequestHandler, Response } from 'express';
import { Op, type WhereOptions } from 'sequelize';
import type { Database } from '../db.js';
import { ApiError, sendJson, validationError, type FieldError } from '../errors.js';
import type { ItemRow } from '../models/item.js';
import { IdParams, ItemInput, ItemPatch, ListQuery } from '../schemas.js';
import { fastIdParams, fastListQuery } from './fast.js';
import { GET_ITEM_SQL, buildListStatement, decodeCursor, encodeCursor, statementName } from './sql.js';

const GET_ITEM_NAME = statementName(GET_ITEM_SQL);

/** The API representation of an item written through Sequelize (same key order as the SQL reads). */
export function toDto(row: ItemRow): Record<string, unknown> {
  return {
    id: row.id,
    sku: row.sku,
    name: row.name,
    description: row.description,
    priceCents: row.priceCents,
    currency: row.currency,
    category: row.category,
    stock: row.stock,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    version: row.version,
  };
}

export const etagOf = (version: number) => `"${version}"`;
/** Last-Modified is the update time in whole seconds (HTTP-date). */
export const lastModifiedOf = (iso: string | Date) => new Date(iso).toUTCString();

function parseId(req: Request): string {
  const fast = fastIdParams(req.params);
  if (fast !== undefined) return fast;
  const r = IdParams.safeParse(req.params);
  if (!r.success) throw validationError(r.error, 'path');
  return r.data.id;
}

/** Names the string fields (dotted paths) that contain U+FFFD, i.e. where invalid UTF-8 bytes were. */
function replacedFields(v: unknown, path: string, out: string[]): string[] {
  if (typeof v === 'string') {
    if (v.includes('\uFFFD')) out.push(path);
  } else if (Array.isArray(v)) v.forEach((x, i) => replacedFields(x, path ? `${path}.${i}` : String(i), out));
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) replacedFields(x, path ? `${path}.${k}` : k, out);
  return out;
}

function parseBody<T>(req: Request, schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: import('zod').ZodError } }): T {
  if (req.body === undefined) {
    const ct = req.headers['content-type'];
    if (ct !== undefined && !/^application\/(.+\+)?json\b/i.test(ct)) {
      throw new ApiError(415, 'unsupported_media_type', 'request body must be application/json', [{ in: 'header', path: 'content-type', code: 'unsupported', message: 'use application/json' }]);
    }
    throw new ApiError(400, 'validation_failed', 'a JSON request body is required', [{ in: 'body', path: '', code: 'required', message: 'body is required' }]);
  }
  if ((req as { invalidUtf8?: boolean }).invalidUtf8) {
    const fields = replacedFields(req.body, '', []);
    throw new ApiError(
      400,
      'invalid_utf8',
      'the body is not valid UTF-8',
      (fields.length ? fields : ['']).map((f) => ({ in: 'body' as const, path: f, code: 'invalid_utf8', message: 'contains bytes that are not valid UTF-8' })),
    );
  }
  const r = schema.safeParse(req.body);
  if (!r.success) throw validationError(r.error, 'body');
  return r.data;
}

/**
 * If-Match / If-None-Match handling: undefined = header absent; '*' = any existing version;
 * otherwise the list of ETags. Strong comparison for If-Match (weak ETags never match,
 * RFC 9110 §13.1.1); weak comparison for If-None-Match (W/"3" matches "3", §13.1.2).
 */
export function parseIfMatch(header: string | undefined, weak = false): '*' | number[] | undefined {
  if (header === undefined) return undefined;
  const h = header.trim();
  if (h === '*') return '*';
  const versions: number[] = [];
  const re = weak ? /^(?:W\/)?"(\d{1,9})"$/ : /^"(\d{1,9})"$/;
  for (const part of h.split(',')) {
    const m = re.exec(part.trim());
    if (m) versions.push(Number(m[1]));
  }
  return versions;
}

/** An HTTP-date header as epoch ms (whole seconds), or undefined when absent or not a date (then ignored, RFC 9110 §13.1.3). */
export function parseHttpDate(header: string | undefined): number | undefined {
  if (header === undefined) return undefined;
  const t = Date.parse(header);
  return Number.isNaN(t) || !/GMT$/.test(header.trim()) ? undefined : Math.floor(t / 1000) * 1000;
}

const seconds = (iso: string | Date) => Math.floor(new Date(iso).getTime() / 1000) * 1000;

/** Query parameters arrive as strings: a repeated or empty parameter is named as such. */
function queryShapeErrors(query: Record<string, unknown>): FieldError[] {
  const out: FieldError[] = [];
  for (const k in query) {
    const v = query[k];
    if (Array.isArray(v)) out.push({ in: 'query', path: k, code: 'repeated', message: `${k} is repeated: send it once` });
    else if (v === '') out.push({ in: 'query', path: k, code: 'empty', message: `${k} is empty` });
  }
  return out;
}

export function itemHandlers(db: Database) {
  const { Item, sequelize } = db;

  interface WriteConditions {
    ifMatch: '*' | number[] | undefined;
    ifNoneMatch: '*' | number[] | undefined;
    ifUnmodifiedSince: number | undefined;
  }

  function writeConditions(req: Request): WriteConditions {
    const ifMatch = parseIfMatch(req.headers['if-match']);
    return {
      ifMatch,
      ifNoneMatch: parseIfMatch(req.headers['if-none-match'], true),
      // If-Unmodified-Since is ignored when If-Match is present (RFC 9110 §13.2.2).
      ifUnmodifiedSince: ifMatch === undefined ? parseHttpDate(req.headers['if-unmodified-since']) : undefined,
    };
  }

  const isConditional = (c: WriteConditions) => c.ifMatch !== undefined || c.ifNoneMatch !== undefined || c.ifUnmodifiedSince !== undefined;

  /** After an update/delete matched no row: 404 if the item is gone, else 412. */
  async function missOrStale(id: string, cond: WriteConditions): Promise<never> {
    const current = await Item.findByPk(id, { attributes: ['version', 'updatedAt'], raw: true });
    if (!current) throw new ApiError(404, 'not_found', `item ${id} not found`);
    if (!isConditional(cond)) throw new ApiError(404, 'not_found', `item ${id} not found`);
    throw new ApiError(412, 'precondition_failed', 'a precondition failed: the item was changed by someone else, or it exists (If-None-Match)', [], {
      etag: etagOf(current.version),
      'last-modified': lastModifiedOf(current.updatedAt),
    }, { currentVersion: current.version });
  }

  /** The version and time checks are part of the UPDATE/DELETE's WHERE, so they are atomic. */
  function conditionalWhere(id: string, c: WriteConditions): WhereOptions<ItemRow> | undefined {
    if (c.ifNoneMatch === '*') return undefined; // the item exists whenever a row would match: never write
    const where: Record<string | symbol, unknown> = { id };
    const versionOps: Record<symbol, unknown> = {};
    if (Array.isArray(c.ifMatch)) versionOps[Op.in] = c.ifMatch;
    if (Array.isArray(c.ifNoneMatch) && c.ifNoneMatch.length) versionOps[Op.notIn] = c.ifNoneMatch;
    if (Object.getOwnPropertySymbols(versionOps).length) where.version = versionOps;
    if (c.ifUnmodifiedSince !== undefined) where.updatedAt = { [Op.lt]: new Date(c.ifUnmodifiedSince + 1000) };
    return where as WhereOptions<ItemRow>;
  }

  function itemHeaders(row: { version: number; updatedAt: string | Date }): Record<string, string> {
    return { etag: etagOf(row.version), 'last-modified': lastModifiedOf(row.updatedAt) };
  }

  async function update(req: Request, res: Response, changes: Record<string, unknown>) {
    const id = parseId(req);
    const cond = writeConditions(req);
    const where = conditionalWhere(id, cond);
    if (!where) await missOrStale(id, cond);
    // The version check and the increment are one UPDATE ... WHERE id = $1 AND version = $2,
    // so of two writers holding the same ETag exactly one wins, the other gets 412.
    const [count, rows] = await Item.update({ ...changes, version: sequelize.literal('version + 1') as unknown as number }, {
      where: where!,
      returning: true,
    });
    if (count === 0) await missOrStale(id, cond);
    const row = rows[0]!;
    sendJson(res, 200, JSON.stringify(toDto(row)), itemHeaders(row));
  }

  const list: RequestHandler = async (req, res) => {
    // Express 5 parses the query string again on every read of req.query: read it once.
    const raw = req.query as Record<string, unknown>;
    const shape = queryShapeErrors(raw);
    if (shape.length) throw new ApiError(400, 'validation_failed', 'invalid request query', shape);
    let query = fastListQuery(raw);
    if (query === undefined) {
      const r = ListQuery.safeParse(raw);
      if (!r.success) throw validationError(r.error, 'query');
      query = r.data;
    }
    let cursor;
    if (query.cursor !== undefined) {
      cursor = decodeCursor(query.cursor, query.sort);
      if (typeof cursor === 'string') throw new ApiError(400, 'invalid_cursor', cursor, [{ in: 'query', path: 'cursor', code: 'invalid_cursor', message: cursor }]);
    }
    const stmt = buildListStatement(query, cursor);
    const { rows } = await db.read(stmt);
    let next = 'null';
    if (rows.length > query.limit) {
      rows.length = query.limit;
      const c = encodeCursor(query.sort, rows[rows.length - 1]!);
      next = '"' + c + '"';
      // RFC 8288: the same query with the next cursor.
      const params = new URLSearchParams(raw as Record<string, string>);
      params.set('cursor', c);
      res.setHeader('link', `</items?${params.toString()}>; rel="next"`);
    }
    sendJson(res, 200, '{"items":' + JSON.stringify(rows) + ',"nextCursor":' + next + ',"limit":' + query.limit + '}');
  };

  const get: RequestHandler = async (req, res) => {
    const id = parseId(req);
    const { rows } = await db.read<{ version: number; updatedAt: string }>({ name: GET_ITEM_NAME, text: GET_ITEM_SQL, values: [id] });
    const row = rows[0];
    if (row === undefined) throw new ApiError(404, 'not_found', `item ${id} not found`);
    const headers = itemHeaders(row);
    // RFC 9110 §13.2.2: If-None-Match first; If-Modified-Since only without it.
    const inm = req.headers['if-none-match'];
    let notModified = false;
    if (inm !== undefined) {
      // The usual conditional GET sends back exactly the ETag it got: no list to parse.
      if (inm === headers.etag) notModified = true;
      else {
        const tags = parseIfMatch(inm, true)!;
        notModified = tags === '*' || tags.includes(row.version);
      }
    } else {
      const ims = parseHttpDate(req.headers['if-modified-since']);
      notModified = ims !== undefined && seconds(row.updatedAt) <= ims;
    }
    if (notModified) {
      res.statusCode = 304;
      for (const k in headers) res.setHeader(k, headers[k]!);
      res.end();
      return;
    }
    sendJson(res, 200, JSON.stringify(row), headers);
  };

  const create: RequestHandler = async (req, res) => {
    const input = parseBody(req, ItemInput);
    const row = await Item.create({ ...input, description: input.description ?? '' });
    sendJson(res, 201, JSON.stringify(toDto(row)), { location: `/items/${row.id}`, ...itemHeaders(row) });
  };

  const replace: RequestHandler = async (req, res) => {
    const input = parseBody(req, ItemInput);
    await update(req, res, { ...input, description: input.description ?? '' });
  };

  const patch: RequestHandler = async (req, res) => {
    const input = parseBody(req, ItemPatch);
    await update(req, res, input);
  };

  const remove: RequestHandler = async (req, res) => {
    const id = parseId(req);
    const cond = writeConditions(req);
    const where = conditionalWhere(id, cond);
    if (!where) await missOrStale(id, cond);
    const count = await Item.destroy({ where: where! });
    if (count === 0) await missOrStale(id, cond);
    res.statusCode = 204;
    res.end();
  };

  return { list, get, create, replace, patch, remove };
}
