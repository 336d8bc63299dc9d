import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { ErrorBody } from '../src/schemas.js';
import { call, newItem, startTestApp, type TestApp } from './helpers.js';
import { assertMatchesContract } from './contract.js';

let t: TestApp;
let existingId: string;
before(async () => {
  t = await startTestApp('fuzz', { bodyLimitBytes: 16 * 1024 });
  existingId = (await call(t.base, 'POST', '/items', newItem())).body.id;
});
after(async () => {
  await t?.close();
});

const printable = (max: number) => fc.string({ unit: fc.integer({ min: 0x21, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: max });

/** Garbage shaped like an id: wrong length, bad hex, encodings, unicode. */
const badId = fc.oneof(
  fc.uuid().map((u) => u.slice(1)),
  fc.uuid().map((u) => u.replace(/-/g, '')),
  fc.uuid().map((u) => u + '0'),
  fc.uuid().map((u) => 'g' + u.slice(1)),
  fc.string({ minLength: 1, maxLength: 50 }).map(encodeURIComponent),
  fc.constantFrom('%', '%zz', '%E0%A4%A', '..', '%2e%2e', 'null', '-1', '0', '%00', '%C0%AF', ' ', '%20'),
  fc.integer().map(String),
);

const existing = fc.constant('EXISTING').map(() => `/items/${existingId}`);
const otherPath = fc.oneof(
  badId.map((id) => `/items/${id}`),
  fc.uuid().map((u) => `/items/${u}`),
  fc.constantFrom('/healthz', '/readyz', '/openapi.json', '/', '/items', '/items/', '//items', '/items/x/y', '/ITEMS'),
  fc.array(fc.string({ maxLength: 12 }).map(encodeURIComponent), { maxLength: 4 }).map((s) => '/' + s.join('/')),
);
/** Mostly the route the method belongs to (so validation is exercised), sometimes anything. */
const pathFor = (method: string) => {
  if (method === 'POST') return fc.oneof({ weight: 6, arbitrary: fc.constant('/items') }, { weight: 1, arbitrary: otherPath });
  if (method === 'GET') return fc.oneof({ weight: 4, arbitrary: fc.constant('/items') }, { weight: 2, arbitrary: existing }, { weight: 2, arbitrary: badId.map((id) => `/items/${id}`) }, { weight: 1, arbitrary: otherPath });
  return fc.oneof({ weight: 5, arbitrary: existing }, { weight: 3, arbitrary: badId.map((id) => `/items/${id}`) }, { weight: 1, arbitrary: otherPath });
};

const queryValue = fc.oneof(
  fc.integer().map(String),
  fc.double().map(String),
  fc.constantFrom('', '0', '-1', '101', '1e3', 'NaN', 'Infinity', 'true', 'false', 'name', '-price', 'createdAt', '%', '%00', '\u0000', 'x'.repeat(2000)),
  fc.string({ maxLength: 30 }),
  fc.base64String({ maxLength: 80 }),
);
const queryKey = fc.oneof(fc.constantFrom('limit', 'cursor', 'category', 'minPrice', 'maxPrice', 'inStock', 'q', 'sort', 'limit[]', 'page', 'offset'), fc.string({ maxLength: 10 }));
const query = fc.oneof(
  { weight: 1, arbitrary: fc.constant('') },
  {
    weight: 4,
    arbitrary: fc
      .array(fc.tuple(queryKey, queryValue), { minLength: 1, maxLength: 4 })
      .map((kv) => '?' + kv.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&')),
  },
  { weight: 1, arbitrary: fc.constantFrom('?%', '?a=%zz', '?limit=%E0%A4%A', '?&&&=', '?limit=1&limit=2', '?q=%00', '?cursor=WyJuYW1lIiwxLDJd') },
);

const fields = ['sku', 'name', 'description', 'priceCents', 'currency', 'category', 'stock'] as const;
const wrongValue = fc.oneof(
  fc.jsonValue(),
  fc.constantFrom(-1, 1.5, 2 ** 31, -(2 ** 31), 1e308, '12', '', null, true, [], {}, 'EURO', 'eur', 'x'.repeat(6000), 'a\u0000b', '\ud800'),
);

const body = fc.oneof(
  // Valid item with one field broken.
  fc.tuple(fc.constantFrom(...fields), wrongValue).map(([k, v]) => JSON.stringify({ ...newItem(), [k]: v })),
  // Valid item with an unknown field.
  fc.tuple(fc.string({ minLength: 1, maxLength: 10 }).filter((k) => !(fields as readonly string[]).includes(k)), fc.jsonValue()).map(([k, v]) => JSON.stringify({ ...newItem(), [k]: v })),
  // Item with a field missing.
  fc.constantFrom(...fields).map((k) => {
    const o: Record<string, unknown> = newItem();
    delete o[k];
    return JSON.stringify(o);
  }),
  // Arbitrary JSON.
  fc.jsonValue().map((v) => JSON.stringify(v)),
  // Not JSON at all / truncated JSON.
  fc.string({ maxLength: 200 }),
  fc.jsonValue().map((v) => JSON.stringify(v).slice(0, -1) || '{'),
  // Oversized and deeply nested.
  fc.constantFrom(JSON.stringify({ ...newItem(), description: 'x'.repeat(20_000) }), '['.repeat(5000) + ']'.repeat(5000), '{"a":' + '['.repeat(500) + ']'.repeat(500) + '}'),
);

const contentType = fc.oneof(
  { weight: 8, arbitrary: fc.constant('application/json') },
  { weight: 2, arbitrary: fc.constantFrom(undefined, 'application/json; charset=utf-8', 'application/merge-patch+json') },
  { weight: 1, arbitrary: fc.constantFrom('text/plain', 'application/json; charset=latin1', 'application/x-www-form-urlencoded', 'multipart/form-data', '%%%') },
);

const method = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom('GET', 'POST', 'PUT', 'PATCH') },
  { weight: 1, arbitrary: fc.constantFrom('DELETE', 'OPTIONS', 'PROPFIND') },
);
const request = fc.record({
  mp: method.chain((m) => pathFor(m).map((p) => [m, p] as const)),
  query,
  body: fc.option(body, { nil: undefined }),
  contentType,
  ifMatch: fc.option(fc.oneof(printable(20), fc.constantFrom('"1"', '"0"', 'W/"1"', '*', '"99999999999"', '"-1"')), { nil: undefined }),
  contentEncoding: fc.option(fc.constantFrom('gzip', 'br', 'identity', 'bogus'), { freq: 8, nil: undefined }),
  requestId: fc.option(printable(60), { nil: undefined }),
});

describe('fuzz: malformed requests never produce a 5xx', () => {
  it('2,500 generated requests: no 5xx, every error has the JSON error shape', async () => {
    let errors = 0;
    let runs = 0;
    const histogram: Record<number, number> = {};
    await fc.assert(
      fc.asyncProperty(request, async ({ mp: [method, path], ...req }) => {
        runs++;
        const headers: Record<string, string> = {};
        if (req.contentType) headers['content-type'] = req.contentType;
        if (req.ifMatch !== undefined) headers['if-match'] = req.ifMatch;
        if (req.contentEncoding) headers['content-encoding'] = req.contentEncoding;
        if (req.requestId) headers['x-request-id'] = req.requestId;
        const hasBody = req.body !== undefined && method !== 'GET';
        const r = await fetch(t.base + path + req.query, { method: method, headers, body: hasBody ? req.body : undefined });
        const text = await r.text();
        assertMatchesContract(method, path + req.query, r.status, r.headers.get('content-type'), text);
        histogram[r.status] = (histogram[r.status] ?? 0) + 1;
        assert.ok(r.status < 500, `${method} ${path}${req.query} -> ${r.status} ${text.slice(0, 300)}`);
        if (r.status >= 400) {
          errors++;
          assert.equal(r.headers.get('content-type'), 'application/problem+json');
          const parsed = ErrorBody.safeParse(JSON.parse(text));
          assert.ok(parsed.success, `bad error body for ${method} ${path}: ${text.slice(0, 300)}`);
        }
      }),
      { numRuns: 2500, seed: Number(process.env.FUZZ_SEED ?? 20251125), endOnFailure: true },
    );
    console.log(`fuzz status histogram: ${JSON.stringify(histogram)}`);
    assert.equal(runs, 2500);
    assert.ok(errors >= 2000, `at least 2,000 of the requests were rejected with a 4xx (got ${errors})`);
    // The service is still healthy and logged no server error.
    assert.equal((await call(t.base, 'GET', '/readyz')).status, 200);
    assert.deepEqual(t.logs().filter((l) => l.level === 'error'), []);
  });
});
