/**
 * Captures the 17 alarms of the single-class `ServiceMonitoring` (before the split into segments) into
 * `alarms-before-segments.json`, with every property that the segments must keep: metric (or metric-math
 * metrics), statistic, threshold, period, comparison, evaluation periods, datapoints to alarm and
 * missing-data treatment. Run once, before the refactoring:
 *
 *   npx ts-node --transpile-only test/monitoring/baseline/capture.ts
 */
import * as fs from 'fs';
import * as path from 'path';
import { Template } from 'aws-cdk-lib/assertions';
import { ServiceMonitoring } from '../../../src/monitoring';
import { GeoWebAcl } from '../../../src/waf';
import { newDatabase, newFixture, renderCfnString } from '../fixture';

const f = newFixture();
const database = newDatabase(f);
const webAcl = new GeoWebAcl(f.stack, 'WebAcl', { webAclName: 'items-web-acl' });
const monitoring = new ServiceMonitoring(f.stack, 'Monitoring', {
  ...f.wiring,
  alarmNamePrefix: 'items',
  webAclMetricName: webAcl.metricName,
  wafRuleMetricNames: {
    blockedCountries: webAcl.blockRuleName,
    captchaCountries: webAcl.captchaRuleName,
    rateLimit: webAcl.rateRuleName,
  },
  autoScalingGroup: f.autoScalingGroup,
  autoScalingGroupMaxCapacity: 4,
  database,
});
const template = Template.fromStack(f.stack);
const keep = [
  'Namespace',
  'MetricName',
  'Dimensions',
  'Statistic',
  'ExtendedStatistic',
  'Period',
  'Metrics',
  'Threshold',
  'ComparisonOperator',
  'EvaluationPeriods',
  'DatapointsToAlarm',
  'TreatMissingData',
];
const alarms: Record<string, Record<string, unknown>> = {};
for (const resource of Object.values(template.findResources('AWS::CloudWatch::Alarm'))) {
  const props = resource.Properties as Record<string, unknown>;
  const kind = (props.AlarmName as string).replace(/^items-/, '');
  alarms[kind] = Object.fromEntries(keep.filter((k) => props[k] !== undefined).map((k) => [k, props[k]]));
}
// Every graph widget of the dashboard: its title and its metrics (tokens rendered as placeholders).
const [dashboard] = Object.values(template.findResources('AWS::CloudWatch::Dashboard'));
const body = JSON.parse(renderCfnString(dashboard.Properties.DashboardBody));
const widgets: Record<string, unknown> = {};
for (const w of body.widgets) {
  if (w.type === 'metric' && w.properties.metrics) {
    widgets[w.properties.title] = w.properties.metrics;
  }
}
const out = path.join(__dirname, 'alarms-before-segments.json');
fs.writeFileSync(
  out,
  JSON.stringify({ deploymentAlarmNames: monitoring.deploymentAlarmNames, alarms, widgets }, null, 2) + '\n',
);
console.log(`${Object.keys(alarms).length} alarms written to ${out}`);
