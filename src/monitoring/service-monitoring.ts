import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import {
  ApiAlarm,
  ApplicationLoadBalancerAlarm,
  AuroraAlarm,
  AutoScalingGroupAlarm,
  EcsServiceAlarm,
  NetworkLoadBalancerAlarm,
  WebAclAlarm,
} from './alarms';
import { ApiAlarmThresholds, ApiMonitoring } from './api-monitoring';
import {
  ApplicationLoadBalancerAlarmThresholds,
  ApplicationLoadBalancerMonitoring,
} from './application-load-balancer-monitoring';
import { AuroraAlarmThresholds, AuroraMonitoring } from './aurora-monitoring';
import { AutoScalingGroupAlarmThresholds, AutoScalingGroupMonitoring } from './auto-scaling-group-monitoring';
import { EcsServiceAlarmThresholds, EcsServiceMonitoring } from './ecs-service-monitoring';
import { MonitoringFacade } from './monitoring-facade';
import { NetworkLoadBalancerAlarmThresholds, NetworkLoadBalancerMonitoring } from './network-load-balancer-monitoring';
import { ALL_ALARMS, addDashboardRow } from './private/dashboard';
import { defaultAlarmNamePrefix, sanitizeName } from './private/names';
import { ALARM_SCOPES } from './private/segment-alarms';
import {
  validateAlarmNamePrefix,
  validateDashboardName,
  validateDisabledAlarms,
  validateEmail,
  validateRunbookUrl,
} from './private/validation';
import { IMonitoringSegment, MonitoringSegmentOptions } from './segment';
import { WebAclAlarmThresholds, WebAclMonitoring } from './web-acl-monitoring';
import { GeoWebAcl } from '../waf';

/**
 * The user-facing options of `ServiceMonitoring`: where alarms go, what they are called, and the threshold records.
 */
export interface ServiceMonitoringOptions {
  /**
   * A facade whose topic this service's alarms notify and whose dashboard gets a row for this service.
   *
   * @default - the service has its own topic and dashboard
   */
  readonly facade?: MonitoringFacade;

  /**
   * The SNS topic that receives every critical alarm's ALARM and OK notifications.
   *
   * @default - the facade's topic, otherwise a new topic
   */
  readonly alarmTopic?: sns.ITopic;

  /**
   * The SNS topic that receives the warning alarms' notifications.
   *
   * @default - the facade's warning topic, otherwise `alarmTopic`
   */
  readonly warningAlarmTopic?: sns.ITopic;

  /**
   * An e-mail address subscribed to the alarm topic (also when you pass your own `alarmTopic`).
   *
   * @default - no e-mail subscription
   */
  readonly alarmEmail?: string;

  /**
   * Create the CloudWatch alarms.
   *
   * @default - the facade's setting, otherwise true
   */
  readonly enableAlarms?: boolean;

  /**
   * Create the dashboard (or, with a facade, this service's row on the facade's dashboard).
   *
   * @default true
   */
  readonly enableDashboard?: boolean;

  /**
   * The name of the service's own dashboard (letters, digits, `-` and `_`); not used with a facade.
   *
   * @default - the alarm-name prefix with other characters replaced by `-`
   */
  readonly dashboardName?: string;

  /**
   * The prefix of every alarm name; alarms are named `<prefix>-<alarm>`.
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
   * Alarms not to create, by name (for example `'api-4xx-rate'`); a name that is no segment's alarm is a synth-time
   * error.
   *
   * @default - every alarm whose inputs are available is created
   */
  readonly disabledAlarms?: string[];

  /**
   * The Aurora cluster the service uses.
   *
   * @default - no database segment
   */
  readonly database?: rds.IDatabaseCluster;

  /**
   * Threshold records of the API segment.
   *
   * @default - the documented defaults
   */
  readonly apiAlarms?: ApiAlarmThresholds;

  /**
   * Threshold records of the NLB segment.
   *
   * @default - the documented defaults
   */
  readonly loadBalancerAlarms?: NetworkLoadBalancerAlarmThresholds;

  /**
   * Threshold records of the ALB segment.
   *
   * @default - the documented defaults
   */
  readonly applicationLoadBalancerAlarms?: ApplicationLoadBalancerAlarmThresholds;

