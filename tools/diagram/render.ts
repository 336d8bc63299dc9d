/**
 * DOT for the three views of the model: overview (request path), network (subnets, routes, TGW)
 * and security (security groups with their rules as edges, network ACLs).
 */
import { splitKey } from './cfn';
import { lbKind } from './extract/compute';
import { FONT_FAMILY } from './font';
import { IconKind, iconColor, iconSrc, ICON_SIZE, SMALL_ICON_SIZE } from './icons';
import { attachmentName, cidrKey, cmp, Model, Nlb, Placement, SecurityGroup, SgRule, Subnet, VpcLink } from './model';

export type View = 'summary' | 'overview' | 'network' | 'security';
export const VIEWS: View[] = ['summary', 'overview', 'network', 'security'];

/** The file name (without extension) of a view. */
export function viewFile(view: View): string {
  return view === 'overview' ? 'architecture' : `architecture-${view}`;
}

const FONT = FONT_FAMILY;

interface Tier {
  name: string;
  fill: string;
  border: string;
  description: string;
}
export const TIERS: Record<string, Tier> = {
  public: { name: 'public', fill: '#FFF1E0', border: '#E8912D', description: 'public subnets (IGW route, NAT)' },
  service: { name: 'service', fill: '#E3F0FD', border: '#1A73E8', description: 'service subnets (NLB, awsvpc tasks)' },
  compute: {
    name: 'compute',
    fill: '#E6F4EA',
    border: '#34A853',
    description: 'compute subnets (container instances, endpoints)',
  },
  transit: {
    name: 'transit',
    fill: '#F1E8FA',
    border: '#8E44AD',
    description: 'transit subnets (TGW attachment ENIs)',
  },
  data: { name: 'data', fill: '#FDE8E8', border: '#C5221F', description: 'data subnets (Aurora, rotation Lambda)' },
  other: { name: 'other', fill: '#F1F3F4', border: '#5F6368', description: 'other subnets' },
};
const ROUTE_COLOR = '#248814';
const NACL_COLOR = '#E8912D';
const EDGE = {
  waf: { fill: '#FCE8E6', border: '#D93025' },
  api: { fill: '#FEF7E0', border: '#E37400' },
  logs: { fill: '#ECEFF1', border: '#607D8B' },
  secret: { fill: '#FFF8E1', border: '#B08800' },
  sg: { fill: '#FFFFFF', border: '#DD344C' },
  cidr: { fill: '#F8F9FA', border: '#5F6368' },
  tgw: { fill: '#F1E8FA', border: '#8E44AD' },
};

export function tierOf(subnet: Subnet): Tier {
  const t = subnet.tier.toLowerCase();
  if (subnet.public || t.includes('public')) {
    return TIERS.public;
  }
  if (t.includes('tgw') || t.includes('transit')) {
    return TIERS.transit;
  }
  if (t.includes('rds') || t.includes('db') || t.includes('data')) {
    return TIERS.data;
  }
  if (t.includes('service')) {
    return TIERS.service;
  }
  if (t.includes('ec2') || t.includes('compute') || t.includes('app')) {
    return TIERS.compute;
  }
  return TIERS.other;
}

// ------------------------------------------------------------------ DOT helpers
export function id(key: string): string {
  return key.replace(/[^A-Za-z0-9]+/g, '_');
}
function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
function q(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}
/** Wraps items (already escaped) into lines of at most `width` characters. */
function wrap(items: string[], width: number, sep = ', '): string {
  const lines: string[] = [];
  let line = '';
  for (const item of items) {
    const next = line ? line + sep + item : item;
    if (line && next.length > width) {
      lines.push(line + sep.trimEnd());
      line = item;
    } else {
      line = next;
    }
  }
  if (line) {
    lines.push(line);
  }
  return lines.map((l) => esc(l)).join('<BR ALIGN="LEFT"/>') + '<BR ALIGN="LEFT"/>';
}
interface Row {
  html: string;
  port?: string;
  bg?: string;
}
function row(
  text: string,
  opts: { bold?: boolean; small?: boolean; port?: string; bg?: string; color?: string } = {},
): Row {
  let html = esc(text);
  if (opts.bold) {
    html = `<B>${html}</B>`;
  }
  if (opts.small || opts.color) {
    html = `<FONT POINT-SIZE="${opts.small ? 9 : 10}"${opts.color ? ` COLOR="${opts.color}"` : ''}>${html}</FONT>`;
  }
  return { html, port: opts.port, bg: opts.bg };
}
function rawRow(html: string, port?: string): Row {
  return { html, port };
}
/**
 * An HTML-like table label; `null` in rows draws a separator. `icon` (24 pt) sits left of the first row and a row's
 * own `icon` (14 pt) left of that row, in a column of their own, so icons stay at the left edge however wide the rows
 * are; without icons there is no such column.
 */
function table(rows: Array<IconRow | null>, fill: string, border: string, rounded = true, icon?: IconKind): string {
  const iconColumn = icon !== undefined || rows.some((r) => r?.icon);
  const out: string[] = [
    `<TABLE BORDER="1" CELLBORDER="0" CELLSPACING="0" CELLPADDING="3" BGCOLOR="${fill}" COLOR="${border}"${rounded ? ' STYLE="rounded"' : ''}>`,
  ];
  let first = true;
  let prevSep = true;
  for (const r of rows) {
    if (r === null) {
      if (!prevSep) {
        out.push('<HR/>');
      }
      prevSep = true;
      continue;
    }
    prevSep = false;
    const rowIcon = first ? (icon ?? r.icon) : r.icon;
    const size = first && icon ? ICON_SIZE : SMALL_ICON_SIZE;
    const img = !iconColumn
      ? ''
      : rowIcon
        ? `<TD FIXEDSIZE="TRUE" WIDTH="${size}" HEIGHT="${size}" VALIGN="TOP"><IMG SCALE="TRUE" SRC="${iconSrc(rowIcon)}"/></TD>`
        : '<TD></TD>';
    first = false;
    out.push(
      `<TR>${img}<TD ALIGN="LEFT" BALIGN="LEFT"${r.port ? ` PORT="${r.port}"` : ''}${r.bg ? ` BGCOLOR="${r.bg}"` : ''}>${r.html}</TD></TR>`,
    );
  }
  out.push('</TABLE>');
  return `<${out.join('')}>`;
}
/** A multi-column HTML table (header row bold). */
function grid(
  title: string,
  header: string[],
  rows: string[][],
  fill: string,
  border: string,
  extra: string[] = [],
  icon?: IconKind,
): string {
  const cols = header.length;
  const titleRow = icon
    ? `<TR><TD FIXEDSIZE="TRUE" WIDTH="${ICON_SIZE}" HEIGHT="${ICON_SIZE}"><IMG SRC="${iconSrc(icon)}"/></TD><TD COLSPAN="${cols - 1}" ALIGN="LEFT"><B>${esc(title)}</B></TD></TR>`
    : `<TR><TD COLSPAN="${cols}" ALIGN="LEFT"><B>${esc(title)}</B></TD></TR>`;
  const out: string[] = [
    `<TABLE BORDER="1" CELLBORDER="0" CELLSPACING="0" CELLPADDING="3" BGCOLOR="${fill}" COLOR="${border}" STYLE="rounded">`,
    titleRow,
  ];
  for (const e of extra) {
    out.push(`<TR><TD COLSPAN="${cols}" ALIGN="LEFT" BALIGN="LEFT"><FONT POINT-SIZE="9">${e}</FONT></TD></TR>`);
  }
  out.push('<HR/>');
  out.push(
    `<TR>${header.map((h) => `<TD ALIGN="LEFT"><B><FONT POINT-SIZE="9">${esc(h)}</FONT></B></TD>`).join('')}</TR>`,
  );
  for (const r of rows) {
    out.push(`<TR>${r.map((c) => `<TD ALIGN="LEFT"><FONT POINT-SIZE="9">${esc(c)}</FONT></TD>`).join('')}</TR>`);
  }
  out.push('</TABLE>');
  return `<${out.join('')}>`;
}

