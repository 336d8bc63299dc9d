import {
  Annotations,
  ArnFormat,
  aws_apigateway as apigateway,
  aws_cloudwatch as cloudwatch,
  aws_iam as iam,
  aws_kms as kms,
  aws_logs as logs,
  aws_wafv2 as wafv2,
  Duration,
  Names,
  RemovalPolicy,
  Stack,
  Token,
} from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { ManagedRuleGroup } from './managed-rule-group';
import { WAF_COUNTRY_CODES } from './private/country-codes';
import { ruleAction, sanitizeMetricName, visibilityConfig } from './private/rules';

/** AWS WAF only logs to log groups whose name starts with this prefix. */
const LOG_GROUP_PREFIX = 'aws-waf-logs-';
/** Custom response body keys. */
const FORBIDDEN_BODY_KEY = 'forbidden';
const TOO_MANY_REQUESTS_BODY_KEY = 'too-many-requests';

/**
 * What a rate-based rule counts requests by.
 *
 * @see https://docs.aws.amazon.com/waf/latest/developerguide/waf-rule-statement-type-rate-based-aggregation-options.html
 */
export enum RateLimitAggregateKey {
  /** The IP address the request came from (API Gateway and ALB see the client's address). */
  IP = 'IP',
  /**
   * The first address in a forwarded-IP header (`forwardedIpHeaderName`), for web ACLs behind a proxy or CDN.
   * Clients can forge the header, so use it only when a trusted proxy sets it.
   */
  FORWARDED_IP = 'FORWARDED_IP',
}

/**
 * Properties of a `GeoWebAcl`.
 */
export interface GeoWebAclProps {
  /**
   * The name of the web ACL, also used as its CloudWatch metric name (`WebACL` dimension).
   *
   * @default - a name unique in the stack, derived from the construct path
   */
  readonly webAclName?: string;

  /**
   * A description of the web ACL.
   *
   * @default - no description
   */
  readonly description?: string;

  /**
   * ISO 3166-1 alpha-2 codes (upper case) of the countries whose requests are blocked with HTTP 403; an empty list skips the rule.
   *
   * @default ['NG']
   */
  readonly blockedCountries?: string[];

  /**
   * ISO 3166-1 alpha-2 codes (upper case) of the countries whose requests must carry a solved CAPTCHA; an empty list skips the rule.
   *
   * Requests without a valid `aws-waf-token` get HTTP 405 with the header `x-amzn-waf-action: captcha`; only
   * `Accept: text/html` GET requests are shown the puzzle. JSON API clients must obtain a token first (WAF JavaScript
   * integration `AwsWafIntegration.getToken()` or the WAF mobile SDK).
   *
   * @see https://docs.aws.amazon.com/waf/latest/developerguide/waf-captcha-and-challenge.html
   * @default ['GH']
   */
  readonly captchaCountries?: string[];

  /**
   * How long a solved CAPTCHA stays valid (the web ACL's `CaptchaConfig`), between 60 seconds and 3 days.
   *
   * @default Duration.seconds(300)
   */
  readonly captchaImmunityTime?: Duration;

  /**
   * Domains, besides the protected resource's own, whose WAF tokens are accepted (the web ACL's `TokenDomains`).
   *
   * @see https://docs.aws.amazon.com/waf/latest/developerguide/waf-tokens-domains.html
   * @default - only tokens for the protected resource's host
   */
  readonly tokenDomains?: string[];

  /**
   * Whether to add the rate-based rule that blocks a client that exceeds `rateLimit` requests per `rateLimitWindow` with HTTP 429.
   *
   * @default true
   */
  readonly enableRateLimit?: boolean;

  /**
   * The number of requests a single client may send per `rateLimitWindow`, between 10 and 2,000,000,000.
   *
   * @default 1000
   */
  readonly rateLimit?: number;

  /**
   * The window over which the rate-based rule counts requests: 60, 120, 300 or 600 seconds.
   *
   * @default Duration.minutes(5)
   */
  readonly rateLimitWindow?: Duration;

