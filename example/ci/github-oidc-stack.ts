import { CfnOutput, Duration, Stack, StackProps, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';

/** The GitHub Actions OIDC issuer (without the scheme). */
export const GITHUB_OIDC_HOST = 'token.actions.githubusercontent.com';
/** The audience `aws-actions/configure-aws-credentials` requests. */
export const GITHUB_OIDC_AUDIENCE = 'sts.amazonaws.com';
/** The default CDK bootstrap qualifier. */
export const DEFAULT_BOOTSTRAP_QUALIFIER = 'hnb659fds';

const GITHUB_REPO_PATTERN = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})\/[A-Za-z0-9._-]{1,100}$/;
const QUALIFIER_PATTERN = /^[A-Za-z0-9_-]{1,10}$/;
const ENVIRONMENT_PATTERN = /^[A-Za-z0-9._-]{1,255}$/;

export interface GithubOidcStackProps extends StackProps {
  /**
   * The repository allowed to assume the roles, as `owner/name`. Wildcards are rejected on purpose.
   */
  readonly githubRepo: string;

  /**
   * ARN of an existing GitHub OIDC provider. An account can hold only one provider per issuer URL,
   * so pass it when another stack (or a human) already created `token.actions.githubusercontent.com`.
   *
   * @default - a new provider is created
   */
  readonly existingProviderArn?: string;

  /**
   * Qualifier of the CDK bootstrap stack (`cdk bootstrap --qualifier`).
   *
   * @default 'hnb659fds'
   */
  readonly bootstrapQualifier?: string;

  /**
   * Region the example is deployed to (the bootstrap role names embed it).
   *
   * @default 'us-east-2'
   */
  readonly deployRegion?: string;

  /**
   * GitHub environment gating the deploy workflow.
   *
   * @default 'production'
   */
  readonly productionEnvironment?: string;

  /**
   * GitHub environment gating the live integ workflow.
   *
   * @default 'integ'
   */
  readonly integEnvironment?: string;

  /**
   * Prefix of the ECS cluster names the deploy workflow waits on (`ecs:DescribeServices` is scoped to
   * `service/<prefix>*` ARNs). CloudFormation-generated cluster names start with the stack name, so
   * `items-` covers `items-service-awsvpc` and `items-service-bridge`.
   *
   * @default 'items-'
   */
  readonly ecsClusterPrefix?: string;
}

/**
 * GitHub Actions → AWS trust for the CI/CD workflows of this repository.
 *
 * - the GitHub OIDC provider (or an imported one);
 * - `DeployRole`: only for `repo:<repo>:environment:production`; may assume the CDK bootstrap roles, wait on the
 *   items ECS services and sign the smoke test's write requests;
 * - `DiffRole`: only for `repo:<repo>:pull_request`; may assume the CDK *lookup* role (ReadOnlyAccess) and nothing else;
 * - `IntegRole`: only for `repo:<repo>:environment:integ`; may assume the CDK bootstrap roles (integ-runner deploys,
 *   asserts and destroys through them).
 *
 * None of the roles holds a direct permission to change infrastructure: CloudFormation changes go through the
 * bootstrap deploy role and its execution role, exactly like a developer's `cdk deploy`.
 */
export class GithubOidcStack extends Stack {
  public readonly provider: iam.IOidcProvider;
  public readonly deployRole: iam.Role;
  public readonly diffRole: iam.Role;
  public readonly integRole: iam.Role;

