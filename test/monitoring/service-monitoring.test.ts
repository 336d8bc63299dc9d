import { Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Fixture, newDatabase, newFixture, renderCfnString } from './fixture';
import {
  ApiAlarm,
  AuroraAlarm,
  AutoScalingGroupAlarm,
  EcsServiceAlarm,
  NetworkLoadBalancerAlarm,
  ServiceMonitoring,
  ServiceMonitoringProps,
  WebAclAlarm,
} from '../../src/monitoring';
import { GeoWebAcl } from '../../src/waf';

/** Every alarm of the composition, by today's names. */
const ServiceAlarm = {
  API_5XX_RATE: ApiAlarm.ERRORS_5XX_RATE,
  API_4XX_RATE: ApiAlarm.ERRORS_4XX_RATE,
  API_LATENCY_P99: ApiAlarm.LATENCY_P99,
  API_INTEGRATION_LATENCY_P99: ApiAlarm.INTEGRATION_LATENCY_P99,
  NLB_UNHEALTHY_HOSTS: NetworkLoadBalancerAlarm.UNHEALTHY_HOSTS,
  NLB_HEALTHY_HOSTS_LOW: NetworkLoadBalancerAlarm.HEALTHY_HOSTS_LOW,
  ECS_CPU_HIGH: EcsServiceAlarm.CPU_HIGH,
  ECS_MEMORY_HIGH: EcsServiceAlarm.MEMORY_HIGH,
  ECS_RUNNING_TASKS_LOW: EcsServiceAlarm.RUNNING_TASKS_LOW,
  WAF_BLOCKED_SPIKE: WebAclAlarm.BLOCKED_SPIKE,
  WAF_CAPTCHA_SPIKE: WebAclAlarm.CAPTCHA_SPIKE,
  WAF_RATE_LIMIT_BLOCKS: WebAclAlarm.RATE_LIMIT_BLOCKS,
  ASG_CAPACITY_AT_MAX: AutoScalingGroupAlarm.CAPACITY_AT_MAX,
  DB_CPU_HIGH: AuroraAlarm.CPU_HIGH,
  DB_FREEABLE_MEMORY_LOW: AuroraAlarm.FREEABLE_MEMORY_LOW,
  DB_CONNECTIONS_HIGH: AuroraAlarm.CONNECTIONS_HIGH,
  DB_REPLICA_LAG_HIGH: AuroraAlarm.REPLICA_LAG_HIGH,
};
const RUNBOOK = 'https://github.com/gtuc/items/blob/main/docs/operations.md';

