import assert from 'node:assert/strict';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { pino } from 'pino';
import { Op, type WhereOptions } from 'sequelize';
import { toDto } from '../src/items/handlers.js';
import { fastIdParams, fastListQuery } from '../src/items/fast.js';
import { buildListStatement, listText, SORT_COLUMNS, parseSort, likePattern } from '../src/items/sql.js';
import { bufferDestination, createAccessLogger, createLogger, flushLogger, type AccessLine } from '../src/logger.js';
import type { ItemRow } from '../src/models/item.js';
import { IdParams, ListQuery, SORT_VALUES } from '../src/schemas.js';
import { seed } from '../src/seed.js';
import { call, newItem, startTestApp, type TestApp } from './helpers.js';

/**
 * The precompiled hot-path code must behave exactly like what it replaces: the validators like
 * the zod schemas, the raw-SQL list like the Sequelize model, the access log like pino.
 */

const queryValue = fc.oneof(
  fc.constantFrom(
    '',
    '0',
    '1',
    '20',
    '100',
    '101',
    '007',
    '1e1',
    '0x10',
    '+5',
    ' 5',
    '5 ',
    '-1',
    '2147483648',
    '99999999999',
  ),
  fc.constantFrom(...SORT_VALUES, 'NAME', '-', 'price ', '--name'),
  fc.integer({ min: -5, max: 200 }).map(String),
  fc.string({ maxLength: 8 }),
  fc.string({ minLength: 1020, maxLength: 1030 }),
);
const queryKey = fc.constantFrom(
  'limit',
  'sort',
  'cursor',
  'category',
  'minPrice',
  'maxPrice',
  'inStock',
  'q',
  'other',
  '__proto__',
  'constructor',
);
const rawQuery = fc.dictionary(
  queryKey,
  fc.oneof(
    { weight: 8, arbitrary: queryValue },
    { weight: 1, arbitrary: fc.array(queryValue, { minLength: 2, maxLength: 3 }) },
  ),
  { maxKeys: 4 },
);

describe('precompiled validators', () => {
  it('fastListQuery accepts only what ListQuery accepts, with the same value', () => {
    let fastHits = 0;
    fc.assert(
      fc.property(rawQuery, (q) => {
        const fast = fastListQuery(q);
        const slow = ListQuery.safeParse(q);
        if (fast === undefined) return;
        fastHits++;
        assert.ok(slow.success, `fast path accepted ${JSON.stringify(q)}, the schema rejects it`);
        assert.deepEqual({ ...fast }, { ...slow.data });
      }),
      { numRuns: 3000 },
    );
    assert.ok(fastHits > 100, `the fast path was taken ${fastHits} times`);
  });

  it('fastListQuery takes the common pagination queries', () => {
    assert.deepEqual(fastListQuery({}), { limit: 20, sort: '-createdAt' });
    assert.deepEqual(fastListQuery({ limit: '20' }), { limit: 20, sort: '-createdAt' });
    assert.deepEqual(fastListQuery({ limit: '5', sort: 'price', cursor: 'abc' }), {
      limit: 5,
      cursor: 'abc',
      sort: 'price',
    });
    assert.equal(fastListQuery({ limit: '0' }), undefined);
    assert.equal(fastListQuery({ category: 'x' }), undefined);
    assert.equal(fastListQuery({ limit: ['1', '2'] }), undefined);
  });

  it('fastIdParams accepts only what IdParams accepts, with the same id', () => {
    const id = fc.oneof(
      fc.uuid(),
      fc.uuid().map((u) => u.toUpperCase()),
      fc.uuid().map((u) => u.slice(1)),
      fc.uuid().map((u) => u + '0'),
      fc.uuid().map((u) => u.replace(/-/g, '')),
      fc.uuid().map((u) => 'g' + u.slice(1)),
      fc.uuid().map((u) => ' ' + u),
      fc.uuid().map((u) => u + '\n'),
      fc.string({ maxLength: 40 }),
      fc.constant('00000000-0000-0000-0000-000000000000'),
    );
    const params = fc.oneof(
      { weight: 6, arbitrary: id.map((v) => ({ id: v })) },
      { weight: 1, arbitrary: fc.record({ id, other: fc.string() }) },
      { weight: 1, arbitrary: fc.constant({}) },
    );
    let hits = 0;
    fc.assert(
      fc.property(params, (p) => {
        const slow = IdParams.safeParse(p);
        const fast = fastIdParams(p as Record<string, unknown>);
        if (fast !== undefined) hits++;
        if (slow.success) assert.equal(fast ?? slow.data.id, slow.data.id);
        else assert.equal(fast, undefined, `fast path accepted ${JSON.stringify(p)}, the schema rejects it`);
      }),
      { numRuns: 3000 },
    );
    assert.ok(hits > 500);
  });
});

