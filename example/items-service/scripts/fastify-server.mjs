// Benchmark peer: Fastify 5 + pg as Fastify's docs recommend: route schemas (response
// serialization with fast-json-stringify, body validation with Ajv), same SQL as the service.
import Fastify from 'fastify';
import pg from 'pg';

const ISO = `'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'`;
const COLUMNS =
  `id, sku, name, description, price_cents AS "priceCents", currency, category, stock, ` +
  `to_char(created_at AT TIME ZONE 'UTC', ${ISO}) AS "createdAt", ` +
  `to_char(updated_at AT TIME ZONE 'UTC', ${ISO}) AS "updatedAt", version`;
const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.DB_POOL_MAX ?? 10) });
pool.on('error', () => {});

const item = {
  type: 'object',
  properties: {
    id: { type: 'string' }, sku: { type: 'string' }, name: { type: 'string' }, description: { type: 'string' },
    priceCents: { type: 'integer' }, currency: { type: 'string' }, category: { type: 'string' }, stock: { type: 'integer' },
    createdAt: { type: 'string' }, updatedAt: { type: 'string' }, version: { type: 'integer' },
  },
};
const input = {
  type: 'object',
  additionalProperties: false,
  required: ['sku', 'name', 'priceCents', 'currency', 'category', 'stock'],
  properties: {
    sku: { type: 'string', minLength: 1, maxLength: 64 }, name: { type: 'string', minLength: 1, maxLength: 200 },
    description: { type: 'string', maxLength: 5000 }, priceCents: { type: 'integer', minimum: 0 }, currency: { type: 'string', pattern: '^[A-Z]{3}$' },
    category: { type: 'string', minLength: 1, maxLength: 100 }, stock: { type: 'integer', minimum: 0 },
  },
};

const app = Fastify({ logger: false });
app.get('/healthz', async () => ({ status: 'ok' }));
app.get('/items', {
  schema: {
    querystring: { type: 'object', properties: { limit: { type: 'integer', minimum: 1, maximum: 100, default: 20 } } },
    response: { 200: { type: 'object', properties: { items: { type: 'array', items: item }, nextCursor: { type: ['string', 'null'] }, limit: { type: 'integer' } } } },
  },
}, async (req) => {
  const { limit } = req.query;
  const { rows } = await pool.query({ name: 'list', text: `SELECT ${COLUMNS} FROM items ORDER BY created_at DESC, id DESC LIMIT $1`, values: [limit + 1] });
  let nextCursor = null;
  if (rows.length > limit) {
    rows.length = limit;
    const last = rows[limit - 1];
    nextCursor = Buffer.from(JSON.stringify(['-createdAt', last.createdAt, last.id])).toString('base64url');
  }
  return { items: rows, nextCursor, limit };
});
app.get('/items/:id', { schema: { params: { type: 'object', properties: { id: { type: 'string', format: 'uuid' } } }, response: { 200: item } } }, async (req, reply) => {
  const { rows } = await pool.query({ name: 'get', text: `SELECT ${COLUMNS} FROM items WHERE id = $1`, values: [req.params.id] });
  if (!rows[0]) return reply.code(404).send({ code: 'not_found' });
  const etag = `"${rows[0].version}"`;
  reply.header('etag', etag);
  if (req.headers['if-none-match'] === etag) return reply.code(304).send();
  return rows[0];
});
app.post('/items', { schema: { body: input, response: { 201: item } } }, async (req, reply) => {
  const b = req.body;
  const { rows } = await pool.query({
    name: 'create',
    text: `INSERT INTO items (sku, name, description, price_cents, currency, category, stock) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${COLUMNS}`,
    values: [b.sku, b.name, b.description ?? '', b.priceCents, b.currency, b.category, b.stock],
  });
  reply.code(201).header('location', `/items/${rows[0].id}`).header('etag', `"${rows[0].version}"`);
  return rows[0];
});
const address = await app.listen({ port: Number(process.env.PORT ?? 8083), host: '127.0.0.1' });
process.stdout.write(JSON.stringify({ msg: 'listening', port: Number(new URL(address).port) }) + '\n');
process.on('SIGTERM', () => app.close().then(() => pool.end()).then(() => process.exit(0)));
