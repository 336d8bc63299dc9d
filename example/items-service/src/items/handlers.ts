import type { Request, RequestHandler, Response } from 'express';
import type { WhereOptions } from 'sequelize';
import type { Database } from '../db.js';
import { ApiError, sendJson, validationError } from '../errors.js';
import type { ItemRow } from '../models/item.js';
import { IdParams, ItemInput, ItemPatch, ListQuery } from '../schemas.js';
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

function parseId(req: Request): string {
  const r = IdParams.safeParse(req.params);
  if (!r.success) throw validationError(r.error, 'path');
  return r.data.id;
}

function parseBody<T>(req: Request, schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: import('zod').ZodError } }): T {
  if (req.body === undefined) {
    const ct = req.headers['content-type'];
    if (ct !== undefined && !/^application\/(.+\+)?json\b/i.test(ct)) {
      throw new ApiError(415, 'unsupported_media_type', 'request body must be application/json');
    }
    throw new ApiError(400, 'validation_failed', 'a JSON request body is required', [{ in: 'body', path: '', code: 'required', message: 'body is required' }]);
  }
  const r = schema.safeParse(req.body);
  if (!r.success) throw validationError(r.error, 'body');
  return r.data;
}

/**
 * If-Match handling: undefined = unconditional; '*' = any existing version;
 * otherwise the list of strong ETags (weak ones never match, per RFC 9110).
 */
export function parseIfMatch(header: string | undefined): '*' | number[] | undefined {
  if (header === undefined) return undefined;
  const h = header.trim();
  if (h === '*') return '*';
  const versions: number[] = [];
  for (const part of h.split(',')) {
    const m = /^"(\d{1,9})"$/.exec(part.trim());
    if (m) versions.push(Number(m[1]));
  }
  return versions;
}

export function itemHandlers(db: Database) {
  const { Item, sequelize } = db;

  /** After an update/delete matched no row: 404 if the item is gone, else 412. */
  async function missOrStale(id: string, cond: '*' | number[] | undefined): Promise<never> {
    const current = await Item.findByPk(id, { attributes: ['version'], raw: true });
    if (!current || cond === undefined) throw new ApiError(404, 'not_found', `item ${id} not found`);
    throw new ApiError(412, 'precondition_failed', 'the item was changed by someone else (stale If-Match)', [{ currentVersion: current.version }], {
      etag: etagOf(current.version),
    });
  }

  function conditionalWhere(id: string, cond: '*' | number[] | undefined): WhereOptions<ItemRow> {
    return Array.isArray(cond) ? { id, version: cond } : { id };
  }

  async function update(req: Request, res: Response, changes: Record<string, unknown>) {
    const id = parseId(req);
    const cond = parseIfMatch(req.headers['if-match']);
    // The version check and the increment are one UPDATE ... WHERE id = $1 AND version = $2,
    // so of two writers holding the same ETag exactly one wins, the other gets 412.
    const [count, rows] = await Item.update({ ...changes, version: sequelize.literal('version + 1') as unknown as number }, {
      where: conditionalWhere(id, cond),
      returning: true,
    });
    if (count === 0) await missOrStale(id, cond);
    const row = rows[0]!;
    sendJson(res, 200, JSON.stringify(toDto(row)), { etag: etagOf(row.version) });
  }

  const list: RequestHandler = async (req, res) => {
    const r = ListQuery.safeParse(req.query);
    if (!r.success) throw validationError(r.error, 'query');
    const query = r.data;
    let cursor;
    if (query.cursor !== undefined) {
      cursor = decodeCursor(query.cursor, query.sort);
      if (typeof cursor === 'string') throw new ApiError(400, 'invalid_cursor', cursor, [{ in: 'query', path: 'cursor', message: cursor }]);
    }
    const stmt = buildListStatement(query, cursor);
    const { rows } = await db.read(stmt);
    let next = 'null';
    if (rows.length > query.limit) {
      rows.length = query.limit;
      next = '"' + encodeCursor(query.sort, rows[rows.length - 1]) + '"';
    }
    sendJson(res, 200, '{"items":' + JSON.stringify(rows) + ',"nextCursor":' + next + ',"limit":' + query.limit + '}');
  };

  const get: RequestHandler = async (req, res) => {
    const id = parseId(req);
    const { rows } = await db.read<{ version: number }>({ name: GET_ITEM_NAME, text: GET_ITEM_SQL, values: [id] });
    const row = rows[0];
    if (row === undefined) throw new ApiError(404, 'not_found', `item ${id} not found`);
    sendJson(res, 200, JSON.stringify(row), { etag: etagOf(row.version) });
  };

  const create: RequestHandler = async (req, res) => {
    const input = parseBody(req, ItemInput);
    const row = await Item.create({ ...input, description: input.description ?? '' });
    sendJson(res, 201, JSON.stringify(toDto(row)), { location: `/items/${row.id}`, etag: etagOf(row.version) });
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
    const cond = parseIfMatch(req.headers['if-match']);
    const count = await Item.destroy({ where: conditionalWhere(id, cond) });
    if (count === 0) await missOrStale(id, cond);
    res.statusCode = 204;
    res.end();
  };

  return { list, get, create, replace, patch, remove };
}