describe('list statements', () => {
  it('one SQL text per query shape; placeholders match the values', () => {
    const shapeQuery = fc.record(
      {
        limit: fc.integer({ min: 1, max: 100 }),
        sort: fc.constantFrom(...SORT_VALUES),
        category: fc.string({ minLength: 1, maxLength: 5 }),
        minPrice: fc.integer({ min: 0, max: 1000 }),
        maxPrice: fc.integer({ min: 1000, max: 5000 }),
        inStock: fc.constantFrom('true', 'false'),
        q: fc.string({ minLength: 1, maxLength: 5 }),
      },
      { requiredKeys: ['limit', 'sort'] },
    );
    fc.assert(
      fc.property(shapeQuery, fc.boolean(), (q, withCursor) => {
        const query = q as ListQuery;
        const cursor = withCursor
          ? { sort: query.sort, value: 'x', id: '00000000-0000-4000-8000-000000000000' }
          : undefined;
        const a = buildListStatement(query, cursor);
        const b = buildListStatement(query, cursor);
        assert.equal(a.text, listText(query, withCursor));
        assert.equal(a.text, b.text);
        assert.equal(a.name, b.name);
        const placeholders = new Set([...a.text.matchAll(/\$(\d+)/g)].map((m) => Number(m[1])));
        assert.equal(placeholders.size, a.values.length, a.text);
        assert.equal(a.values[a.values.length - 1], query.limit + 1);
      }),
      { numRuns: 500 },
    );
  });
});

