import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as baseline from './baseline/alarms-before-segments.json';
import { Fixture, newDatabase, newFixture, renderCfnString } from './fixture';
import {
  ApiMonitoring,
  AuroraMonitoring,
  AutoScalingGroupMonitoring,
  EcsServiceMonitoring,
  IMonitoringSegment,
  NetworkLoadBalancerMonitoring,
  ServiceMonitoring,
  WebAclMonitoring,
} from '../../src/monitoring';
import { GeoWebAcl } from '../../src/waf';

/**
 * The 17 alarms and the graph widgets of the single-class `ServiceMonitoring`, captured before the split into
 * segments (baseline/capture.ts, commit "capture the 17 alarms…"), must come out of the segments unchanged: metric,
 * statistic, threshold, period, comparison, evaluation periods, datapoints to alarm and missing-data treatment.
 */
const KEPT = [
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

function alarmsOf(stack: Stack): Record<string, Record<string, unknown>> {
  const alarms: Record<string, Record<string, unknown>> = {};
  for (const resource of Object.values(Template.fromStack(stack).findResources('AWS::CloudWatch::Alarm'))) {
    const props = resource.Properties as Record<string, unknown>;
    const kind = (props.AlarmName as string).replace(/^items-/, '');
    alarms[kind] = Object.fromEntries(KEPT.filter((k) => props[k] !== undefined).map((k) => [k, props[k]]));
  }
  return alarms;
}

function graphWidgets(stack: Stack): Record<string, unknown> {
  const [dashboard] = Object.values(Template.fromStack(stack).findResources('AWS::CloudWatch::Dashboard'));
  const body = JSON.parse(renderCfnString(dashboard.Properties.DashboardBody));
  const widgets: Record<string, unknown> = {};
  for (const w of body.widgets) {
    if (w.type === 'metric' && w.properties.metrics) {
      widgets[w.properties.title] = w.properties.metrics;
    }
  }
  return widgets;
}

function parts(): { f: Fixture; webAcl: GeoWebAcl; database: ReturnType<typeof newDatabase> } {
  const f = newFixture();
  return {
    f,
    database: newDatabase(f),
    webAcl: new GeoWebAcl(f.stack, 'WebAcl', {
      webAclName: 'items-web-acl',
      blockedCountries: ['NG'],
      captchaCountries: ['GH'],
    }),
  };
}

describe('Monitoring segments compared with the single-class ServiceMonitoring', () => {
  test('GIVEN the baseline THEN it holds the 17 alarms', () => {
    expect(Object.keys(baseline.alarms).sort()).toEqual(
      [
        'api-5xx-rate',
        'api-4xx-rate',
        'api-latency-p99',
        'api-integration-latency-p99',
        'nlb-unhealthy-hosts',
        'nlb-healthy-hosts-low',
        'ecs-cpu-high',
        'ecs-memory-high',
        'ecs-running-tasks-low',
        'waf-blocked-spike',
        'waf-captcha-spike',
        'waf-rate-limit-blocks',
        'asg-capacity-at-max',
        'db-cpu-high',
        'db-freeable-memory-low',
        'db-connections-high',
        'db-replica-lag-high',
      ].sort(),
    );
  });

  test('GIVEN each segment alone WHEN synthesized THEN its alarms equal today’s, one by one', () => {
    // GIVEN
    const { f, webAcl, database } = parts();
    const common = { alarmNamePrefix: 'items' };
    // WHEN
    const segments: IMonitoringSegment[] = [
      new ApiMonitoring(f.stack, 'ApiMon', { ...common, stage: f.stage }),
      new NetworkLoadBalancerMonitoring(f.stack, 'NlbMon', {
        ...common,
        loadBalancer: f.loadBalancer,
        targetGroup: f.targetGroup,
        desiredCount: 2,
      }),
      new EcsServiceMonitoring(f.stack, 'Ecs', { ...common, service: f.service, desiredCount: 2 }),
      new WebAclMonitoring(f.stack, 'Waf', { ...common, webAcl }),
      new AutoScalingGroupMonitoring(f.stack, 'AsgMon', {
        ...common,
        autoScalingGroup: f.autoScalingGroup,
        maxCapacity: 4,
      }),
      new AuroraMonitoring(f.stack, 'Db', { ...common, cluster: database }),
    ];
    // THEN
    expect(segments.flatMap((s) => s.alarms)).toHaveLength(17);
    const alarms = alarmsOf(f.stack);
    for (const [kind, expected] of Object.entries(baseline.alarms)) {
      expect({ kind, ...alarms[kind] }).toEqual({ kind, ...expected });
    }
  });

  test('GIVEN the ServiceMonitoring composition WHEN synthesized THEN its 17 alarms, deployment alarms and graph widgets equal today’s', () => {
    // GIVEN
    const { f, webAcl, database } = parts();
    // WHEN
    const monitoring = new ServiceMonitoring(f.stack, 'Monitoring', {
      ...f.wiring,
      alarmNamePrefix: 'items',
      webAcl,
      autoScalingGroup: f.autoScalingGroup,
      autoScalingGroupMaxCapacity: 4,
      database,
    });
    // THEN
    expect(monitoring.alarms).toHaveLength(17);
    expect(alarmsOf(f.stack)).toEqual(baseline.alarms);
    expect(monitoring.deploymentAlarmNames).toEqual(baseline.deploymentAlarmNames);
    expect(graphWidgets(f.stack)).toEqual(baseline.widgets);
    // The alarms keep today's construct paths (and so their logical ids): deployed alarms update in place.
    expect(monitoring.alarms.map((a) => a.node.path)).toEqual(
      expect.arrayContaining(['ItemsStack/Monitoring/Api5xxRateAlarm', 'ItemsStack/Monitoring/DbReplicaLagHighAlarm']),
    );
    expect(monitoring.alarms.map((a) => a.node.path.replace(/^ItemsStack\/Monitoring\//, ''))).toEqual(
      monitoring.alarms.map(
        (a) =>
          `${(a.node.defaultChild as any).alarmName
            .replace(/^items-/, '')
            .split('-')
            .map((part: string) => part.charAt(0).toUpperCase() + part.slice(1))
            .join('')}Alarm`,
      ),
    );
  });
});