class Dot {
  private readonly lines: string[] = [];
  /** Edges go after every cluster: a node mentioned first in an edge inside a cluster would land in it. */
  private readonly edges: string[] = [];
  private depth = 1;
  private collecting?: string[];
  line(s: string): void {
    this.lines.push('  '.repeat(this.depth) + s);
  }
  node(nodeId: string, attrs: Record<string, string>): void {
    this.collecting?.push(nodeId);
    this.line(`${nodeId} [${attrList(attrs)}];`);
  }
  /** The ids of the nodes `body` declares. */
  nodesOf(body: () => void): string[] {
    const outer = this.collecting;
    const ids: string[] = [];
    this.collecting = ids;
    try {
      body();
    } finally {
      this.collecting = outer;
      outer?.push(...ids);
    }
    return ids;
  }
  edge(from: string, to: string, attrs: Record<string, string> = {}): void {
    const a = attrList(attrs);
    this.edges.push(`  ${from} -> ${to}${a ? ` [${a}]` : ''};`);
  }
  cluster(clusterId: string, attrs: Record<string, string>, body: () => void): void {
    this.line(`subgraph cluster_${clusterId} {`);
    this.depth++;
    this.line(`graph [${attrList(attrs)}];`);
    body();
    this.depth--;
    this.line('}');
  }
  toString(name: string, attrs: Record<string, string>): string {
    return [
      `digraph ${name} {`,
      `  graph [${attrList(attrs)}];`,
      `  node [fontname=${q(FONT)}, fontsize=10, shape=plain];`,
      `  edge [fontname=${q(FONT)}, fontsize=9, color="#5F6368", fontcolor="#3C4043"];`,
      ...this.lines,
      ...this.edges,
      '}',
      '',
    ].join('\n');
  }
}
function attrList(attrs: Record<string, string>): string {
  return Object.keys(attrs)
    .map((k) => `${k}=${attrs[k].startsWith('<') ? attrs[k] : q(attrs[k])}`)
    .join(', ');
}
function graphAttrs(title: string, rankdir: 'LR' | 'TB', source = 'the example app'): Record<string, string> {
  return {
    rankdir,
    fontname: FONT,
    fontsize: '11',
    compound: 'true',
    nodesep: '0.25',
    ranksep: '0.45',
    pad: '0.3',
    labelloc: 't',
    labeljust: 'l',
    label: `<<B><FONT POINT-SIZE="18">${esc(title)}</FONT></B><BR ALIGN="LEFT"/><FONT POINT-SIZE="10" COLOR="#5F6368">generated from the synthesized CloudFormation of ${esc(source)} by tools/diagram (npx projen diagram)</FONT><BR ALIGN="LEFT"/>>`,
    bgcolor: 'white',
  };
}
/**
 * AWS's group boxes, as the AWS Architecture Icons guidelines draw them: square corners, the group icon at the top
 * left, border and label in the icon's colour (read from the icon); dashed for Region, Availability Zone and Auto
 * Scaling group. Subnets are nodes, not clusters: `subnetGroup()` gives their border and icon.
 */
interface GroupStyle {
  readonly icon?: IconKind;
  readonly color: string;
  readonly dashed?: boolean;
}
export const GROUPS = {
  cloud: { icon: 'groupCloud', color: iconColor('groupCloud') },
  region: { icon: 'groupRegion', color: iconColor('groupRegion'), dashed: true },
  vpc: { icon: 'groupVpc', color: iconColor('groupVpc') },
  az: { color: '#147EBA', dashed: true },
  publicSubnet: { icon: 'groupPublicSubnet', color: iconColor('groupPublicSubnet') },
  privateSubnet: { icon: 'groupPrivateSubnet', color: iconColor('groupPrivateSubnet') },
  securityGroup: { color: '#DD344C' },
} satisfies Record<string, GroupStyle>;

/** The AWS group of a subnet: public (green) or private (teal). */
export function subnetGroup(subnet: { public: boolean }): GroupStyle {
  return subnet.public ? GROUPS.publicSubnet : GROUPS.privateSubnet;
}

function groupLabel(g: GroupStyle, title: string, sub?: string): string {
  const text = `<B>${esc(title)}</B>${sub ? `<BR ALIGN="LEFT"/><FONT POINT-SIZE="9">${sub}</FONT>` : ''}`;
  if (!g.icon) {
    return `<${text}>`;
  }
  return `<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="0"><TR><TD FIXEDSIZE="TRUE" WIDTH="${ICON_SIZE}" HEIGHT="${ICON_SIZE}" VALIGN="TOP"><IMG SRC="${iconSrc(g.icon)}"/></TD><TD WIDTH="6"></TD><TD ALIGN="LEFT" BALIGN="LEFT">${text}</TD></TR></TABLE>>`;
}

/** Cluster attributes of an AWS group box. */
function group(g: GroupStyle, title: string, sub?: string, margin = '12'): Record<string, string> {
  return {
    style: g.dashed ? 'dashed' : 'solid',
    color: g.color,
    fontcolor: g.color,
    penwidth: '1.5',
    margin,
    label: groupLabel(g, title, sub),
  };
}

/** The AWS Cloud and Region boxes around what `body` draws. */
function cloudAndRegion(dot: Dot, region: string, body: () => void): void {
  dot.cluster('aws_cloud', group(GROUPS.cloud, 'AWS Cloud', undefined, '10'), () => {
    dot.cluster('region', group(GROUPS.region, `Region ${region}`, undefined, '14'), body);
  });
}

function clusterLabel(title: string, sub?: string): string {
  return `<<B>${esc(title)}</B>${sub ? `<BR/><FONT POINT-SIZE="9">${sub}</FONT>` : ''}>`;
}

/** A table row with an optional small AWS icon left of its text. */
interface IconRow extends Row {
  icon?: IconKind;
}

function vpcLabel(model: Model, vpcKey: string): string {
  const v = model.vpcs.find((x) => x.key === vpcKey);
  if (!v) {
    return groupLabel(GROUPS.vpc, 'VPC ?');
  }
  const flow = v.flowLogGroups
    .map((k) => model.logGroups.find((l) => l.key === k))
    .filter((l) => l)
    .map((l) => `flow logs → CloudWatch (${l!.retention})`);
  return groupLabel(GROUPS.vpc, `VPC ${v.name}  ${v.cidr}`, esc(flow.join(', ')));
}

function subnetsByVpcAz(model: Model): Map<string, Map<string, Subnet[]>> {
  const out = new Map<string, Map<string, Subnet[]>>();
  for (const s of model.subnets) {
    const azs = out.get(s.vpc) ?? new Map<string, Subnet[]>();
    out.set(s.vpc, azs);
    azs.set(s.az, [...(azs.get(s.az) ?? []), s]);
  }
  for (const azs of out.values()) {
    for (const list of azs.values()) {
      list.sort((a, b) => Number(b.public) - Number(a.public) || cmp(cidrKey(a.cidr), cidrKey(b.cidr)));
    }
  }
  return out;
}

/** Edge style samples for the legend. */
export interface LegendEdge {
  label: string;
  color: string;
  style?: 'solid' | 'dashed' | 'dotted' | 'bold';
}
function legend(dot: Dot, tiers: boolean, edges: LegendEdge[], nodes: Array<[string, string, string]> = []): void {
  const rows: Array<IconRow | null> = [row('Legend', { bold: true })];
  const box = (g: GroupStyle, what: string): IconRow => ({
    html: `<FONT COLOR="${g.color}">${g.dashed ? '┅┅' : '━━'}</FONT> ${esc(what)}`,
    icon: g.icon,
  });
  rows.push(
    box(GROUPS.cloud, 'AWS Cloud'),
    box(GROUPS.region, 'Region'),
    box(GROUPS.vpc, 'VPC'),
    box(GROUPS.az, 'Availability Zone'),
    box(GROUPS.publicSubnet, 'public subnet (route to an internet gateway)'),
    box(GROUPS.privateSubnet, 'private subnet'),
  );
  rows.push(null);
  if (tiers) {
    rows.push(row('subnet tier (fill):', { small: true }));
    for (const t of Object.values(TIERS).filter((x) => x.name !== 'other')) {
      rows.push({ html: `<FONT COLOR="${t.border}">■</FONT> ${esc(t.description)}`, bg: t.fill });
    }
  }
  for (const [label, fill, border] of nodes) {
    rows.push({ html: `<FONT COLOR="${border}">■</FONT> ${esc(label)}`, bg: fill });
  }
  rows.push(null);
  for (const e of edges) {
    const line = e.style === 'dashed' ? '╍╍╍▶' : e.style === 'dotted' ? '┈┈┈▶' : e.style === 'bold' ? '━━━▶' : '───▶';
    rows.push({ html: `<FONT COLOR="${e.color}">${line}</FONT> ${esc(e.label)}` });
  }
  dot.node('legend', { label: table(rows, 'white', '#9AA0A6', true) });
}

