/**
 * The README's snippets as a new user runs them: the library packed with `npm pack` (from the compiled `lib/`),
 * installed in a fresh app directory whose aws-cdk-lib and constructs are the repo's own (symlinked; nothing is
 * downloaded), synthesized by plain node, and checked for the placement rules that make a deploy work.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as ts from 'typescript';
import { withBuildLock } from '../build-lock';

const ROOT = path.resolve(__dirname, '..', '..');
const SNIPPETS = ['first-steps', 'usage', 'front-door', 'own-vpc', 'own-network'];
/** The context key the README tells users to commit so that `maxAzs` synthesizes offline. */
const AZ_CONTEXT = {
  'availability-zones:account=123456789012:region=us-east-2': ['us-east-2a', 'us-east-2b', 'us-east-2c'],
};

/** The newest modification time under a directory (of `.ts` files). */
function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      newest = Math.max(newest, newestSource(full));
    } else if (entry.name.endsWith('.ts')) {
      newest = Math.max(newest, fs.statSync(full).mtimeMs);
    }
  }
  return newest;
}

/** Compiles `src/` into `lib/` unless `npx projen compile` already left a fresh `lib/`. */
function ensureCompiled() {
  const index = path.join(ROOT, 'lib', 'index.js');
  if (!fs.existsSync(index) || fs.statSync(index).mtimeMs < newestSource(path.join(ROOT, 'src'))) {
    execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.json'], { cwd: ROOT });
  }
}

/** The README's `<!-- snippet-test: name -->` code blocks. */
export function readmeSnippets(): Map<string, string> {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const found = new Map<string, string>();
  for (const match of readme.matchAll(/<!-- snippet-test: (\S+) -->\s*```ts\n([\s\S]*?)```/g)) {
    found.set(match[1], match[2]);
  }
  return found;
}

interface Synthesized {
  readonly templates: Map<string, any>;
}

/** Packs the library, installs it into a fresh app and synthesizes every snippet there (one stack each). */
function packAndSynthesize(): Synthesized {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gtuc-readme-'));
  // Under the build lock: another jest worker's jsii must not rewrite lib/ while it is compiled or packed.
  const packed = withBuildLock(() => {
    ensureCompiled();
    return execFileSync('npm', ['pack', '--ignore-scripts', '--silent', '--pack-destination', tmp], {
      cwd: ROOT,
      encoding: 'utf8',
    });
  })
    .trim()
    .split('\n')
    .pop()!;
  const app = path.join(tmp, 'app');
  const installed = path.join(app, 'node_modules', '@gtuc', 'cdk-privatelink-ecs');
  fs.mkdirSync(installed, { recursive: true });
  execFileSync('tar', ['-xzf', path.join(tmp, packed), '-C', installed, '--strip-components=1']);
  for (const dep of ['aws-cdk-lib', 'constructs']) {
    fs.symlinkSync(path.join(ROOT, 'node_modules', dep), path.join(app, 'node_modules', dep), 'dir');
  }
  fs.writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'readme-app', private: true }));
  // The Usage snippet builds the image from the app's own directory.
  fs.mkdirSync(path.join(app, 'example', 'items-service'), { recursive: true });
  fs.writeFileSync(
    path.join(app, 'example', 'items-service', 'Dockerfile'),
    'FROM public.ecr.aws/nginx/nginx:stable\n',
  );

  const fixture = fs.readFileSync(path.join(ROOT, 'rosetta', 'default.ts-fixture'), 'utf8');
  const snippets = readmeSnippets();
  const lines = [
    "const { App } = require('aws-cdk-lib');",
    `const app = new App({ outdir: 'cdk.out', context: ${JSON.stringify(AZ_CONTEXT)} });`,
  ];
  for (const name of SNIPPETS) {
    const code = snippets.get(name);
    if (!code) {
      throw new Error(`README has no snippet-test block '${name}'`);
    }
    // As jsii-rosetta does: the snippet's imports go above the fixture's class, the rest into its constructor.
    const parsed = ts.createSourceFile(`${name}.ts`, code, ts.ScriptTarget.ES2022, true);
    const imports = parsed.statements.filter(ts.isImportDeclaration);
    const body = parsed.statements.filter((st) => !ts.isImportDeclaration(st));
    const source = [
      ...imports.map((st) => st.getText(parsed)),
      fixture
        .replace(/class Fixture extends (\S+)/, 'export class Snippet extends $1')
        .replace('super(scope, id);', "super(scope, id, { env: { account: '123456789012', region: 'us-east-2' } });")
        .replace('/// here', body.map((st) => st.getFullText(parsed)).join('')),
    ].join('\n');
    const js = ts.transpileModule(source, {
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
    }).outputText;
    fs.writeFileSync(path.join(app, `${name}.js`), js);
    lines.push(`new (require('./${name}.js').Snippet)(app, '${name}');`);
  }
  lines.push('app.synth();');
  fs.writeFileSync(path.join(app, 'main.js'), lines.join('\n'));
  execFileSync(process.execPath, ['main.js'], { cwd: app, stdio: 'pipe' });

  const templates = new Map<string, any>();
  for (const name of SNIPPETS) {
    templates.set(name, JSON.parse(fs.readFileSync(path.join(app, 'cdk.out', `${name}.template.json`), 'utf8')));
  }
  fs.rmSync(tmp, { recursive: true, force: true });
  return { templates };
}

