/** Helpers shared by the extractors: sorting, CIDR keys, protocol and port text, names. */
import { Resolved, str, tag, text } from '../cfn';

export const byKey = <T extends { key: string }>(a: T, b: T) => cmp(a.key, b.key);
export function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
/** Natural comparison: `subnet-2` before `subnet-10`. */
export function natural(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true });
}
export function uniq(list: string[]): string[] {
  return [...new Set(list)];
}

/** IPv4 CIDR sort key, so 10.0.9.0/24 sorts before 10.0.10.0/24. */
export function cidrKey(cidr: string): string {
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\/(\d+)$/.exec(cidr);
  return m
    ? m
        .slice(1)
        .map((n) => n.padStart(3, '0'))
        .join('.')
    : cidr;
}

export function protocolName(p: Resolved): string {
  const v = str(p) ?? '';
  return (
    ({ '-1': 'all', '6': 'tcp', '17': 'udp', '1': 'icmp', '58': 'icmpv6' } as Record<string, string>)[v] ??
    v.toLowerCase()
  );
}

export function ports(protocol: string, from: Resolved, to: Resolved): string {
  if (protocol === 'all') {
    return 'all';
  }
  const f = str(from);
  const t = str(to);
  if (protocol === 'icmp' || protocol === 'icmpv6') {
    return f === '-1' || f === undefined ? 'all types' : `type ${f} code ${t}`;
  }
  if (f === undefined && t === undefined) {
    return 'all';
  }
  if (f === '0' && t === '65535') {
    return 'all ports';
  }
  return f === t || t === undefined ? `${f}` : `${f}-${t}`;
}

/** The path of a CDK construct below its stack, from a description like `stack/A/B/SecurityGroup`. */
export function constructPath(description: string, stack: string): string | undefined {
  if (description.startsWith(`${stack}/`) && !description.includes(' ')) {
    return description
      .slice(stack.length + 1)
      .replace(/\/(Resource|SecurityGroup)$/, '')
      .replace(/^Network\//, '');
  }
  return undefined;
}

/** The display name of a security group: GroupName, the construct path of a CDK default description, or the description. */
export function sgName(props: Record<string, Resolved>, stack: string): string {
  const description = str(props.GroupDescription) ?? '';
  return str(props.GroupName) ?? tag(props, 'Name') ?? constructPath(description, stack) ?? description;
}

export function shortService(serviceName: string): string {
  return serviceName.replace(/^com\.amazonaws\.[a-z0-9-]+\./, '').replace(/^\$\{[^}]+\}\./, '');
}

export function wafAction(rule: Record<string, Resolved>): string {
  const action = rule.Action as Record<string, Resolved> | undefined;
  const override = rule.OverrideAction as Record<string, Resolved> | undefined;
  if (action) {
    const [kind] = Object.keys(action);
    const body = action[kind] as Record<string, Resolved>;
    const custom = (body?.CustomResponse as Record<string, Resolved>) ?? undefined;
    return custom ? `${kind.toUpperCase()} ${str(custom.ResponseCode) ?? ''}`.trim() : kind.toUpperCase();
  }
  if (override) {
    const [kind] = Object.keys(override);
    return kind === 'None' ? 'rule group actions' : `override: ${kind.toUpperCase()}`;
  }
  return '';
}

export function wafStatement(s: Record<string, Resolved> | undefined): string {
  if (!s) {
    return '';
  }
  const [kind] = Object.keys(s);
  const body = s[kind] as Record<string, Resolved>;
  switch (kind) {
    case 'GeoMatchStatement':
      return `geo: ${(body.CountryCodes as string[]).join(', ')}`;
    case 'RateBasedStatement':
      return `rate > ${str(body.Limit)} / ${str(body.EvaluationWindowSec) ?? 300}s per ${str(body.AggregateKeyType) ?? 'IP'}`;
    case 'ManagedRuleGroupStatement': {
      const overrides = ((body.RuleActionOverrides as Array<Record<string, Resolved>>) ?? []).map(
        (o) => `${str(o.Name)}→${Object.keys(o.ActionToUse as object)[0].toUpperCase()}`,
      );
      return `${str(body.VendorName)} managed rule group ${str(body.Name)}${overrides.length ? `, overrides: ${overrides.join(', ')}` : ''}`;
    }
    case 'IPSetReferenceStatement':
      return `IP set ${text(body.Arn)}`;
    case 'AndStatement':
    case 'OrStatement':
      return ((body.Statements as Array<Record<string, Resolved>>) ?? [])
        .map(wafStatement)
        .join(kind === 'AndStatement' ? ' AND ' : ' OR ');
    case 'NotStatement':
      return `NOT (${wafStatement(body.Statement as Record<string, Resolved>)})`;
    default:
      return kind.replace(/Statement$/, '');
  }
}

/** Builds the model from the templates of a cloud assembly. */