describe('raw-SQL list against the Sequelize model', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp('fastpaths');
    await seed(t.db.sequelize, 40);
    // Ties on name and price, so the id tie-break decides the order.
    for (let i = 0; i < 12; i++) {
      const r = await call(
        t.base,
        'POST',
        '/items',
        newItem({
          name: i % 2 ? 'Same name' : 'Zebra 100% _match_',
          priceCents: 500,
          stock: i % 3,
          category: i % 2 ? 'tie' : 'other',
        }),
      );
      assert.equal(r.status, 201, r.text);
    }
  });
  after(async () => {
    await t?.close();
  });

  /** What the Sequelize model returns for a query, in the API's shape. */
  async function viaSequelize(q: Record<string, string>): Promise<Record<string, unknown>[]> {
    const where: Record<string | symbol, unknown> = {};
    if (q.category !== undefined) where.category = q.category;
    if (q.minPrice !== undefined || q.maxPrice !== undefined) {
      where.priceCents = {
        ...(q.minPrice !== undefined ? { [Op.gte]: Number(q.minPrice) } : {}),
        ...(q.maxPrice !== undefined ? { [Op.lte]: Number(q.maxPrice) } : {}),
      };
    }
    if (q.inStock !== undefined) where.stock = q.inStock === 'true' ? { [Op.gt]: 0 } : 0;
    if (q.q !== undefined)
      where[Op.or] = [{ name: { [Op.iLike]: likePattern(q.q) } }, { description: { [Op.iLike]: likePattern(q.q) } }];
    const { key, desc } = parseSort(q.sort ?? '-createdAt');
    const attr = ({ name: 'name', price: 'priceCents', createdAt: 'createdAt' } as const)[key];
    assert.ok(SORT_COLUMNS[key]);
    const rows = await t.db.Item.findAll({
      where: where as WhereOptions<ItemRow>,
      order: [
        [attr, desc ? 'DESC' : 'ASC'],
        ['id', desc ? 'DESC' : 'ASC'],
      ],
    });
    return rows.map(toDto);
  }

  const listQuery = fc.record(
    {
      limit: fc.integer({ min: 1, max: 9 }).map(String),
      sort: fc.constantFrom(...SORT_VALUES),
      category: fc.constantFrom('tie', 'other', 'tools'),
      minPrice: fc.constantFrom('0', '500', '1000'),
      maxPrice: fc.constantFrom('500', '5000'),
      inStock: fc.constantFrom('true', 'false'),
      q: fc.constantFrom('same', '100%', '_match_', 'e'),
    },
    { requiredKeys: [] },
  );

  it('every page, its order, its cursors and Link headers equal the Sequelize result', async () => {
    let rowsCompared = 0;
    let multiPage = 0;
    const check = async (q: Record<string, string>) => {
      const expected = await viaSequelize(q);
      const got: unknown[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const params = new URLSearchParams(q as Record<string, string>);
        if (cursor) params.set('cursor', cursor);
        const r = await call(t.base, 'GET', `/items?${params}`);
        assert.equal(r.status, 200, r.text);
        const limit = Number(q.limit ?? 20);
        assert.equal(r.body.limit, limit);
        got.push(...r.body.items);
        cursor = r.body.nextCursor;
        const link = r.headers.get('link');
        if (cursor === null) assert.equal(link, null);
        else {
          params.set('cursor', cursor);
          assert.equal(link, `</items?${params}>; rel="next"`);
          assert.equal(r.body.items.length, limit);
        }
        pages++;
      } while (cursor && pages < 60);
      assert.deepEqual(got, expected, `query ${JSON.stringify(q)}`);
      rowsCompared += got.length;
      if (pages > 1) multiPage++;
    };
    // The pagination-only queries (the validators' fast path), every sort, several page sizes.
    for (const sort of SORT_VALUES) for (const limit of ['1', '7', '20', '100']) await check({ sort, limit });
    await check({});
    // With filters and search (the schema path).
    await fc.assert(
      fc.asyncProperty(listQuery, async (q) => {
        if (q.minPrice !== undefined && q.maxPrice !== undefined && Number(q.minPrice) > Number(q.maxPrice)) return;
        await check(q);
      }),
      { numRuns: 60 },
    );
    assert.ok(rowsCompared > 1000, `${rowsCompared} rows compared`);
    assert.ok(multiPage >= 18, `${multiPage} queries had several pages`);
  });

  it('GET /items/:id returns the same JSON as the model', async () => {
    const rows = await t.db.Item.findAll({ limit: 10 });
    for (const row of rows) {
      const r = await call(t.base, 'GET', `/items/${row.id}`);
      assert.equal(r.text, JSON.stringify(toDto(row)));
      const upper = await call(t.base, 'GET', `/items/${row.id.toUpperCase()}`);
      assert.equal(upper.text, r.text, 'an upper-case id finds the same item');
    }
  });
});

