/**
 * The GTUC example app: `npx projen example:synth` (offline) or `cd example && npx cdk deploy --all`.
 * cdk-nag's AwsSolutions, NIST 800-53 R5, PCI DSS 3.2.1 and HIPAA Security packs check every stack; synthesis
 * fails on an unacknowledged finding (`-c nag=false` skips the check).
 */
import { App } from 'aws-cdk-lib';
import { AwsSolutionsChecks, HIPAASecurityChecks, NIST80053R5Checks, PCIDSS321Checks } from 'cdk-nag';
import { buildGtucApp } from './app';

const app = new App();
buildGtucApp(app);

if (app.node.tryGetContext('nag') !== 'false' && app.node.tryGetContext('nag') !== false) {
  const packs = [
    new AwsSolutionsChecks(app),
    new NIST80053R5Checks(app),
    new PCIDSS321Checks(app),
    new HIPAASecurityChecks(app),
  ];
  const violations = packs.flatMap((pack) => pack.validateScope(app).violations ?? []);
  if (violations.length > 0) {
    const lines = violations.map(
      (v) => `${v.ruleName}: ${v.description}\n    ${v.violatingResources.map((r) => r.constructPath).join('\n    ')}`,
    );
    throw new Error(`cdk-nag found ${violations.length} unacknowledged finding(s):\n${lines.join('\n')}`);
  }
}
app.synth();
