/**
 * A small evaluator of SYNTHESIZED `AWS::WAFv2::WebACL` properties, for policy tests: it walks the rules in
 * priority order for one sample request and returns the terminating action, so a change of priorities or
 * actions fails a test. Reusable by any construct's tests that synthesize a web ACL.
 *
 * Supported statements: GeoMatchStatement, RateBasedStatement (triggered only when the request says its client
 * already exceeded the limit), ManagedRuleGroupStatement (pass-through unless the request names rules of the
 * group that match it; matching rules add their labels), IPSetReferenceStatement (the IP set's addresses from the
 * template, or `ipSetMembership` for imported sets), ByteMatchStatement on the method and URI path,
 * SizeConstraintStatement on the body (with oversize handling), LabelMatchStatement (labels the request carries
 * or that earlier rules added), and NotStatement / AndStatement / OrStatement. Rule labels are added under
 * `awswaf:<account>:webacl:<name>:`.
 */

/** A rule of the group `group` (for example `AWSManagedRulesCommonRuleSet`) that matches the request. */
export interface ManagedRuleMatch {
  readonly group: string;
  readonly rule: string;
  /** The label the rule adds, for example `awswaf:managed:aws:core-rule-set:SizeRestrictions_Body`. */
  readonly label?: string;
}

/** The request being evaluated. */
export interface SampleRequest {
  /** ISO 3166-1 alpha-2 country of the client IP. */
  readonly country: string;
  /** Client IP (matched against the template's IP sets). */
  readonly ip?: string;
  /** HTTP method. @default 'GET' */
  readonly method?: string;
  /** URI path. @default '/' */
  readonly path?: string;
  /** Body size in bytes. @default 0 */
  readonly bodyBytes?: number;
  /** Membership in imported IP sets, by ARN. */
  readonly ipSetMembership?: string[];
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
  /** Labels on the request when evaluation ended. */
  readonly labels?: string[];
}

type Json = Record<string, any>;

interface Context {
  readonly request: SampleRequest;
  readonly labels: string[];
  readonly ipSets: Record<string, { version: string; addresses: string[] }>;
  /** The web ACL body inspection limit in bytes. */
  readonly bodyLimit: number;
}

function inCidr(ip: string, cidr: string): boolean {
  const [base, bits] = cidr.split('/');
  if (ip.includes(':') || base.includes(':')) {
    // IPv6: compare the expanded hex prefix (enough for the tests' /32 to /128 blocks).
    const expand = (a: string) => {
      const [head, tail] = a.split('::');
      const h = head ? head.split(':') : [];
      const t = tail !== undefined && tail ? tail.split(':') : [];
      const mid = Array(8 - h.length - t.length).fill('0');
      return [...h, ...(tail !== undefined ? mid : []), ...t].map((x) => x.padStart(4, '0')).join('');
    };
    if (!(ip.includes(':') && base.includes(':'))) return false;
    const hex = Number(bits) / 4;
    return expand(ip).slice(0, hex) === expand(base).slice(0, hex);
  }
  const binary = (a: string) =>
    a
      .split('.')
      .map((o) => Number(o).toString(2).padStart(8, '0'))
      .join('');
  return binary(ip).slice(0, Number(bits)) === binary(base).slice(0, Number(bits));
}

function labelMatches(key: string, scope: string, labels: string[]): boolean {
  return labels.some((label) =>
    scope === 'NAMESPACE'
      ? label.startsWith(key.endsWith(':') ? key : `${key}:`) || `:${label}`.includes(`:${key.replace(/:$/, '')}:`)
      : label === key || label.endsWith(`:${key}`),
  );
}

function statementMatches(statement: Json, ctx: Context): boolean {
  const request = ctx.request;
  if (statement.GeoMatchStatement) {
    return (statement.GeoMatchStatement.CountryCodes as string[]).includes(request.country);
  }
  if (statement.RateBasedStatement) {
    const rate = statement.RateBasedStatement;
    const overLimit = (request.requestsInWindow ?? 1) > rate.Limit;
    return overLimit && (rate.ScopeDownStatement ? statementMatches(rate.ScopeDownStatement, ctx) : true);
  }
  if (statement.NotStatement) {
    return !statementMatches(statement.NotStatement.Statement, ctx);
  }
  if (statement.AndStatement) {
    return (statement.AndStatement.Statements as Json[]).every((s) => statementMatches(s, ctx));
  }
  if (statement.OrStatement) {
    return (statement.OrStatement.Statements as Json[]).some((s) => statementMatches(s, ctx));
  }
  if (statement.LabelMatchStatement) {
    return labelMatches(statement.LabelMatchStatement.Key, statement.LabelMatchStatement.Scope, ctx.labels);
  }
  if (statement.IPSetReferenceStatement) {
    const arn = statement.IPSetReferenceStatement.Arn;
    const logicalId = arn?.['Fn::GetAtt']?.[0];
    if (logicalId) {
      const set = ctx.ipSets[logicalId];
      return set !== undefined && request.ip !== undefined && set.addresses.some((cidr) => inCidr(request.ip!, cidr));
    }
    return (request.ipSetMembership ?? []).includes(arn);
  }
  if (statement.ByteMatchStatement) {
    const m = statement.ByteMatchStatement;
    let value: string;
    if (m.FieldToMatch.Method) value = request.method ?? 'GET';
    else if (m.FieldToMatch.UriPath) value = request.path ?? '/';
    else throw new Error(`waf-policy: unsupported byte-match field ${Object.keys(m.FieldToMatch).join(', ')}`);
    switch (m.PositionalConstraint) {
      case 'EXACTLY':
        return value === m.SearchString;
      case 'STARTS_WITH':
        return value.startsWith(m.SearchString);
      case 'ENDS_WITH':
        return value.endsWith(m.SearchString);
      default:
        return value.includes(m.SearchString);
    }
  }
  if (statement.SizeConstraintStatement) {
    const c = statement.SizeConstraintStatement;
    if (!c.FieldToMatch.Body) throw new Error('waf-policy: unsupported size-constraint field');
    const size = request.bodyBytes ?? 0;
    if (size > ctx.bodyLimit) {
      const oversize = c.FieldToMatch.Body.OversizeHandling ?? 'CONTINUE';
      if (oversize === 'MATCH') return true;
      if (oversize === 'NO_MATCH') return false;
    }
    const seen = Math.min(size, ctx.bodyLimit);
    const ops: Record<string, (a: number, b: number) => boolean> = {
      EQ: (a, b) => a === b,
      NE: (a, b) => a !== b,
      LE: (a, b) => a <= b,
      LT: (a, b) => a < b,
      GE: (a, b) => a >= b,
      GT: (a, b) => a > b,
    };
    return ops[c.ComparisonOperator](seen, c.Size);
  }
  throw new Error(`waf-policy: unsupported statement ${Object.keys(statement).join(', ')}`);
}

