import { regexes } from 'zod';
import { SORT_VALUES, type ListQuery } from '../schemas.js';

/**
 * Precompiled checks for the hot reads, in front of the zod schemas (which stay the
 * definition and generate the OpenAPI document). Each returns the parsed value only for input
 * it is certain the schema accepts, with the value the schema would produce; for anything else
 * it returns undefined and the caller runs the schema, which gives the value or the
 * field-level errors. A test checks both agree on generated input.
 */

/** zod's own `z.guid()` pattern, so the fast path accepts exactly what `IdParams` accepts. */
const GUID = regexes.guid;

/** `IdParams` (`{ id: guid }`, strict) for Express route params. */
export function fastIdParams(params: Record<string, unknown>): string | undefined {
  const id = params.id;
  if (typeof id !== 'string' || !GUID.test(id)) return undefined;
  for (const k in params) if (k !== 'id') return undefined;
  return id;
}

const SORTS: ReadonlySet<string> = new Set(SORT_VALUES);
const LIMIT = /^(0|[1-9][0-9]{0,9})$/;

/**
 * `ListQuery` for the common pagination queries: `limit`, `sort` and `cursor` only (any other
 * parameter, such as a filter or search, goes through the schema).
 */
export function fastListQuery(query: Record<string, unknown>): ListQuery | undefined {
  let limit = 20;
  let sort = '-createdAt';
  let cursor: string | undefined;
  for (const k in query) {
    const v = query[k];
    if (typeof v !== 'string') return undefined;
    if (k === 'limit') {
      if (!LIMIT.test(v)) return undefined;
      limit = Number(v);
      if (limit < 1 || limit > 100) return undefined;
    } else if (k === 'sort') {
      if (!SORTS.has(v)) return undefined;
      sort = v;
    } else if (k === 'cursor') {
      if (v.length < 1 || v.length > 1024) return undefined;
      cursor = v;
    } else return undefined;
  }
  return (cursor === undefined ? { limit, sort } : { limit, cursor, sort }) as ListQuery;
}
