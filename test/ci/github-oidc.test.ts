import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { GithubOidcStack, GithubOidcStackProps } from '../../example/ci/github-oidc-stack';

const PROD = '111111111111';
const INTEG = '222222222222';
const REPO = 'gtuc/cdk-privatelink-ecs';
const TYPES = ['AWS::IAM::Role', 'AWS::IAM::Policy', 'AWS::Lambda::Function', 'AWS::EC2::VPC', 'Custom::AWS'];
const BOOTSTRAP = (account: string, kind: string, qualifier = 'hnb659fds') =>
  `arn:aws:iam::${account}:role/cdk-${qualifier}-${kind}-role-${account}-us-east-2`;

function synth(
  props: Partial<GithubOidcStackProps> = {},
  account: string = PROD,
): { stack: GithubOidcStack; template: Template } {
  const app = new App();
  const stack = new GithubOidcStack(app, 'github-oidc', {
    githubRepo: REPO,
    productionAccountId: PROD,
    integAccountId: INTEG,
    resourceTypes: TYPES,
    env: { account, region: 'us-east-2' },
    ...props,
  });
  return { stack, template: Template.fromStack(stack) };
}

type Statement = { Effect: string; Action: string | string[]; Resource: unknown; Sid?: string };

function roleStatements(template: Template, roleLogicalIdPrefix: string): Statement[] {
  const statements: Statement[] = [];
  for (const policy of Object.values(template.findResources('AWS::IAM::Policy'))) {
    const roles: Array<{ Ref: string }> = policy.Properties.Roles;
    if (roles.some((r) => r.Ref.startsWith(roleLogicalIdPrefix))) {
      statements.push(...(policy.Properties.PolicyDocument.Statement as Statement[]));
    }
  }
  return statements;
}

const webIdentityTrust = (sub: string) => ({
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Action: 'sts:AssumeRoleWithWebIdentity',
      Principal: { Federated: { Ref: Match.stringLikeRegexp('^GithubProvider') } },
      Condition: {
        StringEquals: {
          'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com',
          'token.actions.githubusercontent.com:sub': sub,
        },
      },
    },
  ],
});

describe('GithubOidcStack in the production account', () => {
  const { template } = synth();

  test('creates the GitHub OIDC provider for the STS audience', () => {
    template.resourceCountIs('AWS::IAM::OIDCProvider', 1);
    template.hasResourceProperties('AWS::IAM::OIDCProvider', {
      Url: 'https://token.actions.githubusercontent.com',
      ClientIdList: ['sts.amazonaws.com'],
    });
  });

  test('creates only the deploy role (no pull-request role, no integ role), with one-hour sessions', () => {
    const roles = template.findResources('AWS::IAM::Role');
    expect(Object.keys(roles)).toEqual([expect.stringMatching(/^DeployRole/)]);
    const role = Object.values(roles)[0];
    expect(role.Properties.RoleName).toBe('github-actions-deploy');
    expect(role.Properties.MaxSessionDuration).toBe(3600);
    expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    expect(role.Properties.AssumeRolePolicyDocument).toEqual(
      expect.objectContaining({ Statement: [expect.objectContaining({ Action: 'sts:AssumeRoleWithWebIdentity' })] }),
    );
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: Match.objectEquals(webIdentityTrust(`repo:${REPO}:environment:production`)),
    });
    expect(JSON.stringify(template.toJSON())).not.toContain(':pull_request');
  });

  test('deploy role may only assume the deploy and publishing roles, wait on the items services and sign smoke writes', () => {
    expect(roleStatements(template, 'DeployRole')).toEqual([
      {
        Sid: 'AssumeCdkBootstrapRoles',
        Effect: 'Allow',
        Action: ['sts:AssumeRole', 'sts:TagSession'],
        Resource: [BOOTSTRAP(PROD, 'deploy'), BOOTSTRAP(PROD, 'file-publishing'), BOOTSTRAP(PROD, 'image-publishing')],
      },
      {
        Sid: 'WaitForItemsServices',
        Effect: 'Allow',
        Action: 'ecs:DescribeServices',
        Resource: `arn:aws:ecs:us-east-2:${PROD}:service/items-*`,
      },
      {
        Sid: 'SignSmokeTestWrites',
        Effect: 'Allow',
        Action: 'execute-api:Invoke',
        Resource: [
          `arn:aws:execute-api:us-east-2:${PROD}:*/*/POST/items`,
          `arn:aws:execute-api:us-east-2:${PROD}:*/*/DELETE/items/*`,
        ],
      },
    ]);
  });

  test('defines the workload boundary: everything but IAM, Organizations, account and role assumption', () => {
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      ManagedPolicyName: 'cdk-hnb659fds-workload-boundary',
      PolicyDocument: {
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'AllowAllButIdentityAndAccountManagement',
            Effect: 'Allow',
            NotAction: [
              'iam:*',
              'organizations:*',
              'account:*',
              'sts:AssumeRole',
              'sts:AssumeRoleWithSAML',
              'sts:AssumeRoleWithWebIdentity',
              'sts:SetSourceIdentity',
              'sts:TagSession',
            ],
            Resource: '*',
          },
        ],
      },
    });
  });

  test('defines the execution policies and outputs their ARNs and the bootstrap command', () => {
    const policies = template.findResources('AWS::IAM::ManagedPolicy', {
      Properties: { ManagedPolicyName: Match.stringLikeRegexp('^cdk-hnb659fds-cfn-exec-policy-') },
    });
    const names = Object.values(policies).map((p) => p.Properties.ManagedPolicyName);
    expect(names).toEqual(names.map((_, i) => `cdk-hnb659fds-cfn-exec-policy-${i + 1}`));
    const arns = names.map((n) => `arn:aws:iam::${PROD}:policy/${n}`).join(',');
    template.hasOutput('CloudFormationExecutionPolicies', { Value: arns });
    template.hasOutput('BootstrapCommand', {
      Value: `npx cdk bootstrap aws://${PROD}/us-east-2 --cloudformation-execution-policies '${arns}'`,
    });
    template.hasOutput('DeployRoleArn', { Value: { 'Fn::GetAtt': [Match.stringLikeRegexp('^DeployRole'), 'Arn'] } });
    expect(template.findOutputs('IntegRoleArn')).toEqual({});
  });

  test('no role statement allows a wildcard action, and no AdministratorAccess anywhere', () => {
    for (const policy of Object.values(template.findResources('AWS::IAM::Policy'))) {
      for (const s of policy.Properties.PolicyDocument.Statement as Statement[]) {
        expect(s.Effect).toBe('Allow');
        for (const action of ([] as string[]).concat(s.Action)) {
          expect(action).not.toContain('*');
        }
        expect(JSON.stringify(s.Resource)).not.toMatch(/"\*"/);
      }
    }
    expect(JSON.stringify(template.toJSON())).not.toMatch(/AdministratorAccess|PowerUserAccess/);
  });
});

