import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { z } from 'zod';
import { createApp } from '../src/app.js';
import { createDatabase } from '../src/db.js';
import { buildOpenApi, toOpenApiPath } from '../src/openapi.js';
import { COMMON_RESPONSES, ROUTES } from '../src/routes.js';
import { CURRENCY_CODES } from '../src/schemas.js';
import { Item, ItemInput } from '../src/schemas.js';
import { dbConfigFor, memoryLogger } from './helpers.js';

/** [METHOD path] of every concrete route the Express app registered (405 fallbacks excluded). */
function expressRoutes(app: ReturnType<typeof createApp>): { routes: Set<string>; fallbacks: Set<string> } {
  const routes = new Set<string>();
  const fallbacks = new Set<string>();
  const stack = (app as unknown as { router: { stack: Array<{ route?: { path: string; methods: Record<string, boolean> } }> } }).router.stack;
  for (const layer of stack) {
    if (!layer.route) continue;
    const methods = Object.keys(layer.route.methods).filter((m) => layer.route!.methods[m]);
    // app.all() registers every HTTP method (or `_all`): that is the 405 fallback.
    if (methods.includes('_all') || methods.length > 10) {
      fallbacks.add(layer.route.path);
      continue;
    }
    for (const m of methods) routes.add(`${m.toUpperCase()} ${toOpenApiPath(layer.route.path)}`);
  }
  return { routes, fallbacks };
}

describe('OpenAPI document', () => {
  const doc = buildOpenApi() as { openapi: string; paths: Record<string, Record<string, any>>; components: { schemas: Record<string, any> } };
  // The database is never contacted: pools connect lazily.
  const db = createDatabase(dbConfigFor('postgres://u:p@127.0.0.1:1/none'), memoryLogger().logger);
  const app = createApp({ db, config: { bodyLimitBytes: 1024, retryAfterSeconds: 1 }, logger: memoryLogger().logger });

  it('is OpenAPI 3.1 and lists exactly the routes the app serves', () => {
    assert.equal(doc.openapi, '3.1.0');
    const documented = new Set<string>();
    for (const [p, ops] of Object.entries(doc.paths)) for (const m of Object.keys(ops)) if (m !== 'head' && m !== 'options') documented.add(`${m.toUpperCase()} ${p}`);
    // HEAD for every GET, OPTIONS for every path.
    for (const [p, ops] of Object.entries(doc.paths)) {
      assert.ok(ops.options, `OPTIONS ${p}`);
      if (ops.get) assert.ok(ops.head, `HEAD ${p}`);
    }
    const { routes, fallbacks } = expressRoutes(app);
    assert.deepEqual([...routes].sort(), [...documented].sort());
    // Every documented path also has the 405 fallback.
    assert.deepEqual([...fallbacks].map(toOpenApiPath).sort(), Object.keys(doc.paths).sort());
    assert.ok(documented.has('GET /items/{id}') && documented.has('PATCH /items/{id}') && documented.has('GET /openapi.json'));
  });

  it('is served at /openapi.json', async () => {
    const server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    try {
      const { port } = server.address() as { port: number };
      const r = await fetch(`http://127.0.0.1:${port}/openapi.json`);
      assert.equal(r.status, 200);
      assert.deepEqual(await r.json(), JSON.parse(JSON.stringify(doc)));
    } finally {
      server.close();
    }
  });

  it('uses the same zod definitions that validate requests', () => {
    assert.deepEqual(doc.components.schemas.Item, JSON.parse(JSON.stringify(z.toJSONSchema(Item, { io: 'output', unrepresentable: 'any' }).$defs!.Item)));
    const body = doc.paths['/items']!.post.requestBody.content['application/json'].schema;
    assert.deepEqual(body, { $ref: '#/components/schemas/ItemInput' });
    const input = doc.components.schemas.ItemInput;
    assert.deepEqual(Object.keys(input.properties).sort(), Object.keys(ItemInput.shape).sort());
    assert.equal(input.additionalProperties, false);
    assert.equal(input.properties.priceCents.type, 'integer');
    const listParams = doc.paths['/items']!.get.parameters.map((p: { name: string }) => p.name);
    for (const q of ['limit', 'cursor', 'category', 'minPrice', 'maxPrice', 'inStock', 'q', 'sort']) assert.ok(listParams.includes(q), q);
    for (const [p, ops] of Object.entries(doc.paths)) {
      for (const [m, op] of Object.entries(ops)) {
        if (m === 'head' || m === 'options') continue;
        const route = ROUTES.find((r) => toOpenApiPath(r.path) === p && r.method === m)!;
        assert.deepEqual(Object.keys(op.responses).sort(), Object.keys({ ...COMMON_RESPONSES, ...route.responses }).sort());
        for (const [status, resp] of Object.entries(op.responses as Record<string, { content?: Record<string, unknown> }>)) {
          if (Number(status) >= 400) assert.deepEqual(Object.keys(resp.content!), ['application/problem+json'], `${m} ${p} ${status}`);
        }
        if (p.includes('{id}')) assert.ok(op.parameters.some((x: { in: string; name: string }) => x.in === 'path' && x.name === 'id'));
      }
    }
  });

  it('validates as OpenAPI 3.1 and states the contract', async () => {
    const { Validator } = await import('@seriousme/openapi-schema-validator');
    const result = await new Validator().validate(JSON.parse(JSON.stringify(doc)));
    assert.equal(result.valid, true, JSON.stringify(result.errors));
    const s = doc.components.schemas;
    assert.equal(s.ItemPatch.minProperties, 1);
    assert.deepEqual([s.ItemPage.properties.limit.minimum, s.ItemPage.properties.limit.maximum], [1, 100]);
    for (const f of ['priceCents', 'stock']) {
      assert.deepEqual([s.Item.properties[f].minimum, s.Item.properties[f].maximum], [s.ItemInput.properties[f].minimum, s.ItemInput.properties[f].maximum], f);
    }
    assert.deepEqual(s.ItemInput.properties.currency.enum, [...CURRENCY_CODES]);
    assert.ok(!CURRENCY_CODES.includes('HRK' as never) && !CURRENCY_CODES.includes('ANG' as never) && CURRENCY_CODES.includes('XCG'), 'pinned list, withdrawn codes out');
    const limit = doc.paths['/items']!.get.parameters.find((p: { name: string }) => p.name === 'limit');
    assert.deepEqual(limit.schema, { type: 'integer', minimum: 1, maximum: 100, default: 20 });
    const get = doc.paths['/items/{id}']!;
    assert.ok(get.get.responses['304'] && get.head.responses['304'] && !get.head.responses['200'].content);
    for (const st of ['406', '431']) assert.ok(get.get.responses[st]);
    assert.ok(get.patch.responses['412'] && get.patch.responses['415']);
    assert.ok((doc as any).components.responses.MethodNotAllowed.headers.Allow);
    assert.ok(doc.paths['/items']!.get.responses['200'].headers.Link);
  });

  it('has no dangling $ref', () => {
    const refs = JSON.stringify(doc).match(/"\$ref":"[^"]+"/g) ?? [];
    for (const ref of refs) {
      const name = ref.replace(/.*#\/components\/schemas\//, '').replace(/"$/, '');
      assert.ok(doc.components.schemas[name], `missing component ${name}`);
    }
  });
});