// ------------------------------------------------------------------ network view
function renderNetwork(model: Model): string {
  const dot = new Dot();
  const byVpc = subnetsByVpcAz(model);
  const rtbName = (k?: string) => model.routeTables.find((t) => t.key === k)?.name ?? 'VPC main route table';
  const naclName = (k?: string) => model.nacls.find((n) => n.key === k)?.name ?? 'VPC default NACL';
  const placementsOf = (s: string) => model.placements.filter((p) => p.subnet === s);
  const subnetNode = (s: Subnet) => {
    const tier = tierOf(s);
    const g = subnetGroup(s);
    const rows: Array<IconRow | null> = [
      row(`${s.public ? 'Public' : 'Private'} subnet ${s.name}`, { bold: true }),
      row(`${s.cidr}   tier: ${s.tier}${s.public ? '   public IPs on launch' : ''}`, { bg: tier.fill }),
      { ...row(`route table: ${rtbName(s.routeTable)}`, { small: true, color: '#3C4043' }), icon: 'router' },
      { ...row(`network ACL: ${naclName(s.nacl)}`, { small: true, color: '#3C4043' }), icon: 'nacl' },
      null,
    ];
    const ps = placementsOf(s.key);
    const endpoints = ps.filter((p) => p.kind === 'endpoint').map((p) => p.label);
    for (const p of ps.filter((x) => x.kind !== 'endpoint')) {
      rows.push({ ...row(p.label, { port: id(p.item) }), icon: PLACEMENT_ICON[p.kind] });
    }
    if (endpoints.length) {
      rows.push({
        ...rawRow(`interface endpoints:<BR ALIGN="LEFT"/>${wrap(endpoints, 44)}`, 'endpoints'),
        icon: 'endpoint',
      });
    }
    if (ps.length === 0) {
      rows.push(row('(nothing deployed)', { small: true, color: '#80868B' }));
    }
    dot.node(id(s.key), { label: table(rows, '#FFFFFF', g.color, false, g.icon), tooltip: s.name });
  };

  cloudAndRegion(dot, model.region, () => {
    for (const v of model.vpcs) {
      dot.cluster(id(v.key), { ...group(GROUPS.vpc, ''), label: vpcLabel(model, v.key) }, () => {
        for (const igw of model.internetGateways.filter((g) => g.vpc === v.key)) {
          dot.node(id(igw.key), {
            label: table(
              [row(`Internet gateway ${igw.name}`, { bold: true })],
              '#FFFFFF',
              GROUPS.vpc.color,
              false,
              'igw',
            ),
          });
        }
        const azs = byVpc.get(v.key) ?? new Map<string, Subnet[]>();
        const lasts: string[] = [];
        for (const az of [...azs.keys()].sort()) {
          dot.cluster(id(`${v.key}_${az}`), group(GROUPS.az, `Availability Zone ${az}`, undefined, '8'), () => {
            const list = azs.get(az)!;
            list.forEach(subnetNode);
            for (let i = 1; i < list.length; i++) {
              dot.edge(id(list[i - 1].key), id(list[i].key), { style: 'invis' });
            }
            lasts.push(id(list[list.length - 1].key));
          });
        }
        for (const igw of model.internetGateways.filter((g) => g.vpc === v.key)) {
          for (const az of [...azs.keys()].sort()) {
            dot.edge(id(igw.key), id(azs.get(az)![0].key), { style: 'invis' });
          }
        }
        for (const e of model.endpoints.filter((x) => x.vpc === v.key && x.type !== 'Interface')) {
          dot.node(id(e.key), {
            label: table(
              [
                row(`${e.type} endpoint ${e.service}`, { bold: true }),
                row('(route table entry, no ENI)', { small: true }),
              ],
              '#FFFFFF',
              GROUPS.vpc.color,
              false,
              'endpoint',
            ),
          });
        }
        for (const t of model.routeTables.filter((x) => x.vpc === v.key)) {
          const subnetNames = t.subnets.map((k) => model.subnets.find((s) => s.key === k)?.name ?? k);
          dot.node(id(t.key), {
            label: grid(
              `route table ${t.name}`,
              ['destination', 'target'],
              t.routes.map((r) => [r.dest, r.target]),
              '#FFFFFF',
              GROUPS.vpc.color,
              [`${subnetNames.length} subnets: ${wrap(subnetNames, 60)}`],
              'router',
            ),
          });
          for (const last of lasts) {
            dot.edge(last, id(t.key), { style: 'invis' });
          }
          for (const r of t.routes) {
            if (!r.targetKey) {
              continue;
            }
            const nat = model.natGateways.find((n) => n.key === r.targetKey);
            const target = nat ? `${id(nat.subnet)}:${id(nat.key)}` : id(r.targetKey);
            const isTgw = model.tgws.some((g) => g.key === r.targetKey);
            dot.edge(id(t.key), target, {
              label: r.dest,
              color: isTgw ? EDGE.tgw.border : nat ? TIERS.public.border : ROUTE_COLOR,
              fontcolor: isTgw ? EDGE.tgw.border : '#3C4043',
              penwidth: '1.3',
              ...(isTgw ? { lhead: `cluster_${id(r.targetKey)}` } : {}),
              ...(nat || model.internetGateways.some((g) => g.key === r.targetKey) ? { constraint: 'false' } : {}),
            });
          }
        }
      });
    }
    for (const g of model.tgws) {
      dot.cluster(
        id(g.key),
        {
          style: 'rounded,filled',
          fillcolor: '#FBF8FE',
          color: EDGE.tgw.border,
          fontcolor: EDGE.tgw.border,
          margin: '10',
          label: groupLabel(
            { icon: 'tgw', color: EDGE.tgw.border },
            `Transit gateway ${g.name}`,
            esc(`ASN ${g.asn} · ${g.details.join(' · ')}`),
          ),
        },
        () => {
          dot.node(id(g.key), {
            label: table(
              [row(`TGW ${g.name}`, { bold: true }), row(`ASN ${g.asn}`, { small: true })],
              EDGE.tgw.fill,
              EDGE.tgw.border,
              false,
              'tgw',
            ),
          });
          for (const a of g.attachments) {
            const vpc = model.vpcs.find((v) => v.key === a.vpc);
            const subnetNames = a.subnets.map((k) => model.subnets.find((s) => s.key === k)?.name ?? k);
            dot.node(id(a.key), {
              label: table(
                [
                  row(`attachment ${a.name}`, { bold: true }),
                  row(`VPC ${vpc?.name ?? a.vpc}`),
                  rawRow(`<FONT POINT-SIZE="9">ENIs in: ${wrap(subnetNames, 40)}</FONT>`),
                ],
                '#FFFFFF',
                EDGE.tgw.border,
                false,
                'tgwAttachment',
              ),
            });
            dot.edge(id(a.key), id(g.key), { arrowhead: 'none', color: EDGE.tgw.border });
            for (const s of a.subnets) {
              dot.edge(id(a.key), `${id(s)}:${id(a.key)}`, {
                style: 'dotted',
                color: EDGE.tgw.border,
                arrowhead: 'none',
                constraint: 'false',
              });
            }
          }
          for (const rt of g.routeTables) {
            dot.node(id(rt.key), {
              label: table(
                [
                  row(`TGW route table ${rt.name}`, { bold: true }),
                  null,
                  row(`associated: ${rt.associations.map((a) => attachmentName(model, a)).join(', ') || 'none'}`, {
                    small: true,
                  }),
                  row(`propagated from: ${rt.propagations.map((a) => attachmentName(model, a)).join(', ') || 'none'}`, {
                    small: true,
                  }),
                ],
                EDGE.tgw.fill,
                EDGE.tgw.border,
                false,
                'router',
              ),
            });
            for (const a of rt.associations) {
              dot.edge(id(a), id(rt.key), { label: 'associated', color: EDGE.tgw.border, penwidth: '1.5' });
            }
            for (const a of rt.propagations) {
              dot.edge(id(a), id(rt.key), { label: 'propagates routes', style: 'dashed', color: EDGE.tgw.border });
            }
          }
        },
      );
    }
  });
  legend(dot, true, [
    { label: 'VPC route (labelled with its destination)', color: ROUTE_COLOR },
    { label: 'route to the transit gateway', color: EDGE.tgw.border },
    { label: 'TGW route table association', color: EDGE.tgw.border, style: 'bold' },
    { label: 'TGW route propagation', color: EDGE.tgw.border, style: 'dashed' },
    { label: 'TGW attachment ENI in a subnet', color: EDGE.tgw.border, style: 'dotted' },
  ]);
  return dot.toString(
    'network',
    graphAttrs(`Network: VPCs, subnets, routes and transit gateway (${model.region})`, 'TB'),
  );
}

