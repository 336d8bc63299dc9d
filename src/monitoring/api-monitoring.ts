import { Duration } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { ApiAlarm } from './alarms';
import { SegmentAlarms } from './private/segment-alarms';
import { ThresholdRange, validateSameRegion } from './private/validation';
import { AlarmThreshold, IMonitoringSegment, MonitoringSegmentOptions } from './segment';

const FIVE_MINUTES = Duration.minutes(5);
const ONE_MINUTE = Duration.minutes(1);

/**
 * The metrics of one REST API stage (`AWS/ApiGateway`, dimensions `ApiName` and `Stage`), each defined once.
 *
 * @example
 * import * as apigateway from 'aws-cdk-lib/aws-apigateway';
 * import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
 * import { ApiMetrics } from '@gtuc/cdk-privatelink-ecs';
 *
 * declare const api: apigateway.RestApi;
 *
 * const metrics = new ApiMetrics(api.deploymentStage);
 * new cloudwatch.Alarm(this, 'Busy', { metric: metrics.metricRequests(), threshold: 100000, evaluationPeriods: 1 });
 */
export class ApiMetrics {
  constructor(private readonly stage: apigateway.IStage) {}

  /**
   * The number of requests to the stage (`Count`).
   *
   * @default Sum over 5 minutes
   */
  public metricRequests(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('Count', { statistic: cloudwatch.Stats.SUM, ...props });
  }

  /**
   * The number of 5XX responses of the stage (`5XXError`).
   *
   * @default Sum over 5 minutes
   */
  public metric5xx(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('5XXError', { statistic: cloudwatch.Stats.SUM, ...props });
  }

  /**
   * The number of 4XX responses of the stage (`4XXError`).
   *
   * @default Sum over 5 minutes
   */
  public metric4xx(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('4XXError', { statistic: cloudwatch.Stats.SUM, ...props });
  }

  /**
   * The percentage of requests answered with a 5XX: `IF(requests > 0, 100 * errors5xx / requests, 0)`.
   *
   * @param period the period of both metrics (default: 5 minutes)
   */
  public metric5xxRate(period?: Duration): cloudwatch.MathExpression {
    return this.errorRate('errors5xx', this.metric5xx({ period }), '5XX error rate (%)', period);
  }

  /**
   * The percentage of requests answered with a 4XX: `IF(requests > 0, 100 * errors4xx / requests, 0)`.
   *
   * @param period the period of both metrics (default: 5 minutes)
   */
  public metric4xxRate(period?: Duration): cloudwatch.MathExpression {
    return this.errorRate('errors4xx', this.metric4xx({ period }), '4XX error rate (%)', period);
  }

  /**
   * The time between API Gateway receiving a request and returning a response (`Latency`, milliseconds).
   *
   * @default p99 over 5 minutes
   */
  public metricLatency(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('Latency', { statistic: cloudwatch.Stats.p(99), ...props });
  }

  /**
   * The time API Gateway waits for the backend (`IntegrationLatency`, milliseconds).
   *
   * @default p99 over 5 minutes
   */
  public metricIntegrationLatency(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('IntegrationLatency', { statistic: cloudwatch.Stats.p(99), ...props });
  }

  private metric(metricName: string, props: cloudwatch.MetricOptions): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: 'AWS/ApiGateway',
      metricName,
      dimensionsMap: { ApiName: this.stage.restApi.restApiName, Stage: this.stage.stageName },
      period: FIVE_MINUTES,
      ...props,
    });
  }

  private errorRate(
    errorsId: string,
    errors: cloudwatch.IMetric,
    label: string,
    period?: Duration,
  ): cloudwatch.MathExpression {
    return new cloudwatch.MathExpression({
      expression: `IF(requests > 0, 100 * ${errorsId} / requests, 0)`,
      usingMetrics: { [errorsId]: errors, requests: this.metricRequests({ period }) },
      label,
      period: period ?? FIVE_MINUTES,
    });
  }
}

/**
 * The threshold records of `ApiMonitoring`'s alarms.
 */
