import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { validateWorkflow } from '@action-validator/core';
import { parse } from 'yaml';
import { ACTION_PINS, commentPins, pinnedAction } from '../../projenrc/action-pins';

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
  readonly needs?: string | string[];
  readonly outputs?: Record<string, string>;
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

/** The token permissions of every job of every workflow (projen's included): a change here is a reviewed change. */
const JOB_PERMISSIONS: Record<string, Record<string, Record<string, string>>> = {
  'build.yml': {
    build: { contents: 'write' },
    'package-js': { contents: 'read' },
    'package-java': { contents: 'read' },
    'package-python': { contents: 'read' },
    'package-dotnet': { contents: 'read' },
    'package-go': { contents: 'read' },
  },
  'deploy.yml': { 'build-passed': { actions: 'read' }, deploy: { 'id-token': 'write', contents: 'read' } },
  'diff.yml': { diff: { contents: 'read', actions: 'read' } },
  'integ-live.yml': { integ: { 'id-token': 'write', contents: 'read' } },
  'pull-request-lint.yml': { validate: { 'pull-requests': 'write' } },
  'release.yml': {
    release: { contents: 'write' },
    release_github: { contents: 'write' },
    release_npm: { contents: 'read' },
    release_maven: { contents: 'read' },
    release_pypi: { contents: 'read' },
    release_nuget: { contents: 'read' },
    release_golang: { contents: 'read' },
  },
  'upgrade-main.yml': { upgrade: { contents: 'read' }, pr: { contents: 'read' } },
};

const PULL_REQUEST_EVENTS = [
  'pull_request',
  'pull_request_target',
  'pull_request_review',
  'pull_request_review_comment',
];

/** Every `uses:` of a workflow's text that is not `<action>@<sha of ACTION_PINS> # <its tag>`. */
function badPins(src: string): string[] {
  const bad: string[] = [];
  for (const line of src.split('\n')) {
    const m = /^\s*(?:- )?uses:\s*(.*)$/.exec(line);
    if (!m) continue;
    const pinned = /^([A-Za-z0-9_.-]+\/[A-Za-z0-9_./-]+)@([0-9a-f]{40}) # (\S+)$/.exec(m[1].trim());
    const pin = pinned ? ACTION_PINS[pinned[1]] : undefined;
    if (!pinned || !pin || pin.sha !== pinned[2] || pin.tag !== pinned[3]) {
      bad.push(m[1].trim());
    }
  }
  return bad;
}

