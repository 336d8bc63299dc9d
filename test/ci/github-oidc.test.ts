import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { GithubOidcStack, GithubOidcStackProps } from '../../example/ci/github-oidc-stack';

const ACCOUNT = '123456789012';
const REPO = 'gtuc/cdk-privatelink-ecs';
const BOOTSTRAP = (kind: string, qualifier = 'hnb659fds') =>
  `arn:aws:iam::${ACCOUNT}:role/cdk-${qualifier}-${kind}-role-${ACCOUNT}-us-east-2`;

function synth(props: Partial<GithubOidcStackProps> = {}): { stack: GithubOidcStack; template: Template } {
  const app = new App();
  const stack = new GithubOidcStack(app, 'github-oidc', {
    githubRepo: REPO,
    env: { account: ACCOUNT, region: 'us-east-2' },
    ...props,
  });
  return { stack, template: Template.fromStack(stack) };
}

type Statement = { Effect: string; Action: string | string[]; Resource: unknown; Sid?: string };

/** Replaces the AWS::Partition pseudo parameter by `aws` in Fn::Join ARNs so they compare as strings. */
function flatten(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(flatten);
  if (value && typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    if (Array.isArray(obj['Fn::Join'])) {
      const [sep, parts] = obj['Fn::Join'] as [string, unknown[]];
      return parts.map((p) => (typeof p === 'string' ? p : (p as any).Ref === 'AWS::Partition' ? 'aws' : p)).join(sep);
    }
  }
  return value;
}

function policyStatements(template: Template, roleLogicalIdPrefix: string): Statement[] {
  const policies = template.findResources('AWS::IAM::Policy');
  const statements: Statement[] = [];
  for (const policy of Object.values(policies)) {
    const roles: Array<{ Ref: string }> = policy.Properties.Roles;
    if (roles.some((r) => r.Ref.startsWith(roleLogicalIdPrefix))) {
      for (const s of policy.Properties.PolicyDocument.Statement as Statement[]) {
        statements.push({ ...s, Resource: flatten(s.Resource) });
      }
    }
  }
  return statements;
}

