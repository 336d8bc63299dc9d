/**
 * AWS WAF web ACL capacity units (WCUs), pinned from the AWS WAF Developer Guide (read 2026-12):
 * - match statements: https://docs.aws.amazon.com/waf/latest/developerguide/waf-rule-statements-match.html
 *   (geo 1, ASN 1, IP set 1, label 1, size constraint 1; string match: exactly / starts with / ends with 2,
 *   contains / contains word 10; regex 3, regex pattern set 25; "all query parameters" +10; JSON body doubles the
 *   base cost; +10 per text transformation other than NONE)
 * - logical statements (AND / OR / NOT): the sum of the nested statements
 *   (https://docs.aws.amazon.com/waf/latest/developerguide/waf-rule-statements-logical.html)
 * - rate-based: 2, +30 per custom aggregation key, + the scope-down statement
 *   (https://docs.aws.amazon.com/waf/latest/developerguide/waf-rule-statement-type-rate-based.html)
 * - managed rule groups: the group's published capacity + the scope-down statement
 *   (https://docs.aws.amazon.com/waf/latest/developerguide/aws-managed-rule-groups-list.html)
 *
 * WAF charges a text transformation once per unique (request component, transformation) pair in a rule, so the sum
 * here is an upper bound when one rule repeats a transformation on the same component.
 */
export const WCU = {
  GEO_MATCH: 1,
  ASN_MATCH: 1,
  IP_SET_REFERENCE: 1,
  LABEL_MATCH: 1,
  SIZE_CONSTRAINT: 1,
  BYTE_MATCH_EXACT_STARTS_ENDS: 2,
  BYTE_MATCH_CONTAINS: 10,
  REGEX_MATCH: 3,
  REGEX_PATTERN_SET: 25,
  ALL_QUERY_ARGUMENTS_SURCHARGE: 10,
  TEXT_TRANSFORMATION: 10,
  RATE_BASED: 2,
  RATE_BASED_CUSTOM_KEY: 30,
} as const;

/** Published capacities of the AWS managed rule groups (`VendorName: AWS`), from their pages in the guide. */
export const MANAGED_RULE_GROUP_WCU: Record<string, number> = {
  AWSManagedRulesCommonRuleSet: 700, // aws-managed-rule-groups-baseline.html
  AWSManagedRulesKnownBadInputsRuleSet: 200, // aws-managed-rule-groups-baseline.html
  AWSManagedRulesAmazonIpReputationList: 25, // aws-managed-rule-groups-ip-rep.html
  AWSManagedRulesAnonymousIpList: 50, // aws-managed-rule-groups-ip-rep.html
  AWSManagedRulesSQLiRuleSet: 200, // aws-managed-rule-groups-use-case.html
  AWSManagedRulesLinuxRuleSet: 200, // aws-managed-rule-groups-use-case.html
  AWSManagedRulesBotControlRuleSet: 50, // aws-managed-rule-groups-bot.html
  AWSManagedRulesAntiDDoSRuleSet: 50, // aws-managed-rule-groups-anti-ddos.html
};

/** WAF's hard maximum for a web ACL, and the capacity above which WAF bills extra. */
export const WEB_ACL_MAX_WCU = 5000;
export const WEB_ACL_BASE_PRICE_WCU = 1500;
