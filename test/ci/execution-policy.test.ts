import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import {
  EXAMPLE_STACK_NAME_PREFIXES,
  exampleTemplates,
  INTEG_STACK_NAME_PREFIXES,
  integTemplates,
  StackTemplate,
  withWorkloadBoundary,
} from '../../example/ci/app-templates';
import {
  executionPolicyViolations,
  MANAGED_POLICY_MAX_CHARS,
  PolicyDocumentJson,
  PolicyStatementJson,
  RESOURCE_TYPE_ACTIONS,
  resourceTypesOf,
  SERVICES_WITHOUT_RESOURCE_LEVEL_PERMISSIONS,
  unmappedTypes,
} from '../../example/ci/execution-policy';
import { GithubOidcStack } from '../../example/ci/github-oidc-stack';

const PROD = '111111111111';
const INTEG = '222222222222';
const BOUNDARY = (account: string) => `arn:aws:iam::${account}:policy/cdk-hnb659fds-workload-boundary`;

// GIVEN the example synthesized in-process (context of example/cdk.json) and the committed integ snapshots
const example: StackTemplate[] = exampleTemplates();
const integ: StackTemplate[] = integTemplates();

function trustStack(account: string): Template {
  const isProd = account === PROD;
  const stack = new GithubOidcStack(new App(), isProd ? 'github-oidc' : 'github-oidc-integ', {
    githubRepo: 'gtuc/cdk-privatelink-ecs',
    productionAccountId: PROD,
    integAccountId: INTEG,
    env: { account, region: 'us-east-2' },
    resourceTypes: resourceTypesOf((isProd ? example : [...example, ...integ]).map((s) => s.template)),
    stackNamePrefixes: isProd ? EXAMPLE_STACK_NAME_PREFIXES : INTEG_STACK_NAME_PREFIXES,
  });
  return Template.fromStack(stack);
}

function executionDocuments(template: Template): PolicyDocumentJson[] {
  // the rendered template writes a single action or resource as a string: normalize actions to lists
  return Object.values(template.findResources('AWS::IAM::ManagedPolicy'))
    .filter((p) => /cfn-exec-policy/.test(p.Properties.ManagedPolicyName))
    .map((p) => ({
      Version: p.Properties.PolicyDocument.Version,
      Statement: p.Properties.PolicyDocument.Statement.map((st: any) => ({ ...st, Action: [].concat(st.Action) })),
    }));
}
const statements = (docs: PolicyDocumentJson[]): PolicyStatementJson[] => docs.flatMap((d) => d.Statement);
const asList = (v: string | string[]) => ([] as string[]).concat(v);

