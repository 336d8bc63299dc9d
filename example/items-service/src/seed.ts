import type { Sequelize } from 'sequelize';

const CATEGORIES: Record<string, { nouns: string[]; adjectives: string[]; price: [number, number] }> = {
  books: { nouns: ['Novel', 'Cookbook', 'Atlas', 'Field Guide', 'Anthology', 'Biography'], adjectives: ['Illustrated', 'Annotated', 'Pocket', 'Collector\'s', 'Revised'], price: [799, 4999] },
  electronics: { nouns: ['Headphones', 'Charger', 'Keyboard', 'Webcam', 'Speaker', 'Monitor Arm'], adjectives: ['Wireless', 'Compact', 'Pro', 'Ergonomic', 'Noise-Cancelling'], price: [1499, 39999] },
  kitchen: { nouns: ['Chef Knife', 'Skillet', 'Kettle', 'Cutting Board', 'Espresso Cups', 'Dutch Oven'], adjectives: ['Cast-Iron', 'Bamboo', 'Stainless', 'Enamelled', 'Ceramic'], price: [999, 24999] },
  garden: { nouns: ['Pruning Shears', 'Hose', 'Planter', 'Seed Kit', 'Rake', 'Watering Can'], adjectives: ['Heavy-Duty', 'Galvanised', 'Terracotta', 'Organic', 'Foldable'], price: [499, 12999] },
  outdoor: { nouns: ['Tent', 'Backpack', 'Headlamp', 'Sleeping Bag', 'Water Filter', 'Trekking Poles'], adjectives: ['Ultralight', 'Waterproof', '3-Season', 'Insulated', 'Packable'], price: [1999, 59999] },
  toys: { nouns: ['Puzzle', 'Building Set', 'Board Game', 'Kite', 'Plush Fox', 'Marble Run'], adjectives: ['Wooden', 'Deluxe', 'Family', 'Glow-in-the-Dark', 'Classic'], price: [599, 8999] },
};
const COLOURS = ['Slate', 'Ivory', 'Forest', 'Ocean', 'Sand', 'Crimson', 'Graphite', 'Amber'];
const CURRENCIES = ['EUR', 'EUR', 'EUR', 'USD', 'GBP', 'CHF'];

/** Deterministic pseudo-random numbers so the sample catalog is the same on every run. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface SampleItem {
  sku: string;
  name: string;
  description: string;
  priceCents: number;
  currency: string;
  category: string;
  stock: number;
}

/** The n-th..(n+count)-th items of the deterministic sample catalog. */
export function sampleItems(count: number, offset = 0): SampleItem[] {
  const cats = Object.keys(CATEGORIES);
  const out: SampleItem[] = [];
  for (let i = offset; i < offset + count; i++) {
    const r = rng(i + 1);
    const category = cats[i % cats.length]!;
    const c = CATEGORIES[category]!;
    const noun = c.nouns[Math.floor(r() * c.nouns.length)]!;
    const adj = c.adjectives[Math.floor(r() * c.adjectives.length)]!;
    const colour = COLOURS[Math.floor(r() * COLOURS.length)]!;
    const [lo, hi] = c.price;
    const priceCents = Math.round((lo + r() * (hi - lo)) / 100) * 100 - 1; // x.99 prices
    out.push({
      sku: `${category.slice(0, 3).toUpperCase()}-${String(i + 1).padStart(6, '0')}`,
      name: `${adj} ${colour} ${noun}`,
      description: `${adj} ${noun.toLowerCase()} in ${colour.toLowerCase()}, from our ${category} range. Item ${i + 1} of the sample catalog.`,
      priceCents: Math.max(99, priceCents),
      currency: CURRENCIES[Math.floor(r() * CURRENCIES.length)]!,
      category,
      stock: r() < 0.15 ? 0 : Math.floor(r() * 500),
    });
  }
  return out;
}

/**
 * Loads the sample catalog. Idempotent: rows are keyed by SKU and existing
 * SKUs are left alone (ON CONFLICT DO NOTHING), so running it twice changes nothing.
 * Returns the number of rows inserted.
 */
export async function seed(sequelize: Sequelize, count = 200): Promise<number> {
  let inserted = 0;
  const batch = 1000;
  for (let off = 0; off < count; off += batch) {
    const items = sampleItems(Math.min(batch, count - off), off);
    const [, affected] = await sequelize.query(
      `INSERT INTO items (sku, name, description, price_cents, currency, category, stock)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::text[], $6::text[], $7::int[])
       ON CONFLICT ((lower(sku))) DO NOTHING`,
      {
        bind: [
          items.map((x) => x.sku),
          items.map((x) => x.name),
          items.map((x) => x.description),
          items.map((x) => x.priceCents),
          items.map((x) => x.currency),
          items.map((x) => x.category),
          items.map((x) => x.stock),
        ],
      },
    );
    inserted += typeof affected === 'number' ? affected : ((affected as { rowCount?: number })?.rowCount ?? 0);
  }
  return inserted;
}
