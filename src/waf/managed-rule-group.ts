/**
 * An action that AWS WAF applies to a web request.
 *
 * @see https://docs.aws.amazon.com/waf/latest/developerguide/waf-rule-action.html
 */
export enum WafAction {
  /** Allow the request (terminating). */
  ALLOW = 'ALLOW',
  /** Block the request (terminating). */
  BLOCK = 'BLOCK',
  /** Count the request and continue evaluating the next rules (non-terminating). */
  COUNT = 'COUNT',
  /**
   * Require a solved CAPTCHA: requests without a valid `aws-waf-token` get HTTP 405 with the header
   * `x-amzn-waf-action: captcha`; only `Accept: text/html` GET requests are shown the puzzle page.
   */
  CAPTCHA = 'CAPTCHA',
  /** Require a silent browser challenge: requests without a valid `aws-waf-token` get HTTP 202. */
  CHALLENGE = 'CHALLENGE',
}

/**
 * Overrides the action of one rule inside a managed rule group.
 */
export interface RuleActionOverride {
  /**
   * The name of the rule inside the managed rule group, for example `SizeRestrictions_BODY`.
   */
  readonly name: string;

  /**
   * The action to use instead of the rule's own action.
   */
  readonly action: WafAction;
}

/**
 * Options shared by every managed rule group.
 */
export interface ManagedRuleGroupOptions {
  /**
   * The version of the rule group to pin, for example `Version_1.2`.
   *
   * @default - the vendor's default version, which follows the vendor's updates
   */
  readonly version?: string;

  /**
   * Rules of the group whose action is replaced, for example to count instead of block.
   *
   * @default - no overrides; for `ManagedRuleGroup.common()`, `SizeRestrictions_BODY` is overridden to COUNT
   */
  readonly ruleActionOverrides?: RuleActionOverride[];

  /**
   * Rules of the group to set to COUNT (WAF's older mechanism; prefer `ruleActionOverrides`).
   *
   * @default - no excluded rules
   */
  readonly excludedRules?: string[];

  /**
   * Whether the whole group only counts matching requests instead of applying its actions (useful to roll out a group).
   *
   * @default false
   */
  readonly countOnly?: boolean;
}

/**
 * Properties of any managed rule group.
 */
export interface ManagedRuleGroupProps extends ManagedRuleGroupOptions {
  /**
   * The name of the managed rule group, for example `AWSManagedRulesCommonRuleSet`.
   */
  readonly name: string;

  /**
   * The vendor of the managed rule group.
   *
   * @default 'AWS'
   */
  readonly vendor?: string;
}

/**
 * A managed rule group to reference from a `GeoWebAcl`, with typed presets for the AWS managed rule groups.
 *
 * @see https://docs.aws.amazon.com/waf/latest/developerguide/aws-managed-rule-groups-list.html
 *
 * @example
 * const groups = [
 *   ManagedRuleGroup.common(),
 *   ManagedRuleGroup.knownBadInputs(),
 *   ManagedRuleGroup.of({ name: 'AWSManagedRulesSQLiRuleSet', countOnly: true }),
 * ];
 */
export class ManagedRuleGroup {
  /** The name of the AWS core rule set. */
  public static readonly COMMON_RULE_SET = 'AWSManagedRulesCommonRuleSet';
  /** The name of the AWS known bad inputs rule group. */
  public static readonly KNOWN_BAD_INPUTS_RULE_SET = 'AWSManagedRulesKnownBadInputsRuleSet';
  /** The name of the Amazon IP reputation list rule group. */
  public static readonly AMAZON_IP_REPUTATION_LIST = 'AWSManagedRulesAmazonIpReputationList';
  /** The name of the anonymous IP list rule group. */
  public static readonly ANONYMOUS_IP_LIST = 'AWSManagedRulesAnonymousIpList';
  /** The name of the SQL database rule group. */
  public static readonly SQLI_RULE_SET = 'AWSManagedRulesSQLiRuleSet';

  /**
   * Any managed rule group, by vendor and name.
   */
  public static of(props: ManagedRuleGroupProps): ManagedRuleGroup {
    return new ManagedRuleGroup(props);
  }

