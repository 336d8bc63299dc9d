import { z } from 'zod';

/**
 * Request and response shapes. These zod schemas validate every request AND
 * generate the OpenAPI document (src/openapi.ts), so the two cannot drift.
 */

const INT4_MAX = 2_147_483_647;

/**
 * ISO 4217 active currency codes (List One, as published after the 2025 amendments: XCG
 * replaces ANG, ZWG replaces ZWL, SLE replaces SLL; HRK withdrawn). Pinned here, not taken
 * from the runtime's Intl data, which includes withdrawn codes and changes with Node.
 * Fund codes, precious metals and testing codes (X.. other than the currencies below) are excluded.
 */
export const CURRENCY_CODES = [
  'AED', 'AFN', 'ALL', 'AMD', 'AOA', 'ARS', 'AUD', 'AWG', 'AZN', 'BAM', 'BBD', 'BDT', 'BHD', 'BIF', 'BMD', 'BND', 'BOB', 'BRL',
  'BSD', 'BTN', 'BWP', 'BYN', 'BZD', 'CAD', 'CDF', 'CHF', 'CLP', 'CNY', 'COP', 'CRC', 'CUP', 'CVE', 'CZK', 'DJF', 'DKK', 'DOP',
  'DZD', 'EGP', 'ERN', 'ETB', 'EUR', 'FJD', 'FKP', 'GBP', 'GEL', 'GHS', 'GIP', 'GMD', 'GNF', 'GTQ', 'GYD', 'HKD', 'HNL', 'HTG',
  'HUF', 'IDR', 'ILS', 'INR', 'IQD', 'IRR', 'ISK', 'JMD', 'JOD', 'JPY', 'KES', 'KGS', 'KHR', 'KMF', 'KPW', 'KRW', 'KWD', 'KYD',
  'KZT', 'LAK', 'LBP', 'LKR', 'LRD', 'LSL', 'LYD', 'MAD', 'MDL', 'MGA', 'MKD', 'MMK', 'MNT', 'MOP', 'MRU', 'MUR', 'MVR', 'MWK',
  'MXN', 'MYR', 'MZN', 'NAD', 'NGN', 'NIO', 'NOK', 'NPR', 'NZD', 'OMR', 'PAB', 'PEN', 'PGK', 'PHP', 'PKR', 'PLN', 'PYG', 'QAR',
  'RON', 'RSD', 'RUB', 'RWF', 'SAR', 'SBD', 'SCR', 'SDG', 'SEK', 'SGD', 'SHP', 'SLE', 'SOS', 'SRD', 'SSP', 'STN', 'SVC', 'SYP',
  'SZL', 'THB', 'TJS', 'TMT', 'TND', 'TOP', 'TRY', 'TTD', 'TWD', 'TZS', 'UAH', 'UGX', 'USD', 'UYU', 'UZS', 'VED', 'VES', 'VND',
  'VUV', 'WST', 'XAF', 'XCD', 'XCG', 'XOF', 'XPF', 'YER', 'ZAR', 'ZMW', 'ZWG',
] as const;

/** Text that PostgreSQL can store: valid Unicode (no lone surrogates), no NUL characters. */
const text = (min: number, max: number) =>
  z
    .string()
    .min(min)
    .max(max)
    .regex(/^[^\u0000]*$/, 'must not contain NUL characters')
    .refine((v) => (v as unknown as { isWellFormed(): boolean }).isWellFormed(), { message: 'must be valid Unicode (no lone surrogates)' });

/** A query integer: canonical decimal digits only (no sign, exponent, hex, spaces or leading zeros). */
const queryInt = (min: number, max: number) =>
  z
    .string()
    .regex(/^(0|[1-9][0-9]{0,9})$/, 'must be an integer in canonical decimal form (digits only, no sign, no leading zeros)')
    .transform(Number)
    .pipe(z.int().min(min).max(max));

/** Integer query parameters as the OpenAPI document shows them (on the wire they are digits). */
export const INTEGER_QUERY_PARAMS: Record<string, { minimum: number; maximum: number; default?: number }> = {
  limit: { minimum: 1, maximum: 100, default: 20 },
  minPrice: { minimum: 0, maximum: 2_147_483_647 },
  maxPrice: { minimum: 0, maximum: 2_147_483_647 },
};

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
    currency: z.enum(CURRENCY_CODES).describe('ISO 4217 currency code (active codes, pinned list)'),
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
    priceCents: z.int().min(0).max(INT4_MAX),
    currency: z.enum(CURRENCY_CODES),
    category: z.string(),
    stock: z.int().min(0).max(INT4_MAX),
    createdAt: z.iso.datetime().describe('Creation time (UTC, millisecond precision)'),
    updatedAt: z.iso.datetime().describe('Last change (UTC, millisecond precision)'),
    version: z.int().min(1).max(INT4_MAX).describe('Incremented by every change; also sent as the ETag'),
  })
  .meta({ id: 'Item', description: 'A catalog item' });

export const ItemPage = z
  .strictObject({
    items: z.array(Item),
    nextCursor: z.string().nullable().describe('Opaque cursor for the next page (pass as `cursor`), null on the last page'),
    limit: z.int().min(1).max(100),
  })
  .meta({ id: 'ItemPage', description: 'One page of items' });

export const SORT_FIELDS = ['name', 'price', 'createdAt'] as const;
export const SORT_VALUES = SORT_FIELDS.flatMap((f) => [f, `-${f}`]) as [string, ...string[]];

export const ListQuery = z
  .strictObject({
    limit: queryInt(1, 100).default(20).describe('Page size, 1-100 (default 20)'),
    cursor: z.string().min(1).max(1024).optional().describe('Opaque cursor from the previous page'),
    category: text(1, 100).optional().describe('Only items of this category'),
    minPrice: queryInt(0, INT4_MAX).optional().describe('Minimum priceCents (inclusive)'),
    maxPrice: queryInt(0, INT4_MAX).optional().describe('Maximum priceCents (inclusive)'),
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

export const FieldError = z
  .strictObject({
    in: z.enum(['body', 'query', 'path', 'header']),
    path: z.string().describe('Field name (dotted path in the body; the parameter or header name otherwise); empty for the whole body'),
    code: z.string(),
    message: z.string(),
  })
  .meta({ id: 'FieldError' });

export const ErrorBody = z
  .object({
    type: z.string().describe('URI identifying the problem type (urn:gtuc:items:problem:<code>)'),
    title: z.string().describe('The HTTP status phrase'),
    status: z.int().min(400).max(599),
    detail: z.string().describe('Human-readable explanation of this occurrence'),
    instance: z.string().optional().describe('The request path'),
    code: z.string().describe('Stable machine-readable code'),
    requestId: z.string().optional().describe('The request id (also in X-Request-Id)'),
    errors: z.array(FieldError).describe('Field-level issues (validation), may be empty'),
    currentVersion: z.int().optional().describe('412 only: the item version in force'),
    allow: z.array(z.string()).optional().describe('405 only: the methods the path allows'),
  })
  .meta({ id: 'Problem', description: 'RFC 9457 problem details: every error response (application/problem+json)' });

export const Health = z.strictObject({ status: z.string() }).meta({ id: 'Health' });
