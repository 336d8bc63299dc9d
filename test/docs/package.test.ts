import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { withBuildLock } from '../build-lock';

const ROOT = path.join(__dirname, '..', '..');

interface PackedFile {
  readonly path: string;
}

/** What `npm pack` would put in the tarball, as npm itself reports it (no scripts run, nothing written). */
const packedFiles = (): string[] => {
  const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
    cwd: ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const [report] = JSON.parse(out) as Array<{ files: PackedFile[] }>;
  return report.files.map((f) => f.path).sort();
};

/** The library ships compiled JavaScript, its type declarations, the jsii assembly and its tablet, and the docs. */
const ALLOWED = [
  /^lib\/.+\.js$/,
  /^lib\/.+\.d\.ts$/,
  /^\.jsii$/,
  /^\.jsii\.tabl\.json$/,
  /^API\.md$/,
  /^README\.md$/,
  /^LICENSE$/,
  /^package\.json$/,
];

/** The packed file list and what was built when it was taken, in one look (no jest worker rebuilds meanwhile). */
const packed = (): { files: string[]; hasLib: boolean; hasAssembly: boolean; hasTablet: boolean } =>
  withBuildLock(() => ({
    files: packedFiles(),
    hasLib: fs.existsSync(path.join(ROOT, 'lib', 'index.js')),
    hasAssembly: fs.existsSync(path.join(ROOT, '.jsii')),
    hasTablet: fs.existsSync(path.join(ROOT, '.jsii.tabl.json')),
  }));

describe('the npm package', () => {
  const { files, hasLib, hasAssembly, hasTablet } = packed();

  test('ships only the library', () => {
    expect(files.filter((f) => !ALLOWED.some((re) => re.test(f)))).toEqual([]);
  });

  test.each(['tools/', 'rosetta/', 'src/', 'test/', 'example/', 'integ/', 'docs/', 'projenrc/', '.ci/'])(
    'leaves out %s',
    (dir) => {
      expect(files.filter((f) => f.startsWith(dir))).toEqual([]);
    },
  );

  test('always carries the manifest, the README and the licence', () => {
    expect(files).toEqual(expect.arrayContaining(['package.json', 'README.md', 'LICENSE']));
  });

  test('carries the compiled entry point, the assembly and the tablet once they are built', () => {
    if (!hasLib) {
      // A fresh clone that never compiled: nothing to pack yet. `npx projen build` compiles before it tests.
      expect(files.some((f) => f.startsWith('lib/'))).toBe(false);
      return;
    }
    expect(files).toEqual(expect.arrayContaining(['lib/index.js', 'lib/index.d.ts']));
    if (hasAssembly) {
      // jsii's assembly (a plain tsc compile, as the README snippet test may run, writes lib/ without it)
      expect(files).toContain('.jsii');
    }
    if (hasTablet) {
      // The language jobs of the release workflow unpack this tarball and translate the README from the tablet.
      expect(files).toContain('.jsii.tabl.json');
    }
  });
});

describe('the release build', () => {
  const tasks = JSON.parse(fs.readFileSync(path.join(ROOT, '.projen', 'tasks.json'), 'utf8')).tasks;
  const steps = (name: string): string[] =>
    (tasks[name].steps ?? []).map((s: { spawn?: string; exec?: string }) => s.spawn ?? s.exec ?? '');

  test('writes the rosetta tablet (post-compile) before it packages', () => {
    const build = steps('build');
    expect(steps('release')).toContain('build');
    expect(build.indexOf('post-compile')).toBeGreaterThan(build.indexOf('compile'));
    expect(build.indexOf('package')).toBeGreaterThan(build.indexOf('post-compile'));
    expect(steps('post-compile')).toEqual(expect.arrayContaining(['jsii-rosetta extract --strict --compile --fail']));
  });
});