  /**
   * The core rule set (`AWSManagedRulesCommonRuleSet`, 700 WCUs).
   *
   * Unless you pass `ruleActionOverrides`, `SizeRestrictions_BODY` is overridden to COUNT: it blocks request
   * bodies over 8 KB, which legitimate JSON API calls exceed. `NoUserAgent_HEADER` keeps blocking requests
   * without a `User-Agent` header, so API clients must send one (most HTTP libraries do).
   *
   * @see https://docs.aws.amazon.com/waf/latest/developerguide/aws-managed-rule-groups-baseline.html
   */
  public static common(options: ManagedRuleGroupOptions = {}): ManagedRuleGroup {
    return new ManagedRuleGroup({
      ...options,
      name: ManagedRuleGroup.COMMON_RULE_SET,
      ruleActionOverrides: options.ruleActionOverrides ?? [{ name: 'SizeRestrictions_BODY', action: WafAction.COUNT }],
    });
  }

  /**
   * The known bad inputs rule group (`AWSManagedRulesKnownBadInputsRuleSet`, 200 WCUs): Log4j, Java deserialisation, localhost Host headers.
   */
  public static knownBadInputs(options: ManagedRuleGroupOptions = {}): ManagedRuleGroup {
    return new ManagedRuleGroup({ ...options, name: ManagedRuleGroup.KNOWN_BAD_INPUTS_RULE_SET });
  }

  /**
   * The Amazon IP reputation list (`AWSManagedRulesAmazonIpReputationList`, 25 WCUs): IPs known for bots and attacks.
   */
  public static amazonIpReputationList(options: ManagedRuleGroupOptions = {}): ManagedRuleGroup {
    return new ManagedRuleGroup({ ...options, name: ManagedRuleGroup.AMAZON_IP_REPUTATION_LIST });
  }

  /**
   * The anonymous IP list (`AWSManagedRulesAnonymousIpList`, 50 WCUs): VPNs, proxies, Tor and hosting providers.
   */
  public static anonymousIpList(options: ManagedRuleGroupOptions = {}): ManagedRuleGroup {
    return new ManagedRuleGroup({ ...options, name: ManagedRuleGroup.ANONYMOUS_IP_LIST });
  }

  /**
   * The SQL database rule group (`AWSManagedRulesSQLiRuleSet`, 200 WCUs): SQL injection patterns.
   */
  public static sqlDatabase(options: ManagedRuleGroupOptions = {}): ManagedRuleGroup {
    return new ManagedRuleGroup({ ...options, name: ManagedRuleGroup.SQLI_RULE_SET });
  }

  /**
   * The defaults of `GeoWebAcl`: `common()` (with `SizeRestrictions_BODY` counted), `knownBadInputs()` and `amazonIpReputationList()`.
   */
  public static defaults(): ManagedRuleGroup[] {
    return [ManagedRuleGroup.common(), ManagedRuleGroup.knownBadInputs(), ManagedRuleGroup.amazonIpReputationList()];
  }

  /** The name of the managed rule group. */
  public readonly name: string;
  /** The vendor of the managed rule group. */
  public readonly vendor: string;
  /**
   * The pinned version of the rule group.
   *
   * @default - the vendor's default version
   */
  public readonly version?: string;
  /** The rule action overrides, in order. */
  public readonly ruleActionOverrides: RuleActionOverride[];
  /** The rules set to COUNT through `ExcludedRules`. */
  public readonly excludedRules: string[];
  /** Whether the whole group only counts. */
  public readonly countOnly: boolean;

  private constructor(props: ManagedRuleGroupProps) {
    this.name = props.name;
    this.vendor = props.vendor ?? 'AWS';
    this.version = props.version;
    this.ruleActionOverrides = props.ruleActionOverrides ?? [];
    this.excludedRules = props.excludedRules ?? [];
    this.countOnly = props.countOnly ?? false;
  }

  /**
   * The name of the web ACL rule that references this group (also its metric name): `<vendor>-<name>`.
   */
  public get ruleName(): string {
    return `${this.vendor}-${this.name}`.replace(/[^A-Za-z0-9_-]/g, '');
  }
}
