import * as net from 'net';
import {
  Annotations,
  ArnFormat,
  aws_apigateway as apigateway,
  aws_cloudwatch as cloudwatch,
  aws_iam as iam,
  aws_kms as kms,
  aws_logs as logs,
  aws_wafv2 as wafv2,
  custom_resources as cr,
  Duration,
  Names,
  RemovalPolicy,
  Size,
  SizeRoundingBehavior,
  Stack,
  Token,
} from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { ManagedRuleGroup, WafAction } from './managed-rule-group';
import { Findings } from '../validation/findings';
import { WEB_ACL_BASE_PRICE_WCU, WEB_ACL_MAX_WCU } from './private/capacity';
import { WAF_COUNTRY_CODES } from './private/country-codes';
import { ruleAction, sanitizeMetricName, visibilityConfig } from './private/rules';
import { RuleAction, validateImmunityTime } from './rule-action';
import {
  ComparisonOperator,
  LabelMatchScope,
  LabelReference,
  OversizeHandling,
  RateLimitKey,
  RequestField,
  Statement,
} from './statement';

/** AWS WAF only logs to log groups whose name starts with this prefix. */
const LOG_GROUP_PREFIX = 'aws-waf-logs-';

/**
 * The priorities of the built-in rules; custom rules take any other priority and land between them.
 * Managed rule groups take 100, 110, 120... in the order given.
 */
export class BuiltInRulePriority {
  /** `DeniedIpAddresses`: the deny lists, BLOCK 403. */
  public static readonly DENIED_IP_ADDRESSES = 10;
  /** `AllowedIpAddresses`: the allow lists, ALLOW (no later rule sees these requests). */
  public static readonly ALLOWED_IP_ADDRESSES = 20;
  /** `BlockedCountries`: BLOCK 403. */
  public static readonly BLOCKED_COUNTRIES = 30;
  /** `CaptchaCountries`: CAPTCHA (not for `OPTIONS`). */
  public static readonly CAPTCHA_COUNTRIES = 40;
  /** `RateLimit`: BLOCK 429. */
  public static readonly RATE_LIMIT = 50;
  /** `OversizeBody`: BLOCK 413 for bodies over `bodyInspectionSize`. */
  public static readonly OVERSIZE_BODY = 60;
  /** The first managed rule group; the next ones follow 10 apart. */
  public static readonly MANAGED_RULE_GROUPS = 100;

  private constructor() {}
}

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

/** A rule of your own in a `GeoWebAcl`, built with `Statement`. */
export interface CustomRule {
  /** The rule name (also its metric name): letters, digits, `_` and `-`, unique in the web ACL. */
  readonly name: string;
  /**
   * The rule's priority: any whole number not taken by another rule; see `BuiltInRulePriority` for the built-in
   * rules' positions (for example 25 runs after the allow list and before the geo rules; 1000 runs after the managed
   * groups and can match their labels).
   */
  readonly priority: number;
  /** What the rule matches. */
  readonly statement: Statement;
  /**
   * What the rule does with a match. CAPTCHA and Challenge never apply to `OPTIONS` (CORS preflight).
   *
   * @default RuleAction.block()
   */
  readonly action?: RuleAction;
  /**
   * Labels the rule adds to matching requests (even in COUNT mode), for later rules' `Statement.labelMatch()`.
   *
   * @default - none
   */
  readonly labels?: string[];
  /**
   * Whether the rule publishes CloudWatch metrics and sampled requests.
   *
   * @default true
   */
  readonly enableMetrics?: boolean;
}

