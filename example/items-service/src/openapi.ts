import { z } from 'zod';
import { PROBLEM_CONTENT_TYPE } from './errors.js';
import { COMMON_RESPONSES, METHOD_NOT_ALLOWED, ROUTES, allowedMethods, type ResponseSpec, type RouteSpec } from './routes.js';
import { INTEGER_QUERY_PARAMS } from './schemas.js';

type Json = Record<string, unknown>;

/** Express `/items/:id` -> OpenAPI `/items/{id}`. */
export const toOpenApiPath = (p: string) => p.replace(/:([A-Za-z0-9_]+)/g, '{$1}');

const HEADER_DOCS: Record<string, { description: string; schema: Json }> = {
  ETag: { description: 'Current version of the item, e.g. "3"; send it back in If-Match / If-None-Match', schema: { type: 'string' } },
  'Last-Modified': { description: 'When the item last changed (HTTP-date, whole seconds); send it back in If-Modified-Since / If-Unmodified-Since', schema: { type: 'string' } },
  Link: { description: 'RFC 8288 link to the next page: `</items?…&cursor=…>; rel="next"` (absent on the last page)', schema: { type: 'string' } },
  Allow: { description: 'The methods this path allows', schema: { type: 'string' } },
  Location: { description: 'URL of the created item', schema: { type: 'string' } },
  'Retry-After': { description: 'Seconds to wait before retrying', schema: { type: 'integer' } },
};

/**
 * Builds the OpenAPI 3.1 document from the route table and the zod schemas
 * that validate requests (JSON Schema 2020-12 is OpenAPI 3.1's schema dialect).
 */
