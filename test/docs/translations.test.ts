import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { withBuildLock } from '../build-lock';

const ROOT = path.join(__dirname, '..', '..');
const CHECKER = path.join(ROOT, 'tools', 'docs', 'check_translations.py');
const PY_MODULE = 'gtuc_cdk_privatelink_ecs';

interface CheckResult {
  readonly status: number | null;
  readonly problems: string[];
  readonly warnings: string[];
}

const runChecker = (args: string[]): CheckResult => {
  const res = spawnSync('python3', [CHECKER, ...args], { encoding: 'utf8' });
  if (res.error) {
    throw res.error;
  }
  return {
    status: res.status,
    problems: res.stdout.split('\n').filter((l) => l.length > 0),
    warnings: res.stderr.split('\n').filter((l) => l.startsWith('warning: ')),
  };
};

const newestMtime = (dir: string): number => {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : fs.statSync(p).mtimeMs);
  }
  return newest;
};

const mtime = (p: string): number => (fs.existsSync(p) ? fs.statSync(p).mtimeMs : 0);

/**
 * The jsii assembly and the rosetta tablet as the release build makes them (rebuilt here only when stale, under the
 * build lock: another jest worker may be packing `lib/`).
 */
const ensureTablet = (): string =>
  withBuildLock(() => {
    const assembly = path.join(ROOT, '.jsii');
    const tablet = path.join(ROOT, '.jsii.tabl.json');
    const run = (cmd: string, args: string[]) => execFileSync(cmd, args, { cwd: ROOT, stdio: 'ignore' });
    if (mtime(assembly) < Math.max(newestMtime(path.join(ROOT, 'src')), mtime(path.join(ROOT, 'README.md')))) {
      run('npx', ['jsii', '--silence-warnings=reserved-word']);
    }
    const fixtures = newestMtime(path.join(ROOT, 'rosetta'));
    if (mtime(tablet) < Math.max(mtime(assembly), fixtures)) {
      run('npx', ['jsii-rosetta', 'extract', '--strict', '--compile', '--fail']);
    }
    return tablet;
  });

