import { Duration, Stack, Token } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cwActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { defaultAlarmNamePrefix, loadBalancerFullName, sanitizeName, targetGroupFullName } from './private/names';
import {
  validateEmail,
  validateNonNegative,
  validatePercentage,
  validateWholeNumberAtLeast,
} from './private/validation';

/**
 * The alarms that `ServiceMonitoring` can create.
 *
 * Each value is the suffix of the alarm's name (`<alarmNamePrefix>-<value>`) and the anchor of its runbook section
 * in `docs/operations.md`.
 */
export enum ServiceAlarm {
  /** API Gateway 5XXError as a percentage of Count. */
  API_5XX_RATE = 'api-5xx-rate',
  /** API Gateway 4XXError as a percentage of Count. */
  API_4XX_RATE = 'api-4xx-rate',
  /** API Gateway p99 Latency. */
  API_LATENCY_P99 = 'api-latency-p99',
  /** API Gateway p99 IntegrationLatency. */
  API_INTEGRATION_LATENCY_P99 = 'api-integration-latency-p99',
  /** NLB target group UnHealthyHostCount above 0. */
  NLB_UNHEALTHY_HOSTS = 'nlb-unhealthy-hosts',
  /** NLB target group HealthyHostCount below the desired task count. */
  NLB_HEALTHY_HOSTS_LOW = 'nlb-healthy-hosts-low',
  /** ECS service CPUUtilization. */
  ECS_CPU_HIGH = 'ecs-cpu-high',
  /** ECS service MemoryUtilization. */
  ECS_MEMORY_HIGH = 'ecs-memory-high',
  /** Container Insights RunningTaskCount below the desired task count. */
  ECS_RUNNING_TASKS_LOW = 'ecs-running-tasks-low',
  /** WAF BlockedRequests of the whole web ACL (rule `ALL`). */
  WAF_BLOCKED_SPIKE = 'waf-blocked-spike',
  /** WAF CaptchaRequests of the CAPTCHA rule. */
  WAF_CAPTCHA_SPIKE = 'waf-captcha-spike',
  /** WAF BlockedRequests of the rate-based rule. */
  WAF_RATE_LIMIT_BLOCKS = 'waf-rate-limit-blocks',
  /** Auto Scaling group GroupInServiceInstances at its maximum. */
  ASG_CAPACITY_AT_MAX = 'asg-capacity-at-max',
  /** Aurora CPUUtilization. */
  DB_CPU_HIGH = 'db-cpu-high',
  /** Aurora FreeableMemory. */
  DB_FREEABLE_MEMORY_LOW = 'db-freeable-memory-low',
  /** Aurora DatabaseConnections. */
  DB_CONNECTIONS_HIGH = 'db-connections-high',
  /** Aurora AuroraReplicaLagMaximum. */
  DB_REPLICA_LAG_HIGH = 'db-replica-lag-high',
}

/**
 * The CloudWatch metric names of the web ACL's rules (their `VisibilityConfig.MetricName`).
 */
export interface WafRuleMetricNames {
  /**
   * The metric name of the rule that blocks requests from denied countries.
   *
   * @default - no per-rule blocked-countries widget
   */
  readonly blockedCountries?: string;

  /**
   * The metric name of the rule that answers requests from some countries with a CAPTCHA.
   *
   * @default - no CAPTCHA alarm and no per-rule CAPTCHA widget
   */
  readonly captchaCountries?: string;

  /**
   * The metric name of the rate-based rule.
   *
   * @default - no rate-limit alarm and no per-rule rate-limit widget
   */
  readonly rateLimit?: string;
}

/**
 * The user-facing options of `ServiceMonitoring`: where alarms go, what they are called, and their thresholds.
 *
 * Every alarm can be switched off through `disabledAlarms`; thresholds are only thresholds (no magic values).
 */
export interface ServiceMonitoringOptions {
  /**
   * The SNS topic that receives every alarm's ALARM and OK notifications.
   *
   * @default - a new topic is created
   */
  readonly alarmTopic?: sns.ITopic;

  /**
   * An e-mail address subscribed to the alarm topic (also when you pass your own `alarmTopic`).
   *
   * @default - no e-mail subscription
   */
  readonly alarmEmail?: string;

  /**
   * Create the CloudWatch alarms.
   *
   * @default true
   */
  readonly enableAlarms?: boolean;

  /**
   * Create the CloudWatch dashboard.
   *
   * @default true
   */
  readonly enableDashboard?: boolean;

  /**
   * The name of the dashboard (letters, digits, `-` and `_`).
   *
   * @default - the alarm-name prefix with other characters replaced by `-`
   */
  readonly dashboardName?: string;

  /**
   * The prefix of every alarm name; alarms are named `<prefix>-<ServiceAlarm value>`.
   *
   * @default - the stack name followed by the construct path below the stack, joined with `-`
   */
  readonly alarmNamePrefix?: string;

  /**
   * Where the runbook lives; alarm descriptions link to `<runbookUrl>#<ServiceAlarm value>`.
   *
   * @default 'docs/operations.md'
   */
  readonly runbookUrl?: string;

  /**
   * Alarms not to create.
   *
   * @default - all alarms whose inputs are available are created
   */
  readonly disabledAlarms?: ServiceAlarm[];

  /**
   * Alarm when API Gateway 5XXError exceeds this percentage of Count over 5 minutes (0 to 100).
   *
   * @default 1
   */
  readonly api5xxRateThreshold?: number;

  /**
   * Alarm when API Gateway 4XXError exceeds this percentage of Count in 3 consecutive 5-minute periods (0 to 100).
   *
   * @default 10
   */
  readonly api4xxRateThreshold?: number;