function terminate(
  action: Json,
  ruleName: string,
  request: SampleRequest,
  countedBy: string[],
): PolicyDecision | undefined {
  // CAPTCHA and Challenge with a valid token do not terminate.
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

function evaluateManagedGroup(rule: Json, ctx: Context, countedBy: string[]): PolicyDecision | undefined {
  const request = ctx.request;
  const group = rule.Statement.ManagedRuleGroupStatement;
  if (group.ScopeDownStatement && !statementMatches(group.ScopeDownStatement, ctx)) {
    return undefined;
  }
  const matches = (request.managedRuleMatches ?? []).filter((m) => m.group === group.Name);
  for (const match of matches) {
    if (match.label) {
      ctx.labels.push(match.label);
    }
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
 * Evaluates the synthesized web ACL for `request` and returns the terminating action.
 *
 * @param templateOrProperties the synthesized template (`Template.toJSON()`) holding one `AWS::WAFv2::WebACL`, or
 *        that web ACL's `Properties` (then IP sets created in the template never match)
 * @param request the sample request
 * @param account the account id used in rule label names
 */
export function evaluateWebAcl(
  templateOrProperties: Json,
  request: SampleRequest,
  account = '111111111111',
): PolicyDecision {
  const isTemplate = templateOrProperties.Resources !== undefined;
  const webAclProperties = isTemplate ? webAclPropertiesOf(templateOrProperties) : templateOrProperties;
  const ipSets: Context['ipSets'] = {};
  for (const [id, r] of Object.entries((isTemplate ? templateOrProperties.Resources : {}) as Record<string, Json>)) {
    if (r.Type === 'AWS::WAFv2::IPSet') {
      ipSets[id] = { version: r.Properties.IPAddressVersion, addresses: r.Properties.Addresses };
    }
  }
  const limit = webAclProperties.AssociationConfig?.RequestBody?.API_GATEWAY?.DefaultSizeInspectionLimit ?? 'KB_16';
  const ctx: Context = {
    request,
    labels: [...(request.labels ?? [])],
    ipSets,
    bodyLimit: Number(limit.replace('KB_', '')) * 1024,
  };
  const rules = [...((webAclProperties.Rules ?? []) as Json[])].sort((a, b) => a.Priority - b.Priority);
  const priorities = new Set(rules.map((r) => r.Priority));
  if (priorities.size !== rules.length) {
    throw new Error('waf-policy: duplicate rule priorities');
  }
  const countedBy: string[] = [];
  const aclName = webAclProperties.Name;
  for (const rule of rules) {
    let decision: PolicyDecision | undefined;
    if (rule.Statement.ManagedRuleGroupStatement) {
      decision = evaluateManagedGroup(rule, ctx, countedBy);
    } else if (statementMatches(rule.Statement, ctx)) {
      for (const label of (rule.RuleLabels ?? []) as Json[]) {
        ctx.labels.push(`awswaf:${account}:webacl:${aclName}:${label.Name}`);
      }
      if (rule.Statement.GeoMatchStatement) {
        ctx.labels.push(`awswaf:clientip:geo:country:${request.country}`);
      }
      decision = terminate(rule.Action, rule.Name, request, countedBy);
    }
    if (decision) {
      return { ...decision, labels: ctx.labels };
    }
  }
  const defaultAction = webAclProperties.DefaultAction as Json;
  if (defaultAction.Allow) {
    return { action: 'ALLOW', statusCode: 200, terminatingRule: 'Default_Action', countedBy, labels: ctx.labels };
  }
  return {
    action: 'BLOCK',
    statusCode: defaultAction.Block?.CustomResponse?.ResponseCode ?? 403,
    terminatingRule: 'Default_Action',
    countedBy,
    labels: ctx.labels,
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