describe('access log', () => {
  function memory() {
    const chunks: string[] = [];
    const stream = new Writable({
      write(chunk, _enc, cb) {
        chunks.push(chunk.toString());
        cb();
      },
    });
    return { stream, text: () => chunks.join('') };
  }
  /** pino's own line for the same fields (the form the access log had before). */
  function pinoLine(level: 'info' | 'error', l: AccessLine): string {
    const m = memory();
    const p = pino(
      {
        base: { service: 'items-service' },
        timestamp: pino.stdTimeFunctions.isoTime,
        formatters: { level: (label) => ({ level: label }) },
      },
      m.stream,
    );
    p[level](
      {
        reqId: l.reqId,
        traceId: l.traceId,
        amznTraceId: l.amznTraceId,
        method: l.method,
        path: l.path,
        status: l.status,
        ms: l.ms,
        aborted: l.aborted || undefined,
      },
      'request',
    );
    return m.text();
  }
  const noTime = (s: string) => s.replace(/"time":"[^"]+"/, '"time":"T"');
  /** What reaches a log line from Node's parser: latin1 text, plus some other BMP characters. */
  const text = fc.string({
    unit: fc
      .oneof(fc.integer({ min: 0, max: 0xff }), fc.integer({ min: 0x100, max: 0xd7ff }))
      .map((c) => String.fromCharCode(c)),
    maxLength: 120,
  });

  it('writes byte for byte the line pino wrote', () => {
    fc.assert(
      fc.property(
        fc.record(
          {
            reqId: text,
            traceId: text,
            amznTraceId: text,
            method: fc.constantFrom('GET', 'POST', 'M-"\\'),
            path: text,
            status: fc.integer({ min: 100, max: 599 }),
            ms: fc.integer({ min: 0, max: 1e7 }).map((n) => n / 10),
            aborted: fc.boolean(),
          },
          { requiredKeys: ['reqId', 'method', 'path', 'status', 'ms'] },
        ),
        fc.constantFrom('info' as const, 'error' as const),
        (l, level) => {
          const m = memory();
          const before = Date.now();
          createAccessLogger(createLogger('info', m.stream)).write(level, l);
          const line = m.text();
          assert.equal(noTime(line), noTime(pinoLine(level, l)));
          const t = Date.parse((JSON.parse(line) as { time: string }).time);
          assert.ok(t >= before && t <= Date.now());
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('escapes a lone surrogate (pino would have written it raw, as invalid UTF-8)', () => {
    const m = memory();
    createAccessLogger(createLogger('info', m.stream)).write('info', {
      reqId: 'r',
      method: 'GET',
      path: '/a\ud800b',
      status: 200,
      ms: 1,
    });
    assert.equal((JSON.parse(m.text()) as { path: string }).path, '/a\ud800b');
  });

  it('honours the level', () => {
    const m = memory();
    const a = createAccessLogger(createLogger('warn', m.stream));
    assert.equal(a.infoEnabled, false);
    assert.equal(a.errorEnabled, true);
  });
});

describe('log destination', () => {
  it('keeps every line whole and in order, through pino and the access log', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'items-log-'));
    try {
      const file = path.join(dir, 'out.log');
      const dest = bufferDestination(openSync(file, 'w'), false, 4096);
      const logger = createLogger('info', dest);
      const access = createAccessLogger(logger);
      const expected: string[] = [];
      for (let i = 0; i < 3000; i++) {
        if (i % 7 === 0) {
          logger.warn({ i, text: `ünïcødé ✓ ${i}` }, 'warning');
          expected.push(`warning ${i}`);
        } else {
          access.write('info', { reqId: `r${i}`, method: 'GET', path: `/items/ü${i}`, status: 200, ms: i / 10 });
          expected.push(`request r${i}`);
        }
        if (i % 500 === 0) await new Promise((r) => setImmediate(r));
      }
      await new Promise((resolve) => {
        dest.once('close', resolve);
        dest.end();
      });
      const lines = readFileSync(file, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Record<string, unknown>);
      assert.deepEqual(
        lines.map((l) => (l.msg === 'warning' ? `warning ${l.i}` : `request ${l.reqId}`)),
        expected,
      );
      assert.equal(lines[7]!.text, 'ünïcødé ✓ 7');
      assert.equal(lines[1]!.path, '/items/ü1');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('flushLogger writes what is buffered at once', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'items-log-'));
    try {
      const file = path.join(dir, 'out.log');
      const fd = openSync(file, 'w');
      const logger = createLogger('info', bufferDestination(fd, false, 4096));
      for (let i = 0; i < 10; i++)
        createAccessLogger(logger).write('error', { reqId: `r${i}`, method: 'GET', path: '/x', status: 500, ms: 1 });
      assert.equal(readFileSync(file, 'utf8'), '', 'below the buffer size nothing is written yet');
      flushLogger(logger);
      const lines = readFileSync(file, 'utf8').split('\n').filter(Boolean);
      assert.deepEqual(
        lines.map((l) => (JSON.parse(l) as { reqId: string; level: string }).reqId),
        Array.from({ length: 10 }, (_, i) => `r${i}`),
      );
      closeSync(fd);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
