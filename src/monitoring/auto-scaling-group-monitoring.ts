import { Duration } from 'aws-cdk-lib';
import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { AutoScalingGroupAlarm } from './alarms';
import { SegmentAlarms } from './private/segment-alarms';
import { ThresholdRange, validateSameRegion, validateWholeNumberAtLeast } from './private/validation';
import { AlarmThreshold, IMonitoringSegment, MonitoringSegmentOptions } from './segment';

const FIVE_MINUTES = Duration.minutes(5);

/**
 * The group metrics of an Auto Scaling group (`AWS/AutoScaling`; the group must have group metrics enabled), each
 * defined once.
 *
 * @example
 * import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
 * import { AutoScalingGroupMetrics } from '@gtuc/cdk-privatelink-ecs';
 *
 * declare const autoScalingGroup: autoscaling.AutoScalingGroup;
 *
 * new AutoScalingGroupMetrics(autoScalingGroup).metricInServiceInstances();
 */
export class AutoScalingGroupMetrics {
  constructor(private readonly autoScalingGroup: autoscaling.IAutoScalingGroup) {}

  /**
   * The number of instances in service (`GroupInServiceInstances`).
   *
   * @default Maximum over 5 minutes
   */
  public metricInServiceInstances(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('GroupInServiceInstances', props);
  }

  /**
   * The group's maximum size (`GroupMaxSize`).
   *
   * @default Maximum over 5 minutes
   */
  public metricMaxSize(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('GroupMaxSize', props);
  }

  /**
   * The group's desired capacity (`GroupDesiredCapacity`).
   *
   * @default Maximum over 5 minutes
   */
  public metricDesiredCapacity(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('GroupDesiredCapacity', props);
  }

  private metric(metricName: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: 'AWS/AutoScaling',
      metricName,
      dimensionsMap: { AutoScalingGroupName: this.autoScalingGroup.autoScalingGroupName },
      statistic: cloudwatch.Stats.MAXIMUM,
      period: FIVE_MINUTES,
      ...props,
    });
  }
}

/**
 * The threshold records of `AutoScalingGroupMonitoring`'s alarms.
 */
export interface AutoScalingGroupAlarmThresholds {
  /**
   * Headroom: alarm when the instances in service are this many or fewer below the maximum size (0 = at the
   * maximum), per 5 minutes.
   *
   * @default - critical at 0 (at the maximum) for 3 consecutive periods
   */
  readonly capacityAtMax?: AlarmThreshold;
}

/**
 * Properties of an `AutoScalingGroupMonitoring`.
 */
export interface AutoScalingGroupMonitoringProps extends MonitoringSegmentOptions, AutoScalingGroupAlarmThresholds {
  /**
   * The Auto Scaling group (for example that of the cluster's capacity provider); its group metrics must be enabled.
   */
  readonly autoScalingGroup: autoscaling.IAutoScalingGroup;

  /**
   * The maximum capacity of `autoScalingGroup`.
   *
   * @default - the alarm compares GroupInServiceInstances with the GroupMaxSize metric
   */
  readonly maxCapacity?: number;
}

/**
 * The Auto Scaling group segment: in-service instances against the maximum size.
 *
 * @example
 * import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
 * import { AutoScalingGroupMonitoring } from '@gtuc/cdk-privatelink-ecs';
 *
 * declare const autoScalingGroup: autoscaling.AutoScalingGroup;
 *
 * new AutoScalingGroupMonitoring(this, 'AsgMonitoring', {
 *   autoScalingGroup,
 *   maxCapacity: 4,
 *   capacityAtMax: { critical: 0, warning: 1 },
 * });
 */
export class AutoScalingGroupMonitoring extends Construct implements IMonitoringSegment {
  /** The group metrics. */
  public readonly metrics: AutoScalingGroupMetrics;
  /** Every alarm of this segment (critical and warning). */
  public readonly alarms: cloudwatch.Alarm[];
  /** None: capacity does not roll a deployment back. */
  public readonly deploymentAlarmNames: string[] = [];
  /** The prefix of every alarm name. */
  public readonly alarmNamePrefix: string;
  /** `Auto Scaling group`. */
  public readonly title: string = 'Auto Scaling group';

  private readonly alarmSet: SegmentAlarms;

  constructor(scope: Construct, id: string, props: AutoScalingGroupMonitoringProps) {
    super(scope, id);
    validateSameRegion(this, 'autoScalingGroup', props.autoScalingGroup);
    validateWholeNumberAtLeast('maxCapacity', props.maxCapacity, 1);
    this.metrics = new AutoScalingGroupMetrics(props.autoScalingGroup);
    this.alarmSet = new SegmentAlarms(this, props, Object.values(AutoScalingGroupAlarm));
    this.alarmNamePrefix = this.alarmSet.prefix;
    this.alarms = this.alarmSet.alarms;
    this.createAlarms(props);
  }

  /**
   * The full name `<alarmNamePrefix>-<alarm>` of an alarm of this segment (whether or not it was created).
   */
  public alarmName(alarm: AutoScalingGroupAlarm): string {
    return this.alarmSet.name(alarm);
  }

  /**
   * The critical alarm of a kind, or undefined when it was not created.
   */
  public findAlarm(alarm: AutoScalingGroupAlarm): cloudwatch.Alarm | undefined {
    return this.alarmSet.get(alarm);
  }

  /**
   * In-service instances and the maximum size.
   */
  public widgets(): cloudwatch.IWidget[] {
    return [
      new cloudwatch.GraphWidget({
        title: 'Capacity provider instances',
        left: [
          this.metrics.metricInServiceInstances({ label: 'In service' }),
          this.metrics.metricMaxSize({ label: 'Max size' }),
        ],
        width: 6,
      }),
    ];
  }

  private createAlarms(props: AutoScalingGroupMonitoringProps): void {
    const inService = this.metrics.metricInServiceInstances();
    const max = props.maxCapacity;
    // With a known maximum: GroupInServiceInstances >= max - headroom. Without: inService - maxSize >= -headroom.
    const metric =
      max !== undefined
        ? inService
        : new cloudwatch.MathExpression({
            expression: 'inService - maxSize',
            usingMetrics: { inService, maxSize: this.metrics.metricMaxSize() },
            label: 'In-service instances minus max size',
            period: FIVE_MINUTES,
          });
    const name = props.autoScalingGroup.autoScalingGroupName;
    this.alarmSet.add(AutoScalingGroupAlarm.CAPACITY_AT_MAX, metric, {
      prop: 'capacityAtMax',
      threshold: props.capacityAtMax,
      defaultCritical: 0,
      range: ThresholdRange.NON_NEGATIVE,
      toMetricUnit: (headroom) => (max !== undefined ? max - headroom : 0 - headroom),
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      defaultEvaluationPeriods: 3,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      period: FIVE_MINUTES,
      summary: (t, w) =>
        `The Auto Scaling group '${name}' has run ${t === 0 ? 'at its maximum size' : `within ${t} instances of its maximum size`} ${w}; new tasks may not be placed.`,
      lookAt: 'aws ecs describe-services (unable to place task events) and the ASG activity history',
    });
  }
}
