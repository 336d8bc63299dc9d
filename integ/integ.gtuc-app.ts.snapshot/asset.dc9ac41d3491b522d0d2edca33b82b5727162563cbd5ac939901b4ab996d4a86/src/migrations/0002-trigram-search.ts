import type { MigrationFn } from '../migrate.js';

export const up: MigrationFn = async ({ context: qi }) => {
  // pg_trgm is a trusted extension (PostgreSQL >= 13): the database owner may create it;
  // on Aurora the master user (rds_superuser) can as well.
  await qi.sequelize.query('CREATE EXTENSION IF NOT EXISTS pg_trgm');
  await qi.sequelize.query('CREATE INDEX items_name_trgm_idx ON items USING gin (name gin_trgm_ops)');
  await qi.sequelize.query('CREATE INDEX items_description_trgm_idx ON items USING gin (description gin_trgm_ops)');
};

export const down: MigrationFn = async ({ context: qi }) => {
  await qi.sequelize.query('DROP INDEX items_description_trgm_idx');
  await qi.sequelize.query('DROP INDEX items_name_trgm_idx');
};
