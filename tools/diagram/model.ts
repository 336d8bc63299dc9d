/**
 * The architecture model: what the synthesized templates deploy, with every cross-stack reference
 * resolved. Everything is sorted so the drawing is deterministic; nothing volatile (asset hashes,
 * timestamps, deployment ids) is kept.
 */
import { splitKey, Templates } from './cfn';
import { cmp } from './extract/common';
import { extractCompute } from './extract/compute';
import { Context } from './extract/context';
import { extractData, extractRotations } from './extract/data';
import { extractEdge } from './extract/edge';
import { extractNetwork } from './extract/network';
import { extractSecurity } from './extract/security';

export { cidrKey, cmp, natural, protocolName, sgName } from './extract/common';

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
/** A load balancer (network or application; the name is historical). */
export interface Nlb {
  key: string;
  name: string;
  stack: string;
  /** `network` or `application`. */
  type: string;
  scheme: string;
  subnets: string[];
  sgs: string[];
  listeners: string[];
  targetGroups: string[];
  tgKeys: string[];
  /** The listener ports that lead to each target group (default actions and listener rules). */
  tgPorts: Record<string, string[]>;
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
  /** Fargate or Fargate Spot (with the CPU architecture) when the service runs there; undefined on EC2. */
  capacity?: string;
  /** The target groups the service registers with. */
  tgKeys: string[];
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
  vpcLinks: VpcLink[];
  methods: string[];
}
/** A VPC link of a REST API: V1 (PrivateLink to NLBs) or V2 (to an ALB or NLB, `IntegrationTarget` per method). */
export interface VpcLink {
  key: string;
  name: string;
  version: 'V1' | 'V2';
  /** The load balancers the link reaches. */
  targets: string[];
  /** What the API's methods send through the link: `<resource path> → <lb>:<port><path>`, one per path prefix. */
  routes: Array<{ path: string; target: string; port: string }>;
}
export interface WebAclRule {
  priority: number;
  name: string;
  action: string;
  statement: string;
  /** The custom response of a Block action: content type and body. */
  response?: { contentType: string; body: string };
}
export interface WebAcl {
  key: string;
  name: string;
  stack: string;
  defaultAction: string;
  /** Seconds a solved CAPTCHA stays valid (the token's immunity time). */
  captchaImmunity: number;
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
/** A secret rotation: the function (a Lambda function or a SAR application) and the secret it rotates. */
export interface Rotation {
  fn: string;
  secret: string;
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
  rotations: Rotation[];
  /** Resource types no extractor reads, with their count: listed in the summary view, never fatal. */
  unmodelled: Array<{ type: string; count: number }>;
}

/**
 * The model of the templates: one extractor per domain (network, security, compute, edge, data), each reading
 * the resource types it knows; resource types no extractor reads are listed in `unmodelled`, never fatal.
 */
export function buildModel(templates: Templates): Model {
  const ctx = new Context(templates);
  const net = extractNetwork(ctx);
  const security = extractSecurity(ctx, net);
  const rotations = extractRotations(ctx);
  const compute = extractCompute(ctx, rotations);
  const edge = extractEdge(ctx);
  const data = extractData(ctx, net);
  const placements = [...ctx.placements].sort(
    (a, b) =>
      cmp(a.subnet, b.subnet) ||
      cmp(String(KIND_ORDER.indexOf(a.kind)).padStart(2, '0'), String(KIND_ORDER.indexOf(b.kind)).padStart(2, '0')) ||
      cmp(a.label, b.label),
  );
  return {
    region: ctx.region,
    stacks: Object.keys(templates).sort(),
    ...net,
    ...security,
    placements,
    ...compute,
    ...edge,
    ...data,
    rotations,
    unmodelled: ctx.unmodelled(),
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
