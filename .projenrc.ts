import { awscdk, javascript, JsonFile, TextFile } from 'projen';
import { pinGithubActions } from './projenrc/action-pins';

const CDK_VERSION = '2.257.0';
const INTEG_TESTS_ALPHA = '2.245.0-alpha.0';

const project = new awscdk.AwsCdkConstructLibrary({
  name: '@gtuc/cdk-privatelink-ecs',
  description:
    'Private ECS services behind API Gateway, a PrivateLink VPC link, an internal NLB and a geo web ACL, on a hub-spoke Transit Gateway network.',
  author: 'GTUC Platform Engineering',
  authorAddress: 'platform@gtuc.example',
  authorOrganization: true,
  repositoryUrl: 'https://github.com/gtuc/cdk-privatelink-ecs.git',
  homepage: 'https://github.com/gtuc/cdk-privatelink-ecs',
  license: 'Apache-2.0',
  copyrightOwner: 'GTUC',
  keywords: ['aws-cdk', 'ecs', 'privatelink', 'api-gateway', 'waf', 'transit-gateway', 'nlb', 'vpc-link'],
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,
  cdkVersion: CDK_VERSION,
  constructsVersion: '10.5.1',
  jsiiVersion: '~6.0.0',
  typescriptVersion: '~5.9.0',
  minNodeVersion: '20.0.0',
  // CI runs on an LTS jsii supports (jsii warns that Node 20 is end-of-life); users may still run Node >= 20.
  workflowNodeVersion: '24.x',
  stability: 'experimental',

  // jsii targets; published by the release workflow (PyPI / Maven / NuGet are unreachable from dev machines).
  publishToPypi: { distName: 'gtuc-cdk-privatelink-ecs', module: 'gtuc_cdk_privatelink_ecs' },
  publishToMaven: {
    javaPackage: 'com.gtuc.cdk.privatelinkecs',
    mavenGroupId: 'com.gtuc',
    mavenArtifactId: 'cdk-privatelink-ecs',
  },
  publishToNuget: { dotNetNamespace: 'Gtuc.Cdk.PrivateLinkEcs', packageId: 'Gtuc.Cdk.PrivateLinkEcs' },
  publishToGo: { moduleName: 'github.com/gtuc/cdk-privatelink-ecs-go' },

  prettier: true,
  prettierOptions: { settings: { singleQuote: true, printWidth: 120 } },
  eslintOptions: {
    dirs: ['src'],
    devdirs: ['test', 'integ', 'example', 'tools', 'projenrc', '.projenrc.ts'],
    ignorePatterns: ['example/items-service/', 'example/cdk.out/', 'integ/**/*.snapshot/', '*.d.ts', '*.js'],
  },
  jestOptions: {
    updateSnapshot: javascript.UpdateSnapshot.NEVER,
    jestConfig: {
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      testPathIgnorePatterns: ['/node_modules/', '/example/items-service/'],
      modulePathIgnorePatterns: ['<rootDir>/example/cdk.out', '<rootDir>/example/items-service'],
      // V8 coverage slows everything the tests run, aws-cdk-lib included (x1.85 CPU measured on test/api+service+waf);
      // babel instruments only the project's own files (x1.22) and reports the same table.
      coverageProvider: 'babel',
      // Jest's default on N cores is N-1 workers: one on a 2-core machine. Every core runs a worker instead.
      maxWorkers: '100%',
      // The jsii/rosetta/pacmak chain of the translations test first, the tests that pack lib/ last.
      testSequencer: '<rootDir>/test/sequencer.js',
    },
  },
  gitignore: [
    'example/cdk.out/',
    'integ/cdk-integ.out*',
    // Staged assets in integ snapshots (the items service source, the assertion handler bundle): verification
    // compares templates only, and a live run stages assets afresh.
    'integ/*.snapshot/asset.*',
    '.jsii.tabl.json',
    'cdk.out/',
    '.cdk.staging/',
    '*.tsbuildinfo',
  ],
  npmIgnoreOptions: {
    // The npm package ships the library only (lib/, .jsii and its rosetta tablet, README, API.md, LICENSE).
    ignorePatterns: ['/example/', '/integ/', '/docs/', '/.ci/', '/test/', '/projenrc/', '/tools/', '/rosetta/'],
  },
  devDeps: [
    `cdk-nag@3.0.2`,
    `@aws-cdk/integ-tests-alpha@${INTEG_TESTS_ALPHA}`,
    '@aws-cdk/integ-runner@^2.197.10',
    'aws-cdk@^2.1148.0',
    // workflow validation and the architecture diagram
    '@action-validator/core@^0.6.0',
    'yaml@^2.9.1',
    '@viz-js/viz@^3.31.0',
    '@resvg/resvg-js@^2.6.2',
    'dejavu-fonts-ttf@^2.37.3',
    // AWS Architecture Icons as SVG files (package MIT; icons by AWS, for architecture diagrams)
    'aws-icons@^3.3.0',
  ],
  githubOptions: { mergify: false },
  // Build on every pull request and on every push to main; fail (PRs: push back) when the build changes files.
  buildWorkflowOptions: {
    mutableBuild: false,
    workflowTriggers: { pullRequest: {}, push: { branches: ['main'] }, workflowDispatch: {} },
  },
  autoApproveUpgrades: false,
  depsUpgrade: true,
});

// Generated JSON (tsconfigs, snapshots) keeps projen's and the CDK's own formatting.
project.prettier?.addIgnorePattern('*.json');

