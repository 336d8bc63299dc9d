import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import { createApp, createHttpServer } from '../src/app.js';
import { ErrorBody } from '../src/schemas.js';
import { call, newItem, startTestApp, type Res, type TestApp } from './helpers.js';

/** HTTP by the RFCs: conditional requests, problem details, strict input, Link, CORS, trace ids. */
let t: TestApp;
before(async () => {
  t = await startTestApp('rfc', { corsAllowedOrigins: ['https://app.example.com'] });
});
after(async () => {
  await t?.close();
});

function problem(r: Res, status: number, code: string) {
  assert.equal(r.status, status, r.text);
  assert.equal(r.headers.get('content-type'), 'application/problem+json');
  assert.ok(ErrorBody.safeParse(r.body).success, r.text);
  assert.equal(r.body.code, code, r.text);
  return r.body as { errors: { in: string; path: string; code: string; message: string }[]; detail: string; instance?: string };
}

/** Sends raw bytes on a fresh connection and returns the whole answer. */
function raw(bytes: string | Buffer): Promise<{ status: number; headers: string; body: string }> {
  const { port } = new URL(t.base);
  return new Promise((resolve, reject) => {
    const s = net.connect(Number(port), '127.0.0.1');
    let data = '';
    s.on('data', (c) => (data += c.toString('latin1')));
    s.on('end', () => {
      const [head, ...rest] = data.split('\r\n\r\n');
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(head ?? '')?.[1]), headers: head ?? '', body: rest.join('\r\n\r\n') });
    });
    s.on('error', reject);
    s.write(bytes);
  });
}

describe('conditional requests (RFC 9110 §13)', () => {
  it('GET/HEAD with If-None-Match or If-Modified-Since answer 304 with the validators', async () => {
    const c = await call(t.base, 'POST', '/items', newItem());
    const { id } = c.body;
    const etag = c.headers.get('etag')!;
    const lm = c.headers.get('last-modified')!;
    assert.equal(etag, '"1"');
    assert.equal(lm, new Date(c.body.updatedAt).toUTCString());
    for (const inm of ['"1"', 'W/"1"', '"9", "1"', '*']) {
      const r = await call(t.base, 'GET', `/items/${id}`, undefined, { 'if-none-match': inm });
      assert.equal(r.status, 304, inm);
      assert.equal(r.text, '');
      assert.equal(r.headers.get('etag'), '"1"');
      assert.equal(r.headers.get('last-modified'), lm);
    }
    const head = await fetch(`${t.base}/items/${id}`, { method: 'HEAD', headers: { 'if-none-match': '"1"' } });
    assert.equal(head.status, 304);
    assert.equal((await call(t.base, 'GET', `/items/${id}`, undefined, { 'if-none-match': '"2"' })).status, 200);
    assert.equal((await call(t.base, 'GET', `/items/${id}`, undefined, { 'if-modified-since': lm })).status, 304);
    const earlier = new Date(Date.parse(lm) - 1000).toUTCString();
    assert.equal((await call(t.base, 'GET', `/items/${id}`, undefined, { 'if-modified-since': earlier })).status, 200);
    // If-None-Match wins over If-Modified-Since; an unparsable date is ignored.
    assert.equal((await call(t.base, 'GET', `/items/${id}`, undefined, { 'if-none-match': '"2"', 'if-modified-since': lm })).status, 200);
    assert.equal((await call(t.base, 'GET', `/items/${id}`, undefined, { 'if-modified-since': 'yesterday' })).status, 200);
  });

  it('writes: If-None-Match * or a matching tag and a stale If-Unmodified-Since answer 412', async () => {
    const c = await call(t.base, 'POST', '/items', newItem());
    const { id } = c.body;
    const lm = c.headers.get('last-modified')!;
    const p412 = problem(await call(t.base, 'PUT', `/items/${id}`, newItem(), { 'if-none-match': '*' }), 412, 'precondition_failed');
    assert.ok(p412);
    problem(await call(t.base, 'PATCH', `/items/${id}`, { stock: 1 }, { 'if-none-match': '*' }), 412, 'precondition_failed');
    problem(await call(t.base, 'PATCH', `/items/${id}`, { stock: 1 }, { 'if-none-match': 'W/"1"' }), 412, 'precondition_failed');
    problem(await call(t.base, 'DELETE', `/items/${id}`, undefined, { 'if-none-match': '"1"' }), 412, 'precondition_failed');
    const before = new Date(Date.parse(lm) - 1000).toUTCString();
    const stale = await call(t.base, 'PATCH', `/items/${id}`, { stock: 1 }, { 'if-unmodified-since': before });
    problem(stale, 412, 'precondition_failed');
    assert.equal(stale.body.currentVersion, 1);
    assert.equal(stale.headers.get('etag'), '"1"');
    const ok = await call(t.base, 'PATCH', `/items/${id}`, { stock: 1 }, { 'if-unmodified-since': lm, 'if-none-match': '"7"' });
    assert.equal(ok.status, 200, ok.text);
    assert.equal(ok.body.version, 2);
    problem(await call(t.base, 'PUT', `/items/00000000-0000-4000-8000-000000000000`, newItem(), { 'if-none-match': '*' }), 404, 'not_found');
  });
});