// ------------------------------------------------------------------ security view
function sgLabel(model: Model, g: SecurityGroup): string {
  const rows: Array<Row | null> = [row(g.name, { bold: true })];
  if (g.description && g.description !== g.name && !g.description.includes('/')) {
    rows.push(row(g.description, { small: true, color: '#3C4043' }));
  }
  if (g.usedBy.length) {
    rows.push(rawRow(`<FONT POINT-SIZE="9">used by: ${wrap(g.usedBy, 48)}</FONT>`));
  }
  for (const n of g.notes) {
    rows.push(row(n, { small: true, color: '#C5221F' }));
  }
  const rules = model.sgRules.filter((r) => r.sg === g.key);
  if (rules.length === 0 && g.notes.length === 0) {
    rows.push(row('no rules', { small: true }));
  }
  return table(rows, g.isDefault ? '#F8F9FA' : EDGE.sg.fill, GROUPS.securityGroup.color, false);
}

function ruleLabel(r: SgRule): string {
  const what = r.protocol === 'all' ? 'all traffic' : `${r.protocol} ${r.ports}`;
  return `${r.direction === 'ingress' ? 'in' : 'out'}: ${what}${r.origin === 'implicit' ? ' (implicit)' : ''}`;
}

function renderSecurity(model: Model): string {
  const dot = new Dot();
  const vpcOfCidr = (cidr: string) => model.vpcs.find((v) => v.cidr === cidr)?.name;
  const cidrNodes = new Map<string, string>();
  const placedInVpc = new Set<string>();
  const peerNode = (r: SgRule): string => {
    if (r.peer.kind === 'sg') {
      return id(r.peer.key);
    }
    const value = r.peer.kind === 'cidr' ? r.peer.cidr : r.peer.id;
    const nodeId = id(`peer_${r.direction === 'ingress' ? 'src' : 'dst'}_${value}`);
    const label =
      r.peer.kind === 'cidr'
        ? value === '0.0.0.0/0'
          ? `${value} (anywhere)`
          : vpcOfCidr(value)
            ? `${value} (${vpcOfCidr(value)})`
            : value
        : `prefix list ${value}`;
    cidrNodes.set(nodeId, label);
    return nodeId;
  };
  const edges: Array<() => void> = [];
  for (const r of model.sgRules) {
    const peer = peerNode(r);
    const sg = id(r.sg);
    const attrs: Record<string, string> = {
      label: ruleLabel(r),
      tooltip: r.description || ruleLabel(r),
      color: r.origin === 'implicit' ? '#C5221F' : r.direction === 'ingress' ? '#1A73E8' : '#34A853',
      fontcolor: r.origin === 'implicit' ? '#C5221F' : r.direction === 'ingress' ? '#1A56B0' : '#1E7B34',
      style: r.origin === 'implicit' ? 'dashed' : r.origin === 'resource' ? 'bold' : 'solid',
    };
    edges.push(() => (r.direction === 'ingress' ? dot.edge(peer, sg, attrs) : dot.edge(sg, peer, attrs)));
  }
  const subnetName = (k: string) => model.subnets.find((s) => s.key === k)?.name ?? k;

  cloudAndRegion(dot, model.region, () => {
    for (const v of model.vpcs) {
      dot.cluster(id(v.key), group(GROUPS.vpc, `VPC ${v.name}  ${v.cidr}`), () => {
        for (const [nodeId, label] of [...cidrNodes.entries()].sort()) {
          if (label === `${v.cidr} (${v.name})`) {
            placedInVpc.add(nodeId);
            dot.node(nodeId, { label: table([row(label, { bold: true })], EDGE.cidr.fill, EDGE.cidr.border, false) });
          }
        }
        const groups = model.securityGroups.filter((g) => g.vpc === v.key);
        for (const stack of [...new Set(groups.map((g) => g.stack))].sort()) {
          dot.cluster(
            id(`${v.key}_${stack}`),
            {
              label: clusterLabel(`stack ${stack}`),
              style: 'rounded,dashed',
              color: '#9AA0A6',
              fontcolor: '#5F6368',
              margin: '8',
            },
            () => {
              for (const g of groups.filter((x) => x.stack === stack)) {
                dot.node(id(g.key), { label: sgLabel(model, g), tooltip: g.description });
              }
            },
          );
        }
        // network ACLs: the managed ones with their entries, and the default one for the other subnets
        const managed = model.nacls.filter((n) => n.vpc === v.key);
        for (const n of managed) {
          dot.node(id(n.key), {
            label: grid(
              `network ACL ${n.name}`,
              ['rule #', 'direction', 'action', 'protocol', 'ports', 'CIDR'],
              n.entries
                .map((e) => [
                  String(e.ruleNumber),
                  e.egress ? 'outbound' : 'inbound',
                  e.action,
                  e.protocol,
                  e.ports,
                  e.cidr,
                ])
                .concat([
                  ['*', 'inbound', 'DENY', 'all', 'all', '0.0.0.0/0'],
                  ['*', 'outbound', 'DENY', 'all', 'all', '0.0.0.0/0'],
                ]),
              '#FFFFFF',
              NACL_COLOR,
              [`subnets: ${wrap(n.subnets.map(subnetName), 60)}`],
              'nacl',
            ),
          });
        }
        const others = model.subnets.filter((s) => s.vpc === v.key && !s.nacl);
        if (others.length) {
          dot.node(id(`${v.key}_default_nacl`), {
            label: grid(
              `network ACL: default of ${v.name} (not in the template)`,
              ['rule #', 'direction', 'action', 'protocol', 'ports', 'CIDR'],
              [
                ['100', 'inbound', 'ALLOW', 'all', 'all', '0.0.0.0/0'],
                ['100', 'outbound', 'ALLOW', 'all', 'all', '0.0.0.0/0'],
              ],
              '#F8F9FA',
              NACL_COLOR,
              [
                `subnets: ${wrap(
                  others.map((s) => s.name),
                  60,
                )}`,
              ],
              'nacl',
            ),
          });
        }
      });
    }
  });
  const outside = (prefix: string, title: string) => {
    const list = [...cidrNodes.entries()].filter(([k]) => k.startsWith(prefix) && !placedInVpc.has(k)).sort();
    if (list.length) {
      dot.cluster(
        prefix,
        { label: clusterLabel(title), style: 'rounded,dotted', color: '#9AA0A6', fontcolor: '#5F6368' },
        () => {
          for (const [nodeId, label] of list) {
            dot.node(nodeId, { label: table([row(label, { bold: true })], EDGE.cidr.fill, EDGE.cidr.border, false) });
          }
        },
      );
    }
  };
  outside('peer_src', 'rule sources (CIDR)');
  outside('peer_dst', 'rule destinations (CIDR)');
  edges.forEach((e) => e());
  legend(
    dot,
    false,
    [
      { label: 'ingress rule (inline in the group)', color: '#1A73E8' },
      { label: 'ingress rule (AWS::EC2::SecurityGroupIngress)', color: '#1A73E8', style: 'bold' },
      { label: 'egress rule (inline in the group)', color: '#34A853' },
      { label: 'egress rule (AWS::EC2::SecurityGroupEgress)', color: '#34A853', style: 'bold' },
      { label: 'implicit rule (EC2 default, not in the template)', color: '#C5221F', style: 'dashed' },
    ],
    [
      ['security group', EDGE.sg.fill, EDGE.sg.border],
      ['VPC default security group', '#F8F9FA', EDGE.sg.border],
      ['network ACL (numbered entries, evaluated in order)', '#FFFFFF', NACL_COLOR],
      ['CIDR peer', EDGE.cidr.fill, EDGE.cidr.border],
    ],
  );
  return dot.toString(
    'security',
    graphAttrs(`Security: security groups (rules as edges) and network ACLs (${model.region})`, 'LR'),
  );
}

