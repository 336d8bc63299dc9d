import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { Construct } from 'constructs';
import { EcsServiceAlarm } from './alarms';
import { SegmentAlarms } from './private/segment-alarms';
import { addBelowDesiredAlarm, desiredCountAnnotation } from './private/target-alarms';
import { ThresholdRange, validateSameRegion, validateWholeNumberAtLeast } from './private/validation';
import { AlarmThreshold, IMonitoringSegment, MonitoringSegmentOptions } from './segment';

const FIVE_MINUTES = Duration.minutes(5);
const ONE_MINUTE = Duration.minutes(1);

/**
 * The metrics of an ECS service (`AWS/ECS` and Container Insights' `ECS/ContainerInsights`), each defined once.
 *
 * @example
 * import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
 * import * as ecs from 'aws-cdk-lib/aws-ecs';
 * import { EcsServiceMetrics } from '@gtuc/cdk-privatelink-ecs';
 *
 * declare const service: ecs.Ec2Service;
 *
 * const metrics = new EcsServiceMetrics(service);
 * metrics.metricRunningTasks({ statistic: cloudwatch.Stats.AVERAGE });
 */
export class EcsServiceMetrics {
  constructor(private readonly service: ecs.BaseService) {}

  /**
   * The service's CPU utilisation (`AWS/ECS` `CPUUtilization`, percent).
   *
   * @default Average over 5 minutes
   */
  public metricCpuUtilization(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.service.metricCpuUtilization({ period: FIVE_MINUTES, ...props });
  }

  /**
   * The service's memory utilisation (`AWS/ECS` `MemoryUtilization`, percent).
   *
   * @default Average over 5 minutes
   */
  public metricMemoryUtilization(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.service.metricMemoryUtilization({ period: FIVE_MINUTES, ...props });
  }

  /**
   * The number of running tasks (`ECS/ContainerInsights` `RunningTaskCount`; needs Container Insights).
   *
   * @default Minimum over 1 minute
   */
  public metricRunningTasks(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: 'ECS/ContainerInsights',
      metricName: 'RunningTaskCount',
      dimensionsMap: { ClusterName: this.service.cluster.clusterName, ServiceName: this.service.serviceName },
      statistic: cloudwatch.Stats.MINIMUM,
      period: ONE_MINUTE,
      ...props,
    });
  }
}

/**
 * The threshold records of `EcsServiceMonitoring`'s alarms.
 */
export interface EcsServiceAlarmThresholds {
  /**
   * Average CPU utilisation in percent (0 to 100), per 5 minutes.
   *
   * @default - critical above 80% for 3 consecutive periods
   */
  readonly cpuUtilization?: AlarmThreshold;

  /**
   * Average memory utilisation in percent (0 to 100), per 5 minutes.
   *
   * @default - critical above 80% for 3 consecutive periods
   */
  readonly memoryUtilization?: AlarmThreshold;

  /**
   * RunningTaskCount (Minimum per minute) below the threshold; missing data counts as breaching.
   *
   * @default - critical below `desiredCount` for 5 consecutive periods
   */
  readonly runningTasksLow?: AlarmThreshold;
}

/**
 * Properties of an `EcsServiceMonitoring`.
 */
export interface EcsServiceMonitoringProps extends MonitoringSegmentOptions, EcsServiceAlarmThresholds {
  /**
   * The ECS service (its cluster and name are the metrics' dimensions).
   */
  readonly service: ecs.BaseService;

  /**
   * The number of tasks the service should run; the running-tasks-low alarm fires below it. A service scaled to
   * zero (0) has no floor, so that alarm is not created.
   *
   * @default - no running-tasks-low alarm
   */
  readonly desiredCount?: number;
}

/**
 * The ECS service segment: CPU, memory and running tasks of a service.
 *
 * @example
 * import * as ecs from 'aws-cdk-lib/aws-ecs';
 * import { EcsServiceMonitoring } from '@gtuc/cdk-privatelink-ecs';
 *
 * declare const service: ecs.Ec2Service;
 *
 * new EcsServiceMonitoring(this, 'ServiceMonitoring', {
 *   service,
 *   desiredCount: 2,
 *   cpuUtilization: { critical: 90, warning: 75 },
 * });
 */
