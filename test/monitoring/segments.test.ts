import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Fixture, newDatabase, newFixture } from './fixture';
import {
  ApiMonitoring,
  ApplicationLoadBalancerAlarm,
  ApplicationLoadBalancerMonitoring,
  AuroraMonitoring,
  AutoScalingGroupMonitoring,
  EcsServiceMonitoring,
  IMonitoringSegment,
  NetworkLoadBalancerMonitoring,
  WebAclMonitoring,
} from '../../src/monitoring';
import { GeoWebAcl } from '../../src/waf';

const RUNBOOK = 'https://github.com/gtuc/items/blob/main/docs/operations.md';

function alarmProps(template: Template, alarmName: string): Record<string, any> {
  const found = Object.values(
    template.findResources('AWS::CloudWatch::Alarm', { Properties: { AlarmName: alarmName } }),
  );
  expect(found).toHaveLength(1);
  return found[0].Properties;
}

function titles(segment: IMonitoringSegment): string[] {
  return segment.widgets().map((w) => (w.toJson()[0] as any).properties.title);
}

/** An internal ALB with one target group, in the fixture's VPC. */
function newAlb(f: Fixture): {
  loadBalancer: elbv2.ApplicationLoadBalancer;
  targetGroup: elbv2.ApplicationTargetGroup;
} {
  const loadBalancer = new elbv2.ApplicationLoadBalancer(f.stack, 'Alb', { vpc: f.vpc, internetFacing: false });
  const targetGroup = new elbv2.ApplicationTargetGroup(f.stack, 'AlbTargets', {
    vpc: f.vpc,
    port: 8080,
    protocol: elbv2.ApplicationProtocol.HTTP,
    targetType: elbv2.TargetType.IP,
  });
  loadBalancer.addListener('Http', { port: 80, defaultTargetGroups: [targetGroup] });
  return { loadBalancer, targetGroup };
}