// ------------------------------------------------------------------ overview
/** The icon of each kind of thing placed in a subnet. */
const PLACEMENT_ICON: Record<string, IconKind | undefined> = {
  nat: 'nat',
  'tgw-eni': 'eni',
  nlb: 'nlb',
  instances: 'ec2',
  tasks: 'ecs',
  db: 'aurora',
  lambda: 'lambda',
  endpoint: 'endpoint',
};

function renderOverview(model: Model): string {
  const dot = new Dot();
  const byVpc = subnetsByVpcAz(model);
  const tierGroups = (vpcKey: string) => {
    const groups = new Map<string, Subnet[]>();
    for (const list of (byVpc.get(vpcKey) ?? new Map<string, Subnet[]>()).values()) {
      for (const s of list) {
        groups.set(s.tier, [...(groups.get(s.tier) ?? []), s]);
      }
    }
    return [...groups.entries()].sort(
      ([, a], [, b]) => Number(b[0].public) - Number(a[0].public) || cmp(cidrKey(a[0].cidr), cidrKey(b[0].cidr)),
    );
  };
  const placed = (subnets: Subnet[], kinds: Placement['kind'][]) => {
    const keys = new Set(subnets.map((s) => s.key));
    const items = new Map<string, Placement[]>();
    for (const p of model.placements.filter((x) => keys.has(x.subnet) && kinds.includes(x.kind))) {
      items.set(p.item, [...(items.get(p.item) ?? []), p]);
    }
    return [...items.entries()].sort(([a], [b]) => cmp(a, b));
  };
  const tierNodes = new Map<string, string>();
  const azOf = (ps: Placement[]) =>
    [...new Set(ps.map((p) => model.subnets.find((s) => s.key === p.subnet)!.az.replace(model.region, '')))]
      .sort()
      .join('/');

  dot.node('clients', {
    label: table(
      [row('API clients', { bold: true }), row('internet, HTTPS', { small: true })],
      '#FFFFFF',
      '#3C4043',
      true,
      'clients',
    ),
  });

  cloudAndRegion(dot, model.region, () => {
    // Edge: per API stack, the web ACL, REST API, stage, usage plan and VPC link
    for (const api of model.apis) {
      const acl = model.webAcls.find((w) =>
        w.associatedWith.some((k) => api.stages.some((s) => s.key === k) || k === api.key),
      );
      dot.cluster(
        id(`edge_${api.key}`),
        {
          label: clusterLabel(`stack ${api.stack}`, 'regional services, outside the VPCs'),
          style: 'rounded,dashed',
          color: '#9AA0A6',
          fontcolor: '#5F6368',
          margin: '10',
        },
        () => {
          if (acl) {
            dot.node(id(acl.key), {
              label: grid(
                `WAF web ACL ${acl.name}`,
                ['prio', 'rule', 'action', 'match'],
                acl.rules
                  .map((r) => [String(r.priority), r.name, r.action, r.statement])
                  .concat([['—', 'default action', acl.defaultAction, 'everything else']]),
                EDGE.waf.fill,
                EDGE.waf.border,
                [],
                'waf',
              ),
            });
            dot.edge('clients', id(acl.key), { color: '#D93025', penwidth: '2', label: 'HTTPS' });
          }
          const stage = api.stages[0];
          const rows: Array<Row | null> = [
            row(`REST API ${api.name}`, { bold: true }),
            row(`${api.endpointType} endpoint`, { small: true }),
            null,
            ...api.methods.map((m) => row(m, { small: true })),
            null,
            ...api.stages.map((s) =>
              row(`stage ${s.name}: throttle ${s.throttle} (every request)`, { port: id(s.key) }),
            ),
            ...api.usagePlans.map((u) => row(usagePlanText(api, u), { small: true })),
          ];
          dot.node(id(api.key), { label: table(rows, EDGE.api.fill, EDGE.api.border, true, 'api') });
          if (acl) {
            dot.edge(id(acl.key), id(api.key), { color: '#D93025', penwidth: '2', label: 'allowed' });
          } else {
            dot.edge('clients', id(api.key), { color: '#D93025', penwidth: '2' });
          }
          for (const link of api.vpcLinks) {
            dot.node(id(link.key), {
              label: table(
                [
                  row(`VPC link ${link.name}`, { bold: true }),
                  row(
                    link.version === 'V1'
                      ? 'V1: PrivateLink to the NLB'
                      : 'V2: to the load balancer each method names (IntegrationTarget)',
                    { small: true },
                  ),
                  ...link.routes.map((r) => row(`${r.path} → ${r.target}`, { small: true })),
                ],
                EDGE.api.fill,
                EDGE.api.border,
                true,
                'vpclink',
              ),
            });
            dot.edge(id(api.key), id(link.key), { color: '#D93025', penwidth: '2', label: stage ? 'HTTP_PROXY' : '' });
            for (const t of link.targets) {
              const ports = [...new Set(link.routes.map((r) => r.port))];
              const proto = model.nlbs.find((l) => l.key === t)?.type === 'network' ? 'TCP' : 'HTTP';
              dot.edge(id(link.key), id(t), {
                color: '#D93025',
                penwidth: '2',
                label: ports.length ? `${proto} :${ports.join(', :')}` : proto,
              });
            }
          }
        },
      );
    }

    for (const v of model.vpcs) {
      dot.cluster(id(v.key), { ...group(GROUPS.vpc, ''), label: vpcLabel(model, v.key) }, () => {
        for (const [tier, subnets] of tierGroups(v.key)) {
          const t = tierOf(subnets[0]);
          const sub = subnets.map((s) => `${s.az.replace(model.region, '')} ${s.cidr}`).join(' · ');
          dot.cluster(
            id(`${v.key}_tier_${tier}`),
            {
              ...group(
                subnetGroup(subnets[0]),
                `${subnets[0].public ? 'Public' : 'Private'} subnets: ${tier}`,
                esc(sub),
                '8',
              ),
              style: 'filled',
              fillcolor: t.fill,
              fontcolor: '#202124',
            },
            () => {
              let any = false;
              for (const [item, ps] of placed(subnets, ['nat', 'nlb', 'instances', 'tasks', 'db', 'lambda'])) {
                any = true;
                const p = ps[0];
                const extra: Row[] = [row(`AZ ${azOf(ps)}`, { small: true })];
                const nlb = model.nlbs.find((l) => l.key === item);
                const svc = model.services.find((s) => s.key === item);
                const asg = model.asgs.find((a) => a.key === item);
                if (svc && !svc.subnets.length && svc.asg) {
                  continue; // tasks without their own subnets are drawn on their container instances
                }
                let label = p.label;
                if (nlb) {
                  label = `${lbKind(nlb)} ${nlb.name} (${nlb.scheme})`;
                  extra.push(
                    ...nlb.listeners.map((l) => row(`listener ${l}`, { small: true })),
                    ...nlb.targetGroups.map((g) => row(g, { small: true })),
                  );
                } else if (svc) {
                  label = `ECS service ${svc.name} (${svc.networkMode} tasks)`;
                  extra.push(
                    ...(svc.capacity ? [row(`on ${svc.capacity}`, { small: true })] : []),
                    row(serviceScale(svc), { small: true }),
                    row(svc.container, { small: true }),
                  );
                } else if (asg) {
                  label = `ECS container instances (${asg.stack})`;
                  extra.push(row(`ASG ${asg.instanceType} ×${asg.size}`, { small: true }));
                  for (const hosted of model.services.filter((x) => x.asg === asg.key && !x.subnets.length)) {
                    extra.push(
                      row(`ECS service ${hosted.name} (${hosted.networkMode} tasks)`, { bold: true }),
                      row(serviceScale(hosted), { small: true }),
                      row(hosted.container, { small: true }),
                    );
                  }
                } else if (p.kind === 'db') {
                  const d = model.databases.find((x) => x.instances.some((i) => i.key === item))!;
                  extra.push(row(`${d.engine} :${d.port}`, { small: true }));
                }
                const icon = nlb ? lbIcon(nlb) : PLACEMENT_ICON[svc ? 'tasks' : p.kind];
                dot.node(id(item), {
                  label: table([row(label, { bold: true }), ...extra], '#FFFFFF', t.border, true, icon),
                });
              }
              const tgw = placed(subnets, ['tgw-eni']);
              for (const [item, ps] of tgw) {
                any = true;
                dot.node(id(item), {
                  label: table(
                    [
                      row(`TGW attachment ENIs`, { bold: true }),
                      row(attachmentName(model, item), { small: true }),
                      row(`AZ ${azOf(ps)}`, { small: true }),
                    ],
                    '#FFFFFF',
                    t.border,
                    true,
                    'eni',
                  ),
                });
              }
              const eps = placed(subnets, ['endpoint']);
              if (eps.length) {
                any = true;
                const names = eps.map(([, ps]) => ps[0].label);
                tierNodes.set(`${v.key}|${tier}|endpoints`, id(`${v.key}_${tier}_endpoints`));
                dot.node(id(`${v.key}_${tier}_endpoints`), {
                  label: table(
                    [
                      row('interface endpoints', { bold: true }),
                      rawRow(`<FONT POINT-SIZE="9">${wrap(names, 36)}</FONT>`),
                      row(`AZ ${azOf(eps.flatMap(([, ps]) => ps))}`, { small: true }),
                    ],
                    '#FFFFFF',
                    t.border,
                    true,
                    'endpoint',
                  ),
                });
              }
              if (!any) {
                dot.node(id(`${v.key}_${tier}_empty`), {
                  label: '(nothing deployed)',
                  shape: 'plaintext',
                  fontsize: '9',
                });
              }
            },
          );
        }
        for (const igw of model.internetGateways.filter((g) => g.vpc === v.key)) {
          dot.node(id(igw.key), {
            label: table(
              [row(`Internet gateway ${igw.name}`, { bold: true })],
              TIERS.public.fill,
              TIERS.public.border,
              true,
              'igw',
            ),
          });
        }
      });
    }
    for (const g of model.tgws) {
      dot.node(id(g.key), {
        label: table(
          [
            row(`Transit gateway ${g.name}`, { bold: true }),
            ...g.routeTables.map((rt) =>
              row(
                `${rt.name}: ${rt.associations.map((a) => attachmentName(model, a)).join(', ')} → routes from ${rt.propagations.map((a) => attachmentName(model, a)).join(', ')}`,
                { small: true },
              ),
            ),
          ],
          EDGE.tgw.fill,
          EDGE.tgw.border,
          true,
          'tgw',
        ),
      });
    }
    const regional: Array<Row | null> = [];
    for (const s of model.secrets) {
      dot.node(id(s.key), {
        label: table(
          [row(`Secrets Manager ${s.name}`, { bold: true }), row(s.rotation, { small: true })],
          EDGE.secret.fill,
          EDGE.secret.border,
          true,
          'secret',
        ),
      });
    }
    if (model.logGroups.length) {
      dot.node('log_groups', {
        label: grid(
          'CloudWatch log groups',
          ['purpose', 'name', 'retention'],
          [...model.logGroups].sort((a, b) => cmp(a.purpose, b.purpose)).map((l) => [l.purpose, l.name, l.retention]),
          EDGE.logs.fill,
          EDGE.logs.border,
          [],
          'logs',
        ),
      });
    }
    void regional;
  });

  // request path inside the VPC and the other flows
  const RED = { color: '#D93025', penwidth: '2' };
  const GREY = { color: '#80868B', style: 'dashed', fontcolor: '#5F6368' };
  const vpcOf = (subnetKeys: string[]) => model.subnets.find((x) => x.key === subnetKeys[0])?.vpc;
  const sources = model.services.map((s) => {
    const asg = model.asgs.find((a) => a.key === s.asg);
    const subnets = s.subnets.length ? s.subnets : (asg?.subnets ?? []);
    return { service: s, node: s.subnets.length ? id(s.key) : id(s.asg ?? s.key), subnets, vpc: vpcOf(subnets) };
  });
  const attachmentIn = (vpc?: string) => {
    for (const g of model.tgws) {
      const a = g.attachments.find((x) => x.vpc === vpc);
      if (a) {
        return { tgw: g, attachment: a };
      }
    }
    return undefined;
  };
  for (const src of sources) {
    const s = src.service;
    if (s.subnets.length && s.asg) {
      dot.edge(id(s.asg), src.node, {
        style: 'dotted',
        arrowhead: 'none',
        color: '#34A853',
        label: 'capacity provider',
      });
    }
    const nlb = model.nlbs.find((l) => l.key === s.nlb);
    if (nlb) {
      dot.edge(id(nlb.key), src.node, { ...RED, label: lbToServiceText(nlb, s) });
    }
    for (const sec of s.secrets) {
      dot.edge(src.node, id(sec), {
        style: 'dashed',
        color: EDGE.secret.border,
        fontcolor: EDGE.secret.border,
        label: 'DB credentials',
      });
    }
    const tiers = new Set(model.subnets.filter((x) => src.subnets.includes(x.key)).map((x) => x.tier));
    const endpointNode = [...tierNodes.entries()].find(
      ([k]) => k.startsWith(`${src.vpc}|`) && k.endsWith('|endpoints'),
    )?.[1];
    if (endpointNode) {
      dot.edge(src.node, endpointNode, { ...GREY, label: 'AWS APIs :443' });
    }
    void tiers;
    for (const n of model.natGateways.filter((x) => vpcOf([x.subnet]) === src.vpc)) {
      dot.edge(src.node, id(n.key), { ...GREY, label: 'internet egress' });
    }
  }
  for (const d of model.databases) {
    const dbVpc = vpcOf(d.subnets);
    const far = attachmentIn(dbVpc);
    if (far) {
      for (const i of d.instances) {
        dot.edge(id(far.attachment.key), id(i.key), {
          color: '#C5221F',
          penwidth: '1.5',
          label: `TCP :${d.port}`,
          fontcolor: '#C5221F',
        });
      }
    }
    const hops = new Set<string>();
    for (const src of sources) {
      if (src.vpc === dbVpc) {
        for (const i of d.instances) {
          dot.edge(src.node, id(i.key), {
            color: '#C5221F',
            penwidth: '1.5',
            label: `PostgreSQL :${d.port}`,
            fontcolor: '#C5221F',
          });
        }
        continue;
      }
      const near = attachmentIn(src.vpc);
      if (!near || !far) {
        continue;
      }
      const rt = model.routeTables.find((t) =>
        src.subnets.includes(t.subnets.find((x) => src.subnets.includes(x)) ?? ''),
      );
      const route = rt?.routes.find((r) => r.targetKey === near.tgw.key);
      dot.edge(src.node, id(near.attachment.key), {
        color: '#C5221F',
        penwidth: '1.5',
        fontcolor: '#C5221F',
        label: `PostgreSQL :${d.port}${route ? `\nroute ${route.dest} → TGW` : ''}`,
      });
      hops.add(`${near.attachment.key}|${near.tgw.key}|${far.attachment.key}`);
    }
    for (const h of [...hops].sort()) {
      const [a, g, b] = h.split('|');
      dot.edge(id(a), id(g), { color: '#C5221F', penwidth: '1.5' });
      dot.edge(id(g), id(b), { color: '#C5221F', penwidth: '1.5' });
    }
    for (const i of d.instances.slice(1)) {
      dot.edge(id(d.instances[0].key), id(i.key), {
        style: 'dotted',
        arrowhead: 'none',
        label: 'replication',
        constraint: 'false',
      });
    }
    const lambdas = [
      ...new Set(model.placements.filter((x) => x.kind === 'lambda' && vpcOf([x.subnet]) === dbVpc).map((x) => x.item)),
    ];
    for (const p of lambdas.sort().map((item) => ({ item }))) {
      const rotated = model.rotations.find((x) => x.fn === p.item)?.secret ?? d.secret;
      if (rotated) {
        dot.edge(id(p.item), id(rotated), {
          style: 'dashed',
          color: EDGE.secret.border,
          fontcolor: EDGE.secret.border,
          label: 'rotates',
        });
      }
      const endpointNode = [...tierNodes.entries()].find(
        ([k]) => k.startsWith(`${dbVpc}|`) && k.endsWith('|endpoints'),
      )?.[1];
      if (endpointNode) {
        dot.edge(id(p.item), endpointNode, { ...GREY, label: 'Secrets Manager API' });
      }
      dot.edge(id(p.item), id(d.instances[0].key), {
        style: 'dashed',
        color: EDGE.secret.border,
        fontcolor: EDGE.secret.border,
        label: `:${d.port}`,
        constraint: 'false',
      });
    }
    for (const i of d.instances) {
      if (model.logGroups.length) {
        dot.edge(id(i.key), 'log_groups', { style: 'invis' });
      }
    }
  }
  for (const n of model.natGateways) {
    const igw = model.internetGateways.find((g) => model.subnets.find((s) => s.key === n.subnet)?.vpc === g.vpc);
    if (igw) {
      dot.edge(id(n.key), id(igw.key), { ...GREY, label: '0.0.0.0/0' });
    }
  }
  legend(
    dot,
    true,
    [
      { label: 'request path', color: RED.color, style: 'bold' },
      { label: 'database traffic via the transit gateway', color: '#C5221F' },
      { label: 'secret read / rotation', color: EDGE.secret.border, style: 'dashed' },
      { label: 'outbound internet via NAT', color: '#5F6368', style: 'dashed' },
    ],
    [
      ['WAF web ACL (rules in priority order)', EDGE.waf.fill, EDGE.waf.border],
      ['API Gateway', EDGE.api.fill, EDGE.api.border],
      ['transit gateway', EDGE.tgw.fill, EDGE.tgw.border],
      ['Secrets Manager', EDGE.secret.fill, EDGE.secret.border],
      ['CloudWatch Logs', EDGE.logs.fill, EDGE.logs.border],
    ],
  );
  return dot.toString(
    'overview',
    graphAttrs(`GTUC items: request path and deployment (${model.stacks.join(', ')})`, 'TB'),
  );
}

