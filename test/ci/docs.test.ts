import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.join(__dirname, '..', '..');
const DOC = fs.readFileSync(path.join(ROOT, 'docs', 'cicd.md'), 'utf8');
const WORKFLOWS_DIR = path.join(ROOT, '.github', 'workflows');

const secretsUsed = (): string[] => {
  const names = new Set<string>();
  for (const file of fs.readdirSync(WORKFLOWS_DIR).filter((f) => f.endsWith('.yml'))) {
    const src = fs.readFileSync(path.join(WORKFLOWS_DIR, file), 'utf8');
    for (const m of src.matchAll(/secrets\.([A-Z0-9_]+)/g)) {
      names.add(m[1]);
    }
  }
  return [...names].sort();
};

describe('docs/cicd.md', () => {
  test.each(secretsUsed())('documents the secret %s used by the workflows', (secret) => {
    expect(DOC).toContain(`\`${secret}\``);
  });

  test('documents every workflow file', () => {
    for (const file of fs.readdirSync(WORKFLOWS_DIR).filter((f) => f.endsWith('.yml'))) {
      expect(DOC).toContain(`\`${file}\``);
    }
  });

  test('documents the bootstrap and OIDC stack commands', () => {
    expect(DOC).toContain('npx cdk bootstrap aws://ACCOUNT/us-east-2');
    expect(DOC).toContain("npx cdk deploy --app 'npx ts-node --transpile-only ci/oidc-app.ts'");
    for (const output of ['DeployRoleArn', 'DiffRoleArn', 'IntegRoleArn']) {
      expect(DOC).toContain(output);
    }
  });

  test('documents the environments, rollbacks and the smoke test', () => {
    expect(DOC).toMatch(/`production`: required reviewers/);
    expect(DOC).toMatch(/`integ`: required reviewers/);
    expect(DOC).toMatch(/#### Rollbacks/);
    expect(DOC).toMatch(/circuit breaker/);
    expect(DOC).toContain('example/ci/smoke-test.sh');
  });
});