  /**
   * What the rate-based rule counts requests by.
   *
   * @default RateLimitAggregateKey.IP
   */
  readonly rateLimitAggregateKey?: RateLimitAggregateKey;

  /**
   * The header that carries the client address when `rateLimitAggregateKey` is `FORWARDED_IP`.
   *
   * @default 'X-Forwarded-For'
   */
  readonly forwardedIpHeaderName?: string;

  /**
   * The managed rule groups to evaluate after the geo and rate rules, in order; an empty list adds none.
   *
   * The default is the core rule set with `SizeRestrictions_BODY` overridden to COUNT (it blocks bodies over 8 KB,
   * which legitimate API calls exceed) and `NoUserAgent_HEADER` still blocking (clients must send a `User-Agent`),
   * the known bad inputs group, and the Amazon IP reputation list: 925 WCUs together.
   *
   * @default ManagedRuleGroup.defaults()
   */
  readonly managedRuleGroups?: ManagedRuleGroup[];

  /**
   * Whether to log the web ACL's traffic to CloudWatch Logs.
   *
   * @default true
   */
  readonly enableLogging?: boolean;

  /**
   * An existing log group for the WAF logs; its name must start with `aws-waf-logs-`.
   *
   * @default - a new log group named `aws-waf-logs-<unique name>` when `enableLogging` is true
   */
  readonly logGroup?: logs.ILogGroup;

  /**
   * The name of the log group this construct creates; it must start with `aws-waf-logs-`.
   *
   * @default - `aws-waf-logs-` followed by a name unique in the stack
   */
  readonly logGroupName?: string;

  /**
   * How long the log group this construct creates keeps WAF logs.
   *
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly logRetention?: logs.RetentionDays;

  /**
   * What happens to the log group this construct creates when it leaves the stack.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly logRemovalPolicy?: RemovalPolicy;

  /**
   * A KMS key to encrypt the log group this construct creates; the construct grants CloudWatch Logs use of the key
   * when the key is defined in the app (an imported key's policy must already allow `logs.<region>.amazonaws.com`).
   *
   * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html
   * @default - encryption managed by CloudWatch Logs
   */
  readonly logEncryptionKey?: kms.IKey;

  /**
   * Request headers (lower case) whose values are redacted from the WAF logs.
   *
   * @default ['authorization', 'cookie']
   */
  readonly redactedHeaders?: string[];
}

/**
 * A REGIONAL AWS WAF web ACL for API Gateway REST API stages (or ALBs, AppSync, Cognito): geo blocking, geo CAPTCHA,
 * a per-client rate limit, AWS managed rule groups, CloudWatch metrics and logging.
 *
 * Rules, in priority order (a rule is skipped when its input is empty or disabled):
 * 1. `BlockedCountries`: geo match on `blockedCountries`, BLOCK with HTTP 403 and a JSON body.
 * 2. `CaptchaCountries`: geo match on `captchaCountries`, CAPTCHA (HTTP 405 without a valid token).
 * 3. `RateLimit`: rate-based, BLOCK with HTTP 429 and a JSON body.
 * 4. one rule per managed rule group, named `<vendor>-<name>`, for example `AWS-AWSManagedRulesCommonRuleSet`.
 * Requests that no rule terminates are allowed (default action ALLOW).
 *
 * Logging: WAF writes to a CloudWatch log group whose name starts with `aws-waf-logs-`, with the `authorization`
 * and `cookie` headers redacted. This construct creates no log-group resource policy: when the logging configuration
 * is created, AWS creates or updates the account's CloudWatch Logs resource policy that lets log delivery
 * (`delivery.logs.amazonaws.com`) write to the group, so the deploying role needs `logs:CreateLogDelivery`,
 * `logs:PutResourcePolicy`, `logs:DescribeResourcePolicies` and `logs:DescribeLogGroups` (on `*`
 * log groups; CloudFormation's default execution role has them). An account has at most 10 such policies per Region,
 * each at most 5,120 characters.
 *
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/AWS-logs-infrastructure-CWL.html
 *
 * @example
 * declare const stage: apigateway.Stage;
 * const acl = new GeoWebAcl(this, 'WebAcl', {
 *   blockedCountries: ['NG'],
 *   captchaCountries: ['GH'],
 *   rateLimit: 500,
 * });
 * acl.associateRestApiStage(stage);
 * new cloudwatch.Alarm(this, 'Blocked', {
 *   metric: acl.metricBlockedRequests(),
 *   threshold: 1000,
 *   evaluationPeriods: 1,
 * });
 */
