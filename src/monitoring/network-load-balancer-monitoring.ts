import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { Construct } from 'constructs';
import { NetworkLoadBalancerAlarm } from './alarms';
import { loadBalancerFullName, targetGroupFullName } from './private/names';
import { SegmentAlarms } from './private/segment-alarms';
import { addBelowDesiredAlarm, addUnhealthyHostsAlarm, desiredCountAnnotation } from './private/target-alarms';
import { validateSameRegion, validateWholeNumberAtLeast } from './private/validation';
import { AlarmThreshold, IMonitoringSegment, MonitoringSegmentOptions } from './segment';

const ONE_MINUTE = Duration.minutes(1);

/**
 * The metrics of a network load balancer and one of its target groups (`AWS/NetworkELB`), each defined once.
 *
 * Target-group metrics are built from the load balancer and target group full names rather than through
 * `targetGroup.metrics`, which needs a listener to be attached first; so the order of construction does not matter.
 *
 * @example
 * import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
 * import { NetworkLoadBalancerMetrics } from '@gtuc/cdk-privatelink-ecs';
 *
 * declare const loadBalancer: elbv2.NetworkLoadBalancer;
 * declare const targetGroup: elbv2.NetworkTargetGroup;
 *
 * const metrics = new NetworkLoadBalancerMetrics(loadBalancer, targetGroup);
 * metrics.metricHealthyHosts();
 */
export class NetworkLoadBalancerMetrics {
  constructor(
    private readonly loadBalancer: elbv2.INetworkLoadBalancer,
    private readonly targetGroup: elbv2.INetworkTargetGroup,
  ) {}

  /**
   * The number of healthy targets in the target group (`HealthyHostCount`).
   *
   * @default Minimum over 1 minute
   */
  public metricHealthyHosts(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.targetGroupMetric('HealthyHostCount', { statistic: cloudwatch.Stats.MINIMUM, ...props });
  }

  /**
   * The number of unhealthy targets in the target group (`UnHealthyHostCount`).
   *
   * @default Maximum over 1 minute
   */
  public metricUnhealthyHosts(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.targetGroupMetric('UnHealthyHostCount', { statistic: cloudwatch.Stats.MAXIMUM, ...props });
  }

  /**
   * The number of concurrent flows of the load balancer (`ActiveFlowCount`).
   *
   * @default Average over 1 minute
   */
  public metricActiveFlows(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.loadBalancerMetric('ActiveFlowCount', { statistic: cloudwatch.Stats.AVERAGE, ...props });
  }

  /**
   * The number of new flows of the load balancer (`NewFlowCount`).
   *
   * @default Sum over 1 minute
   */
  public metricNewFlows(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.loadBalancerMetric('NewFlowCount', { statistic: cloudwatch.Stats.SUM, ...props });
  }

  private loadBalancerMetric(metricName: string, props: cloudwatch.MetricOptions): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: 'AWS/NetworkELB',
      metricName,
      dimensionsMap: { LoadBalancer: loadBalancerFullName(this.loadBalancer) },
      period: ONE_MINUTE,
      ...props,
    });
  }

  private targetGroupMetric(metricName: string, props: cloudwatch.MetricOptions): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: 'AWS/NetworkELB',
      metricName,
      dimensionsMap: {
        LoadBalancer: loadBalancerFullName(this.loadBalancer),
        TargetGroup: targetGroupFullName(this.targetGroup),
      },
      period: ONE_MINUTE,
      ...props,
    });
  }
}

/**
 * The threshold records of `NetworkLoadBalancerMonitoring`'s alarms.
 */
export interface NetworkLoadBalancerAlarmThresholds {
  /**
   * UnHealthyHostCount (Maximum per minute) above the threshold.
   *
   * @default - critical above 0 in 2 of 3 periods
   */
  readonly unhealthyHosts?: AlarmThreshold;

  /**
   * HealthyHostCount (Minimum per minute) below the threshold; missing data counts as breaching.
   *
   * @default - critical below `desiredCount` for 5 consecutive periods
   */
  readonly healthyHostsLow?: AlarmThreshold;
}

/**
 * Properties of a `NetworkLoadBalancerMonitoring`.
 */
export interface NetworkLoadBalancerMonitoringProps
  extends MonitoringSegmentOptions, NetworkLoadBalancerAlarmThresholds {
  /**
   * The network load balancer.
   */
  readonly loadBalancer: elbv2.INetworkLoadBalancer;

  /**
   * The target group of the service's tasks, attached to `loadBalancer`.
   */
  readonly targetGroup: elbv2.INetworkTargetGroup;

  /**
   * The number of targets the group should have; the healthy-hosts-low alarm fires below it. A service scaled to
   * zero (0) has no floor, so that alarm is not created.
   *
   * @default - no healthy-hosts-low alarm
   */
  readonly desiredCount?: number;
}

