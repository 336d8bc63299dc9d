import { aws_wafv2 as wafv2 } from 'aws-cdk-lib';
import { MANAGED_RULE_GROUP_WCU } from './private/capacity';
import { Statement } from './statement';

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
   * Rules of the group whose action is replaced, for example to count instead of block. For the typed presets, a
   * name the group doesn't have fails at synth.
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

  /**
   * Only requests matching this statement are evaluated by the group (its WCUs are added to the group's), for
   * example `Statement.pathStartsWith('/api')` or `Statement.negate(Statement.ipSet(arn))`.
   *
   * @default - every request
   */
  readonly scopeDown?: Statement;
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

  /**
   * The group's capacity in WCUs, for the web ACL's capacity check.
   *
   * @default - the published capacity for the AWS groups this library knows; otherwise unknown (a synth warning)
   */
  readonly capacity?: number;
}

/** The Bot Control inspection level. */
export enum BotControlInspectionLevel {
  /** Self-identifying bots, from static request data. */
  COMMON = 'COMMON',
  /** COMMON plus bots that don't identify themselves (browser interrogation, fingerprinting, CAPTCHA and challenges). */
  TARGETED = 'TARGETED',
}

/** Options of the Bot Control managed rule group. */
export interface BotControlOptions extends ManagedRuleGroupOptions {
  /**
   * The inspection level (TARGETED costs more per request).
   *
   * @default BotControlInspectionLevel.COMMON
   */
  readonly inspectionLevel?: BotControlInspectionLevel;
}

/** How sensitive the anti-DDoS group's `DDoSRequests` rule is to its suspicion labels. */
export enum AntiDdosSensitivity {
  /** Only the high-suspicion label. */
  LOW = 'LOW',
  /** The medium- and high-suspicion labels. */
  MEDIUM = 'MEDIUM',
  /** All suspicion labels. */
  HIGH = 'HIGH',
}

/** Options of the anti-DDoS managed rule group. */
export interface AntiDdosOptions extends ManagedRuleGroupOptions {
  /**
   * The sensitivity of the `DDoSRequests` block rule.
   *
   * @default AntiDdosSensitivity.LOW
   */
  readonly sensitivityToBlock?: AntiDdosSensitivity;

  /**
   * Whether the `ChallengeAllDuringEvent` and `ChallengeDDoSRequests` rules challenge requests during an event;
   * API clients can't answer a challenge (HTTP 202), so this suits browser apps only.
   *
   * @default false
   */
  readonly enableChallenge?: boolean;

  /**
   * URI path regular expressions exempt from the challenge rules when `enableChallenge` is true.
   *
   * @default - none
   */
  readonly challengeExemptUriRegexes?: string[];
}

/** The typed catalogue: capacity, rule names and label namespace of each preset. */
interface CatalogueEntry {
  readonly capacity: number;
  readonly rules?: string[];
  readonly labelNamespace: string;
}

