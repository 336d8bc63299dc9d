/**
 * The CloudFormation templates the pipelines deploy, offline: the example app synthesized in-process (with the
 * context of example/cdk.json, so the workload boundary is applied as `cdk deploy` applies it) and the committed
 * integ snapshots (what integ-runner deploys in the integ account).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { buildGtucApp } from '../app';

export interface StackTemplate {
  readonly stackName: string;
  readonly template: { Resources?: Record<string, { Type: string; Properties?: any }> };
}

/** Stack name prefixes of the example app (its stacks are `items-*`). */
export const EXAMPLE_STACK_NAME_PREFIXES = ['items-'];
/** Stack name prefixes of the integ test apps (integ/*.ts): integ-runner deploys them in the integ account. */
export const INTEG_STACK_NAME_PREFIXES = [
  'items-',
  'GtucApp',
  'HubSpokeNetwork',
  'PrivateLinkEcs',
  'SharedFrontDoor',
  'GeoWebAcl',
];

const EXAMPLE_DIR = path.join(__dirname, '..');
const INTEG_DIR = path.join(__dirname, '..', '..', 'integ');

/** The `context` of example/cdk.json. */
export function exampleContext(): Record<string, unknown> {
  return JSON.parse(fs.readFileSync(path.join(EXAMPLE_DIR, 'cdk.json'), 'utf8')).context ?? {};
}

/** Synthesizes every stack of the example (both network modes) into a temporary directory and returns them. */
export function exampleTemplates(): StackTemplate[] {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'example-synth-'));
  try {
    const app = new App({ outdir, context: { ...exampleContext(), networkModes: 'awsvpc,bridge' } });
    buildGtucApp(app);
    return app.synth().stacks.map((s) => ({ stackName: s.stackName, template: s.template }));
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

/** The templates of the committed integ snapshots (`integ/*.snapshot/*.template.json`). */
export function integTemplates(): StackTemplate[] {
  const result: StackTemplate[] = [];
  for (const dir of fs
    .readdirSync(INTEG_DIR)
    .filter((d) => d.endsWith('.snapshot'))
    .sort()) {
    for (const file of fs
      .readdirSync(path.join(INTEG_DIR, dir))
      .filter((f) => f.endsWith('.template.json'))
      .sort()) {
      result.push({
        stackName: file.replace(/\.template\.json$/, ''),
        template: JSON.parse(fs.readFileSync(path.join(INTEG_DIR, dir, file), 'utf8')),
      });
    }
  }
  return result;
}

/** The context key of CDK's permissions boundary (`PermissionsBoundary.fromName` for every role and user). */
export const PERMISSIONS_BOUNDARY_CONTEXT_KEY = '@aws-cdk/core:permissionsBoundary';

/** A context (JSON text, or undefined) with the permissions boundary of example/cdk.json added, as JSON text. */
export function withWorkloadBoundary(context: string | undefined): string {
  const parsed = context ? JSON.parse(context) : {};
  return JSON.stringify({
    ...parsed,
    [PERMISSIONS_BOUNDARY_CONTEXT_KEY]: exampleContext()[PERMISSIONS_BOUNDARY_CONTEXT_KEY],
  });
}
