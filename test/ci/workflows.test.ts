import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { validateWorkflow } from '@action-validator/core';
import { parse } from 'yaml';

const WORKFLOWS_DIR = path.join(__dirname, '..', '..', '.github', 'workflows');
const WORKFLOW_FILES = fs
  .readdirSync(WORKFLOWS_DIR)
  .filter((f) => /\.ya?ml$/.test(f))
  .sort();

interface Step {
  readonly name?: string;
  readonly id?: string;
  readonly uses?: string;
  readonly run?: string;
  readonly with?: Record<string, unknown>;
  readonly env?: Record<string, unknown>;
  readonly if?: string;
  readonly 'working-directory'?: string;
}
interface Job {
  readonly name?: string;
  readonly if?: string;
  readonly environment?: string | { name: string; url?: string };
  readonly permissions?: Record<string, string>;
  readonly env?: Record<string, string>;
  readonly steps: Step[];
  readonly 'timeout-minutes'?: number;
}
interface Workflow {
  readonly name: string;
  readonly on: Record<string, any>;
  readonly permissions?: Record<string, string>;
  readonly concurrency?: { group: string; 'cancel-in-progress'?: boolean };
  readonly jobs: Record<string, Job>;
}

function read(file: string): string {
  return fs.readFileSync(path.join(WORKFLOWS_DIR, file), 'utf8');
}
function load(file: string): Workflow {
  return parse(read(file)) as Workflow;
}
function step(job: Job, predicate: (s: Step) => boolean, what: string): Step {
  const found = job.steps.filter(predicate);
  if (found.length !== 1) {
    throw new Error(`expected exactly one step ${what}, found ${found.length}`);
  }
  return found[0];
}
const usesAction = (action: string) => (s: Step) => (s.uses ?? '').split('@')[0] === action;
const environmentName = (job: Job) => (typeof job.environment === 'string' ? job.environment : job.environment?.name);