const CATALOGUE: Record<string, CatalogueEntry> = {
  AWSManagedRulesCommonRuleSet: {
    capacity: MANAGED_RULE_GROUP_WCU.AWSManagedRulesCommonRuleSet,
    labelNamespace: 'awswaf:managed:aws:core-rule-set:',
    rules: [
      'NoUserAgent_HEADER',
      'UserAgent_BadBots_HEADER',
      'SizeRestrictions_QUERYSTRING',
      'SizeRestrictions_Cookie_HEADER',
      'SizeRestrictions_BODY',
      'SizeRestrictions_URIPATH',
      'EC2MetaDataSSRF_BODY',
      'EC2MetaDataSSRF_COOKIE',
      'EC2MetaDataSSRF_URIPATH',
      'EC2MetaDataSSRF_QUERYARGUMENTS',
      'GenericLFI_QUERYARGUMENTS',
      'GenericLFI_URIPATH',
      'GenericLFI_BODY',
      'RestrictedExtensions_URIPATH',
      'RestrictedExtensions_QUERYARGUMENTS',
      'GenericRFI_QUERYARGUMENTS',
      'GenericRFI_BODY',
      'GenericRFI_URIPATH',
      'CrossSiteScripting_COOKIE',
      'CrossSiteScripting_QUERYARGUMENTS',
      'CrossSiteScripting_BODY',
      'CrossSiteScripting_URIPATH',
    ],
  },
  AWSManagedRulesKnownBadInputsRuleSet: {
    capacity: MANAGED_RULE_GROUP_WCU.AWSManagedRulesKnownBadInputsRuleSet,
    labelNamespace: 'awswaf:managed:aws:known-bad-inputs:',
    rules: [
      'JavaDeserializationRCE_HEADER',
      'JavaDeserializationRCE_BODY',
      'JavaDeserializationRCE_URIPATH',
      'JavaDeserializationRCE_QUERYSTRING',
      'Host_localhost_HEADER',
      'PROPFIND_METHOD',
      'ExploitablePaths_URIPATH',
      'Log4JRCE_QUERYSTRING',
      'Log4JRCE_BODY',
      'Log4JRCE_URIPATH',
      'Log4JRCE_HEADER',
    ],
  },
  AWSManagedRulesAmazonIpReputationList: {
    capacity: MANAGED_RULE_GROUP_WCU.AWSManagedRulesAmazonIpReputationList,
    labelNamespace: 'awswaf:managed:aws:amazon-ip-list:',
    rules: ['AWSManagedIPReputationList', 'AWSManagedReconnaissanceList', 'AWSManagedIPDDoSList'],
  },
  AWSManagedRulesAnonymousIpList: {
    capacity: MANAGED_RULE_GROUP_WCU.AWSManagedRulesAnonymousIpList,
    labelNamespace: 'awswaf:managed:aws:anonymous-ip-list:',
    rules: ['AnonymousIPList', 'HostingProviderIPList'],
  },
  AWSManagedRulesSQLiRuleSet: {
    capacity: MANAGED_RULE_GROUP_WCU.AWSManagedRulesSQLiRuleSet,
    labelNamespace: 'awswaf:managed:aws:sql-database:',
    rules: [
      'SQLi_QUERYARGUMENTS',
      'SQLiExtendedPatterns_QUERYARGUMENTS',
      'SQLi_BODY',
      'SQLiExtendedPatterns_BODY',
      'SQLi_COOKIE',
      'SQLi_URIPATH',
    ],
  },
  AWSManagedRulesLinuxRuleSet: {
    capacity: MANAGED_RULE_GROUP_WCU.AWSManagedRulesLinuxRuleSet,
    labelNamespace: 'awswaf:managed:aws:linux-os:',
    rules: ['LFI_URIPATH', 'LFI_QUERYSTRING', 'LFI_HEADER'],
  },
  // Bot Control's rule list grows with each version: its override names are not checked.
  AWSManagedRulesBotControlRuleSet: {
    capacity: MANAGED_RULE_GROUP_WCU.AWSManagedRulesBotControlRuleSet,
    labelNamespace: 'awswaf:managed:aws:bot-control:',
  },
  AWSManagedRulesAntiDDoSRuleSet: {
    capacity: MANAGED_RULE_GROUP_WCU.AWSManagedRulesAntiDDoSRuleSet,
    labelNamespace: 'awswaf:managed:aws:anti-ddos:',
    rules: ['ChallengeAllDuringEvent', 'ChallengeDDoSRequests', 'DDoSRequests'],
  },
};