const ALB_DIMENSIONS = [
  { Name: 'LoadBalancer', Value: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Alb'), 'LoadBalancerFullName'] } },
  { Name: 'TargetGroup', Value: { 'Fn::GetAtt': [Match.stringLikeRegexp('^AlbTargets'), 'TargetGroupFullName'] } },
];

describe('ApplicationLoadBalancerMonitoring', () => {
  let template: Template;
  let segment: ApplicationLoadBalancerMonitoring;
  beforeAll(() => {
    // GIVEN
    const f = newFixture();
    const topic = new sns.Topic(f.stack, 'Topic');
    // WHEN
    segment = new ApplicationLoadBalancerMonitoring(f.stack, 'AlbMonitoring', {
      ...newAlb(f),
      alarmTopic: topic,
      alarmNamePrefix: 'items',
      runbookUrl: RUNBOOK,
    });
    template = Template.fromStack(f.stack);
  });

  test('GIVEN a target group THEN four alarms: 5XX count and rate, p99 response time, unhealthy hosts', () => {
    expect(segment.alarms.map((a) => (a.node.defaultChild as cloudwatch.CfnAlarm).alarmName)).toEqual([
      'items-alb-5xx-count',
      'items-alb-5xx-rate',
      'items-alb-target-response-time-p99',
      'items-alb-unhealthy-hosts',
    ]);
    expect(segment.deploymentAlarmNames).toEqual(['items-alb-5xx-rate', 'items-alb-unhealthy-hosts']);
  });

  test('THEN alb-5xx-count sums target and load balancer 5XX over 5 minutes, > 10', () => {
    const props = alarmProps(template, 'items-alb-5xx-count');
    expect(props).toMatchObject({
      Threshold: 10,
      ComparisonOperator: 'GreaterThanThreshold',
      EvaluationPeriods: 1,
      TreatMissingData: 'notBreaching',
      AlarmActions: [{ Ref: expect.stringMatching(/^Topic/) }],
    });
    expect(props.Metrics[0]).toEqual({
      Id: 'expr_1',
      Expression: 'FILL(target5xx, 0) + FILL(elb5xx, 0)',
      Label: '5XX responses',
      ReturnData: true,
    });
    Template.fromJSON({ Resources: { A: { Type: 'X', Properties: props } } }).hasResourceProperties('X', {
      Metrics: Match.arrayWith([
        {
          Id: 'target5xx',
          ReturnData: false,
          MetricStat: {
            Metric: {
              Namespace: 'AWS/ApplicationELB',
              MetricName: 'HTTPCode_Target_5XX_Count',
              Dimensions: ALB_DIMENSIONS,
            },
            Period: 300,
            Stat: 'Sum',
          },
        },
        {
          Id: 'elb5xx',
          ReturnData: false,
          MetricStat: {
            Metric: {
              Namespace: 'AWS/ApplicationELB',
              MetricName: 'HTTPCode_ELB_5XX_Count',
              Dimensions: [ALB_DIMENSIONS[0]],
            },
            Period: 300,
            Stat: 'Sum',
          },
        },
      ]),
    });
    expect(props.AlarmDescription).toBe(
      'The application load balancer and its targets answered more than 10 requests with a 5XX in 5 minutes. ' +
        `Look at: the ALB access logs, the target health and the service logs. Runbook: ${RUNBOOK}#alb-5xx-count`,
    );
  });

  test('THEN alb-5xx-rate is a percentage of RequestCount, > 1%', () => {
    const props = alarmProps(template, 'items-alb-5xx-rate');
    expect(props.Threshold).toBe(1);
    expect(props.Metrics[0].Expression).toBe(
      'IF(requests > 0, 100 * (FILL(target5xx, 0) + FILL(elb5xx, 0)) / requests, 0)',
    );
    expect(props.Metrics.map((m: any) => m.MetricStat?.Metric.MetricName).filter(Boolean)).toEqual([
      'HTTPCode_Target_5XX_Count',
      'HTTPCode_ELB_5XX_Count',
      'RequestCount',
    ]);
  });

  test('THEN alb-target-response-time-p99 converts 2000 ms into 2 seconds over 3 periods', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'items-alb-target-response-time-p99',
      Namespace: 'AWS/ApplicationELB',
      MetricName: 'TargetResponseTime',
      Dimensions: ALB_DIMENSIONS,
      ExtendedStatistic: 'p99',
      Period: 300,
      Threshold: 2,
      ComparisonOperator: 'GreaterThanThreshold',
      EvaluationPeriods: 3,
      TreatMissingData: 'notBreaching',
    });
  });

  test('THEN alb-unhealthy-hosts is max UnHealthyHostCount per minute > 0 in 2 of 3', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'items-alb-unhealthy-hosts',
      Namespace: 'AWS/ApplicationELB',
      MetricName: 'UnHealthyHostCount',
      Dimensions: ALB_DIMENSIONS,
      Statistic: 'Maximum',
      Period: 60,
      Threshold: 0,
      EvaluationPeriods: 3,
      DatapointsToAlarm: 2,
    });
  });

  test('THEN its widgets show requests and 5XX, response time and target health', () => {
    expect(titles(segment)).toEqual(['ALB requests and 5XX', 'ALB target response time (s)', 'ALB target health']);
  });

  test('GIVEN no target group THEN no unhealthy-hosts alarm and load-balancer-wide metrics', () => {
    // GIVEN
    const f = newFixture();
    const { loadBalancer } = newAlb(f);
    // WHEN
    const alone = new ApplicationLoadBalancerMonitoring(f.stack, 'AlbMonitoring', { loadBalancer });
    // THEN
    expect(alone.findAlarm(ApplicationLoadBalancerAlarm.UNHEALTHY_HOSTS)).toBeUndefined();
    expect(alone.alarms).toHaveLength(3);
    expect(alone.metrics.metricTargetResponseTime().dimensions).toEqual({ LoadBalancer: expect.any(String) });
    expect(() => alone.metrics.metricUnhealthyHosts()).toThrow(
      '`targetGroup` is required for the UnHealthyHostCount metric, got: undefined.',
    );
    expect(titles(alone)).toEqual(['ALB requests and 5XX', 'ALB target response time (s)']);
  });
});