describe('GithubOidcStack in the integ account', () => {
  const { template } = synth({}, INTEG);

  test('creates only the integ role, trusted for the integ environment', () => {
    const roles = template.findResources('AWS::IAM::Role');
    expect(Object.keys(roles)).toEqual([expect.stringMatching(/^IntegRole/)]);
    expect(Object.values(roles)[0].Properties.RoleName).toBe('github-actions-integ');
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: Match.objectEquals(webIdentityTrust(`repo:${REPO}:environment:integ`)),
      MaxSessionDuration: 3600,
    });
    expect(template.findOutputs('DeployRoleArn')).toEqual({});
    template.hasOutput('IntegRoleArn', { Value: { 'Fn::GetAtt': [Match.stringLikeRegexp('^IntegRole'), 'Arn'] } });
  });

  test('the integ role may only assume the deploy and publishing roles of the integ account', () => {
    expect(roleStatements(template, 'IntegRole')).toEqual([
      {
        Sid: 'AssumeCdkBootstrapRoles',
        Effect: 'Allow',
        Action: ['sts:AssumeRole', 'sts:TagSession'],
        Resource: [
          BOOTSTRAP(INTEG, 'deploy'),
          BOOTSTRAP(INTEG, 'file-publishing'),
          BOOTSTRAP(INTEG, 'image-publishing'),
        ],
      },
    ]);
  });

  test('has its own boundary and execution policies', () => {
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', { ManagedPolicyName: 'cdk-hnb659fds-workload-boundary' });
    template.hasOutput('BootstrapCommand', {
      Value: Match.stringLikeRegexp(`^npx cdk bootstrap aws://${INTEG}/us-east-2 --cloudformation-execution-policies`),
    });
  });
});

