/**
 * The cost report: an idle estimate and a usage estimate joined line by line, as Markdown tables.
 */
import { estimate, Estimate, IDLE, Line, PriceTable, Usage } from './model';
import { Templates } from '../diagram/cfn';

export interface Row {
  readonly stack: string;
  readonly kind: string;
  readonly item: string;
  readonly priceKey: string;
  readonly usd: number;
  readonly idleQuantity: number;
  readonly quantity: number;
  readonly idle: number;
  readonly monthly: number;
}

export interface Report {
  readonly rows: Row[];
  readonly byStack: Array<{ stack: string; idle: number; monthly: number }>;
  readonly byKind: Array<{ kind: string; idle: number; monthly: number }>;
  readonly idleTotal: number;
  readonly total: number;
  readonly usage: Estimate;
  readonly savings: Array<{ what: string; saves: number }>;
}

const lineId = (l: Line): string => `${l.stack}\u0000${l.kind}\u0000${l.item}\u0000${l.priceKey}`;

/** Prices the templates idle and under `usage`, joined line by line. */
export function buildReport(templates: Templates, table: PriceTable, usage: Usage): Report {
  const idle = estimate(templates, table, IDLE);
  const used = estimate(templates, table, usage);
  const idleLines = new Map(idle.lines.map((l) => [lineId(l), l]));
  const rows: Row[] = used.lines.map((l) => {
    const i = idleLines.get(lineId(l));
    return { ...l, idleQuantity: i?.quantity ?? 0, idle: i?.monthly ?? 0 };
  });
  const sum = <K extends 'stack' | 'kind'>(k: K) => {
    const m = new Map<string, { idle: number; monthly: number }>();
    for (const r of rows) {
      const e = m.get(r[k]) ?? { idle: 0, monthly: 0 };
      m.set(r[k], { idle: e.idle + r.idle, monthly: e.monthly + r.monthly });
    }
    return [...m.entries()].map(([name, v]) => ({ name, ...v }));
  };
  const byStack = sum('stack')
    .map(({ name, ...v }) => ({ stack: name, ...v }))
    .sort((a, b) => a.stack.localeCompare(b.stack));
  const byKind = sum('kind')
    .map(({ name, ...v }) => ({ kind: name, ...v }))
    .sort((a, b) => b.idle - a.idle || b.monthly - a.monthly || a.kind.localeCompare(b.kind));
  const idleTotal = rows.reduce((s, r) => s + r.idle, 0);
  const total = rows.reduce((s, r) => s + r.monthly, 0);
  return { rows, byStack, byKind, idleTotal, total, usage: used, savings: savings(rows, table) };
}

/** What the usual levers would save on the idle bill, computed from the rows (nothing hard-coded). */
function savings(rows: Row[], table: PriceTable): Array<{ what: string; saves: number }> {
  const out: Array<{ what: string; saves: number }> = [];
  const hours = table.hoursPerMonth;
  const eni = rows.filter((r) => r.priceKey === 'endpoint.eni.hour');
  if (eni.length > 0) {
    const total = eni.reduce((s, r) => s + r.idle, 0);
    const enis = eni.reduce((s, r) => s + r.idleQuantity, 0) / hours;
    const perEndpoint = eni[0].idle;
    out.push({
      what: `Interface endpoints: ${eni.length} endpoints = ${round(enis)} ENIs. Each endpoint in ${round(eni[0].idleQuantity / hours)} AZs costs ${usd(perEndpoint)}; keeping them in one AZ (less resilient) saves`,
      saves: total - total / (enis / eni.length),
    });
  }
  const ec2 = rows.filter((r) => /^ec2\..+\.hour$/.test(r.priceKey));
  let graviton = 0;
  const swaps = new Set<string>();
  for (const r of ec2) {
    const it = r.priceKey.slice(4, -5);
    const g = it.replace(
      /^([a-z])(\d)[a-z]?\./,
      (_m, fam: string, gen: string) => `${fam}${Math.max(Number(gen), fam === 't' ? 4 : 6)}g.`,
    );
    const p = table.prices[`ec2.${g}.hour`];
    if (g !== it && p) {
      graviton += r.idle - p.usd * r.idleQuantity;
      swaps.add(`${it} → ${g}`);
    }
  }
  if (graviton > 0) {
    out.push({
      what: `Graviton container instances (${[...swaps].join(', ')}; the image must be built for arm64)`,
      saves: graviton,
    });
  }
  const db = rows.filter((r) => r.kind === 'Aurora instances' && r.priceKey !== 'rds.aurora.serverless.acu.hour');
  const acu = table.prices['rds.aurora.serverless.acu.hour'];
  if (db.length > 0 && acu) {
    const now = db.reduce((s, r) => s + r.idle, 0);
    const serverless = db.length * 0.5 * acu.usd * hours;
    out.push({
      what: `Aurora Serverless v2 at its 0.5 ACU minimum instead of ${db.length} provisioned instances (idle)`,
      saves: now - serverless,
    });
    const reader = db.find((r) => /reader/i.test(r.item));
    if (reader) {
      out.push({ what: 'No Aurora reader (failover then takes minutes, not seconds)', saves: reader.idle });
    }
  }
  const nat = rows.filter((r) => r.priceKey === 'nat.hour');
  if (nat.length > 1) {
    out.push({ what: `One NAT gateway instead of ${nat.length}`, saves: nat.slice(1).reduce((s, r) => s + r.idle, 0) });
  }
  return out.filter((s) => s.saves > 0.005).sort((a, b) => b.saves - a.saves);
}

