import { Duration, Names, Token } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as appscaling from 'aws-cdk-lib/aws-applicationautoscaling';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { Construct } from 'constructs';
import { ApiMetrics } from './api-monitoring';
import { EcsServiceMetrics } from './ecs-service-monitoring';

/**
 * Properties of a `RequestRateScaling`.
 */
export interface RequestRateScalingProps {
  /**
   * The scalable task count of the service, from `service.autoScaleTaskCount()`.
   */
  readonly scalableTaskCount: ecs.ScalableTaskCount;

  /**
   * The REST API stage whose requests drive scaling.
   */
  readonly stage: apigateway.IStage;

  /**
   * The ECS service being scaled (its cluster and name select the Container Insights task count).
   */
  readonly service: ecs.BaseService;

  /**
   * The number of API requests per running task per minute that the policy keeps the service at.
   */
  readonly targetRequestsPerTaskPerMinute: number;

  /**
   * How long to wait after a scale-in activity before another scale-in.
   *
   * @default Duration.minutes(5)
   */
  readonly scaleInCooldown?: Duration;

  /**
   * How long to wait after a scale-out activity before another scale-out.
   *
   * @default Duration.minutes(1)
   */
  readonly scaleOutCooldown?: Duration;

  /**
   * Never remove tasks through this policy.
   *
   * @default false
   */
  readonly disableScaleIn?: boolean;

  /**
   * The name of the scaling policy.
   *
   * @default - a name derived from the construct path
   */
  readonly policyName?: string;
}

/**
 * Target-tracking scaling of an ECS service on API Gateway requests per running task.
 *
 * Network Load Balancers count flows, not requests, and have no `RequestCountPerTarget` metric, so the policy tracks
 * the metric-math expression `IF(tasks > 0, requests / tasks, requests)`, where `requests` is the stage's `Count`
 * (Sum per minute) and `tasks` is Container Insights' `RunningTaskCount` (Average per minute).
 *
 * aws-cdk-lib's `ScalableTaskCount.scaleToTrackCustomMetric()` only accepts a single metric (it reads
 * `metricStat` and rejects math expressions), so this construct writes the `AWS::ApplicationAutoScaling::ScalingPolicy`
 * itself, with `CustomizedMetricSpecification.Metrics`, against the task count's scalable target.
 * Container Insights must be enabled on the cluster; without data the policy neither scales out nor in.
 *
 * @example
 * import * as apigateway from 'aws-cdk-lib/aws-apigateway';
 * import * as ecs from 'aws-cdk-lib/aws-ecs';
 * import { RequestRateScaling } from '@gtuc/cdk-privatelink-ecs';
 *
 * declare const service: ecs.Ec2Service;
 * declare const api: apigateway.RestApi;
 *
 * const taskCount = service.autoScaleTaskCount({ minCapacity: 2, maxCapacity: 10 });
 * new RequestRateScaling(this, 'RequestScaling', {
 *   scalableTaskCount: taskCount,
 *   stage: api.deploymentStage,
 *   service,
 *   targetRequestsPerTaskPerMinute: 600,
 * });
 */
export class RequestRateScaling extends Construct {
  /**
   * The target-tracking scaling policy.
   */
  public readonly policy: appscaling.CfnScalingPolicy;

  /**
   * The tracked expression (requests per running task per minute), for dashboards and alarms.
   */
  public readonly requestsPerTask: cloudwatch.MathExpression;

  constructor(scope: Construct, id: string, props: RequestRateScalingProps) {
    super(scope, id);
    const target = props.targetRequestsPerTaskPerMinute;
    if (!Token.isUnresolved(target) && !(Number.isFinite(target) && target > 0)) {
      throw new Error(`\`targetRequestsPerTaskPerMinute\` must be greater than 0, got: ${target}.`);
    }
    const scaleInCooldown = props.scaleInCooldown ?? Duration.minutes(5);
    const scaleOutCooldown = props.scaleOutCooldown ?? Duration.minutes(1);

    // The same metric definitions as the API and ECS service monitoring segments.
    const requests = new ApiMetrics(props.stage).metricRequests({ period: Duration.minutes(1) });
    const tasks = new EcsServiceMetrics(props.service).metricRunningTasks({
      statistic: cloudwatch.Stats.AVERAGE,
      period: Duration.minutes(1),
    });
    const expression = 'IF(tasks > 0, requests / tasks, requests)';
    const label = 'API requests per running task per minute';

    this.requestsPerTask = new cloudwatch.MathExpression({
      expression,
      label,
      period: Duration.minutes(1),
      usingMetrics: { requests, tasks },
    });

    const metricStat = (metric: cloudwatch.Metric, metricId: string, statLabel: string) => {
      const stat = metric.toMetricConfig().metricStat!;
      return {
        id: metricId,
        label: statLabel,
        returnData: false,
        metricStat: {
          metric: {
            namespace: stat.namespace,
            metricName: stat.metricName,
            dimensions: (stat.dimensions ?? []).map((d) => ({ name: d.name, value: d.value as string })),
          },
          stat: stat.statistic,
        },
      };
    };

    this.policy = new appscaling.CfnScalingPolicy(this, 'Resource', {
      policyName: props.policyName ?? Names.uniqueId(this),
      policyType: 'TargetTrackingScaling',
      scalingTargetId: props.scalableTaskCount,
      targetTrackingScalingPolicyConfiguration: {
        targetValue: target,
        disableScaleIn: props.disableScaleIn ?? false,
        scaleInCooldown: scaleInCooldown.toSeconds(),
        scaleOutCooldown: scaleOutCooldown.toSeconds(),
        customizedMetricSpecification: {
          metrics: [
            metricStat(requests, 'requests', 'API requests per minute'),
            metricStat(tasks, 'tasks', 'Running tasks'),
            { id: 'requestsPerTask', expression, label, returnData: true },
          ],
        },
      },
    });
  }
}
