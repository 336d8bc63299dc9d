import { Template } from 'aws-cdk-lib/assertions';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as sns from 'aws-cdk-lib/aws-sns';
import { AwsSolutionsChecks } from 'cdk-nag';
import { Fixture, newFixture, renderCfnString } from './fixture';
import { ApiMonitoring, MonitoringFacade, ServiceMonitoring, WebAclMonitoring } from '../../src/monitoring';
import { GeoWebAcl } from '../../src/waf';

const RUNBOOK = 'https://github.com/gtuc/items/blob/main/docs/operations.md';

/** A second service behind the fixture's NLB (its own listener and target group). */
function secondService(f: Fixture): { service: ecs.Ec2Service; targetGroup: elbv2.NetworkTargetGroup } {
  const taskDefinition = new ecs.Ec2TaskDefinition(f.stack, 'OrdersTaskDef');
  taskDefinition.addContainer('app', {
    image: ecs.ContainerImage.fromRegistry('public.ecr.aws/nginx/nginx:latest'),
    memoryLimitMiB: 256,
    portMappings: [{ containerPort: 8080 }],
  });
  const service = new ecs.Ec2Service(f.stack, 'Orders', { cluster: f.cluster, taskDefinition, desiredCount: 1 });
  const targetGroup = new elbv2.NetworkTargetGroup(f.stack, 'OrdersTargets', {
    vpc: f.vpc,
    port: 8080,
    targetType: elbv2.TargetType.INSTANCE,
    targets: [service],
  });
  f.loadBalancer.addListener('Orders', { port: 81, defaultTargetGroups: [targetGroup] });
  return { service, targetGroup };
}

interface Shared {
  readonly f: Fixture;
  readonly facade: MonitoringFacade;
  readonly items: ServiceMonitoring;
  readonly orders: ServiceMonitoring;
  readonly template: Template;
}

function shared(): Shared {
  const f = newFixture();
  const webAcl = new GeoWebAcl(f.stack, 'WebAcl', {
    webAclName: 'items-web-acl',
    blockedCountries: ['NG'],
    captchaCountries: ['GH'],
  });
  const orders2 = secondService(f);
  const facade = new MonitoringFacade(f.stack, 'Monitoring', {
    alarmEmail: 'oncall@example.com',
    runbookUrl: RUNBOOK,
    dashboardName: 'front-door',
    disabledAlarms: ['api-4xx-rate', 'ecs-memory-high'],
  });
  const frontDoor = new ApiMonitoring(f.stack, 'FrontDoor', { stage: f.stage, facade, alarmNamePrefix: 'front' });
  const waf = new WebAclMonitoring(f.stack, 'Waf', { webAcl, facade, alarmNamePrefix: 'front' });
  facade.addRow('Front door', [frontDoor, waf]);
  const items = new ServiceMonitoring(f.stack, 'ItemsMonitoring', {
    facade,
    alarmNamePrefix: 'items',
    service: f.service,
    desiredCount: 2,
    loadBalancer: f.loadBalancer,
    targetGroup: f.targetGroup,
  });
  const orders = new ServiceMonitoring(f.stack, 'OrdersMonitoring', {
    facade,
    alarmNamePrefix: 'orders',
    service: orders2.service,
    desiredCount: 1,
    loadBalancer: f.loadBalancer,
    targetGroup: orders2.targetGroup,
  });
  return { f, facade, items, orders, template: Template.fromStack(f.stack) };
}

function dashboardBody(template: Template): any {
  const dashboards = Object.values(template.findResources('AWS::CloudWatch::Dashboard'));
  expect(dashboards).toHaveLength(1);
  return JSON.parse(renderCfnString(dashboards[0].Properties.DashboardBody));
}