  /**
   * Alarm when the p99 API Gateway Latency exceeds this many milliseconds in 3 consecutive 5-minute periods.
   *
   * @default 2000
   */
  readonly apiLatencyP99ThresholdMs?: number;

  /**
   * Alarm when the p99 API Gateway IntegrationLatency exceeds this many milliseconds in 3 consecutive 5-minute periods.
   *
   * @default 1500
   */
  readonly apiIntegrationLatencyP99ThresholdMs?: number;

  /**
   * Alarm when the ECS service's average CPU utilisation exceeds this percentage in 3 consecutive 5-minute periods.
   *
   * @default 80
   */
  readonly cpuUtilizationThreshold?: number;

  /**
   * Alarm when the ECS service's average memory utilisation exceeds this percentage in 3 consecutive 5-minute periods.
   *
   * @default 80
   */
  readonly memoryUtilizationThreshold?: number;

  /**
   * Alarm when the web ACL blocks more than this many requests (all rules) in 5 minutes.
   *
   * @default 1000
   */
  readonly wafBlockedRequestsThreshold?: number;

  /**
   * Alarm when the CAPTCHA rule answers more than this many requests with a CAPTCHA in 5 minutes.
   *
   * @default 500
   */
  readonly wafCaptchaRequestsThreshold?: number;

  /**
   * Alarm when the rate-based rule blocks more than this many requests in 5 minutes.
   *
   * @default 100
   */
  readonly wafRateLimitBlocksThreshold?: number;

  /**
   * Alarm when the database's average CPU utilisation exceeds this percentage in 3 consecutive 5-minute periods.
   *
   * @default 80
   */
  readonly databaseCpuUtilizationThreshold?: number;

  /**
   * Alarm when the database's minimum freeable memory falls below this many MiB in 3 consecutive 5-minute periods.
   *
   * @default 256
   */
  readonly databaseFreeableMemoryThresholdMiB?: number;

  /**
   * Alarm when the database's maximum connection count exceeds this in 3 consecutive 5-minute periods.
   *
   * Set it to about 80% of `max_connections` of your instance class.
   *
   * @default 400
   */
  readonly databaseConnectionsThreshold?: number;

  /**
   * Alarm when the maximum Aurora replica lag exceeds this many milliseconds in 3 consecutive 5-minute periods.
   *
   * @default 2000
   */
  readonly databaseReplicaLagThresholdMs?: number;

  /**
   * The Aurora cluster the service uses.
   *
   * @default - no database alarms or widgets
   */
  readonly database?: rds.IDatabaseCluster;
}

/**
 * Properties of a `ServiceMonitoring`: the resources to watch (wired by `PrivateLinkEcsService`) and the options.
 */
export interface ServiceMonitoringProps extends ServiceMonitoringOptions {
  /**
   * The ECS service behind the load balancer.
   */
  readonly service: ecs.BaseService;

  /**
   * The number of tasks the service should run; the healthy-host and running-task alarms fire below it. A service
   * scaled to zero (0) has no floor, so those two alarms are not created.
   */
  readonly desiredCount: number;

  /**
   * The network load balancer in front of the service.
   */
  readonly loadBalancer: elbv2.INetworkLoadBalancer;

  /**
   * The target group of the service's tasks, attached to `loadBalancer`.
   */
  readonly targetGroup: elbv2.INetworkTargetGroup;

  /**
   * The REST API that fronts the load balancer.
   */
  readonly restApi: apigateway.IRestApi;

  /**
   * The name of the REST API's stage to watch.
   */
  readonly stageName: string;

  /**
   * The CloudWatch metric name of the web ACL (the `WebACL` dimension of `AWS/WAFV2` metrics).
   *
   * @default - no WAF alarms or widgets
   */
  readonly webAclMetricName?: string;

  /**
   * The metric names of the web ACL's rules, for per-rule alarms and widgets.
   *
   * @default - only web-ACL-wide WAF metrics
   */
  readonly wafRuleMetricNames?: WafRuleMetricNames;

  /**
   * The Auto Scaling group of the cluster's capacity provider; its group metrics must be enabled.
   *
   * @default - no capacity alarm or widget
   */
  readonly autoScalingGroup?: autoscaling.IAutoScalingGroup;

  /**
   * The maximum capacity of `autoScalingGroup`.
   *
   * @default - the alarm compares GroupInServiceInstances with the GroupMaxSize metric
   */
  readonly autoScalingGroupMaxCapacity?: number;
}

/** What `addAlarm` needs besides the metric. */
interface AlarmSpec {
  readonly threshold: number;
  readonly comparisonOperator: cloudwatch.ComparisonOperator;
  readonly evaluationPeriods: number;
  readonly datapointsToAlarm?: number;
  readonly treatMissingData: cloudwatch.TreatMissingData;
  /** What broke, in one sentence. */
  readonly summary: string;
  /** Where to look first. */
  readonly lookAt: string;
}

const FIVE_MINUTES = Duration.minutes(5);
const ONE_MINUTE = Duration.minutes(1);