describe('action pins and job permissions of every workflow', () => {
  test.each(WORKFLOW_FILES)(
    '%s pins every action by the full commit SHA of ACTION_PINS, the tag in a comment',
    (file) => {
      const src = read(file);
      expect(src).toMatch(/uses:/);
      expect(badPins(src)).toEqual([]);
    },
  );

  test('the pin check fails on a tag pin, a short SHA, a missing or wrong comment and an unknown action', () => {
    const checkout = ACTION_PINS['actions/checkout'];
    expect(badPins(`      - uses: actions/checkout@${checkout.sha} # ${checkout.tag}`)).toEqual([]);
    expect(badPins('      - uses: actions/checkout@v4')).toEqual(['actions/checkout@v4']);
    expect(badPins(`        uses: actions/checkout@${checkout.sha.slice(0, 7)} # ${checkout.tag}`)).toHaveLength(1);
    expect(badPins(`        uses: actions/checkout@${checkout.sha}`)).toHaveLength(1);
    expect(badPins(`        uses: actions/checkout@${checkout.sha} # v1`)).toHaveLength(1);
    expect(badPins(`        uses: evil/checkout@${checkout.sha} # ${checkout.tag}`)).toHaveLength(1);
    expect(badPins('        uses: "actions/checkout@main"')).toHaveLength(1);
  });

  test('every pin is a full 40-hex-digit commit with a tag, and projen renders the same comment', () => {
    for (const [action, pin] of Object.entries(ACTION_PINS)) {
      expect(pin.sha).toMatch(/^[0-9a-f]{40}$/);
      expect(pin.tag).toMatch(/^v\d+(\.\d+){0,2}$/);
      expect(pinnedAction(action)).toBe(`${action}@${pin.sha}`);
      expect(commentPins(`    - uses: ${action}@${pin.sha}`)).toBe(`    - uses: ${action}@${pin.sha} # ${pin.tag}`);
    }
    expect(() => pinnedAction('evil/action')).toThrow('no pin for GitHub action evil/action');
  });

  test.each(WORKFLOW_FILES)('%s: every job has exactly the reviewed token permissions', (file) => {
    const wf = load(file);
    expect(Object.keys(JOB_PERMISSIONS)).toContain(file);
    const actual = Object.fromEntries(Object.entries(wf.jobs).map(([id, job]) => [id, job.permissions]));
    expect(actual).toEqual(JOB_PERMISSIONS[file]);
    expect(JSON.stringify(wf.permissions ?? {})).not.toMatch(/write/);
  });

  test('no job triggered by a pull request can get an OIDC token (no id-token: write anywhere in those workflows)', () => {
    const prWorkflows = WORKFLOW_FILES.filter((f) =>
      Object.keys(load(f).on).some((e) => PULL_REQUEST_EVENTS.includes(e)),
    );
    expect(prWorkflows).toEqual(expect.arrayContaining(['build.yml', 'diff.yml', 'pull-request-lint.yml']));
    for (const file of prWorkflows) {
      const wf = load(file);
      expect(wf.permissions?.['id-token']).toBeUndefined();
      expect(read(file)).not.toMatch(/write-all/);
      for (const [id, job] of Object.entries(wf.jobs)) {
        expect([file, id, job.permissions?.['id-token']]).toEqual([file, id, undefined]);
        expect(job.steps.some(usesAction('aws-actions/configure-aws-credentials'))).toBe(false);
      }
      expect(read(file)).not.toMatch(/secrets\.AWS_/);
    }
  });

  test('only jobs gated by a protected environment get an OIDC token', () => {
    for (const file of WORKFLOW_FILES) {
      for (const [id, job] of Object.entries(load(file).jobs)) {
        if (job.permissions?.['id-token'] === 'write') {
          expect([file, id, environmentName(job)]).toEqual([file, id, expect.stringMatching(/^(production|integ)$/)]);
        }
      }
    }
  });

  const nodeWorkflows = WORKFLOW_FILES.filter((f) => read(f).includes('actions/setup-node@'));
  test('every workflow but the pull-request title lint sets up Node.js', () => {
    expect(WORKFLOW_FILES.filter((f) => !nodeWorkflows.includes(f))).toEqual(['pull-request-lint.yml']);
  });

  test.each(nodeWorkflows)('%s runs Node.js 24 (an LTS jsii supports)', (file) => {
    const versions = [...read(file).matchAll(/node-version:\s*(\S+)/g)].map((m) => m[1]);
    expect(versions.length).toBeGreaterThan(0);
    expect(new Set(versions)).toEqual(new Set(['24.x']));
  });
});

