// Benchmark reference: a bare node:http + pg server that runs the same SQL as
// the service's hot paths (same columns, filter, order, limit) and returns the
// same JSON. No framework, no validation library, no logging.
import http from 'node:http';
import pg from 'pg';

const ISO = `'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'`;
const COLUMNS =
  `id, sku, name, description, price_cents AS "priceCents", currency, category, stock, ` +
  `to_char(created_at AT TIME ZONE 'UTC', ${ISO}) AS "createdAt", ` +
  `to_char(updated_at AT TIME ZONE 'UTC', ${ISO}) AS "updatedAt", version`;
const LIST_SQL = `SELECT ${COLUMNS} FROM items ORDER BY created_at DESC, id DESC LIMIT $1`;
const GET_SQL = `SELECT ${COLUMNS} FROM items WHERE id = $1`;
const INSERT_SQL = `INSERT INTO items (sku, name, description, price_cents, currency, category, stock) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${COLUMNS}`;
const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.DB_POOL_MAX ?? 10) });
pool.on('error', () => {});

function send(res, status, body, headers = {}) {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body), ...headers });
  res.end(body);
}

const server = http.createServer(async (req, res) => {
  try {
    const q = req.url.indexOf('?');
    const path = q === -1 ? req.url : req.url.slice(0, q);
    if (req.method === 'GET' && path === '/items') {
      const limit = Number(new URLSearchParams(q === -1 ? '' : req.url.slice(q + 1)).get('limit') ?? 20);
      const { rows } = await pool.query(LIST_SQL, [limit + 1]);
      let next = null;
      if (rows.length > limit) {
        rows.length = limit;
        const last = rows[limit - 1];
        next = Buffer.from(JSON.stringify(['-createdAt', last.createdAt, last.id])).toString('base64url');
      }
      send(res, 200, JSON.stringify({ items: rows, nextCursor: next, limit }));
    } else if (req.method === 'GET' && path.startsWith('/items/') && UUID.test(path.slice(7))) {
      const { rows } = await pool.query(GET_SQL, [path.slice(7)]);
      if (rows.length === 0) send(res, 404, '{"code":"not_found"}');
      else {
        const etag = `"${rows[0].version}"`;
        if (req.headers['if-none-match'] === etag) {
          res.writeHead(304, { etag });
          res.end();
        } else send(res, 200, JSON.stringify(rows[0]), { etag });
      }
    } else if (req.method === 'POST' && path === '/items') {
      let body = '';
      for await (const c of req) body += c;
      const b = JSON.parse(body);
      const { rows } = await pool.query(INSERT_SQL, [b.sku, b.name, b.description ?? '', b.priceCents, b.currency, b.category, b.stock]);
      send(res, 201, JSON.stringify(rows[0]), { location: `/items/${rows[0].id}`, etag: `"${rows[0].version}"` });
    } else if (path === '/healthz') {
      send(res, 200, '{"status":"ok"}');
    } else {
      send(res, 404, '{"code":"not_found"}');
    }
  } catch (err) {
    send(res, 500, JSON.stringify({ error: { code: 'internal', message: String(err.message), details: [] } }));
  }
});
server.keepAliveTimeout = 65_000;
server.listen(Number(process.env.PORT ?? 8081), '127.0.0.1', () => {
  process.stdout.write(JSON.stringify({ msg: 'listening', port: server.address().port }) + '\n');
});
process.on('SIGTERM', () => server.close(() => pool.end().then(() => process.exit(0))));