export class GeoWebAcl extends Construct {
  /**
   * The ARN of a REST API stage, in the form WAF associations expect:
   * `arn:<partition>:apigateway:<region>::/restapis/<api id>/stages/<stage name>`.
   */
  public static restApiStageArn(stage: apigateway.IStage): string {
    return Stack.of(stage).formatArn({
      service: 'apigateway',
      account: '',
      resource: 'restapis',
      resourceName: `${stage.restApi.restApiId}/stages/${stage.stageName}`,
      arnFormat: ArnFormat.SLASH_RESOURCE_SLASH_RESOURCE_NAME,
    });
  }

  /** The underlying web ACL. */
  public readonly webAcl: wafv2.CfnWebACL;
  /** The ARN of the web ACL. */
  public readonly webAclArn: string;
  /** The ID of the web ACL. */
  public readonly webAclId: string;
  /** The name of the web ACL. */
  public readonly webAclName: string;
  /** The CloudWatch metric name of the web ACL (the `WebACL` dimension of its metrics). */
  public readonly metricName: string;
  /**
   * The log group that receives the WAF logs.
   *
   * @default - undefined when logging is disabled
   */
  public readonly logGroup?: logs.ILogGroup;
  /**
   * The logging configuration of the web ACL.
   *
   * @default - undefined when logging is disabled
   */
  public readonly loggingConfiguration?: wafv2.CfnLoggingConfiguration;
  /**
   * The name (and metric name) of the geo block rule.
   *
   * @default - undefined when `blockedCountries` is empty
   */
  public readonly blockRuleName?: string;
  /**
   * The name (and metric name) of the geo CAPTCHA rule.
   *
   * @default - undefined when `captchaCountries` is empty
   */
  public readonly captchaRuleName?: string;
  /**
   * The name (and metric name) of the rate-based rule.
   *
   * @default - undefined when `enableRateLimit` is false
   */
  public readonly rateRuleName?: string;
  /** The names (and metric names) of the managed rule group rules, in priority order. */
  public readonly managedRuleGroupRuleNames: string[];
  /** The names of all rules, in priority order (index = priority). */
  public readonly ruleNames: string[];

  private associationCount = 0;

