import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { WebAclAlarm } from './alarms';
import { SegmentAlarms } from './private/segment-alarms';
import { ThresholdRange, validateSameRegion } from './private/validation';
import { AlarmThreshold, IMonitoringSegment, MonitoringSegmentOptions } from './segment';
import { GeoWebAcl } from '../waf';

/**
 * The metrics of a `GeoWebAcl` (`AWS/WAFV2`, Sum over 5 minutes), per web ACL or per rule.
 *
 * The metric itself is defined once, by `GeoWebAcl.metric()`; this factory names the ones the segment uses.
 *
 * @example
 * import { GeoWebAcl, WebAclMetrics } from '@gtuc/cdk-privatelink-ecs';
 *
 * declare const webAcl: GeoWebAcl;
 *
 * new WebAclMetrics(webAcl).metricBlockedRequests(webAcl.rateRuleName);
 */
export class WebAclMetrics {
  constructor(private readonly webAcl: GeoWebAcl) {}

  /**
   * The requests the web ACL (or one rule) blocked (`BlockedRequests`).
   *
   * @param rule the rule's metric name (default: `ALL`, the whole web ACL)
   * @param props metric options to override
   */
  public metricBlockedRequests(rule?: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.webAcl.metric('BlockedRequests', rule, props);
  }

  /**
   * The requests the web ACL (or one rule) answered with a CAPTCHA (`CaptchaRequests`).
   *
   * @param rule the rule's metric name (default: `ALL`, the whole web ACL)
   * @param props metric options to override
   */
  public metricCaptchaRequests(rule?: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.webAcl.metric('CaptchaRequests', rule, props);
  }

  /**
   * The requests the web ACL (or one rule) allowed (`AllowedRequests`).
   *
   * @param rule the rule's metric name (default: `ALL`, the whole web ACL)
   * @param props metric options to override
   */
  public metricAllowedRequests(rule?: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.webAcl.metric('AllowedRequests', rule, props);
  }
}

/**
 * The threshold records of `WebAclMonitoring`'s alarms.
 */
export interface WebAclAlarmThresholds {
  /**
   * Requests blocked by the whole web ACL per 5 minutes.
   *
   * @default - critical above 1000 in 1 period
   */
  readonly blockedRequests?: AlarmThreshold;

  /**
   * Requests answered with a CAPTCHA by the CAPTCHA rule per 5 minutes (only when the web ACL has that rule).
   *
   * @default - critical above 500 in 1 period
   */
  readonly captchaRequests?: AlarmThreshold;

  /**
   * Requests blocked by the rate-based rule per 5 minutes (only when the web ACL has that rule).
   *
   * @default - critical above 100 in 1 period
   */
  readonly rateLimitBlocks?: AlarmThreshold;
}

/**
 * Properties of a `WebAclMonitoring`.
 */
export interface WebAclMonitoringProps extends MonitoringSegmentOptions, WebAclAlarmThresholds {
  /**
   * The web ACL to watch; its rule names select the per-rule alarms and widgets.
   */
  readonly webAcl: GeoWebAcl;
}

/**
 * The WAF segment: blocked, CAPTCHA and rate-limited requests of a `GeoWebAcl`.
 *
 * @example
 * import { GeoWebAcl, WebAclMonitoring } from '@gtuc/cdk-privatelink-ecs';
 *
 * declare const webAcl: GeoWebAcl;
 *
 * new WebAclMonitoring(this, 'WafMonitoring', {
 *   webAcl,
 *   blockedRequests: { critical: 5000, warning: 1000 },
 * });
 */
export class WebAclMonitoring extends Construct implements IMonitoringSegment {
  /** The metrics of the web ACL. */
  public readonly metrics: WebAclMetrics;
  /** Every alarm of this segment (critical and warning). */
  public readonly alarms: cloudwatch.Alarm[];
  /** None: WAF blocks are not the service's fault. */
  public readonly deploymentAlarmNames: string[] = [];
  /** The prefix of every alarm name. */
  public readonly alarmNamePrefix: string;
  /** `WAF <web ACL name>`. */
  public readonly title: string;

  private readonly alarmSet: SegmentAlarms;
  private readonly webAcl: GeoWebAcl;

