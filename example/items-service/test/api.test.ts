import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ErrorBody, Item, ItemPage } from '../src/schemas.js';
import { seed } from '../src/seed.js';
import { call, newItem, startTestApp, type Res, type TestApp } from './helpers.js';

let t: TestApp;
before(async () => {
  t = await startTestApp('api');
});
after(async () => {
  await t?.close();
});

function assertError(r: Res, status: number, code?: string) {
  assert.equal(r.status, status, `expected ${status}, got ${r.status}: ${r.text}`);
  assert.equal(r.headers.get('content-type'), 'application/problem+json');
  const parsed = ErrorBody.safeParse(r.body);
  assert.ok(parsed.success, `error body shape: ${r.text}`);
  if (code) assert.equal(r.body.code, code);
  assert.equal(r.body.status, status);
  assert.equal(r.body.type, `urn:gtuc:items:problem:${r.body.code}`);
  assert.equal(r.body.requestId, r.headers.get('x-request-id'));
}

describe('health and metadata', () => {
  it('GET /healthz is 200 without touching the database', async () => {
    const r = await call(t.base, 'GET', '/healthz');
    assert.equal(r.status, 200);
    assert.deepEqual(r.body, { status: 'ok' });
  });
  it('GET /readyz is 200 when the database answers', async () => {
    const r = await call(t.base, 'GET', '/readyz');
    assert.equal(r.status, 200);
    assert.deepEqual(r.body, { status: 'ready' });
  });
  it('GET /readyz is 503 while draining', async () => {
    t.state.draining = true;
    try {
      const r = await call(t.base, 'GET', '/readyz');
      assertError(r, 503, 'draining');
      assert.ok(r.headers.get('retry-after'));
      assert.equal(r.headers.get('connection'), 'close');
    } finally {
      t.state.draining = false;
    }
  });
  it('unknown route is 404 JSON, wrong method is 405 JSON with Allow', async () => {
    assertError(await call(t.base, 'GET', '/nope'), 404, 'not_found');
    assertError(await call(t.base, 'POST', '/items/abc/def'), 404, 'not_found');
    const r = await call(t.base, 'DELETE', '/items');
    assertError(r, 405, 'method_not_allowed');
    assert.equal(r.headers.get('allow'), 'GET, HEAD, POST, OPTIONS');
    assertError(await call(t.base, 'POST', '/healthz'), 405, 'method_not_allowed');
    const o = await call(t.base, 'OPTIONS', '/items/00000000-0000-0000-0000-000000000000');
    assert.equal(o.status, 204);
    assert.match(o.headers.get('allow') ?? '', /PATCH/);
  });
  it('echoes x-request-id, takes API Gateway request ids, generates one otherwise', async () => {
    let r = await call(t.base, 'GET', '/healthz', undefined, { 'x-request-id': 'abc-123' });
    assert.equal(r.headers.get('x-request-id'), 'abc-123');
    r = await call(t.base, 'GET', '/healthz', undefined, { 'x-amzn-requestid': 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef' });
    assert.equal(r.headers.get('x-request-id'), 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef');
    r = await call(t.base, 'GET', '/healthz', undefined, { 'x-amzn-apigateway-request-id': 'gw-1' });
    assert.equal(r.headers.get('x-request-id'), 'gw-1');
    r = await call(t.base, 'GET', '/healthz', undefined, { 'x-request-id': 'bad id with spaces' });
    assert.match(r.headers.get('x-request-id') ?? '', /^[0-9a-f-]{36}$/);
    const logged = t.logs().find((l) => l.reqId === 'abc-123');
    assert.ok(logged, 'request log line carries the request id');
    assert.equal(logged.status, 200);
  });
});

describe('CRUD', () => {
  it('POST creates (201, Location, ETag) and GET returns the same item', async () => {
    const input = newItem({ priceCents: 12345, currency: 'USD', description: undefined });
    const r = await call(t.base, 'POST', '/items', input);
    assert.equal(r.status, 201, r.text);
    const item = Item.parse(r.body);
    assert.equal(r.headers.get('location'), `/items/${item.id}`);
    assert.equal(r.headers.get('etag'), '"1"');
    assert.equal(item.priceCents, 12345);
    assert.equal(item.description, '');
    assert.equal(item.version, 1);
    const g = await call(t.base, 'GET', `/items/${item.id}`);
    assert.equal(g.status, 200);
    assert.deepEqual(g.body, r.body);
    assert.equal(g.headers.get('etag'), '"1"');
    const head = await fetch(`${t.base}/items/${item.id}`, { method: 'HEAD' });
    assert.equal(head.status, 200);
  });

  it('duplicate SKU is 409', async () => {
    const input = newItem();
    assert.equal((await call(t.base, 'POST', '/items', input)).status, 201);
    assertError(await call(t.base, 'POST', '/items', { ...input, name: 'other' }), 409, 'conflict');
  });

  it('PUT replaces, PATCH changes fields, both bump version and honour If-Match', async () => {
    const c = await call(t.base, 'POST', '/items', newItem());
    const id = c.body.id;
    const put = await call(t.base, 'PUT', `/items/${id}`, { ...newItem(), name: 'Replaced', stock: 0 }, { 'if-match': '"1"' });
    assert.equal(put.status, 200, put.text);
    assert.equal(put.body.name, 'Replaced');
    assert.equal(put.body.version, 2);
    assert.equal(put.headers.get('etag'), '"2"');
    assert.ok(put.body.updatedAt >= c.body.updatedAt);
    assert.equal(put.body.createdAt, c.body.createdAt);

    const stale = await call(t.base, 'PATCH', `/items/${id}`, { stock: 3 }, { 'if-match': '"1"' });
    assertError(stale, 412, 'precondition_failed');
    assert.equal(stale.headers.get('etag'), '"2"');

    const p = await call(t.base, 'PATCH', `/items/${id}`, { stock: 3 }, { 'if-match': '"2"' });
    assert.equal(p.status, 200, p.text);
    assert.equal(p.body.stock, 3);
    assert.equal(p.body.name, 'Replaced');
    assert.equal(p.body.version, 3);

    const unconditional = await call(t.base, 'PATCH', `/items/${id}`, { priceCents: 1 });
    assert.equal(unconditional.status, 200);
    assert.equal(unconditional.body.version, 4);
    const star = await call(t.base, 'PATCH', `/items/${id}`, { priceCents: 2 }, { 'if-match': '*' });
    assert.equal(star.body.version, 5);
    const weak = await call(t.base, 'PATCH', `/items/${id}`, { priceCents: 3 }, { 'if-match': 'W/"5"' });
    assertError(weak, 412);
    const list = await call(t.base, 'PATCH', `/items/${id}`, { priceCents: 3 }, { 'if-match': '"1", "5"' });
    assert.equal(list.status, 200);
  });

  it('PUT/PATCH onto another item\'s SKU is 409', async () => {
    const a = await call(t.base, 'POST', '/items', newItem());
    const b = await call(t.base, 'POST', '/items', newItem());
    assertError(await call(t.base, 'PATCH', `/items/${b.body.id}`, { sku: a.body.sku }), 409, 'conflict');
  });

  it('DELETE is 204, honours If-Match, then 404', async () => {
    const c = await call(t.base, 'POST', '/items', newItem());
    const id = c.body.id;
    assertError(await call(t.base, 'DELETE', `/items/${id}`, undefined, { 'if-match': '"7"' }), 412, 'precondition_failed');
    const d = await call(t.base, 'DELETE', `/items/${id}`, undefined, { 'if-match': '"1"' });
    assert.equal(d.status, 204);
    assert.equal(d.text, '');
    assertError(await call(t.base, 'GET', `/items/${id}`), 404, 'not_found');
    assertError(await call(t.base, 'DELETE', `/items/${id}`), 404, 'not_found');
    assertError(await call(t.base, 'PATCH', `/items/${id}`, { stock: 1 }), 404, 'not_found');
    assertError(await call(t.base, 'PUT', `/items/${id}`, newItem(), { 'if-match': '"1"' }), 404, 'not_found');
  });
});

describe('validation', () => {
  it('bad UUID is 400', async () => {
    assertError(await call(t.base, 'GET', '/items/not-a-uuid'), 400, 'validation_failed');
    assertError(await call(t.base, 'DELETE', '/items/123'), 400, 'validation_failed');
    assertError(await call(t.base, 'GET', '/items/%E0%A4%A'), 400);
  });
  it('malformed JSON is 400 malformed_json', async () => {
    assertError(await call(t.base, 'POST', '/items', '{"sku": '), 400, 'malformed_json');
    assertError(await call(t.base, 'POST', '/items', '"just a string"'), 400);
  });
  it('unknown field, wrong type, out of range, float money, bad currency are 400 with details', async () => {
    for (const body of [
      { ...newItem(), extra: 1 },
      { ...newItem(), priceCents: '10' },
      { ...newItem(), priceCents: 10.5 },
      { ...newItem(), priceCents: -1 },
      { ...newItem(), priceCents: 2 ** 31 },
      { ...newItem(), stock: -1 },
      { ...newItem(), currency: 'XXXX' },
      { ...newItem(), currency: 'ABC' },
      { ...newItem(), name: '' },
      { ...newItem(), name: 'nul\u0000byte' },
      { ...newItem(), sku: 'has space' },
      [],
      null,
    ]) {
      const r = await call(t.base, 'POST', '/items', JSON.stringify(body));
      assertError(r, 400);
      assert.ok(r.body.errors.length > 0 || r.body.code === 'malformed_json', r.text);
    }
    const c = await call(t.base, 'POST', '/items', newItem());
    assertError(await call(t.base, 'PATCH', `/items/${c.body.id}`, {}), 400, 'validation_failed');
    assertError(await call(t.base, 'PATCH', `/items/${c.body.id}`, { version: 9 }), 400, 'validation_failed');
    assertError(await call(t.base, 'PUT', `/items/${c.body.id}`, { name: 'only a name' }), 400, 'validation_failed');
  });
  it('missing body is 400, non-JSON body is 415, oversized body is 413', async () => {
    assertError(await call(t.base, 'POST', '/items'), 400, 'validation_failed');
    assertError(await call(t.base, 'POST', '/items', 'sku=a', { 'content-type': 'application/x-www-form-urlencoded' }), 415, 'unsupported_media_type');
    const big = JSON.stringify({ ...newItem(), description: 'x'.repeat(70 * 1024) });
    assertError(await call(t.base, 'POST', '/items', big), 413, 'payload_too_large');
  });
  it('bad query parameters are 400', async () => {
    for (const q of [
      'limit=0',
      'limit=101',
      'limit=abc',
      'limit=1&limit=2',
      'minPrice=-1',
      'minPrice=10&maxPrice=5',
      'inStock=maybe',
      'sort=colour',
      'unknown=1',
      'cursor=%%%',
      'cursor=bm90LWpzb24',
      'q=' + 'x'.repeat(101),
      'q=%00',
    ]) {
      assertError(await call(t.base, 'GET', `/items?${q}`), 400);
    }
    // A cursor from one sort order is rejected for another.
    const first = await call(t.base, 'GET', '/items?limit=1&sort=name');
    if (first.body.nextCursor) assertError(await call(t.base, 'GET', `/items?sort=price&cursor=${first.body.nextCursor}`), 400, 'invalid_cursor');
  });
});

describe('listing', () => {
  const cat = `cat-${Date.now()}`;
  before(async () => {
    // A few hundred rows in a dedicated category plus the sample catalog.
    await seed(t.db.sequelize, 300);
    for (let i = 0; i < 30; i++) {
      const r = await call(t.base, 'POST', '/items', newItem({ category: cat, priceCents: 100 * (i + 1), stock: i % 3, name: `Widget ${String(i).padStart(2, '0')}`, description: i % 5 === 0 ? 'contains the word Zebra-stripe' : 'plain' }));
      assert.equal(r.status, 201);
    }
  });

  it('default page: limit 20, newest first, valid shape', async () => {
    const r = await call(t.base, 'GET', '/items');
    assert.equal(r.status, 200);
    const page = ItemPage.parse(r.body);
    assert.equal(page.items.length, 20);
    assert.equal(page.limit, 20);
    assert.ok(page.nextCursor);
    for (let i = 1; i < page.items.length; i++) assert.ok(page.items[i - 1]!.createdAt >= page.items[i]!.createdAt);
  });

  it('cursor pagination visits every row exactly once, for every sort', async () => {
    const total = Number((await t.db.readPool.query('SELECT count(*)::int AS n FROM items')).rows[0].n);
    for (const sort of ['name', '-name', 'price', '-price', 'createdAt', '-createdAt']) {
      const seen = new Set<string>();
      let cursor: string | null = null;
      let prev: Record<string, unknown> | undefined;
      let pages = 0;
      do {
        const qs: string = `/items?limit=100&sort=${sort}` + (cursor ? `&cursor=${cursor}` : '');
        const r = await call(t.base, 'GET', qs);
        assert.equal(r.status, 200, r.text);
        for (const item of r.body.items) {
          assert.ok(!seen.has(item.id), `duplicate ${item.id} in sort ${sort}`);
          seen.add(item.id);
          if (prev && sort.endsWith('price')) {
            assert.ok(sort.startsWith('-') ? (prev.priceCents as number) >= item.priceCents : (prev.priceCents as number) <= item.priceCents);
          }
          prev = item;
        }
        cursor = r.body.nextCursor;
        pages++;
      } while (cursor && pages < 100);
      assert.equal(seen.size, total, `sort ${sort} saw all rows`);
    }
  });

  it('filters: category, price range, inStock, q; combined with limit', async () => {
    let r = await call(t.base, 'GET', `/items?category=${cat}&limit=100`);
    assert.equal(r.body.items.length, 30);
    assert.equal(r.body.nextCursor, null);
    r = await call(t.base, 'GET', `/items?category=${cat}&minPrice=1000&maxPrice=2000&limit=100`);
    assert.deepEqual(r.body.items.map((i: { priceCents: number }) => i.priceCents).sort((a: number, b: number) => a - b), [1000, 1100, 1200, 1300, 1400, 1500, 1600, 1700, 1800, 1900, 2000]);
    r = await call(t.base, 'GET', `/items?category=${cat}&inStock=false&limit=100`);
    assert.equal(r.body.items.length, 10);
    assert.ok(r.body.items.every((i: { stock: number }) => i.stock === 0));
    r = await call(t.base, 'GET', `/items?category=${cat}&inStock=true&limit=100`);
    assert.equal(r.body.items.length, 20);
    r = await call(t.base, 'GET', `/items?q=zebra-STRIPE&limit=100`);
    assert.equal(r.body.items.length, 6);
    r = await call(t.base, 'GET', `/items?q=widget%2005`);
    assert.equal(r.body.items.length, 1);
    assert.equal(r.body.items[0].name, 'Widget 05');
    r = await call(t.base, 'GET', `/items?q=100%25`);
    assert.equal(r.body.items.length, 0, 'LIKE wildcards are matched literally');
    r = await call(t.base, 'GET', `/items?category=${cat}&sort=price&limit=5`);
    assert.deepEqual(r.body.items.map((i: { priceCents: number }) => i.priceCents), [100, 200, 300, 400, 500]);
    const r2 = await call(t.base, 'GET', `/items?category=${cat}&sort=price&limit=5&cursor=${r.body.nextCursor}`);
    assert.deepEqual(r2.body.items.map((i: { priceCents: number }) => i.priceCents), [600, 700, 800, 900, 1000]);
  });
});

describe('logging', () => {
  it('does not log secrets', async () => {
    const { memoryLogger } = await import('./helpers.js');
    const { logger, lines } = memoryLogger();
    logger.info({ req: { headers: { authorization: 'Bearer s3cret', cookie: 'sid=s3cret' } }, db: { password: 's3cret' }, password: 's3cret' }, 'x');
    const text = JSON.stringify(lines());
    assert.ok(!text.includes('s3cret'), text);
    assert.ok(text.includes('[REDACTED]'));
  });
});