export interface ApiAlarmThresholds {
  /**
   * 5XXError as a percentage of Count (0 to 100), per 5 minutes.
   *
   * @default - critical above 1% in 1 period
   */
  readonly errors5xxRate?: AlarmThreshold;

  /**
   * 4XXError as a percentage of Count (0 to 100), per 5 minutes.
   *
   * @default - critical above 10% in 3 consecutive periods
   */
  readonly errors4xxRate?: AlarmThreshold;

  /**
   * p99 Latency in milliseconds, per 5 minutes.
   *
   * @default - critical above 2000 ms in 3 consecutive periods
   */
  readonly latencyP99?: AlarmThreshold;

  /**
   * p99 IntegrationLatency in milliseconds, per 5 minutes.
   *
   * @default - critical above 1500 ms in 3 consecutive periods
   */
  readonly integrationLatencyP99?: AlarmThreshold;
}

/**
 * Properties of an `ApiMonitoring`.
 */
export interface ApiMonitoringProps extends MonitoringSegmentOptions, ApiAlarmThresholds {
  /**
   * The REST API stage to watch (its `restApi` gives the `ApiName` dimension).
   */
  readonly stage: apigateway.IStage;
}

/**
 * The front-door segment: alarms and widgets of a REST API stage (error rates, latency, integration latency).
 *
 * Its 5XX-rate alarm is a deployment alarm: when the API fronts one service only, that service rolls back on it.
 *
 * @example
 * import * as apigateway from 'aws-cdk-lib/aws-apigateway';
 * import { ApiMonitoring, MonitoringFacade } from '@gtuc/cdk-privatelink-ecs';
 *
 * declare const api: apigateway.RestApi;
 *
 * const frontDoor = new ApiMonitoring(this, 'ApiMonitoring', {
 *   stage: api.deploymentStage,
 *   errors5xxRate: { critical: 2, warning: 1 },
 *   runbookUrl: 'https://github.com/example/items/blob/main/docs/operations.md',
 * });
 * // Its widgets on a dashboard of your own (here a facade's):
 * new MonitoringFacade(this, 'Monitoring').addRow('Front door', [frontDoor]);
 */
export class ApiMonitoring extends Construct implements IMonitoringSegment {
  /** The metrics of the stage. */
  public readonly metrics: ApiMetrics;
  /** Every alarm of this segment (critical and warning). */
  public readonly alarms: cloudwatch.Alarm[];
  /** The literal name of the 5XX-rate alarm, when it exists. */
  public readonly deploymentAlarmNames: string[];
  /** The prefix of every alarm name. */
  public readonly alarmNamePrefix: string;
  /** `API <api name> / <stage name>`. */
  public readonly title: string;

  private readonly alarmSet: SegmentAlarms;

  constructor(scope: Construct, id: string, props: ApiMonitoringProps) {
    super(scope, id);
    validateSameRegion(this, 'stage', props.stage);
    this.metrics = new ApiMetrics(props.stage);
    this.alarmSet = new SegmentAlarms(this, props, Object.values(ApiAlarm));
    this.alarmNamePrefix = this.alarmSet.prefix;
    this.alarms = this.alarmSet.alarms;
    this.title = `API ${props.stage.restApi.restApiName} / ${props.stage.stageName}`;
    this.createAlarms(props);
    this.deploymentAlarmNames = this.alarmSet.names([ApiAlarm.ERRORS_5XX_RATE]);
  }

  /**
   * The full name `<alarmNamePrefix>-<alarm>` of an alarm of this segment (whether or not it was created).
   */
  public alarmName(alarm: ApiAlarm): string {
    return this.alarmSet.name(alarm);
  }

  /**
   * The critical alarm of a kind, or undefined when it was not created.
   */
  public findAlarm(alarm: ApiAlarm): cloudwatch.Alarm | undefined {
    return this.alarmSet.get(alarm);
  }