/**
 * A managed rule group to reference from a `GeoWebAcl`, with a typed catalogue of the AWS managed rule groups that
 * matter for APIs (capacity, rule names and labels known, so overrides and label matches are checked at synth).
 *
 * @see https://docs.aws.amazon.com/waf/latest/developerguide/aws-managed-rule-groups-list.html
 *
 * @example
 * import { ManagedRuleGroup, Statement, WafAction } from '@gtuc/cdk-privatelink-ecs';
 *
 * const groups = [
 *   ManagedRuleGroup.common(),
 *   ManagedRuleGroup.knownBadInputs(),
 *   ManagedRuleGroup.anonymousIpList({
 *     ruleActionOverrides: [{ name: 'HostingProviderIPList', action: WafAction.COUNT }],
 *   }),
 *   ManagedRuleGroup.sqlDatabase({ scopeDown: Statement.pathStartsWith('/items') }),
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
  /** The name of the Linux operating system rule group. */
  public static readonly LINUX_RULE_SET = 'AWSManagedRulesLinuxRuleSet';
  /** The name of the Bot Control rule group. */
  public static readonly BOT_CONTROL_RULE_SET = 'AWSManagedRulesBotControlRuleSet';
  /** The name of the anti-DDoS rule group. */
  public static readonly ANTI_DDOS_RULE_SET = 'AWSManagedRulesAntiDDoSRuleSet';

  /**
   * Any managed rule group, by vendor and name (override names are checked only for the catalogue's AWS groups).
   */
  public static of(props: ManagedRuleGroupProps): ManagedRuleGroup {
    return new ManagedRuleGroup(props);
  }

  /**
   * The core rule set (`AWSManagedRulesCommonRuleSet`, 700 WCUs).
   *
   * Unless you pass `ruleActionOverrides`, `SizeRestrictions_BODY` is overridden to COUNT: it blocks request
   * bodies over 8 KB, which legitimate JSON API calls exceed (the web ACL's `OversizeBody` rule enforces the body
   * inspection size instead). `NoUserAgent_HEADER` keeps blocking requests without a `User-Agent` header, so API
   * clients must send one (most HTTP libraries do).
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
   * `HostingProviderIPList` also blocks servers in clouds: partners calling from there belong in the allow list.
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
   * The Linux operating system rule group (`AWSManagedRulesLinuxRuleSet`, 200 WCUs): local file inclusion.
   */
  public static linux(options: ManagedRuleGroupOptions = {}): ManagedRuleGroup {
    return new ManagedRuleGroup({ ...options, name: ManagedRuleGroup.LINUX_RULE_SET });
  }

  /**
   * The Bot Control rule group (`AWSManagedRulesBotControlRuleSet`, 50 WCUs; billed per request on top). Its
   * TARGETED level challenges and CAPTCHAs clients, so the web ACL scopes it down to exclude `OPTIONS` preflights.
   *
   * @see https://docs.aws.amazon.com/waf/latest/developerguide/aws-managed-rule-groups-bot.html
   */
  public static botControl(options: BotControlOptions = {}): ManagedRuleGroup {
    return new ManagedRuleGroup(
      { ...options, name: ManagedRuleGroup.BOT_CONTROL_RULE_SET },
      [
        {
          awsManagedRulesBotControlRuleSet: {
            inspectionLevel: options.inspectionLevel ?? BotControlInspectionLevel.COMMON,
          },
        },
      ],
      true,
    );
  }

  /**
   * The anti-DDoS rule group (`AWSManagedRulesAntiDDoSRuleSet`, 50 WCUs; billed on top). AWS advises running it
   * before other rules; here it runs in the managed groups' position, after the geo and rate rules.
   *
   * @see https://docs.aws.amazon.com/waf/latest/developerguide/aws-managed-rule-groups-anti-ddos.html
   */
  public static antiDdos(options: AntiDdosOptions = {}): ManagedRuleGroup {
    const enableChallenge = options.enableChallenge ?? false;
    return new ManagedRuleGroup(
      { ...options, name: ManagedRuleGroup.ANTI_DDOS_RULE_SET },
      [
        {
          awsManagedRulesAntiDDoSRuleSet: {
            sensitivityToBlock: options.sensitivityToBlock ?? AntiDdosSensitivity.LOW,
            clientSideActionConfig: {
              challenge: {
                usageOfAction: enableChallenge ? 'ENABLED' : 'DISABLED',
                exemptUriRegularExpressions:
                  enableChallenge && options.challengeExemptUriRegexes
                    ? options.challengeExemptUriRegexes.map((regexString) => ({ regexString }))
                    : undefined,
              },
            },
          },
        },
      ],
      enableChallenge,
    );
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
  /**
   * The scope-down statement.
   *
   * @default - every request
   */
  public readonly scopeDown?: Statement;
  /**
   * The group's capacity in WCUs.
   *
   * @default - unknown
   */
  public readonly capacity?: number;
  /**
   * The names of the group's rules, when the catalogue knows them.
   *
   * @default - unknown (override names are not checked)
   */
  public readonly ruleNames?: string[];
  /**
   * The namespace of the labels the group adds, for example `awswaf:managed:aws:core-rule-set:`.
   *
   * @default - unknown
   */
  public readonly labelNamespace?: string;
  /**
   * The group's `ManagedRuleGroupConfigs`.
   *
   * @default - none
   */
  public readonly managedRuleGroupConfigs?: wafv2.CfnWebACL.ManagedRuleGroupConfigProperty[];
  /** Whether the group itself may answer with CAPTCHA or Challenge (so `OPTIONS` is scoped out). */
  public readonly issuesTokenActions: boolean;

  private constructor(
    props: ManagedRuleGroupProps,
    managedRuleGroupConfigs?: wafv2.CfnWebACL.ManagedRuleGroupConfigProperty[],
    issuesTokenActions = false,
  ) {
    this.name = props.name;
    this.vendor = props.vendor ?? 'AWS';
    this.version = props.version;
    this.ruleActionOverrides = props.ruleActionOverrides ?? [];
    this.excludedRules = props.excludedRules ?? [];
    this.countOnly = props.countOnly ?? false;
    this.scopeDown = props.scopeDown;
    const entry = this.vendor === 'AWS' ? CATALOGUE[this.name] : undefined;
    this.capacity = props.capacity ?? entry?.capacity;
    this.ruleNames = entry?.rules;
    this.labelNamespace = entry?.labelNamespace;
    this.managedRuleGroupConfigs = managedRuleGroupConfigs;
    this.issuesTokenActions =
      issuesTokenActions ||
      this.ruleActionOverrides.some((o) => o.action === WafAction.CAPTCHA || o.action === WafAction.CHALLENGE);
  }

  /**
   * The name of the web ACL rule that references this group (also its metric name): `<vendor>-<name>`.
   */
  public get ruleName(): string {
    return `${this.vendor}-${this.name}`.replace(/[^A-Za-z0-9_-]/g, '');
  }
}
