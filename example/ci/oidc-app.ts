#!/usr/bin/env node
/**
 * The GitHub Actions OIDC trust of both accounts (see docs/cicd.md). Deploy each stack once, with an
 * administrator's credentials of its account, before `cdk bootstrap`:
 *
 *   cd example
 *   npx cdk deploy --app 'npx ts-node --transpile-only ci/oidc-app.ts' \
 *     -c productionAccount=111111111111 -c integAccount=222222222222 github-oidc          # production admin
 *   npx cdk deploy --app 'npx ts-node --transpile-only ci/oidc-app.ts' \
 *     -c productionAccount=111111111111 -c integAccount=222222222222 github-oidc-integ    # integ admin
 *
 * Optional context: githubRepo, bootstrapQualifier, existingOidcProviderArn, existingIntegOidcProviderArn.
 * The execution policies cover the resource types of the example (synthesized here, offline) and of the
 * committed integ snapshots.
 */
import { App } from 'aws-cdk-lib';
import {
  EXAMPLE_STACK_NAME_PREFIXES,
  exampleTemplates,
  INTEG_STACK_NAME_PREFIXES,
  integTemplates,
} from './app-templates';
import { resourceTypesOf } from './execution-policy';
import { GithubOidcStack } from './github-oidc-stack';

const app = new App();

const context = (key: string): string | undefined => {
  const value = app.node.tryGetContext(key);
  return value === undefined || value === '' ? undefined : String(value);
};
const required = (key: string): string => {
  const value = context(key);
  if (value === undefined) {
    throw new Error(`Context \`${key}\` is required (-c ${key}=123456789012).`);
  }
  return value;
};

const productionAccountId = required('productionAccount');
const integAccountId = required('integAccount');
const common = {
  githubRepo: context('githubRepo') ?? 'gtuc/cdk-privatelink-ecs',
  bootstrapQualifier: context('bootstrapQualifier'),
  productionAccountId,
  integAccountId,
  description: 'GitHub Actions OIDC trust and CDK execution policy for the cdk-privatelink-ecs example pipelines',
};

const example = exampleTemplates().map((s) => s.template);
const integ = integTemplates().map((s) => s.template);

new GithubOidcStack(app, 'github-oidc', {
  ...common,
  stackName: 'github-oidc',
  env: { account: productionAccountId, region: 'us-east-2' },
  existingProviderArn: context('existingOidcProviderArn'),
  resourceTypes: resourceTypesOf(example),
  stackNamePrefixes: EXAMPLE_STACK_NAME_PREFIXES,
});

new GithubOidcStack(app, 'github-oidc-integ', {
  ...common,
  stackName: 'github-oidc-integ',
  env: { account: integAccountId, region: 'us-east-2' },
  existingProviderArn: context('existingIntegOidcProviderArn'),
  resourceTypes: resourceTypesOf([...example, ...integ]),
  stackNamePrefixes: INTEG_STACK_NAME_PREFIXES,
});

app.synth();