  /**
   * Requests, errors (count and rate), latency and integration latency (p50, p90, p99).
   */
  public widgets(): cloudwatch.IWidget[] {
    const m = this.metrics;
    const percentiles = [50, 90, 99];
    return [
      new cloudwatch.GraphWidget({
        title: 'API requests',
        left: [m.metricRequests({ label: 'Requests', period: ONE_MINUTE })],
        width: 6,
      }),
      new cloudwatch.GraphWidget({
        title: 'API errors',
        left: [m.metric4xx({ label: '4XX', period: ONE_MINUTE }), m.metric5xx({ label: '5XX', period: ONE_MINUTE })],
        right: [m.metric4xxRate(), m.metric5xxRate()],
        width: 6,
      }),
      new cloudwatch.GraphWidget({
        title: 'API latency (ms)',
        left: percentiles.map((n) => m.metricLatency({ statistic: cloudwatch.Stats.p(n), label: `Latency p${n}` })),
        width: 6,
      }),
      new cloudwatch.GraphWidget({
        title: 'API integration latency (ms)',
        left: percentiles.map((n) =>
          m.metricIntegrationLatency({ statistic: cloudwatch.Stats.p(n), label: `IntegrationLatency p${n}` }),
        ),
        width: 6,
      }),
    ];
  }

  private createAlarms(props: ApiMonitoringProps): void {
    const op = cloudwatch.ComparisonOperator;
    const notBreaching = cloudwatch.TreatMissingData.NOT_BREACHING;
    const api = `API Gateway API '${props.stage.restApi.restApiName}' stage '${props.stage.stageName}'`;
    this.alarmSet.add(ApiAlarm.ERRORS_5XX_RATE, this.metrics.metric5xxRate(), {
      prop: 'errors5xxRate',
      threshold: props.errors5xxRate,
      defaultCritical: 1,
      range: ThresholdRange.PERCENTAGE,
      comparisonOperator: op.GREATER_THAN_THRESHOLD,
      defaultEvaluationPeriods: 1,
      treatMissingData: notBreaching,
      period: FIVE_MINUTES,
      summary: (t, w) => `More than ${t}% of requests to the ${api} failed with a 5XX ${w}.`,
      lookAt: 'the service logs (aws logs tail), the load balancer target health and the last ECS deployment',
    });
    this.alarmSet.add(ApiAlarm.ERRORS_4XX_RATE, this.metrics.metric4xxRate(), {
      prop: 'errors4xxRate',
      threshold: props.errors4xxRate,
      defaultCritical: 10,
      range: ThresholdRange.PERCENTAGE,
      comparisonOperator: op.GREATER_THAN_THRESHOLD,
      defaultEvaluationPeriods: 3,
      treatMissingData: notBreaching,
      period: FIVE_MINUTES,
      summary: (t, w) => `More than ${t}% of requests to the ${api} got a 4XX ${w}.`,
      lookAt: 'API Gateway access logs, WAF sampled requests and recent client or API changes',
    });
    this.alarmSet.add(ApiAlarm.LATENCY_P99, this.metrics.metricLatency(), {
      prop: 'latencyP99',
      threshold: props.latencyP99,
      defaultCritical: 2000,
      range: ThresholdRange.NON_NEGATIVE,
      comparisonOperator: op.GREATER_THAN_THRESHOLD,
      defaultEvaluationPeriods: 3,
      treatMissingData: notBreaching,
      period: FIVE_MINUTES,
      summary: (t, w) => `The p99 latency of the ${api} was above ${t} ms ${w}.`,
      lookAt: 'IntegrationLatency on the dashboard (backend or API Gateway?), ECS CPU and the database',
    });
    this.alarmSet.add(ApiAlarm.INTEGRATION_LATENCY_P99, this.metrics.metricIntegrationLatency(), {
      prop: 'integrationLatencyP99',
      threshold: props.integrationLatencyP99,
      defaultCritical: 1500,
      range: ThresholdRange.NON_NEGATIVE,
      comparisonOperator: op.GREATER_THAN_THRESHOLD,
      defaultEvaluationPeriods: 3,
      treatMissingData: notBreaching,
      period: FIVE_MINUTES,
      summary: (t, w) => `The p99 integration (backend) latency of the ${api} was above ${t} ms ${w}.`,
      lookAt: 'ECS CPU and memory, the running task count, the database and the service logs',
    });
  }
}
