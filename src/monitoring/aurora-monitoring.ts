import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as rds from 'aws-cdk-lib/aws-rds';
import { Construct } from 'constructs';
import { AuroraAlarm } from './alarms';
import { SegmentAlarms } from './private/segment-alarms';
import { ThresholdRange, validateSameRegion } from './private/validation';
import { AlarmThreshold, IMonitoringSegment, MonitoringSegmentOptions } from './segment';

const FIVE_MINUTES = Duration.minutes(5);
const ONE_MINUTE = Duration.minutes(1);

/**
 * The metrics of an Aurora cluster (`AWS/RDS`, dimension `DBClusterIdentifier`), each defined once.
 *
 * @example
 * import * as rds from 'aws-cdk-lib/aws-rds';
 * import { AuroraMetrics } from '@gtuc/cdk-privatelink-ecs';
 *
 * declare const cluster: rds.DatabaseCluster;
 *
 * new AuroraMetrics(cluster).metricReplicaLag();
 */
export class AuroraMetrics {
  constructor(private readonly cluster: rds.IDatabaseCluster) {}

  /**
   * The cluster's CPU utilisation (`CPUUtilization`, percent).
   *
   * @default Average over 5 minutes
   */
  public metricCpuUtilization(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.cluster.metricCPUUtilization({ period: FIVE_MINUTES, ...props });
  }

  /**
   * The cluster's freeable memory (`FreeableMemory`, bytes).
   *
   * @default Minimum over 5 minutes
   */
  public metricFreeableMemory(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.cluster.metricFreeableMemory({ statistic: cloudwatch.Stats.MINIMUM, period: FIVE_MINUTES, ...props });
  }

  /**
   * The number of client connections (`DatabaseConnections`).
   *
   * @default Maximum over 5 minutes
   */
  public metricConnections(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.cluster.metricDatabaseConnections({
      statistic: cloudwatch.Stats.MAXIMUM,
      period: FIVE_MINUTES,
      ...props,
    });
  }

  /**
   * The largest lag of a replica behind the writer (`AuroraReplicaLagMaximum`, milliseconds).
   *
   * @default Maximum over 5 minutes
   */
  public metricReplicaLag(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.cluster.metric('AuroraReplicaLagMaximum', {
      statistic: cloudwatch.Stats.MAXIMUM,
      period: FIVE_MINUTES,
      ...props,
    });
  }
}

/**
 * The threshold records of `AuroraMonitoring`'s alarms.
 */
export interface AuroraAlarmThresholds {
  /**
   * Average CPU utilisation in percent (0 to 100), per 5 minutes.
   *
   * @default - critical above 80% for 3 consecutive periods
   */
  readonly cpuUtilization?: AlarmThreshold;

  /**
   * Minimum freeable memory in MiB, per 5 minutes (the alarm fires below it).
   *
   * @default - critical below 256 MiB for 3 consecutive periods
   */
  readonly freeableMemoryMiB?: AlarmThreshold;

  /**
   * Maximum connection count per 5 minutes; set it to about 80% of `max_connections` of your instance class.
   *
   * @default - critical above 400 for 3 consecutive periods
   */
  readonly connections?: AlarmThreshold;

  /**
   * Maximum replica lag in milliseconds, per 5 minutes.
   *
   * @default - critical above 2000 ms for 3 consecutive periods
   */
  readonly replicaLag?: AlarmThreshold;
}

/**
 * Properties of an `AuroraMonitoring`.
 */
export interface AuroraMonitoringProps extends MonitoringSegmentOptions, AuroraAlarmThresholds {
  /**
   * The Aurora cluster.
   */
  readonly cluster: rds.IDatabaseCluster;
}

/**
 * The Aurora segment: CPU, freeable memory, connections and replica lag of a cluster.
 *
 * @example
 * import * as rds from 'aws-cdk-lib/aws-rds';
 * import { AuroraMonitoring } from '@gtuc/cdk-privatelink-ecs';
 *
 * declare const cluster: rds.DatabaseCluster;
 *
 * new AuroraMonitoring(this, 'DatabaseMonitoring', {
 *   cluster,
 *   connections: { critical: 800, warning: 600 },
 * });
 */
export class AuroraMonitoring extends Construct implements IMonitoringSegment {
  /** The metrics of the cluster. */
  public readonly metrics: AuroraMetrics;
  /** Every alarm of this segment (critical and warning). */
  public readonly alarms: cloudwatch.Alarm[];
  /** None: the database does not roll a service deployment back. */
  public readonly deploymentAlarmNames: string[] = [];
  /** The prefix of every alarm name. */
  public readonly alarmNamePrefix: string;
  /** `Aurora cluster`. */
  public readonly title: string = 'Aurora cluster';