describe('GithubOidcStack options', () => {
  test('every trust policy pins both aud and sub with StringEquals (no StringLike wildcards)', () => {
    for (const account of [PROD, INTEG]) {
      for (const role of Object.values(synth({}, account).template.findResources('AWS::IAM::Role'))) {
        const statements = role.Properties.AssumeRolePolicyDocument.Statement;
        expect(statements).toHaveLength(1);
        expect(Object.keys(statements[0].Condition)).toEqual(['StringEquals']);
        expect(statements[0].Condition.StringEquals['token.actions.githubusercontent.com:sub']).not.toContain('*');
      }
    }
  });

  test('imports an existing provider instead of creating one', () => {
    const arn = `arn:aws:iam::${PROD}:oidc-provider/token.actions.githubusercontent.com`;
    const { template } = synth({ existingProviderArn: arn });
    template.resourceCountIs('AWS::IAM::OIDCProvider', 0);
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { Federated: arn } })] },
    });
    template.hasOutput('OidcProviderArn', { Value: arn });
  });

  test('honours another repository, bootstrap qualifier and environment names', () => {
    const props = {
      githubRepo: 'acme/items',
      bootstrapQualifier: 'acme1',
      productionEnvironment: 'prod',
      integEnvironment: 'staging',
    };
    const prod = synth(props).template;
    prod.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: Match.objectEquals(webIdentityTrust('repo:acme/items:environment:prod')),
    });
    expect(roleStatements(prod, 'DeployRole')[0].Resource).toContain(BOOTSTRAP(PROD, 'deploy', 'acme1'));
    prod.hasResourceProperties('AWS::IAM::ManagedPolicy', { ManagedPolicyName: 'cdk-acme1-workload-boundary' });
    prod.hasOutput('BootstrapCommand', { Value: Match.stringLikeRegexp(' --qualifier acme1$') });
    synth(props, INTEG).template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: Match.objectEquals(webIdentityTrust('repo:acme/items:environment:staging')),
    });
  });

  test.each([
    ['gtuc', 'githubRepo must be "owner/name" (e.g. gtuc/cdk-privatelink-ecs), got "gtuc"'],
    ['gtuc/*', 'githubRepo must be "owner/name" (e.g. gtuc/cdk-privatelink-ecs), got "gtuc/*"'],
    [
      'https://github.com/gtuc/x',
      'githubRepo must be "owner/name" (e.g. gtuc/cdk-privatelink-ecs), got "https://github.com/gtuc/x"',
    ],
    [
      'gtuc/x:ref:refs/heads/main',
      'githubRepo must be "owner/name" (e.g. gtuc/cdk-privatelink-ecs), got "gtuc/x:ref:refs/heads/main"',
    ],
    ['', 'githubRepo must be "owner/name" (e.g. gtuc/cdk-privatelink-ecs), got ""'],
  ])('rejects githubRepo %j', (githubRepo, message) => {
    expect(() => synth({ githubRepo })).toThrow(message);
  });

  test('rejects a bad bootstrap qualifier', () => {
    expect(() => synth({ bootstrapQualifier: 'way-too-long-qualifier' })).toThrow(
      'bootstrapQualifier must be 1-10 alphanumeric characters, got "way-too-long-qualifier"',
    );
  });

  test('rejects bad account ids, one account for both, and a stack in a third account', () => {
    expect(() => synth({ integAccountId: '2222' })).toThrow(
      "`integAccountId` must be a 12-digit AWS account id, got: '2222'.",
    );
    expect(() => synth({ productionAccountId: 'abc' })).toThrow(
      "`productionAccountId` must be a 12-digit AWS account id, got: 'abc'.",
    );
    expect(() => synth({ integAccountId: PROD })).toThrow(
      `\`integAccountId\` must differ from \`productionAccountId\` (live integ tests get their own account), got: '${PROD}'.`,
    );
    expect(() => synth({}, '333333333333')).toThrow(
      "`env.account` must be `productionAccountId` or `integAccountId`, got: '333333333333'.",
    );
    expect(
      () =>
        new GithubOidcStack(new App(), 'agnostic', {
          githubRepo: REPO,
          productionAccountId: PROD,
          integAccountId: INTEG,
          resourceTypes: TYPES,
        }),
    ).toThrow('`env` must name the account and region the stack is deployed to, got an environment-agnostic stack.');
  });

  test('rejects stack name prefixes that would cover the bootstrap or trust resources', () => {
    expect(() => synth({ stackNamePrefixes: ['cdk'] })).toThrow(
      "`stackNamePrefixes` must not cover the bootstrap or trust resources (cdk-hnb659fds-), got: 'cdk'.",
    );
    expect(() => synth({ stackNamePrefixes: ['items-', 'github'] })).toThrow(
      "`stackNamePrefixes` must not cover the bootstrap or trust resources (github-actions-), got: 'github'.",
    );
  });

  test('rejects a resource type without an entry in the mapping', () => {
    expect(() => synth({ resourceTypes: [...TYPES, 'AWS::Foo::Bar'] })).toThrow(
      '`resourceTypes` has no entry in RESOURCE_TYPE_ACTIONS (example/ci/execution-policy.ts), got: AWS::Foo::Bar.',
    );
  });
});