/**
 * The NLB segment: target health and flows of a network load balancer's target group.
 *
 * Its unhealthy-hosts alarm is a deployment alarm (the service behind the target group rolls back on it).
 *
 * @example
 * import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
 * import { NetworkLoadBalancerMonitoring } from '@gtuc/cdk-privatelink-ecs';
 *
 * declare const loadBalancer: elbv2.NetworkLoadBalancer;
 * declare const targetGroup: elbv2.NetworkTargetGroup;
 *
 * new NetworkLoadBalancerMonitoring(this, 'NlbMonitoring', {
 *   loadBalancer,
 *   targetGroup,
 *   desiredCount: 2,
 *   unhealthyHosts: { critical: 0, evaluationPeriods: 5, datapointsToAlarm: 3 },
 * });
 */
export class NetworkLoadBalancerMonitoring extends Construct implements IMonitoringSegment {
  /** The metrics of the load balancer and target group. */
  public readonly metrics: NetworkLoadBalancerMetrics;
  /** Every alarm of this segment (critical and warning). */
  public readonly alarms: cloudwatch.Alarm[];
  /** The literal name of the unhealthy-hosts alarm, when it exists. */
  public readonly deploymentAlarmNames: string[];
  /** The prefix of every alarm name. */
  public readonly alarmNamePrefix: string;
  /** `Network load balancer`. */
  public readonly title: string = 'Network load balancer';

  private readonly alarmSet: SegmentAlarms;
  private readonly desiredCount?: number;

  constructor(scope: Construct, id: string, props: NetworkLoadBalancerMonitoringProps) {
    super(scope, id);
    validateSameRegion(this, 'loadBalancer', props.loadBalancer);
    validateWholeNumberAtLeast('desiredCount', props.desiredCount, 0);
    this.desiredCount = props.desiredCount;
    this.metrics = new NetworkLoadBalancerMetrics(props.loadBalancer, props.targetGroup);
    this.alarmSet = new SegmentAlarms(this, props, Object.values(NetworkLoadBalancerAlarm));
    this.alarmNamePrefix = this.alarmSet.prefix;
    this.alarms = this.alarmSet.alarms;
    this.createAlarms(props);
    this.deploymentAlarmNames = this.alarmSet.names([NetworkLoadBalancerAlarm.UNHEALTHY_HOSTS]);
  }

  /**
   * The full name `<alarmNamePrefix>-<alarm>` of an alarm of this segment (whether or not it was created).
   */
  public alarmName(alarm: NetworkLoadBalancerAlarm): string {
    return this.alarmSet.name(alarm);
  }

  /**
   * The critical alarm of a kind, or undefined when it was not created.
   */
  public findAlarm(alarm: NetworkLoadBalancerAlarm): cloudwatch.Alarm | undefined {
    return this.alarmSet.get(alarm);
  }

  /**
   * Target health (with the desired count as an annotation) and flows.
   */
  public widgets(): cloudwatch.IWidget[] {
    const m = this.metrics;
    return [
      new cloudwatch.GraphWidget({
        title: 'NLB target health',
        left: [m.metricHealthyHosts({ label: 'Healthy' }), m.metricUnhealthyHosts({ label: 'Unhealthy' })],
        leftAnnotations: desiredCountAnnotation(this.desiredCount),
        width: 6,
      }),
      new cloudwatch.GraphWidget({
        title: 'NLB flows',
        left: [m.metricActiveFlows({ label: 'Active flows' }), m.metricNewFlows({ label: 'New flows' })],
        width: 6,
      }),
    ];
  }

  private createAlarms(props: NetworkLoadBalancerMonitoringProps): void {
    const m = this.metrics;
    addUnhealthyHostsAlarm(
      this.alarmSet,
      NetworkLoadBalancerAlarm.UNHEALTHY_HOSTS,
      m.metricUnhealthyHosts(),
      props.unhealthyHosts,
      'NLB',
    );
    addBelowDesiredAlarm(
      this.alarmSet,
      NetworkLoadBalancerAlarm.HEALTHY_HOSTS_LOW,
      m.metricHealthyHosts(),
      this.desiredCount,
      {
        prop: 'healthyHostsLow',
        threshold: props.healthyHostsLow,
        summary: (t, w) => `The NLB target group has had fewer than ${t} healthy targets ${w}.`,
        lookAt: 'aws elbv2 describe-target-health and aws ecs describe-services (events, running count)',
      },
    );
  }
}
