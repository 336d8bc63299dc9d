/**
 * The alarms of `ApiMonitoring`.
 *
 * Each value is the suffix of the alarm's name (`<alarmNamePrefix>-<value>`) and the anchor of its runbook section.
 */
export enum ApiAlarm {
  /** API Gateway 5XXError as a percentage of Count. */
  ERRORS_5XX_RATE = 'api-5xx-rate',
  /** API Gateway 4XXError as a percentage of Count. */
  ERRORS_4XX_RATE = 'api-4xx-rate',
  /** API Gateway p99 Latency. */
  LATENCY_P99 = 'api-latency-p99',
  /** API Gateway p99 IntegrationLatency. */
  INTEGRATION_LATENCY_P99 = 'api-integration-latency-p99',
}

/**
 * The alarms of `NetworkLoadBalancerMonitoring`.
 */
export enum NetworkLoadBalancerAlarm {
  /** Target group UnHealthyHostCount above the threshold. */
  UNHEALTHY_HOSTS = 'nlb-unhealthy-hosts',
  /** Target group HealthyHostCount below the desired task count. */
  HEALTHY_HOSTS_LOW = 'nlb-healthy-hosts-low',
}

/**
 * The alarms of `ApplicationLoadBalancerMonitoring`.
 */
export enum ApplicationLoadBalancerAlarm {
  /** HTTPCode_Target_5XX_Count plus HTTPCode_ELB_5XX_Count. */
  ERRORS_5XX_COUNT = 'alb-5xx-count',
  /** Target and load balancer 5XX responses as a percentage of RequestCount. */
  ERRORS_5XX_RATE = 'alb-5xx-rate',
  /** p99 TargetResponseTime. */
  TARGET_RESPONSE_TIME_P99 = 'alb-target-response-time-p99',
  /** Target group UnHealthyHostCount above the threshold. */
  UNHEALTHY_HOSTS = 'alb-unhealthy-hosts',
}

/**
 * The alarms of `EcsServiceMonitoring`.
 */
export enum EcsServiceAlarm {
  /** ECS service CPUUtilization. */
  CPU_HIGH = 'ecs-cpu-high',
  /** ECS service MemoryUtilization. */
  MEMORY_HIGH = 'ecs-memory-high',
  /** Container Insights RunningTaskCount below the desired task count. */
  RUNNING_TASKS_LOW = 'ecs-running-tasks-low',
}

/**
 * The alarms of `AutoScalingGroupMonitoring`.
 */
export enum AutoScalingGroupAlarm {
  /** GroupInServiceInstances at the group's maximum size. */
  CAPACITY_AT_MAX = 'asg-capacity-at-max',
}

/**
 * The alarms of `WebAclMonitoring`.
 */
export enum WebAclAlarm {
  /** BlockedRequests of the whole web ACL (rule `ALL`). */
  BLOCKED_SPIKE = 'waf-blocked-spike',
  /** CaptchaRequests of the CAPTCHA rule. */
  CAPTCHA_SPIKE = 'waf-captcha-spike',
  /** BlockedRequests of the rate-based rule. */
  RATE_LIMIT_BLOCKS = 'waf-rate-limit-blocks',
}

/**
 * The alarms of `AuroraMonitoring`.
 */
export enum AuroraAlarm {
  /** CPUUtilization of the cluster. */
  CPU_HIGH = 'db-cpu-high',
  /** FreeableMemory of the cluster. */
  FREEABLE_MEMORY_LOW = 'db-freeable-memory-low',
  /** DatabaseConnections of the cluster. */
  CONNECTIONS_HIGH = 'db-connections-high',
  /** AuroraReplicaLagMaximum of the cluster. */
  REPLICA_LAG_HIGH = 'db-replica-lag-high',
}
