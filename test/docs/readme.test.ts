import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.join(__dirname, '..', '..');
const README = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');

const sourceFiles = (dir: string): string[] =>
  fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) =>
      e.isDirectory() ? sourceFiles(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : [],
    );

/** The README section that lists what the library acknowledges. */
const section = (heading: string): string => {
  const start = README.indexOf(`\n## ${heading}\n`);
  expect(start).toBeGreaterThanOrEqual(0);
  const end = README.indexOf('\n## ', start + 1);
  return README.slice(start, end < 0 ? undefined : end);
};

describe('README: the cdk-nag findings the library acknowledges', () => {
  const text = section('Security defaults and cdk-nag');
  // every `'AwsSolutions-IAM4[Policy::…]'` literal the library's code acknowledges → `IAM4`
  const acknowledged = [
    ...new Set(
      sourceFiles(path.join(ROOT, 'src')).flatMap((f) =>
        [...fs.readFileSync(f, 'utf8').matchAll(/'AwsSolutions-([A-Z]+\d+)[[']/g)].map((m) => m[1]),
      ),
    ),
  ].sort();
  const listed = [
    ...new Set([...text.matchAll(/\(([A-Z]+\d+(?:\/[A-Z]+\d+)*)[,:)]/g)].flatMap((m) => m[1].split('/'))),
  ].sort();

  test('lists every rule the library acknowledges, and no other', () => {
    expect(listed).toEqual(acknowledged);
  });
});
