/**
 * The architecture model: what the synthesized templates deploy, with every cross-stack reference
 * resolved. Everything is sorted so the drawing is deterministic; nothing volatile (asset hashes,
 * timestamps, deployment ids) is kept.
 */
import {
  asList,
  isJoin,
  isRef,
  num,
  refKey,
  refsIn,
  Resolved,
  Resolver,
  splitKey,
  str,
  tag,
  Templates,
  text,
} from './cfn';

export interface Vpc {
  key: string;
  name: string;
  cidr: string;
  stack: string;
  flowLogGroups: string[];
  defaultSg: string;
}
export interface Subnet {
  key: string;
  name: string;
  cidr: string;
  az: string;
  vpc: string;
  tier: string;
  public: boolean;
  routeTable?: string;
  nacl?: string;
}
export interface Route {
  dest: string;
  target: string;
  targetKey?: string;
}
export interface RouteTable {
  key: string;
  name: string;
  vpc: string;
  routes: Route[];
  subnets: string[];
}
export interface NaclEntry {
  ruleNumber: number;
  egress: boolean;
  action: string;
  protocol: string;
  ports: string;
  cidr: string;
}
export interface Nacl {
  key: string;
  name: string;
  vpc: string;
  entries: NaclEntry[];
  subnets: string[];
}
export type Peer = { kind: 'sg'; key: string } | { kind: 'cidr'; cidr: string } | { kind: 'prefix-list'; id: string };
export interface SgRule {
  sg: string;
  direction: 'ingress' | 'egress';
  protocol: string;
  ports: string;
  peer: Peer;
  description: string;
  /** inline (SecurityGroupIngress/Egress property), resource (AWS::EC2::SecurityGroupIngress/Egress) or implicit. */
  origin: 'inline' | 'resource' | 'implicit';
}
export interface SecurityGroup {
  key: string;
  name: string;
  description: string;
  vpc: string;
  stack: string;
  isDefault: boolean;
  /** Labels of the resources that use the group. */
  usedBy: string[];
  notes: string[];
}
export interface Placement {
  subnet: string;
  kind: 'nat' | 'tgw-eni' | 'nlb' | 'instances' | 'tasks' | 'db' | 'endpoint' | 'lambda';
  label: string;
  /** The model item placed (NLB key, service key, ...). */
  item: string;
}
export interface TgwAttachment {
  key: string;
  name: string;
  vpc: string;
  subnets: string[];
}
export interface TgwRouteTable {
  key: string;
  name: string;
  associations: string[];
  propagations: string[];
}
export interface Tgw {
  key: string;
  name: string;
  asn: string;
  details: string[];
  attachments: TgwAttachment[];
  routeTables: TgwRouteTable[];
}
export interface Endpoint {
  key: string;
  service: string;
  type: string;
  vpc: string;
  subnets: string[];
  sgs: string[];
  routeTables: string[];
}
export interface Nlb {
  key: string;
  name: string;
  stack: string;
  scheme: string;
  subnets: string[];
  sgs: string[];
  listeners: string[];
  targetGroups: string[];
  tgKeys: string[];
}
export interface EcsService {
  key: string;
  name: string;
  stack: string;
  cluster: string;
  networkMode: string;
  desired: string;
  scaling: string;
  container: string;
  subnets: string[];
  sgs: string[];
  asg?: string;
  nlb?: string;
  logGroups: string[];
  secrets: string[];
}
export interface Asg {
  key: string;
  name: string;
  stack: string;
  instanceType: string;
  size: string;
  subnets: string[];
  sgs: string[];
}
export interface DbCluster {
  key: string;
  name: string;
  engine: string;
  port: string;
  sgs: string[];
  subnets: string[];
  instances: Array<{ key: string; name: string; role: string; cls: string; az: string; subnet?: string }>;
  logGroups: string[];
  secret?: string;
}
export interface Api {
  key: string;
  name: string;
  stack: string;
  endpointType: string;
  stages: Array<{ key: string; name: string; throttle: string; accessLogGroup?: string }>;
  usagePlans: Array<{ key: string; name: string; throttle: string }>;
  vpcLinks: Array<{ key: string; name: string; targets: string[] }>;
  methods: string[];
}
export interface WebAclRule {
  priority: number;
  name: string;
  action: string;
  statement: string;
}
export interface WebAcl {
  key: string;
  name: string;
  stack: string;
  defaultAction: string;
  rules: WebAclRule[];
  associatedWith: string[];
  logGroups: string[];
}
export interface LogGroup {
  key: string;
  name: string;
  retention: string;
  stack: string;
  purpose: string;
}
export interface Secret {
  key: string;
  name: string;
  rotation: string;
  stack: string;
}
export interface Model {
  region: string;
  stacks: string[];
  vpcs: Vpc[];
  subnets: Subnet[];
  routeTables: RouteTable[];
  nacls: Nacl[];
  internetGateways: Array<{ key: string; name: string; vpc: string }>;
  natGateways: Array<{ key: string; name: string; subnet: string }>;
  tgws: Tgw[];
  endpoints: Endpoint[];
  securityGroups: SecurityGroup[];
  sgRules: SgRule[];
  placements: Placement[];
  nlbs: Nlb[];
  asgs: Asg[];
  services: EcsService[];
  databases: DbCluster[];
  apis: Api[];
  webAcls: WebAcl[];
  logGroups: LogGroup[];
  secrets: Secret[];
  /** Rotation function → the secret it rotates. */
  rotations: Array<{ fn: string; secret: string }>;
}