/** A usage plan as what it is: it throttles only requests that carry an API key. */
export function usagePlanText(api: Model['apis'][number], u: Model['apis'][number]['usagePlans'][number]): string {
  const keyed = api.methods.some((m) => m.includes('API key'));
  const name = u.name === 'usage plan' ? '' : ` ${u.name}`;
  return keyed
    ? `usage plan${name}: ${u.throttle}, for requests with an API key`
    : `usage plan${name} (${u.throttle}) limits nothing: no method requires an API key`;
}

/** What a VPC link carries: `V1 (PrivateLink): /items → :8081, /orders → :8082`. */
export function linkText(link: VpcLink): string {
  const how = link.version === 'V1' ? 'V1, PrivateLink' : 'V2, IntegrationTarget per method';
  const routes = link.routes.map((r) => `${r.path} → ${r.target}`).join(', ');
  return `VPC link ${link.name} (${how})${routes ? `: ${routes}` : ''}`;
}

/** The hop from a load balancer to a service: the listener port(s) the API uses and the container port. */
export function lbToServiceText(lb: Nlb, s: Model['services'][number]): string {
  const container = /→(\d+)/.exec(s.container)?.[1];
  const ports = s.tgKeys.flatMap((k) => lb.tgPorts[k] ?? []);
  const via = ports.length ? `${lb.type === 'network' ? 'TCP' : 'HTTP'} :${[...new Set(ports)].join(', :')} → ` : '';
  return `${via}${s.networkMode === 'bridge' ? 'dynamic host ports' : `:${container ?? '?'}`}`;
}

