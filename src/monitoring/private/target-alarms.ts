import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { SegmentAlarms } from './segment-alarms';
import { ThresholdRange } from './validation';
import { AlarmThreshold } from '../segment';

const ONE_MINUTE = Duration.minutes(1);

/** What differs between the alarms on a count that must not fall below the desired count. */
export interface BelowDesiredAlarmOptions {
  /** The prop that holds the threshold record (for example `runningTasksLow`). */
  readonly prop: string;
  /** The user's threshold record. */
  readonly threshold?: AlarmThreshold;
  /** What broke, in one sentence, for a threshold and a window such as `for 5 minutes`. */
  readonly summary: (threshold: number, window: string) => string;
  /** Where to look first. */
  readonly lookAt: string;
}

/**
 * The alarm on a per-minute count (running tasks, healthy targets) below the desired count: critical below
 * `desiredCount` for 5 consecutive minutes by default, missing data breaching. A desired count of 0 (or none) has no
 * floor, so no alarm is created.
 */
export function addBelowDesiredAlarm(
  alarms: SegmentAlarms,
  kind: string,
  metric: cloudwatch.IMetric,
  desiredCount: number | undefined,
  options: BelowDesiredAlarmOptions,
): void {
  if (desiredCount === undefined || desiredCount <= 0) {
    return;
  }
  alarms.add(kind, metric, {
    ...options,
    defaultCritical: desiredCount,
    range: ThresholdRange.NON_NEGATIVE,
    comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
    defaultEvaluationPeriods: 5,
    treatMissingData: cloudwatch.TreatMissingData.BREACHING,
    period: ONE_MINUTE,
  });
}

/**
 * The alarm on a target group's unhealthy targets (Maximum per minute): critical above 0 in 2 of 3 minutes by
 * default, missing data not breaching.
 *
 * @param loadBalancer how the description names the load balancer, e.g. `NLB`
 */
export function addUnhealthyHostsAlarm(
  alarms: SegmentAlarms,
  kind: string,
  metric: cloudwatch.IMetric,
  threshold: AlarmThreshold | undefined,
  loadBalancer: string,
): void {
  alarms.add(kind, metric, {
    prop: 'unhealthyHosts',
    threshold,
    defaultCritical: 0,
    range: ThresholdRange.NON_NEGATIVE,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
    defaultEvaluationPeriods: 3,
    defaultDatapointsToAlarm: 2,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    period: ONE_MINUTE,
    summary: (t, w) => `The ${loadBalancer} target group has had more than ${t} unhealthy targets ${w}.`,
    lookAt: 'aws elbv2 describe-target-health, the stopped tasks of the ECS service and the service logs',
  });
}

/** The desired count as a horizontal annotation of a graph, when it is known. */
export function desiredCountAnnotation(
  desiredCount: number | undefined,
): cloudwatch.HorizontalAnnotation[] | undefined {
  return desiredCount !== undefined ? [{ value: desiredCount, label: 'Desired' }] : undefined;
}