export class EcsServiceMonitoring extends Construct implements IMonitoringSegment {
  /** The metrics of the service. */
  public readonly metrics: EcsServiceMetrics;
  /** Every alarm of this segment (critical and warning). */
  public readonly alarms: cloudwatch.Alarm[];
  /** None: CPU, memory and task-count alarms do not roll a deployment back. */
  public readonly deploymentAlarmNames: string[] = [];
  /** The prefix of every alarm name. */
  public readonly alarmNamePrefix: string;
  /** `ECS service`. */
  public readonly title: string = 'ECS service';

  private readonly alarmSet: SegmentAlarms;
  private readonly desiredCount?: number;

  constructor(scope: Construct, id: string, props: EcsServiceMonitoringProps) {
    super(scope, id);
    validateSameRegion(this, 'service', props.service);
    validateWholeNumberAtLeast('desiredCount', props.desiredCount, 0);
    this.desiredCount = props.desiredCount;
    this.metrics = new EcsServiceMetrics(props.service);
    this.alarmSet = new SegmentAlarms(this, props, Object.values(EcsServiceAlarm));
    this.alarmNamePrefix = this.alarmSet.prefix;
    this.alarms = this.alarmSet.alarms;
    this.createAlarms(props);
  }

  /**
   * The full name `<alarmNamePrefix>-<alarm>` of an alarm of this segment (whether or not it was created).
   */
  public alarmName(alarm: EcsServiceAlarm): string {
    return this.alarmSet.name(alarm);
  }

  /**
   * The critical alarm of a kind, or undefined when it was not created.
   */
  public findAlarm(alarm: EcsServiceAlarm): cloudwatch.Alarm | undefined {
    return this.alarmSet.get(alarm);
  }

  /**
   * CPU and memory, and running tasks (with the desired count as an annotation).
   */
  public widgets(): cloudwatch.IWidget[] {
    const m = this.metrics;
    return [
      new cloudwatch.GraphWidget({
        title: 'ECS CPU and memory (%)',
        left: [
          m.metricCpuUtilization({ label: 'CPU', period: ONE_MINUTE }),
          m.metricMemoryUtilization({ label: 'Memory', period: ONE_MINUTE }),
        ],
        leftYAxis: { min: 0, max: 100 },
        width: 6,
      }),
      new cloudwatch.GraphWidget({
        title: 'ECS running tasks',
        left: [m.metricRunningTasks({ label: 'Running tasks' })],
        leftAnnotations: desiredCountAnnotation(this.desiredCount),
        width: 6,
      }),
    ];
  }

  private createAlarms(props: EcsServiceMonitoringProps): void {
    // CPU and memory: average utilisation above 80% for 3 periods of 5 minutes.
    const utilisation = {
      defaultCritical: 80,
      range: ThresholdRange.PERCENTAGE,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      defaultEvaluationPeriods: 3,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      period: FIVE_MINUTES,
    };
    this.alarmSet.add(EcsServiceAlarm.CPU_HIGH, this.metrics.metricCpuUtilization(), {
      ...utilisation,
      prop: 'cpuUtilization',
      threshold: props.cpuUtilization,
      summary: (t, w) => `The ECS service's average CPU was above ${t}% ${w}.`,
      lookAt: 'request rate and running tasks on the dashboard, scaling activity and the service logs',
    });
    this.alarmSet.add(EcsServiceAlarm.MEMORY_HIGH, this.metrics.metricMemoryUtilization(), {
      ...utilisation,
      prop: 'memoryUtilization',
      threshold: props.memoryUtilization,
      summary: (t, w) => `The ECS service's average memory was above ${t}% ${w}.`,
      lookAt: 'stopped tasks (OutOfMemory exit codes), the service logs and the task definition memory',
    });
    addBelowDesiredAlarm(
      this.alarmSet,
      EcsServiceAlarm.RUNNING_TASKS_LOW,
      this.metrics.metricRunningTasks(),
      this.desiredCount,
      {
        prop: 'runningTasksLow',
        threshold: props.runningTasksLow,
        summary: (t, w) => `The ECS service has run fewer than ${t} tasks ${w}.`,
        lookAt: 'aws ecs describe-services (events), stopped task reasons and the capacity provider',
      },
    );
  }
}
