import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks, NIST80053R5Checks } from 'cdk-nag';
import { GeoWebAcl } from '../../src/waf';

/** An app in a temporary outdir with one stack; cdk-nag 3 runs as a policy-validation plugin during `app.synth()`. */
function appWith(build: (stack: Stack) => void): App {
  const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'waf-nag-')) });
  const stack = new Stack(app, 'NagStack', { env: { account: '111111111111', region: 'us-east-2' } });
  build(stack);
  return app;
}

describe('GeoWebAcl and cdk-nag 3', () => {
  test('GIVEN only a GeoWebAcl WHEN AwsSolutionsChecks runs THEN synth reports no findings', () => {
    // GIVEN
    const app = appWith((stack) => new GeoWebAcl(stack, 'WebAcl'));
    // WHEN
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    // THEN: cdk-nag 3 makes app.synth() throw "Validation failed" when there are unacknowledged findings.
    expect(() => app.synth()).not.toThrow();
  });

  test('GIVEN a GeoWebAcl with a KMS-encrypted log group WHEN NIST 800-53 R5 checks run THEN synth reports no findings', () => {
    // GIVEN
    let stack!: Stack;
    const app = appWith((s) => {
      stack = s;
      const key = new kms.Key(s, 'LogKey', { enableKeyRotation: true });
      new GeoWebAcl(s, 'WebAcl', { logEncryptionKey: key });
    });
    // WHEN
    Validations.of(app).addPlugins(new NIST80053R5Checks(app));
    // THEN: WAFv2LoggingEnabled, CloudWatchLogGroupEncrypted and retention are all satisfied.
    expect(() => app.synth()).not.toThrow();
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

  test('GIVEN a resource with findings WHEN AwsSolutionsChecks runs THEN synth fails (the check is live)', () => {
    // GIVEN
    const app = appWith((stack) => new s3.Bucket(stack, 'Bucket'));
    // WHEN
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    // THEN: the report names the rule to acknowledge.
    expect(() => app.synth()).toThrow(/Acknowledge with 'AwsSolutions::AwsSolutions-S1'/);
  });
});
