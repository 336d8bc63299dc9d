import { CfnOutput, Duration, Stack, StackProps, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import { Construct } from 'constructs';
import { executionPolicyDocuments } from './execution-policy';

/** The GitHub Actions OIDC issuer (without the scheme). */
export const GITHUB_OIDC_HOST = 'token.actions.githubusercontent.com';
/** The audience `aws-actions/configure-aws-credentials` requests. */
export const GITHUB_OIDC_AUDIENCE = 'sts.amazonaws.com';
/** The default CDK bootstrap qualifier. */
export const DEFAULT_BOOTSTRAP_QUALIFIER = 'hnb659fds';
/** Name of the permissions boundary every role of the app carries (example/cdk.json applies it). */
export const WORKLOAD_BOUNDARY_NAME = (qualifier: string) => `cdk-${qualifier}-workload-boundary`;
/** Names of the execution policies (`cdk bootstrap --cloudformation-execution-policies`). */
export const EXECUTION_POLICY_NAME = (qualifier: string, index: number) => `cdk-${qualifier}-cfn-exec-policy-${index}`;
/** Prefix of the GitHub Actions role names (the execution policy can't touch them). */
export const GITHUB_ROLE_PREFIX = 'github-actions-';

const GITHUB_REPO_PATTERN = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})\/[A-Za-z0-9._-]{1,100}$/;
const QUALIFIER_PATTERN = /^[A-Za-z0-9_-]{1,10}$/;
const ENVIRONMENT_PATTERN = /^[A-Za-z0-9._-]{1,255}$/;
const ACCOUNT_PATTERN = /^\d{12}$/;

export interface GithubOidcStackProps extends StackProps {
  /**
   * The repository allowed to assume the roles, as `owner/name`. Wildcards are rejected on purpose.
   */
  readonly githubRepo: string;

  /** The account the deploy workflow deploys the example to. */
  readonly productionAccountId: string;

  /**
   * The separate account the live integ tests run in (integ-runner deploys and destroys whole test apps: it must
   * not share an account, and so a blast radius, with production).
   */
  readonly integAccountId: string;

  /**
   * The CloudFormation resource types the execution policy covers: those of the synthesized example and integ
   * templates (see `app-templates.ts`). A type without an entry in `RESOURCE_TYPE_ACTIONS` fails synthesis.
   */
  readonly resourceTypes: string[];

  /**
   * Prefixes of the stack names the execution role may deploy (roles, functions and nested stacks are named
   * after their stack).
   *
   * @default ['items-']
   */
  readonly stackNamePrefixes?: string[];

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

  /**
   * Name pattern of the roles that the Serverless Application Repository rotation application of the database
   * creates in its nested stack, without a permissions boundary (the application's template has no parameter
   * for one).
   *
   * @default 'items-database-*'
   */
  readonly sarRoleNamePattern?: string;
}

/**
 * GitHub Actions → AWS trust for the CI/CD workflows of this repository, deployed once per account with an
 * administrator's credentials, before `cdk bootstrap` (which names the execution policies created here).
 *
 * In either account:
 * - the GitHub OIDC provider (or an imported one);
 * - `WorkloadBoundary` (`cdk-<qualifier>-workload-boundary`): the permissions boundary every role of the app
 *   carries; it allows no IAM, Organizations or account action and no `sts:AssumeRole`;
 * - `ExecutionPolicy1..n` (`cdk-<qualifier>-cfn-exec-policy-<n>`): the CloudFormation execution policy, derived
 *   from `resourceTypes` (see `execution-policy.ts`).
 *
 * In the production account, `DeployRole` (`github-actions-deploy`): only for
 * `repo:<repo>:environment:production`; may assume the CDK deploy and publishing roles, wait on the items ECS
 * services and sign the smoke test's write requests. In the integ account, `IntegRole` (`github-actions-integ`):
 * only for `repo:<repo>:environment:integ`; may assume the CDK deploy and publishing roles.
 *
 * No role trusts pull requests: pull-request jobs get no AWS credentials at all.
 */