/** The resources of `type` in a template. */
function resources(template: any, type: string): any[] {
  return Object.values(template.Resources).filter((r: any) => r.Type === type);
}

/** Subnet logical id → its Name tag (or its CDK subnet group and AZ). */
function subnetNames(template: any): Map<string, string> {
  const names = new Map<string, string>();
  for (const [id, r] of Object.entries<any>(template.Resources)) {
    if (r.Type === 'AWS::EC2::Subnet') {
      const tag = (key: string) => r.Properties.Tags?.find((t: any) => t.Key === key)?.Value;
      names.set(
        id,
        tag('aws-cdk:subnet-name') ? `${tag('aws-cdk:subnet-name')}@${r.Properties.AvailabilityZone}` : tag('Name'),
      );
    }
  }
  return names;
}

/** The names of the subnets that a list of `{ Ref }` points at, sorted. */
function named(template: any, refs: any[]): string[] {
  const names = subnetNames(template);
  return refs.map((ref) => names.get(ref.Ref) ?? JSON.stringify(ref)).sort();
}

describe('README snippets, packed and installed in a fresh app', () => {
  let synthesized: Synthesized;
  beforeAll(() => {
    synthesized = packAndSynthesize();
  }, 180_000);

  const template = (name: string) => synthesized.templates.get(name);
  const nlbSubnets = (name: string) =>
    named(template(name), resources(template(name), 'AWS::ElasticLoadBalancingV2::LoadBalancer')[0].Properties.Subnets);
  const asgSubnets = (name: string) =>
    named(
      template(name),
      resources(template(name), 'AWS::AutoScaling::AutoScalingGroup')[0].Properties.VPCZoneIdentifier,
    );
  const taskSubnets = (name: string) =>
    resources(template(name), 'AWS::ECS::Service')
      .filter((s) => s.Properties.NetworkConfiguration)
      .map((s) => named(template(name), s.Properties.NetworkConfiguration.AwsvpcConfiguration.Subnets));
  const ecsService = [
    'private-us-east-2a-ecs-service',
    'private-us-east-2b-ecs-service',
    'private-us-east-2c-ecs-service',
  ];
  const ecsEc2 = ['private-us-east-2a-ecs-ec2', 'private-us-east-2b-ecs-ec2', 'private-us-east-2c-ecs-ec2'];

  test('GIVEN the first steps THEN a default ec2.Vpc synthesizes offline with the committed zones, the NLB in its private subnets, one per AZ', () => {
    const privateSubnets = ['Private@us-east-2a', 'Private@us-east-2b', 'Private@us-east-2c'];
    expect(nlbSubnets('first-steps')).toEqual(privateSubnets);
    expect(asgSubnets('first-steps')).toEqual(privateSubnets);
    expect(taskSubnets('first-steps')).toEqual([privateSubnets]);
    const outputs = template('first-steps').Outputs;
    expect(Object.keys(outputs)).toContain('ApiUrl');
  });

  test('GIVEN the Usage snippet THEN the NLB gets one ecs-service subnet per AZ and the instances ecs-ec2', () => {
    expect(nlbSubnets('usage')).toEqual(ecsService);
    expect(asgSubnets('usage')).toEqual(ecsEc2);
  });

  test('GIVEN the front-door recipe THEN one NLB, one V1 link, one API; placement as in the GTUC layout', () => {
    const t = template('front-door');
    expect(resources(t, 'AWS::ElasticLoadBalancingV2::LoadBalancer').length).toBe(1);
    expect(resources(t, 'AWS::ApiGateway::VpcLink').length).toBe(1);
    expect(resources(t, 'AWS::ApiGateway::RestApi').length).toBe(1);
    expect(
      resources(t, 'AWS::ElasticLoadBalancingV2::Listener')
        .map((l) => l.Properties.Port)
        .sort(),
    ).toEqual([8081, 8082]);
    expect(nlbSubnets('front-door')).toEqual(ecsService);
    expect(asgSubnets('front-door')).toEqual(ecsEc2);
    expect(taskSubnets('front-door')).toEqual([ecsService]);
  });

  test("GIVEN a user's own VPC THEN the NLB, instances and tasks take the private subnets, one per AZ", () => {
    const privateSubnets = ['Private@us-east-2a', 'Private@us-east-2b', 'Private@us-east-2c'];
    expect(nlbSubnets('own-vpc')).toEqual(privateSubnets);
    expect(asgSubnets('own-vpc')).toEqual(privateSubnets);
    expect(taskSubnets('own-vpc')).toEqual([privateSubnets]);
  });

  test("GIVEN a user's own HubSpokeNetwork THEN everything is in the app tier and nothing in the transit tier", () => {
    const app = ['apps-app-us-east-2a', 'apps-app-us-east-2b'];
    expect(nlbSubnets('own-network')).toEqual(app);
    expect(asgSubnets('own-network')).toEqual(app);
    const t = template('own-network');
    const attachment = resources(t, 'AWS::EC2::TransitGatewayAttachment')[0];
    expect(named(t, attachment.Properties.SubnetIds)).toEqual(['apps-tgw-us-east-2a', 'apps-tgw-us-east-2b']);
  });
});