/**
 * Properties of a `GeoWebAcl`. No country is blocked or CAPTCHA'd unless you name it.
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
   * ISO 3166-1 alpha-2 codes (upper case) of the countries whose requests `blockedCountriesAction` answers; an empty list skips the rule.
   *
   * @default - none
   */
  readonly blockedCountries?: string[];

  /**
   * What the `BlockedCountries` rule does (for example `RuleAction.count()` to try it first).
   *
   * @default RuleAction.block() (HTTP 403 with a problem-details body)
   */
  readonly blockedCountriesAction?: RuleAction;

  /**
   * ISO 3166-1 alpha-2 codes (upper case) of the countries whose requests must carry a solved CAPTCHA; an empty list skips the rule.
   *
   * Requests without a valid `aws-waf-token` get HTTP 405 with the header `x-amzn-waf-action: captcha`; only
   * `Accept: text/html` GET requests are shown the puzzle. `OPTIONS` (CORS preflight) requests are never CAPTCHA'd.
   * Browser apps render the puzzle with the CAPTCHA JavaScript API (see `captchaApiKeyDomains`); server-to-server
   * clients belong in `allowedIpv4Cidrs` / `allowedIpv6Cidrs`.
   *
   * @see https://docs.aws.amazon.com/waf/latest/developerguide/waf-captcha-and-challenge.html
   * @default - none
   */
  readonly captchaCountries?: string[];

  /**
   * What the `CaptchaCountries` rule does (for example `RuleAction.challenge()` for browser-only apps, or `RuleAction.count()`).
   *
   * @default RuleAction.captcha()
   */
  readonly captchaCountriesAction?: RuleAction;

  /**
   * How long a solved CAPTCHA stays valid (the web ACL's `CaptchaConfig`), between 60 seconds and 3 days.
   *
   * @default Duration.seconds(300)
   */
  readonly captchaImmunityTime?: Duration;

  /**
   * How long a passed challenge stays valid (the web ACL's `ChallengeConfig`), between 60 seconds and 3 days.
   *
   * @default Duration.seconds(300)
   */
  readonly challengeImmunityTime?: Duration;

  /**
   * Domains, besides the protected resource's own, whose WAF tokens are accepted (the web ACL's `TokenDomains`):
   * the domains of the browser apps that call the API.
   *
   * @see https://docs.aws.amazon.com/waf/latest/developerguide/waf-tokens-domains.html
   * @default - only tokens for the protected resource's host
   */
  readonly tokenDomains?: string[];

  /**
   * Domains for a CAPTCHA JavaScript API key (at most 5), for browser apps that render the puzzle themselves. A
   * custom resource calls `CreateAPIKey` (and `DeleteAPIKey` on removal); see `captchaApiKey`.
   *
   * @see https://docs.aws.amazon.com/waf/latest/developerguide/waf-js-captcha-api.html
   * @default - no API key
   */
  readonly captchaApiKeyDomains?: string[];

  /**
   * Whether to read the web ACL's application integration URL (`GetWebACL`, through a custom resource) into
   * `applicationIntegrationUrl`, for the token SDK (`challenge.js`). AWS returns it only for web ACLs that use an
   * integrating rule group (for example Bot Control TARGETED); without one the deployment fails on the missing value.
   *
   * @default false
   */
  readonly enableApplicationIntegrationUrl?: boolean;

  /**
   * IPv4 CIDR blocks whose requests are allowed before any other rule but the deny lists (partners' servers, monitors).
   *
   * @default - none
   */
  readonly allowedIpv4Cidrs?: string[];

  /**
   * IPv6 CIDR blocks whose requests are allowed before any other rule but the deny lists.
   *
   * @default - none
   */
  readonly allowedIpv6Cidrs?: string[];

  /**
   * ARNs of existing REGIONAL IP sets whose addresses are allowed like `allowedIpv4Cidrs`.
   *
   * @default - none
   */
  readonly allowedIpSetArns?: string[];

  /**
   * IPv4 CIDR blocks whose requests are blocked (HTTP 403) before every other rule.
   *
   * @default - none
   */
  readonly deniedIpv4Cidrs?: string[];

  /**
   * IPv6 CIDR blocks whose requests are blocked (HTTP 403) before every other rule.
   *
   * @default - none
   */
  readonly deniedIpv6Cidrs?: string[];

  /**
   * ARNs of existing REGIONAL IP sets whose addresses are blocked like `deniedIpv4Cidrs`.
   *
   * @default - none
   */
  readonly deniedIpSetArns?: string[];

  /**
   * Whether to add the rate-based rule that limits each client to `rateLimit` requests per `rateLimitWindow`.
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
   * What the `RateLimit` rule does with a client over the limit.
   *
   * @default RuleAction.block({ statusCode: 429 })
   */
  readonly rateLimitAction?: RuleAction;

  /**
   * How much of a request body API Gateway forwards to WAF for inspection (the web ACL's `AssociationConfig`): 16, 32,
   * 48 or 64 KiB. More than 16 KiB costs extra per request. ALBs and AppSync always forward 8 KiB.
   *
   * @see https://docs.aws.amazon.com/waf/latest/developerguide/web-acl-setting-body-inspection-limit.html
   * @default Size.kibibytes(16)
   */
  readonly bodyInspectionSize?: Size;

  /**
   * What the `OversizeBody` rule does with a body larger than `bodyInspectionSize` (which WAF could not inspect in
   * full); `RuleAction.count()` lets such bodies through uninspected beyond the limit.
   *
   * @default RuleAction.block({ statusCode: 413 })
   */
  readonly oversizeBodyAction?: RuleAction;

  /**
   * The managed rule groups, evaluated after the built-in rules at priorities 100, 110, 120...; an empty list adds none.
   *
   * The default is the core rule set with `SizeRestrictions_BODY` overridden to COUNT (it blocks bodies over 8 KB,
   * which legitimate API calls exceed) and `NoUserAgent_HEADER` still blocking (clients must send a `User-Agent`),
   * the known bad inputs group, and the Amazon IP reputation list: 925 WCUs together.
   *
   * @default ManagedRuleGroup.defaults()
   */
  readonly managedRuleGroups?: ManagedRuleGroup[];

  /**
   * Rules of your own, at the priorities they name (between the built-in rules' `BuiltInRulePriority` positions).
   *
   * @default - none
   */
  readonly customRules?: CustomRule[];

  /**
   * The most WCUs the web ACL may use; synth fails above it (WAF's own maximum is 5,000) and warns above 1,500,
   * where WAF bills more.
   *
   * @default 5000
   */
  readonly maxCapacity?: number;

  /**
   * The one origin allowed to call the API from browsers (for example `https://app.example.com`): block responses
   * carry `Access-Control-Allow-Origin` with it (and `Vary: Origin`), so browser apps can read the problem details.
   *
   * @default - no CORS headers on block responses
   */
  readonly corsAllowedOrigin?: string;

  /**
   * Whether to log the web ACL's traffic to CloudWatch Logs.
   *
   * @default true
   */
  readonly enableLogging?: boolean;

  /**
   * Log only requests that got one of these actions (a logging filter); for example BLOCK, CAPTCHA and CHALLENGE.
   *
   * @default - every request is logged
   */
  readonly loggedActions?: WafAction[];

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
   * @default ['authorization', 'cookie', 'x-amz-security-token']
   */
  readonly redactedHeaders?: string[];
}

/** A rule on its way into the web ACL, with what the checks need. */
interface PlannedRule {
  readonly rule: wafv2.CfnWebACL.RuleProperty;
  readonly capacity: number;
  /** The prop the rule comes from, for messages. */
  readonly source: string;
  readonly statement?: Statement;
  readonly labelReferences: LabelReference[];
  readonly addsLabels: string[];
  readonly addsGeoLabels: boolean;
  readonly managedLabelNamespace?: string;
  readonly unknownManagedLabels?: boolean;
  readonly blocks: boolean;
}

const NOT_PREFLIGHT = (): Statement => Statement.negate(Statement.methodIs('OPTIONS'));