/**
 * Alarms, an SNS alarm topic and a CloudWatch dashboard for a service behind API Gateway, an NLB and a web ACL.
 *
 * Alarms cover API Gateway error rates and latency, NLB target health, ECS CPU, memory and running tasks, WAF
 * blocks and CAPTCHAs, capacity-provider headroom and (when given) the Aurora cluster. Each alarm notifies the
 * topic on ALARM and OK, and its description links to its runbook section in `docs/operations.md`.
 *
 * @example
 * declare const service: ecs.Ec2Service;
 * declare const loadBalancer: elbv2.NetworkLoadBalancer;
 * declare const targetGroup: elbv2.NetworkTargetGroup;
 * declare const api: apigateway.RestApi;
 *
 * const monitoring = new ServiceMonitoring(this, 'Monitoring', {
 *   service,
 *   desiredCount: 2,
 *   loadBalancer,
 *   targetGroup,
 *   restApi: api,
 *   stageName: api.deploymentStage.stageName,
 *   webAclMetricName: 'items-web-acl',
 *   alarmEmail: 'oncall@example.com',
 *   api5xxRateThreshold: 2,
 *   disabledAlarms: [ServiceAlarm.API_4XX_RATE],
 * });
 * service.enableDeploymentAlarms(monitoring.deploymentAlarmNames);
 */
export class ServiceMonitoring extends Construct {
  /**
   * The topic that receives ALARM and OK notifications (created even when alarms are disabled, for your own alarms).
   */
  public readonly alarmTopic: sns.ITopic;

  /**
   * Every alarm this construct created.
   */
  public readonly alarms: cloudwatch.Alarm[] = [];

  /**
   * The API Gateway 5XX-rate alarm.
   *
   * Undefined when `enableAlarms` is false or `ServiceAlarm.API_5XX_RATE` is in `disabledAlarms`.
   */
  public readonly api5xxAlarm?: cloudwatch.Alarm;

  /**
   * The NLB unhealthy-hosts alarm.
   *
   * Undefined when `enableAlarms` is false or `ServiceAlarm.NLB_UNHEALTHY_HOSTS` is in `disabledAlarms`.
   */
  public readonly unhealthyHostsAlarm?: cloudwatch.Alarm;

  /**
   * The literal names of the alarms that should roll back an ECS deployment (`api5xxAlarm`, `unhealthyHostsAlarm`).
   *
   * They are plain strings rather than tokens, so `service.enableDeploymentAlarms(deploymentAlarmNames)` adds no
   * dependency from the service on the alarms. Empty when both alarms are absent.
   */
  public readonly deploymentAlarmNames: string[];

  /**
   * The dashboard; undefined when `enableDashboard` is false.
   */
  public readonly dashboard?: cloudwatch.Dashboard;

  /**
   * The prefix of every alarm name.
   */
  public readonly alarmNamePrefix: string;

  private readonly props: ServiceMonitoringProps;
  private readonly disabled: Set<ServiceAlarm>;
  private readonly runbookUrl: string;
  private readonly alarmsByKind = new Map<ServiceAlarm, cloudwatch.Alarm>();

  constructor(scope: Construct, id: string, props: ServiceMonitoringProps) {
    super(scope, id);
    this.props = props;

    const enableAlarms = props.enableAlarms ?? true;
    const enableDashboard = props.enableDashboard ?? true;
    this.alarmNamePrefix = props.alarmNamePrefix ?? defaultAlarmNamePrefix(this);
    this.runbookUrl = props.runbookUrl ?? 'docs/operations.md';
    this.disabled = new Set(props.disabledAlarms ?? []);
    if (props.desiredCount === 0) {
      // Scaled to zero: nothing to fall below.
      this.disabled.add(ServiceAlarm.NLB_HEALTHY_HOSTS_LOW);
      this.disabled.add(ServiceAlarm.ECS_RUNNING_TASKS_LOW);
    }
    const dashboardName = props.dashboardName ?? sanitizeName(this.alarmNamePrefix);

    this.validateProps(dashboardName);

    this.alarmTopic =
      props.alarmTopic ?? new sns.Topic(this, 'AlarmTopic', { displayName: 'Service alarms', enforceSSL: true });
    if (props.alarmEmail !== undefined) {
      new sns.Subscription(this, 'AlarmEmail', {
        topic: this.alarmTopic,
        protocol: sns.SubscriptionProtocol.EMAIL,
        endpoint: props.alarmEmail,
      });
    }

    if (enableAlarms) {
      this.createAlarms();
    }
    this.api5xxAlarm = this.alarmsByKind.get(ServiceAlarm.API_5XX_RATE);
    this.unhealthyHostsAlarm = this.alarmsByKind.get(ServiceAlarm.NLB_UNHEALTHY_HOSTS);
    this.deploymentAlarmNames = [ServiceAlarm.API_5XX_RATE, ServiceAlarm.NLB_UNHEALTHY_HOSTS]
      .filter((kind) => this.alarmsByKind.has(kind))
      .map((kind) => this.alarmName(kind));

    if (enableDashboard) {
      this.dashboard = this.createDashboard(dashboardName);
    }
  }

  /**
   * The number of requests to the API stage (`Count`).
   *
   * @default Sum over 5 minutes
   */
  public metricApiRequests(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.apiMetric('Count', { statistic: cloudwatch.Stats.SUM, ...props });
  }

  /**
   * The number of 5XX responses of the API stage (`5XXError`).
   *
   * @default Sum over 5 minutes
   */
  public metricApi5xx(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.apiMetric('5XXError', { statistic: cloudwatch.Stats.SUM, ...props });
  }

  /**
   * The number of 4XX responses of the API stage (`4XXError`).
   *
   * @default Sum over 5 minutes
   */
  public metricApi4xx(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.apiMetric('4XXError', { statistic: cloudwatch.Stats.SUM, ...props });
  }

  /**
   * The percentage of requests answered with a 5XX: `IF(requests > 0, 100 * errors5xx / requests, 0)`.
   *
   * @param period the period of both metrics
   * @default period 5 minutes
   */
  public metricApi5xxRate(period?: Duration): cloudwatch.MathExpression {
    return this.errorRate('errors5xx', this.metricApi5xx({ period }), '5XX error rate (%)', period);
  }