describe('problem details (RFC 9457)', () => {
  it('every error carries type, title, status, detail, instance, code and the request id', async () => {
    const r = await call(t.base, 'GET', '/items/not-a-uuid', undefined, { 'x-request-id': 'rfc-1' });
    const p = problem(r, 400, 'validation_failed');
    assert.deepEqual({ ...r.body, errors: undefined }, {
      type: 'urn:gtuc:items:problem:validation_failed',
      title: 'Bad Request',
      status: 400,
      detail: 'invalid request path',
      instance: '/items/not-a-uuid',
      code: 'validation_failed',
      requestId: 'rfc-1',
      errors: undefined,
    });
    assert.equal(p.errors[0]!.path, 'id');
    const m = problem(await call(t.base, 'DELETE', '/items'), 405, 'method_not_allowed');
    assert.ok(m);
  });

  it("Node's own protocol errors are problem documents with a request id", async () => {
    const cases: [string, number, string][] = [
      ['GET /healthz HTTP/1.1\r\n\r\n', 400, 'missing_host'],
      [`GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20 * 1024)}\r\n\r\n`, 431, 'headers_too_large'],
      ['POST /items HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n', 400, 'bad_chunking'],
      ['POST /items HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}', 400, 'bad_content_length'],
      ['NOT HTTP AT ALL\r\n\r\n', 400, 'bad_request'],
    ];
    for (const [req, status, code] of cases) {
      const r = await raw(req);
      assert.equal(r.status, status, `${code}: ${r.headers}`);
      assert.match(r.headers, /content-type: application\/problem\+json/i);
      const reqId = /x-request-id: ([^\r\n]+)/i.exec(r.headers)?.[1];
      assert.ok(reqId, r.headers);
      const body = JSON.parse(r.body);
      assert.ok(ErrorBody.safeParse(body).success, r.body);
      assert.equal(body.code, code);
      assert.equal(body.requestId, reqId);
    }
  });

  it('406 when Accept rules out JSON; 415 for a body without Content-Type or in another charset', async () => {
    problem(await call(t.base, 'GET', '/items', undefined, { accept: 'text/html' }), 406, 'not_acceptable');
    problem(await call(t.base, 'GET', '/items', undefined, { accept: 'application/json;q=0, text/html' }), 406, 'not_acceptable');
    assert.equal((await call(t.base, 'GET', '/items?limit=1', undefined, { accept: 'text/html, application/*;q=0.5' })).status, 200);
    const r = await raw(`POST /items HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: 2\r\n\r\n{}`);
    assert.equal(r.status, 415);
    assert.equal(JSON.parse(r.body).code, 'unsupported_media_type');
    problem(await call(t.base, 'POST', '/items', JSON.stringify(newItem()), { 'content-type': 'application/json; charset=utf-16' }), 415, 'unsupported_charset');
    assert.equal((await call(t.base, 'POST', '/items', JSON.stringify(newItem()), { 'content-type': 'application/json; charset=UTF-8' })).status, 201);
  });
});

describe('strict input', () => {
  it('invalid UTF-8 bytes and lone surrogates are a 400 naming the field, never stored', async () => {
    const item = newItem();
    const json = JSON.stringify({ ...item, name: 'aXXb' });
    const bytes = Buffer.from(json, 'utf8');
    const at = bytes.indexOf('XX');
    bytes[at] = 0xff;
    bytes[at + 1] = 0xfe;
    const r = await fetch(`${t.base}/items`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: bytes });
    const body = (await r.json()) as { code: string; errors: { path: string }[] };
    assert.equal(r.status, 400);
    assert.equal(body.code, 'invalid_utf8');
    assert.deepEqual(body.errors.map((e: { path: string }) => e.path), ['name']);
    const lone = await call(t.base, 'POST', '/items', JSON.stringify(newItem()).replace('"Test item', '"\\ud800Test item'));
    const p = problem(lone, 400, 'validation_failed');
    assert.deepEqual(p.errors.map((e) => e.path), ['name']);
    assert.match(p.errors[0]!.message, /lone surrogates/);
    assert.equal((await call(t.base, 'GET', `/items?q=${encodeURIComponent(item.sku)}`)).body.items.length, 0);
  });

  it('integers in canonical decimal only; repeated and empty parameters named as such', async () => {
    for (const q of ['limit=1e1', 'limit=0x10', 'limit=%2B5', 'limit=%205', 'limit=05', 'limit=5.0', 'minPrice=-0']) {
      const p = problem(await call(t.base, 'GET', `/items?${q}`), 400, 'validation_failed');
      assert.equal(p.errors[0]!.path, q.split('=')[0]);
      assert.match(p.errors[0]!.message, /canonical decimal/);
    }
    const rep = problem(await call(t.base, 'GET', '/items?limit=1&limit=2'), 400, 'validation_failed');
    assert.deepEqual(rep.errors, [{ in: 'query', path: 'limit', code: 'repeated', message: 'limit is repeated: send it once' }]);
    const empty = problem(await call(t.base, 'GET', '/items?category='), 400, 'validation_failed');
    assert.deepEqual(empty.errors, [{ in: 'query', path: 'category', code: 'empty', message: 'category is empty' }]);
    assert.equal((await call(t.base, 'GET', '/items?limit=10&minPrice=0')).status, 200);
  });

  it('SKUs are unique case-insensitively (enforced by the database)', async () => {
    const item = newItem({ sku: `QA-${Date.now()}` });
    assert.equal((await call(t.base, 'POST', '/items', item)).status, 201);
    const p = problem(await call(t.base, 'POST', '/items', { ...item, sku: item.sku.toLowerCase() }), 409, 'conflict');
    assert.equal(p.errors[0]!.path, 'sku');
    const n = await t.db.read<{ n: number }>({ text: 'SELECT count(*)::int AS n FROM items WHERE lower(sku) = lower($1)', values: [item.sku] });
    assert.equal(n.rows[0]!.n, 1);
  });
});

