import { App, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { AwsSolutionsChecks } from 'cdk-nag';
import { Findings } from '../../src';

function roleWithManagedPolicy() {
  const app = new App();
  const stack = new Stack(app, 'Stack');
  const role = new iam.Role(stack, 'Role', {
    assumedBy: new iam.ServicePrincipal('apigateway.amazonaws.com'),
    managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AmazonAPIGatewayPushToCloudWatchLogs')],
  });
  return { app, role };
}

const IAM4 =
  'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]';

describe('Findings', () => {
  test('GIVEN no acknowledgement THEN cdk-nag reports the managed policy', () => {
    const { app } = roleWithManagedPolicy();
    expect(new AwsSolutionsChecks(app).validateScope(app).violations.map((v) => v.ruleName)).toEqual([IAM4]);
  });

  test('GIVEN a finding id with :: inside its brackets WHEN acknowledged THEN cdk-nag honours it with the reason', () => {
    const { app, role } = roleWithManagedPolicy();
    Findings.acknowledge(role, 'The AWS-maintained policy API Gateway documents for logging.', IAM4);
    expect(new AwsSolutionsChecks(app).validateScope(app).violations).toEqual([]);
    expect(role.node.metadata).toEqual([
      expect.objectContaining({
        type: Validations.ACKNOWLEDGED_RULES_METADATA_KEY,
        data: { [IAM4]: 'The AWS-maintained policy API Gateway documents for logging.' },
      }),
    ]);
  });

  test('GIVEN a plain rule id THEN it goes through Validations.acknowledge', () => {
    const { app, role } = roleWithManagedPolicy();
    Findings.acknowledge(role, 'Covered elsewhere.', 'AwsSolutions-IAM4');
    const data = role.node.metadata.find((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)?.data;
    expect(Object.keys(data).map((k) => k.replace(/^annotation::/i, ''))).toEqual(['AwsSolutions-IAM4']);
    // The rule without a finding suffix doesn't silence the finding-level id.
    expect(new AwsSolutionsChecks(app).validateScope(app).violations.map((v) => v.ruleName)).toEqual([IAM4]);
  });

  test('GIVEN an empty reason THEN it is refused', () => {
    const { role } = roleWithManagedPolicy();
    expect(() => Findings.acknowledge(role, '  ', 'AwsSolutions-IAM4')).toThrow(
      "`reason` must explain why the finding is acceptable, got: '  '.",
    );
  });
});
