import type { MigrationFn } from '../migrate.js';

/**
 * SKUs are unique regardless of case (`QA-1` and `qa-1` are the same SKU). The
 * expression index replaces the case-sensitive constraint; it fails (and the
 * migration with it) if the table already holds SKUs that differ only in case.
 */
export const up: MigrationFn = async ({ context: qi }) => {
  await qi.sequelize.query('CREATE UNIQUE INDEX items_sku_lower_key ON items (lower(sku))');
  await qi.sequelize.query('ALTER TABLE items DROP CONSTRAINT items_sku_key');
};

export const down: MigrationFn = async ({ context: qi }) => {
  await qi.sequelize.query('ALTER TABLE items ADD CONSTRAINT items_sku_key UNIQUE (sku)');
  await qi.sequelize.query('DROP INDEX items_sku_lower_key');
};