function tasks(n: string): string {
  return `${n} task${n === '1' ? '' : 's'}`;
}

/** Desired count and scaling range of a service, each said once. */
export function serviceScale(s: Model['services'][number]): string {
  return `cluster ${s.cluster}: desired ${tasks(s.desired)}${s.scaling ? `, scales ${s.scaling}` : ''}`;
}

/** The WAF rules in a few lines: custom rules as "match → action", managed groups counted. */
function wafSummary(acl: Model['webAcls'][number]): string[] {
  const groups = acl.rules.filter((r) => r.action === 'rule group actions');
  const lines = acl.rules
    .filter((r) => r.action !== 'rule group actions')
    .map(
      (r) => `${r.priority}: ${r.statement.length > 34 ? r.statement.slice(0, 33) + '…' : r.statement} → ${r.action}`,
    );
  if (groups.length > 0) {
    lines.push(`${groups.map((g) => g.priority).join(', ')}: ${groups.length} AWS managed rule groups`);
  }
  lines.push(`otherwise ${acl.defaultAction}`);
  return lines;
}

/**
 * The summary view, readable at about 1,000 px: one column per front door (web ACL → REST API → VPC link →
 * NLB → the services behind it), the database behind the transit gateway, totals said once, and links to the
 * full views.
 */
