#!/usr/bin/env node
/**
 * Deploys the GitHub Actions OIDC trust (see docs/cicd.md):
 *
 *   cd example
 *   npx cdk deploy --app 'npx ts-node --transpile-only ci/oidc-app.ts' \
 *     -c githubRepo=gtuc/cdk-privatelink-ecs [-c existingOidcProviderArn=arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com]
 */
import { App } from 'aws-cdk-lib';
import { GithubOidcStack } from './github-oidc-stack';

const app = new App();

const context = (key: string): string | undefined => {
  const value = app.node.tryGetContext(key);
  return value === undefined || value === '' ? undefined : String(value);
};

new GithubOidcStack(app, 'github-oidc', {
  stackName: 'github-oidc',
  description: 'GitHub Actions OIDC trust for the cdk-privatelink-ecs example pipelines',
  githubRepo: context('githubRepo') ?? 'gtuc/cdk-privatelink-ecs',
  existingProviderArn: context('existingOidcProviderArn'),
  bootstrapQualifier: context('bootstrapQualifier'),
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: 'us-east-2' },
});

app.synth();