export class GithubOidcStack extends Stack {
  public readonly provider: iam.IOidcProvider;
  public readonly workloadBoundary: iam.ManagedPolicy;
  public readonly executionPolicies: iam.ManagedPolicy[];
  /** The deploy role (production account only). */
  public readonly deployRole?: iam.Role;
  /** The integ role (integ account only). */
  public readonly integRole?: iam.Role;

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
    for (const [name, value] of [
      ['productionAccountId', props.productionAccountId],
      ['integAccountId', props.integAccountId],
    ]) {
      if (!ACCOUNT_PATTERN.test(value)) {
        throw new Error(`\`${name}\` must be a 12-digit AWS account id, got: '${value}'.`);
      }
    }
    if (props.productionAccountId === props.integAccountId) {
      throw new Error(
        `\`integAccountId\` must differ from \`productionAccountId\` (live integ tests get their own account), got: '${props.integAccountId}'.`,
      );
    }
    if (Token.isUnresolved(this.account) || Token.isUnresolved(this.region)) {
      throw new Error(
        '`env` must name the account and region the stack is deployed to, got an environment-agnostic stack.',
      );
    }
    if (this.account !== props.productionAccountId && this.account !== props.integAccountId) {
      throw new Error(`\`env.account\` must be \`productionAccountId\` or \`integAccountId\`, got: '${this.account}'.`);
    }
    const isProduction = this.account === props.productionAccountId;
    const region = this.region;
    const partition = RegionInfo.get(region).partition ?? 'aws';
    const clusterPrefix = props.ecsClusterPrefix ?? 'items-';
    const stackNamePrefixes = props.stackNamePrefixes ?? ['items-'];
    const protectedNames = ['CDKToolkit', `cdk-${qualifier}-`, GITHUB_ROLE_PREFIX, this.stackName];
    for (const prefix of stackNamePrefixes) {
      const clash = protectedNames.find((n) => n.startsWith(prefix) || prefix.startsWith(n));
      if (clash) {
        throw new Error(
          `\`stackNamePrefixes\` must not cover the bootstrap or trust resources (${clash}), got: '${prefix}'.`,
        );
      }
    }

    this.provider = props.existingProviderArn
      ? iam.OidcProviderNative.fromOidcProviderArn(this, 'GithubProvider', props.existingProviderArn)
      : new iam.OidcProviderNative(this, 'GithubProvider', {
          url: `https://${GITHUB_OIDC_HOST}`,
          clientIds: [GITHUB_OIDC_AUDIENCE],
          // no thumbprints: IAM validates token.actions.githubusercontent.com against its own trusted CAs.
        });

    // ---------------------------------------------------------------------------------------------
    // the permissions boundary of every role the app creates, and the CloudFormation execution policy
    // ---------------------------------------------------------------------------------------------
    const boundaryName = WORKLOAD_BOUNDARY_NAME(qualifier);
    this.workloadBoundary = new iam.ManagedPolicy(this, 'WorkloadBoundary', {
      managedPolicyName: boundaryName,
      description: 'Permissions boundary of every role the CDK app creates: no IAM, no role assumption',
      statements: [
        new iam.PolicyStatement({
          sid: 'AllowAllButIdentityAndAccountManagement',
          // A boundary only caps: each role still needs its own policy. The cap leaves out every way to change
          // identities or to become another principal (the bootstrap roles trust the whole account).
          notActions: [
            'iam:*',
            'organizations:*',
            'account:*',
            'sts:AssumeRole',
            'sts:AssumeRoleWithSAML',
            'sts:AssumeRoleWithWebIdentity',
            'sts:SetSourceIdentity',
            'sts:TagSession',
          ],
          resources: ['*'],
        }),
      ],
    });

    const policyNames = (n: number) => Array.from({ length: n }, (_, i) => EXECUTION_POLICY_NAME(qualifier, i + 1));
    const documentsFor = (names: string[]) =>
      executionPolicyDocuments({
        resourceTypes: props.resourceTypes,
        partition,
        account: this.account,
        region,
        qualifier,
        boundaryName,
        executionPolicyNames: names,
        stackNamePrefixes,
        protectedStackNames: ['CDKToolkit', this.stackName],
        protectedRolePatterns: [`cdk-${qualifier}-*`, `${GITHUB_ROLE_PREFIX}*`],
        sarRoleNamePattern: props.sarRoleNamePattern ?? 'items-database-*',
      });
    // the deny statement names every execution policy: size the set first, then build it with its own names
    let documents = documentsFor(policyNames(1));
    documents = documentsFor(policyNames(documents.length + 1));
    documents = documentsFor(policyNames(documents.length));
    this.executionPolicies = documents.map(
      (doc, i) =>
        new iam.ManagedPolicy(this, `ExecutionPolicy${i + 1}`, {
          managedPolicyName: EXECUTION_POLICY_NAME(qualifier, i + 1),
          description: `CloudFormation execution policy ${i + 1}/${documents.length} of the CDK bootstrap (${qualifier})`,
          document: iam.PolicyDocument.fromJson(doc),
        }),
    );

