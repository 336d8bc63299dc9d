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

  test('documents the setup in order: trust stack as administrator, bootstrap with its policies, then the pipeline', () => {
    const trust = DOC.indexOf("npx cdk deploy --app 'npx ts-node --transpile-only ci/oidc-app.ts'");
    const bootstrap = DOC.indexOf('npx cdk bootstrap aws://ACCOUNT/us-east-2');
    const pipeline = DOC.indexOf('**Let the pipeline deploy**');
    expect(trust).toBeGreaterThan(0);
    expect(bootstrap).toBeGreaterThan(trust);
    expect(pipeline).toBeGreaterThan(bootstrap);
    expect(DOC).toContain('--cloudformation-execution-policies');
    expect(DOC).toContain("administrator's");
    for (const output of ['DeployRoleArn', 'IntegRoleArn', 'CloudFormationExecutionPolicies', 'BootstrapCommand']) {
      expect(DOC).toContain(output);
    }
    expect(DOC).not.toMatch(/DiffRole|AWS_DIFF_ROLE_ARN/);
  });

  test('documents the separate integ account, the boundary, the offline diff and the build gate', () => {
    expect(DOC).toMatch(/### Two accounts/);
    expect(DOC).toContain('cdk-hnb659fds-workload-boundary');
    expect(DOC).toContain('ManageSarRotationRolesWithoutBoundary');
    expect(DOC).toMatch(/without any AWS credential or OIDC token/);
    expect(DOC).toMatch(/It deploys only a commit whose `build` succeeded/);
    expect(DOC).toMatch(/Runs on every pull request \*\*and on every push to `main`\*\*/);
    expect(DOC).toContain('projenrc/action-pins.ts');
  });

  test('documents the environments, rollbacks and the smoke test', () => {
    expect(DOC).toMatch(/`production`: required reviewers/);
    expect(DOC).toMatch(/`integ`: \*\*required reviewers\*\*/);
    expect(DOC).toMatch(/#### Rollbacks/);
    expect(DOC).toMatch(/circuit breaker/);
    expect(DOC).toContain('example/ci/smoke-test.sh');
  });
});
