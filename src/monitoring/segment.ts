import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as sns from 'aws-cdk-lib/aws-sns';
import { IConstruct } from 'constructs';
import type { MonitoringFacade } from './monitoring-facade';

/**
 * The threshold record of one alarm: a critical threshold, an optional warning threshold and how many periods count.
 *
 * The critical alarm is named `<alarmNamePrefix>-<alarm>`; the warning alarm, created only when `warning` is set,
 * `<alarmNamePrefix>-<alarm>-warning`. Both share the metric, the comparison and the evaluation settings.
 */
export interface AlarmThreshold {
  /**
   * The threshold of the critical alarm.
   *
   * @default - the alarm's documented default
   */
  readonly critical?: number;

  /**
   * The threshold of a warning alarm, which notifies `warningAlarmTopic`.
   *
   * @default - no warning alarm
   */
  readonly warning?: number;

  /**
   * The number of periods over which the metric is compared with the threshold.
   *
   * @default - the alarm's documented default
   */
  readonly evaluationPeriods?: number;

  /**
   * How many of the evaluated periods must breach for the alarm to fire (1 to `evaluationPeriods`).
   *
   * @default - the alarm's documented default (all evaluated periods unless stated otherwise)
   */
  readonly datapointsToAlarm?: number;
}

/**
 * Where a segment's alarms go, what they are called and which ones to leave out; shared by every segment.
 */
export interface MonitoringSegmentOptions {
  /**
   * A facade whose alarm topic, warning topic, runbook URL, disabled-alarms list and `enableAlarms` this segment takes
   * as defaults. The segment does not place itself on the facade's dashboard: call `facade.addRow()` for that.
   *
   * @default - the segment stands alone
   */
  readonly facade?: MonitoringFacade;

  /**
   * The SNS topic that receives the critical alarms' ALARM and OK notifications.
   *
   * @default - the facade's topic, otherwise no alarm actions
   */
  readonly alarmTopic?: sns.ITopic;

  /**
   * The SNS topic that receives the warning alarms' ALARM and OK notifications.
   *
   * @default - the facade's warning topic, otherwise `alarmTopic`
   */
  readonly warningAlarmTopic?: sns.ITopic;

  /**
   * The prefix of every alarm name; alarms are named `<prefix>-<alarm>` (letters, digits, `.`, `-` and `_`).
   *
   * @default - the stack name followed by the construct path below the stack, joined with `-`
   */
  readonly alarmNamePrefix?: string;

  /**
   * The absolute `https://` URL of the runbook page; alarm descriptions link to `<runbookUrl>#<alarm>`.
   *
   * @default - the facade's runbook URL, otherwise no runbook link
   */
  readonly runbookUrl?: string;

  /**
   * Alarms not to create, by name (for example `'api-4xx-rate'`); a name that is not an alarm of this segment is a
   * synth-time error. Disabling an alarm also drops its warning alarm.
   *
   * @default - every alarm whose inputs are available is created
   */
  readonly disabledAlarms?: string[];

  /**
   * Create the alarms.
   *
   * @default - the facade's setting, otherwise true
   */
  readonly enableAlarms?: boolean;
}

/**
 * A monitoring segment: the alarms and dashboard widgets of one part (API, load balancer, ECS service, …).
 */
export interface IMonitoringSegment extends IConstruct {
  /**
   * A short title of what the segment watches, for dashboard headings.
   */
  readonly title: string;

  /**
   * Every alarm the segment created (critical and warning).
   */
  readonly alarms: cloudwatch.Alarm[];

  /**
   * The literal names of the segment's alarms that should roll back an ECS deployment of the service behind it.
   */
  readonly deploymentAlarmNames: string[];

  /**
   * The segment's dashboard widgets (graphs), to place on any dashboard.
   */
  widgets(): cloudwatch.IWidget[];
}
