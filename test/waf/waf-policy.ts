/**
 * A small evaluator of SYNTHESIZED `AWS::WAFv2::WebACL` properties, for policy tests: it walks the rules in
 * priority order for one sample request and returns the terminating action, so a change of priorities or
 * actions fails a test. Reusable by any construct's tests that synthesize a web ACL.
 *
 * Supported statements: GeoMatchStatement, RateBasedStatement (triggered only when the request says its client
 * already exceeded the limit), ManagedRuleGroupStatement (pass-through unless the request names rules of the
 * group that match it), IPSetReferenceStatement (never matches), LabelMatchStatement (labels the request carries),
 * and NotStatement / AndStatement / OrStatement.
 */

/** A rule of the group `group` (for example `AWSManagedRulesCommonRuleSet`) that matches the request. */
export interface ManagedRuleMatch {
  readonly group: string;
  readonly rule: string;
}

/** The request being evaluated. */
export interface SampleRequest {
  /** ISO 3166-1 alpha-2 country of the client IP. */
  readonly country: string;
  /** Client IP (informational). */
  readonly ip?: string;
  /** Whether the request carries a valid, unexpired `aws-waf-token` (solved CAPTCHA / challenge). */
  readonly hasValidToken?: boolean;
  /** Requests the same client sent in the current rate-limit window, including this one. @default 1 */
  readonly requestsInWindow?: number;
  /** Rules of managed rule groups that this request matches (a benign request matches none). */
  readonly managedRuleMatches?: ManagedRuleMatch[];
  /** Labels already on the request. */
  readonly labels?: string[];
}

export type TerminatingAction = 'ALLOW' | 'BLOCK' | 'CAPTCHA' | 'CHALLENGE';

/** The outcome of the evaluation. */
export interface PolicyDecision {
  /** The terminating action. */
  readonly action: TerminatingAction;
  /** The HTTP status the client sees (WAF's own for CAPTCHA 405, CHALLENGE 202, BLOCK 403 unless customised). */
  readonly statusCode: number;
  /** The rule that terminated, or `Default_Action`. */
  readonly terminatingRule: string;
  /** The custom response body key used by a BLOCK, if any. */
  readonly customResponseBodyKey?: string;
  /** Rules that counted the request on the way (including managed rules overridden to COUNT, as `group:rule`). */
  readonly countedBy: string[];
}

type Json = Record<string, any>;

function statementMatches(statement: Json, request: SampleRequest): boolean {
  if (statement.GeoMatchStatement) {
    return (statement.GeoMatchStatement.CountryCodes as string[]).includes(request.country);
  }
  if (statement.RateBasedStatement) {
    const rate = statement.RateBasedStatement;
    const overLimit = (request.requestsInWindow ?? 1) > rate.Limit;
    return overLimit && (rate.ScopeDownStatement ? statementMatches(rate.ScopeDownStatement, request) : true);
  }
  if (statement.NotStatement) {
    return !statementMatches(statement.NotStatement.Statement, request);
  }
  if (statement.AndStatement) {
    return (statement.AndStatement.Statements as Json[]).every((s) => statementMatches(s, request));
  }
  if (statement.OrStatement) {
    return (statement.OrStatement.Statements as Json[]).some((s) => statementMatches(s, request));
  }
  if (statement.LabelMatchStatement) {
    return (request.labels ?? []).includes(statement.LabelMatchStatement.Key);
  }
  if (statement.IPSetReferenceStatement) {
    return false;
  }
  throw new Error(`waf-policy: unsupported statement ${Object.keys(statement).join(', ')}`);
}