describe('links, CORS and trace ids', () => {
  it('Link rel="next" carries the same query with the next cursor', async () => {
    for (let i = 0; i < 3; i++) await call(t.base, 'POST', '/items', newItem({ category: 'linked' }));
    const r = await call(t.base, 'GET', '/items?category=linked&limit=2&sort=name');
    const link = r.headers.get('link')!;
    assert.equal(link, `</items?category=linked&limit=2&sort=name&cursor=${r.body.nextCursor}>; rel="next"`);
    const next = await call(t.base, 'GET', /^<([^>]+)>/.exec(link)![1]!);
    assert.equal(next.status, 200);
    assert.equal(next.body.items.length, 1);
    assert.equal(next.headers.get('link'), null, 'no Link on the last page');
  });

  it('CORS headers for a configured origin only, on successes and errors', async () => {
    const ok = await call(t.base, 'GET', '/items?limit=1', undefined, { origin: 'https://app.example.com' });
    assert.equal(ok.headers.get('access-control-allow-origin'), 'https://app.example.com');
    assert.match(ok.headers.get('access-control-expose-headers')!, /ETag.*Link.*X-Request-Id/);
    assert.equal(ok.headers.get('vary'), 'Origin');
    const err = await call(t.base, 'GET', '/items/bad', undefined, { origin: 'https://app.example.com' });
    assert.equal(err.headers.get('access-control-allow-origin'), 'https://app.example.com');
    const other = await call(t.base, 'GET', '/items?limit=1', undefined, { origin: 'https://evil.example' });
    assert.equal(other.headers.get('access-control-allow-origin'), null);
    const pre = await call(t.base, 'OPTIONS', '/items', undefined, { origin: 'https://app.example.com', 'access-control-request-method': 'POST' });
    assert.equal(pre.status, 204);
    assert.match(pre.headers.get('access-control-allow-methods')!, /POST/);
  });

  it('traceparent and X-Amzn-Trace-Id are on the request log line', async () => {
    const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    const amzn = 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1';
    await call(t.base, 'GET', '/items/bad-id', undefined, { traceparent, 'x-amzn-trace-id': amzn, 'x-request-id': 'trace-1' });
    const line = t.logs().find((l) => l.reqId === 'trace-1' && l.msg === 'request');
    assert.ok(line);
    assert.equal(line.traceId, '4bf92f3577b34da6a3ce929d0e0e4736');
    assert.equal(line.amznTraceId, amzn);
    await call(t.base, 'GET', '/healthz', undefined, { traceparent: '00-00000000000000000000000000000000-00f067aa0ba902b7-01', 'x-request-id': 'trace-2' });
    assert.equal(t.logs().find((l) => l.reqId === 'trace-2')!.traceId, undefined, 'an all-zero trace id is invalid');
  });
});

describe('without CORS configuration', () => {
  it('sends no CORS headers', async () => {
    const app = createApp({ db: t.db, config: { bodyLimitBytes: 1024, retryAfterSeconds: 1 }, logger: (await import('./helpers.js')).memoryLogger().logger });
    const server = createHttpServer(app).listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    try {
      const r = await fetch(`http://127.0.0.1:${(server.address() as net.AddressInfo).port}/healthz`, { headers: { origin: 'https://app.example.com' } });
      assert.equal(r.headers.get('access-control-allow-origin'), null);
    } finally {
      server.close();
    }
  });
});
