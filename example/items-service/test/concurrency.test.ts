import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { call, newItem, startTestApp, type TestApp } from './helpers.js';

let t: TestApp;
before(async () => {
  t = await startTestApp('conc');
});
after(async () => {
  await t?.close();
});

describe('optimistic concurrency', () => {
  it('of racing writers holding the same ETag exactly one wins, the others get 412', async () => {
    for (const method of ['PATCH', 'PUT', 'DELETE'] as const) {
      const c = await call(t.base, 'POST', '/items', newItem());
      const etag = c.headers.get('etag')!;
      const results = await Promise.all(
        Array.from({ length: 12 }, (_, i) => {
          const body = method === 'PATCH' ? { stock: i } : method === 'PUT' ? { ...newItem(), stock: i } : undefined;
          return call(t.base, method, `/items/${c.body.id}`, body, { 'if-match': etag });
        }),
      );
      const statuses = results.map((r) => r.status).sort();
      const ok = method === 'DELETE' ? 204 : 200;
      assert.equal(statuses.filter((s) => s === ok).length, 1, `${method}: ${statuses}`);
      // Losers of a PUT/PATCH race see a newer version (412); losers of a DELETE race find it gone (404).
      assert.equal(statuses.filter((s) => s === (method === 'DELETE' ? 404 : 412)).length, 11, `${method}: ${statuses}`);
    }
  });

  it('read-modify-write loops with If-Match never lose an update', async () => {
    const c = await call(t.base, 'POST', '/items', newItem({ stock: 0 }));
    const id = c.body.id;
    const writers = 4;
    const perWriter = 15;
    let conflicts = 0;
    await Promise.all(
      Array.from({ length: writers }, async () => {
        for (let done = 0; done < perWriter; ) {
          const g = await call(t.base, 'GET', `/items/${id}`);
          const p = await call(t.base, 'PATCH', `/items/${id}`, { stock: g.body.stock + 1 }, { 'if-match': g.headers.get('etag')! });
          if (p.status === 200) done++;
          else {
            assert.equal(p.status, 412, p.text);
            conflicts++;
          }
        }
      }),
    );
    const final = await call(t.base, 'GET', `/items/${id}`);
    assert.equal(final.body.stock, writers * perWriter);
    assert.equal(final.body.version, 1 + writers * perWriter);
    assert.ok(conflicts > 0, 'the writers did race');
  });
});