describe('execution policy derivation', () => {
  test('the templates are the example and the integ snapshots', () => {
    expect(example.map((s) => s.stackName)).toEqual(
      expect.arrayContaining(['items-network', 'items-database', 'items-service-awsvpc', 'items-service-bridge']),
    );
    expect(integ.length).toBeGreaterThan(0);
  });

  test('every resource type of the synthesized templates has an entry in RESOURCE_TYPE_ACTIONS', () => {
    const types = resourceTypesOf([...example, ...integ].map((s) => s.template));
    expect(types.length).toBeGreaterThan(40);
    expect(unmappedTypes(types)).toEqual([]);
  });

  test('the check of missing entries reports the unknown types', () => {
    expect(unmappedTypes(['AWS::EC2::VPC', 'AWS::Foo::Bar', 'Custom::Anything', 'AWS::Foo::Bar'])).toEqual([
      'AWS::Foo::Bar',
    ]);
    expect(resourceTypesOf([{ Resources: { A: { Type: 'AWS::Serverless::Application' } } }])).toEqual([
      'AWS::IAM::Role',
      'AWS::Lambda::Function',
      'AWS::Lambda::Permission',
      'AWS::Serverless::Application',
    ]);
  });

  test('every stack of the templates is under a managed stack name prefix', () => {
    for (const s of example) {
      expect([s.stackName, EXAMPLE_STACK_NAME_PREFIXES.some((p) => s.stackName.startsWith(p))]).toEqual([
        s.stackName,
        true,
      ]);
    }
    for (const s of integ) {
      expect([s.stackName, INTEG_STACK_NAME_PREFIXES.some((p) => s.stackName.startsWith(p))]).toEqual([
        s.stackName,
        true,
      ]);
    }
  });

  test('names the app gives functions and secrets (rotation function included) fall under the scoped patterns', () => {
    const named: string[] = [];
    for (const s of example) {
      for (const r of Object.values(s.template.Resources ?? {})) {
        if (r.Type === 'AWS::Serverless::Application') named.push(r.Properties.Parameters.functionName);
        if (r.Type === 'AWS::Lambda::Function' && r.Properties?.FunctionName) named.push(r.Properties.FunctionName);
        if (r.Type === 'AWS::SecretsManager::Secret' && r.Properties?.Name) named.push(r.Properties.Name);
      }
    }
    expect(named.length).toBeGreaterThan(1);
    for (const name of named) {
      expect(name).toMatch(/^items/);
    }
  });

  test('every role of the example carries the workload boundary (example/cdk.json applies it)', () => {
    let roles = 0;
    for (const s of example) {
      for (const [id, r] of Object.entries(s.template.Resources ?? {})) {
        if (r.Type !== 'AWS::IAM::Role') continue;
        roles++;
        expect([s.stackName, id, r.Properties.PermissionsBoundary]).toEqual([
          s.stackName,
          id,
          {
            'Fn::Join': [
              '',
              [
                'arn:',
                { Ref: 'AWS::Partition' },
                ':iam::',
                { Ref: 'AWS::AccountId' },
                ':policy/cdk-hnb659fds-workload-boundary',
              ],
            ],
          },
        ]);
        // CloudFormation names roles after their stack; a role named by the app must keep the stack prefix
        expect(r.Properties.RoleName ?? s.stackName).toMatch(/^items-/);
      }
    }
    expect(roles).toBeGreaterThan(5);
  });

  test('the live integ runs get the same boundary through the context (example/ci/integ-boundary.ts)', () => {
    const boundary = { name: 'cdk-${Qualifier}-workload-boundary' };
    expect(JSON.parse(withWorkloadBoundary(undefined))).toEqual({ '@aws-cdk/core:permissionsBoundary': boundary });
    expect(JSON.parse(withWorkloadBoundary('{"a":1}'))).toEqual({
      a: 1,
      '@aws-cdk/core:permissionsBoundary': boundary,
    });
  });

  test('every mapped action is service:Action, wildcards only as a suffix of an action name', () => {
    for (const [type, actions] of Object.entries(RESOURCE_TYPE_ACTIONS)) {
      for (const action of actions) {
        expect([type, action]).toEqual([
          type,
          expect.stringMatching(/^[a-z0-9-]+:[A-Za-z0-9]+\*?$|^[a-z0-9-]+:(GET|POST|PUT|PATCH|DELETE)$/),
        ]);
      }
    }
  });

  test('services allowed service:* are listed with a reason (none is needed today)', () => {
    for (const reason of Object.values(SERVICES_WITHOUT_RESOURCE_LEVEL_PERMISSIONS)) {
      expect(reason.length).toBeGreaterThan(20);
    }
    expect(SERVICES_WITHOUT_RESOURCE_LEVEL_PERMISSIONS).toEqual({});
  });
});