function trust(template: Template, roleLogicalIdPrefix: string): unknown {
  const roles = template.findResources('AWS::IAM::Role');
  const id = Object.keys(roles).find((k) => k.startsWith(roleLogicalIdPrefix));
  if (!id) throw new Error(`no role ${roleLogicalIdPrefix}`);
  return roles[id].Properties.AssumeRolePolicyDocument;
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

describe('GithubOidcStack', () => {
  const { template } = synth();

  test('creates the GitHub OIDC provider for the STS audience', () => {
    template.resourceCountIs('AWS::IAM::OIDCProvider', 1);
    template.hasResourceProperties('AWS::IAM::OIDCProvider', {
      Url: 'https://token.actions.githubusercontent.com',
      ClientIdList: ['sts.amazonaws.com'],
    });
  });

  test('creates exactly three roles, each limited to one-hour sessions', () => {
    const roles = template.findResources('AWS::IAM::Role');
    expect(Object.keys(roles)).toHaveLength(3);
    for (const role of Object.values(roles)) {
      expect(role.Properties.MaxSessionDuration).toBe(3600);
      expect(role.Properties.ManagedPolicyArns).toBeUndefined();
      expect(role.Properties.Policies).toBeUndefined();
    }
  });

  test('deploy role trusts only the production environment of the repository', () => {
    expect(trust(template, 'DeployRole')).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: 'sts:AssumeRoleWithWebIdentity',
          Principal: { Federated: { Ref: expect.stringMatching(/^GithubProvider/) } },
          Condition: {
            StringEquals: {
              'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com',
              'token.actions.githubusercontent.com:sub': 'repo:gtuc/cdk-privatelink-ecs:environment:production',
            },
          },
        },
      ],
    });
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: Match.objectEquals(
        webIdentityTrust('repo:gtuc/cdk-privatelink-ecs:environment:production'),
      ),
      Description: Match.stringLikeRegexp('deploy role'),
    });
  });

  test('deploy role may only assume the bootstrap roles, wait on the items services and sign smoke writes', () => {
    expect(policyStatements(template, 'DeployRole')).toEqual([
      {
        Sid: 'AssumeCdkBootstrapRoles',
        Effect: 'Allow',
        Action: ['sts:AssumeRole', 'sts:TagSession'],
        Resource: [
          BOOTSTRAP('deploy'),
          BOOTSTRAP('file-publishing'),
          BOOTSTRAP('image-publishing'),
          BOOTSTRAP('lookup'),
        ],
      },
      {
        Sid: 'WaitForItemsServices',
        Effect: 'Allow',
        Action: 'ecs:DescribeServices',
        Resource: `arn:aws:ecs:us-east-2:${ACCOUNT}:service/items-*`,
      },
      {
        Sid: 'SignSmokeTestWrites',
        Effect: 'Allow',
        Action: 'execute-api:Invoke',
        Resource: [
          `arn:aws:execute-api:us-east-2:${ACCOUNT}:*/*/POST/items`,
          `arn:aws:execute-api:us-east-2:${ACCOUNT}:*/*/DELETE/items/*`,
        ],
      },
    ]);
  });

  test('diff role trusts only pull requests of the repository and may only assume the lookup role', () => {
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: Match.objectEquals(webIdentityTrust('repo:gtuc/cdk-privatelink-ecs:pull_request')),
    });
    expect(policyStatements(template, 'DiffRole')).toEqual([
      {
        Sid: 'AssumeCdkLookupRole',
        Effect: 'Allow',
        Action: ['sts:AssumeRole', 'sts:TagSession'],
        Resource: BOOTSTRAP('lookup'),
      },
    ]);
  });

  test('integ role trusts only the integ environment and may only assume the bootstrap roles', () => {
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: Match.objectEquals(webIdentityTrust('repo:gtuc/cdk-privatelink-ecs:environment:integ')),
    });
    const statements = policyStatements(template, 'IntegRole');
    expect(statements).toHaveLength(1);
    expect(statements[0].Action).toEqual(['sts:AssumeRole', 'sts:TagSession']);
    expect(statements[0].Resource).toEqual(
      ['deploy', 'file-publishing', 'image-publishing', 'lookup'].map((k) => BOOTSTRAP(k)),
    );
  });

  test('no statement allows a wildcard action, Deny-free, and no AdministratorAccess anywhere', () => {
    const policies = template.findResources('AWS::IAM::Policy');
    for (const policy of Object.values(policies)) {
      for (const s of policy.Properties.PolicyDocument.Statement as Statement[]) {
        expect(s.Effect).toBe('Allow');
        for (const action of ([] as string[]).concat(s.Action)) {
          expect(action).not.toContain('*');
        }
        expect(JSON.stringify(s.Resource)).not.toMatch(/"\*"/);
      }
    }
    expect(JSON.stringify(template.toJSON())).not.toMatch(/AdministratorAccess|PowerUserAccess|iam:PassRole/);
  });

  test('every trust policy pins both aud and sub with StringEquals (no StringLike wildcards)', () => {
    const roles = template.findResources('AWS::IAM::Role');
    for (const role of Object.values(roles)) {
      const statements = role.Properties.AssumeRolePolicyDocument.Statement;
      expect(statements).toHaveLength(1);
      expect(Object.keys(statements[0].Condition)).toEqual(['StringEquals']);
      expect(statements[0].Condition.StringEquals['token.actions.githubusercontent.com:sub']).not.toContain('*');
    }
  });

  test('outputs the provider and role ARNs', () => {
    for (const name of ['OidcProviderArn', 'DeployRoleArn', 'DiffRoleArn', 'IntegRoleArn']) {
      template.hasOutput(name, { Value: Match.anyValue() });
    }
    template.hasOutput('DeployRoleArn', { Value: { 'Fn::GetAtt': [Match.stringLikeRegexp('^DeployRole'), 'Arn'] } });
  });
});

describe('GithubOidcStack options', () => {
  test('imports an existing provider instead of creating one', () => {
    const arn = `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com`;
    const { template } = synth({ existingProviderArn: arn });
    template.resourceCountIs('AWS::IAM::OIDCProvider', 0);
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { Federated: arn } })] },
    });
    template.hasOutput('OidcProviderArn', { Value: arn });
  });

  test('honours another repository, bootstrap qualifier and environment names', () => {
    const { template } = synth({
      githubRepo: 'acme/items',
      bootstrapQualifier: 'acme1',
      productionEnvironment: 'prod',
      integEnvironment: 'staging',
    });
    for (const sub of [
      'repo:acme/items:environment:prod',
      'repo:acme/items:environment:staging',
      'repo:acme/items:pull_request',
    ]) {
      template.hasResourceProperties('AWS::IAM::Role', {
        AssumeRolePolicyDocument: Match.objectEquals(webIdentityTrust(sub)),
      });
    }
    expect(policyStatements(template, 'DiffRole')[0].Resource).toBe(BOOTSTRAP('lookup', 'acme1'));
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
    try {
      synth({ githubRepo });
    } catch (e) {
      expect((e as Error).message).toBe(message);
    }
  });

  test('rejects a bad bootstrap qualifier', () => {
    expect(() => synth({ bootstrapQualifier: 'way-too-long-qualifier' })).toThrow(
      'bootstrapQualifier must be 1-10 alphanumeric characters, got "way-too-long-qualifier"',
    );
  });
});