const byKey = <T extends { key: string }>(a: T, b: T) => cmp(a.key, b.key);
export function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
/** Natural comparison: `subnet-2` before `subnet-10`. */
export function natural(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true });
}
function uniq(list: string[]): string[] {
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

function ports(protocol: string, from: Resolved, to: Resolved): string {
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
function constructPath(description: string, stack: string): string | undefined {
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

function shortService(serviceName: string): string {
  return serviceName.replace(/^com\.amazonaws\.[a-z0-9-]+\./, '').replace(/^\$\{[^}]+\}\./, '');
}

function wafAction(rule: Record<string, Resolved>): string {
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

function wafStatement(s: Record<string, Resolved> | undefined): string {
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
export function buildModel(templates: Templates): Model {
  const r = new Resolver(templates);
  const res = (type: string) => r.resources(type);
  const P = (key: string) => r.props(key);
  const region =
    uniq(
      res('AWS::EC2::Subnet')
        .map((s) => str(P(s.key).AvailabilityZone))
        .filter((az): az is string => !!az)
        .map((az) => az.replace(/[a-z]$/, '')),
    ).sort()[0] ?? 'region';

  // ---------------------------------------------------------------- VPCs, subnets
  const vpcs: Vpc[] = res('AWS::EC2::VPC').map((v) => ({
    key: v.key,
    name: tag(P(v.key), 'Name') ?? v.id,
    cidr: str(P(v.key).CidrBlock) ?? '?',
    stack: v.stack,
    flowLogGroups: [],
    defaultSg: `${v.key}#DefaultSecurityGroup`,
  }));
  const subnets: Subnet[] = res('AWS::EC2::Subnet')
    .map((s) => {
      const p = P(s.key);
      const name = tag(p, 'Name') ?? s.id;
      return {
        key: s.key,
        name,
        cidr: str(p.CidrBlock) ?? '?',
        az: str(p.AvailabilityZone) ?? '?',
        vpc: refKey(p.VpcId) ?? '?',
        tier: tag(p, 'subnet-tier') ?? tag(p, 'aws-cdk:subnet-name') ?? name,
        public: p.MapPublicIpOnLaunch === true,
      } as Subnet;
    })
    .sort((a, b) => cmp(a.vpc, b.vpc) || cmp(a.az, b.az) || cmp(cidrKey(a.cidr), cidrKey(b.cidr)));
  const subnet = new Map(subnets.map((s) => [s.key, s]));

  // ---------------------------------------------------------------- gateways
  const internetGateways = res('AWS::EC2::VPCGatewayAttachment')
    .filter((a) => refKey(P(a.key).InternetGatewayId))
    .map((a) => {
      const igw = refKey(P(a.key).InternetGatewayId)!;
      return { key: igw, name: tag(P(igw), 'Name') ?? splitKey(igw)[1], vpc: refKey(P(a.key).VpcId) ?? '?' };
    })
    .sort(byKey);
  const natGateways = res('AWS::EC2::NatGateway')
    .map((n) => ({ key: n.key, name: tag(P(n.key), 'Name') ?? n.id, subnet: refKey(P(n.key).SubnetId) ?? '?' }))
    .sort(byKey);

  // ---------------------------------------------------------------- transit gateways
  const tgws: Tgw[] = res('AWS::EC2::TransitGateway').map((t) => {
    const p = P(t.key);
    const details = [
      `default RT association: ${str(p.DefaultRouteTableAssociation) ?? 'enable'}`,
      `default RT propagation: ${str(p.DefaultRouteTablePropagation) ?? 'enable'}`,
    ];
    return {
      key: t.key,
      name: tag(p, 'Name') ?? t.id,
      asn: str(p.AmazonSideAsn) ?? '64512',
      details,
      attachments: res('AWS::EC2::TransitGatewayAttachment')
        .concat(res('AWS::EC2::TransitGatewayVpcAttachment'))
        .filter((a) => refKey(P(a.key).TransitGatewayId) === t.key)
        .map((a) => ({
          key: a.key,
          name: tag(P(a.key), 'Name') ?? a.id,
          vpc: refKey(P(a.key).VpcId) ?? '?',
          subnets: asList(P(a.key).SubnetIds)
            .map(refKey)
            .filter((k): k is string => !!k),
        }))
        .sort(byKey),
      routeTables: res('AWS::EC2::TransitGatewayRouteTable')
        .filter((rt) => refKey(P(rt.key).TransitGatewayId) === t.key)
        .map((rt) => ({
          key: rt.key,
          name: tag(P(rt.key), 'Name') ?? rt.id,
          associations: res('AWS::EC2::TransitGatewayRouteTableAssociation')
            .filter((a) => refKey(P(a.key).TransitGatewayRouteTableId) === rt.key)
            .map((a) => refKey(P(a.key).TransitGatewayAttachmentId) ?? '?')
            .sort(),
          propagations: res('AWS::EC2::TransitGatewayRouteTablePropagation')
            .filter((a) => refKey(P(a.key).TransitGatewayRouteTableId) === rt.key)
            .map((a) => refKey(P(a.key).TransitGatewayAttachmentId) ?? '?')
            .sort(),
        }))
        .sort(byKey),
    };
  });

  // ---------------------------------------------------------------- endpoints
  const endpoints: Endpoint[] = res('AWS::EC2::VPCEndpoint')
    .map((e) => {
      const p = P(e.key);
      return {
        key: e.key,
        service: shortService(str(p.ServiceName) ?? text(p.ServiceName)),
        type: str(p.VpcEndpointType) ?? 'Gateway',
        vpc: refKey(p.VpcId) ?? '?',
        subnets: asList(p.SubnetIds)
          .map(refKey)
          .filter((k): k is string => !!k),
        sgs: asList(p.SecurityGroupIds)
          .map(refKey)
          .filter((k): k is string => !!k),
        routeTables: asList(p.RouteTableIds)
          .map(refKey)
          .filter((k): k is string => !!k),
      };
    })
    .sort((a, b) => cmp(a.vpc, b.vpc) || cmp(a.type, b.type) || cmp(a.service, b.service) || cmp(a.key, b.key));

  // ---------------------------------------------------------------- route tables
  const targetName = (key: string): string => {
    const t = r.type(key);
    const p = P(key);
    const name = tag(p, 'Name') ?? splitKey(key)[1];
    switch (t) {
      case 'AWS::EC2::InternetGateway':
        return `IGW ${name}`;
      case 'AWS::EC2::NatGateway':
        return `NAT ${name}`;
      case 'AWS::EC2::TransitGateway':
        return `TGW ${name}`;
      case 'AWS::EC2::VPCEndpoint':
        return `endpoint ${shortService(str(p.ServiceName) ?? '')}`;
      case 'AWS::EC2::VPCPeeringConnection':
        return `peering ${name}`;
      default:
        return name;
    }
  };
  const routeTables: RouteTable[] = res('AWS::EC2::RouteTable')
    .map((t) => {
      const p = P(t.key);
      const vpc = refKey(p.VpcId) ?? '?';
      const routes: Route[] = [{ dest: vpcs.find((v) => v.key === vpc)?.cidr ?? 'VPC CIDR', target: 'local' }];
      for (const route of res('AWS::EC2::Route')) {
        const rp = P(route.key);
        if (refKey(rp.RouteTableId) !== t.key) {
          continue;
        }
        const dest =
          str(rp.DestinationCidrBlock) ?? str(rp.DestinationIpv6CidrBlock) ?? text(rp.DestinationPrefixListId);
        const targetProp = [
          'GatewayId',
          'NatGatewayId',
          'TransitGatewayId',
          'VpcEndpointId',
          'VpcPeeringConnectionId',
          'NetworkInterfaceId',
          'InstanceId',
          'EgressOnlyInternetGatewayId',
          'CarrierGatewayId',
          'LocalGatewayId',
        ].find((k) => rp[k] !== undefined);
        const targetKey = targetProp ? refKey(rp[targetProp]) : undefined;
        routes.push({
          dest,
          target: targetKey ? targetName(targetKey) : targetProp ? text(rp[targetProp]) : '?',
          targetKey,
        });
      }
      for (const e of endpoints) {
        if (e.routeTables.includes(t.key)) {
          routes.push({ dest: `pl-${e.service}`, target: `gateway endpoint ${e.service}`, targetKey: e.key });
        }
      }
      routes.sort((a, b) => cmp(cidrKey(a.dest), cidrKey(b.dest)) || cmp(a.target, b.target));
      const subnetsOf = res('AWS::EC2::SubnetRouteTableAssociation')
        .filter((a) => refKey(P(a.key).RouteTableId) === t.key)
        .map((a) => refKey(P(a.key).SubnetId) ?? '?')
        .sort();
      return { key: t.key, name: tag(p, 'Name') ?? t.id, vpc, routes, subnets: subnetsOf };
    })
    .sort((a, b) => cmp(a.vpc, b.vpc) || cmp(a.name, b.name));
  for (const t of routeTables) {
    for (const s of t.subnets) {
      if (subnet.has(s)) {
        subnet.get(s)!.routeTable = t.key;
      }
    }
  }

  // ---------------------------------------------------------------- network ACLs
  const nacls: Nacl[] = res('AWS::EC2::NetworkAcl')
    .map((n) => {
      const p = P(n.key);
      const entries = res('AWS::EC2::NetworkAclEntry')
        .filter((e) => refKey(P(e.key).NetworkAclId) === n.key)
        .map((e) => {
          const ep = P(e.key);
          const protocol = protocolName(ep.Protocol);
          const range = ep.PortRange as Record<string, Resolved> | undefined;
          const icmp = ep.Icmp as Record<string, Resolved> | undefined;
          return {
            ruleNumber: num(ep.RuleNumber) ?? 0,
            egress: ep.Egress === true || ep.Egress === 'true',
            action: (str(ep.RuleAction) ?? '?').toUpperCase(),
            protocol,
            ports: range ? ports(protocol, range.From, range.To) : icmp ? ports(protocol, icmp.Type, icmp.Code) : 'all',
            cidr: str(ep.CidrBlock) ?? str(ep.Ipv6CidrBlock) ?? '?',
          };
        })
        .sort((a, b) => Number(a.egress) - Number(b.egress) || a.ruleNumber - b.ruleNumber);
      const subnetsOf = res('AWS::EC2::SubnetNetworkAclAssociation')
        .filter((a) => refKey(P(a.key).NetworkAclId) === n.key)
        .map((a) => refKey(P(a.key).SubnetId) ?? '?')
        .sort();
      return { key: n.key, name: tag(p, 'Name') ?? n.id, vpc: refKey(p.VpcId) ?? '?', entries, subnets: subnetsOf };
    })
    .sort((a, b) => cmp(a.vpc, b.vpc) || cmp(a.name, b.name));
  for (const n of nacls) {
    for (const s of n.subnets) {
      if (subnet.has(s)) {
        subnet.get(s)!.nacl = n.key;
      }
    }
  }

  // ---------------------------------------------------------------- security groups
  const securityGroups: SecurityGroup[] = [];
  const sgRules: SgRule[] = [];
  const sgRule = (
    sg: string,
    direction: 'ingress' | 'egress',
    rp: Record<string, Resolved>,
    origin: SgRule['origin'],
  ) => {
    const protocol = protocolName(rp.IpProtocol);
    const peerRef = refKey(
      direction === 'ingress'
        ? (rp.SourceSecurityGroupId ?? rp.SourceSecurityGroupName)
        : rp.DestinationSecurityGroupId,
    );
    const peer: Peer = peerRef
      ? { kind: 'sg', key: peerRef }
      : (rp.SourcePrefixListId ?? rp.DestinationPrefixListId)
        ? { kind: 'prefix-list', id: text(rp.SourcePrefixListId ?? rp.DestinationPrefixListId) }
        : { kind: 'cidr', cidr: str(rp.CidrIp) ?? str(rp.CidrIpv6) ?? '?' };
    sgRules.push({
      sg,
      direction,
      protocol,
      ports: ports(protocol, rp.FromPort, rp.ToPort),
      peer,
      description: str(rp.Description) ?? '',
      origin,
    });
  };
  for (const g of res('AWS::EC2::SecurityGroup')) {
    const p = P(g.key);
    const sg: SecurityGroup = {
      key: g.key,
      name: sgName(p, g.stack),
      description: str(p.GroupDescription) ?? '',
      vpc: refKey(p.VpcId) ?? '?',
      stack: g.stack,
      isDefault: false,
      usedBy: [],
      notes: [],
    };
    securityGroups.push(sg);
    for (const rule of asList(p.SecurityGroupIngress)) {
      sgRule(g.key, 'ingress', rule as Record<string, Resolved>, 'inline');
    }
    const egress = asList(p.SecurityGroupEgress) as Array<Record<string, Resolved>>;
    const placeholder = (e: Record<string, Resolved>) =>
      str(e.CidrIp) === '255.255.255.255/32' && protocolName(e.IpProtocol) === 'icmp';
    for (const rule of egress) {
      if (placeholder(rule)) {
        sg.notes.push('egress: none (CDK "Disallow all traffic" placeholder rule)');
      } else {
        sgRule(g.key, 'egress', rule, 'inline');
      }
    }
    if (egress.length === 0) {
      // EC2 keeps its default allow-all egress rule unless the group is created with inline egress rules.
      sgRules.push({
        sg: g.key,
        direction: 'egress',
        protocol: 'all',
        ports: 'all',
        peer: { kind: 'cidr', cidr: '0.0.0.0/0' },
        description: 'EC2 default egress rule: the template declares no inline egress',
        origin: 'implicit',
      });
    }
  }
  for (const [type, direction] of [
    ['AWS::EC2::SecurityGroupIngress', 'ingress'],
    ['AWS::EC2::SecurityGroupEgress', 'egress'],
  ] as const) {
    for (const g of res(type)) {
      const p = P(g.key);
      sgRule(refKey(p.GroupId) ?? '?', direction, p, 'resource');
    }
  }
  // The VPCs' default security groups, with what the Custom::AWS calls do to them.
  for (const v of vpcs) {
    const sg: SecurityGroup = {
      key: v.defaultSg,
      name: `${v.name} default SG`,
      description: `default security group of ${v.name}`,
      vpc: v.key,
      stack: v.stack,
      isDefault: true,
      usedBy: [],
      notes: [],
    };
    let revokedIn = false;
    let revokedOut = false;
    for (const c of res('Custom::AWS').concat(res('AWS::CloudFormation::CustomResource'))) {
      const create = P(c.key).Create ?? P(c.key).Update;
      if (!create || !refsIn(create).includes(v.key)) {
        continue;
      }
      const json = isJoin(create)
        ? create.$join.map((x) => (isRef(x) ? `REF_${x.$ref}_${x.attr ?? ''}` : String(x))).join(create.sep)
        : str(create);
      if (!json || !json.includes(`REF_${v.key}_DefaultSecurityGroup`)) {
        continue;
      }
      try {
        const call = JSON.parse(json) as {
          action?: string;
          parameters?: { Tags?: Array<{ Key: string; Value: string }> };
        };
        if (call.action === 'RevokeSecurityGroupIngress') {
          revokedIn = true;
        } else if (call.action === 'RevokeSecurityGroupEgress') {
          revokedOut = true;
        } else if (call.action === 'CreateTags') {
          const name = call.parameters?.Tags?.find((t) => t.Key === 'Name')?.Value;
          if (name) {
            sg.name = name;
            sg.description = `default security group of ${v.name}`;
          }
        }
      } catch {
        // not a JSON call: ignore
      }
    }
    if (revokedIn) {
      sg.notes.push('ingress: none (default self-reference revoked)');
    } else {
      sgRules.push({
        sg: sg.key,
        direction: 'ingress',
        protocol: 'all',
        ports: 'all',
        peer: { kind: 'sg', key: sg.key },
        description: 'default rule',
        origin: 'implicit',
      });
    }
    if (revokedOut) {
      sg.notes.push('egress: none (default allow-all revoked)');
    } else {
      sgRules.push({
        sg: sg.key,
        direction: 'egress',
        protocol: 'all',
        ports: 'all',
        peer: { kind: 'cidr', cidr: '0.0.0.0/0' },
        description: 'default rule',
        origin: 'implicit',
      });
    }
    securityGroups.push(sg);
  }
  securityGroups.sort((a, b) => cmp(a.vpc, b.vpc) || Number(b.isDefault) - Number(a.isDefault) || cmp(a.key, b.key));
  sgRules.sort(
    (a, b) =>
      cmp(a.sg, b.sg) ||
      cmp(a.direction, b.direction) ||
      cmp(JSON.stringify(a.peer), JSON.stringify(b.peer)) ||
      cmp(a.protocol, b.protocol) ||
      natural(a.ports, b.ports) ||
      cmp(a.origin, b.origin) ||
      cmp(a.description, b.description),
  );
  const sgByKey = new Map(securityGroups.map((g) => [g.key, g]));
  const useSg = (keys: string[], label: string) => {
    for (const k of keys) {
      const g = sgByKey.get(k);
      if (g && !g.usedBy.includes(label)) {
        g.usedBy.push(label);
      }
    }
  };
  for (const e of endpoints) {
    useSg(e.sgs, `endpoint ${e.service}`);
  }

  // ---------------------------------------------------------------- workloads
  const placements: Placement[] = [];
  const place = (subnetKeys: string[], kind: Placement['kind'], label: string, item: string) => {
    for (const s of subnetKeys) {
      placements.push({ subnet: s, kind, label, item });
    }
  };
  for (const n of natGateways) {
    place([n.subnet], 'nat', `NAT gateway ${n.name}`, n.key);
  }
  for (const t of tgws) {
    for (const a of t.attachments) {
      place(a.subnets, 'tgw-eni', `TGW attachment ENI (${a.name})`, a.key);
    }
  }
  for (const e of endpoints) {
    if (e.type === 'Interface') {
      place(e.subnets, 'endpoint', e.service, e.key);
    }
  }

  const nlbs: Nlb[] = res('AWS::ElasticLoadBalancingV2::LoadBalancer')
    .map((l) => {
      const p = P(l.key);
      const listeners = res('AWS::ElasticLoadBalancingV2::Listener')
        .filter((x) => refKey(P(x.key).LoadBalancerArn) === l.key)
        .map((x) => {
          const lp = P(x.key);
          return { text: `${str(lp.Protocol)} :${str(lp.Port)}`, tgs: refsIn(lp.DefaultActions) };
        });
      const tgKeys = uniq(listeners.flatMap((x) => x.tgs)).filter(
        (k) => r.type(k) === 'AWS::ElasticLoadBalancingV2::TargetGroup',
      );
      return {
        key: l.key,
        name: str(p.Name) ?? l.id,
        stack: l.stack,
        scheme: str(p.Scheme) ?? 'internet-facing',
        subnets: asList(p.Subnets)
          .map(refKey)
          .filter((k): k is string => !!k),
        sgs: asList(p.SecurityGroups)
          .map(refKey)
          .filter((k): k is string => !!k),
        listeners: listeners.map((x) => x.text).sort(),
        targetGroups: tgKeys.sort().map((k) => {
          const tp = P(k);
          return `${str(tp.Name) ?? splitKey(k)[1]}: ${str(tp.Protocol)} :${str(tp.Port)}, targets ${str(tp.TargetType) ?? 'instance'}`;
        }),
        tgKeys,
      };
    })
    .sort(byKey);
  for (const l of nlbs) {
    place(l.subnets, 'nlb', `NLB ${l.name} (${l.scheme})`, l.key);
    useSg(l.sgs, `NLB ${l.name}`);
  }

  const asgs: Asg[] = res('AWS::AutoScaling::AutoScalingGroup')
    .map((a) => {
      const p = P(a.key);
      const lc = refKey(p.LaunchConfigurationName);
      const lt = refKey((p.LaunchTemplate as Record<string, Resolved>)?.LaunchTemplateId);
      const lcp = lc ? P(lc) : lt ? ((P(lt).LaunchTemplateData as Record<string, Resolved>) ?? {}) : {};
      return {
        key: a.key,
        name: `${a.stack} instances`,
        stack: a.stack,
        instanceType: str(lcp.InstanceType) ?? '?',
        size: `${str(p.MinSize)}–${str(p.MaxSize)}`,
        subnets: asList(p.VPCZoneIdentifier)
          .map(refKey)
          .filter((k): k is string => !!k),
        sgs: asList(lcp.SecurityGroups ?? lcp.SecurityGroupIds)
          .map(refKey)
          .filter((k): k is string => !!k),
      };
    })
    .sort(byKey);
  for (const a of asgs) {
    place(a.subnets, 'instances', `ECS container instances ${a.instanceType} ×${a.size} (${a.stack})`, a.key);
    useSg(a.sgs, `container instances (${a.stack})`);
  }

  // Log groups first (services and stages name them).
  const logPurpose = new Map<string, string[]>();
  const addPurpose = (key: string | undefined, purpose: string) => {
    if (key && r.type(key) === 'AWS::Logs::LogGroup') {
      logPurpose.set(key, uniq([...(logPurpose.get(key) ?? []), purpose]));
    }
  };
  for (const f of res('AWS::EC2::FlowLog')) {
    const p = P(f.key);
    const target = refKey(p.ResourceId);
    const vpc = vpcs.find((v) => v.key === target);
    const lg = refKey(p.LogGroupName) ?? refsIn(p.LogDestination ?? null)[0];
    addPurpose(lg, `flow logs ${str(p.TrafficType) ?? ''} of ${vpc?.name ?? target}`.replace('  ', ' '));
    if (vpc && lg) {
      vpc.flowLogGroups.push(lg);
    }
  }

  const services: EcsService[] = res('AWS::ECS::Service')
    .map((s) => {
      const p = P(s.key);
      const td = refKey(p.TaskDefinition);
      const tdp = td ? P(td) : {};
      const containers = (tdp.ContainerDefinitions as Array<Record<string, Resolved>>) ?? [];
      const network = ((p.NetworkConfiguration as Record<string, Resolved>)?.AwsvpcConfiguration ?? {}) as Record<
        string,
        Resolved
      >;
      const capacityProviders = refsIn((p.CapacityProviderStrategy as Resolved) ?? null);
      const asg = capacityProviders
        .map((cp) => refsIn((P(cp).AutoScalingGroupProvider as Resolved) ?? null)[0])
        .find((k) => k && r.type(k) === 'AWS::AutoScaling::AutoScalingGroup');
      const tg = refsIn((p.LoadBalancers as Resolved) ?? null);
      const nlb = nlbs.find((l) => l.tgKeys.some((k) => tg.includes(k)));
      const logGroups = uniq(
        containers.flatMap((c) =>
          refsIn(((c.LogConfiguration as Record<string, Resolved>)?.Options as Resolved) ?? null),
        ),
      ).filter((k) => r.type(k) === 'AWS::Logs::LogGroup');
      // Secrets the container gets (ECS secrets) or reads itself (an ARN in its environment, e.g. DB_SECRET_ARN).
      const secrets = uniq(
        containers
          .flatMap((c) => [...refsIn((c.Secrets as Resolved) ?? null), ...refsIn((c.Environment as Resolved) ?? null)])
          .map((k) => (r.type(k) === 'AWS::SecretsManager::SecretTargetAttachment' ? (refKey(P(k).SecretId) ?? k) : k))
          .filter((k) => r.type(k) === 'AWS::SecretsManager::Secret'),
      );
      const scaling = res('AWS::ApplicationAutoScaling::ScalableTarget')
        .filter((t) => refsIn(P(t.key).ResourceId).includes(s.key))
        .map((t) => {
          const policies = res('AWS::ApplicationAutoScaling::ScalingPolicy')
            .filter((sp) => refKey(P(sp.key).ScalingTargetId) === t.key)
            .map((sp) => {
              const c = P(sp.key).TargetTrackingScalingPolicyConfiguration as Record<string, Resolved> | undefined;
              const metric = str((c?.PredefinedMetricSpecification as Record<string, Resolved>)?.PredefinedMetricType);
              const custom = c?.CustomizedMetricSpecification as Record<string, Resolved> | undefined;
              if (!c) {
                return str(P(sp.key).PolicyType) ?? '';
              }
              if (metric && /Utilization$/.test(metric)) {
                return `${metric.replace(/^ECSServiceAverage/, '').replace('Utilization', '')} ${str(c.TargetValue)}%`;
              }
              const returned = ((custom?.Metrics as Array<Record<string, Resolved>>) ?? []).find(
                (m) => m.ReturnData !== false,
              );
              const name =
                metric ??
                str(custom?.MetricName) ??
                str(returned?.Label) ??
                str(returned?.Expression) ??
                'custom metric';
              return `${name} target ${str(c.TargetValue)}`;
            })
            .sort();
          return `${str(P(t.key).MinCapacity)}–${str(P(t.key).MaxCapacity)} tasks${policies.length ? ` (${policies.join(', ')})` : ''}`;
        })
        .join('; ');
      const cluster = refKey(p.Cluster);
      const mode = str(tdp.NetworkMode) ?? 'bridge';
      const container = containers
        .map(
          (c) =>
            `${str(c.Name)} ${str(c.Cpu) ?? '?'} CPU / ${str(c.Memory) ?? str(c.MemoryReservation) ?? '?'} MiB, ports ${(
              (c.PortMappings as Array<Record<string, Resolved>>) ?? []
            )
              .map(
                (m) =>
                  `${str(m.HostPort) === '0' ? 'dynamic' : (str(m.HostPort) ?? str(m.ContainerPort))}→${str(m.ContainerPort)}`,
              )
              .join(', ')}`,
        )
        .join('; ');
      for (const lg of logGroups) {
        addPurpose(lg, `container logs of ${str(p.ServiceName) ?? s.id}`);
      }
      return {
        key: s.key,
        name: str(p.ServiceName) ?? s.id,
        stack: s.stack,
        cluster: cluster ? (str(P(cluster).ClusterName) ?? splitKey(cluster)[1]) : '?',
        networkMode: mode,
        desired: str(p.DesiredCount) ?? '?',
        scaling,
        container,
        subnets: asList(network.Subnets)
          .map(refKey)
          .filter((k): k is string => !!k),
        sgs: asList(network.SecurityGroups)
          .map(refKey)
          .filter((k): k is string => !!k),
        asg,
        nlb: nlb?.key,
        logGroups,
        secrets,
      };
    })
    .sort(byKey);
  // One-off tasks that a custom resource runs at deploy time (the schema migrations): placed like tasks.
  for (const t of res('Custom::EcsOneOffTask')) {
    const p = P(t.key);
    const td = refKey(p.TaskDefinitionArn);
    const family = td ? (str(P(td).Family) ?? splitKey(td)[1]) : t.id;
    place(
      asList(p.Subnets)
        .map(refKey)
        .filter((k): k is string => !!k),
      'tasks',
      `one-off task ${family} (at deploy, ${t.stack})`,
      t.key,
    );
    useSg(
      asList(p.SecurityGroups)
        .map(refKey)
        .filter((k): k is string => !!k),
      `one-off task ${family}`,
    );
  }
  // Log groups of task definitions without a service (one-off tasks), functions and state machines.
  for (const td of res('AWS::ECS::TaskDefinition')) {
    const containers = (P(td.key).ContainerDefinitions as Array<Record<string, Resolved>>) ?? [];
    for (const lg of containers.flatMap((c) =>
      refsIn(((c.LogConfiguration as Record<string, Resolved>)?.Options as Resolved) ?? null),
    )) {
      if (!logPurpose.has(lg)) {
        addPurpose(lg, `container logs of task ${str(P(td.key).Family) ?? td.id}`);
      }
    }
  }
  for (const f of res('AWS::Lambda::Function')) {
    const p = P(f.key);
    const lg = refsIn(((p.LoggingConfig as Record<string, Resolved>)?.LogGroup as Resolved) ?? null)[0];
    addPurpose(lg, `function logs: ${str(p.Description) ?? f.id}`);
  }
  for (const m of res('AWS::StepFunctions::StateMachine')) {
    const lg = refsIn((P(m.key).LoggingConfiguration as Resolved) ?? null).find(
      (k) => r.type(k) === 'AWS::Logs::LogGroup',
    );
    addPurpose(lg, `state machine logs: ${m.id.replace(/[A-F0-9]{8}$/, '')}`);
  }
  for (const s of services) {
    if (s.subnets.length > 0) {
      place(s.subnets, 'tasks', `tasks ${s.name} (${s.networkMode}) ×${s.desired}`, s.key);
      useSg(s.sgs, `tasks ${s.name}`);
    } else if (s.asg) {
      const asg = asgs.find((a) => a.key === s.asg)!;
      place(asg.subnets, 'tasks', `tasks ${s.name} (${s.networkMode}, on the instances) ×${s.desired}`, s.key);
    }
  }

  // ---------------------------------------------------------------- databases
  const secretName = (key: string): string => {
    const sk = r.type(key) === 'AWS::SecretsManager::SecretTargetAttachment' ? (refKey(P(key).SecretId) ?? key) : key;
    return str(P(sk).Name) ?? splitKey(sk)[1];
  };
  const databases: DbCluster[] = res('AWS::RDS::DBCluster')
    .map((c) => {
      const p = P(c.key);
      const name = str(p.DBClusterIdentifier) ?? c.id;
      const sng = refKey(p.DBSubnetGroupName);
      const subnetKeys = sng
        ? asList(P(sng).SubnetIds)
            .map(refKey)
            .filter((k): k is string => !!k)
        : [];
      const instances = res('AWS::RDS::DBInstance')
        .filter((i) => refKey(P(i.key).DBClusterIdentifier) === c.key)
        .map((i) => {
          const ip = P(i.key);
          const az = str(ip.AvailabilityZone) ?? '?';
          const tier = num(ip.PromotionTier) ?? 1;
          return {
            key: i.key,
            name: str(ip.DBInstanceIdentifier) ?? i.id,
            role: /writer/i.test(str(ip.DBInstanceIdentifier) ?? i.id) || tier === 0 ? 'writer' : 'reader',
            cls: str(ip.DBInstanceClass) ?? '?',
            az,
            subnet: subnetKeys.find((k) => subnet.get(k)?.az === az),
          };
        })
        .sort((a, b) => cmp(a.role === 'writer' ? '0' : '1', b.role === 'writer' ? '0' : '1') || cmp(a.name, b.name));
      // The master secret: the one the cluster's master password resolves from (other secrets, such as an
      // application user's, may be attached to the cluster too).
      const masterSecret = refsIn((p.MasterUserPassword as Resolved) ?? null).find(
        (k) => r.type(k) === 'AWS::SecretsManager::Secret',
      );
      const secretAttachment = res('AWS::SecretsManager::SecretTargetAttachment').find(
        (a) => refKey(P(a.key).TargetId) === c.key && (!masterSecret || refKey(P(a.key).SecretId) === masterSecret),
      );
      const secret = masterSecret ?? (secretAttachment ? refKey(P(secretAttachment.key).SecretId) : undefined);
      const logs = (asList(p.EnableCloudwatchLogsExports).map(str) as string[]).map(
        (kind) => `/aws/rds/cluster/${name}/${kind}`,
      );
      const logGroups = res('AWS::Logs::LogGroup')
        .filter((l) => logs.includes(str(P(l.key).LogGroupName) ?? ''))
        .map((l) => l.key);
      for (const lg of logGroups) {
        addPurpose(lg, `${name} log export`);
      }
      const sgs = asList(p.VpcSecurityGroupIds)
        .map(refKey)
        .filter((k): k is string => !!k);
      useSg(sgs, `Aurora ${name}`);
      return {
        key: c.key,
        name,
        engine: `${str(p.Engine)} ${str(p.EngineVersion) ?? ''}`.trim(),
        port: str(p.Port) ?? '?',
        sgs,
        subnets: subnetKeys,
        instances,
        logGroups,
        secret,
      };
    })
    .sort(byKey);
  for (const d of databases) {
    for (const i of d.instances) {
      if (i.subnet) {
        place([i.subnet], 'db', `Aurora ${i.role} ${i.name} ${i.cls}`, i.key);
      }
    }
  }

  // Which function rotates which secret (a schedule names the function and the secret or its attachment).
  const rotations = res('AWS::SecretsManager::RotationSchedule')
    .map((rs) => {
      const fn = refsIn(P(rs.key).RotationLambdaARN ?? null)[0];
      const target = refKey(P(rs.key).SecretId);
      const secret =
        target && r.type(target) === 'AWS::SecretsManager::SecretTargetAttachment'
          ? refKey(P(target).SecretId)
          : target;
      return fn && secret ? { fn, secret } : undefined;
    })
    .filter((x): x is { fn: string; secret: string } => x !== undefined)
    .sort((a, b) => cmp(a.fn, b.fn));

  // Lambda functions in VPCs (plain and SAR applications such as the secret rotation function).
  for (const f of res('AWS::Lambda::Function')) {
    const vc = P(f.key).VpcConfig as Record<string, Resolved> | undefined;
    if (vc) {
      const keys = asList(vc.SubnetIds)
        .map(refKey)
        .filter((k): k is string => !!k);
      const label = `Lambda ${str(P(f.key).FunctionName) ?? f.id}`;
      place(keys, 'lambda', label, f.key);
      useSg(
        asList(vc.SecurityGroupIds)
          .map(refKey)
          .filter((k): k is string => !!k),
        label,
      );
    }
  }
  for (const a of res('AWS::Serverless::Application')) {
    const params = (P(a.key).Parameters ?? {}) as Record<string, Resolved>;
    const keys = asList(params.vpcSubnetIds ?? null)
      .map(refKey)
      .filter((k): k is string => !!k);
    if (keys.length > 0) {
      const rotated = rotations.find((x) => x.fn === a.key);
      const label = rotated
        ? `secret rotation Lambda (${secretName(rotated.secret)})`
        : `Lambda ${str(params.functionName) ?? a.id}`;
      place(keys, 'lambda', label, a.key);
      useSg(
        asList(params.vpcSecurityGroupIds ?? null)
          .map(refKey)
          .filter((k): k is string => !!k),
        label,
      );
    }
  }
  placements.sort(
    (a, b) =>
      cmp(a.subnet, b.subnet) ||
      cmp(String(KIND_ORDER.indexOf(a.kind)).padStart(2, '0'), String(KIND_ORDER.indexOf(b.kind)).padStart(2, '0')) ||
      cmp(a.label, b.label),
  );

  // ---------------------------------------------------------------- API Gateway, WAF
  const apis: Api[] = res('AWS::ApiGateway::RestApi')
    .map((a) => {
      const p = P(a.key);
      const stages = res('AWS::ApiGateway::Stage')
        .filter((s) => refKey(P(s.key).RestApiId) === a.key)
        .map((s) => {
          const sp = P(s.key);
          const ms = ((sp.MethodSettings as Array<Record<string, Resolved>>) ?? []).find(
            (m) => str(m.ResourcePath) === '/*',
          );
          const accessLogGroup = refsIn((sp.AccessLogSetting as Resolved) ?? null).find(
            (k) => r.type(k) === 'AWS::Logs::LogGroup',
          );
          addPurpose(accessLogGroup, `access logs of ${str(p.Name)} stage ${str(sp.StageName)}`);
          return {
            key: s.key,
            name: str(sp.StageName) ?? s.id,
            throttle: ms
              ? `${str(ms.ThrottlingRateLimit) ?? '-'} rps, burst ${str(ms.ThrottlingBurstLimit) ?? '-'}`
              : 'account default',
            accessLogGroup,
          };
        })
        .sort(byKey);
      const usagePlans = res('AWS::ApiGateway::UsagePlan')
        .filter((u) => refsIn(P(u.key).ApiStages).includes(a.key))
        .map((u) => {
          const up = P(u.key);
          const t = (up.Throttle ?? {}) as Record<string, Resolved>;
          const q = up.Quota as Record<string, Resolved> | undefined;
          return {
            key: u.key,
            name: str(up.UsagePlanName) ?? 'usage plan',
            throttle: `${str(t.RateLimit) ?? '-'} rps, burst ${str(t.BurstLimit) ?? '-'}${q ? `, quota ${str(q.Limit)}/${str(q.Period)}` : ''}`,
          };
        })
        .sort(byKey);
      const methods = res('AWS::ApiGateway::Method').filter((m) => refKey(P(m.key).RestApiId) === a.key);
      const links = uniq(
        methods.map((m) => refKey((P(m.key).Integration as Record<string, Resolved>)?.ConnectionId ?? null) ?? ''),
      ).filter((k) => r.type(k) === 'AWS::ApiGateway::VpcLink');
      const resourcePath = (m: string): string => {
        const rid = P(m).ResourceId;
        if (isRef(rid) && rid.attr === 'RootResourceId') {
          return '/';
        }
        const parts: string[] = [];
        let cur = refKey(rid);
        while (cur && r.type(cur) === 'AWS::ApiGateway::Resource') {
          parts.unshift(str(P(cur).PathPart) ?? '?');
          const parent = P(cur).ParentId;
          cur = isRef(parent) && parent.attr === 'RootResourceId' ? undefined : refKey(parent);
        }
        return '/' + parts.join('/');
      };
      const byPathAuth = new Map<string, string[]>();
      for (const m of methods) {
        const mp = P(m.key);
        const k = `${resourcePath(m.key)}\u0000${str(mp.AuthorizationType) ?? 'NONE'}${mp.ApiKeyRequired === true ? ' + API key' : ''}`;
        byPathAuth.set(k, [...(byPathAuth.get(k) ?? []), str(mp.HttpMethod) ?? '?']);
      }
      const order = ['ANY', 'GET', 'HEAD', 'OPTIONS', 'POST', 'PUT', 'PATCH', 'DELETE'];
      const methodLines = [...byPathAuth.entries()]
        .map(([k, verbs]) => {
          const [path, auth] = k.split('\u0000');
          verbs.sort((x, y) => order.indexOf(x) - order.indexOf(y) || cmp(x, y));
          return `${path} ${verbs.join(' ')}: ${auth === 'NONE' ? 'no auth' : auth}`;
        })
        .sort();
      return {
        key: a.key,
        name: str(p.Name) ?? a.id,
        stack: a.stack,
        endpointType: asList(((p.EndpointConfiguration ?? {}) as Record<string, Resolved>).Types ?? 'EDGE')
          .map(text)
          .join(', '),
        stages,
        usagePlans,
        vpcLinks: links.sort().map((k) => ({
          key: k,
          name: str(P(k).Name) ?? splitKey(k)[1],
          targets: asList(P(k).TargetArns)
            .map(refKey)
            .filter((t): t is string => !!t),
        })),
        methods: methodLines,
      };
    })
    .sort(byKey);

  const webAcls: WebAcl[] = res('AWS::WAFv2::WebACL')
    .map((w) => {
      const p = P(w.key);
      const rules = ((p.Rules as Array<Record<string, Resolved>>) ?? [])
        .map((rule) => ({
          priority: num(rule.Priority) ?? 0,
          name: str(rule.Name) ?? '?',
          action: wafAction(rule),
          statement: wafStatement(rule.Statement as Record<string, Resolved>),
        }))
        .sort((a, b) => a.priority - b.priority || cmp(a.name, b.name));
      const associatedWith = res('AWS::WAFv2::WebACLAssociation')
        .filter((a) => refsIn(P(a.key).WebACLArn).includes(w.key))
        .flatMap((a) => refsIn(P(a.key).ResourceArn))
        .sort();
      const logGroups = res('AWS::WAFv2::LoggingConfiguration')
        .filter((l) => refsIn(P(l.key).ResourceArn).includes(w.key))
        .flatMap((l) => refsIn(P(l.key).LogDestinationConfigs))
        .filter((k) => r.type(k) === 'AWS::Logs::LogGroup')
        .sort();
      for (const lg of logGroups) {
        addPurpose(lg, `WAF logs of ${str(p.Name)}`);
      }
      return {
        key: w.key,
        name: str(p.Name) ?? w.id,
        stack: w.stack,
        defaultAction: Object.keys((p.DefaultAction ?? {}) as object)[0]?.toUpperCase() ?? '?',
        rules,
        associatedWith,
        logGroups,
      };
    })
    .sort(byKey);

  // ---------------------------------------------------------------- logs, secrets
  const logGroups: LogGroup[] = res('AWS::Logs::LogGroup')
    .map((l) => {
      const p = P(l.key);
      const days = str(p.RetentionInDays);
      const name = str(p.LogGroupName);
      return {
        key: l.key,
        name: name ?? '(generated name)',
        retention: days ? `${days} days` : 'never expires',
        stack: l.stack,
        purpose: (logPurpose.get(l.key) ?? []).join('; ') || 'log group',
      };
    })
    .sort(byKey);
  const secrets: Secret[] = res('AWS::SecretsManager::Secret')
    .map((s) => {
      const rotation = res('AWS::SecretsManager::RotationSchedule')
        .filter((rs) => {
          const id = refKey(P(rs.key).SecretId);
          return id === s.key || (id && refKey(P(id).SecretId) === s.key);
        })
        .map((rs) => {
          const rules = (P(rs.key).RotationRules ?? {}) as Record<string, Resolved>;
          return `rotation ${str(rules.ScheduleExpression) ?? `every ${str(rules.AutomaticallyAfterDays)} days`}`;
        })
        .join(', ');
      return { key: s.key, name: secretName(s.key), rotation: rotation || 'no rotation', stack: s.stack };
    })
    .sort(byKey);

  return {
    region,
    stacks: Object.keys(templates).sort(),
    vpcs: vpcs.sort(byKey),
    subnets,
    routeTables,
    nacls,
    internetGateways,
    natGateways,
    tgws: tgws.sort(byKey),
    endpoints,
    securityGroups,
    sgRules,
    placements,
    nlbs,
    asgs,
    services,
    databases,
    apis,
    webAcls,
    logGroups,
    secrets,
    rotations,
  };
}

export const KIND_ORDER: Placement['kind'][] = [
  'nat',
  'tgw-eni',
  'nlb',
  'instances',
  'tasks',
  'db',
  'lambda',
  'endpoint',
];

/** The name of a TGW attachment, for labels. */
export function attachmentName(model: Model, key: string): string {
  for (const t of model.tgws) {
    const a = t.attachments.find((x) => x.key === key);
    if (a) {
      return a.name;
    }
  }
  return splitKey(key)[1];
}