describe.each(OWN_WORKFLOWS)('%s (hand-written)', (file) => {
  const wf = load(file);

  test('denies all token permissions at the top level', () => {
    expect(wf.permissions).toEqual({});
  });

  test('jobs with an OIDC token assume a role through OIDC in us-east-2, and only they', () => {
    for (const job of Object.values(wf.jobs)) {
      const hasCreds = job.steps.some(usesAction('aws-actions/configure-aws-credentials'));
      expect(hasCreds).toBe(job.permissions?.['id-token'] === 'write');
      if (!hasCreds) continue;
      const creds = step(job, usesAction('aws-actions/configure-aws-credentials'), 'configure-aws-credentials');
      expect(creds.with?.['role-to-assume']).toMatch(/^\$\{\{ secrets\.AWS_[A-Z]+_ROLE_ARN \}\}$/);
      expect(creds.with?.['aws-region']).toBe('us-east-2');
      expect(creds.with).not.toHaveProperty('aws-access-key-id');
      expect(creds.with).not.toHaveProperty('aws-secret-access-key');
      expect(creds.with?.['role-duration-seconds']).toBeLessThanOrEqual(3600);
    }
  });

  test('jobs that check out code use Node 24 with the npm cache and npm ci, without persisted git credentials', () => {
    for (const job of Object.values(wf.jobs)) {
      if (!job.steps.some(usesAction('actions/checkout'))) continue;
      const checkout = step(job, usesAction('actions/checkout'), 'checkout');
      expect(checkout.with?.['persist-credentials']).toBe(false);
      const node = step(job, usesAction('actions/setup-node'), 'setup-node');
      expect(node.with).toEqual({ 'node-version': '24.x', cache: 'npm' });
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
  const gate = wf.jobs['build-passed'];
  const job = wf.jobs.deploy;

  test('is triggered by a completed build on main, or a manual dispatch with the network mode choice', () => {
    expect(wf.name).toBe('deploy');
    expect(Object.keys(wf.on).sort()).toEqual(['workflow_dispatch', 'workflow_run']);
    expect(wf.on.workflow_run).toEqual({ workflows: ['build'], types: ['completed'], branches: ['main'] });
    expect(wf.on.workflow_dispatch.inputs.network_modes).toEqual({
      description: "ECS network modes to deploy (the example's networkModes context)",
      type: 'choice',
      required: true,
      default: 'awsvpc,bridge',
      options: ['awsvpc,bridge', 'awsvpc', 'bridge'],
    });
  });

  test('the build of projen runs on pull requests and on pushes to main (the deploy trigger)', () => {
    const build = load('build.yml');
    expect(build.name).toBe('build');
    expect(build.on.pull_request).toEqual({});
    expect(build.on.push).toEqual({ branches: ['main'] });
  });

  test('never runs two deployments at once and never cancels one midway', () => {
    expect(wf.concurrency).toEqual({ group: 'deploy-production', 'cancel-in-progress': false });
  });

  test('the gate runs only for a successful build of a push to this repository, or a dispatch', () => {
    expect(Object.keys(wf.jobs)).toEqual(['build-passed', 'deploy']);
    expect(gate.if?.replace(/\s+/g, ' ').trim()).toBe(
      "github.event_name == 'workflow_dispatch' || ( github.event.workflow_run.conclusion == 'success' && " +
        "github.event.workflow_run.event == 'push' && github.event.workflow_run.head_repository.full_name == github.repository)",
    );
    expect(gate.permissions).toEqual({ actions: 'read' });
    expect(gate.steps.some((s) => s.uses)).toBe(false); // no code of the commit runs here
  });

  test('the gate finds a successful push build of the very commit, or fails', () => {
    expect(gate.env?.SHA).toBe('${{ github.event.workflow_run.head_sha || github.sha }}');
    const check = step(gate, (s) => s.id === 'check', 'check');
    expect(check.run).toContain('actions/workflows/build.yml/runs?head_sha=$SHA&event=push&status=success');
    expect(check.run).toContain('exit 1');
    expect(gate.outputs?.sha).toBe('${{ steps.check.outputs.sha }}');
  });

  test('the deploy job needs the gate, is gated by the production environment and deploys the built commit', () => {
    expect(job.needs).toBe('build-passed');
    expect(job.name).toBe('Deploy the example to ECS');
    expect(environmentName(job)).toBe('production');
    expect(job.env).toEqual({
      AWS_REGION: 'us-east-2',
      NETWORK_MODES: "${{ inputs.network_modes || 'awsvpc,bridge' }}",
      DEPLOY_SHA: '${{ needs.build-passed.outputs.sha }}',
    });
    const checkout = step(job, usesAction('actions/checkout'), 'checkout');
    expect(checkout.with?.ref).toBe('${{ needs.build-passed.outputs.sha }}');
  });

  test('assumes the deploy role', () => {
    const creds = step(job, usesAction('aws-actions/configure-aws-credentials'), 'configure-aws-credentials');
    expect(creds.with?.['role-to-assume']).toBe('${{ secrets.AWS_DEPLOY_ROLE_ARN }}');
  });

  test('steps run in order: checkout, node, npm ci, baseline synth, credentials, deploy, baseline upload, wait, smoke', () => {
    const index = (predicate: (s: Step) => boolean) => job.steps.findIndex(predicate);
    const order = [
      index(usesAction('actions/checkout')),
      index(usesAction('actions/setup-node')),
      index((s) => s.run === 'npm ci --no-audit --no-fund'),
      index((s) => s.name === 'Synthesize the diff baseline (offline)'),
      index(usesAction('aws-actions/configure-aws-credentials')),
      index((s) => s.name === 'cdk deploy'),
      index((s) => (s.with?.name as string) === 'deployed-templates'),
      index((s) => s.name === 'Wait for the ECS services to be stable'),
      index((s) => s.name === 'Smoke test'),
    ];
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });

  test('synthesizes the diff baseline offline and uploads it only after a successful deployment', () => {
    const synth = step(job, (s) => s.name === 'Synthesize the diff baseline (offline)', 'baseline synth');
    expect(synth['working-directory']).toBe('example');
    expect(synth.run).toBe('npx cdk synth --quiet -c networkModes="$NETWORK_MODES" --output cdk.baseline');
    const upload = step(job, (s) => (s.with?.name as string) === 'deployed-templates', 'baseline upload');
    expect(upload.if).toBeUndefined(); // success() of the previous steps, the deploy included
    expect(upload.with).toEqual({
      name: 'deployed-templates',
      path: 'example/cdk.baseline/*.template.json',
      'if-no-files-found': 'error',
      'retention-days': 90,
    });
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

  test('has no AWS credentials, no OIDC token and no environment: it reads the code and artifacts only', () => {
    expect(job.permissions).toEqual({ contents: 'read', actions: 'read' });
    expect(job.environment).toBeUndefined();
    expect(job.steps.some(usesAction('aws-actions/configure-aws-credentials'))).toBe(false);
    expect(read('diff.yml')).not.toMatch(/secrets\.|AWS_ROLE|role-to-assume/);
  });

  test('fetches the baseline from the newest deployed-templates artifact of main', () => {
    const fetch = step(job, (s) => s.name === 'Fetch the templates of the last deployment', 'baseline fetch');
    expect(fetch.run).toContain('actions/artifacts?name=deployed-templates');
    expect(fetch.run).toContain('.workflow_run.head_branch == "main"');
    expect(fetch.run).toContain('.expired == false');
  });

  test('synthesizes offline and diffs each stack against its deployed template, never against AWS', () => {
    const synth = step(job, (s) => s.name === 'cdk synth (offline)', 'synth');
    expect(synth.run).toBe('npx cdk synth --quiet -c networkModes="$NETWORK_MODES"');
    expect(job.env?.NETWORK_MODES).toBe('awsvpc,bridge');
    const diff = step(job, (s) => s.name === 'cdk diff against the last deployment (offline)', 'cdk diff');
    expect(diff['working-directory']).toBe('example');
    expect(diff.run).toContain('npx cdk diff --app cdk.out --template "$old" --exclusively "$stack"');
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

  test('runs only from main or a release tag', () => {
    expect(job.if).toBe("github.ref == 'refs/heads/main' || startsWith(github.ref, 'refs/tags/v')");
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
    expect(run.run).toContain(
      '--app "node -r ts-node/register/transpile-only -r $GITHUB_WORKSPACE/example/ci/integ-boundary.ts {filePath}"',
    );
    expect(run.run).toContain('--update-on-failed');
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