    const trust = (subject: string) =>
      new iam.WebIdentityPrincipal(this.provider.oidcProviderArn, {
        StringEquals: {
          [`${GITHUB_OIDC_HOST}:aud`]: GITHUB_OIDC_AUDIENCE,
          [`${GITHUB_OIDC_HOST}:sub`]: subject,
        },
      });
    const bootstrapRole = (kind: string) =>
      `arn:${partition}:iam::${this.account}:role/cdk-${qualifier}-${kind}-role-${this.account}-${region}`;
    // no lookup role: the example synthesizes without lookups (its context is committed)
    const deployRoles = ['deploy', 'file-publishing', 'image-publishing'].map(bootstrapRole);

    if (isProduction) {
      this.deployRole = new iam.Role(this, 'DeployRole', {
        roleName: `${GITHUB_ROLE_PREFIX}deploy`,
        description: `GitHub Actions deploy role for ${githubRepo} (environment ${productionEnvironment})`,
        assumedBy: trust(`repo:${githubRepo}:environment:${productionEnvironment}`),
        maxSessionDuration: Duration.hours(1),
      });
      this.deployRole.addToPolicy(
        new iam.PolicyStatement({
          sid: 'AssumeCdkBootstrapRoles',
          // sts:TagSession lets the CDK CLI pass session tags if a synthesizer is configured to do so.
          actions: ['sts:AssumeRole', 'sts:TagSession'],
          resources: deployRoles,
        }),
      );
      this.deployRole.addToPolicy(
        new iam.PolicyStatement({
          sid: 'WaitForItemsServices',
          actions: ['ecs:DescribeServices'],
          resources: [`arn:${partition}:ecs:${region}:${this.account}:service/${clusterPrefix}*`],
        }),
      );
      this.deployRole.addToPolicy(
        new iam.PolicyStatement({
          sid: 'SignSmokeTestWrites',
          actions: ['execute-api:Invoke'],
          // <api-id>/<stage>/<METHOD>/<path>: only the two write calls the smoke test makes, on any stage of
          // any REST API of this account/region (the API ids are not known before the example is deployed).
          resources: [
            `arn:${partition}:execute-api:${region}:${this.account}:*/*/POST/items`,
            `arn:${partition}:execute-api:${region}:${this.account}:*/*/DELETE/items/*`,
          ],
        }),
      );
      new CfnOutput(this, 'DeployRoleArn', {
        value: this.deployRole.roleArn,
        description: 'Secret AWS_DEPLOY_ROLE_ARN of the production environment',
      });
    } else {
      this.integRole = new iam.Role(this, 'IntegRole', {
        roleName: `${GITHUB_ROLE_PREFIX}integ`,
        description: `GitHub Actions live integ-runner role for ${githubRepo} (environment ${integEnvironment})`,
        assumedBy: trust(`repo:${githubRepo}:environment:${integEnvironment}`),
        maxSessionDuration: Duration.hours(1),
      });
      this.integRole.addToPolicy(
        new iam.PolicyStatement({
          sid: 'AssumeCdkBootstrapRoles',
          actions: ['sts:AssumeRole', 'sts:TagSession'],
          resources: deployRoles,
        }),
      );
      new CfnOutput(this, 'IntegRoleArn', {
        value: this.integRole.roleArn,
        description: 'Secret AWS_INTEG_ROLE_ARN of the integ environment',
      });
    }

    new CfnOutput(this, 'OidcProviderArn', { value: this.provider.oidcProviderArn });
    const policyArns = this.executionPolicies.map(
      (_, i) => `arn:${partition}:iam::${this.account}:policy/${EXECUTION_POLICY_NAME(qualifier, i + 1)}`,
    );
    new CfnOutput(this, 'CloudFormationExecutionPolicies', {
      value: policyArns.join(','),
      description: 'cdk bootstrap --cloudformation-execution-policies',
    });
    new CfnOutput(this, 'BootstrapCommand', {
      value: `npx cdk bootstrap aws://${this.account}/${region} --cloudformation-execution-policies '${policyArns.join(',')}'${
        qualifier === DEFAULT_BOOTSTRAP_QUALIFIER ? '' : ` --qualifier ${qualifier}`
      }`,
      description: 'Run with administrator credentials of this account, after this stack is deployed',
    });
  }
}