  constructor(scope: Construct, id: string, props: GeoWebAclProps = {}) {
    super(scope, id);

    // Defaults, resolved once.
    const blockedCountries = props.blockedCountries ?? ['NG'];
    const captchaCountries = props.captchaCountries ?? ['GH'];
    const captchaImmunityTime = props.captchaImmunityTime ?? Duration.seconds(300);
    const enableRateLimit = props.enableRateLimit ?? true;
    const rateLimit = props.rateLimit ?? 1000;
    const rateLimitWindow = props.rateLimitWindow ?? Duration.minutes(5);
    const rateLimitAggregateKey = props.rateLimitAggregateKey ?? RateLimitAggregateKey.IP;
    const managedRuleGroups = props.managedRuleGroups ?? ManagedRuleGroup.defaults();
    const enableLogging = props.enableLogging ?? true;
    const redactedHeaders = props.redactedHeaders ?? ['authorization', 'cookie'];

    // Validation.
    this.validateWebAclName(props.webAclName);
    this.validateCountries('blockedCountries', blockedCountries);
    this.validateCountries('captchaCountries', captchaCountries);
    this.validateCountryOverlap(blockedCountries, captchaCountries);
    this.validateCaptchaImmunityTime(captchaImmunityTime);
    if (enableRateLimit) {
      this.validateRateLimit(rateLimit);
      this.validateRateLimitWindow(rateLimitWindow);
    }
    this.validateManagedRuleGroups(managedRuleGroups);
    this.validateLoggingProps(props, enableLogging);

    this.webAclName =
      props.webAclName ?? sanitizeMetricName(Names.uniqueResourceName(this, { maxLength: 128, separator: '-' }));
    this.metricName = Token.isUnresolved(this.webAclName)
      ? sanitizeMetricName(Names.uniqueResourceName(this, { maxLength: 128 }))
      : sanitizeMetricName(this.webAclName);

    // Rules, in priority order.
    const rules: wafv2.CfnWebACL.RuleProperty[] = [];
    const customResponseBodies: Record<string, wafv2.CfnWebACL.CustomResponseBodyProperty> = {};
    const addRule = (rule: Omit<wafv2.CfnWebACL.RuleProperty, 'priority' | 'visibilityConfig'>) => {
      rules.push({ ...rule, priority: rules.length, visibilityConfig: visibilityConfig(rule.name) });
      return rule.name;
    };

    if (blockedCountries.length > 0) {
      customResponseBodies[FORBIDDEN_BODY_KEY] = {
        contentType: 'APPLICATION_JSON',
        content: JSON.stringify({ error: { code: 'forbidden', message: 'Request blocked by web ACL' } }),
      };
      this.blockRuleName = addRule({
        name: 'BlockedCountries',
        statement: { geoMatchStatement: { countryCodes: blockedCountries } },
        action: {
          block: { customResponse: { responseCode: 403, customResponseBodyKey: FORBIDDEN_BODY_KEY } },
        },
      });
    }

    if (captchaCountries.length > 0) {
      this.captchaRuleName = addRule({
        name: 'CaptchaCountries',
        statement: { geoMatchStatement: { countryCodes: captchaCountries } },
        action: { captcha: {} },
      });
    }

    if (enableRateLimit) {
      customResponseBodies[TOO_MANY_REQUESTS_BODY_KEY] = {
        contentType: 'APPLICATION_JSON',
        content: JSON.stringify({ error: { code: 'too_many_requests', message: 'Rate limit exceeded, retry later' } }),
      };
      this.rateRuleName = addRule({
        name: 'RateLimit',
        statement: {
          rateBasedStatement: {
            limit: rateLimit,
            evaluationWindowSec: rateLimitWindow.toSeconds(),
            aggregateKeyType: rateLimitAggregateKey,
            forwardedIpConfig:
              rateLimitAggregateKey === RateLimitAggregateKey.FORWARDED_IP
                ? { headerName: props.forwardedIpHeaderName ?? 'X-Forwarded-For', fallbackBehavior: 'MATCH' }
                : undefined,
          },
        },
        action: {
          block: {
            customResponse: { responseCode: 429, customResponseBodyKey: TOO_MANY_REQUESTS_BODY_KEY },
          },
        },
      });
      if (rateLimitAggregateKey === RateLimitAggregateKey.FORWARDED_IP) {
        Annotations.of(this).addWarningV2(
          '@gtuc/cdk-privatelink-ecs:webAclForwardedIpRateLimit',
          'The rate limit counts requests by a forwarded-IP header, which clients can forge to evade it. Use it only behind a trusted proxy that sets the header.',
        );
      }
    }

    this.managedRuleGroupRuleNames = managedRuleGroups.map((group) =>
      addRule({
        name: group.ruleName,
        statement: {
          managedRuleGroupStatement: {
            vendorName: group.vendor,
            name: group.name,
            version: group.version,
            ruleActionOverrides:
              group.ruleActionOverrides.length > 0
                ? group.ruleActionOverrides.map((o) => ({ name: o.name, actionToUse: ruleAction(o.action) }))
                : undefined,
            excludedRules: group.excludedRules.length > 0 ? group.excludedRules.map((name) => ({ name })) : undefined,
          },
        },
        overrideAction: group.countOnly ? { count: {} } : { none: {} },
      }),
    );

    this.ruleNames = rules.map((r) => r.name);

    if (rules.length === 0) {
      Annotations.of(this).addWarningV2(
        '@gtuc/cdk-privatelink-ecs:webAclNoRules',
        'The web ACL has no rules (no blocked or CAPTCHA countries, no rate limit, no managed rule groups): it allows every request.',
      );
    }

    this.webAcl = this.createWebAcl({
      name: this.webAclName,
      description: props.description,
      scope: 'REGIONAL',
      defaultAction: { allow: {} },
      rules,
      customResponseBodies: Object.keys(customResponseBodies).length > 0 ? customResponseBodies : undefined,
      captchaConfig: { immunityTimeProperty: { immunityTime: captchaImmunityTime.toSeconds() } },
      tokenDomains: props.tokenDomains,
      visibilityConfig: visibilityConfig(this.metricName),
    });
    this.webAclArn = this.webAcl.attrArn;
    this.webAclId = this.webAcl.attrId;

    if (enableLogging) {
      this.logGroup = props.logGroup ?? this.createLogGroup(props);
      this.loggingConfiguration = new wafv2.CfnLoggingConfiguration(this, 'Logging', {
        resourceArn: this.webAclArn,
        logDestinationConfigs: [this.logGroupDestinationArn(this.logGroup)],
        redactedFields: redactedHeaders.map((name) => ({ singleHeader: { Name: name } })),
      });
    } else {
      Annotations.of(this).addWarningV2(
        '@gtuc/cdk-privatelink-ecs:webAclLoggingDisabled',
        'WAF logging is disabled: blocked and CAPTCHA-challenged requests leave no trace beyond sampled requests and metrics.',
      );
    }
  }