/**
 * A REGIONAL AWS WAF web ACL for API Gateway REST API stages (or ALBs, AppSync, Cognito): deny and allow lists, geo
 * blocking, geo CAPTCHA or challenge, a per-client rate limit, an explicit oversize-body rule, AWS managed rule groups,
 * custom rules from a typed statement builder with labels, a synth-time capacity (WCU) check, CloudWatch metrics
 * and logging.
 *
 * Rules, by priority (a rule is skipped when its input is empty or disabled; see `BuiltInRulePriority`):
 * - 10 `DeniedIpAddresses`: BLOCK 403. 20 `AllowedIpAddresses`: ALLOW (no later rule sees these requests).
 * - 30 `BlockedCountries`: BLOCK 403. 40 `CaptchaCountries`: CAPTCHA, never for `OPTIONS` (CORS preflight).
 * - 50 `RateLimit`: BLOCK 429. 60 `OversizeBody`: BLOCK 413 for bodies over `bodyInspectionSize`.
 * - 100, 110, ... one rule per managed rule group, named `<vendor>-<name>`, e.g. `AWS-AWSManagedRulesCommonRuleSet`.
 * - custom rules at the priorities they name.
 * Requests that no rule terminates are allowed (default action ALLOW).
 *
 * Block responses carry an RFC 9457 problem-details JSON body (`type`, `title`, `status`, `detail`) served as
 * `application/json`, the only JSON content type WAF allows. CAPTCHA (405) and Challenge (202) responses can't be
 * customised; both carry `x-amzn-waf-action`.
 *
 * Logging: WAF writes to a CloudWatch log group whose name starts with `aws-waf-logs-`, with the `authorization`,
 * `cookie` and `x-amz-security-token` headers redacted. This construct creates no log-group resource policy: when
 * the logging configuration is created, AWS creates or updates the account's CloudWatch Logs resource policy that
 * lets log delivery (`delivery.logs.amazonaws.com`) write to the group, so the deploying role needs
 * `logs:CreateLogDelivery`, `logs:PutResourcePolicy`, `logs:DescribeResourcePolicies` and `logs:DescribeLogGroups`
 * (on `*` log groups; CloudFormation's default execution role has them). An account has at most 10 such policies
 * per Region, each at most 5,120 characters.
 *
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/AWS-logs-infrastructure-CWL.html
 *
 * @example
 * import { Size } from 'aws-cdk-lib';
 * import * as apigateway from 'aws-cdk-lib/aws-apigateway';
 * import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
 * import { GeoWebAcl, ManagedRuleGroup, RuleAction, Statement } from '@gtuc/cdk-privatelink-ecs';
 *
 * declare const stage: apigateway.Stage;
 * const acl = new GeoWebAcl(this, 'WebAcl', {
 *   blockedCountries: ['NG'],
 *   captchaCountries: ['GH'],
 *   allowedIpv4Cidrs: ['203.0.113.0/24'],
 *   rateLimit: 500,
 *   bodyInspectionSize: Size.kibibytes(64),
 *   managedRuleGroups: [ManagedRuleGroup.common(), ManagedRuleGroup.knownBadInputs(), ManagedRuleGroup.sqlDatabase()],
 *   customRules: [
 *     {
 *       name: 'AdminOnlyFromAllowList',
 *       priority: 25,
 *       statement: Statement.pathStartsWith('/admin'),
 *       action: RuleAction.block({ detail: 'The admin API is reachable from the allow list only.' }),
 *     },
 *   ],
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
   * The web ACL's capacity in WCUs, computed at synth from AWS WAF's published statement costs and managed group
   * capacities (compare it with the deployed web ACL's `Capacity` attribute).
   */
  public readonly capacity: number;
  /** Each rule's capacity in WCUs, by rule name. */
  public readonly ruleCapacities: Record<string, number>;
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
  /** The names of all rules, in priority order. */
  public readonly ruleNames: string[];
  /**
   * The IP sets this construct created (allow and deny lists, per IP version).
   */
  public readonly ipSets: wafv2.CfnIPSet[] = [];
  /**
   * The CAPTCHA JavaScript API key for `captchaApiKeyDomains` (a deploy-time value).
   *
   * @default - undefined unless `captchaApiKeyDomains` is set
   */
  public readonly captchaApiKey?: string;
  /**
   * The web ACL's application integration URL from `GetWebACL` (a deploy-time value): load
   * `<url>challenge.js` for the token (challenge) integration.
   *
   * @default - undefined unless `enableApplicationIntegrationUrl` is true
   */
  public readonly applicationIntegrationUrl?: string;

  private associationCount = 0;
  private readonly corsAllowedOrigin?: string;
  private readonly responseBodies: Record<string, wafv2.CfnWebACL.CustomResponseBodyProperty> = {};

  constructor(scope: Construct, id: string, props: GeoWebAclProps = {}) {
    super(scope, id);

    // Defaults, resolved once.
    const blockedCountries = props.blockedCountries ?? [];
    const captchaCountries = props.captchaCountries ?? [];
    const captchaImmunityTime = props.captchaImmunityTime ?? Duration.seconds(300);
    const challengeImmunityTime = props.challengeImmunityTime ?? Duration.seconds(300);
    const enableRateLimit = props.enableRateLimit ?? true;
    const rateLimit = props.rateLimit ?? 1000;
    const rateLimitWindow = props.rateLimitWindow ?? Duration.minutes(5);
    const rateLimitAggregateKey = props.rateLimitAggregateKey ?? RateLimitAggregateKey.IP;
    const bodyInspectionSize = props.bodyInspectionSize ?? Size.kibibytes(16);
    const managedRuleGroups = props.managedRuleGroups ?? ManagedRuleGroup.defaults();
    const customRules = props.customRules ?? [];
    const maxCapacity = props.maxCapacity ?? WEB_ACL_MAX_WCU;
    const enableLogging = props.enableLogging ?? true;
    const redactedHeaders = props.redactedHeaders ?? ['authorization', 'cookie', 'x-amz-security-token'];
    this.corsAllowedOrigin = props.corsAllowedOrigin;

    // Validation.
    this.validateWebAclName(props.webAclName);
    this.validateCountries('blockedCountries', blockedCountries);
    this.validateCountries('captchaCountries', captchaCountries);
    this.validateCountryOverlap(blockedCountries, captchaCountries);
    this.validateImmunity('captchaImmunityTime', captchaImmunityTime);
    this.validateImmunity('challengeImmunityTime', challengeImmunityTime);
    if (enableRateLimit) {
      this.validateRateLimit(rateLimit);
      this.validateRateLimitWindow(rateLimitWindow);
    }
    const inspectionKb = this.validateBodyInspectionSize(bodyInspectionSize);
    this.validateManagedRuleGroups(managedRuleGroups);
    this.validateMaxCapacity(maxCapacity);
    this.validateCorsOrigin(props.corsAllowedOrigin);
    this.validateApiKeyDomains(props.captchaApiKeyDomains);
    this.validateLoggingProps(props, enableLogging);
    for (const [name, version] of [
      ['allowedIpv4Cidrs', 'IPV4'],
      ['allowedIpv6Cidrs', 'IPV6'],
      ['deniedIpv4Cidrs', 'IPV4'],
      ['deniedIpv6Cidrs', 'IPV6'],
    ] as const) {
      this.validateCidrs(name, props[name] ?? [], version);
    }
    for (const name of ['allowedIpSetArns', 'deniedIpSetArns'] as const) {
      this.validateIpSetArns(name, props[name] ?? []);
    }

    this.webAclName =
      props.webAclName ?? sanitizeMetricName(Names.uniqueResourceName(this, { maxLength: 128, separator: '-' }));
    this.metricName = Token.isUnresolved(this.webAclName)
      ? sanitizeMetricName(Names.uniqueResourceName(this, { maxLength: 128 }))
      : sanitizeMetricName(this.webAclName);

    // Rules.
    const planned: PlannedRule[] = [];
    const denied = this.ipListStatement('Denied', props.deniedIpv4Cidrs, props.deniedIpv6Cidrs, props.deniedIpSetArns);
    if (denied) {
      planned.push(
        this.planRule('deniedIpv4Cidrs', 'DeniedIpAddresses', BuiltInRulePriority.DENIED_IP_ADDRESSES, denied, {
          action: RuleAction.block({ detail: 'Requests from this address are not served.' }),
        }),
      );
    }
    const allowed = this.ipListStatement(
      'Allowed',
      props.allowedIpv4Cidrs,
      props.allowedIpv6Cidrs,
      props.allowedIpSetArns,
    );
    if (allowed) {
      planned.push(
        this.planRule('allowedIpv4Cidrs', 'AllowedIpAddresses', BuiltInRulePriority.ALLOWED_IP_ADDRESSES, allowed, {
          action: RuleAction.allow(),
        }),
      );
    }
    if (blockedCountries.length > 0) {
      this.blockRuleName = 'BlockedCountries';
      planned.push(
        this.planRule(
          'blockedCountries',
          this.blockRuleName,
          BuiltInRulePriority.BLOCKED_COUNTRIES,
          Statement.geoMatch(blockedCountries),
          {
            action:
              props.blockedCountriesAction ??
              RuleAction.block({ detail: 'Requests from this country are not served.' }),
          },
        ),
      );
    }
    if (captchaCountries.length > 0) {
      this.captchaRuleName = 'CaptchaCountries';
      planned.push(
        this.planRule(
          'captchaCountries',
          this.captchaRuleName,
          BuiltInRulePriority.CAPTCHA_COUNTRIES,
          Statement.geoMatch(captchaCountries),
          { action: props.captchaCountriesAction ?? RuleAction.captcha() },
        ),
      );
    }
    if (enableRateLimit) {
      this.rateRuleName = 'RateLimit';
      planned.push(
        this.planRule(
          'rateLimit',
          this.rateRuleName,
          BuiltInRulePriority.RATE_LIMIT,
          Statement.rateBased({
            limit: rateLimit,
            window: rateLimitWindow,
            keys: [
              rateLimitAggregateKey === RateLimitAggregateKey.FORWARDED_IP
                ? RateLimitKey.forwardedIp()
                : RateLimitKey.ip(),
            ],
            forwardedIpHeaderName: props.forwardedIpHeaderName,
          }),
          {
            action:
              props.rateLimitAction ??
              RuleAction.block({ statusCode: 429, detail: 'Too many requests from this client; retry later.' }),
          },
        ),
      );
      if (rateLimitAggregateKey === RateLimitAggregateKey.FORWARDED_IP) {
        Annotations.of(this).addWarningV2(
          '@gtuc/cdk-privatelink-ecs:webAclForwardedIpRateLimit',
          'The rate limit counts requests by a forwarded-IP header, which clients can forge to evade it. Use it only behind a trusted proxy that sets the header.',
        );
      }
    }
    planned.push(
      this.planRule(
        'bodyInspectionSize',
        'OversizeBody',
        BuiltInRulePriority.OVERSIZE_BODY,
        Statement.sizeConstraint({
          field: RequestField.body(OversizeHandling.MATCH),
          comparisonOperator: ComparisonOperator.GT,
          size: inspectionKb * 1024,
        }),
        {
          action:
            props.oversizeBodyAction ??
            RuleAction.block({
              statusCode: 413,
              detail: `Request bodies over ${inspectionKb} KB are not accepted.`,
            }),
        },
      ),
    );
    this.managedRuleGroupRuleNames = managedRuleGroups.map((group, index) => {
      const rule = this.planManagedGroup(group, index);
      planned.push(rule);
      return rule.rule.name;
    });
    customRules.forEach((custom, index) => {
      planned.push(this.planCustomRule(custom, index));
    });

    // Checks across rules: names, priorities, labels, capacity.
    const rules = this.checkRules(planned);
    this.ruleNames = rules.map((r) => r.rule.name);
    this.ruleCapacities = Object.fromEntries(rules.map((r) => [r.rule.name, r.capacity]));
    this.capacity = rules.reduce((total, r) => total + r.capacity, 0);
    this.checkCapacity(rules, maxCapacity);

    if (!rules.some((r) => r.blocks)) {
      Annotations.of(this).addWarningV2(
        '@gtuc/cdk-privatelink-ecs:webAclNoRules',
        'No rule of the web ACL would ever block a request (no blocked or CAPTCHA countries, no rate limit, no managed rule groups, or all of them counting): it allows every request.',
      );
    }

    this.webAcl = this.createWebAcl({
      name: this.webAclName,
      description: props.description,
      scope: 'REGIONAL',
      defaultAction: { allow: {} },
      rules: rules.map((r) => r.rule),
      customResponseBodies: Object.keys(this.responseBodies).length > 0 ? this.responseBodies : undefined,
      captchaConfig: { immunityTimeProperty: { immunityTime: captchaImmunityTime.toSeconds() } },
      challengeConfig: { immunityTimeProperty: { immunityTime: challengeImmunityTime.toSeconds() } },
      tokenDomains: props.tokenDomains,
      associationConfig:
        inspectionKb === 16
          ? undefined
          : { requestBody: { API_GATEWAY: { defaultSizeInspectionLimit: `KB_${inspectionKb}` } } },
      visibilityConfig: visibilityConfig(this.metricName),
    });
    this.webAclArn = this.webAcl.attrArn;
    this.webAclId = this.webAcl.attrId;

    if (props.captchaApiKeyDomains && props.captchaApiKeyDomains.length > 0) {
      this.captchaApiKey = this.createCaptchaApiKey(props.captchaApiKeyDomains);
    }
    if (props.enableApplicationIntegrationUrl) {
      this.applicationIntegrationUrl = this.createIntegrationUrlLookup();
    }

    if (enableLogging) {
      this.logGroup = props.logGroup ?? this.createLogGroup(props);
      this.loggingConfiguration = new wafv2.CfnLoggingConfiguration(this, 'Logging', {
        resourceArn: this.webAclArn,
        logDestinationConfigs: [this.logGroupDestinationArn(this.logGroup)],
        redactedFields: redactedHeaders.map((name) => ({ singleHeader: { Name: name } })),
        loggingFilter: this.loggingFilter(props.loggedActions),
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

  /**
   * Creates the custom resource behind `captchaApiKey`; override to customise it. Its provider (CDK's
   * `AwsCustomResource` function, one per stack) may call `wafv2:CreateAPIKey` and `wafv2:DeleteAPIKey`, which act on
   * no resource ARN.
   *
   * @param domains the domains of the API key
   * @returns the API key (a deploy-time value)
   */
  protected createCaptchaApiKey(domains: string[]): string {
    const apiKeyCall: cr.AwsSdkCall = {
      service: 'WAFV2',
      action: 'CreateAPIKey',
      parameters: { Scope: 'REGIONAL', TokenDomains: domains },
      physicalResourceId: cr.PhysicalResourceId.fromResponse('APIKey'),
    };
    const apiKey = new cr.AwsCustomResource(this, 'CaptchaApiKey', {
      onCreate: apiKeyCall,
      onUpdate: apiKeyCall,
      onDelete: {
        service: 'WAFV2',
        action: 'DeleteAPIKey',
        parameters: { Scope: 'REGIONAL', APIKey: new cr.PhysicalResourceIdReference() },
      },
      policy: cr.AwsCustomResourcePolicy.fromStatements([
        new iam.PolicyStatement({ actions: ['wafv2:CreateAPIKey', 'wafv2:DeleteAPIKey'], resources: ['*'] }),
      ]),
      installLatestAwsSdk: false,
    });
    Findings.acknowledge(
      apiKey,
      'wafv2:CreateAPIKey and wafv2:DeleteAPIKey act on no resource ARN, so they can only be granted on `*`.',
      'AwsSolutions-IAM5[Resource::*]',
    );
    return apiKey.getResponseField('APIKey');
  }

  /**
   * Creates the custom resource behind `applicationIntegrationUrl`; override to customise it. Its provider may call
   * `wafv2:GetWebACL` on this web ACL only.
   *
   * @returns the application integration URL (a deploy-time value)
   */
  protected createIntegrationUrlLookup(): string {
    const integration = new cr.AwsCustomResource(this, 'IntegrationUrl', {
      onUpdate: {
        service: 'WAFV2',
        action: 'GetWebACL',
        parameters: { Name: this.webAclName, Scope: 'REGIONAL', Id: this.webAclId },
        physicalResourceId: cr.PhysicalResourceId.of(`${this.webAclName}-integration-url`),
        outputPaths: ['ApplicationIntegrationURL'],
      },
      policy: cr.AwsCustomResourcePolicy.fromStatements([
        new iam.PolicyStatement({ actions: ['wafv2:GetWebACL'], resources: [this.webAclArn] }),
      ]),
      installLatestAwsSdk: false,
    });
    return integration.getResponseField('ApplicationIntegrationURL');
  }

  /** The IP sets for one list (v4, v6, existing ARNs) OR'ed together. */
  private ipListStatement(
    kind: 'Allowed' | 'Denied',
    v4: string[] | undefined,
    v6: string[] | undefined,
    arns: string[] | undefined,
  ): Statement | undefined {
    const statements: Statement[] = [];
    for (const [version, cidrs] of [
      ['IPV4', v4],
      ['IPV6', v6],
    ] as const) {
      if (cidrs && (Token.isUnresolved(cidrs) || cidrs.length > 0)) {
        const ipSet = new wafv2.CfnIPSet(this, `${kind}${version === 'IPV4' ? 'Ipv4' : 'Ipv6'}`, {
          scope: 'REGIONAL',
          ipAddressVersion: version,
          addresses: cidrs,
          description: `${kind} ${version === 'IPV4' ? 'IPv4' : 'IPv6'} addresses of ${this.node.path}`,
        });
        this.ipSets.push(ipSet);
        statements.push(Statement.ipSet(ipSet.attrArn));
      }
    }
    for (const arn of arns ?? []) {
      statements.push(Statement.ipSet(arn));
    }
    if (statements.length === 0) {
      return undefined;
    }
    return statements.length === 1 ? statements[0] : Statement.anyOf(...statements);
  }

  /** A rule from a statement and an action; CAPTCHA and Challenge rules skip `OPTIONS` preflights. */
  private planRule(
    source: string,
    name: string,
    priority: number,
    statement: Statement,
    options: { action: RuleAction; labels?: string[]; enableMetrics?: boolean },
  ): PlannedRule {
    const action = options.action;
    let effective = statement;
    if (action.isTokenAction) {
      if (statement._rate) {
        const scopeDown = statement._rate.options.scopeDown;
        effective = Statement.rateBased({
          ...statement._rate.options,
          scopeDown: scopeDown ? Statement.allOf(scopeDown, NOT_PREFLIGHT()) : NOT_PREFLIGHT(),
        });
      } else {
        effective = Statement.allOf(statement, NOT_PREFLIGHT());
      }
    }
    const immunity = action.immunityTime
      ? { immunityTimeProperty: { immunityTime: action.immunityTime.toSeconds() } }
      : undefined;
    const labels = options.labels ?? [];
    return {
      rule: {
        name,
        priority,
        statement: effective.toStatementProperty(),
        action: this.renderAction(action),
        captchaConfig: action.action === WafAction.CAPTCHA ? immunity : undefined,
        challengeConfig: action.action === WafAction.CHALLENGE ? immunity : undefined,
        ruleLabels: labels.length > 0 ? labels.map((l) => ({ name: l })) : undefined,
        visibilityConfig:
          options.enableMetrics === false
            ? { cloudWatchMetricsEnabled: false, sampledRequestsEnabled: false, metricName: name }
            : visibilityConfig(name),
      },
      capacity: effective.capacity,
      source,
      statement: effective,
      labelReferences: effective.labelReferences(),
      addsLabels: labels,
      addsGeoLabels: effective.containsGeoMatch,
      blocks: action.action !== WafAction.ALLOW && action.action !== WafAction.COUNT,
    };
  }

  private planManagedGroup(group: ManagedRuleGroup, index: number): PlannedRule {
    const source = `managedRuleGroups[${index}]`;
    let scopeDown = group.scopeDown;
    if (group.issuesTokenActions) {
      scopeDown = scopeDown ? Statement.allOf(scopeDown, NOT_PREFLIGHT()) : NOT_PREFLIGHT();
    }
    if (scopeDown && !scopeDown.nestable) {
      throw new Error(`\`${source}.scopeDown\` must be a nestable statement, got: a rate-based statement.`);
    }
    if (group.capacity === undefined) {
      Annotations.of(this).addWarningV2(
        '@gtuc/cdk-privatelink-ecs:webAclUnknownCapacity',
        `The capacity of managed rule group '${group.vendor}/${group.name}' is unknown, so the web ACL's capacity estimate leaves it out: pass \`capacity\` to \`ManagedRuleGroup.of()\`.`,
      );
    }
    const name = group.ruleName;
    return {
      rule: {
        name,
        priority: BuiltInRulePriority.MANAGED_RULE_GROUPS + 10 * index,
        statement: {
          managedRuleGroupStatement: {
            vendorName: group.vendor,
            name: group.name,
            version: group.version,
            ruleActionOverrides:
              group.ruleActionOverrides.length > 0
                ? group.ruleActionOverrides.map((o) => ({ name: o.name, actionToUse: ruleAction(o.action) }))
                : undefined,
            excludedRules: group.excludedRules.length > 0 ? group.excludedRules.map((n) => ({ name: n })) : undefined,
            managedRuleGroupConfigs: group.managedRuleGroupConfigs,
            scopeDownStatement: scopeDown?.toStatementProperty(),
          },
        },
        overrideAction: group.countOnly ? { count: {} } : { none: {} },
        visibilityConfig: visibilityConfig(name),
      },
      capacity: (group.capacity ?? 0) + (scopeDown?.capacity ?? 0),
      source,
      labelReferences: scopeDown?.labelReferences() ?? [],
      addsLabels: [],
      addsGeoLabels: scopeDown?.containsGeoMatch ?? false,
      managedLabelNamespace: group.labelNamespace,
      unknownManagedLabels: group.labelNamespace === undefined,
      blocks: !group.countOnly,
    };
  }

  private planCustomRule(custom: CustomRule, index: number): PlannedRule {
    const source = `customRules[${index}]`;
    if (!Token.isUnresolved(custom.name) && !/^[A-Za-z0-9_-]{1,128}$/.test(custom.name)) {
      throw new Error(
        `\`${source}.name\` must be 1 to 128 characters from A-Z, a-z, 0-9, hyphen and underscore, got: '${custom.name}'.`,
      );
    }
    if (!Number.isInteger(custom.priority) || custom.priority < 0 || custom.priority > 999_999) {
      throw new Error(`\`${source}.priority\` must be a whole number from 0 to 999999, got: ${custom.priority}.`);
    }
    for (const label of custom.labels ?? []) {
      if (!/^[0-9A-Za-z_\-:]{1,1024}$/.test(label) || label.startsWith('awswaf:')) {
        throw new Error(
          `\`${source}.labels\` must hold names of letters, digits, '_', '-' and ':' that don't start with 'awswaf:', got: '${label}'.`,
        );
      }
    }
    return this.planRule(source, custom.name, custom.priority, custom.statement, {
      action: custom.action ?? RuleAction.block(),
      labels: custom.labels,
      enableMetrics: custom.enableMetrics,
    });
  }

  /** Names and priorities unique; every label match follows a rule that adds the label. Returns rules by priority. */
  private checkRules(planned: PlannedRule[]): PlannedRule[] {
    const byName = new Map<string, PlannedRule>();
    const byPriority = new Map<number, PlannedRule>();
    for (const p of planned) {
      const sameName = byName.get(p.rule.name);
      if (sameName) {
        throw new Error(
          `\`${p.source}.name\` must differ from every other rule's name, got: '${p.rule.name}' (also used by \`${sameName.source}\`).`,
        );
      }
      byName.set(p.rule.name, p);
      const samePriority = byPriority.get(p.rule.priority);
      if (samePriority) {
        throw new Error(
          `\`${p.source}.priority\` must differ from every other rule's priority, got: ${p.rule.priority} (also rule '${samePriority.rule.name}').`,
        );
      }
      byPriority.set(p.rule.priority, p);
    }
    const rules = [...planned].sort((a, b) => a.rule.priority - b.rule.priority);
    rules.forEach((rule, index) => {
      for (const ref of rule.labelReferences) {
        if (Token.isUnresolved(ref.key) || labelAdded(ref, rules.slice(0, index))) {
          continue;
        }
        const later = rules.slice(index).find((r) => r !== rule && labelAdded(ref, [r]));
        const where = later
          ? `only rule '${later.rule.name}' at priority ${later.rule.priority} adds it, after this rule`
          : 'no rule adds it';
        throw new Error(
          `\`${rule.source}.statement\` matches a label that no rule with a lower priority adds (${where}), got: '${ref.key}' in rule '${rule.rule.name}' at priority ${rule.rule.priority}.`,
        );
      }
    });
    return rules;
  }

  private checkCapacity(rules: PlannedRule[], maxCapacity: number): void {
    if (this.capacity > maxCapacity) {
      const biggest = [...rules]
        .sort((a, b) => b.capacity - a.capacity)
        .slice(0, 3)
        .map((r) => `${r.rule.name} (${r.capacity})`)
        .join(', ');
      throw new Error(
        `\`maxCapacity\` is ${maxCapacity} WCUs, but the web ACL needs ${this.capacity} WCUs; the biggest rules: ${biggest}. Got: ${this.capacity} WCUs.`,
      );
    }
    if (this.capacity > WEB_ACL_BASE_PRICE_WCU) {
      Annotations.of(this).addWarningV2(
        '@gtuc/cdk-privatelink-ecs:webAclCapacityAbove1500',
        `The web ACL needs ${this.capacity} WCUs: above 1,500 WCUs AWS WAF bills extra for every million requests.`,
      );
    }
  }

  /** The L1 action; BLOCK gets a problem-details body (shared between rules with the same body). */
  private renderAction(action: RuleAction): wafv2.CfnWebACL.RuleActionProperty {
    if (action.action !== WafAction.BLOCK) {
      return ruleAction(action.action);
    }
    const status = action.statusCode ?? 403;
    const content = JSON.stringify({
      type: action.problemType ?? 'about:blank',
      title: action.title,
      status,
      detail: action.detail,
    });
    let key = Object.keys(this.responseBodies).find((k) => this.responseBodies[k].content === content);
    if (!key) {
      const base = `problem-${status}`;
      key = base;
      for (let n = 2; this.responseBodies[key]; n++) {
        key = `${base}-${n}`;
      }
      this.responseBodies[key] = { contentType: 'APPLICATION_JSON', content };
    }
    return {
      block: {
        customResponse: {
          responseCode: status,
          customResponseBodyKey: key,
          responseHeaders: this.corsAllowedOrigin
            ? [
                { name: 'Access-Control-Allow-Origin', value: this.corsAllowedOrigin },
                { name: 'Vary', value: 'Origin' },
              ]
            : undefined,
        },
      },
    };
  }

  /** The L1 types `LoggingFilter` as `any`, so it is written in CloudFormation's (PascalCase) form here. */
  private loggingFilter(actions: WafAction[] | undefined): Record<string, unknown> | undefined {
    if (actions === undefined) {
      return undefined;
    }
    if (actions.length === 0) {
      throw new Error('`loggedActions` must name at least one action (leave it out to log every request), got: [].');
    }
    return {
      DefaultBehavior: 'DROP',
      Filters: [
        {
          Behavior: 'KEEP',
          Requirement: 'MEETS_ANY',
          Conditions: actions.map((action) => ({ ActionCondition: { Action: action } })),
        },
      ],
    };
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

  private validateImmunity(propName: string, immunityTime: Duration): void {
    try {
      validateImmunityTime(propName, immunityTime);
    } catch (e) {
      throw new Error((e as Error).message.replace(' immunity time must', ' must'));
    }
  }

  /** Returns the size in KiB. */
  private validateBodyInspectionSize(size: Size): number {
    if (size.isUnresolved()) {
      return 16;
    }
    const kib = size.toKibibytes({ rounding: SizeRoundingBehavior.NONE });
    if (![16, 32, 48, 64].includes(kib)) {
      throw new Error(`\`bodyInspectionSize\` must be 16, 32, 48 or 64 KiB, got: ${kib} KiB.`);
    }
    return kib;
  }

  private validateMaxCapacity(maxCapacity: number): void {
    if (!Number.isInteger(maxCapacity) || maxCapacity < 1 || maxCapacity > WEB_ACL_MAX_WCU) {
      throw new Error(`\`maxCapacity\` must be a whole number from 1 to 5000 (WAF's maximum), got: ${maxCapacity}.`);
    }
  }

  private validateCorsOrigin(origin: string | undefined): void {
    if (origin === undefined || Token.isUnresolved(origin)) {
      return;
    }
    if (origin !== '*' && !/^https?:\/\/[A-Za-z0-9.-]+(:\d{1,5})?$/.test(origin)) {
      throw new Error(
        `\`corsAllowedOrigin\` must be one origin such as 'https://app.example.com' (scheme, host, optional port; no path) or '*', got: '${origin}'.`,
      );
    }
  }

  private validateApiKeyDomains(domains: string[] | undefined): void {
    if (domains === undefined || Token.isUnresolved(domains)) {
      return;
    }
    if (domains.length > 5) {
      throw new Error(`\`captchaApiKeyDomains\` must hold at most 5 domains (WAF's limit), got: ${domains.length}.`);
    }
    for (const domain of domains) {
      if (!Token.isUnresolved(domain) && !/^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/.test(domain)) {
        throw new Error(`\`captchaApiKeyDomains\` must hold domain names such as 'app.example.com', got: '${domain}'.`);
      }
    }
  }

  private validateCidrs(propName: string, cidrs: string[], version: 'IPV4' | 'IPV6'): void {
    if (Token.isUnresolved(cidrs)) {
      return;
    }
    for (const cidr of cidrs) {
      if (Token.isUnresolved(cidr)) {
        continue;
      }
      const [address, prefix, extra] = cidr.split('/');
      const bits = Number(prefix);
      const family = net.isIPv4(address) ? 'IPV4' : net.isIPv6(address) ? 'IPV6' : undefined;
      const max = family === 'IPV4' ? 32 : 128;
      const validPrefix = prefix !== undefined && /^\d{1,3}$/.test(prefix) && bits >= 1 && bits <= max;
      if (family === undefined || extra !== undefined || !validPrefix) {
        throw new Error(
          `\`${propName}\` must contain CIDR blocks such as '${version === 'IPV4' ? '203.0.113.0/24' : '2001:db8::/32'}' (prefix /1 to /${version === 'IPV4' ? 32 : 128}), got: '${cidr}'.`,
        );
      }
      if (family !== version) {
        const other = propName.replace(version === 'IPV4' ? 'Ipv4' : 'Ipv6', version === 'IPV4' ? 'Ipv6' : 'Ipv4');
        throw new Error(
          `\`${propName}\` must contain ${version === 'IPV4' ? 'IPv4' : 'IPv6'} CIDR blocks only (put '${cidr}' in \`${other}\`), got: '${cidr}'.`,
        );
      }
    }
  }

  private validateIpSetArns(propName: string, arns: string[]): void {
    for (const arn of arns) {
      if (!Token.isUnresolved(arn) && !/^arn:[^:]+:wafv2:[^:]+:\d{12}:regional\/ipset\/[^/]+\/[^/]+$/.test(arn)) {
        throw new Error(`\`${propName}\` must contain ARNs of REGIONAL WAFv2 IP sets, got: '${arn}'.`);
      }
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
      const key = `${group.vendor}/${group.name}/${group.scopeDown ? 'scoped' : ''}`;
      if (seen.has(key)) {
        throw new Error(
          `\`managedRuleGroups\` must not contain the same group twice, got: '${group.vendor}/${group.name}' twice.`,
        );
      }
      seen.add(key);
      const known = group.ruleNames;
      if (known) {
        group.ruleActionOverrides.forEach((o, i) => {
          if (!Token.isUnresolved(o.name) && !known.includes(o.name)) {
            throw new Error(
              `\`managedRuleGroups[${index}].ruleActionOverrides[${i}].name\` must name a rule of ${group.name} (${known.join(', ')}), got: '${o.name}'.`,
            );
          }
        });
        group.excludedRules.forEach((name, i) => {
          if (!Token.isUnresolved(name) && !known.includes(name)) {
            throw new Error(
              `\`managedRuleGroups[${index}].excludedRules[${i}]\` must name a rule of ${group.name} (${known.join(', ')}), got: '${name}'.`,
            );
          }
        });
      }
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

/** Whether a rule among `earlier` adds a label that `ref` matches. */
function labelAdded(ref: LabelReference, earlier: PlannedRule[]): boolean {
  const key = ref.key;
  const namespaceScope = ref.scope === LabelMatchScope.NAMESPACE;
  const trimmed = key.replace(/:$/, '');
  const keyNamespace = namespaceScope ? trimmed : key.includes(':') ? key.slice(0, key.lastIndexOf(':')) : '';
  return (
    earlier.some((rule) => {
      // Custom labels: `awswaf:<account>:webacl:<name>:<label>`; a key is the label or a suffix of its full name.
      for (const label of rule.addsLabels) {
        if (namespaceScope) {
          if (label.startsWith(`${trimmed}:`) || `:${label}`.includes(`:${trimmed}:`) || key.includes(':webacl:')) {
            return true;
          }
        } else if (
          label === key ||
          label.endsWith(`:${key}`) ||
          (key.includes(':webacl:') && key.endsWith(`:${label}`))
        ) {
          return true;
        }
      }
      if (rule.addsGeoLabels && (key.startsWith('awswaf:clientip:geo:') || /^(clientip:)?geo:/.test(key))) {
        return true;
      }
      if (rule.managedLabelNamespace) {
        const ns = rule.managedLabelNamespace;
        if (key.startsWith(ns) || (keyNamespace !== '' && `:${ns}`.includes(`:${keyNamespace}:`))) {
          return true;
        }
        if (!namespaceScope && keyNamespace === '') {
          return true; // a bare rule label such as `NoUserAgent_Header`
        }
      }
      if (rule.unknownManagedLabels && (key.startsWith('awswaf:managed:') || !key.startsWith('awswaf:'))) {
        return true;
      }
      return false;
    }) || isSystemLabel(key)
  );
}

/** Labels WAF itself adds (tokens, CAPTCHA, forwarded-IP geo): not checked. */
function isSystemLabel(key: string): boolean {
  return (
    (key.startsWith('awswaf:') &&
      !key.startsWith('awswaf:managed:aws:') &&
      !key.startsWith('awswaf:clientip:geo:') &&
      !key.includes(':webacl:')) ||
    key.startsWith('awswaf:managed:token:') ||
    key.startsWith('awswaf:managed:captcha:') ||
    key.startsWith('awswaf:managed:challenge:')
  );
}
