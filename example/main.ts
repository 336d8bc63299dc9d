/**
 * The GTUC example app: `npx projen example:synth` (offline) or `cd example && npx cdk deploy --all`.
 * cdk-nag's AwsSolutions pack checks every stack; synthesis fails on an unacknowledged finding.
 */
import { App } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { buildGtucApp } from './app';

const app = new App();
buildGtucApp(app);

if (app.node.tryGetContext('nag') !== 'false' && app.node.tryGetContext('nag') !== false) {
  const report = new AwsSolutionsChecks(app).validateScope(app);
  const violations = report.violations ?? [];
  if (violations.length > 0) {
    const lines = violations.map(
      (v) => `${v.ruleName}: ${v.description}\n    ${v.violatingResources.map((r) => r.constructPath).join('\n    ')}`,
    );
    throw new Error(`cdk-nag AwsSolutions found ${violations.length} unacknowledged finding(s):\n${lines.join('\n')}`);
  }
}
app.synth();