  /**
   * Threshold records of the ECS service segment.
   *
   * @default - the documented defaults
   */
  readonly serviceAlarms?: EcsServiceAlarmThresholds;

  /**
   * Threshold records of the WAF segment.
   *
   * @default - the documented defaults
   */
  readonly webAclAlarms?: WebAclAlarmThresholds;

  /**
   * Threshold records of the Auto Scaling group segment.
   *
   * @default - the documented defaults
   */
  readonly autoScalingGroupAlarms?: AutoScalingGroupAlarmThresholds;

  /**
   * Threshold records of the Aurora segment.
   *
   * @default - the documented defaults
   */
  readonly databaseAlarms?: AuroraAlarmThresholds;
}

/**
 * Properties of a `ServiceMonitoring`: the parts of one service to watch and the options.
 */
export interface ServiceMonitoringProps extends ServiceMonitoringOptions {
  /**
   * The ECS service.
   */
  readonly service: ecs.BaseService;

  /**
   * The number of tasks the service should run; the healthy-host and running-task alarms fire below it. A service
   * scaled to zero (0) has no floor, so those two alarms are not created.
   */
  readonly desiredCount: number;

  /**
   * The REST API stage in front of the service, when it is this service's own front door.
   *
   * @default - no API segment (a front door shared by several services is monitored once, on the facade)
   */
  readonly stage?: apigateway.IStage;

  /**
   * The network load balancer in front of the service.
   *
   * @default - no NLB segment
   */
  readonly loadBalancer?: elbv2.INetworkLoadBalancer;

  /**
   * The NLB target group of the service's tasks; required with `loadBalancer`.
   *
   * @default - no NLB segment
   */
  readonly targetGroup?: elbv2.INetworkTargetGroup;

  /**
   * The application load balancer in front of the service.
   *
   * @default - no ALB segment
   */
  readonly applicationLoadBalancer?: elbv2.IApplicationLoadBalancer;

  /**
   * The ALB target group of the service's tasks.
   *
   * @default - load-balancer-wide ALB metrics
   */
  readonly applicationTargetGroup?: elbv2.IApplicationTargetGroup;

  /**
   * The web ACL of the service's own front door.
   *
   * @default - no WAF segment
   */
  readonly webAcl?: GeoWebAcl;

  /**
   * The Auto Scaling group of the cluster's capacity provider; its group metrics must be enabled.
   *
   * @default - no Auto Scaling group segment
   */
  readonly autoScalingGroup?: autoscaling.IAutoScalingGroup;

  /**
   * The maximum capacity of `autoScalingGroup`.
   *
   * @default - the alarm compares GroupInServiceInstances with the GroupMaxSize metric
   */
  readonly autoScalingGroupMaxCapacity?: number;
}

/**
 * The monitoring of one service: its segments (API, load balancer, ECS service, WAF, Auto Scaling group, Aurora),
 * one alarm topic and a dashboard — its own, or a row on a `MonitoringFacade`'s shared dashboard.
 *
 * The API 5XX-rate and load balancer unhealthy-host alarms are the deployment alarms: hand
 * `deploymentAlarmNames` to `service.enableDeploymentAlarms()` so a bad deployment rolls back.
 *
 * @example
 * import * as apigateway from 'aws-cdk-lib/aws-apigateway';
 * import * as ecs from 'aws-cdk-lib/aws-ecs';
 * import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
 * import { ServiceMonitoring } from '@gtuc/cdk-privatelink-ecs';
 *
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
 *   stage: api.deploymentStage,
 *   alarmEmail: 'oncall@example.com',
 *   runbookUrl: 'https://github.com/example/items/blob/main/docs/operations.md',
 *   apiAlarms: { errors5xxRate: { critical: 2, warning: 1 } },
 *   disabledAlarms: ['api-4xx-rate'],
 * });
 * service.enableDeploymentAlarms(monitoring.deploymentAlarmNames);
 */
