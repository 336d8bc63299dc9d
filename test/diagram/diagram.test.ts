import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { buildGtucApp } from '../../example/app';
import { readTemplates, Templates } from '../../tools/diagram/cfn';
import { generate, generateRecipes, renderDots, staleFiles } from '../../tools/diagram/generate';
import { buildModel, Model, sgName } from '../../tools/diagram/model';
import { id as dotId } from '../../tools/diagram/render';

jest.setTimeout(120_000);

const DOCS = path.join(__dirname, '..', '..', 'docs');

let outdir: string;
let templates: Templates;
let model: Model;
let dots: Record<string, string>;

beforeAll(() => {
  outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'gtuc-diagram-'));
  const app = new App({ outdir });
  buildGtucApp(app);
  app.synth();
  templates = readTemplates(outdir);
  model = buildModel(templates);
  dots = renderDots(model);
});

afterAll(() => {
  fs.rmSync(outdir, { recursive: true, force: true });
});

/** Every resource of a type in the synthesized templates, with its raw properties. */
function resources(type: string): Array<{ stack: string; id: string; props: Record<string, any> }> {
  const out: Array<{ stack: string; id: string; props: Record<string, any> }> = [];
  for (const [stack, t] of Object.entries(templates)) {
    for (const [id, r] of Object.entries(t.Resources ?? {})) {
      if (r.Type === type) {
        out.push({ stack, id, props: (r.Properties ?? {}) as Record<string, any> });
      }
    }
  }
  return out;
}
function nameTag(props: Record<string, any>): string {
  const name = (props.Tags ?? []).find((t: { Key: string }) => t.Key === 'Name')?.Value;
  expect(typeof name).toBe('string');
  return name;
}
/** DOT escapes `"` and HTML labels escape `&<>"`: compare against both forms. */
function contains(dot: string, text: string): boolean {
  const html = text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  return dot.includes(text) || dot.includes(html);
}

test('the example synthesizes the five stacks the diagram reads', () => {
  expect(Object.keys(templates).sort()).toEqual([
    'items-database',
    'items-migrations',
    'items-network',
    'items-service-awsvpc',
    'items-service-bridge',
  ]);
  expect(Object.keys(dots).sort()).toEqual([
    'architecture-network.dot',
    'architecture-security.dot',
    'architecture-summary.dot',
    'architecture.dot',
  ]);
});

test('the summary view draws each front door once, with totals once and the usage plan as what it is', () => {
  const dot = dots['architecture-summary.dot'];
  for (const s of model.services) {
    expect(contains(dot, `ECS service ${s.name}`)).toBe(true);
    expect(contains(dot, `desired ${s.desired} tasks`)).toBe(true);
  }
  for (const a of model.apis) {
    expect(contains(dot, `REST API ${a.name}`)).toBe(true);
  }
  expect(contains(dot, 'limits nothing: no method requires an API key')).toBe(true);
  // per-AZ placements carry no totals
  expect(model.placements.filter((p) => /×/.test(p.label))).toEqual([]);
});

test('the outcomes table covers NG, GH and other countries for browsers and JSON clients, with the CAPTCHA flow', async () => {
  const files = await generate(templates);
  const md = files['architecture-outcomes.md'];
  expect(md).toContain('| NG | browser | 403 from WAF');
  expect(md).toContain('| NG | JSON client | 403 from WAF');
  expect(md).toContain(
    '| GH | browser (GET, `Accept: text/html`), no token | 405 from WAF with the CAPTCHA puzzle page',
  );
  expect(md).toContain('| GH | JSON client (fetch / XHR / server), no token | 405 from WAF, no puzzle');
  // the CAPTCHA rule is scoped to everything but OPTIONS, so a browser's preflight is not challenged
  expect(md).toContain(
    '| GH | browser CORS preflight (`OPTIONS`, no token) | not challenged: rule 40 `CaptchaCountries` excludes `OPTIONS`',
  );
  expect(md).toContain('| other countries | browser or JSON client | 200');
  expect(md).toContain('```mermaid\nsequenceDiagram');
  expect(md).toContain('aws-waf-token cookie (CAPTCHA valid 300 s)');
});

