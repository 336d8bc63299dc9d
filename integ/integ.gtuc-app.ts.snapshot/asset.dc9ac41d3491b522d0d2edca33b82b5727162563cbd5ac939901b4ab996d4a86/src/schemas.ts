import { z } from 'zod';

/**
 * Request and response shapes. These zod schemas validate every request AND
 * generate the OpenAPI document (src/openapi.ts), so the two cannot drift.
 */

const INT4_MAX = 2_147_483_647;

/** ISO 4217 codes known to the runtime's ICU data (about 300). */
export const CURRENCY_CODES: [string, ...string[]] = (() => {
  const codes = (Intl as unknown as { supportedValuesOf?: (k: string) => string[] }).supportedValuesOf?.('currency') ?? [];
  const list = codes.filter((c) => /^[A-Z]{3}$/.test(c));
  return (list.length > 0 ? list : ['EUR', 'USD', 'GBP', 'JPY', 'CHF']) as [string, ...string[]];
})();

/** Text that PostgreSQL can store: no NUL characters. */
const text = (min: number, max: number) =>
  z
    .string()
    .min(min)
    .max(max)
    .regex(/^[^\u0000]*$/, 'must not contain NUL characters');

export const Sku = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'letters, digits, ".", "_" or "-", starting with a letter or digit')
  .describe('Stock keeping unit, unique across the catalog');

export const ItemId = z.guid().describe('Item id (UUID)');

export const ItemInput = z
  .strictObject({
    sku: Sku,
    name: text(1, 200).describe('Display name'),
    description: text(0, 5000).optional().describe('Free text description (default empty)'),
    priceCents: z.int().min(0).max(INT4_MAX).describe('Price in minor units of the currency (integer, never a float)'),
    currency: z.enum(CURRENCY_CODES).describe('ISO 4217 currency code'),
    category: text(1, 100).describe('Category name'),
    stock: z.int().min(0).max(INT4_MAX).describe('Units in stock (>= 0)'),
  })
  .meta({ id: 'ItemInput', description: 'A complete item as sent by clients (POST and PUT)' });

export const ItemPatch = ItemInput.partial()
  .refine((v) => Object.keys(v).length > 0, { message: 'at least one field is required' })
  .meta({ id: 'ItemPatch', description: 'Fields to change (PATCH); at least one' });

export const Item = z
  .strictObject({
    id: ItemId,
    sku: Sku,
    name: z.string(),
    description: z.string(),
    priceCents: z.int().min(0),
    currency: z.string().regex(/^[A-Z]{3}$/),
    category: z.string(),
    stock: z.int().min(0),
    createdAt: z.iso.datetime().describe('Creation time (UTC, millisecond precision)'),
    updatedAt: z.iso.datetime().describe('Last change (UTC, millisecond precision)'),
    version: z.int().min(1).describe('Incremented by every change; also sent as the ETag'),
  })
  .meta({ id: 'Item', description: 'A catalog item' });

export const ItemPage = z
  .strictObject({
    items: z.array(Item),
    nextCursor: z.string().nullable().describe('Opaque cursor for the next page (pass as `cursor`), null on the last page'),
    limit: z.int(),
  })
  .meta({ id: 'ItemPage', description: 'One page of items' });

export const SORT_FIELDS = ['name', 'price', 'createdAt'] as const;
export const SORT_VALUES = SORT_FIELDS.flatMap((f) => [f, `-${f}`]) as [string, ...string[]];

export const ListQuery = z
  .strictObject({
    limit: z.coerce.number().int().min(1).max(100).default(20).describe('Page size, 1-100 (default 20)'),
    cursor: z.string().min(1).max(1024).optional().describe('Opaque cursor from the previous page'),
    category: text(1, 100).optional().describe('Only items of this category'),
    minPrice: z.coerce.number().int().min(0).max(INT4_MAX).optional().describe('Minimum priceCents (inclusive)'),
    maxPrice: z.coerce.number().int().min(0).max(INT4_MAX).optional().describe('Maximum priceCents (inclusive)'),
    inStock: z.enum(['true', 'false']).optional().describe('true: stock > 0; false: stock = 0'),
    q: text(1, 100).optional().describe('Case-insensitive substring search over name and description'),
    sort: z.enum(SORT_VALUES).default('-createdAt').describe('Sort field; prefix with "-" for descending (default -createdAt)'),
  })
  .refine((v) => v.minPrice === undefined || v.maxPrice === undefined || v.minPrice <= v.maxPrice, {
    message: 'minPrice must not exceed maxPrice',
    path: ['minPrice'],
  });
export type ListQuery = z.infer<typeof ListQuery>;

export const IdParams = z.strictObject({ id: ItemId });

export const ErrorBody = z
  .strictObject({
    error: z.strictObject({
      code: z.string().describe('Stable machine-readable code'),
      message: z.string(),
      details: z.array(z.unknown()).describe('Validation issues or other specifics; may be empty'),
    }),
  })
  .meta({ id: 'Error', description: 'Every error response has this shape' });

export const Health = z.strictObject({ status: z.string() }).meta({ id: 'Health' });