  /**
   * Associates the web ACL with a regional resource (REST API stage, ALB, AppSync API, Cognito user pool).
   *
   * @param resourceArn the ARN of the resource; for a REST API stage see `GeoWebAcl.restApiStageArn()`
   * @param id the construct id of the association; pass one to keep it stable when associations are reordered
   *           (default: `Association`, then `Association2`, `Association3`...)
   */
  public associate(resourceArn: string, id?: string): wafv2.CfnWebACLAssociation {
    this.associationCount += 1;
    const associationId = id ?? (this.associationCount === 1 ? 'Association' : `Association${this.associationCount}`);
    return new wafv2.CfnWebACLAssociation(this, associationId, { resourceArn, webAclArn: this.webAclArn });
  }

  /**
   * Associates the web ACL with a REST API stage.
   *
   * @param stage the stage to protect
   * @param id the construct id of the association (default: as for `associate()`)
   */
  public associateRestApiStage(stage: apigateway.IStage, id?: string): wafv2.CfnWebACLAssociation {
    const association = this.associate(GeoWebAcl.restApiStageArn(stage), id);
    association.node.addDependency(stage);
    return association;
  }

  /**
   * A metric of this web ACL in the `AWS/WAFV2` namespace (Sum over 5 minutes by default).
   *
   * @param metricName the WAF metric, for example `BlockedRequests`
   * @param ruleName the rule (its metric name) to narrow to (default: `ALL`, every rule of the web ACL)
   * @param props metric options to override
   */
  public metric(metricName: string, ruleName?: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: 'AWS/WAFV2',
      metricName,
      dimensionsMap: { WebACL: this.metricName, Region: Stack.of(this).region, Rule: ruleName ?? 'ALL' },
      statistic: 'Sum',
      period: Duration.minutes(5),
      ...props,
    }).attachTo(this);
  }

  /**
   * Requests blocked by the web ACL, or by one rule (for example `acl.blockRuleName`).
   *
   * @param ruleName the rule to narrow to (default: every rule)
   * @param props metric options to override
   */
  public metricBlockedRequests(ruleName?: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('BlockedRequests', ruleName, props);
  }

  /**
   * Requests allowed by the web ACL (mostly by its default action).
   *
   * @param props metric options to override
   */
  public metricAllowedRequests(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('AllowedRequests', undefined, props);
  }

  /**
   * Requests that got a CAPTCHA response (no valid token), for the web ACL or one rule (for example `acl.captchaRuleName`).
   *
   * @param ruleName the rule to narrow to (default: every rule)
   * @param props metric options to override
   */
  public metricCaptchaRequests(ruleName?: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('CaptchaRequests', ruleName, props);
  }

  /**
   * Requests counted by rules in COUNT mode (for example the core rule set's `SizeRestrictions_BODY` override).
   *
   * @param ruleName the rule to narrow to (default: every rule)
   * @param props metric options to override
   */
  public metricCountedRequests(ruleName?: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('CountedRequests', ruleName, props);
  }

  /**
   * Creates the web ACL; override to customise the L1 properties.
   *
   * @param props the L1 properties this construct computed
   */
  protected createWebAcl(props: wafv2.CfnWebACLProps): wafv2.CfnWebACL {
    return new wafv2.CfnWebACL(this, 'Resource', props);
  }

  /**
   * Creates the log group for the WAF logs; override to customise it (its name must start with `aws-waf-logs-`).
   *
   * @param props the construct's properties
   */
  protected createLogGroup(props: GeoWebAclProps): logs.ILogGroup {
    const logGroupName =
      props.logGroupName ?? `${LOG_GROUP_PREFIX}${Names.uniqueResourceName(this, { maxLength: 128, separator: '-' })}`;
    const logGroup = new logs.LogGroup(this, 'LogGroup', {
      logGroupName,
      retention: props.logRetention ?? logs.RetentionDays.ONE_YEAR,
      removalPolicy: props.logRemovalPolicy ?? RemovalPolicy.RETAIN,
      encryptionKey: props.logEncryptionKey,
    });
    if (props.logEncryptionKey) {
      props.logEncryptionKey.grantEncryptDecrypt(
        new iam.ServicePrincipal(`logs.${Stack.of(this).region}.amazonaws.com`),
      );
    }
    return logGroup;
  }

  /** WAF rejects the `:*` suffix of `logGroupArn`, so the ARN is built from the name. */
  private logGroupDestinationArn(logGroup: logs.ILogGroup): string {
    return Stack.of(this).formatArn({
      service: 'logs',
      region: logGroup.env.region,
      account: logGroup.env.account,
      resource: 'log-group',
      resourceName: logGroup.logGroupName,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
  }

  private validateWebAclName(name: string | undefined): void {
    if (name === undefined || Token.isUnresolved(name)) {
      return;
    }
    if (!/^[A-Za-z0-9_-]{1,128}$/.test(name)) {
      throw new Error(
        `\`webAclName\` must be 1 to 128 characters from A-Z, a-z, 0-9, hyphen and underscore, got: '${name}'.`,
      );
    }
  }

  private validateCountries(propName: string, codes: string[]): void {
    if (Token.isUnresolved(codes)) {
      return;
    }
    const seen = new Set<string>();
    for (const code of codes) {
      if (Token.isUnresolved(code)) {
        continue;
      }
      if (code !== code.toUpperCase() && WAF_COUNTRY_CODES.has(code.toUpperCase())) {
        throw new Error(
          `\`${propName}\` must contain upper-case ISO 3166-1 alpha-2 country codes (use '${code.toUpperCase()}'), got: '${code}'.`,
        );
      }
      if (!WAF_COUNTRY_CODES.has(code)) {
        throw new Error(
          `\`${propName}\` must contain ISO 3166-1 alpha-2 country codes such as 'NG' or 'GH', got: '${code}'.`,
        );
      }
      if (seen.has(code)) {
        throw new Error(`\`${propName}\` must not contain duplicates, got: '${code}' twice.`);
      }
      seen.add(code);
    }
  }

  private validateCountryOverlap(blocked: string[], captcha: string[]): void {
    if (Token.isUnresolved(blocked) || Token.isUnresolved(captcha)) {
      return;
    }
    const both = captcha.filter((code) => !Token.isUnresolved(code) && blocked.includes(code));
    if (both.length > 0) {
      throw new Error(
        `\`captchaCountries\` must not contain countries that are also in \`blockedCountries\` (the block rule runs first), got: ${both.map((c) => `'${c}'`).join(', ')}.`,
      );
    }
  }

  private validateCaptchaImmunityTime(immunityTime: Duration): void {
    if (immunityTime.isUnresolved()) {
      return;
    }
    const seconds = immunityTime.toSeconds({ integral: false });
    if (!Number.isInteger(seconds) || seconds < 60 || seconds > 259200) {
      throw new Error(
        `\`captchaImmunityTime\` must be a whole number of seconds between 60 and 259200 (3 days), got: ${seconds} seconds.`,
      );
    }
  }

  private validateRateLimit(rateLimit: number): void {
    if (Token.isUnresolved(rateLimit)) {
      return;
    }
    if (!Number.isInteger(rateLimit) || rateLimit < 10 || rateLimit > 2_000_000_000) {
      throw new Error(`\`rateLimit\` must be an integer between 10 and 2000000000, got: ${rateLimit}.`);
    }
  }

  private validateRateLimitWindow(window: Duration): void {
    if (window.isUnresolved()) {
      return;
    }
    const seconds = window.toSeconds({ integral: false });
    if (![60, 120, 300, 600].includes(seconds)) {
      throw new Error(`\`rateLimitWindow\` must be 60, 120, 300 or 600 seconds, got: ${seconds} seconds.`);
    }
  }

  private validateManagedRuleGroups(groups: ManagedRuleGroup[]): void {
    const seen = new Set<string>();
    groups.forEach((group, index) => {
      if (Token.isUnresolved(group.name) || Token.isUnresolved(group.vendor)) {
        return;
      }
      if (group.name.trim() === '') {
        throw new Error(`\`managedRuleGroups[${index}].name\` must not be empty, got: '${group.name}'.`);
      }
      if (group.vendor.trim() === '') {
        throw new Error(`\`managedRuleGroups[${index}].vendor\` must not be empty, got: '${group.vendor}'.`);
      }
      const key = `${group.vendor}/${group.name}`;
      if (seen.has(key)) {
        throw new Error(`\`managedRuleGroups\` must not contain the same group twice, got: '${key}' twice.`);
      }
      seen.add(key);
    });
  }

  private validateLoggingProps(props: GeoWebAclProps, enableLogging: boolean): void {
    const ownLogGroupProps = (['logGroupName', 'logRetention', 'logRemovalPolicy', 'logEncryptionKey'] as const).filter(
      (name) => props[name] !== undefined,
    );
    if (!enableLogging && props.logGroup) {
      throw new Error('`logGroup` must not be set when `enableLogging` is false, got: a log group.');
    }
    if (props.logGroup && ownLogGroupProps.length > 0) {
      throw new Error(
        `You must specify either \`logGroup\` or ${ownLogGroupProps.map((n) => `\`${n}\``).join(', ')}, not both.`,
      );
    }
    if (props.logGroupName !== undefined && !Token.isUnresolved(props.logGroupName)) {
      if (!props.logGroupName.startsWith(LOG_GROUP_PREFIX)) {
        throw new Error(`\`logGroupName\` must start with 'aws-waf-logs-', got: '${props.logGroupName}'.`);
      }
    }
    if (props.logGroup) {
      const name = this.resolvableLogGroupName(props.logGroup);
      if (name !== undefined && !name.startsWith(LOG_GROUP_PREFIX)) {
        throw new Error(`\`logGroup\` must have a name that starts with 'aws-waf-logs-', got: '${name}'.`);
      }
    }
  }

  /** The log group's literal name: imported by name, or the explicit name of a log group defined in this app. */
  private resolvableLogGroupName(logGroup: logs.ILogGroup): string | undefined {
    if (!Token.isUnresolved(logGroup.logGroupName)) {
      return logGroup.logGroupName;
    }
    const cfn = logGroup.node.defaultChild;
    if (cfn instanceof logs.CfnLogGroup) {
      // An L2 log group without a name carries a lazy physical name that resolves to undefined.
      const name = Token.isUnresolved(cfn.logGroupName) ? Stack.of(cfn).resolve(cfn.logGroupName) : cfn.logGroupName;
      if (name === undefined) {
        throw new Error(
          "`logGroup` must have a name that starts with 'aws-waf-logs-', got: a log group without `logGroupName` (CloudFormation would generate one).",
        );
      }
      if (typeof name === 'string' && !Token.isUnresolved(name)) {
        return name;
      }
    }
    return undefined;
  }
}
