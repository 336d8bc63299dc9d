import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { ALL_ALARMS, addDashboardRow } from './private/dashboard';
import { defaultAlarmNamePrefix, sanitizeName } from './private/names';
import { validateDashboardName, validateDisabledAlarms, validateEmail, validateRunbookUrl } from './private/validation';
import { IMonitoringSegment } from './segment';

/**
 * Properties of a `MonitoringFacade`.
 */
export interface MonitoringFacadeProps {
  /**
   * The SNS topic that every segment's critical alarms notify (ALARM and OK).
   *
   * @default - a new topic is created
   */
  readonly alarmTopic?: sns.ITopic;

  /**
   * The SNS topic that the warning alarms notify.
   *
   * @default - `alarmTopic`
   */
  readonly warningAlarmTopic?: sns.ITopic;

  /**
   * An e-mail address subscribed to the alarm topic (also when you pass your own `alarmTopic`).
   *
   * @default - no e-mail subscription
   */
  readonly alarmEmail?: string;

  /**
   * The absolute `https://` URL of the runbook page; alarm descriptions link to `<runbookUrl>#<alarm>`.
   *
   * @default - no runbook link
   */
  readonly runbookUrl?: string;

  /**
   * Alarms not to create in any segment that uses this facade, by name (for example `'api-4xx-rate'`); a name that
   * is no segment's alarm is a synth-time error.
   *
   * @default - every alarm is created
   */
  readonly disabledAlarms?: string[];

  /**
   * Create the alarms of the segments that use this facade.
   *
   * @default true
   */
  readonly enableAlarms?: boolean;

  /**
   * Create the shared dashboard.
   *
   * @default true
   */
  readonly enableDashboard?: boolean;

  /**
   * The name of the dashboard (letters, digits, `-` and `_`).
   *
   * @default - the stack name followed by the construct path below the stack, joined with `-`
   */
  readonly dashboardName?: string;
}

/**
 * One alarm topic and one dashboard shared by many segments: a row per service, the shared front door and WAF once.
 *
 * Segments (and `ServiceMonitoring`s) given `facade` take its topic, runbook URL, disabled-alarms list and
 * `enableAlarms`; `addRow()` places segments on the dashboard under a heading.
 *
 * @example
 * import * as apigateway from 'aws-cdk-lib/aws-apigateway';
 * import * as ecs from 'aws-cdk-lib/aws-ecs';
 * import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
 * import { ApiMonitoring, GeoWebAcl, MonitoringFacade, ServiceMonitoring, WebAclMonitoring } from '@gtuc/cdk-privatelink-ecs';
 *
 * declare const api: apigateway.RestApi;
 * declare const webAcl: GeoWebAcl;
 * declare const orders: ecs.Ec2Service;
 * declare const ordersLoadBalancer: elbv2.NetworkLoadBalancer;
 * declare const ordersTargetGroup: elbv2.NetworkTargetGroup;
 *
 * const facade = new MonitoringFacade(this, 'Monitoring', {
 *   alarmEmail: 'oncall@example.com',
 *   runbookUrl: 'https://github.com/example/items/blob/main/docs/operations.md',
 * });
 * const frontDoor = new ApiMonitoring(this, 'FrontDoor', { stage: api.deploymentStage, facade });
 * const waf = new WebAclMonitoring(this, 'Waf', { webAcl, facade });
 * facade.addRow('Front door', [frontDoor, waf]);
 * new ServiceMonitoring(this, 'Orders', {
 *   facade,
 *   service: orders,
 *   desiredCount: 2,
 *   loadBalancer: ordersLoadBalancer,
 *   targetGroup: ordersTargetGroup,
 * });
 */
export class MonitoringFacade extends Construct {
  /** The topic of the critical alarms. */
  public readonly alarmTopic: sns.ITopic;
  /** The topic of the warning alarms. */
  public readonly warningAlarmTopic: sns.ITopic;
  /**
   * The runbook URL of the alarm descriptions.
   *
   * @default - undefined when no runbook URL was given
   */
  public readonly runbookUrl?: string;
  /** The alarms no segment of this facade creates. */
  public readonly disabledAlarms: string[];
  /** Whether the segments of this facade create alarms. */
  public readonly enableAlarms: boolean;
  /**
   * The shared dashboard.
   *
   * @default - undefined when `enableDashboard` is false
   */
  public readonly dashboard?: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: MonitoringFacadeProps = {}) {
    super(scope, id);
    const dashboardName = props.dashboardName ?? sanitizeName(defaultAlarmNamePrefix(this));
    validateRunbookUrl('runbookUrl', props.runbookUrl);
    validateDisabledAlarms('disabledAlarms', props.disabledAlarms, ALL_ALARMS);
    validateEmail('alarmEmail', props.alarmEmail);
    validateDashboardName(dashboardName);

    this.runbookUrl = props.runbookUrl;
    this.disabledAlarms = props.disabledAlarms ?? [];
    this.enableAlarms = props.enableAlarms ?? true;
    this.alarmTopic =
      props.alarmTopic ?? new sns.Topic(this, 'AlarmTopic', { displayName: 'Service alarms', enforceSSL: true });
    this.warningAlarmTopic = props.warningAlarmTopic ?? this.alarmTopic;
    if (props.alarmEmail !== undefined) {
      new sns.Subscription(this, 'AlarmEmail', {
        topic: this.alarmTopic,
        protocol: sns.SubscriptionProtocol.EMAIL,
        endpoint: props.alarmEmail,
      });
    }
    if (props.enableDashboard ?? true) {
      this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', { dashboardName });
    }
  }

  /**
   * Adds a row to the shared dashboard: a heading, the status of the segments' alarms and their widgets.
   * Does nothing when the dashboard is disabled.
   *
   * @param title the heading of the row (for example the service's name)
   * @param segments the segments of the row, in order
   * @param description a line of markdown below the heading
   */
  public addRow(title: string, segments: IMonitoringSegment[], description?: string): void {
    if (this.dashboard !== undefined) {
      addDashboardRow(this.dashboard, title, segments, description);
    }
  }
}