  constructor(scope: Construct, id: string, props: WebAclMonitoringProps) {
    super(scope, id);
    validateSameRegion(this, 'webAcl', props.webAcl);
    this.webAcl = props.webAcl;
    this.metrics = new WebAclMetrics(props.webAcl);
    this.alarmSet = new SegmentAlarms(this, props, Object.values(WebAclAlarm));
    this.alarmNamePrefix = this.alarmSet.prefix;
    this.alarms = this.alarmSet.alarms;
    this.title = `WAF ${props.webAcl.webAclName}`;
    this.createAlarms(props);
  }

  /**
   * The full name `<alarmNamePrefix>-<alarm>` of an alarm of this segment (whether or not it was created).
   */
  public alarmName(alarm: WebAclAlarm): string {
    return this.alarmSet.name(alarm);
  }

  /**
   * The critical alarm of a kind, or undefined when it was not created.
   */
  public findAlarm(alarm: WebAclAlarm): cloudwatch.Alarm | undefined {
    return this.alarmSet.get(alarm);
  }

  /**
   * Allowed, blocked and CAPTCHA requests of the web ACL, and per rule (geo block, CAPTCHA, rate limit).
   */
  public widgets(): cloudwatch.IWidget[] {
    const m = this.metrics;
    const acl = this.webAcl;
    const perRule: cloudwatch.IMetric[] = [];
    if (acl.blockRuleName !== undefined) {
      perRule.push(m.metricBlockedRequests(acl.blockRuleName, { label: `Blocked: ${acl.blockRuleName}` }));
    }
    if (acl.captchaRuleName !== undefined) {
      perRule.push(m.metricCaptchaRequests(acl.captchaRuleName, { label: `CAPTCHA: ${acl.captchaRuleName}` }));
    }
    if (acl.rateRuleName !== undefined) {
      perRule.push(m.metricBlockedRequests(acl.rateRuleName, { label: `Blocked: ${acl.rateRuleName}` }));
    }
    const widgets: cloudwatch.IWidget[] = [
      new cloudwatch.GraphWidget({
        title: 'WAF requests (web ACL)',
        left: [
          m.metricAllowedRequests('ALL', { label: 'Allowed' }),
          m.metricBlockedRequests('ALL', { label: 'Blocked' }),
          m.metricCaptchaRequests('ALL', { label: 'CAPTCHA' }),
        ],
        width: 12,
      }),
    ];
    if (perRule.length > 0) {
      widgets.push(new cloudwatch.GraphWidget({ title: 'WAF requests per rule', left: perRule, width: 12 }));
    }
    return widgets;
  }

  private createAlarms(props: WebAclMonitoringProps): void {
    const acl = props.webAcl;
    const common = {
      range: ThresholdRange.NON_NEGATIVE,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      defaultEvaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      period: Duration.minutes(5),
    };
    this.alarmSet.add(WebAclAlarm.BLOCKED_SPIKE, this.metrics.metricBlockedRequests(), {
      ...common,
      prop: 'blockedRequests',
      threshold: props.blockedRequests,
      defaultCritical: 1000,
      summary: (t, w) => `The web ACL '${acl.metricName}' blocked more than ${t} requests ${w}.`,
      lookAt: 'the per-rule WAF widgets and WAF sampled requests (aws wafv2 get-sampled-requests)',
    });
    if (acl.captchaRuleName !== undefined) {
      const rule = acl.captchaRuleName;
      this.alarmSet.add(WebAclAlarm.CAPTCHA_SPIKE, this.metrics.metricCaptchaRequests(rule), {
        ...common,
        prop: 'captchaRequests',
        threshold: props.captchaRequests,
        defaultCritical: 500,
        summary: (t, w) => `The WAF rule '${rule}' answered more than ${t} requests with a CAPTCHA ${w}.`,
        lookAt: 'WAF sampled requests of the CAPTCHA rule (countries, IPs, user agents)',
      });
    }
    if (acl.rateRuleName !== undefined) {
      const rule = acl.rateRuleName;
      this.alarmSet.add(WebAclAlarm.RATE_LIMIT_BLOCKS, this.metrics.metricBlockedRequests(rule), {
        ...common,
        prop: 'rateLimitBlocks',
        threshold: props.rateLimitBlocks,
        defaultCritical: 100,
        summary: (t, w) => `The rate-based WAF rule '${rule}' blocked more than ${t} requests ${w}.`,
        lookAt:
          'WAF sampled requests of the rate rule and the rate-based rule keys (aws wafv2 get-rate-based-statement-managed-keys)',
      });
    }
  }
}