export class ServiceMonitoring extends Construct {
  /** The topic that receives ALARM and OK notifications. */
  public readonly alarmTopic: sns.ITopic;
  /** Every alarm of every segment. */
  public readonly alarms: cloudwatch.Alarm[];
  /** The segments, in dashboard order. */
  public readonly segments: IMonitoringSegment[] = [];
  /** The API segment, when `stage` is given. */
  public readonly apiMonitoring?: ApiMonitoring;
  /** The NLB segment, when `loadBalancer` is given. */
  public readonly loadBalancerMonitoring?: NetworkLoadBalancerMonitoring;
  /** The ALB segment, when `applicationLoadBalancer` is given. */
  public readonly applicationLoadBalancerMonitoring?: ApplicationLoadBalancerMonitoring;
  /** The ECS service segment. */
  public readonly ecsServiceMonitoring: EcsServiceMonitoring;
  /** The WAF segment, when `webAcl` is given. */
  public readonly webAclMonitoring?: WebAclMonitoring;
  /** The Auto Scaling group segment, when `autoScalingGroup` is given. */
  public readonly autoScalingGroupMonitoring?: AutoScalingGroupMonitoring;
  /** The Aurora segment, when `database` is given. */
  public readonly databaseMonitoring?: AuroraMonitoring;
  /** The API Gateway 5XX-rate alarm, when created. */
  public readonly api5xxAlarm?: cloudwatch.Alarm;
  /** The NLB unhealthy-hosts alarm, when created. */
  public readonly unhealthyHostsAlarm?: cloudwatch.Alarm;
  /**
   * The literal names of the alarms that should roll back an ECS deployment: each segment's deployment alarms.
   *
   * Plain strings rather than tokens, so `service.enableDeploymentAlarms(deploymentAlarmNames)` adds no dependency
   * from the service on the alarms.
   */
  public readonly deploymentAlarmNames: string[];
  /** The dashboard (the facade's, when given); undefined when the dashboard is disabled. */
  public readonly dashboard?: cloudwatch.Dashboard;
  /** The prefix of every alarm name. */
  public readonly alarmNamePrefix: string;