// integ tests and the example app get dev tsconfigs of their own (eslint's project service and ts-node use them).
for (const dir of ['integ', 'example']) {
  new JsonFile(project, `${dir}/tsconfig.json`, {
    obj: {
      extends: '../tsconfig.json',
      compilerOptions: { noEmit: true, rootDir: '..', isolatedModules: true },
      include: ['**/*.ts', '../src/**/*.ts'],
      exclude: ['node_modules', 'items-service', 'cdk.out', '*.snapshot'],
    },
  });
}

// ---------------------------------------------------------------------------------------------
// Tasks other tooling relies on
// ---------------------------------------------------------------------------------------------
const TS_NODE = 'node -r ts-node/register/transpile-only';
const tsNodeEnv = { TS_NODE_PROJECT: 'example/tsconfig.json' };

project.addTask('example:synth', {
  description: 'Synthesizes the whole GTUC example app into example/cdk.out (offline, no credentials)',
  env: { ...tsNodeEnv, CDK_OUTDIR: 'example/cdk.out' },
  steps: [{ exec: 'rm -rf example/cdk.out' }, { exec: `${TS_NODE} example/main.ts` }],
});

const integVerify = project.addTask('integ:verify', {
  description: 'Verifies the committed integ snapshots offline (no AWS credentials needed)',
  env: tsNodeEnv,
  exec: `integ-runner --language typescript --directory integ --parallel-regions us-east-2 --app '${TS_NODE} {filePath}'`,
});
project.addTask('integ:update', {
  description: 'Re-synthesizes the integ snapshots without deploying (commit the result)',
  env: tsNodeEnv,
  exec: `integ-runner --language typescript --directory integ --parallel-regions us-east-2 --dry-run --update-on-failed --app '${TS_NODE} {filePath}'`,
});

const ITEMS = 'example/items-service';
const itemsInstall = project.addTask('items:install', {
  description: 'Installs the items service dependencies when they are missing',
  exec: `test -d ${ITEMS}/node_modules || npm ci --prefix ${ITEMS} --no-audit --no-fund`,
});
const itemsTest = project.addTask('items:test', {
  description: 'Runs the items service tests against a real PostgreSQL',
  steps: [{ spawn: itemsInstall.name }, { exec: `npm test --prefix ${ITEMS}` }],
});
project.addTask('items:dev', {
  description: 'Runs the items service locally (embedded PostgreSQL unless DATABASE_URL is set)',
  steps: [{ spawn: itemsInstall.name }, { exec: `npm run dev --prefix ${ITEMS}` }],
});
project.addTask('items:bench', {
  description:
    'Benchmarks the items service against a bare node:http + pg server, naive Express + Sequelize and Fastify + pg (alternating rounds)',
  steps: [{ spawn: itemsInstall.name }, { exec: `npm run bench --prefix ${ITEMS}` }],
});

// README and @example snippets must compile under jsii-rosetta strict mode (checked after every compile).
project.package.file.addOverride('jsii.metadata.jsii.rosetta.strict', true);
project.postCompileTask.exec('jsii-rosetta extract --strict --compile --fail');

project.addTask('diagram', {
  description: 'Regenerates docs/architecture*.{dot,svg,png} from the synthesized example app (--check: fail if stale)',
  env: tsNodeEnv,
  steps: [{ exec: `${TS_NODE} tools/diagram/generate.ts`, receiveArgs: true }],
});

project.addTask('cost', {
  description:
    'Prints the monthly list-price estimate of the synthesized example (us-east-2) and writes docs/cost.md (--help: usage flags, --prices FILE)',
  env: tsNodeEnv,
  steps: [{ exec: `${TS_NODE} tools/cost/cost.ts`, receiveArgs: true }],
});

// ts-jest only transpiles the tests (isolatedModules) and the integ runner's ts-node the integ tests: one tsc pass over
// each (and the example, tools and src they import) makes a type error in a test fail the run.
const testTypes = project.addTask('test:types', {
  description:
    'Type-checks the tests, the integ tests and what they import (jest and ts-node transpile them without checking types)',
  steps: [{ exec: 'tsc --noEmit -p test/tsconfig.json' }, { exec: 'tsc --noEmit -p integ/tsconfig.json' }],
});

// `npx projen test` runs every test: library + example (jest, on every core); then lint and the types of the tests at
// once (two single-threaded steps); then the items service alone (its outage, load and drain tests time responses
// and fail when something else takes the cores); then the integ snapshots (integ-runner synthesizes them in parallel).
const eslintStep = project.testTask.steps.findIndex((step) => step.spawn === project.eslint!.eslintTask.name);
if (eslintStep < 0) {
  throw new Error('projen no longer spawns eslint from the test task: update the lanes below.');
}
project.testTask.removeStep(eslintStep);
project.testTask.exec(`tools/lanes.sh ${project.eslint!.eslintTask.name} ${testTypes.name}`);
project.testTask.spawn(itemsTest);
project.testTask.spawn(integVerify);

new TextFile(project, '.ci/run', {
  executable: true,
  lines: [
    '#!/usr/bin/env bash',
    '# CI entry point: installs everything from a clean clone, runs the full build (jsii compile, API.md, rosetta',
    '# strict on the README and @example snippets, every test, the JS package), then fails when the build changed',
    '# or added files (a stale API.md, snapshot or generated file).',
    'set -euo pipefail',
    'cd "$(dirname "$0")/.."',
    'export CI=true',
    'npm ci --no-audit --no-fund',
    'npx projen build',
    'git diff --exit-code',
    'untracked="$(git status --porcelain --untracked-files=all)"',
    'if [ -n "$untracked" ]; then echo "The build left files git does not track:"; echo "$untracked"; exit 1; fi',
  ],
});

// Every action of projen's workflows pinned by commit SHA, the tag as a comment (projenrc/action-pins.ts).
pinGithubActions(project.github!);

project.synth();