  private readonly alarmSet: SegmentAlarms;

  constructor(scope: Construct, id: string, props: AuroraMonitoringProps) {
    super(scope, id);
    validateSameRegion(this, 'cluster', props.cluster);
    this.metrics = new AuroraMetrics(props.cluster);
    this.alarmSet = new SegmentAlarms(this, props, Object.values(AuroraAlarm));
    this.alarmNamePrefix = this.alarmSet.prefix;
    this.alarms = this.alarmSet.alarms;
    this.createAlarms(props);
  }

  /**
   * The full name `<alarmNamePrefix>-<alarm>` of an alarm of this segment (whether or not it was created).
   */
  public alarmName(alarm: AuroraAlarm): string {
    return this.alarmSet.name(alarm);
  }

  /**
   * The critical alarm of a kind, or undefined when it was not created.
   */
  public findAlarm(alarm: AuroraAlarm): cloudwatch.Alarm | undefined {
    return this.alarmSet.get(alarm);
  }

  /**
   * CPU, freeable memory, and connections with replica lag.
   */
  public widgets(): cloudwatch.IWidget[] {
    const m = this.metrics;
    return [
      new cloudwatch.GraphWidget({
        title: 'Database CPU (%)',
        left: [m.metricCpuUtilization({ label: 'CPU', period: ONE_MINUTE })],
        width: 6,
      }),
      new cloudwatch.GraphWidget({
        title: 'Database freeable memory (bytes)',
        left: [m.metricFreeableMemory({ label: 'Freeable memory', period: ONE_MINUTE })],
        width: 6,
      }),
      new cloudwatch.GraphWidget({
        title: 'Database connections and replica lag',
        left: [m.metricConnections({ label: 'Connections', period: ONE_MINUTE })],
        right: [m.metricReplicaLag({ label: 'Replica lag (ms)', period: ONE_MINUTE })],
        width: 6,
      }),
    ];
  }

  private createAlarms(props: AuroraMonitoringProps): void {
    const op = cloudwatch.ComparisonOperator;
    const db = `Aurora cluster '${props.cluster.clusterIdentifier}'`;
    const dbLook = 'RDS Performance Insights, the slow query log and the service logs';
    const common = {
      defaultEvaluationPeriods: 3,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      period: FIVE_MINUTES,
    };
    this.alarmSet.add(AuroraAlarm.CPU_HIGH, this.metrics.metricCpuUtilization(), {
      ...common,
      prop: 'cpuUtilization',
      threshold: props.cpuUtilization,
      defaultCritical: 80,
      range: ThresholdRange.PERCENTAGE,
      comparisonOperator: op.GREATER_THAN_THRESHOLD,
      summary: (t, w) => `The ${db} averaged above ${t}% CPU ${w}.`,
      lookAt: dbLook,
    });
    this.alarmSet.add(AuroraAlarm.FREEABLE_MEMORY_LOW, this.metrics.metricFreeableMemory(), {
      ...common,
      prop: 'freeableMemoryMiB',
      threshold: props.freeableMemoryMiB,
      defaultCritical: 256,
      range: ThresholdRange.NON_NEGATIVE,
      toMetricUnit: (mib) => mib * 1024 * 1024,
      comparisonOperator: op.LESS_THAN_THRESHOLD,
      summary: (t, w) => `The ${db} has had less than ${t} MiB of freeable memory ${w}.`,
      lookAt: dbLook,
    });
    this.alarmSet.add(AuroraAlarm.CONNECTIONS_HIGH, this.metrics.metricConnections(), {
      ...common,
      prop: 'connections',
      threshold: props.connections,
      defaultCritical: 400,
      range: ThresholdRange.NON_NEGATIVE,
      comparisonOperator: op.GREATER_THAN_THRESHOLD,
      summary: (t, w) => `The ${db} has had more than ${t} connections ${w}.`,
      lookAt: 'the running task count, the connection pool size per task and pg_stat_activity',
    });
    this.alarmSet.add(AuroraAlarm.REPLICA_LAG_HIGH, this.metrics.metricReplicaLag(), {
      ...common,
      prop: 'replicaLag',
      threshold: props.replicaLag,
      defaultCritical: 2000,
      range: ThresholdRange.NON_NEGATIVE,
      comparisonOperator: op.GREATER_THAN_THRESHOLD,
      summary: (t, w) => `A replica of the ${db} has lagged more than ${t} ms behind the writer ${w}.`,
      lookAt: 'write volume on the writer, replica CPU and long-running queries on the replicas',
    });
  }
}