  /**
   * The percentage of requests answered with a 4XX: `IF(requests > 0, 100 * errors4xx / requests, 0)`.
   *
   * @param period the period of both metrics
   * @default period 5 minutes
   */
  public metricApi4xxRate(period?: Duration): cloudwatch.MathExpression {
    return this.errorRate('errors4xx', this.metricApi4xx({ period }), '4XX error rate (%)', period);
  }

  /**
   * The p99 time between API Gateway receiving a request and returning a response (`Latency`, milliseconds).
   *
   * @default p99 over 5 minutes
   */
  public metricApiLatencyP99(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.apiMetric('Latency', { statistic: cloudwatch.Stats.p(99), ...props });
  }

  /**
   * The p99 time API Gateway waits for the backend (`IntegrationLatency`, milliseconds).
   *
   * @default p99 over 5 minutes
   */
  public metricApiIntegrationLatencyP99(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.apiMetric('IntegrationLatency', { statistic: cloudwatch.Stats.p(99), ...props });
  }

  /**
   * The number of healthy targets in the target group (`AWS/NetworkELB` `HealthyHostCount`).
   *
   * @default Minimum over 1 minute
   */
  public metricHealthyHosts(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.targetGroupMetric('HealthyHostCount', { statistic: cloudwatch.Stats.MINIMUM, ...props });
  }

  /**
   * The number of unhealthy targets in the target group (`AWS/NetworkELB` `UnHealthyHostCount`).
   *
   * @default Maximum over 1 minute
   */
  public metricUnhealthyHosts(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.targetGroupMetric('UnHealthyHostCount', { statistic: cloudwatch.Stats.MAXIMUM, ...props });
  }

  /**
   * The ECS service's CPU utilisation (`AWS/ECS` `CPUUtilization`, percent).
   *
   * @default Average over 5 minutes
   */
  public metricCpuUtilization(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.props.service.metricCpuUtilization({ period: FIVE_MINUTES, ...props });
  }

