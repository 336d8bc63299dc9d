import type { MigrationFn } from '../migrate.js';
import * as m0001 from './0001-create-items.js';
import * as m0002 from './0002-trigram-search.js';
import * as m0003 from './0003-sku-case-insensitive.js';

/** All migrations, in order. Add new ones at the end; never edit one that has shipped. */
export const MIGRATIONS: ReadonlyArray<{ name: string; up: MigrationFn; down: MigrationFn }> = [
  { name: '0001-create-items', ...m0001 },
  { name: '0002-trigram-search', ...m0002 },
  { name: '0003-sku-case-insensitive', ...m0003 },
];