test('the network view shows every VPC (name, CIDR), subnet (name, CIDR, AZ) and route table', () => {
  const dot = dots['architecture-network.dot'];
  const vpcs = resources('AWS::EC2::VPC');
  expect(vpcs.length).toBeGreaterThanOrEqual(2);
  for (const v of vpcs) {
    expect(contains(dot, `VPC ${nameTag(v.props)}  ${v.props.CidrBlock}`)).toBe(true);
  }
  const subnets = resources('AWS::EC2::Subnet');
  expect(subnets.length).toBeGreaterThanOrEqual(18);
  for (const s of subnets) {
    expect(contains(dot, nameTag(s.props))).toBe(true);
    expect(contains(dot, s.props.CidrBlock)).toBe(true);
    expect(contains(dot, s.props.AvailabilityZone)).toBe(true);
  }
  const routeTables = resources('AWS::EC2::RouteTable');
  expect(routeTables.length).toBeGreaterThan(0);
  for (const t of routeTables) {
    expect(contains(dot, `route table ${nameTag(t.props)}`)).toBe(true);
    expect(contains(dot, `route table: ${nameTag(t.props)}`)).toBe(true); // on each of its subnets
  }
});

test('the network view shows the transit gateway, every TGW route table, association and propagation', () => {
  const dot = dots['architecture-network.dot'];
  for (const g of resources('AWS::EC2::TransitGateway')) {
    expect(contains(dot, `Transit gateway ${nameTag(g.props)}`)).toBe(true);
  }
  const rts = resources('AWS::EC2::TransitGatewayRouteTable');
  expect(rts.length).toBeGreaterThanOrEqual(2);
  for (const rt of rts) {
    expect(contains(dot, `TGW route table ${nameTag(rt.props)}`)).toBe(true);
  }
  const edges = (label: string) => (dot.match(new RegExp(`label="${label}"`, 'g')) ?? []).length;
  expect(edges('associated')).toBe(resources('AWS::EC2::TransitGatewayRouteTableAssociation').length);
  expect(edges('propagates routes')).toBe(resources('AWS::EC2::TransitGatewayRouteTablePropagation').length);
  for (const a of resources('AWS::EC2::TransitGatewayAttachment')) {
    expect(contains(dot, `attachment ${nameTag(a.props)}`)).toBe(true);
  }
});

test('the network view places the workloads in their subnets', () => {
  const dot = dots['architecture-network.dot'];
  for (const n of resources('AWS::EC2::NatGateway')) {
    expect(contains(dot, `NAT gateway ${nameTag(n.props)}`)).toBe(true);
  }
  for (const l of resources('AWS::ElasticLoadBalancingV2::LoadBalancer')) {
    expect(contains(dot, `NLB ${l.props.Name}`)).toBe(true);
  }
  for (const i of resources('AWS::RDS::DBInstance')) {
    const p = model.placements.find((x) => x.label.includes(i.props.DBInstanceIdentifier));
    expect(p).toBeDefined();
    expect(model.subnets.find((s) => s.key === p!.subnet)?.az).toBe(i.props.AvailabilityZone);
    expect(contains(dot, i.props.DBInstanceIdentifier)).toBe(true);
  }
  for (const e of resources('AWS::EC2::VPCEndpoint').filter((x) => x.props.VpcEndpointType === 'Interface')) {
    expect(contains(dot, String(e.props.ServiceName).split('.').slice(3).join('.'))).toBe(true);
  }
  expect(model.placements.filter((p) => p.kind === 'tasks').length).toBeGreaterThan(0);
  expect(model.placements.filter((p) => p.kind === 'instances').length).toBeGreaterThan(0);
});