  constructor(scope: Construct, id: string, props: ServiceMonitoringProps) {
    super(scope, id);
    const facade = props.facade;
    const enableDashboard = props.enableDashboard ?? true;
    this.alarmNamePrefix = props.alarmNamePrefix ?? defaultAlarmNamePrefix(this);
    const dashboardName = props.dashboardName ?? sanitizeName(this.alarmNamePrefix);
    validateAlarmNamePrefix(this.alarmNamePrefix);
    validateDashboardName(dashboardName);
    validateEmail('alarmEmail', props.alarmEmail);
    validateRunbookUrl('runbookUrl', props.runbookUrl);
    validateDisabledAlarms('disabledAlarms', props.disabledAlarms, ALL_ALARMS);
    if ((props.loadBalancer === undefined) !== (props.targetGroup === undefined)) {
      throw new Error(
        '`loadBalancer` and `targetGroup` must be given together, got: ' +
          `\`loadBalancer\` ${props.loadBalancer === undefined ? 'undefined' : 'set'}, ` +
          `\`targetGroup\` ${props.targetGroup === undefined ? 'undefined' : 'set'}.`,
      );
    }

    this.alarmTopic =
      props.alarmTopic ??
      facade?.alarmTopic ??
      new sns.Topic(this, 'AlarmTopic', { displayName: 'Service alarms', enforceSSL: true });
    if (props.alarmEmail !== undefined) {
      new sns.Subscription(this, 'AlarmEmail', {
        topic: this.alarmTopic,
        protocol: sns.SubscriptionProtocol.EMAIL,
        endpoint: props.alarmEmail,
      });
    }

    const disabled = props.disabledAlarms ?? [];
    const options = (kinds: object): MonitoringSegmentOptions => ({
      facade,
      alarmTopic: this.alarmTopic,
      warningAlarmTopic: props.warningAlarmTopic,
      alarmNamePrefix: this.alarmNamePrefix,
      runbookUrl: props.runbookUrl,
      enableAlarms: props.enableAlarms,
      disabledAlarms: disabled.filter((name) => (Object.values(kinds) as string[]).includes(name)),
    });

    if (props.stage !== undefined) {
      this.apiMonitoring = new ApiMonitoring(
        this,
        'Api',
        this.register({
          ...options(ApiAlarm),
          ...props.apiAlarms,
          stage: props.stage,
        }),
      );
      this.segments.push(this.apiMonitoring);
    }
    if (props.loadBalancer !== undefined && props.targetGroup !== undefined) {
      this.loadBalancerMonitoring = new NetworkLoadBalancerMonitoring(
        this,
        'Nlb',
        this.register({
          ...options(NetworkLoadBalancerAlarm),
          ...props.loadBalancerAlarms,
          loadBalancer: props.loadBalancer,
          targetGroup: props.targetGroup,
          desiredCount: props.desiredCount,
        }),
      );
      this.segments.push(this.loadBalancerMonitoring);
    }
    if (props.applicationLoadBalancer !== undefined) {
      this.applicationLoadBalancerMonitoring = new ApplicationLoadBalancerMonitoring(
        this,
        'Alb',
        this.register({
          ...options(ApplicationLoadBalancerAlarm),
          ...props.applicationLoadBalancerAlarms,
          loadBalancer: props.applicationLoadBalancer,
          targetGroup: props.applicationTargetGroup,
        }),
      );
      this.segments.push(this.applicationLoadBalancerMonitoring);
    }
    this.ecsServiceMonitoring = new EcsServiceMonitoring(
      this,
      'Service',
      this.register({
        ...options(EcsServiceAlarm),
        ...props.serviceAlarms,
        service: props.service,
        desiredCount: props.desiredCount,
      }),
    );
    this.segments.push(this.ecsServiceMonitoring);
    if (props.webAcl !== undefined) {
      this.webAclMonitoring = new WebAclMonitoring(
        this,
        'WebAcl',
        this.register({
          ...options(WebAclAlarm),
          ...props.webAclAlarms,
          webAcl: props.webAcl,
        }),
      );
      this.segments.push(this.webAclMonitoring);
    }
    if (props.autoScalingGroup !== undefined) {
      this.autoScalingGroupMonitoring = new AutoScalingGroupMonitoring(
        this,
        'Capacity',
        this.register({
          ...options(AutoScalingGroupAlarm),
          ...props.autoScalingGroupAlarms,
          autoScalingGroup: props.autoScalingGroup,
          maxCapacity: props.autoScalingGroupMaxCapacity,
        }),
      );
      this.segments.push(this.autoScalingGroupMonitoring);
    }
    if (props.database !== undefined) {
      this.databaseMonitoring = new AuroraMonitoring(
        this,
        'Database',
        this.register({
          ...options(AuroraAlarm),
          ...props.databaseAlarms,
          cluster: props.database,
        }),
      );
      this.segments.push(this.databaseMonitoring);
    }

    this.alarms = this.segments.flatMap((segment) => segment.alarms);
    this.api5xxAlarm = this.apiMonitoring?.findAlarm(ApiAlarm.ERRORS_5XX_RATE);
    this.unhealthyHostsAlarm = this.loadBalancerMonitoring?.findAlarm(NetworkLoadBalancerAlarm.UNHEALTHY_HOSTS);
    this.deploymentAlarmNames = this.segments.flatMap((segment) => segment.deploymentAlarmNames);

    if (enableDashboard) {
      const runbookUrl = props.runbookUrl ?? facade?.runbookUrl;
      const description = runbookUrl !== undefined ? `Runbook: ${runbookUrl}` : undefined;
      if (facade !== undefined) {
        facade.addRow(this.alarmNamePrefix, this.segments, description);
        this.dashboard = facade.dashboard;
      } else {
        this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', { dashboardName });
        addDashboardRow(this.dashboard, this.alarmNamePrefix, this.segments, description);
      }
    }
  }

  /**
   * The full name `<alarmNamePrefix>-<alarm>` of an alarm (whether or not it was created).
   */
  public alarmName(alarm: string): string {
    return `${this.alarmNamePrefix}-${alarm}`;
  }

  /** Keeps the segment's alarms directly under this construct (their paths from before the split). */
  private register<T extends object>(props: T): T {
    ALARM_SCOPES.set(props, this);
    return props;
  }
}