  constructor(scope: Construct, id: string, props: GithubOidcStackProps) {
    super(scope, id, props);

    const githubRepo = props.githubRepo;
    if (!Token.isUnresolved(githubRepo) && !GITHUB_REPO_PATTERN.test(githubRepo)) {
      throw new Error(`githubRepo must be "owner/name" (e.g. gtuc/cdk-privatelink-ecs), got "${githubRepo}"`);
    }
    const qualifier = props.bootstrapQualifier ?? DEFAULT_BOOTSTRAP_QUALIFIER;
    if (!QUALIFIER_PATTERN.test(qualifier)) {
      throw new Error(`bootstrapQualifier must be 1-10 alphanumeric characters, got "${qualifier}"`);
    }
    const productionEnvironment = props.productionEnvironment ?? 'production';
    const integEnvironment = props.integEnvironment ?? 'integ';
    for (const env of [productionEnvironment, integEnvironment]) {
      if (!ENVIRONMENT_PATTERN.test(env)) {
        throw new Error(`GitHub environment names must match ${ENVIRONMENT_PATTERN}, got "${env}"`);
      }
    }
    const region = props.deployRegion ?? 'us-east-2';
    const clusterPrefix = props.ecsClusterPrefix ?? 'items-';

    this.provider = props.existingProviderArn
      ? iam.OidcProviderNative.fromOidcProviderArn(this, 'GithubProvider', props.existingProviderArn)
      : new iam.OidcProviderNative(this, 'GithubProvider', {
          url: `https://${GITHUB_OIDC_HOST}`,
          clientIds: [GITHUB_OIDC_AUDIENCE],
          // no thumbprints: IAM validates token.actions.githubusercontent.com against its own trusted CAs.
        });

    const trust = (subject: string) =>
      new iam.WebIdentityPrincipal(this.provider.oidcProviderArn, {
        StringEquals: {
          [`${GITHUB_OIDC_HOST}:aud`]: GITHUB_OIDC_AUDIENCE,
          [`${GITHUB_OIDC_HOST}:sub`]: subject,
        },
      });

    const bootstrapRole = (kind: string) =>
      `arn:${this.partition}:iam::${this.account}:role/cdk-${qualifier}-${kind}-role-${this.account}-${region}`;
    const allBootstrapRoles = ['deploy', 'file-publishing', 'image-publishing', 'lookup'].map(bootstrapRole);

    // ---------------------------------------------------------------------------------------------
    // deploy role: `environment: production` jobs of this repository only
    // ---------------------------------------------------------------------------------------------
    this.deployRole = new iam.Role(this, 'DeployRole', {
      description: `GitHub Actions deploy role for ${githubRepo} (environment ${productionEnvironment})`,
      assumedBy: trust(`repo:${githubRepo}:environment:${productionEnvironment}`),
      maxSessionDuration: Duration.hours(1),
    });
    this.deployRole.addToPolicy(
      new iam.PolicyStatement({
        sid: 'AssumeCdkBootstrapRoles',
        // sts:TagSession lets the CDK CLI pass session tags if a synthesizer is configured to do so.
        actions: ['sts:AssumeRole', 'sts:TagSession'],
        resources: allBootstrapRoles,
      }),
    );
    this.deployRole.addToPolicy(
      new iam.PolicyStatement({
        sid: 'WaitForItemsServices',
        actions: ['ecs:DescribeServices'],
        resources: [`arn:${this.partition}:ecs:${region}:${this.account}:service/${clusterPrefix}*`],
      }),
    );
    this.deployRole.addToPolicy(
      new iam.PolicyStatement({
        sid: 'SignSmokeTestWrites',
        actions: ['execute-api:Invoke'],
        // <api-id>/<stage>/<METHOD>/<path>: only the two write calls the smoke test makes, on any stage of
        // any REST API of this account/region (the API ids are not known before the example is deployed).
        resources: [
          `arn:${this.partition}:execute-api:${region}:${this.account}:*/*/POST/items`,
          `arn:${this.partition}:execute-api:${region}:${this.account}:*/*/DELETE/items/*`,
        ],
      }),
    );

    // ---------------------------------------------------------------------------------------------
    // diff role: pull_request jobs of this repository; read-only
    // ---------------------------------------------------------------------------------------------
    this.diffRole = new iam.Role(this, 'DiffRole', {
      description: `GitHub Actions read-only cdk diff role for ${githubRepo} pull requests`,
      assumedBy: trust(`repo:${githubRepo}:pull_request`),
      maxSessionDuration: Duration.hours(1),
    });
    this.diffRole.addToPolicy(
      new iam.PolicyStatement({
        sid: 'AssumeCdkLookupRole',
        // `cdk diff --no-change-set` reads the deployed templates through the lookup role (ReadOnlyAccess).
        actions: ['sts:AssumeRole', 'sts:TagSession'],
        resources: [bootstrapRole('lookup')],
      }),
    );

    // ---------------------------------------------------------------------------------------------
    // integ role: `environment: integ` jobs; integ-runner deploys, asserts and destroys via the bootstrap roles
    // ---------------------------------------------------------------------------------------------
    this.integRole = new iam.Role(this, 'IntegRole', {
      description: `GitHub Actions live integ-runner role for ${githubRepo} (environment ${integEnvironment})`,
      assumedBy: trust(`repo:${githubRepo}:environment:${integEnvironment}`),
      maxSessionDuration: Duration.hours(1),
    });
    this.integRole.addToPolicy(
      new iam.PolicyStatement({
        sid: 'AssumeCdkBootstrapRoles',
        actions: ['sts:AssumeRole', 'sts:TagSession'],
        resources: allBootstrapRoles,
      }),
    );

    new CfnOutput(this, 'OidcProviderArn', { value: this.provider.oidcProviderArn });
    new CfnOutput(this, 'DeployRoleArn', {
      value: this.deployRole.roleArn,
      description: 'Repository secret AWS_DEPLOY_ROLE_ARN',
    });
    new CfnOutput(this, 'DiffRoleArn', {
      value: this.diffRole.roleArn,
      description: 'Repository secret AWS_DIFF_ROLE_ARN',
    });
    new CfnOutput(this, 'IntegRoleArn', {
      value: this.integRole.roleArn,
      description: 'Repository secret AWS_INTEG_ROLE_ARN',
    });
  }
}