export function buildOpenApi(version = '0.1.0'): Json {
  const components: Record<string, Json> = {};

  // Converts a zod schema; named schemas (meta id) move to components.schemas.
  const convert = (schema: z.ZodType, io: 'input' | 'output'): Json => {
    const js = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Json;
    const rewrite = (v: unknown): unknown => {
      if (Array.isArray(v)) return v.map(rewrite);
      if (v && typeof v === 'object') {
        const out: Json = {};
        for (const [k, val] of Object.entries(v)) {
          if (k === '$schema' || k === '$defs') continue;
          out[k] = k === '$ref' && typeof val === 'string' ? val.replace('#/$defs/', '#/components/schemas/') : rewrite(val);
        }
        return out;
      }
      return v;
    };
    const defs = (js.$defs ?? {}) as Record<string, Json>;
    for (const [name, def] of Object.entries(defs)) {
      // ItemInput is used as input only; Item/ItemPage/Error as output only, so no clash.
      components[name] = rewrite(def) as Json;
    }
    return rewrite(js) as Json;
  };

  const parameters = (route: RouteSpec): Json[] => {
    const out: Json[] = [];
    const add = (schema: z.ZodType | undefined, where: 'path' | 'query') => {
      if (!schema) return;
      const js = convert(schema, 'input') as { properties?: Record<string, Json>; required?: string[] };
      for (const [name, prop] of Object.entries(js.properties ?? {})) {
        const { description, ...rest } = prop;
        // On the wire a query integer is digits; the document shows its integer type and bounds.
        const propSchema = where === 'query' && INTEGER_QUERY_PARAMS[name] ? { type: 'integer', ...INTEGER_QUERY_PARAMS[name] } : rest;
        out.push({
          name,
          in: where,
          required: where === 'path' || (js.required ?? []).includes(name),
          ...(description ? { description } : {}),
          schema: propSchema,
        });
      }
    };
    add(route.params, 'path');
    add(route.query, 'query');
    const header = (name: string, description: string) => out.push({ name, in: 'header', required: false, description, schema: { type: 'string' } });
    if (route.conditional && route.method === 'get') {
      header('If-None-Match', 'ETags (or *): 304 when one matches the current version (weak comparison)');
      header('If-Modified-Since', 'HTTP-date: 304 when the item has not changed since (ignored with If-None-Match)');
    } else if (route.conditional) {
      header('If-Match', 'ETags (or *): the write happens only if the item still has one of these versions (strong comparison), else 412');
      header('If-None-Match', 'ETags (or *): 412 when one matches the current version (* : whenever the item exists)');
      header('If-Unmodified-Since', 'HTTP-date: 412 when the item changed since (ignored with If-Match)');
    }
    if (route.body) header('Content-Type', 'application/json (UTF-8; another charset or no Content-Type with a body is 415)');
    out.push({
      name: 'X-Request-Id',
      in: 'header',
      required: false,
      description: 'Correlation id (also taken from API Gateway request id headers); echoed in the response',
      schema: { type: 'string' },
    });
    return out;
  };

  const response = (route: RouteSpec | undefined, spec: ResponseSpec, withBody = true): Json => {
    const r: Json = { description: spec.description };
    if (spec.schema && withBody) r.content = { [spec.problem ? PROBLEM_CONTENT_TYPE : 'application/json']: { schema: convert(spec.schema, 'output') } };
    else if (route?.handler === 'openapi' && withBody) r.content = { 'application/json': { schema: { type: 'object' } } };
    const headers: Record<string, Json> = {
      'X-Request-Id': { description: 'Request id (echoed or generated)', schema: { type: 'string' } },
    };
    for (const h of spec.headers ?? []) headers[h] = HEADER_DOCS[h]!;
    r.headers = headers;
    return r;
  };

  const paths: Record<string, Record<string, Json>> = {};
  for (const route of ROUTES) {
    const all = { ...COMMON_RESPONSES, ...route.responses };
    const responses: Record<string, Json> = {};
    for (const [status, spec] of Object.entries(all)) responses[status] = response(route, spec);
    const op: Json = {
      operationId: route.operationId,
      summary: route.summary,
      tags: [route.tag],
      parameters: parameters(route),
      responses,
    };
    if (route.body) {
      op.requestBody = { required: true, content: { 'application/json': { schema: convert(route.body, 'input') } } };
    }
    const p = toOpenApiPath(route.path);
    (paths[p] ??= {})[route.method] = op;
    if (route.method === 'get') {
      // HEAD: the same answers without bodies.
      const head: Record<string, Json> = {};
      for (const [status, spec] of Object.entries(all)) head[status] = response(route, spec, false);
      paths[p]!.head = { ...op, operationId: `${route.operationId}Head`, summary: `${route.summary} (headers only)`, responses: head };
    }
  }
  for (const [path, methods] of allowedMethods()) {
    const p = toOpenApiPath(path);
    const tag = ROUTES.find((r) => r.path === path)!.tag;
    paths[p]!.options = {
      operationId: `options${p.replace(/[^A-Za-z]/g, '_')}`,
      summary: `The methods ${p} allows (${[...methods, 'OPTIONS'].join(', ')}); other methods answer 405 with Allow`,
      tags: [tag],
      parameters: path.includes(':') ? [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }] : [],
      responses: {
        204: response(undefined, { description: 'Allowed methods (and, for a CORS preflight from an allowed origin, Access-Control-Allow-Methods)', headers: ['Allow'] }),
        ...Object.fromEntries(Object.entries(COMMON_RESPONSES).map(([k, v]) => [k, response(undefined, v)])),
      },
    };
  }
  // ItemPatch: "at least one field" is a refinement zod cannot express in JSON Schema.
  if (components.ItemPatch) components.ItemPatch = { ...components.ItemPatch, minProperties: 1 };
  const methodNotAllowed = response(undefined, METHOD_NOT_ALLOWED);

  return {
    openapi: '3.1.0',
    info: {
      title: 'Items catalog service',
      version,
      description:
        'Catalog of items. Bodies are JSON (UTF-8). Every error is an RFC 9457 problem document ' +
        '(`application/problem+json`: type, title, status, detail, instance, code, requestId, errors), the same shape ' +
        "as the front door's and the web ACL's own errors. Any method a path does not list answers 405 " +
        '(components.responses.MethodNotAllowed) with Allow. Reads honour If-None-Match / If-Modified-Since (304); ' +
        'writes honour If-Match, If-None-Match and If-Unmodified-Since (412).',
    },
    servers: [{ url: '/' }],
    paths,
    components: { schemas: components, responses: { MethodNotAllowed: methodNotAllowed } },
  };
}