export function usd(v: number): string {
  return `$${v.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

function round(v: number): string {
  return Number.isInteger(v) ? String(v) : v.toLocaleString('en-US', { maximumFractionDigits: 3 });
}

const esc = (s: string): string => s.replace(/\|/g, '\\|');

/** The Markdown of docs/cost.md. Deterministic: no dates other than the price table's. */
export function renderMarkdown(
  report: Report,
  table: PriceTable,
  usage: Usage,
  flags: Record<keyof Usage, string>,
): string {
  const o: string[] = [];
  o.push(`# Monthly cost estimate (${table.region})`, '');
  o.push('<!-- Generated by `npx projen cost`; do not edit by hand. -->', '');
  o.push(`> **Verify before budgeting.** ${table.warning}`, '');
  o.push(
    `Computed from the synthesized example (\`example/cdk.out\`): **${usd(report.idleTotal)} a month idle** (no traffic, no data), **${usd(report.total)}** with the usage below. ` +
      `A month is ${table.hoursPerMonth} hours.`,
    '',
  );
  o.push('## Usage assumptions', '', '| flag | value | meaning |', '| --- | ---: | --- |');
  for (const k of Object.keys(usage) as Array<keyof Usage>) {
    o.push(`| \`--${flags[k]}\` | ${usage[k].toLocaleString('en-US')} | ${USAGE_DOC[k]} |`);
  }
  o.push('', '## Per stack', '', '| stack | idle / month | with usage / month |', '| --- | ---: | ---: |');
  for (const s of report.byStack) {
    o.push(`| ${s.stack} | ${usd(s.idle)} | ${usd(s.monthly)} |`);
  }
  o.push(`| **total** | **${usd(report.idleTotal)}** | **${usd(report.total)}** |`);
  o.push('', '## Per resource kind', '', '| kind | idle / month | with usage / month |', '| --- | ---: | ---: |');
  for (const k of report.byKind) {
    o.push(`| ${k.kind} | ${usd(k.idle)} | ${usd(k.monthly)} |`);
  }
  if (report.savings.length > 0) {
    o.push('', '## Biggest levers (idle)', '', '| change | saves / month |', '| --- | ---: |');
    for (const s of report.savings) {
      o.push(`| ${esc(s.what)} | ${usd(s.saves)} |`);
    }
  }
  o.push(
    '',
    '## Lines',
    '',
    '| stack | kind | item | price | rate | idle quantity | idle / month | quantity | with usage / month |',
    '| --- | --- | --- | --- | ---: | ---: | ---: | ---: | ---: |',
  );
  const sorted = [...report.rows].sort(
    (a, b) =>
      a.stack.localeCompare(b.stack) ||
      a.kind.localeCompare(b.kind) ||
      a.item.localeCompare(b.item) ||
      a.priceKey.localeCompare(b.priceKey),
  );
  for (const r of sorted) {
    o.push(
      `| ${r.stack} | ${r.kind} | ${esc(r.item)} | \`${r.priceKey}\` | ${r.usd} | ${round(r.idleQuantity)} | ${usd(r.idle)} | ${round(r.quantity)} | ${usd(r.monthly)} |`,
    );
  }
  const { unpriced, unknownTypes, usageOnlyTypes } = report.usage;
  o.push('', '## Not priced', '');
  if (unpriced.length > 0) {
    o.push('Recognised, but the price table has no entry (add one with `--prices FILE`):', '');
    for (const u of unpriced) {
      o.push(`- ${u.stack}: ${esc(u.item)} needs \`${u.priceKey}\` (quantity ${round(u.quantity)})`);
    }
    o.push('');
  }
  const list = (m: Record<string, number>): string =>
    Object.keys(m)
      .sort()
      .map((t) => `\`${t}\` ×${m[t]}`)
      .join(', ') || 'none';
  o.push(`- Billed by use only, assumed negligible here: ${list(usageOnlyTypes)}.`);
  o.push(`- Resource types without a cost rule (not priced): ${list(unknownTypes)}.`);
  o.push(
    '- Not modelled: data transfer between AZs and to the internet, EC2 CPU credits above the burst baseline, backup storage beyond the free allowance, free tiers.',
  );
  o.push('', '## Prices', '', '| key | USD | unit | source | date |', '| --- | ---: | --- | --- | --- |');
  for (const k of Object.keys(table.prices).sort()) {
    const p = table.prices[k];
    o.push(`| \`${k}\` | ${p.usd} | ${esc(p.unit)} | ${esc(p.source)} | ${p.date} |`);
  }
  return o.join('\n') + '\n';
}

export const USAGE_DOC: Record<keyof Usage, string> = {
  requests: 'requests a month reaching each REST API (inspected by its web ACL)',
  captchaShare: 'share of inspected requests that are CAPTCHA attempts, where a web ACL has a CAPTCHA rule',
  natGb: 'GB a month processed by each NAT gateway',
  endpointGb: 'GB a month processed by each interface endpoint',
  tgwGb: 'GB a month sent into the transit gateway by each attachment',
  lbGb: 'GB a month processed by each load balancer (1 GB in an hour = 1 capacity unit-hour)',
  logGb: 'GB of logs ingested a month by each log group (stored for its retention)',
  logMonthsNoExpiry: 'months of logs kept by a log group that never expires',
  dbGb: 'GB stored by each Aurora cluster',
  dbIoMillions: 'million I/O requests a month by each Aurora Standard cluster',
  secretCalls: 'API calls a month to each secret',
};
