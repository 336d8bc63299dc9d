import { z } from 'zod';
import { ROUTES, type RouteSpec } from './routes.js';

type Json = Record<string, unknown>;

/** Express `/items/:id` -> OpenAPI `/items/{id}`. */
export const toOpenApiPath = (p: string) => p.replace(/:([A-Za-z0-9_]+)/g, '{$1}');

const HEADER_DOCS: Record<string, { description: string; schema: Json }> = {
  ETag: { description: 'Current version of the item, e.g. "3"; send it back in If-Match', schema: { type: 'string' } },
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
        const { description, ...propSchema } = prop;
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
    if (route.conditional) {
      out.push({
        name: 'If-Match',
        in: 'header',
        required: false,
        description: 'ETag from a previous response; the write happens only if the item still has that version (else 412)',
        schema: { type: 'string' },
      });
    }
    out.push({
      name: 'X-Request-Id',
      in: 'header',
      required: false,
      description: 'Correlation id (also taken from API Gateway request id headers); echoed in the response',
      schema: { type: 'string' },
    });
    return out;
  };

  const paths: Record<string, Record<string, Json>> = {};
  for (const route of ROUTES) {
    const responses: Record<string, Json> = {};
    for (const [status, spec] of Object.entries(route.responses)) {
      const r: Json = { description: spec.description };
      if (spec.schema) r.content = { 'application/json': { schema: convert(spec.schema, 'output') } };
      else if (route.handler === 'openapi') r.content = { 'application/json': { schema: { type: 'object' } } };
      const headers: Record<string, Json> = {
        'X-Request-Id': { description: 'Request id (echoed or generated)', schema: { type: 'string' } },
      };
      for (const h of spec.headers ?? []) headers[h] = HEADER_DOCS[h]!;
      r.headers = headers;
      responses[status] = r;
    }
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
  }

  return {
    openapi: '3.1.0',
    info: {
      title: 'Items catalog service',
      version,
      description:
        'Catalog of items. All bodies are JSON. Errors use `{"error":{"code","message","details"}}`. ' +
        'Writes honour If-Match with the ETag (item version) and answer 412 when it is stale.',
    },
    servers: [{ url: '/' }],
    paths,
    components: { schemas: components },
  };
}
