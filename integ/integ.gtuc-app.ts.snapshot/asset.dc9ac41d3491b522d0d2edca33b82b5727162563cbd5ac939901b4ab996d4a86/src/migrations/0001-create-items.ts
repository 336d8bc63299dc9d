import type { MigrationFn } from '../migrate.js';

export const up: MigrationFn = async ({ context: qi }) => {
  // Plain CREATE (no IF NOT EXISTS): running this migration twice would fail,
  // which is what the concurrent-migrator test relies on to prove it ran once.
  await qi.sequelize.query(`
    CREATE TABLE items (
      id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      sku         text NOT NULL,
      name        text NOT NULL,
      description text NOT NULL DEFAULT '',
      price_cents integer NOT NULL CHECK (price_cents >= 0),
      currency    text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
      category    text NOT NULL,
      stock       integer NOT NULL CHECK (stock >= 0),
      version     integer NOT NULL DEFAULT 1 CHECK (version >= 1),
      created_at  timestamp(3) with time zone NOT NULL DEFAULT now(),
      updated_at  timestamp(3) with time zone NOT NULL DEFAULT now(),
      CONSTRAINT items_sku_key UNIQUE (sku)
    )`);
  // Keyset pagination indexes: (sort column, id) for each sortable column.
  await qi.sequelize.query('CREATE INDEX items_created_at_id_idx ON items (created_at, id)');
  await qi.sequelize.query('CREATE INDEX items_name_id_idx ON items (name, id)');
  await qi.sequelize.query('CREATE INDEX items_price_id_idx ON items (price_cents, id)');
  await qi.sequelize.query('CREATE INDEX items_category_idx ON items (category)');
};

export const down: MigrationFn = async ({ context: qi }) => {
  await qi.sequelize.query('DROP TABLE items');
};