describe('Segments alone', () => {
  test('GIVEN no topic and no runbook THEN the alarms have no actions and no runbook link', () => {
    // GIVEN
    const f = newFixture();
    // WHEN
    new ApiMonitoring(f.stack, 'ApiMonitoring', { stage: f.stage });
    // THEN
    const template = Template.fromStack(f.stack);
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm'));
    expect(alarms).toHaveLength(4);
    for (const alarm of alarms) {
      expect(alarm.Properties.AlarmActions).toBeUndefined();
      expect(alarm.Properties.AlarmDescription).not.toContain('Runbook');
      expect(alarm.Properties.AlarmName).toMatch(/^ItemsStack-ApiMonitoring-api-/);
    }
  });

  test('GIVEN a warning threshold, evaluation periods and datapoints THEN a warning alarm joins the critical one', () => {
    // GIVEN
    const f = newFixture();
    const critical = new sns.Topic(f.stack, 'Critical');
    const warning = new sns.Topic(f.stack, 'Warning');
    // WHEN
    const segment = new EcsServiceMonitoring(f.stack, 'EcsMonitoring', {
      service: f.service,
      alarmNamePrefix: 'items',
      alarmTopic: critical,
      warningAlarmTopic: warning,
      cpuUtilization: { critical: 90, warning: 70, evaluationPeriods: 6, datapointsToAlarm: 4 },
    });
    // THEN
    const template = Template.fromStack(f.stack);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'items-ecs-cpu-high',
      Threshold: 90,
      EvaluationPeriods: 6,
      DatapointsToAlarm: 4,
      AlarmActions: [{ Ref: Match.stringLikeRegexp('^Critical') }],
    });
    const props = alarmProps(template, 'items-ecs-cpu-high-warning');
    expect(props).toMatchObject({
      Threshold: 70,
      EvaluationPeriods: 6,
      DatapointsToAlarm: 4,
      AlarmActions: [{ Ref: expect.stringMatching(/^Warning/) }],
      OKActions: [{ Ref: expect.stringMatching(/^Warning/) }],
    });
    expect(props.AlarmDescription).toMatch(
      /^Warning: The ECS service's average CPU was above 70% in 4 of the last 6 periods of 5 minutes\./,
    );
    // no desiredCount: no running-tasks-low alarm
    expect(segment.alarms).toHaveLength(3);
    expect(titles(segment)).toEqual(['ECS CPU and memory (%)', 'ECS running tasks']);
  });

  test('GIVEN desiredCount 0 THEN the ECS and NLB segments drop their below-desired alarms', () => {
    // GIVEN
    const f = newFixture();
    // WHEN
    const ecsSegment = new EcsServiceMonitoring(f.stack, 'EcsMonitoring', { service: f.service, desiredCount: 0 });
    const nlbSegment = new NetworkLoadBalancerMonitoring(f.stack, 'NlbMonitoring', {
      loadBalancer: f.loadBalancer,
      targetGroup: f.targetGroup,
      desiredCount: 0,
    });
    // THEN
    const names = [...ecsSegment.alarms, ...nlbSegment.alarms].map(
      (a) => (a.node.defaultChild as cloudwatch.CfnAlarm).alarmName,
    );
    expect(names).toEqual([
      'ItemsStack-EcsMonitoring-ecs-cpu-high',
      'ItemsStack-EcsMonitoring-ecs-memory-high',
      'ItemsStack-NlbMonitoring-nlb-unhealthy-hosts',
    ]);
  });

  test('GIVEN a lower floor THEN the below-desired alarms use it', () => {
    // GIVEN
    const f = newFixture();
    // WHEN
    new EcsServiceMonitoring(f.stack, 'EcsMonitoring', {
      service: f.service,
      desiredCount: 4,
      alarmNamePrefix: 'items',
      runningTasksLow: { critical: 2, warning: 4, evaluationPeriods: 10 },
    });
    // THEN
    const template = Template.fromStack(f.stack);
    expect(alarmProps(template, 'items-ecs-running-tasks-low')).toMatchObject({ Threshold: 2, EvaluationPeriods: 10 });
    expect(alarmProps(template, 'items-ecs-running-tasks-low-warning')).toMatchObject({ Threshold: 4 });
  });

  test('GIVEN an Auto Scaling group with headroom THEN the warning fires one instance below the maximum', () => {
    // GIVEN
    const f = newFixture();
    // WHEN
    new AutoScalingGroupMonitoring(f.stack, 'AsgMonitoring', {
      autoScalingGroup: f.autoScalingGroup,
      maxCapacity: 4,
      alarmNamePrefix: 'items',
      capacityAtMax: { warning: 1 },
    });
    // THEN
    const template = Template.fromStack(f.stack);
    expect(alarmProps(template, 'items-asg-capacity-at-max').Threshold).toBe(4);
    expect(alarmProps(template, 'items-asg-capacity-at-max-warning').Threshold).toBe(3);
  });

  test('GIVEN an Aurora cluster THEN the freeable-memory threshold is converted from MiB to bytes', () => {
    // GIVEN
    const f = newFixture();
    // WHEN
    const segment = new AuroraMonitoring(f.stack, 'DbMonitoring', {
      cluster: newDatabase(f),
      alarmNamePrefix: 'items',
      freeableMemoryMiB: { critical: 512 },
    });
    // THEN
    expect(alarmProps(Template.fromStack(f.stack), 'items-db-freeable-memory-low').Threshold).toBe(512 * 1024 * 1024);
    expect(titles(segment)).toEqual([
      'Database CPU (%)',
      'Database freeable memory (bytes)',
      'Database connections and replica lag',
    ]);
  });

  test('GIVEN a web ACL without CAPTCHA and rate rules THEN only the web-ACL-wide alarm', () => {
    // GIVEN
    const f = newFixture();
    const webAcl = new GeoWebAcl(f.stack, 'WebAcl', { blockedCountries: ['NG'], enableRateLimit: false });
    // WHEN
    const segment = new WebAclMonitoring(f.stack, 'WafMonitoring', { webAcl, alarmNamePrefix: 'items' });
    // THEN
    expect(segment.alarms.map((a) => (a.node.defaultChild as cloudwatch.CfnAlarm).alarmName)).toEqual([
      'items-waf-blocked-spike',
    ]);
    expect(titles(segment)).toEqual(['WAF requests (web ACL)', 'WAF requests per rule']);
  });

  test('GIVEN enableAlarms false THEN thresholds are still validated and no alarm is created', () => {
    // GIVEN
    const f = newFixture();
    // WHEN
    const segment = new ApiMonitoring(f.stack, 'ApiMonitoring', { stage: f.stage, enableAlarms: false });
    // THEN
    expect(segment.alarms).toEqual([]);
    expect(segment.deploymentAlarmNames).toEqual([]);
    expect(
      () =>
        new ApiMonitoring(f.stack, 'Other', {
          stage: f.stage,
          enableAlarms: false,
          errors5xxRate: { critical: 101 },
        }),
    ).toThrow('`errors5xxRate.critical` must be between 0 and 100, got: 101.');
  });
});