test('the security view shows every security group and every rule', () => {
  const dot = dots['architecture-security.dot'];
  const groups = resources('AWS::EC2::SecurityGroup');
  expect(groups.length).toBeGreaterThan(10);
  for (const g of groups) {
    expect(contains(dot, sgName(g.props as any, g.stack))).toBe(true);
    expect(contains(dot, `tooltip="${g.props.GroupDescription}"`)).toBe(true);
  }
  // every inline rule (except CDK's "no traffic" placeholder) and every rule resource is an edge
  const placeholder = (r: any) => r.CidrIp === '255.255.255.255/32';
  const inline = groups.flatMap((g) => [
    ...(g.props.SecurityGroupIngress ?? []),
    ...(g.props.SecurityGroupEgress ?? []).filter((r: any) => !placeholder(r)),
  ]);
  const standalone = [...resources('AWS::EC2::SecurityGroupIngress'), ...resources('AWS::EC2::SecurityGroupEgress')];
  const ruleEdges = model.sgRules.filter((r) => r.origin !== 'implicit');
  expect(ruleEdges.length).toBe(inline.length + standalone.length);
  const edgeCount = (dot.match(/label="(in|out): /g) ?? []).length;
  expect(edgeCount).toBe(model.sgRules.length);
  // CIDR peers are nodes
  for (const r of inline.filter((x: any) => x.CidrIp && !placeholder(x))) {
    expect(contains(dot, r.CidrIp)).toBe(true);
  }
});

test('the security view shows every network ACL with its numbered entries', () => {
  const dot = dots['architecture-security.dot'];
  const nacls = resources('AWS::EC2::NetworkAcl');
  expect(nacls.length).toBeGreaterThan(0);
  for (const n of nacls) {
    expect(contains(dot, `network ACL ${nameTag(n.props)}`)).toBe(true);
  }
  for (const n of model.nacls) {
    expect(n.entries.length).toBe(
      resources('AWS::EC2::NetworkAclEntry').filter((e) => e.props.NetworkAclId.Ref === n.key.split('/')[1]).length,
    );
  }
  // subnets without a NACL association are listed under the VPC default NACL
  const associated = new Set(resources('AWS::EC2::SubnetNetworkAclAssociation').map((a) => a.props.SubnetId.Ref));
  for (const s of resources('AWS::EC2::Subnet').filter((x) => !associated.has(x.id))) {
    expect(model.subnets.find((m) => m.name === nameTag(s.props))?.nacl).toBeUndefined();
  }
});

test('the overview shows the request path: web ACL rules in priority order, API, stage, usage plan, VPC link, logs, secret', () => {
  const dot = dots['architecture.dot'];
  for (const w of resources('AWS::WAFv2::WebACL')) {
    expect(contains(dot, `WAF web ACL ${w.props.Name}`)).toBe(true);
    const names = [...w.props.Rules].sort((a: any, b: any) => a.Priority - b.Priority).map((r: any) => r.Name);
    const positions = names.map((n: string) => dot.indexOf(`>${n}<`, dot.indexOf(`WAF web ACL ${w.props.Name}`)));
    expect(positions.every((p: number) => p > 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
  }
  for (const a of resources('AWS::ApiGateway::RestApi')) {
    expect(contains(dot, `REST API ${a.props.Name}`)).toBe(true);
  }
  for (const s of resources('AWS::ApiGateway::Stage')) {
    expect(contains(dot, `stage ${s.props.StageName}`)).toBe(true);
  }
  expect(model.apis.flatMap((a) => a.usagePlans).length).toBe(resources('AWS::ApiGateway::UsagePlan').length);
  for (const l of resources('AWS::ApiGateway::VpcLink')) {
    expect(contains(dot, `VPC link ${l.props.Name}`)).toBe(true);
  }
  for (const s of resources('AWS::SecretsManager::Secret')) {
    expect(contains(dot, `Secrets Manager ${s.props.Name}`)).toBe(true);
  }
  expect(model.logGroups.length).toBe(resources('AWS::Logs::LogGroup').length);
  expect(model.logGroups.every((l) => l.purpose !== 'log group')).toBe(true);
});

test('the overview labels each rotation function with its secret and draws an edge to the secret it rotates', () => {
  const dot = dots['architecture.dot'];
  expect(model.rotations.length).toBe(resources('AWS::SecretsManager::RotationSchedule').length);
  for (const r of model.rotations) {
    const secret = model.secrets.find((x) => x.key === r.secret)!;
    expect(contains(dot, `secret rotation Lambda (${secret.name})`)).toBe(true);
    expect(dot).toMatch(new RegExp(`${dotId(r.fn)} -> ${dotId(r.secret)} \\[[^\\]]*label="rotates"`));
  }
});

test('the summary draws each service reading the secret it reads by ARN (the application user), not the master', () => {
  const dot = dots['architecture-summary.dot'];
  const read = [...new Set(model.services.flatMap((s) => s.secrets))];
  expect(read.length).toBeGreaterThan(0);
  expect(read).not.toContain(model.databases[0].secret);
  for (const s of model.services) {
    for (const k of s.secrets) {
      expect(dot).toContain(
        `${dotId(s.key)} -> ${dotId(k)} [style="dashed", color="#B08800", fontcolor="#B08800", label="credentials"]`,
      );
    }
  }
});

test('the drawing holds no asset hashes or other volatile values', () => {
  const hashes = new Set<string>();
  for (const file of fs.readdirSync(outdir)) {
    const m = /^asset\.([0-9a-f]{64})/.exec(file);
    if (m) {
      hashes.add(m[1]);
    }
  }
  for (const dot of Object.values(dots)) {
    for (const h of hashes) {
      expect(dot).not.toContain(h.slice(0, 12));
    }
    expect(dot).not.toContain('cdk-hnb659fds'); // bootstrap bucket / repository names
    expect(dot).not.toMatch(/Deployment[0-9A-F]{8}[0-9a-f]{32}/); // API deployments are keyed by a content hash
  }
});

test('the generation is deterministic', () => {
  expect(renderDots(buildModel(JSON.parse(JSON.stringify(templates))))).toEqual(dots);
});

test('the committed docs/architecture*.dot and .svg are current (run npx projen diagram if not)', async () => {
  const files = await generate(templates);
  const stale = staleFiles(files, DOCS);
  if (stale.length > 0) {
    throw new Error(`docs/${stale.join(', docs/')} are stale: run \`npx projen diagram\` and commit the result.`);
  }
  // the same DOT gives the same SVG
  const again = await generate(templates);
  expect(again).toEqual(files);
});

test('the recipe picture draws several services behind one front door and is current', async () => {
  // GIVEN the shared-front-door integ snapshot: one API, a V1 link to an NLB (two EC2 services), a V2 link to an
  // ALB (a Fargate service)
  const files = await generateRecipes();
  const dot = files['architecture-shared-front-door.dot'];

  // THEN one API, both links, both load balancers and the three services, each hop labelled with its ports
  expect(dot.match(/REST API /g)).toHaveLength(1);
  for (const text of [
    'ALB AlbC1372A32',
    'NLB Nlb4C507563',
    'ECS service BillingServiceCFC72C63',
    'ECS service ItemsService6F27BA51',
    'ECS service OrdersService8DB65732',
    'on Fargate (ARM64)',
    'TCP :8081 → :80',
    'TCP :8082 → dynamic host ports',
    'HTTP :80 → :80',
  ]) {
    expect(contains(dot, text)).toBe(true);
  }
  expect(dot).toContain('(V1, PrivateLink): /items →');
  expect(dot).toContain('(V2, IntegrationTarget per method): /billing →');
  expect(dot).not.toContain('architecture-network.svg'); // no links to the example's views
  expect(staleFiles(files, DOCS)).toEqual([]);
});

test('the container instances carry the mixed instances policy types', () => {
  expect(model.asgs.map((a) => a.instanceType)).toEqual(['t3.medium / t3a.medium', 't3.medium / t3a.medium']);
  expect(contains(dots['architecture-network.dot'], 'ECS container instances t3.medium / t3a.medium')).toBe(true);
});