describe.each([
  ['production', PROD],
  ['integ', INTEG],
])('execution policy of the %s account', (_name, account) => {
  const docs = executionDocuments(trustStack(account));
  const all = statements(docs);
  const allows = all.filter((s) => s.Effect === 'Allow');
  const iam = (resource: string) => `arn:aws:iam::${account}:${resource}`;

  test('fits in managed policies of at most 6,144 characters, few enough for one role', () => {
    expect(docs.length).toBeGreaterThan(0);
    expect(docs.length).toBeLessThanOrEqual(9); // 10 managed policies per role by default
    for (const doc of docs) {
      expect(JSON.stringify(doc).length).toBeLessThanOrEqual(MANAGED_POLICY_MAX_CHARS);
    }
  });

  test('has no "*" action, no iam:*, no service:* and no role management without the boundary', () => {
    expect(executionPolicyViolations(docs, BOUNDARY(account))).toEqual([]);
    for (const s of allows) {
      for (const action of s.Action) {
        expect(action).not.toBe('*');
        expect(action).not.toMatch(/^[a-z0-9-]+:\*$/);
      }
    }
  });

  test('creates, edits and attaches policies to roles only when they carry the workload boundary', () => {
    const roleWrites = [
      'iam:CreateRole',
      'iam:PutRolePolicy',
      'iam:AttachRolePolicy',
      'iam:DetachRolePolicy',
      'iam:DeleteRolePolicy',
    ];
    const granting = allows.filter((s) => s.Action.some((a) => roleWrites.includes(a)));
    expect(granting.map((s) => s.Sid).sort()).toEqual([
      'ManageRolesWithTheWorkloadBoundary',
      'ManageSarRotationRolesWithoutBoundary',
    ]);
    const bounded = granting.find((s) => s.Sid === 'ManageRolesWithTheWorkloadBoundary')!;
    expect(bounded.Condition).toEqual({ StringEquals: { 'iam:PermissionsBoundary': BOUNDARY(account) } });
    const prefixes = account === PROD ? EXAMPLE_STACK_NAME_PREFIXES : INTEG_STACK_NAME_PREFIXES;
    expect(asList(bounded.Resource)).toEqual(prefixes.map((p) => iam(`role/${p}*`)));
    // the one exception: the nested stack of the Serverless Application Repository rotation application
    const sar = granting.find((s) => s.Sid === 'ManageSarRotationRolesWithoutBoundary')!;
    expect(sar.Resource).toBe(iam('role/items-database-*'));
    expect(sar.Action).not.toContain('iam:PutRolePermissionsBoundary');
  });

  test('passes roles only of the app, only to the services of the app', () => {
    const pass = allows.filter((s) => s.Action.includes('iam:PassRole'));
    expect(pass).toHaveLength(1);
    expect(pass[0].Condition?.StringEqualsIfExists?.['iam:PassedToService']).toEqual(
      expect.arrayContaining(['ecs-tasks.amazonaws.com', 'lambda.amazonaws.com', 'vpc-flow-logs.amazonaws.com']),
    );
    for (const r of asList(pass[0].Resource)) {
      expect(r).toMatch(new RegExp(`^arn:aws:iam::${account}:role/[A-Za-z][A-Za-z-]+\\*$`));
    }
  });

  test('cannot edit its own policies or the boundary, nor remove a boundary', () => {
    const names = docs.map((_, i) => iam(`policy/cdk-hnb659fds-cfn-exec-policy-${i + 1}`));
    const deny = all.find((s) => s.Sid === 'DenyEditingTheExecutionPolicyAndBoundary')!;
    expect(deny.Effect).toBe('Deny');
    expect(deny.Action).toEqual(
      expect.arrayContaining([
        'iam:CreatePolicyVersion',
        'iam:SetDefaultPolicyVersion',
        'iam:DeletePolicy',
        'iam:DeletePolicyVersion',
      ]),
    );
    expect(deny.Resource).toEqual([BOUNDARY(account), ...names]);
    const removal = all.find((s) => s.Sid === 'DenyRemovingTheBoundary')!;
    expect(removal).toEqual({
      Sid: 'DenyRemovingTheBoundary',
      Effect: 'Deny',
      Action: ['iam:DeleteRolePermissionsBoundary', 'iam:DeleteUserPermissionsBoundary'],
      Resource: '*',
    });
  });

  test('cannot attach policies to, edit or pass the execution role itself, the bootstrap roles or the GitHub roles', () => {
    const deny = all.find((s) => s.Sid === 'DenyTouchingTheExecutionBootstrapAndTrustRoles')!;
    expect(deny.Effect).toBe('Deny');
    expect(deny.Resource).toEqual([iam('role/cdk-hnb659fds-*'), iam('role/github-actions-*')]);
    expect(deny.Action).toEqual(
      expect.arrayContaining([
        'iam:AttachRolePolicy',
        'iam:PutRolePolicy',
        'iam:UpdateAssumeRolePolicy',
        'iam:PassRole',
      ]),
    );
  });

  test('cannot touch the bootstrap and trust stacks', () => {
    const deny = all.find((s) => s.Sid === 'DenyTouchingTheBootstrapAndTrustStacks')!;
    expect(deny.Effect).toBe('Deny');
    expect(deny.Resource).toEqual([
      `arn:aws:cloudformation:us-east-2:${account}:stack/CDKToolkit/*`,
      `arn:aws:cloudformation:us-east-2:${account}:stack/${account === PROD ? 'github-oidc' : 'github-oidc-integ'}/*`,
    ]);
  });

  test('invokes only functions of the app (custom resources), reads only its secrets and the CDK asset bucket', () => {
    const lambda = allows.find((s) => s.Sid === 'LambdaForTemplateResources')!;
    expect(lambda.Action).toContain('lambda:InvokeFunction');
    for (const r of asList(lambda.Resource)) {
      expect(r).toMatch(new RegExp(`^arn:aws:lambda:us-east-2:${account}:function:[A-Za-z]+\\*$`));
    }
    const secrets = allows.find((s) => s.Sid === 'SecretsmanagerForTemplateResources')!;
    for (const r of asList(secrets.Resource)) {
      expect(r).toMatch(new RegExp(`^arn:aws:secretsmanager:us-east-2:${account}:secret:[A-Za-z]+\\*$`));
    }
    expect(all.find((s) => s.Sid === 'ReadCdkAssets')?.Resource).toBe(
      `arn:aws:s3:::cdk-hnb659fds-assets-${account}-us-east-2/*`,
    );
  });

  test('covers the actions of every resource type of its templates', () => {
    const granted = new Set(allows.flatMap((s) => s.Action));
    const types = resourceTypesOf((account === PROD ? example : [...example, ...integ]).map((s) => s.template));
    for (const type of types) {
      const entry = RESOURCE_TYPE_ACTIONS[type.startsWith('Custom::') ? 'Custom::*' : type];
      for (const action of entry) {
        expect([type, action, granted.has(action)]).toEqual([type, action, true]);
      }
    }
  });
});

