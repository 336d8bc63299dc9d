// Benchmark peer: what a team gets by following Express 5's and Sequelize 6's own guides.
// A Sequelize model, findAll / findByPk / create, express.json(), res.json(); the only
// addition is a toJSON that maps the model to the API's JSON shape. No hand-written SQL.
import express from 'express';
import { DataTypes, Op, Sequelize } from 'sequelize';

const sequelize = new Sequelize(process.env.DATABASE_URL, { logging: false, pool: { max: Number(process.env.DB_POOL_MAX ?? 10) } });
const Item = sequelize.define(
  'Item',
  {
    id: { type: DataTypes.UUID, primaryKey: true, defaultValue: DataTypes.UUIDV4 },
    sku: { type: DataTypes.TEXT, allowNull: false },
    name: { type: DataTypes.TEXT, allowNull: false },
    description: { type: DataTypes.TEXT, allowNull: false, defaultValue: '' },
    priceCents: { type: DataTypes.INTEGER, field: 'price_cents' },
    currency: DataTypes.TEXT,
    category: DataTypes.TEXT,
    stock: DataTypes.INTEGER,
    version: { type: DataTypes.INTEGER, defaultValue: 1 },
    createdAt: { type: DataTypes.DATE, field: 'created_at' },
    updatedAt: { type: DataTypes.DATE, field: 'updated_at' },
  },
  { tableName: 'items', underscored: true },
);
Item.prototype.toJSON = function () {
  const v = this.get();
  return {
    id: v.id, sku: v.sku, name: v.name, description: v.description, priceCents: v.priceCents, currency: v.currency,
    category: v.category, stock: v.stock, createdAt: v.createdAt.toISOString(), updatedAt: v.updatedAt.toISOString(), version: v.version,
  };
};

const app = express();
app.use(express.json());
app.get('/healthz', (req, res) => res.json({ status: 'ok' }));
app.get('/items', async (req, res) => {
  const limit = Number(req.query.limit ?? 20);
  const rows = await Item.findAll({ order: [['createdAt', 'DESC'], ['id', 'DESC']], limit: limit + 1 });
  let nextCursor = null;
  if (rows.length > limit) {
    rows.length = limit;
    const last = rows[limit - 1].toJSON();
    nextCursor = Buffer.from(JSON.stringify(['-createdAt', last.createdAt, last.id])).toString('base64url');
  }
  res.json({ items: rows, nextCursor, limit });
});
app.get('/items/:id', async (req, res) => {
  const item = await Item.findByPk(req.params.id);
  if (!item) return res.status(404).json({ code: 'not_found' });
  res.set('ETag', `"${item.version}"`);
  if (req.fresh) return res.status(304).end();
  res.json(item);
});
app.post('/items', async (req, res) => {
  const item = await Item.create(req.body);
  res.status(201).location(`/items/${item.id}`).set('ETag', `"${item.version}"`).json(item);
});
const server = app.listen(Number(process.env.PORT ?? 8082), '127.0.0.1', () => {
  process.stdout.write(JSON.stringify({ msg: 'listening', port: server.address().port }) + '\n');
});
process.on('SIGTERM', () => server.close(() => sequelize.close().then(() => process.exit(0))));
void Op;