describe('translated snippets (Python, Go, Java)', () => {
  describe('the checker', () => {
    // GIVEN a generated Python package and a tablet holding the three defects the translations used to have
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'translations-'));
    const pkg = path.join(dir, 'python', 'fixture_pkg');
    fs.mkdirSync(pkg, { recursive: true });
    fs.writeFileSync(
      path.join(pkg, '__init__.py'),
      [
        'import builtins',
        'class HubSpokeNetwork:',
        '    def __init__(self, scope, id, *, spokes=None, region=None) -> None: ...',
        '    @builtins.classmethod',
        '    def gtuc(cls, scope, id, *, region) -> "HubSpokeNetwork": ...',
        'class ServiceNetworkMode:',
        '    BRIDGE = "BRIDGE"',
        '',
      ].join('\n'),
    );
    const snippet = (python: string, go: string, java: string) => ({
      translations: {
        python: { source: python, version: '2' },
        go: { source: go, version: '2' },
        java: { source: java, version: '2' },
      },
      location: { api: { api: 'moduleReadme', moduleFqn: 'fixture' }, field: { field: 'markdown', line: 7 } },
    });
    const tablet = path.join(dir, 'tablet.json');
    fs.writeFileSync(
      tablet,
      JSON.stringify({
        version: '2',
        snippets: {
          broken: snippet(
            'net = HubSpokeNetwork(self, "Network", HubSpokeNetwork.gtuc_layout())',
            'net := gtuc.NewHubSpokeNetwork(this, jsii.String("Network"), &Props{\n\tMode: *gtuc.ServiceNetworkMode_BRIDGE,\n})\nitems.url // "a.b" in a string is fine',
            'items.service.autoScaleTaskCount(props);',
          ),
          clean: snippet(
            'from fixture_pkg import HubSpokeNetwork\nimport aws_cdk.aws_ecs as ecs\n# vpc: ec2.IVpc\nnet = HubSpokeNetwork.gtuc(self, "Network", region="us-east-2")\nprint(ecs, net, vpc)',
            'net := gtuc.HubSpokeNetwork_Gtuc(this, jsii.String("Network"), &Props{\n\tMode: gtuc.ServiceNetworkMode_BRIDGE,\n})\nitems.Url()',
            'items.getService().autoScaleTaskCount(props);',
          ),
        },
      }),
    );
    const readme = path.join(dir, 'README.md');
    const goMod = path.join(dir, 'go.mod');
    fs.writeFileSync(readme, '`go get github.com/gtuc/cdk-privatelink-ecs-go`\n');
    fs.writeFileSync(goMod, 'module github.com/gtuc/cdk-privatelink-ecs-go/gtuccdkprivatelinkecs\n\ngo 1.25\n');

    // WHEN
    const result = runChecker([tablet, pkg, '--readme', readme, '--go-mod', goMod]);
    const where = 'moduleReadme fixture (markdown line 7)';

    // THEN every defect is named, and the clean snippet adds nothing
    test('fails', () => {
      expect(result.status).toBe(1);
    });
    test('names a class used without an import', () => {
      expect(result.problems).toContain(
        `python ${where}: line 1: \`HubSpokeNetwork\` is used but neither imported nor defined`,
      );
    });
    test('names a struct passed positionally to a keyword-only signature', () => {
      expect(result.problems).toContain(
        `python ${where}: line 1: HubSpokeNetwork(...) takes 2 positional argument(s) (scope, id), the snippet passes 3; pass the rest by keyword (spokes, region)`,
      );
    });
    test('checks only the members the generated sources have (no false positive)', () => {
      expect(result.problems.filter((p) => p.includes('gtuc_layout'))).toEqual([]);
    });
    test('warns of Go field reads and dereferenced enum constants (written by the rosetta Go translator)', () => {
      expect(result.warnings).toContain(
        `warning: go ${where}: \`items.url\` reads a jsii property as a field (use items.Url(); a jsii-rosetta Go limitation)`,
      );
      expect(result.warnings).toContain(
        `warning: go ${where}: \`*gtuc.ServiceNetworkMode_BRIDGE\` dereferences an enum constant (a jsii-rosetta Go limitation)`,
      );
    });
    test('names Java field reads', () => {
      expect(result.problems).toContain(
        `java ${where}: \`items.service\` reads a jsii property as a field (use items.getService())`,
      );
    });
    test('names a README `go get` that is not the generated module path', () => {
      expect(result.problems).toContain(
        'README: `go get github.com/gtuc/cdk-privatelink-ecs-go` is not the generated module path github.com/gtuc/cdk-privatelink-ecs-go/gtuccdkprivatelinkecs',
      );
    });
    test('reports nothing else', () => {
      expect(result.problems).toHaveLength(4);
    });
  });

  test('the README and every @example translate without a defect', () => {
    // GIVEN the tablet the release build packages, and the Python and Go sources jsii-pacmak generates from it
    const tablet = ensureTablet();
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'pacmak-'));
    execFileSync('npx', ['jsii-pacmak', '--code-only', '--target', 'python', '--target', 'go', '-o', out], {
      cwd: ROOT,
      stdio: 'ignore',
    });
    const goMod = fs
      .readdirSync(path.join(out, 'go'))
      .map((d) => path.join(out, 'go', d, 'go.mod'))
      .find((p) => fs.existsSync(p))!;

    // WHEN
    const result = runChecker([
      tablet,
      path.join(out, 'python', 'src', PY_MODULE),
      '--readme',
      path.join(ROOT, 'README.md'),
      '--go-mod',
      goMod,
    ]);

    // THEN
    expect(result.problems).toEqual([]);
    expect(result.status).toBe(0);
  });
});