function terminate(
  action: Json,
  ruleName: string,
  request: SampleRequest,
  countedBy: string[],
): PolicyDecision | undefined {
  if (action.Allow) {
    return { action: 'ALLOW', statusCode: 200, terminatingRule: ruleName, countedBy };
  }
  if (action.Block) {
    const custom = action.Block.CustomResponse;
    return {
      action: 'BLOCK',
      statusCode: custom?.ResponseCode ?? 403,
      terminatingRule: ruleName,
      customResponseBodyKey: custom?.CustomResponseBodyKey,
      countedBy,
    };
  }
  if (action.Captcha) {
    // With a valid token CAPTCHA does not terminate: evaluation continues.
    return request.hasValidToken
      ? undefined
      : { action: 'CAPTCHA', statusCode: 405, terminatingRule: ruleName, countedBy };
  }
  if (action.Challenge) {
    return request.hasValidToken
      ? undefined
      : { action: 'CHALLENGE', statusCode: 202, terminatingRule: ruleName, countedBy };
  }
  if (action.Count) {
    countedBy.push(ruleName);
    return undefined;
  }
  throw new Error(`waf-policy: unsupported action ${Object.keys(action).join(', ')}`);
}

function evaluateManagedGroup(rule: Json, request: SampleRequest, countedBy: string[]): PolicyDecision | undefined {
  const group = rule.Statement.ManagedRuleGroupStatement;
  if (group.ScopeDownStatement && !statementMatches(group.ScopeDownStatement, request)) {
    return undefined;
  }
  const matches = (request.managedRuleMatches ?? []).filter((m) => m.group === group.Name);
  for (const match of matches) {
    const qualified = `${group.Name}:${match.rule}`;
    const excluded = ((group.ExcludedRules ?? []) as Json[]).some((r) => r.Name === match.rule);
    const override = ((group.RuleActionOverrides ?? []) as Json[]).find((o) => o.Name === match.rule);
    // Managed rules in the evaluated groups block by default.
    let action: Json = excluded ? { Count: {} } : (override?.ActionToUse ?? { Block: {} });
    if (rule.OverrideAction?.Count && !action.Count) {
      action = { Count: {} };
    }
    const decision = terminate(action, qualified, request, countedBy);
    if (decision) {
      return { ...decision, terminatingRule: rule.Name };
    }
  }
  return undefined;
}

/**
 * Evaluates the synthesized web ACL properties for `request` and returns the terminating action.
 *
 * @param webAclProperties the `Properties` of an `AWS::WAFv2::WebACL` from `Template.toJSON()`
 */
export function evaluateWebAcl(webAclProperties: Json, request: SampleRequest): PolicyDecision {
  const rules = [...((webAclProperties.Rules ?? []) as Json[])].sort((a, b) => a.Priority - b.Priority);
  const priorities = new Set(rules.map((r) => r.Priority));
  if (priorities.size !== rules.length) {
    throw new Error('waf-policy: duplicate rule priorities');
  }
  const countedBy: string[] = [];
  for (const rule of rules) {
    let decision: PolicyDecision | undefined;
    if (rule.Statement.ManagedRuleGroupStatement) {
      decision = evaluateManagedGroup(rule, request, countedBy);
    } else if (statementMatches(rule.Statement, request)) {
      decision = terminate(rule.Action, rule.Name, request, countedBy);
    }
    if (decision) {
      return decision;
    }
  }
  const defaultAction = webAclProperties.DefaultAction as Json;
  if (defaultAction.Allow) {
    return { action: 'ALLOW', statusCode: 200, terminatingRule: 'Default_Action', countedBy };
  }
  return {
    action: 'BLOCK',
    statusCode: defaultAction.Block?.CustomResponse?.ResponseCode ?? 403,
    terminatingRule: 'Default_Action',
    countedBy,
  };
}

/**
 * The properties of the only `AWS::WAFv2::WebACL` in a synthesized template (`Template.toJSON()`).
 */
export function webAclPropertiesOf(template: Json): Json {
  const acls = Object.values(template.Resources as Record<string, Json>).filter((r) => r.Type === 'AWS::WAFv2::WebACL');
  if (acls.length !== 1) {
    throw new Error(`waf-policy: expected one AWS::WAFv2::WebACL, found ${acls.length}`);
  }
  return acls[0].Properties;
}