describe('MonitoringFacade', () => {
  describe('two services sharing one front door', () => {
    let s: Shared;
    beforeAll(() => {
      s = shared();
    });

    test('THEN one topic with one e-mail subscription receives every alarm', () => {
      s.template.resourceCountIs('AWS::SNS::Topic', 1);
      s.template.resourceCountIs('AWS::SNS::Subscription', 1);
      s.template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'oncall@example.com' });
      expect(s.items.alarmTopic).toBe(s.facade.alarmTopic);
      expect(s.orders.alarmTopic).toBe(s.facade.alarmTopic);
      const alarms = Object.values(s.template.findResources('AWS::CloudWatch::Alarm'));
      expect(alarms.length).toBeGreaterThan(0);
      for (const alarm of alarms) {
        expect(alarm.Properties.AlarmActions).toEqual([{ Ref: expect.stringMatching(/^MonitoringAlarmTopic/) }]);
        expect(alarm.Properties.AlarmDescription).toMatch(new RegExp(`Runbook: ${RUNBOOK}#[a-z0-9-]+$`));
      }
    });

    test('THEN the front door and WAF alarms exist once, and each service has its own', () => {
      const names = Object.values(s.template.findResources('AWS::CloudWatch::Alarm'))
        .map((a) => a.Properties.AlarmName as string)
        .sort();
      expect(names).toEqual(
        [
          'front-api-5xx-rate',
          'front-api-latency-p99',
          'front-api-integration-latency-p99',
          'front-waf-blocked-spike',
          'front-waf-captcha-spike',
          'front-waf-rate-limit-blocks',
          'items-nlb-unhealthy-hosts',
          'items-nlb-healthy-hosts-low',
          'items-ecs-cpu-high',
          'items-ecs-running-tasks-low',
          'orders-nlb-unhealthy-hosts',
          'orders-nlb-healthy-hosts-low',
          'orders-ecs-cpu-high',
          'orders-ecs-running-tasks-low',
        ].sort(),
      );
    });

    test("THEN each service's deployment alarms are its own (not the shared API's)", () => {
      expect(s.items.deploymentAlarmNames).toEqual(['items-nlb-unhealthy-hosts']);
      expect(s.orders.deploymentAlarmNames).toEqual(['orders-nlb-unhealthy-hosts']);
    });

    test('THEN one dashboard has a row for the front door and one per service', () => {
      s.template.hasResourceProperties('AWS::CloudWatch::Dashboard', { DashboardName: 'front-door' });
      const body = dashboardBody(s.template);
      const headings = body.widgets.filter((w: any) => w.type === 'text').map((w: any) => w.properties.markdown);
      expect(headings).toEqual(['## Front door', `## items\nRunbook: ${RUNBOOK}`, `## orders\nRunbook: ${RUNBOOK}`]);
      const titles = body.widgets.map((w: any) => w.properties.title).filter(Boolean);
      expect(titles.filter((t: string) => t === 'API requests')).toHaveLength(1);
      expect(titles.filter((t: string) => t === 'WAF requests (web ACL)')).toHaveLength(1);
      expect(titles.filter((t: string) => t === 'ECS running tasks')).toHaveLength(2);
      expect(titles.filter((t: string) => t === 'NLB target health')).toHaveLength(2);
      expect(titles).toContain('Front door: alarms');
      expect(titles).toContain('items: alarms');
      expect(titles).toContain('orders: alarms');
      // The rows follow one another; no widget overlaps another.
      const frontRowY = body.widgets.find((w: any) => w.properties.markdown === '## Front door').y;
      const ordersRowY = body.widgets.find((w: any) => w.properties.markdown?.startsWith('## orders')).y;
      expect(ordersRowY).toBeGreaterThan(frontRowY);
      expect(s.items.dashboard).toBe(s.facade.dashboard);
    });

    test('THEN cdk-nag AwsSolutions finds nothing in the monitoring constructs', () => {
      s.f.app.synth();
      const report = new AwsSolutionsChecks(s.f.app).validateScope(s.f.stack);
      const monitoringPaths = /\/(Monitoring|FrontDoor|Waf|ItemsMonitoring|OrdersMonitoring)\//;
      const findings = report.violations.flatMap((v) =>
        v.violatingResources
          .filter((r) => monitoringPaths.test(`${r.constructPath}/`))
          .map((r) => `${v.ruleName} @ ${r.constructPath}`),
      );
      expect(findings).toEqual([]);
    });
  });

  test('GIVEN a service without a facade THEN it keeps its own topic and dashboard', () => {
    // GIVEN
    const f = newFixture();
    const orders = secondService(f);
    const facade = new MonitoringFacade(f.stack, 'Monitoring');
    // WHEN
    new ServiceMonitoring(f.stack, 'ItemsMonitoring', { ...f.wiring, facade, alarmNamePrefix: 'items' });
    const alone = new ServiceMonitoring(f.stack, 'OrdersMonitoring', {
      service: orders.service,
      desiredCount: 1,
      alarmNamePrefix: 'orders',
    });
    // THEN
    const template = Template.fromStack(f.stack);
    template.resourceCountIs('AWS::SNS::Topic', 2);
    template.resourceCountIs('AWS::CloudWatch::Dashboard', 2);
    template.hasResourceProperties('AWS::CloudWatch::Dashboard', { DashboardName: 'orders' });
    expect(alone.alarmTopic).toBeInstanceOf(sns.Topic);
    expect(alone.alarmTopic).not.toBe(facade.alarmTopic);
  });

  test('GIVEN enableAlarms false and no dashboard THEN the facade silences its segments', () => {
    // GIVEN
    const f = newFixture();
    const facade = new MonitoringFacade(f.stack, 'Monitoring', { enableAlarms: false, enableDashboard: false });
    // WHEN
    const items = new ServiceMonitoring(f.stack, 'ItemsMonitoring', { ...f.wiring, facade });
    facade.addRow('nothing', items.segments);
    // THEN
    const template = Template.fromStack(f.stack);
    template.resourceCountIs('AWS::CloudWatch::Alarm', 0);
    template.resourceCountIs('AWS::CloudWatch::Dashboard', 0);
    expect(items.dashboard).toBeUndefined();
  });

  test.each([
    [
      'an unknown disabled alarm',
      { disabledAlarms: ['api-5xx'] },
      "`disabledAlarms` must name alarms among api-5xx-rate, api-4xx-rate, api-latency-p99, api-integration-latency-p99, nlb-unhealthy-hosts, nlb-healthy-hosts-low, alb-5xx-count, alb-5xx-rate, alb-target-response-time-p99, alb-unhealthy-hosts, ecs-cpu-high, ecs-memory-high, ecs-running-tasks-low, asg-capacity-at-max, waf-blocked-spike, waf-captcha-spike, waf-rate-limit-blocks, db-cpu-high, db-freeable-memory-low, db-connections-high, db-replica-lag-high, got: 'api-5xx'.",
    ],
    [
      'a relative runbook URL',
      { runbookUrl: 'docs/operations.md' },
      "`runbookUrl` must be an absolute https:// URL without a #fragment (the alarm's anchor is appended), got: 'docs/operations.md'.",
    ],
    [
      'a bad e-mail',
      { alarmEmail: 'oncall' },
      "`alarmEmail` must be an e-mail address such as oncall@example.com, got: 'oncall'.",
    ],
    [
      'a dashboard name with a space',
      { dashboardName: 'front door' },
      "`dashboardName` must be 1 to 255 letters, digits, dashes or underscores, got: 'front door'.",
    ],
  ])('GIVEN %s THEN the facade rejects it', (_name, props, message) => {
    const f = newFixture();
    expect(() => new MonitoringFacade(f.stack, 'Monitoring', props)).toThrow(message);
  });

  test('GIVEN an unknown name in a ServiceMonitoring disabled list THEN synth fails', () => {
    const f = newFixture();
    expect(
      () => new ServiceMonitoring(f.stack, 'ItemsMonitoring', { ...f.wiring, disabledAlarms: ['ecs-cpu'] }),
    ).toThrow(/^`disabledAlarms` must name alarms among api-5xx-rate, .*, got: 'ecs-cpu'\.$/);
  });
});
