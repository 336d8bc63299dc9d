import { createHash } from 'node:crypto';
import type { ListQuery } from '../schemas.js';

/**
 * Hot read paths use plain SQL that returns rows already in the API's JSON
 * shape (camelCase aliases, ISO-8601 UTC timestamps formatted by PostgreSQL),
 * so a page is serialised with one JSON.stringify and no per-row mapping.
 */
const ISO = `'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'`;
export const ITEM_COLUMNS =
  `id, sku, name, description, price_cents AS "priceCents", currency, category, stock, ` +
  `to_char(created_at AT TIME ZONE 'UTC', ${ISO}) AS "createdAt", ` +
  `to_char(updated_at AT TIME ZONE 'UTC', ${ISO}) AS "updatedAt", version`;

export const GET_ITEM_SQL = `SELECT ${ITEM_COLUMNS} FROM items WHERE id = $1`;

/** Sort key -> column, SQL cast for cursor values, and the API field holding its value. */
export const SORT_COLUMNS = {
  name: { column: 'name', cast: 'text', field: 'name' },
  price: { column: 'price_cents', cast: 'integer', field: 'priceCents' },
  createdAt: { column: 'created_at', cast: 'timestamptz', field: 'createdAt' },
} as const;
export type SortKey = keyof typeof SORT_COLUMNS;

export interface Cursor {
  readonly sort: string;
  readonly value: string | number;
  readonly id: string;
}

export interface ListStatement {
  readonly name: string;
  readonly text: string;
  readonly values: unknown[];
}

const statementNames = new Map<string, string>();

/** A stable, short prepared-statement name per distinct SQL text. */
export function statementName(text: string): string {
  let name = statementNames.get(text);
  if (name === undefined) {
    name = 'items_' + createHash('sha1').update(text).digest('hex').slice(0, 16);
    statementNames.set(text, name);
  }
  return name;
}

export function parseSort(sort: string): { key: SortKey; desc: boolean } {
  const desc = sort.startsWith('-');
  return { key: (desc ? sort.slice(1) : sort) as SortKey, desc };
}

/** Escapes LIKE wildcards so `q` is matched literally. */
export function likePattern(q: string): string {
  return '%' + q.replace(/[\\%_]/g, (c) => '\\' + c) + '%';
}

/** SQL text and statement name per query shape (which filters are present, the sort): at most a few hundred. */
const listTexts = new Map<string, { name: string; text: string }>();

/** Builds the list query; fetches limit + 1 rows to know whether a next page exists. */
export function buildListStatement(query: ListQuery, cursor: Cursor | undefined): ListStatement {
  const values: unknown[] = [];
  if (query.category !== undefined) values.push(query.category);
  if (query.minPrice !== undefined) values.push(query.minPrice);
  if (query.maxPrice !== undefined) values.push(query.maxPrice);
  if (query.q !== undefined) values.push(likePattern(query.q));
  if (cursor) values.push(cursor.value, cursor.id);
  values.push(query.limit + 1);
  const shape =
    query.sort +
    (query.category !== undefined ? 'c' : '') +
    (query.minPrice !== undefined ? 'l' : '') +
    (query.maxPrice !== undefined ? 'h' : '') +
    (query.inStock === 'true' ? 's' : query.inStock === 'false' ? 'z' : '') +
    (query.q !== undefined ? 'q' : '') +
    (cursor ? 'k' : '');
  let stmt = listTexts.get(shape);
  if (stmt === undefined) {
    const text = listText(query, cursor !== undefined);
    stmt = { name: statementName(text), text };
    listTexts.set(shape, stmt);
  }
  return { name: stmt.name, text: stmt.text, values };
}

/** The list SQL for a query shape; placeholders in the order buildListStatement pushes values. */
export function listText(query: ListQuery, withCursor: boolean): string {
  let n = 0;
  const p = () => `$${++n}`;
  const where: string[] = [];
  if (query.category !== undefined) where.push(`category = ${p()}`);
  if (query.minPrice !== undefined) where.push(`price_cents >= ${p()}`);
  if (query.maxPrice !== undefined) where.push(`price_cents <= ${p()}`);
  if (query.inStock !== undefined) where.push(query.inStock === 'true' ? 'stock > 0' : 'stock = 0');
  if (query.q !== undefined) {
    const pat = p();
    where.push(`(name ILIKE ${pat} OR description ILIKE ${pat})`);
  }
  const { key, desc } = parseSort(query.sort);
  const col = SORT_COLUMNS[key];
  if (withCursor) {
    where.push(`(${col.column}, id) ${desc ? '<' : '>'} (${p()}::${col.cast}, ${p()}::uuid)`);
  }
  const dir = desc ? 'DESC' : 'ASC';
  return (
    `SELECT ${ITEM_COLUMNS} FROM items` +
    (where.length ? ` WHERE ${where.join(' AND ')}` : '') +
    ` ORDER BY ${col.column} ${dir}, id ${dir} LIMIT ${p()}`
  );
}

export function encodeCursor(sort: string, row: Record<string, unknown>): string {
  const { key } = parseSort(sort);
  return Buffer.from(JSON.stringify([sort, row[SORT_COLUMNS[key].field], row.id])).toString('base64url');
}

const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** Decodes a cursor, or returns a reason it is unusable for this sort. */
export function decodeCursor(raw: string, sort: string): Cursor | string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
  } catch {
    return 'cursor is not valid';
  }
  if (!Array.isArray(parsed) || parsed.length !== 3) return 'cursor is not valid';
  const [s, value, id] = parsed as unknown[];
  if (s !== sort) return 'cursor was issued for a different sort order';
  if (typeof id !== 'string' || !GUID.test(id)) return 'cursor is not valid';
  const { key } = parseSort(sort);
  if (key === 'price') {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 2_147_483_647) return 'cursor is not valid';
  } else if (key === 'createdAt') {
    if (typeof value !== 'string' || !ISO_MS.test(value)) return 'cursor is not valid';
    const t = Date.parse(value);
    if (Number.isNaN(t) || new Date(t).toISOString() !== value || value < '1970' || value > '9999') return 'cursor is not valid';
  } else if (typeof value !== 'string' || value.length > 200 || value.includes('\u0000')) {
    return 'cursor is not valid';
  }
  return { sort, value: value as string | number, id };
}