function renderSummary(model: Model, opts: RenderOptions): string {
  const dot = new Dot();
  const vpcOf = (subnetKeys: string[]): string | undefined =>
    model.subnets.find((x) => subnetKeys.includes(x.key))?.vpc;
  dot.node('clients', {
    label: table(
      [row('API clients', { bold: true }), row('internet, HTTPS', { small: true })],
      '#FFFFFF',
      '#232F3E',
      true,
      'clients',
    ),
  });
  const inVpc = new Map<string, Array<() => void>>();
  const drawIn = (vpc: string | undefined, draw: () => void): void => {
    const k = vpc ?? '';
    inVpc.set(k, [...(inVpc.get(k) ?? []), draw]);
  };
  const serviceNodes: Array<{ node: string; vpc?: string; service: Model['services'][number] }> = [];
  cloudAndRegion(dot, model.region, () => {
    for (const api of model.apis) {
      const acl = model.webAcls.find((w) =>
        w.associatedWith.some((k) => k === api.key || api.stages.some((s) => s.key === k)),
      );
      if (acl) {
        dot.node(id(acl.key), {
          label: table(
            [row(`WAF ${acl.name}`, { bold: true }), ...wafSummary(acl).map((l) => row(l, { small: true }))],
            EDGE.waf.fill,
            EDGE.waf.border,
            true,
            'waf',
          ),
        });
        dot.edge('clients', id(acl.key), { color: '#D93025', penwidth: '2', label: 'HTTPS' });
      }
      dot.node(id(api.key), {
        label: table(
          [
            row(`REST API ${api.name}`, { bold: true }),
            ...api.stages.map((s) => row(`stage ${s.name}: ${s.throttle}`, { small: true })),
            ...api.usagePlans.map((u) => row(usagePlanText(api, u), { small: true })),
          ],
          EDGE.api.fill,
          EDGE.api.border,
          true,
          'api',
        ),
      });
      dot.edge(acl ? id(acl.key) : 'clients', id(api.key), {
        color: '#D93025',
        penwidth: '2',
        label: acl ? 'allowed' : '',
      });
      for (const link of api.vpcLinks) {
        for (const nlb of model.nlbs.filter((l) => link.targets.includes(l.key))) {
          const vpc = vpcOf(nlb.subnets);
          drawIn(vpc, () =>
            dot.node(id(nlb.key), {
              label: table(
                [
                  row(`${lbKind(nlb)} ${nlb.name}`, { bold: true }),
                  row(`${nlb.scheme}, listener ${nlb.listeners.join(', ')}`, { small: true }),
                ],
                '#FFFFFF',
                TIERS.service.border,
                true,
                lbIcon(nlb),
              ),
            }),
          );
          dot.edge(id(api.key), id(nlb.key), { color: '#D93025', penwidth: '2', label: wrapText(linkText(link), 48) });
          for (const s of model.services.filter((x) => x.nlb === nlb.key)) {
            const asg = model.asgs.find((a) => a.key === s.asg);
            const node = id(s.key);
            serviceNodes.push({ node, vpc, service: s });
            drawIn(vpc, () =>
              dot.node(node, {
                label: table(
                  [
                    row(`ECS service ${s.name}`, { bold: true }),
                    row(
                      `${s.networkMode} tasks${asg ? ` on ${asg.size} ${asg.instanceType} instances` : s.capacity ? ` on ${s.capacity}` : ''}`,
                      {
                        small: true,
                      },
                    ),
                    row(`desired ${tasks(s.desired)}${s.scaling ? `, scales ${s.scaling.split(' (')[0]}` : ''}`, {
                      small: true,
                    }),
                  ],
                  TIERS.compute.fill,
                  TIERS.compute.border,
                  true,
                  'ecs',
                ),
              }),
            );
            dot.edge(id(nlb.key), node, { color: '#D93025', penwidth: '2', label: lbToServiceText(nlb, s) });
          }
        }
      }
    }
    for (const d of model.databases) {
      const vpc = vpcOf(d.subnets);
      const writer = d.instances.filter((i) => i.role === 'writer').length;
      const readers = d.instances.length - writer;
      drawIn(vpc, () =>
        dot.node(id(d.key), {
          label: table(
            [
              row(`Aurora ${d.name}`, { bold: true }),
              row(d.engine, { small: true }),
              row(
                `${writer} writer + ${readers} reader${readers === 1 ? '' : 's'}, ${[...new Set(d.instances.map((i) => i.cls))].join(', ')}`,
                { small: true },
              ),
            ],
            TIERS.data.fill,
            TIERS.data.border,
            true,
            'aurora',
          ),
        }),
      );
      const tgw = model.tgws[0];
      for (const s of serviceNodes) {
        if (tgw && s.vpc !== vpc) {
          dot.edge(s.node, id(tgw.key), { color: '#C5221F', label: `TCP :${d.port}` });
        } else {
          dot.edge(s.node, id(d.key), { color: '#C5221F', label: `TCP :${d.port}` });
        }
      }
      if (tgw && serviceNodes.some((s) => s.vpc !== vpc)) {
        dot.edge(id(tgw.key), id(d.key), { color: '#C5221F' });
      }
    }
    // The secrets the services read (an application user's), or else the databases' master secrets.
    const readSecrets = [...new Set(serviceNodes.flatMap((s) => s.service.secrets))];
    const summarySecrets = readSecrets.length > 0 ? readSecrets : model.databases.map((d) => d.secret);
    for (const secret of model.secrets.filter((x) => summarySecrets.includes(x.key))) {
      dot.node(id(secret.key), {
        label: table(
          [row(`Secrets Manager ${secret.name}`, { bold: true }), row(secret.rotation, { small: true })],
          EDGE.secret.fill,
          EDGE.secret.border,
          true,
          'secret',
        ),
      });
      for (const s of serviceNodes.filter((x) => x.service.secrets.includes(secret.key))) {
        dot.edge(s.node, id(secret.key), {
          style: 'dashed',
          color: EDGE.secret.border,
          fontcolor: EDGE.secret.border,
          label: 'credentials',
        });
      }
    }
    for (const t of model.tgws) {
      dot.node(id(t.key), {
        label: table(
          [
            row(`Transit gateway ${t.name}`, { bold: true }),
            row(`${t.attachments.length} VPC attachments`, { small: true }),
          ],
          EDGE.tgw.fill,
          EDGE.tgw.border,
          true,
          'tgw',
        ),
      });
    }
    for (const v of model.vpcs) {
      const subnets = model.subnets.filter((x) => x.vpc === v.key);
      const azs = new Set(subnets.map((x) => x.az)).size;
      const nat = model.natGateways.filter((n) => subnets.some((x) => x.key === n.subnet)).length;
      const iface = model.endpoints.filter((e) => e.vpc === v.key && e.type === 'Interface');
      const enis = iface.reduce((n, e) => n + e.subnets.length, 0);
      const facts = [
        `${subnets.length} subnets in ${azs} AZs`,
        nat ? `${nat} NAT gateway${nat === 1 ? '' : 's'}` : '',
        iface.length ? `${iface.length} interface endpoints (${enis} ENIs)` : '',
      ].filter((x) => x);
      // The title is a node above everything else in the box, so edges entering the VPC route around it rather
      // than through it (Graphviz routes around nodes, not cluster labels).
      dot.cluster(id(v.key), { ...group(GROUPS.vpc, ''), label: '' }, () => {
        const title = id(`${v.key}_title`);
        dot.node(title, {
          label: groupLabel(GROUPS.vpc, `VPC ${v.name} ${v.cidr}`, esc(facts.join(' · '))),
          fontcolor: GROUPS.vpc.color,
        });
        const inside = dot.nodesOf(() => (inVpc.get(v.key) ?? []).forEach((draw) => draw()));
        // beside the nodes that edges from outside enter (load balancers, databases), so they pass it by
        const entries = inside.filter(
          (n) => model.nlbs.some((l) => id(l.key) === n) || model.databases.some((d) => id(d.key) === n),
        );
        if (entries.length > 0) {
          dot.line(`{ rank=same; ${[title, ...entries].join('; ')}; }`);
          dot.edge(title, entries[0], { style: 'invis' });
        }
      });
    }
    for (const draw of [...inVpc.entries()]
      .filter(([k]) => !model.vpcs.some((v) => v.key === k))
      .flatMap(([, d]) => d)) {
      draw();
    }
  });
  if (opts.links === false) {
    return dot.toString(
      'summary',
      graphAttrs(opts.title ?? `GTUC items at a glance (${model.region})`, 'TB', opts.source),
    );
  }
  const links: Array<[string, string]> = [
    ['architecture.svg', 'overview: every rule, method, subnet tier and log group'],
    ['architecture-network.svg', 'network: every subnet, route table, route and TGW table'],
    ['architecture-security.svg', 'security: every security group rule and NACL entry'],
    ['cost.md', 'monthly cost estimate (npx projen cost)'],
  ];
  const cells = links.map(
    ([href, what]) =>
      `<TR><TD ALIGN="LEFT" HREF="${href}" TOOLTIP="${esc(what)}"><FONT POINT-SIZE="9" COLOR="#1A56B0">${esc(href)}</FONT><FONT POINT-SIZE="9">  ${esc(what)}</FONT></TD></TR>`,
  );
  if (model.unmodelled.length > 0) {
    const list = model.unmodelled.map((u) => `${u.type} ×${u.count}`);
    cells.push(
      `<TR><TD ALIGN="LEFT" BALIGN="LEFT"><FONT POINT-SIZE="9" COLOR="#5F6368">not drawn: ${wrap(list, 70)}</FONT></TD></TR>`,
    );
  }
  dot.node('full_views', {
    label: `<<TABLE BORDER="1" CELLBORDER="0" CELLSPACING="0" CELLPADDING="3" BGCOLOR="#FFFFFF" COLOR="#9AA0A6" STYLE="rounded"><TR><TD ALIGN="LEFT"><B>Full views</B></TD></TR>${cells.join('')}</TABLE>>`,
  });
  return dot.toString('summary', graphAttrs(opts.title ?? `GTUC items at a glance (${model.region})`, 'TB'));
}

/** Options of a rendering. */
export interface RenderOptions {
  /** The picture's title (summary view). */
  readonly title?: string;
  /** What the templates are, for the subtitle. */
  readonly source?: string;
  /** Whether the summary view links the full views and the cost table (the example's docs). */
  readonly links?: boolean;
}

/** The icon of a load balancer. */
function lbIcon(lb: Nlb): IconKind {
  return lb.type === 'network' ? 'nlb' : 'alb';
}

/** Wraps plain text into lines of about `width` characters at spaces (DOT `\n`, for edge labels). */
function wrapText(s: string, width: number): string {
  const lines: string[] = [];
  let line = '';
  for (const word of s.split(' ')) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  return [...lines, line].join('\n');
}

/** The DOT source of one view. */
export function renderDot(model: Model, view: View = 'overview', opts: RenderOptions = {}): string {
  switch (view) {
    case 'network':
      return renderNetwork(model);
    case 'security':
      return renderSecurity(model);
    case 'summary':
      return renderSummary(model, opts);
    default:
      return renderOverview(model);
  }
}

export { splitKey };