describe('Segment validation', () => {
  const bad: Array<[string, (f: Fixture) => void, string]> = [
    [
      'a percentage above 100',
      (f) => new EcsServiceMonitoring(f.stack, 'S', { service: f.service, memoryUtilization: { warning: 150 } }),
      '`memoryUtilization.warning` must be between 0 and 100, got: 150.',
    ],
    [
      'a threshold that is not a finite number (NaN)',
      (f) => new ApiMonitoring(f.stack, 'S', { stage: f.stage, latencyP99: { critical: NaN } }),
      '`latencyP99.critical` must be a finite number, got: NaN.',
    ],
    [
      'a threshold that is not a finite number (Infinity)',
      (f) => new ApiMonitoring(f.stack, 'S', { stage: f.stage, errors4xxRate: { critical: Infinity } }),
      '`errors4xxRate.critical` must be a finite number, got: Infinity.',
    ],
    [
      'a negative count',
      (f) => new AuroraMonitoring(f.stack, 'S', { cluster: newDatabase(f), connections: { critical: -1 } }),
      '`connections.critical` must be 0 or greater, got: -1.',
    ],
    [
      'zero evaluation periods',
      (f) => new ApiMonitoring(f.stack, 'S', { stage: f.stage, latencyP99: { evaluationPeriods: 0 } }),
      '`latencyP99.evaluationPeriods` must be a whole number of at least 1, got: 0.',
    ],
    [
      'more datapoints than evaluation periods',
      (f) =>
        new NetworkLoadBalancerMonitoring(f.stack, 'S', {
          loadBalancer: f.loadBalancer,
          targetGroup: f.targetGroup,
          unhealthyHosts: { datapointsToAlarm: 4 },
        }),
      '`unhealthyHosts.datapointsToAlarm` must be a whole number between 1 and the evaluation periods (3), got: 4.',
    ],
    [
      'a relative runbook URL',
      (f) => new ApiMonitoring(f.stack, 'S', { stage: f.stage, runbookUrl: 'docs/operations.md' }),
      "`runbookUrl` must be an absolute https:// URL without a #fragment (the alarm's anchor is appended), got: 'docs/operations.md'.",
    ],
    [
      'an http runbook URL',
      (f) => new ApiMonitoring(f.stack, 'S', { stage: f.stage, runbookUrl: 'http://wiki.example.com/items' }),
      "`runbookUrl` must be an absolute https:// URL without a #fragment (the alarm's anchor is appended), got: 'http://wiki.example.com/items'.",
    ],
    [
      'a runbook URL with a fragment',
      (f) => new ApiMonitoring(f.stack, 'S', { stage: f.stage, runbookUrl: 'https://wiki.example.com/items#top' }),
      "`runbookUrl` must be an absolute https:// URL without a #fragment (the alarm's anchor is appended), got: 'https://wiki.example.com/items#top'.",
    ],
    [
      'a disabled alarm of another segment',
      (f) => new ApiMonitoring(f.stack, 'S', { stage: f.stage, disabledAlarms: ['ecs-cpu-high'] }),
      "`disabledAlarms` must name alarms among api-5xx-rate, api-4xx-rate, api-latency-p99, api-integration-latency-p99, got: 'ecs-cpu-high'.",
    ],
    [
      'a warning above the critical threshold of a "greater than" alarm',
      (f) => new ApiMonitoring(f.stack, 'S', { stage: f.stage, errors5xxRate: { critical: 1, warning: 2 } }),
      '`errors5xxRate.warning` must fire before `errors5xxRate.critical` (1), got: 2.',
    ],
    [
      'a warning below the critical threshold of a "less than" alarm',
      (f) =>
        new AuroraMonitoring(f.stack, 'S', {
          cluster: newDatabase(f),
          freeableMemoryMiB: { critical: 256, warning: 128 },
        }),
      '`freeableMemoryMiB.warning` must fire before `freeableMemoryMiB.critical` (256), got: 128.',
    ],
    [
      'a negative desired count',
      (f) => new EcsServiceMonitoring(f.stack, 'S', { service: f.service, desiredCount: -1 }),
      '`desiredCount` must be a whole number of at least 0, got: -1.',
    ],
  ];

  test.each(bad)('GIVEN %s THEN synth fails naming the prop and the value', (_name, build, message) => {
    const f = newFixture();
    expect(() => build(f)).toThrow(message);
  });

  test('GIVEN a part from a stack in another region THEN the segment rejects it', () => {
    // GIVEN
    const app = new App();
    const east = new Stack(app, 'East', { env: { account: '123456789012', region: 'us-east-2' } });
    const west = new Stack(app, 'West', { env: { account: '123456789012', region: 'eu-west-1' } });
    const api = new apigateway.RestApi(west, 'Api');
    api.root.addMethod('GET', new apigateway.MockIntegration());
    const vpc = new ec2.Vpc(west, 'Vpc', { availabilityZones: ['eu-west-1a', 'eu-west-1b'], natGateways: 0 });
    const loadBalancer = new elbv2.NetworkLoadBalancer(west, 'Nlb', { vpc });
    const targetGroup = new elbv2.NetworkTargetGroup(west, 'Tg', { vpc, port: 80 });
    // WHEN / THEN
    expect(() => new ApiMonitoring(east, 'ApiMonitoring', { stage: api.deploymentStage })).toThrow(
      '`stage` must be in the region of the monitoring stack (us-east-2), got: eu-west-1.',
    );
    expect(() => new NetworkLoadBalancerMonitoring(east, 'NlbMonitoring', { loadBalancer, targetGroup })).toThrow(
      '`loadBalancer` must be in the region of the monitoring stack (us-east-2), got: eu-west-1.',
    );
  });
});