const TOPIC_REF = { Ref: Match.stringLikeRegexp('^MonitoringAlarmTopic') };
const API_DIMENSIONS = [
  { Name: 'ApiName', Value: 'items-api' },
  { Name: 'Stage', Value: 'prod' },
];
const NLB_DIMENSIONS = [
  { Name: 'LoadBalancer', Value: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Nlb'), 'LoadBalancerFullName'] } },
  { Name: 'TargetGroup', Value: { 'Fn::GetAtt': [Match.stringLikeRegexp('^TargetGroup'), 'TargetGroupFullName'] } },
];
const ECS_DIMENSIONS = [
  { Name: 'ClusterName', Value: { Ref: Match.stringLikeRegexp('^Cluster') } },
  { Name: 'ServiceName', Value: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Service'), 'Name'] } },
];
const WAF_DIMENSIONS = (rule: string) => [
  { Name: 'Region', Value: 'us-east-2' },
  { Name: 'Rule', Value: rule },
  { Name: 'WebACL', Value: 'items-web-acl' },
];
const DB_DIMENSIONS = [{ Name: 'DBClusterIdentifier', Value: { Ref: Match.stringLikeRegexp('^Database') } }];

function rate(errorsId: string, metricName: string, label: string) {
  return [
    { Id: 'expr_1', Expression: `IF(requests > 0, 100 * ${errorsId} / requests, 0)`, Label: label, ReturnData: true },
    {
      Id: errorsId,
      ReturnData: false,
      MetricStat: {
        Metric: { Namespace: 'AWS/ApiGateway', MetricName: metricName, Dimensions: API_DIMENSIONS },
        Period: 300,
        Stat: 'Sum',
      },
    },
    {
      Id: 'requests',
      ReturnData: false,
      MetricStat: {
        Metric: { Namespace: 'AWS/ApiGateway', MetricName: 'Count', Dimensions: API_DIMENSIONS },
        Period: 300,
        Stat: 'Sum',
      },
    },
  ];
}

/** Finds the one alarm with the given name and returns its properties. */
function alarmProps(template: Template, alarmName: string): Record<string, any> {
  const found = Object.values(
    template.findResources('AWS::CloudWatch::Alarm', { Properties: { AlarmName: alarmName } }),
  );
  expect(found).toHaveLength(1);
  return found[0].Properties;
}

/** The alarm description as a string (tokens rendered as placeholders). */
function description(template: Template, alarmName: string): string {
  return renderCfnString(alarmProps(template, alarmName).AlarmDescription);
}

function dashboardBody(template: Template): any {
  const dashboards = Object.values(template.findResources('AWS::CloudWatch::Dashboard'));
  expect(dashboards).toHaveLength(1);
  return JSON.parse(renderCfnString(dashboards[0].Properties.DashboardBody));
}

function widgetTitles(body: any): string[] {
  return body.widgets.map((w: any) => w.properties.title ?? w.type);
}

function widget(body: any, title: string): any {
  const found = body.widgets.find((w: any) => w.properties.title === title);
  expect(found).toBeDefined();
  return found;
}

const CORE_ALARMS = [
  ServiceAlarm.API_5XX_RATE,
  ServiceAlarm.API_4XX_RATE,
  ServiceAlarm.API_LATENCY_P99,
  ServiceAlarm.API_INTEGRATION_LATENCY_P99,
  ServiceAlarm.NLB_UNHEALTHY_HOSTS,
  ServiceAlarm.NLB_HEALTHY_HOSTS_LOW,
  ServiceAlarm.ECS_CPU_HIGH,
  ServiceAlarm.ECS_MEMORY_HIGH,
  ServiceAlarm.ECS_RUNNING_TASKS_LOW,
];

describe('ServiceMonitoring', () => {
  describe('defaults (service, NLB and API only)', () => {
    let fixture: Fixture;
    let monitoring: ServiceMonitoring;
    let template: Template;
    beforeAll(() => {
      // GIVEN
      fixture = newFixture();
      // WHEN
      monitoring = new ServiceMonitoring(fixture.stack, 'Monitoring', fixture.wiring);
      template = Template.fromStack(fixture.stack);
    });

    test('creates an alarm topic and no e-mail subscription', () => {
      // THEN
      template.resourceCountIs('AWS::SNS::Topic', 1);
      template.hasResourceProperties('AWS::SNS::Topic', { DisplayName: 'Service alarms' });
      template.resourceCountIs('AWS::SNS::Subscription', 0);
      expect(monitoring.alarmTopic).toBeInstanceOf(sns.Topic);
    });

    test('creates the nine core alarms, named <stack>-<path>-<kind>', () => {
      // THEN
      template.resourceCountIs('AWS::CloudWatch::Alarm', 9);
      expect(monitoring.alarms).toHaveLength(9);
      expect(monitoring.alarmNamePrefix).toBe('ItemsStack-Monitoring');
      for (const kind of CORE_ALARMS) {
        alarmProps(template, `ItemsStack-Monitoring-${kind}`);
      }
    });

    test.each(CORE_ALARMS)('alarm %s notifies the topic on ALARM and OK and has no runbook link by default', (kind) => {
      // THEN
      const props = alarmProps(template, `ItemsStack-Monitoring-${kind}`);
      expect(props.AlarmActions).toEqual([{ Ref: expect.stringMatching(/^MonitoringAlarmTopic/) }]);
      expect(props.OKActions).toEqual([{ Ref: expect.stringMatching(/^MonitoringAlarmTopic/) }]);
      expect(description(template, `ItemsStack-Monitoring-${kind}`)).toMatch(/Look at: [^#]+\.$/);
    });

    test('api-5xx-rate: 5XXError as a percentage of Count over 5 minutes, > 1%, missing data not breaching', () => {
      // THEN
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        AlarmName: 'ItemsStack-Monitoring-api-5xx-rate',
        AlarmDescription:
          "More than 1% of requests to the API Gateway API 'items-api' stage 'prod' failed with a 5XX in 5 minutes. " +
          'Look at: the service logs (aws logs tail), the load balancer target health and the last ECS deployment.',
        Metrics: rate('errors5xx', '5XXError', '5XX error rate (%)'),
        Threshold: 1,
        ComparisonOperator: 'GreaterThanThreshold',
        EvaluationPeriods: 1,
        TreatMissingData: 'notBreaching',
        AlarmActions: [TOPIC_REF],
        OKActions: [TOPIC_REF],
      });
    });

    test('api-4xx-rate: 4XXError as a percentage of Count, > 10% for 3 periods of 5 minutes', () => {
      // THEN
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        AlarmName: 'ItemsStack-Monitoring-api-4xx-rate',
        Metrics: rate('errors4xx', '4XXError', '4XX error rate (%)'),
        Threshold: 10,
        ComparisonOperator: 'GreaterThanThreshold',
        EvaluationPeriods: 3,
        TreatMissingData: 'notBreaching',
      });
    });

    test.each([
      ['api-latency-p99', 'Latency', 2000],
      ['api-integration-latency-p99', 'IntegrationLatency', 1500],
    ])('%s: p99 %s over 5 minutes > %d ms for 3 periods', (kind, metricName, threshold) => {
      // THEN
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        AlarmName: `ItemsStack-Monitoring-${kind}`,
        Namespace: 'AWS/ApiGateway',
        MetricName: metricName,
        Dimensions: API_DIMENSIONS,
        ExtendedStatistic: 'p99',
        Period: 300,
        Threshold: threshold,
        ComparisonOperator: 'GreaterThanThreshold',
        EvaluationPeriods: 3,
        TreatMissingData: 'notBreaching',
      });
    });

    test('nlb-unhealthy-hosts: max UnHealthyHostCount per minute > 0 in 2 of 3 minutes', () => {
      // THEN
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        AlarmName: 'ItemsStack-Monitoring-nlb-unhealthy-hosts',
        AlarmDescription:
          'The NLB target group has had more than 0 unhealthy targets in 2 of the last 3 periods of 1 minute. ' +
          'Look at: aws elbv2 describe-target-health, the stopped tasks of the ECS service and the service logs.',
        Namespace: 'AWS/NetworkELB',
        MetricName: 'UnHealthyHostCount',
        Dimensions: NLB_DIMENSIONS,
        Statistic: 'Maximum',
        Period: 60,
        Threshold: 0,
        ComparisonOperator: 'GreaterThanThreshold',
        EvaluationPeriods: 3,
        DatapointsToAlarm: 2,
        TreatMissingData: 'notBreaching',
      });
    });

    test('nlb-healthy-hosts-low: min HealthyHostCount per minute < desiredCount for 5 minutes, missing data breaching', () => {
      // THEN
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        AlarmName: 'ItemsStack-Monitoring-nlb-healthy-hosts-low',
        Namespace: 'AWS/NetworkELB',
        MetricName: 'HealthyHostCount',
        Dimensions: NLB_DIMENSIONS,
        Statistic: 'Minimum',
        Period: 60,
        Threshold: 2,
        ComparisonOperator: 'LessThanThreshold',
        EvaluationPeriods: 5,
        TreatMissingData: 'breaching',
      });
    });

    test.each([
      ['ecs-cpu-high', 'CPUUtilization'],
      ['ecs-memory-high', 'MemoryUtilization'],
    ])('%s: average AWS/ECS %s over 5 minutes > 80% for 3 periods', (kind, metricName) => {
      // THEN
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        AlarmName: `ItemsStack-Monitoring-${kind}`,
        Namespace: 'AWS/ECS',
        MetricName: metricName,
        Dimensions: ECS_DIMENSIONS,
        Statistic: 'Average',
        Period: 300,
        Threshold: 80,
        ComparisonOperator: 'GreaterThanThreshold',
        EvaluationPeriods: 3,
        TreatMissingData: 'notBreaching',
      });
    });

    test('ecs-running-tasks-low: Container Insights RunningTaskCount < desiredCount for 5 minutes, missing data breaching', () => {
      // THEN
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        AlarmName: 'ItemsStack-Monitoring-ecs-running-tasks-low',
        Namespace: 'ECS/ContainerInsights',
        MetricName: 'RunningTaskCount',
        Dimensions: ECS_DIMENSIONS,
        Statistic: 'Minimum',
        Period: 60,
        Threshold: 2,
        ComparisonOperator: 'LessThanThreshold',
        EvaluationPeriods: 5,
        TreatMissingData: 'breaching',
      });
    });

    test('exposes the deployment alarms and their literal names', () => {
      // THEN
      expect(monitoring.api5xxAlarm).toBeDefined();
      expect(monitoring.unhealthyHostsAlarm).toBeDefined();
      expect(monitoring.deploymentAlarmNames).toEqual([
        'ItemsStack-Monitoring-api-5xx-rate',
        'ItemsStack-Monitoring-nlb-unhealthy-hosts',
      ]);
      expect(monitoring.alarmName(ServiceAlarm.DB_CPU_HIGH)).toBe('ItemsStack-Monitoring-db-cpu-high');
    });

    test('creates no WAF, capacity or database alarms', () => {
      // THEN
      const names = Object.values(template.findResources('AWS::CloudWatch::Alarm')).map((r) => r.Properties.AlarmName);
      expect(names).toHaveLength(9);
      expect(names.filter((name: string) => /-(waf|asg|db)-/.test(name))).toEqual([]);
    });

    test('the dashboard has a header, the alarm status and the API, NLB and ECS widgets', () => {
      // THEN
      template.hasResourceProperties('AWS::CloudWatch::Dashboard', { DashboardName: 'ItemsStack-Monitoring' });
      const body = dashboardBody(template);
      expect(widgetTitles(body)).toEqual([
        'text',
        'ItemsStack-Monitoring: alarms',
        'API requests',
        'API errors',
        'API latency (ms)',
        'API integration latency (ms)',
        'NLB target health',
        'NLB flows',
        'ECS CPU and memory (%)',
        'ECS running tasks',
      ]);
      expect(widget(body, 'ItemsStack-Monitoring: alarms').properties.alarms).toHaveLength(9);
    });

    test('the latency widgets show p50, p90 and p99', () => {
      // THEN
      const body = dashboardBody(template);
      expect(widget(body, 'API latency (ms)').properties.metrics).toEqual(
        [50, 90, 99].map((n) => [
          'AWS/ApiGateway',
          'Latency',
          'ApiName',
          'items-api',
          'Stage',
          'prod',
          { label: `Latency p${n}`, stat: `p${n}` },
        ]),
      );
      expect(
        widget(body, 'API integration latency (ms)').properties.metrics.map((m: any[]) => m[m.length - 1].stat),
      ).toEqual(['p50', 'p90', 'p99']);
    });

    test('the errors widget shows 4XX and 5XX counts and both rates on the right axis', () => {
      // THEN
      const metrics: any[][] = widget(dashboardBody(template), 'API errors').properties.metrics;
      const expressions = metrics.filter((m) => m.length === 1).map((m) => m[0]);
      expect(expressions).toEqual([
        { label: '4XX error rate (%)', expression: 'IF(requests > 0, 100 * errors4xx / requests, 0)', yAxis: 'right' },
        { label: '5XX error rate (%)', expression: 'IF(requests > 0, 100 * errors5xx / requests, 0)', yAxis: 'right' },
      ]);
      expect(metrics.filter((m) => m.length > 1).map((m) => m[1])).toEqual(
        expect.arrayContaining(['4XXError', '5XXError', 'Count']),
      );
    });

    test('the NLB and ECS widgets mark the desired count', () => {
      // THEN
      const body = dashboardBody(template);
      for (const title of ['NLB target health', 'ECS running tasks']) {
        expect(widget(body, title).properties.annotations).toEqual({
          horizontal: [{ value: 2, label: 'Desired', yAxis: 'left' }],
        });
      }
      expect(widget(body, 'NLB target health').properties.metrics.map((m: any[]) => m[1])).toEqual([
        'HealthyHostCount',
        'UnHealthyHostCount',
      ]);
      expect(widget(body, 'ECS running tasks').properties.metrics[0].slice(0, 2)).toEqual([
        'ECS/ContainerInsights',
        'RunningTaskCount',
      ]);
    });
  });

  describe('with a web ACL, a capacity-provider ASG, an Aurora cluster and an e-mail', () => {
    let fixture: Fixture;
    let monitoring: ServiceMonitoring;
    let template: Template;
    beforeAll(() => {
      // GIVEN
      fixture = newFixture();
      const database = newDatabase(fixture);
      // WHEN
      monitoring = new ServiceMonitoring(fixture.stack, 'Monitoring', {
        ...fixture.wiring,
        webAcl: new GeoWebAcl(fixture.stack, 'WebAcl', {
          webAclName: 'items-web-acl',
          blockedCountries: ['NG'],
          captchaCountries: ['GH'],
        }),
        runbookUrl: RUNBOOK,
        autoScalingGroup: fixture.autoScalingGroup,
        autoScalingGroupMaxCapacity: 4,
        database,
        alarmEmail: 'oncall@example.com',
      });
      template = Template.fromStack(fixture.stack);
    });

    test('subscribes the e-mail to the new topic', () => {
      // THEN
      template.hasResourceProperties('AWS::SNS::Subscription', {
        Protocol: 'email',
        Endpoint: 'oncall@example.com',
        TopicArn: TOPIC_REF,
      });
    });

    test('creates seventeen alarms, all notifying the topic', () => {
      // THEN
      template.resourceCountIs('AWS::CloudWatch::Alarm', 17);
      expect(monitoring.alarms).toHaveLength(17);
      for (const kind of Object.values(ServiceAlarm)) {
        const props = alarmProps(template, `ItemsStack-Monitoring-${kind}`);
        expect(props.AlarmActions).toHaveLength(1);
        expect(props.OKActions).toHaveLength(1);
        expect(description(template, `ItemsStack-Monitoring-${kind}`)).toContain(`Runbook: ${RUNBOOK}#${kind}`);
      }
    });

    test.each([
      ['waf-blocked-spike', 'BlockedRequests', 'ALL', 1000],
      ['waf-captcha-spike', 'CaptchaRequests', 'CaptchaCountries', 500],
      ['waf-rate-limit-blocks', 'BlockedRequests', 'RateLimit', 100],
    ])('%s: Sum of %s for rule %s over 5 minutes > %d', (kind, metricName, rule, threshold) => {
      // THEN
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        AlarmName: `ItemsStack-Monitoring-${kind}`,
        Namespace: 'AWS/WAFV2',
        MetricName: metricName,
        Dimensions: WAF_DIMENSIONS(rule),
        Statistic: 'Sum',
        Period: 300,
        Threshold: threshold,
        ComparisonOperator: 'GreaterThanThreshold',
        EvaluationPeriods: 1,
        TreatMissingData: 'notBreaching',
        AlarmActions: [TOPIC_REF],
        OKActions: [TOPIC_REF],
      });
    });

    test('waf-captcha-spike names the rule in its description', () => {
      // THEN
      expect(description(template, 'ItemsStack-Monitoring-waf-captcha-spike')).toBe(
        "The WAF rule 'CaptchaCountries' answered more than 500 requests with a CAPTCHA in 5 minutes. " +
          'Look at: WAF sampled requests of the CAPTCHA rule (countries, IPs, user agents). ' +
          `Runbook: ${RUNBOOK}#waf-captcha-spike`,
      );
    });

    test('asg-capacity-at-max: max GroupInServiceInstances >= the maximum capacity for 3 periods', () => {
      // THEN
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        AlarmName: 'ItemsStack-Monitoring-asg-capacity-at-max',
        Namespace: 'AWS/AutoScaling',
        MetricName: 'GroupInServiceInstances',
        Dimensions: [{ Name: 'AutoScalingGroupName', Value: { Ref: Match.stringLikeRegexp('^AsgASG') } }],
        Statistic: 'Maximum',
        Period: 300,
        Threshold: 4,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        EvaluationPeriods: 3,
        TreatMissingData: 'notBreaching',
      });
      expect(description(template, 'ItemsStack-Monitoring-asg-capacity-at-max')).toBe(
        "The Auto Scaling group '${Ref:AsgASGD1D7B4E2}' has run at its maximum size for " +
          '15 minutes; new tasks may not be placed. Look at: aws ecs describe-services (unable to place task events) ' +
          `and the ASG activity history. Runbook: ${RUNBOOK}#asg-capacity-at-max`,
      );
    });

    test.each([
      ['db-cpu-high', 'CPUUtilization', 'Average', 80, 'GreaterThanThreshold'],
      ['db-freeable-memory-low', 'FreeableMemory', 'Minimum', 256 * 1024 * 1024, 'LessThanThreshold'],
      ['db-connections-high', 'DatabaseConnections', 'Maximum', 400, 'GreaterThanThreshold'],
      ['db-replica-lag-high', 'AuroraReplicaLagMaximum', 'Maximum', 2000, 'GreaterThanThreshold'],
    ])('%s: %s (%s over 5 minutes) against %d for 3 periods', (kind, metricName, statistic, threshold, operator) => {
      // THEN
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        AlarmName: `ItemsStack-Monitoring-${kind}`,
        Namespace: 'AWS/RDS',
        MetricName: metricName,
        Dimensions: DB_DIMENSIONS,
        Statistic: statistic,
        Period: 300,
        Threshold: threshold,
        ComparisonOperator: operator,
        EvaluationPeriods: 3,
        TreatMissingData: 'notBreaching',
        AlarmActions: [TOPIC_REF],
        OKActions: [TOPIC_REF],
      });
    });

    test('the dashboard adds WAF (web ACL and per rule), capacity and database widgets', () => {
      // THEN
      const body = dashboardBody(template);
      expect(widgetTitles(body).slice(10)).toEqual([
        'WAF requests (web ACL)',
        'WAF requests per rule',
        'Capacity provider instances',
        'Database CPU (%)',
        'Database freeable memory (bytes)',
        'Database connections and replica lag',
      ]);
      expect(widget(body, 'ItemsStack-Monitoring: alarms').properties.alarms).toHaveLength(17);
      expect(widget(body, 'WAF requests (web ACL)').properties.metrics).toEqual(
        [
          ['AllowedRequests', 'Allowed'],
          ['BlockedRequests', 'Blocked'],
          ['CaptchaRequests', 'CAPTCHA'],
        ].map(([metricName, label]) => [
          'AWS/WAFV2',
          metricName,
          'Region',
          'us-east-2',
          'Rule',
          'ALL',
          'WebACL',
          'items-web-acl',
          { label, stat: 'Sum' },
        ]),
      );
      expect(widget(body, 'WAF requests per rule').properties.metrics.map((m: any[]) => [m[1], m[5]])).toEqual([
        ['BlockedRequests', 'BlockedCountries'],
        ['CaptchaRequests', 'CaptchaCountries'],
        ['BlockedRequests', 'RateLimit'],
      ]);
      expect(
        widget(body, 'Database connections and replica lag').properties.metrics.map((m: any[]) => [m[0], m[1]]),
      ).toEqual([
        ['AWS/RDS', 'DatabaseConnections'],
        ['AWS/RDS', 'AuroraReplicaLagMaximum'],
      ]);
    });
  });

  describe('capacity alarm without a known maximum', () => {
    test('compares GroupInServiceInstances with GroupMaxSize through metric math', () => {
      // GIVEN
      const fixture = newFixture();
      // WHEN
      new ServiceMonitoring(fixture.stack, 'Monitoring', {
        ...fixture.wiring,
        autoScalingGroup: fixture.autoScalingGroup,
      });
      // THEN
      const asgMetric = (id: string, metricName: string) => ({
        Id: id,
        ReturnData: false,
        MetricStat: {
          Metric: {
            Namespace: 'AWS/AutoScaling',
            MetricName: metricName,
            Dimensions: [{ Name: 'AutoScalingGroupName', Value: { Ref: Match.stringLikeRegexp('^AsgASG') } }],
          },
          Period: 300,
          Stat: 'Maximum',
        },
      });
      Template.fromStack(fixture.stack).hasResourceProperties('AWS::CloudWatch::Alarm', {
        AlarmName: 'ItemsStack-Monitoring-asg-capacity-at-max',
        Metrics: [
          {
            Id: 'expr_1',
            Expression: 'inService - maxSize',
            Label: 'In-service instances minus max size',
            ReturnData: true,
          },
          asgMetric('inService', 'GroupInServiceInstances'),
          asgMetric('maxSize', 'GroupMaxSize'),
        ],
        Threshold: 0,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      });
    });
  });

  describe('bring your own topic', () => {
    test('uses the given topic for every alarm and subscribes the e-mail to it', () => {
      // GIVEN
      const fixture = newFixture();
      const topic = sns.Topic.fromTopicArn(fixture.stack, 'OnCall', 'arn:aws:sns:us-east-2:123456789012:on-call');
      // WHEN
      const monitoring = new ServiceMonitoring(fixture.stack, 'Monitoring', {
        ...fixture.wiring,
        alarmTopic: topic,
        alarmEmail: 'oncall@example.com',
      });
      // THEN
      const template = Template.fromStack(fixture.stack);
      expect(monitoring.alarmTopic).toBe(topic);
      template.resourceCountIs('AWS::SNS::Topic', 0);
      template.hasResourceProperties('AWS::SNS::Subscription', {
        Protocol: 'email',
        Endpoint: 'oncall@example.com',
        TopicArn: 'arn:aws:sns:us-east-2:123456789012:on-call',
      });
      template.allResourcesProperties('AWS::CloudWatch::Alarm', {
        AlarmActions: ['arn:aws:sns:us-east-2:123456789012:on-call'],
        OKActions: ['arn:aws:sns:us-east-2:123456789012:on-call'],
      });
    });
  });

  describe('options', () => {
    test('thresholds, the name prefix, the dashboard name and the runbook URL are configurable', () => {
      // GIVEN
      const fixture = newFixture();
      // WHEN
      new ServiceMonitoring(fixture.stack, 'Monitoring', {
        ...fixture.wiring,
        alarmNamePrefix: 'items-prod',
        dashboardName: 'items-prod-dashboard',
        runbookUrl: 'https://wiki.example.com/items',
        apiAlarms: {
          errors5xxRate: { critical: 2.5 },
          errors4xxRate: { critical: 25 },
          latencyP99: { critical: 3000 },
          integrationLatencyP99: { critical: 2500 },
        },
        serviceAlarms: { cpuUtilization: { critical: 70 }, memoryUtilization: { critical: 90 } },
      });
      // THEN
      const template = Template.fromStack(fixture.stack);
      template.hasResourceProperties('AWS::CloudWatch::Dashboard', { DashboardName: 'items-prod-dashboard' });
      const expected: Array<[string, number]> = [
        ['api-5xx-rate', 2.5],
        ['api-4xx-rate', 25],
        ['api-latency-p99', 3000],
        ['api-integration-latency-p99', 2500],
        ['ecs-cpu-high', 70],
        ['ecs-memory-high', 90],
      ];
      for (const [kind, threshold] of expected) {
        const props = alarmProps(template, `items-prod-${kind}`);
        expect(props.Threshold).toBe(threshold);
        expect(props.AlarmDescription).toMatch(new RegExp(`Runbook: https://wiki\\.example\\.com/items#${kind}$`));
      }
      expect(alarmProps(template, 'items-prod-api-5xx-rate').AlarmDescription).toMatch(/^More than 2\.5% of requests/);
    });

    test('the default prefix follows the construct path below the stack', () => {
      // GIVEN
      const fixture = newFixture('Items-Prod');
      // WHEN
      const monitoring = new ServiceMonitoring(fixture.cluster, 'Watch', fixture.wiring);
      // THEN
      expect(monitoring.alarmNamePrefix).toBe('Items-Prod-Cluster-Watch');
      Template.fromStack(fixture.stack).hasResourceProperties('AWS::CloudWatch::Dashboard', {
        DashboardName: 'Items-Prod-Cluster-Watch',
      });
    });

    test('disabling an alarm removes it, its accessor and its deployment alarm name', () => {
      // GIVEN
      const fixture = newFixture();
      // WHEN
      const monitoring = new ServiceMonitoring(fixture.stack, 'Monitoring', {
        ...fixture.wiring,
        disabledAlarms: [ServiceAlarm.API_5XX_RATE, ServiceAlarm.ECS_MEMORY_HIGH],
      });
      // THEN
      const template = Template.fromStack(fixture.stack);
      template.resourceCountIs('AWS::CloudWatch::Alarm', 7);
      expect(
        template.findResources('AWS::CloudWatch::Alarm', {
          Properties: { AlarmName: Match.stringLikeRegexp('api-5xx-rate|ecs-memory-high') },
        }),
      ).toEqual({});
      expect(monitoring.api5xxAlarm).toBeUndefined();
      expect(monitoring.unhealthyHostsAlarm).toBeDefined();
      expect(monitoring.deploymentAlarmNames).toEqual(['ItemsStack-Monitoring-nlb-unhealthy-hosts']);
    });

    test('disabling a WAF alarm keeps its dashboard widget', () => {
      // GIVEN
      const fixture = newFixture();
      // WHEN
      new ServiceMonitoring(fixture.stack, 'Monitoring', {
        ...fixture.wiring,
        webAcl: new GeoWebAcl(fixture.stack, 'WebAcl', {
          webAclName: 'items-web-acl',
          blockedCountries: ['NG'],
          captchaCountries: ['GH'],
        }),
        disabledAlarms: [ServiceAlarm.WAF_RATE_LIMIT_BLOCKS],
      });
      // THEN
      const template = Template.fromStack(fixture.stack);
      template.resourceCountIs('AWS::CloudWatch::Alarm', 11);
      expect(widgetTitles(dashboardBody(template))).toContain('WAF requests per rule');
    });

    test('enableAlarms: false creates no alarms and no alarm widget, but keeps the topic and dashboard', () => {
      // GIVEN
      const fixture = newFixture();
      // WHEN
      const monitoring = new ServiceMonitoring(fixture.stack, 'Monitoring', {
        ...fixture.wiring,
        enableAlarms: false,
        desiredCount: 0,
      });
      // THEN
      const template = Template.fromStack(fixture.stack);
      template.resourceCountIs('AWS::CloudWatch::Alarm', 0);
      template.resourceCountIs('AWS::SNS::Topic', 1);
      expect(monitoring.alarms).toEqual([]);
      expect(monitoring.api5xxAlarm).toBeUndefined();
      expect(monitoring.unhealthyHostsAlarm).toBeUndefined();
      expect(monitoring.deploymentAlarmNames).toEqual([]);
      expect(widgetTitles(dashboardBody(template))).not.toContain('ItemsStack-Monitoring: alarms');
    });

    test('enableDashboard: false creates no dashboard', () => {
      // GIVEN
      const fixture = newFixture();
      // WHEN
      const monitoring = new ServiceMonitoring(fixture.stack, 'Monitoring', {
        ...fixture.wiring,
        enableDashboard: false,
      });
      // THEN
      Template.fromStack(fixture.stack).resourceCountIs('AWS::CloudWatch::Dashboard', 0);
      expect(monitoring.dashboard).toBeUndefined();
    });
  });

  describe('construction order', () => {
    test('works with a target group that no listener uses yet', () => {
      // GIVEN
      const fixture = newFixture();
      const targetGroup = new elbv2.NetworkTargetGroup(fixture.stack, 'LaterTargetGroup', {
        vpc: fixture.vpc,
        port: 8080,
        targetType: elbv2.TargetType.IP,
      });
      // WHEN
      new ServiceMonitoring(fixture.stack, 'Monitoring', { ...fixture.wiring, targetGroup });
      fixture.loadBalancer.addListener('LaterListener', { port: 8080, defaultTargetGroups: [targetGroup] });
      // THEN
      Template.fromStack(fixture.stack).hasResourceProperties('AWS::CloudWatch::Alarm', {
        AlarmName: 'ItemsStack-Monitoring-nlb-unhealthy-hosts',
        Dimensions: [
          { Name: 'LoadBalancer', Value: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Nlb'), 'LoadBalancerFullName'] } },
          {
            Name: 'TargetGroup',
            Value: { 'Fn::GetAtt': [Match.stringLikeRegexp('^LaterTargetGroup'), 'TargetGroupFullName'] },
          },
        ],
      });
    });
  });

  describe('imported load balancer and target group', () => {
    test('the NLB alarms take their dimensions from the ARNs', () => {
      // GIVEN
      const fixture = newFixture();
      const loadBalancer = elbv2.NetworkLoadBalancer.fromNetworkLoadBalancerAttributes(fixture.stack, 'ImportedNlb', {
        loadBalancerArn:
          'arn:aws:elasticloadbalancing:us-east-2:123456789012:loadbalancer/net/items-nlb/50dc6c495c0c9188',
      });
      const targetGroup = elbv2.NetworkTargetGroup.fromTargetGroupAttributes(fixture.stack, 'ImportedTg', {
        targetGroupArn: 'arn:aws:elasticloadbalancing:us-east-2:123456789012:targetgroup/items-tg/73e2d6bc24d8a067',
        loadBalancerArns: loadBalancer.loadBalancerArn,
      });
      // WHEN
      new ServiceMonitoring(fixture.stack, 'Monitoring', { ...fixture.wiring, loadBalancer, targetGroup });
      // THEN
      Template.fromStack(fixture.stack).hasResourceProperties('AWS::CloudWatch::Alarm', {
        AlarmName: 'ItemsStack-Monitoring-nlb-healthy-hosts-low',
        Dimensions: [
          { Name: 'LoadBalancer', Value: 'net/items-nlb/50dc6c495c0c9188' },
          { Name: 'TargetGroup', Value: 'targetgroup/items-tg/73e2d6bc24d8a067' },
        ],
      });
    });
  });

  describe('ECS deployment alarms', () => {
    test('the literal deployment alarm names wire into the service without a dependency cycle', () => {
      // GIVEN
      const fixture = newFixture();
      const monitoring = new ServiceMonitoring(fixture.stack, 'Monitoring', fixture.wiring);
      // WHEN
      fixture.service.enableDeploymentAlarms(monitoring.deploymentAlarmNames);
      // THEN
      const template = Template.fromStack(fixture.stack);
      template.hasResourceProperties('AWS::ECS::Service', {
        DeploymentConfiguration: Match.objectLike({
          Alarms: {
            AlarmNames: ['ItemsStack-Monitoring-api-5xx-rate', 'ItemsStack-Monitoring-nlb-unhealthy-hosts'],
            Enable: true,
            Rollback: true,
          },
        }),
      });
    });
  });

  describe('metric factories', () => {
    test('WAF metrics default to the whole web ACL and accept a rule', () => {
      // GIVEN
      const fixture = newFixture();
      const monitoring = new ServiceMonitoring(fixture.stack, 'Monitoring', {
        ...fixture.wiring,
        webAcl: new GeoWebAcl(fixture.stack, 'WebAcl', {
          webAclName: 'items-web-acl',
          blockedCountries: ['NG'],
          captchaCountries: ['GH'],
        }),
      });
      // WHEN
      const metrics = monitoring.webAclMonitoring!.metrics;
      const blocked = metrics.metricBlockedRequests();
      const captcha = metrics.metricCaptchaRequests('CaptchaCountries');
      // THEN
      expect(blocked.namespace).toBe('AWS/WAFV2');
      expect(blocked.metricName).toBe('BlockedRequests');
      expect(blocked.dimensions).toEqual({ WebACL: 'items-web-acl', Region: 'us-east-2', Rule: 'ALL' });
      expect(captcha.metricName).toBe('CaptchaRequests');
      expect(captcha.dimensions).toEqual({ WebACL: 'items-web-acl', Region: 'us-east-2', Rule: 'CaptchaCountries' });
      expect(captcha.statistic).toBe('Sum');
      expect(metrics.metricAllowedRequests().metricName).toBe('AllowedRequests');
    });

    test('the segments expose the alarmed metrics with overridable options', () => {
      // GIVEN
      const fixture = newFixture();
      const monitoring = new ServiceMonitoring(fixture.stack, 'Monitoring', fixture.wiring);
      // WHEN
      const api = monitoring.apiMonitoring!.metrics;
      const nlb = monitoring.loadBalancerMonitoring!.metrics;
      const ecs = monitoring.ecsServiceMonitoring.metrics;
      const requests = api.metricRequests();
      const latency = api.metricLatency({ statistic: 'p95' });
      // THEN
      expect([requests.namespace, requests.metricName, requests.statistic]).toEqual(['AWS/ApiGateway', 'Count', 'Sum']);
      expect(requests.period.toMinutes()).toBe(5);
      expect(latency.statistic).toBe('p95');
      expect(api.metric5xx().metricName).toBe('5XXError');
      expect(api.metric4xx().metricName).toBe('4XXError');
      expect(api.metricIntegrationLatency().metricName).toBe('IntegrationLatency');
      expect(nlb.metricHealthyHosts().metricName).toBe('HealthyHostCount');
      expect(nlb.metricUnhealthyHosts().metricName).toBe('UnHealthyHostCount');
      expect(ecs.metricCpuUtilization().metricName).toBe('CPUUtilization');
      expect(ecs.metricMemoryUtilization().metricName).toBe('MemoryUtilization');
      expect(ecs.metricRunningTasks().namespace).toBe('ECS/ContainerInsights');
      expect(api.metric5xxRate().expression).toBe('IF(requests > 0, 100 * errors5xx / requests, 0)');
    });
  });

  describe('validation', () => {
    const cases: Array<[string, Partial<ServiceMonitoringProps>, string]> = [
      [
        'a 5XX rate above 100',
        { apiAlarms: { errors5xxRate: { critical: 150 } } },
        '`errors5xxRate.critical` must be between 0 and 100, got: 150.',
      ],
      [
        'a negative 4XX rate',
        { apiAlarms: { errors4xxRate: { warning: -1 } } },
        '`errors4xxRate.warning` must be between 0 and 100, got: -1.',
      ],
      [
        'a CPU threshold above 100',
        { serviceAlarms: { cpuUtilization: { critical: 101 } } },
        '`cpuUtilization.critical` must be between 0 and 100, got: 101.',
      ],
      [
        'a memory threshold above 100',
        { serviceAlarms: { memoryUtilization: { critical: 200 } } },
        '`memoryUtilization.critical` must be between 0 and 100, got: 200.',
      ],
      [
        'a negative latency',
        { apiAlarms: { latencyP99: { critical: -5 } } },
        '`latencyP99.critical` must be 0 or greater, got: -5.',
      ],
      [
        'a negative integration latency',
        { apiAlarms: { integrationLatencyP99: { critical: -1 } } },
        '`integrationLatencyP99.critical` must be 0 or greater, got: -1.',
      ],
      [
        'a zero ASG maximum',
        { autoScalingGroup: newFixture('Other').autoScalingGroup, autoScalingGroupMaxCapacity: 0 },
        '`maxCapacity` must be a whole number of at least 1, got: 0.',
      ],
      [
        'an e-mail without @',
        { alarmEmail: 'oncall.example.com' },
        "`alarmEmail` must be an e-mail address such as oncall@example.com, got: 'oncall.example.com'.",
      ],
      [
        'an e-mail with a space',
        { alarmEmail: 'on call@example.com' },
        "`alarmEmail` must be an e-mail address such as oncall@example.com, got: 'on call@example.com'.",
      ],
      [
        'a negative desired count',
        { desiredCount: -1 },
        '`desiredCount` must be a whole number of at least 0, got: -1.',
      ],
      [
        'a fractional desired count',
        { desiredCount: 1.5 },
        '`desiredCount` must be a whole number of at least 0, got: 1.5.',
      ],
      [
        'an alarm-name prefix with a space',
        { alarmNamePrefix: 'items prod' },
        "`alarmNamePrefix` must be 1 to 200 letters, digits, dots, dashes or underscores, got: 'items prod'.",
      ],
      [
        'an empty alarm-name prefix',
        { alarmNamePrefix: '' },
        "`alarmNamePrefix` must be 1 to 200 letters, digits, dots, dashes or underscores, got: ''.",
      ],
      [
        'a dashboard name with a dot',
        { dashboardName: 'items.prod' },
        "`dashboardName` must be 1 to 255 letters, digits, dashes or underscores, got: 'items.prod'.",
      ],
    ];

    test('rejects a load balancer without its target group', () => {
      // GIVEN
      const fixture = newFixture();
      // WHEN / THEN
      expect(
        () =>
          new ServiceMonitoring(fixture.stack, 'Monitoring', {
            ...fixture.wiring,
            targetGroup: undefined,
          }),
      ).toThrow(
        '`loadBalancer` and `targetGroup` must be given together, got: `loadBalancer` set, `targetGroup` undefined.',
      );
    });

    test.each(cases)('rejects %s', (_name, overrides, message) => {
      // GIVEN
      const fixture = newFixture();
      // WHEN / THEN
      expect(() => new ServiceMonitoring(fixture.stack, 'Monitoring', { ...fixture.wiring, ...overrides })).toThrow(
        message,
      );
    });

    test('accepts the inclusive bounds 0 and 100', () => {
      // GIVEN
      const fixture = newFixture();
      // WHEN
      new ServiceMonitoring(fixture.stack, 'Monitoring', {
        ...fixture.wiring,
        apiAlarms: {
          errors5xxRate: { critical: 0 },
          errors4xxRate: { critical: 100 },
          latencyP99: { critical: 0 },
        },
      });
      // THEN
      const template = Template.fromStack(fixture.stack);
      expect(alarmProps(template, 'ItemsStack-Monitoring-api-5xx-rate').Threshold).toBe(0);
      expect(alarmProps(template, 'ItemsStack-Monitoring-api-4xx-rate').Threshold).toBe(100);
    });

    test('a desired count of 0 (scaled to zero) creates no below-desired alarms and keeps the others', () => {
      // GIVEN
      const fixture = newFixture();
      // WHEN
      const monitoring = new ServiceMonitoring(fixture.stack, 'Monitoring', { ...fixture.wiring, desiredCount: 0 });
      // THEN
      const names = monitoring.alarms.map((a) => (a.node.defaultChild as cloudwatch.CfnAlarm).alarmName);
      expect(names).not.toContain(monitoring.alarmName(ServiceAlarm.NLB_HEALTHY_HOSTS_LOW));
      expect(names).not.toContain(monitoring.alarmName(ServiceAlarm.ECS_RUNNING_TASKS_LOW));
      expect(names).toContain(monitoring.alarmName(ServiceAlarm.NLB_UNHEALTHY_HOSTS));
      expect(monitoring.deploymentAlarmNames).toHaveLength(2);
    });
  });
});