  /**
   * The ECS service's memory utilisation (`AWS/ECS` `MemoryUtilization`, percent).
   *
   * @default Average over 5 minutes
   */
  public metricMemoryUtilization(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.props.service.metricMemoryUtilization({ period: FIVE_MINUTES, ...props });
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
      dimensionsMap: {
        ClusterName: this.props.service.cluster.clusterName,
        ServiceName: this.props.service.serviceName,
      },
      statistic: cloudwatch.Stats.MINIMUM,
      period: ONE_MINUTE,
      ...props,
    });
  }

  /**
   * The number of requests the web ACL blocked (`AWS/WAFV2` `BlockedRequests`).
   *
   * @param rule the rule's metric name, or `ALL` for the whole web ACL
   * @param props metric options
   * @default rule 'ALL', Sum over 5 minutes
   */
  public metricWafBlocked(rule?: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.wafMetric('BlockedRequests', rule, props);
  }

  /**
   * The number of requests the web ACL answered with a CAPTCHA (`AWS/WAFV2` `CaptchaRequests`).
   *
   * @param rule the rule's metric name, or `ALL` for the whole web ACL
   * @param props metric options
   * @default rule 'ALL', Sum over 5 minutes
   */
  public metricWafCaptcha(rule?: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.wafMetric('CaptchaRequests', rule, props);
  }

  /**
   * The number of requests the web ACL allowed (`AWS/WAFV2` `AllowedRequests`).
   *
   * @param rule the rule's metric name, or `ALL` for the whole web ACL
   * @param props metric options
   * @default rule 'ALL', Sum over 5 minutes
   */
  public metricWafAllowed(rule?: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.wafMetric('AllowedRequests', rule, props);
  }

  /**
   * The full name `<alarmNamePrefix>-<kind>` of an alarm (whether or not it was created).
   */
  public alarmName(kind: ServiceAlarm): string {
    return `${this.alarmNamePrefix}-${kind}`;
  }

  /**
   * Creates every alarm whose inputs are present and that is not disabled.
   */
  protected createAlarms(): void {
    const p = this.props;
    const t = cloudwatch.TreatMissingData;
    const op = cloudwatch.ComparisonOperator;
    const api = `API Gateway API '${p.restApi.restApiName}' stage '${p.stageName}'`;
    // Thresholds, with their defaults resolved once.
    const th = {
      api5xxRateThreshold: p.api5xxRateThreshold ?? 1,
      api4xxRateThreshold: p.api4xxRateThreshold ?? 10,
      apiLatencyP99ThresholdMs: p.apiLatencyP99ThresholdMs ?? 2000,
      apiIntegrationLatencyP99ThresholdMs: p.apiIntegrationLatencyP99ThresholdMs ?? 1500,
      cpuUtilizationThreshold: p.cpuUtilizationThreshold ?? 80,
      memoryUtilizationThreshold: p.memoryUtilizationThreshold ?? 80,
      wafBlockedRequestsThreshold: p.wafBlockedRequestsThreshold ?? 1000,
      wafCaptchaRequestsThreshold: p.wafCaptchaRequestsThreshold ?? 500,
      wafRateLimitBlocksThreshold: p.wafRateLimitBlocksThreshold ?? 100,
      databaseCpuUtilizationThreshold: p.databaseCpuUtilizationThreshold ?? 80,
      databaseFreeableMemoryThresholdMiB: p.databaseFreeableMemoryThresholdMiB ?? 256,
      databaseConnectionsThreshold: p.databaseConnectionsThreshold ?? 400,
      databaseReplicaLagThresholdMs: p.databaseReplicaLagThresholdMs ?? 2000,
    };

    this.addAlarm(ServiceAlarm.API_5XX_RATE, this.metricApi5xxRate(), {
      threshold: th.api5xxRateThreshold,
      comparisonOperator: op.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: t.NOT_BREACHING,
      summary: `More than ${th.api5xxRateThreshold}% of requests to the ${api} failed with a 5XX in 5 minutes.`,
      lookAt: 'the service logs (aws logs tail), the NLB target health and the last ECS deployment',
    });
    this.addAlarm(ServiceAlarm.API_4XX_RATE, this.metricApi4xxRate(), {
      threshold: th.api4xxRateThreshold,
      comparisonOperator: op.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 3,
      treatMissingData: t.NOT_BREACHING,
      summary: `More than ${th.api4xxRateThreshold}% of requests to the ${api} got a 4XX for 15 minutes.`,
      lookAt: 'API Gateway access logs, WAF sampled requests and recent client or API changes',
    });
    this.addAlarm(ServiceAlarm.API_LATENCY_P99, this.metricApiLatencyP99(), {
      threshold: th.apiLatencyP99ThresholdMs,
      comparisonOperator: op.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 3,
      treatMissingData: t.NOT_BREACHING,
      summary: `The p99 latency of the ${api} was above ${th.apiLatencyP99ThresholdMs} ms for 15 minutes.`,
      lookAt: 'IntegrationLatency on the dashboard (backend or API Gateway?), ECS CPU and the database',
    });
    this.addAlarm(ServiceAlarm.API_INTEGRATION_LATENCY_P99, this.metricApiIntegrationLatencyP99(), {
      threshold: th.apiIntegrationLatencyP99ThresholdMs,
      comparisonOperator: op.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 3,
      treatMissingData: t.NOT_BREACHING,
      summary:
        `The p99 integration (backend) latency of the ${api} was above ` +
        `${th.apiIntegrationLatencyP99ThresholdMs} ms for 15 minutes.`,
      lookAt: 'ECS CPU and memory, the running task count, the database and the service logs',
    });

    this.addAlarm(ServiceAlarm.NLB_UNHEALTHY_HOSTS, this.metricUnhealthyHosts(), {
      threshold: 0,
      comparisonOperator: op.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 3,
      datapointsToAlarm: 2,
      treatMissingData: t.NOT_BREACHING,
      summary: 'The NLB target group has had unhealthy targets in 2 of the last 3 minutes.',
      lookAt: 'aws elbv2 describe-target-health, the stopped tasks of the ECS service and the service logs',
    });
    this.addAlarm(ServiceAlarm.NLB_HEALTHY_HOSTS_LOW, this.metricHealthyHosts(), {
      threshold: p.desiredCount,
      comparisonOperator: op.LESS_THAN_THRESHOLD,
      evaluationPeriods: 5,
      treatMissingData: t.BREACHING,
      summary: `The NLB target group has had fewer than ${p.desiredCount} healthy targets for 5 minutes.`,
      lookAt: 'aws elbv2 describe-target-health and aws ecs describe-services (events, running count)',
    });

    this.addAlarm(ServiceAlarm.ECS_CPU_HIGH, this.metricCpuUtilization(), {
      threshold: th.cpuUtilizationThreshold,
      comparisonOperator: op.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 3,
      treatMissingData: t.NOT_BREACHING,
      summary: `The ECS service's average CPU was above ${th.cpuUtilizationThreshold}% for 15 minutes.`,
      lookAt: 'request rate and running tasks on the dashboard, scaling activity and the service logs',
    });
    this.addAlarm(ServiceAlarm.ECS_MEMORY_HIGH, this.metricMemoryUtilization(), {
      threshold: th.memoryUtilizationThreshold,
      comparisonOperator: op.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 3,
      treatMissingData: t.NOT_BREACHING,
      summary: `The ECS service's average memory was above ${th.memoryUtilizationThreshold}% for 15 minutes.`,
      lookAt: 'stopped tasks (OutOfMemory exit codes), the service logs and the task definition memory',
    });
    this.addAlarm(ServiceAlarm.ECS_RUNNING_TASKS_LOW, this.metricRunningTasks(), {
      threshold: p.desiredCount,
      comparisonOperator: op.LESS_THAN_THRESHOLD,
      evaluationPeriods: 5,
      treatMissingData: t.BREACHING,
      summary: `The ECS service has run fewer than ${p.desiredCount} tasks for 5 minutes.`,
      lookAt: 'aws ecs describe-services (events), stopped task reasons and the capacity provider',
    });

    if (p.webAclMetricName !== undefined) {
      const rules = p.wafRuleMetricNames ?? {};
      this.addAlarm(ServiceAlarm.WAF_BLOCKED_SPIKE, this.metricWafBlocked(), {
        threshold: th.wafBlockedRequestsThreshold,
        comparisonOperator: op.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: t.NOT_BREACHING,
        summary:
          `The web ACL '${p.webAclMetricName}' blocked more than ` +
          `${th.wafBlockedRequestsThreshold} requests in 5 minutes.`,
        lookAt: 'the per-rule WAF widgets and WAF sampled requests (aws wafv2 get-sampled-requests)',
      });
      if (rules.captchaCountries !== undefined) {
        this.addAlarm(ServiceAlarm.WAF_CAPTCHA_SPIKE, this.metricWafCaptcha(rules.captchaCountries), {
          threshold: th.wafCaptchaRequestsThreshold,
          comparisonOperator: op.GREATER_THAN_THRESHOLD,
          evaluationPeriods: 1,
          treatMissingData: t.NOT_BREACHING,
          summary:
            `The WAF rule '${rules.captchaCountries}' answered more than ` +
            `${th.wafCaptchaRequestsThreshold} requests with a CAPTCHA in 5 minutes.`,
          lookAt: 'WAF sampled requests of the CAPTCHA rule (countries, IPs, user agents)',
        });
      }
      if (rules.rateLimit !== undefined) {
        this.addAlarm(ServiceAlarm.WAF_RATE_LIMIT_BLOCKS, this.metricWafBlocked(rules.rateLimit), {
          threshold: th.wafRateLimitBlocksThreshold,
          comparisonOperator: op.GREATER_THAN_THRESHOLD,
          evaluationPeriods: 1,
          treatMissingData: t.NOT_BREACHING,
          summary:
            `The rate-based WAF rule '${rules.rateLimit}' blocked more than ` +
            `${th.wafRateLimitBlocksThreshold} requests in 5 minutes.`,
          lookAt:
            'WAF sampled requests of the rate rule and the rate-based rule keys (aws wafv2 get-rate-based-statement-managed-keys)',
        });
      }
    }

    if (p.autoScalingGroup !== undefined) {
      this.addAlarm(ServiceAlarm.ASG_CAPACITY_AT_MAX, this.capacityAtMaxMetric(p.autoScalingGroup), {
        threshold: p.autoScalingGroupMaxCapacity ?? 0,
        comparisonOperator: op.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 3,
        treatMissingData: t.NOT_BREACHING,
        summary: `The capacity provider's Auto Scaling group '${p.autoScalingGroup.autoScalingGroupName}' has run at its maximum size for 15 minutes; new tasks may not be placed.`,
        lookAt: 'aws ecs describe-services (unable to place task events) and the ASG activity history',
      });
    }

    if (p.database !== undefined) {
      const db = `Aurora cluster '${p.database.clusterIdentifier}'`;
      const dbLook = 'RDS Performance Insights, the slow query log and the service logs';
      this.addAlarm(ServiceAlarm.DB_CPU_HIGH, p.database.metricCPUUtilization({ period: FIVE_MINUTES }), {
        threshold: th.databaseCpuUtilizationThreshold,
        comparisonOperator: op.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 3,
        treatMissingData: t.NOT_BREACHING,
        summary: `The ${db} averaged above ${th.databaseCpuUtilizationThreshold}% CPU for 15 minutes.`,
        lookAt: dbLook,
      });
      const memMiB = th.databaseFreeableMemoryThresholdMiB;
      this.addAlarm(
        ServiceAlarm.DB_FREEABLE_MEMORY_LOW,
        p.database.metricFreeableMemory({ statistic: cloudwatch.Stats.MINIMUM, period: FIVE_MINUTES }),
        {
          threshold: memMiB * 1024 * 1024,
          comparisonOperator: op.LESS_THAN_THRESHOLD,
          evaluationPeriods: 3,
          treatMissingData: t.NOT_BREACHING,
          summary: `The ${db} has had less than ${memMiB} MiB of freeable memory for 15 minutes.`,
          lookAt: dbLook,
        },
      );
      this.addAlarm(
        ServiceAlarm.DB_CONNECTIONS_HIGH,
        p.database.metricDatabaseConnections({ statistic: cloudwatch.Stats.MAXIMUM, period: FIVE_MINUTES }),
        {
          threshold: th.databaseConnectionsThreshold,
          comparisonOperator: op.GREATER_THAN_THRESHOLD,
          evaluationPeriods: 3,
          treatMissingData: t.NOT_BREACHING,
          summary: `The ${db} has had more than ${th.databaseConnectionsThreshold} connections for 15 minutes.`,
          lookAt: 'the running task count, the connection pool size per task and pg_stat_activity',
        },
      );
      this.addAlarm(
        ServiceAlarm.DB_REPLICA_LAG_HIGH,
        p.database.metric('AuroraReplicaLagMaximum', { statistic: cloudwatch.Stats.MAXIMUM, period: FIVE_MINUTES }),
        {
          threshold: th.databaseReplicaLagThresholdMs,
          comparisonOperator: op.GREATER_THAN_THRESHOLD,
          evaluationPeriods: 3,
          treatMissingData: t.NOT_BREACHING,
          summary: `A replica of the ${db} has lagged more than ${th.databaseReplicaLagThresholdMs} ms behind the writer for 15 minutes.`,
          lookAt: 'write volume on the writer, replica CPU and long-running queries on the replicas',
        },
      );
    }
  }

  /**
   * Creates the dashboard.
   */
  protected createDashboard(dashboardName: string): cloudwatch.Dashboard {
    const p = this.props;
    const dashboard = new cloudwatch.Dashboard(this, 'Dashboard', { dashboardName });

    dashboard.addWidgets(
      new cloudwatch.TextWidget({
        markdown:
          `# ${this.alarmNamePrefix}\n` +
          `API stage \`${p.stageName}\` → NLB → ECS service. Runbook: ${this.runbookUrl}`,
        width: 24,
        height: 2,
      }),
    );
    if (this.alarms.length > 0) {
      dashboard.addWidgets(
        new cloudwatch.AlarmStatusWidget({ title: 'Alarms', alarms: this.alarms, width: 24, height: 4 }),
      );
    }

    const percentiles = [50, 90, 99];
    dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'API requests',
        left: [this.metricApiRequests({ label: 'Requests', period: ONE_MINUTE })],
        width: 6,
      }),
      new cloudwatch.GraphWidget({
        title: 'API errors',
        left: [
          this.metricApi4xx({ label: '4XX', period: ONE_MINUTE }),
          this.metricApi5xx({ label: '5XX', period: ONE_MINUTE }),
        ],
        right: [this.metricApi4xxRate(), this.metricApi5xxRate()],
        width: 6,
      }),
      new cloudwatch.GraphWidget({
        title: 'API latency (ms)',
        left: percentiles.map((n) =>
          this.apiMetric('Latency', { statistic: cloudwatch.Stats.p(n), label: `Latency p${n}` }),
        ),
        width: 6,
      }),
      new cloudwatch.GraphWidget({
        title: 'API integration latency (ms)',
        left: percentiles.map((n) =>
          this.apiMetric('IntegrationLatency', { statistic: cloudwatch.Stats.p(n), label: `IntegrationLatency p${n}` }),
        ),
        width: 6,
      }),
    );

    dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'NLB target health',
        left: [this.metricHealthyHosts({ label: 'Healthy' }), this.metricUnhealthyHosts({ label: 'Unhealthy' })],
        leftAnnotations: [{ value: p.desiredCount, label: 'Desired' }],
        width: 6,
      }),
      new cloudwatch.GraphWidget({
        title: 'NLB flows',
        left: [
          p.loadBalancer.metrics.activeFlowCount({ label: 'Active flows', period: ONE_MINUTE }),
          p.loadBalancer.metrics.newFlowCount({ label: 'New flows', period: ONE_MINUTE }),
        ],
        width: 6,
      }),
      new cloudwatch.GraphWidget({
        title: 'ECS CPU and memory (%)',
        left: [
          this.metricCpuUtilization({ label: 'CPU', period: ONE_MINUTE }),
          this.metricMemoryUtilization({ label: 'Memory', period: ONE_MINUTE }),
        ],
        leftYAxis: { min: 0, max: 100 },
        width: 6,
      }),
      new cloudwatch.GraphWidget({
        title: 'ECS running tasks',
        left: [this.metricRunningTasks({ label: 'Running tasks' })],
        leftAnnotations: [{ value: p.desiredCount, label: 'Desired' }],
        width: 6,
      }),
    );

    if (p.webAclMetricName !== undefined) {
      const rules = p.wafRuleMetricNames ?? {};
      const perRule: cloudwatch.IMetric[] = [];
      if (rules.blockedCountries !== undefined) {
        perRule.push(this.metricWafBlocked(rules.blockedCountries, { label: `Blocked: ${rules.blockedCountries}` }));
      }
      if (rules.captchaCountries !== undefined) {
        perRule.push(this.metricWafCaptcha(rules.captchaCountries, { label: `CAPTCHA: ${rules.captchaCountries}` }));
      }
      if (rules.rateLimit !== undefined) {
        perRule.push(this.metricWafBlocked(rules.rateLimit, { label: `Blocked: ${rules.rateLimit}` }));
      }
      const widgets: cloudwatch.IWidget[] = [
        new cloudwatch.GraphWidget({
          title: 'WAF requests (web ACL)',
          left: [
            this.metricWafAllowed('ALL', { label: 'Allowed' }),
            this.metricWafBlocked('ALL', { label: 'Blocked' }),
            this.metricWafCaptcha('ALL', { label: 'CAPTCHA' }),
          ],
          width: 12,
        }),
      ];
      if (perRule.length > 0) {
        widgets.push(new cloudwatch.GraphWidget({ title: 'WAF requests per rule', left: perRule, width: 12 }));
      }
      dashboard.addWidgets(...widgets);
    }

    const capacityWidgets: cloudwatch.IWidget[] = [];
    if (p.autoScalingGroup !== undefined) {
      capacityWidgets.push(
        new cloudwatch.GraphWidget({
          title: 'Capacity provider instances',
          left: [
            this.asgMetric(p.autoScalingGroup, 'GroupInServiceInstances', 'In service'),
            this.asgMetric(p.autoScalingGroup, 'GroupMaxSize', 'Max size'),
          ],
          width: 6,
        }),
      );
    }
    if (p.database !== undefined) {
      const db = p.database;
      capacityWidgets.push(
        new cloudwatch.GraphWidget({
          title: 'Database CPU (%)',
          left: [db.metricCPUUtilization({ label: 'CPU', period: ONE_MINUTE })],
          width: 6,
        }),
        new cloudwatch.GraphWidget({
          title: 'Database freeable memory (bytes)',
          left: [db.metricFreeableMemory({ label: 'Freeable memory', statistic: 'Minimum', period: ONE_MINUTE })],
          width: 6,
        }),
        new cloudwatch.GraphWidget({
          title: 'Database connections and replica lag',
          left: [db.metricDatabaseConnections({ label: 'Connections', statistic: 'Maximum', period: ONE_MINUTE })],
          right: [
            db.metric('AuroraReplicaLagMaximum', {
              label: 'Replica lag (ms)',
              statistic: 'Maximum',
              period: ONE_MINUTE,
            }),
          ],
          width: 6,
        }),
      );
    }
    if (capacityWidgets.length > 0) {
      dashboard.addWidgets(...capacityWidgets);
    }
    return dashboard;
  }

  private addAlarm(kind: ServiceAlarm, metric: cloudwatch.IMetric, spec: AlarmSpec): void {
    if (this.disabled.has(kind)) {
      return;
    }
    const id = kind
      .split('-')
      .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
      .join('');
    const alarm = new cloudwatch.Alarm(this, `${id}Alarm`, {
      alarmName: this.alarmName(kind),
      alarmDescription: `${spec.summary} Look at: ${spec.lookAt}. Runbook: ${this.runbookUrl}#${kind}`,
      metric,
      threshold: spec.threshold,
      comparisonOperator: spec.comparisonOperator,
      evaluationPeriods: spec.evaluationPeriods,
      datapointsToAlarm: spec.datapointsToAlarm,
      treatMissingData: spec.treatMissingData,
    });
    const action = new cwActions.SnsAction(this.alarmTopic);
    alarm.addAlarmAction(action);
    alarm.addOkAction(action);
    this.alarms.push(alarm);
    this.alarmsByKind.set(kind, alarm);
  }

  private apiMetric(metricName: string, props: cloudwatch.MetricOptions): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: 'AWS/ApiGateway',
      metricName,
      dimensionsMap: { ApiName: this.props.restApi.restApiName, Stage: this.props.stageName },
      period: FIVE_MINUTES,
      ...props,
    });
  }

  /**
   * A target-group metric with `LoadBalancer` = the NLB's full name and `TargetGroup` = the target group's full name.
   *
   * Built directly rather than through `targetGroup.metrics`, which derives the load balancer from the target group's
   * first listener and throws until a listener is attached; this way the order of construction does not matter.
   */
  private targetGroupMetric(metricName: string, props: cloudwatch.MetricOptions): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: 'AWS/NetworkELB',
      metricName,
      dimensionsMap: {
        LoadBalancer: loadBalancerFullName(this.props.loadBalancer),
        TargetGroup: targetGroupFullName(this.props.targetGroup),
      },
      period: ONE_MINUTE,
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
      usingMetrics: { [errorsId]: errors, requests: this.metricApiRequests({ period }) },
      label,
      period: period ?? FIVE_MINUTES,
    });
  }

  private wafMetric(
    metricName: string,
    rule: string | undefined,
    props: cloudwatch.MetricOptions | undefined,
  ): cloudwatch.Metric {
    if (this.props.webAclMetricName === undefined) {
      throw new Error(`\`webAclMetricName\` is required for WAF metrics, got: undefined.`);
    }
    return new cloudwatch.Metric({
      namespace: 'AWS/WAFV2',
      metricName,
      dimensionsMap: { WebACL: this.props.webAclMetricName, Region: Stack.of(this).region, Rule: rule ?? 'ALL' },
      statistic: cloudwatch.Stats.SUM,
      period: FIVE_MINUTES,
      ...props,
    });
  }

  private asgMetric(asg: autoscaling.IAutoScalingGroup, metricName: string, label?: string): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: 'AWS/AutoScaling',
      metricName,
      dimensionsMap: { AutoScalingGroupName: asg.autoScalingGroupName },
      statistic: cloudwatch.Stats.MAXIMUM,
      period: FIVE_MINUTES,
      label,
    });
  }

  /**
   * With a known maximum: GroupInServiceInstances >= max. Without: GroupInServiceInstances - GroupMaxSize >= 0.
   */
  private capacityAtMaxMetric(asg: autoscaling.IAutoScalingGroup): cloudwatch.IMetric {
    const inService = this.asgMetric(asg, 'GroupInServiceInstances');
    if (this.props.autoScalingGroupMaxCapacity !== undefined) {
      return inService;
    }
    return new cloudwatch.MathExpression({
      expression: 'inService - maxSize',
      usingMetrics: { inService, maxSize: this.asgMetric(asg, 'GroupMaxSize') },
      label: 'In-service instances minus max size',
      period: FIVE_MINUTES,
    });
  }

  private validateProps(dashboardName: string): void {
    const p = this.props;
    validatePercentage('api5xxRateThreshold', p.api5xxRateThreshold);
    validatePercentage('api4xxRateThreshold', p.api4xxRateThreshold);
    validatePercentage('cpuUtilizationThreshold', p.cpuUtilizationThreshold);
    validatePercentage('memoryUtilizationThreshold', p.memoryUtilizationThreshold);
    validatePercentage('databaseCpuUtilizationThreshold', p.databaseCpuUtilizationThreshold);
    validateNonNegative('apiLatencyP99ThresholdMs', p.apiLatencyP99ThresholdMs);
    validateNonNegative('apiIntegrationLatencyP99ThresholdMs', p.apiIntegrationLatencyP99ThresholdMs);
    validateNonNegative('databaseReplicaLagThresholdMs', p.databaseReplicaLagThresholdMs);
    validateNonNegative('databaseFreeableMemoryThresholdMiB', p.databaseFreeableMemoryThresholdMiB);
    validateNonNegative('databaseConnectionsThreshold', p.databaseConnectionsThreshold);
    validateNonNegative('wafBlockedRequestsThreshold', p.wafBlockedRequestsThreshold);
    validateNonNegative('wafCaptchaRequestsThreshold', p.wafCaptchaRequestsThreshold);
    validateNonNegative('wafRateLimitBlocksThreshold', p.wafRateLimitBlocksThreshold);
    validateWholeNumberAtLeast('autoScalingGroupMaxCapacity', p.autoScalingGroupMaxCapacity, 1);
    validateEmail('alarmEmail', p.alarmEmail);
    if (p.wafRuleMetricNames !== undefined && p.webAclMetricName === undefined) {
      throw new Error('`wafRuleMetricNames` requires `webAclMetricName`, got: `webAclMetricName` undefined.');
    }

    validateWholeNumberAtLeast('desiredCount', p.desiredCount, 0);
    if (!Token.isUnresolved(this.alarmNamePrefix) && !/^[A-Za-z0-9._-]{1,200}$/.test(this.alarmNamePrefix)) {
      throw new Error(
        '`alarmNamePrefix` must be 1 to 200 letters, digits, dots, dashes or underscores, ' +
          `got: '${this.alarmNamePrefix}'.`,
      );
    }
    if (!Token.isUnresolved(dashboardName) && !/^[A-Za-z0-9_-]{1,255}$/.test(dashboardName)) {
      throw new Error(
        `\`dashboardName\` must be 1 to 255 letters, digits, dashes or underscores, got: '${dashboardName}'.`,
      );
    }
  }
}
