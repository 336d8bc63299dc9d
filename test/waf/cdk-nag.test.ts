import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks, NagPack, NIST80053R5Checks } from 'cdk-nag';
import { GeoWebAcl } from '../../src/waf';

/**
 * Unacknowledged cdk-nag 3 findings for `app`, as `RuleId @ construct path`.
 *
 * cdk-nag 3 is a CDK policy-validation plugin (`Validations.of(app).addPlugins(pack)`), but its `validate()` needs
 * `appConstruct` on the validation context, which older aws-cdk-lib releases (e.g. 2.257) do not provide: there the
 * plugin reports an error instead of findings and `app.synth()` does not throw. `validateScope()` is cdk-nag's
 * documented entry point for tests; it walks the same construct tree and honours `Validations.of(x).acknowledge()`.
 */
function nagFindings(app: App, pack: NagPack): string[] {
  app.synth(); // applies aspects first, as a real synth would
  const report = pack.validateScope(app);
  return report.violations.flatMap((v) => v.violatingResources.map((r) => `${v.ruleName} @ ${r.constructPath}`));
}

function newStack(app: App): Stack {
  return new Stack(app, 'NagStack', { env: { account: '111111111111', region: 'us-east-2' } });
}

describe('GeoWebAcl and cdk-nag 3', () => {
  test('GIVEN only a GeoWebAcl WHEN AwsSolutionsChecks runs THEN there are no findings', () => {
    // GIVEN
    const app = new App();
    new GeoWebAcl(newStack(app), 'WebAcl');
    // WHEN
    const findings = nagFindings(app, new AwsSolutionsChecks(app));
    // THEN
    expect(findings).toEqual([]);
  });

  test('GIVEN a GeoWebAcl with a KMS-encrypted log group WHEN NIST 800-53 R5 checks run THEN there are no findings', () => {
    // GIVEN
    const app = new App();
    const stack = newStack(app);
    const key = new kms.Key(stack, 'LogKey', { enableKeyRotation: true });
    new GeoWebAcl(stack, 'WebAcl', { logEncryptionKey: key });
    // WHEN
    const findings = nagFindings(app, new NIST80053R5Checks(app));
    // THEN: WAFv2LoggingEnabled, CloudWatchLogGroupEncrypted and CloudWatchLogGroupRetentionPeriod are satisfied.
    expect(findings).toEqual([]);
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Logs::LogGroup', {
      KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^LogKey'), 'Arn'] },
    });
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Allow',
            Principal: { Service: 'logs.us-east-2.amazonaws.com' },
            Action: ['kms:Decrypt', 'kms:Encrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*'],
          }),
        ]),
      },
    });
  });

  test('GIVEN the default GeoWebAcl WHEN NIST 800-53 R5 checks run THEN only the log group encryption is reported', () => {
    // GIVEN
    const app = new App();
    new GeoWebAcl(newStack(app), 'WebAcl');
    // WHEN
    const findings = nagFindings(app, new NIST80053R5Checks(app));
    // THEN: logging itself (NIST.800.53.R5-WAFv2LoggingEnabled) is recognised.
    expect(findings).toEqual(['NIST.800.53.R5-CloudWatchLogGroupEncrypted @ NagStack/WebAcl/LogGroup/Resource']);
  });

  test('GIVEN logging disabled WHEN NIST 800-53 R5 checks run THEN WAFv2LoggingEnabled is reported (the check is live)', () => {
    // GIVEN
    const app = new App();
    new GeoWebAcl(newStack(app), 'WebAcl', { enableLogging: false });
    // WHEN
    const findings = nagFindings(app, new NIST80053R5Checks(app));
    // THEN
    expect(findings).toEqual(['NIST.800.53.R5-WAFv2LoggingEnabled @ NagStack/WebAcl/Resource']);
  });

  test('GIVEN a resource with findings WHEN AwsSolutionsChecks runs THEN they are reported (the check is live)', () => {
    // GIVEN
    const app = new App();
    new s3.Bucket(newStack(app), 'Bucket');
    // WHEN
    const findings = nagFindings(app, new AwsSolutionsChecks(app));
    // THEN
    expect(findings).toContain('AwsSolutions-S1 @ NagStack/Bucket/Resource');
  });
});

describe('GeoWebAcl with the CAPTCHA API key and cdk-nag 3', () => {
  test("GIVEN captchaApiKeyDomains WHEN AwsSolutionsChecks runs THEN the key's `*` grant is acknowledged; CDK's shared provider is the app's to acknowledge", () => {
    // GIVEN
    const app = new App();
    new GeoWebAcl(newStack(app), 'WebAcl', { captchaApiKeyDomains: ['app.example.com'] });
    // WHEN
    const findings = nagFindings(app, new AwsSolutionsChecks(app));
    // THEN: the stack-wide AwsCustomResource provider (one per stack, not under the web ACL) keeps its findings.
    expect(findings).toEqual([
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole] @ NagStack/AWS679f53fac002430cb0da5b7982bd2287/ServiceRole/Resource',
      'AwsSolutions-L1 @ NagStack/AWS679f53fac002430cb0da5b7982bd2287/Resource',
    ]);
  });
});