describe('every workflow', () => {
  test('the expected workflows exist', () => {
    expect(WORKFLOW_FILES).toEqual(
      expect.arrayContaining([
        'build.yml',
        'release.yml',
        'upgrade-main.yml',
        'pull-request-lint.yml',
        'deploy.yml',
        'diff.yml',
        'integ-live.yml',
      ]),
    );
  });

  test.each(WORKFLOW_FILES)('%s parses as YAML and passes action-validator with zero errors', (file) => {
    const src = read(file);
    const doc = parse(src);
    expect(doc).toEqual(expect.objectContaining({ jobs: expect.any(Object) }));

    // action-validator warns on stdout about globs it cannot check yet; keep the test output clean
    const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      const state = validateWorkflow(src);
      expect(state.actionType).toBe('workflow');
      expect(state.errors).toEqual([]);
    } finally {
      log.mockRestore();
      warn.mockRestore();
    }
  });

  test('action-validator really rejects an invalid workflow (sanity check of the validator)', () => {
    const state = validateWorkflow(
      ['name: x', 'on: push', 'jobs:', '  a:', '    runs-on: ubuntu-latest', '    steps:', '      - bogus: 1', ''].join(
        '\n',
      ),
    );
    expect(state.errors.length).toBeGreaterThan(0);
  });

  test.each(WORKFLOW_FILES)('%s holds no long-lived AWS keys', (file) => {
    const src = read(file);
    expect(src).not.toMatch(/aws-access-key-id/i);
    expect(src).not.toMatch(/aws-secret-access-key/i);
    expect(src).not.toMatch(/secrets\.AWS_ACCESS_KEY_ID/i);
    expect(src).not.toMatch(/secrets\.AWS_SECRET_ACCESS_KEY/i);
    expect(src).not.toMatch(/AWS_SECRET_ACCESS_KEY\s*:\s*\$\{\{/);
  });
});

const OWN_WORKFLOWS = ['deploy.yml', 'diff.yml', 'integ-live.yml'];

describe.each(OWN_WORKFLOWS)('%s (hand-written)', (file) => {
  const wf = load(file);

  test('denies all token permissions at the top level and grants only id-token + contents:read per job', () => {
    expect(wf.permissions).toEqual({});
    for (const job of Object.values(wf.jobs)) {
      expect(job.permissions).toEqual({ 'id-token': 'write', contents: 'read' });
    }
  });

  test('assumes a role through OIDC in us-east-2', () => {
    for (const job of Object.values(wf.jobs)) {
      const creds = step(job, usesAction('aws-actions/configure-aws-credentials'), 'configure-aws-credentials');
      expect(creds.uses).toBe('aws-actions/configure-aws-credentials@v4');
      expect(creds.with?.['role-to-assume']).toMatch(/^\$\{\{ secrets\.AWS_[A-Z]+_ROLE_ARN \}\}$/);
      expect(creds.with?.['aws-region']).toBe('us-east-2');
      expect(creds.with).not.toHaveProperty('aws-access-key-id');
      expect(creds.with).not.toHaveProperty('aws-secret-access-key');
      expect(creds.with?.['role-duration-seconds']).toBeLessThanOrEqual(3600);
    }
  });

  test('uses Node 20 with the npm cache and npm ci', () => {
    for (const job of Object.values(wf.jobs)) {
      const node = step(job, usesAction('actions/setup-node'), 'setup-node');
      expect(node.with).toEqual({ 'node-version': 20, cache: 'npm' });
      expect(job.steps.some((s) => s.run?.startsWith('npm ci'))).toBe(true);
      expect(job.steps.some((s) => /npm install/.test(s.run ?? ''))).toBe(false);
    }
  });

  test('has a timeout and a concurrency group', () => {
    expect(wf.concurrency?.group).toBeTruthy();
    for (const job of Object.values(wf.jobs)) {
      expect(job['timeout-minutes']).toBeGreaterThan(0);
    }
  });

  test('every run script is valid bash', () => {
    for (const job of Object.values(wf.jobs)) {
      for (const s of job.steps.filter((x) => x.run)) {
        // GitHub expressions are substituted before bash sees the script
        const script = s.run!.replace(/\$\{\{[^}]*\}\}/g, 'x');
        expect(() => execFileSync('bash', ['-n'], { input: script, stdio: 'pipe' })).not.toThrow();
      }
    }
  });

  test('never interpolates untrusted event data into run scripts', () => {
    for (const job of Object.values(wf.jobs)) {
      for (const s of job.steps.filter((x) => x.run)) {
        expect(s.run).not.toMatch(/\$\{\{/);
      }
    }
  });
});

describe('deploy.yml', () => {
  const wf = load('deploy.yml');
  const job = wf.jobs.deploy;

  test('is named and triggered on push to main plus a manual dispatch with the network mode choice', () => {
    expect(wf.name).toBe('deploy');
    expect(Object.keys(wf.on).sort()).toEqual(['push', 'workflow_dispatch']);
    expect(wf.on.push.branches).toEqual(['main']);
    expect(wf.on.workflow_dispatch.inputs.network_modes).toEqual({
      description: "ECS network modes to deploy (the example's networkModes context)",
      type: 'choice',
      required: true,
      default: 'awsvpc,bridge',
      options: ['awsvpc,bridge', 'awsvpc', 'bridge'],
    });
  });

  test('never runs two deployments at once and never cancels one midway', () => {
    expect(wf.concurrency).toEqual({ group: 'deploy-production', 'cancel-in-progress': false });
  });

  test('single deploy job gated by the production environment with id-token: write', () => {
    expect(Object.keys(wf.jobs)).toEqual(['deploy']);
    expect(job.name).toBe('Deploy the example to ECS');
    expect(environmentName(job)).toBe('production');
    expect(job.permissions?.['id-token']).toBe('write');
    expect(job.permissions?.contents).toBe('read');
    expect(job.env).toEqual({
      AWS_REGION: 'us-east-2',
      NETWORK_MODES: "${{ inputs.network_modes || 'awsvpc,bridge' }}",
    });
  });

  test('assumes the deploy role', () => {
    const creds = step(job, usesAction('aws-actions/configure-aws-credentials'), 'configure-aws-credentials');
    expect(creds.with?.['role-to-assume']).toBe('${{ secrets.AWS_DEPLOY_ROLE_ARN }}');
  });

  test('steps run in order: checkout, node, npm ci, credentials, deploy, ECS wait, smoke test', () => {
    const index = (predicate: (s: Step) => boolean) => job.steps.findIndex(predicate);
    const order = [
      index(usesAction('actions/checkout')),
      index(usesAction('actions/setup-node')),
      index((s) => s.run === 'npm ci --no-audit --no-fund'),
      index(usesAction('aws-actions/configure-aws-credentials')),
      index((s) => s.name === 'cdk deploy'),
      index((s) => s.name === 'Wait for the ECS services to be stable'),
      index((s) => s.name === 'Smoke test'),
    ];
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });

  test('deploys every stack of the example with the chosen network modes and an outputs file', () => {
    const deploy = step(job, (s) => s.name === 'cdk deploy', 'cdk deploy');
    expect(deploy['working-directory']).toBe('example');
    expect(deploy.run?.replace(/\s+/g, ' ').trim()).toBe(
      'npx cdk deploy --all --require-approval never --progress events -c networkModes="$NETWORK_MODES" --outputs-file cdk-outputs.json',
    );
  });

  test('waits for each ECS service from the outputs', () => {
    const wait = step(job, (s) => s.name === 'Wait for the ECS services to be stable', 'ECS wait');
    expect(wait['working-directory']).toBe('example');
    expect(wait.run).toContain('aws ecs wait services-stable --cluster "$cluster" --services "$service"');
    expect(wait.run).toContain('.value.ClusterName');
    expect(wait.run).toContain('.value.ServiceName');
    expect(wait.run).toContain('cdk-outputs.json');
  });

  test('smoke-tests through the REST API with the checked-in script', () => {
    const smoke = step(job, (s) => s.name === 'Smoke test', 'smoke test');
    expect(smoke['working-directory']).toBe('example');
    expect(smoke.run).toBe('./ci/smoke-test.sh cdk-outputs.json');
    expect(smoke.if).toBeUndefined(); // only after a successful deploy + wait
  });
});

describe('diff.yml', () => {
  const wf = load('diff.yml');
  const job = wf.jobs.diff;

  test('runs on pull requests only', () => {
    expect(Object.keys(wf.on)).toEqual(['pull_request']);
    expect(wf.concurrency?.['cancel-in-progress']).toBe(true);
  });

  test('skips fork pull requests and has no environment (so the OIDC subject is repo:<repo>:pull_request)', () => {
    expect(job.if).toBe('github.event.pull_request.head.repo.full_name == github.repository');
    expect(job.environment).toBeUndefined();
  });

  test('assumes the read-only diff role', () => {
    const creds = step(job, usesAction('aws-actions/configure-aws-credentials'), 'configure-aws-credentials');
    expect(creds.with?.['role-to-assume']).toBe('${{ secrets.AWS_DIFF_ROLE_ARN }}');
    expect(read('diff.yml')).not.toContain('AWS_DEPLOY_ROLE_ARN');
  });

  test('runs a change-set-free cdk diff of the example and publishes it to the job summary', () => {
    const diff = step(job, (s) => s.name === 'cdk diff', 'cdk diff');
    expect(diff['working-directory']).toBe('example');
    expect(diff.run).toContain('npx cdk diff --all --no-change-set');
    expect(diff.run).not.toMatch(/cdk deploy/);
    const summary = step(job, (s) => (s.run ?? '').includes('GITHUB_STEP_SUMMARY'), 'summary');
    expect(summary.if).toBe('always()');
  });
});

describe('integ-live.yml', () => {
  const wf = load('integ-live.yml');
  const job = wf.jobs.integ;

  test('runs on demand and weekly on Mondays', () => {
    expect(Object.keys(wf.on).sort()).toEqual(['schedule', 'workflow_dispatch']);
    expect(wf.on.schedule).toHaveLength(1);
    const cron: string = wf.on.schedule[0].cron;
    expect(cron.split(' ')).toHaveLength(5);
    expect(cron.split(' ')[4]).toBe('1');
  });

  test('is gated by the integ environment and assumes the integ role', () => {
    expect(environmentName(job)).toBe('integ');
    const creds = step(job, usesAction('aws-actions/configure-aws-credentials'), 'configure-aws-credentials');
    expect(creds.with?.['role-to-assume']).toBe('${{ secrets.AWS_INTEG_ROLE_ARN }}');
  });

  test('runs integ-runner live over integ/ in us-east-2 with the test tsconfig', () => {
    expect(job.env?.TS_NODE_PROJECT).toBe('test/tsconfig.json');
    const run = step(job, (s) => (s.run ?? '').includes('npx integ-runner'), 'integ-runner');
    expect(run.run).toContain('--language typescript --directory integ --parallel-regions us-east-2');
    expect(run.run).toContain("--app 'node -r ts-node/register/transpile-only {filePath}' --update-on-failed");
    expect(run.run).not.toContain('--dry-run');
    expect(run.run).not.toContain('--no-clean');
  });

  test('uploads the integ output as an artifact on failure', () => {
    const upload = step(job, usesAction('actions/upload-artifact'), 'upload-artifact');
    expect(upload.if).toBe('failure()');
    expect(String(upload.with?.path)).toContain('integ-live.log');
    expect(String(upload.with?.path)).toContain('cdk-integ.out');
  });
});
