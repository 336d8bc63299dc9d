/**
 * Monthly list-price estimate of the synthesized example, per stack and per resource kind:
 *
 *   node -r ts-node/register/transpile-only tools/cost/cost.ts [--cdk-out DIR] [--prices FILE] [--out FILE]
 *     [--no-write] [--requests N] [--captcha-share F] [--nat-gb N] ... (see --help)
 *
 * Prints the Markdown and writes it to docs/cost.md. Offline: prices come from the committed table.
 */
import * as fs from 'fs';
import * as path from 'path';
import { DEFAULT_USAGE, PriceTable, Usage } from './model';
import { buildReport, renderMarkdown, USAGE_DOC } from './report';
import { readTemplates } from '../diagram/cfn';
import { ensureSynthesized } from '../diagram/generate';

const ROOT = path.resolve(__dirname, '..', '..');
export const DEFAULT_PRICES = path.join(__dirname, 'prices.us-east-2.json');

/** The flag of each usage member: `natGb` → `nat-gb`. */
export const FLAGS = Object.fromEntries(
  Object.keys(DEFAULT_USAGE).map((k) => [k, k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)]),
) as Record<keyof Usage, string>;

export interface Options {
  readonly cdkOut: string;
  readonly prices: string;
  readonly out: string;
  readonly write: boolean;
  readonly usage: Usage;
}

export function parseArgs(argv: string[]): Options {
  let cdkOut = path.join(ROOT, 'example', 'cdk.out');
  let prices = DEFAULT_PRICES;
  let out = path.join(ROOT, 'docs', 'cost.md');
  let write = true;
  const usage: Record<string, number> = { ...DEFAULT_USAGE };
  const byFlag = new Map(Object.entries(FLAGS).map(([k, f]) => [`--${f}`, k]));
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) {
        throw new Error(`${a} needs a value`);
      }
      return v;
    };
    if (a === '--cdk-out') {
      cdkOut = path.resolve(value());
    } else if (a === '--prices') {
      prices = path.resolve(value());
    } else if (a === '--out') {
      out = path.resolve(value());
    } else if (a === '--no-write') {
      write = false;
    } else if (byFlag.has(a)) {
      const v = value();
      const n = Number(v);
      if (v.trim() === '' || !Number.isFinite(n) || n < 0) {
        throw new Error(`${a} must be a number of 0 or more, got: ${v}`);
      }
      usage[byFlag.get(a)!] = n;
    } else if (a === '--help' || a === '-h') {
      console.log(
        [
          'usage: cost.ts [--cdk-out DIR] [--prices FILE] [--out FILE] [--no-write] [usage flags]',
          '',
          ...Object.entries(FLAGS).map(
            ([k, f]) =>
              `  --${f} N`.padEnd(26) + `${USAGE_DOC[k as keyof Usage]} (default ${DEFAULT_USAGE[k as keyof Usage]})`,
          ),
        ].join('\n'),
      );
      process.exit(0);
    } else {
      throw new Error(`unknown argument: ${a}`);
    }
  }
  return { cdkOut, prices, out, write, usage: usage as unknown as Usage };
}

/** Reads a price table, failing with the file name when it lacks the shape the model needs. */
export function readPrices(file: string): PriceTable {
  const t = JSON.parse(fs.readFileSync(file, 'utf8')) as PriceTable;
  if (typeof t.hoursPerMonth !== 'number' || typeof t.prices !== 'object' || t.prices === null) {
    throw new Error(`${file}: a price table needs \`hoursPerMonth\` and \`prices\`.`);
  }
  for (const [k, p] of Object.entries(t.prices)) {
    if (typeof p.usd !== 'number' || !p.source || !p.date) {
      throw new Error(`${file}: price \`${k}\` needs \`usd\`, \`source\` and \`date\`, got: ${JSON.stringify(p)}`);
    }
  }
  return t;
}

function main(): void {
  const opts = parseArgs(process.argv.slice(2));
  ensureSynthesized(opts.cdkOut);
  const table = readPrices(opts.prices);
  const report = buildReport(readTemplates(opts.cdkOut), table, opts.usage);
  const md = renderMarkdown(report, table, opts.usage, FLAGS);
  process.stdout.write(md);
  if (opts.write) {
    fs.mkdirSync(path.dirname(opts.out), { recursive: true });
    fs.writeFileSync(opts.out, md);
    console.error(`wrote ${path.relative(process.cwd(), opts.out)}`);
  }
}

if (require.main === module) {
  try {
    main();
  } catch (e) {
    console.error((e as Error).message);
    process.exit(1);
  }
}