describe('executionPolicyViolations', () => {
  const boundary = BOUNDARY(PROD);
  const doc = (...s: PolicyStatementJson[]): PolicyDocumentJson[] => [{ Version: '2012-10-17', Statement: s }];
  const allow = (Sid: string, Action: string[], Condition?: PolicyStatementJson['Condition']): PolicyStatementJson => ({
    Sid,
    Effect: 'Allow',
    Action,
    Resource: '*',
    ...(Condition ? { Condition } : {}),
  });

  test('rejects "*", iam:*, an unlisted service:* and role management without the boundary', () => {
    expect(executionPolicyViolations(doc(allow('All', ['*'])), boundary)).toEqual(['All: action "*"']);
    expect(executionPolicyViolations(doc(allow('Iam', ['iam:*'])), boundary)).toEqual(['Iam: action "iam:*"']);
    expect(executionPolicyViolations(doc(allow('Ec2', ['ec2:*'])), boundary)).toEqual([
      'Ec2: action "ec2:*" (service not listed without resource-level permissions)',
    ]);
    expect(executionPolicyViolations(doc(allow('Roles', ['iam:CreateRole'])), boundary)).toEqual([
      'Roles: iam:CreateRole without the iam:PermissionsBoundary condition',
    ]);
    expect(
      executionPolicyViolations(
        doc(allow('Roles', ['iam:AttachRolePolicy'], { StringEquals: { 'iam:PermissionsBoundary': 'arn:other' } })),
        boundary,
      ),
    ).toEqual(['Roles: iam:AttachRolePolicy without the iam:PermissionsBoundary condition']);
  });

  test('accepts scoped actions, suffix wildcards, denies and role management with the boundary', () => {
    expect(
      executionPolicyViolations(
        doc(
          allow('Ec2', ['ec2:CreateVpc', 'ec2:Describe*']),
          allow('Roles', ['iam:CreateRole', 'iam:PutRolePolicy'], {
            StringEquals: { 'iam:PermissionsBoundary': boundary },
          }),
          { Sid: 'Deny', Effect: 'Deny', Action: ['*'], Resource: 'arn:aws:s3:::x' },
        ),
        boundary,
      ),
    ).toEqual([]);
  });
});
