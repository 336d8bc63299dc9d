import { aws_wafv2 as wafv2, Duration, Token } from 'aws-cdk-lib';
import { WCU } from './private/capacity';

/**
 * A text transformation AWS WAF applies to a request component before it inspects it (each one other than `NONE`
 * adds 10 WCUs).
 *
 * @see https://docs.aws.amazon.com/waf/latest/developerguide/waf-rule-statement-transformation.html
 */
export enum TextTransformationType {
  /** No transformation. */
  NONE = 'NONE',
  /** Lower-case the component. */
  LOWERCASE = 'LOWERCASE',
  /** Decode URL encoding (`%20`). */
  URL_DECODE = 'URL_DECODE',
  /** Decode URL encoding including `%u` Unicode escapes. */
  URL_DECODE_UNI = 'URL_DECODE_UNI',
  /** Decode HTML entities. */
  HTML_ENTITY_DECODE = 'HTML_ENTITY_DECODE',
  /** Collapse runs of white space into one space. */
  COMPRESS_WHITE_SPACE = 'COMPRESS_WHITE_SPACE',
  /** Remove characters attackers use to obfuscate operating system commands. */
  CMD_LINE = 'CMD_LINE',
  /** Decode Base64. */
  BASE64_DECODE = 'BASE64_DECODE',
  /** Remove `../` and `./` sequences and duplicate slashes from a path. */
  NORMALIZE_PATH = 'NORMALIZE_PATH',
  /** Remove null bytes. */
  REMOVE_NULLS = 'REMOVE_NULLS',
}

/** Where a string match looks for its search string. */
export enum PositionalConstraint {
  /** The component equals the string (2 WCUs). */
  EXACTLY = 'EXACTLY',
  /** The component starts with the string (2 WCUs). */
  STARTS_WITH = 'STARTS_WITH',
  /** The component ends with the string (2 WCUs). */
  ENDS_WITH = 'ENDS_WITH',
  /** The component contains the string anywhere (10 WCUs). */
  CONTAINS = 'CONTAINS',
  /** The component contains the string as a word (10 WCUs). */
  CONTAINS_WORD = 'CONTAINS_WORD',
}

/** How a size constraint compares the component's size with its `size`. */
export enum ComparisonOperator {
  /** Equal. */
  EQ = 'EQ',
  /** Not equal. */
  NE = 'NE',
  /** Less than or equal. */
  LE = 'LE',
  /** Less than. */
  LT = 'LT',
  /** Greater than or equal. */
  GE = 'GE',
  /** Greater than. */
  GT = 'GT',
}

/** What a label match statement compares its key with. */
export enum LabelMatchScope {
  /** The key is a label name, optionally with leading namespaces (`core-rule-set:NoUserAgent_Header`). */
  LABEL = 'LABEL',
  /** The key is a namespace (`awswaf:managed:aws:core-rule-set:`). */
  NAMESPACE = 'NAMESPACE',
}

/**
 * What WAF does with a body (or JSON body) larger than the web ACL's body inspection size.
 *
 * @see https://docs.aws.amazon.com/waf/latest/developerguide/waf-oversize-request-components.html
 */
export enum OversizeHandling {
  /** Inspect the first bytes up to the limit, as if they were the whole body. */
  CONTINUE = 'CONTINUE',
  /** Treat an oversize body as matching the statement. */
  MATCH = 'MATCH',
  /** Treat an oversize body as not matching the statement. */
  NO_MATCH = 'NO_MATCH',
}

/**
 * The part of a web request a statement inspects.
 *
 * @example
 * import { RequestField } from '@gtuc/cdk-privatelink-ecs';
 *
 * const field = RequestField.header('user-agent');
 */
export class RequestField {
  /** A single header, by name (case-insensitive). */
  public static header(name: string): RequestField {
    if (!Token.isUnresolved(name) && !/^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,64}$/.test(name)) {
      throw new Error(`\`RequestField.header()\` needs a header name, got: '${name}'.`);
    }
    return new RequestField({ singleHeader: { Name: name.toLowerCase() } }, `header ${name.toLowerCase()}`);
  }

  /** The query string, without the `?`. */
  public static queryString(): RequestField {
    return new RequestField({ queryString: {} }, 'query string');
  }

  /** A single query argument, by name. */
  public static queryArgument(name: string): RequestField {
    if (!Token.isUnresolved(name) && name.length === 0) {
      throw new Error("`RequestField.queryArgument()` needs an argument name, got: ''.");
    }
    return new RequestField({ singleQueryArgument: { Name: name } }, `query argument ${name}`);
  }

  /** The values of all query arguments (adds 10 WCUs). */
  public static allQueryArguments(): RequestField {
    return new RequestField({ allQueryArguments: {} }, 'all query arguments', WCU.ALL_QUERY_ARGUMENTS_SURCHARGE);
  }

  /** The URI path, for example `/items/42`. */
  public static uriPath(): RequestField {
    return new RequestField({ uriPath: {} }, 'URI path');
  }

  /** The HTTP method, for example `POST`. */
  public static method(): RequestField {
    return new RequestField({ method: {} }, 'method');
  }

  /**
   * The request body. WAF sees only the first bytes up to the web ACL's body inspection size (`bodyInspectionSize`,
   * 16 KB by default for API Gateway), so say what an oversize body does.
   *
   * @param oversizeHandling what WAF does with a body larger than the inspection size
   */
  public static body(oversizeHandling?: OversizeHandling): RequestField {
    return new RequestField(
      { body: oversizeHandling ? { oversizeHandling } : {} },
      'body',
      0,
      true,
      oversizeHandling === undefined,
    );
  }

  /** @internal */
  public readonly _json: wafv2.CfnWebACL.FieldToMatchProperty;
  /** @internal */
  public readonly _description: string;
  /** @internal */
  public readonly _surcharge: number;
  /** @internal */
  public readonly _isBody: boolean;
  /** @internal */
  public readonly _missingOversizeHandling: boolean;

  private constructor(
    json: wafv2.CfnWebACL.FieldToMatchProperty,
    description: string,
    surcharge = 0,
    isBody = false,
    missingOversizeHandling = false,
  ) {
    this._json = json;
    this._description = description;
    this._surcharge = surcharge;
    this._isBody = isBody;
    this._missingOversizeHandling = missingOversizeHandling;
  }
}

/** Options of a string (byte) match statement. */
export interface ByteMatchOptions {
  /** The part of the request to inspect. */
  readonly field: RequestField;
  /** The string to look for (1 to 200 bytes). */
  readonly searchString: string;
  /**
   * Where the string must appear.
   *
   * @default PositionalConstraint.EXACTLY
   */
  readonly positionalConstraint?: PositionalConstraint;
  /**
   * Transformations applied before matching, in order (10 WCUs each).
   *
   * @default - none
   */
  readonly textTransformations?: TextTransformationType[];
}

/** Options of a regex match statement. */
export interface RegexMatchOptions {
  /** The part of the request to inspect. */
  readonly field: RequestField;
  /**
   * The regular expression (PCRE subset, at most 200 characters; no lookarounds or backreferences).
   *
   * @see https://docs.aws.amazon.com/waf/latest/developerguide/waf-regex-pattern-support.html
   */
  readonly regex: string;
  /**
   * Transformations applied before matching, in order (10 WCUs each).
   *
   * @default - none
   */
  readonly textTransformations?: TextTransformationType[];
}

/** Options of a size constraint statement. */
export interface SizeConstraintOptions {
  /** The part of the request whose size (in bytes) is compared. */
  readonly field: RequestField;
  /** How the size is compared with `size`. */
  readonly comparisonOperator: ComparisonOperator;
  /** The size in bytes, between 0 and 21474836480. */
  readonly size: number;
  /**
   * Transformations applied before measuring, in order (10 WCUs each).
   *
   * @default - none
   */
  readonly textTransformations?: TextTransformationType[];
}

/**
 * What a rate-based statement aggregates (counts) requests by.
 *
 * @see https://docs.aws.amazon.com/waf/latest/developerguide/waf-rule-statement-type-rate-based-aggregation-options.html
 */
export class RateLimitKey {
  /** The client IP address. */
  public static ip(): RateLimitKey {
    return new RateLimitKey('IP', { ip: {} });
  }

  /** The first address in the forwarded-IP header (clients can forge it: use it only behind a trusted proxy). */
  public static forwardedIp(): RateLimitKey {
    return new RateLimitKey('FORWARDED_IP', { forwardedIp: {} });
  }

  /** The HTTP method. */
  public static httpMethod(): RateLimitKey {
    return new RateLimitKey('HTTP_METHOD', { httpMethod: {} });
  }

  /**
   * The value of a header, for example an API key header.
   *
   * @param name the header name
   * @param textTransformations transformations applied to the value
   */
  public static header(name: string, textTransformations: TextTransformationType[] = []): RateLimitKey {
    return new RateLimitKey(`HEADER:${name.toLowerCase()}`, {
      header: { name, textTransformations: transformations(textTransformations) },
    });
  }

  /**
   * The value of a query argument.
   *
   * @param name the argument name
   * @param textTransformations transformations applied to the value
   */
  public static queryArgument(name: string, textTransformations: TextTransformationType[] = []): RateLimitKey {
    return new RateLimitKey(`QUERY_ARGUMENT:${name}`, {
      queryArgument: { name, textTransformations: transformations(textTransformations) },
    });
  }

  /** @internal */
  public readonly _id: string;
  /** @internal */
  public readonly _json: wafv2.CfnWebACL.RateBasedStatementCustomKeyProperty;

  private constructor(id: string, json: wafv2.CfnWebACL.RateBasedStatementCustomKeyProperty) {
    this._id = id;
    this._json = json;
  }
}

/** Options of a rate-based statement. */
export interface RateBasedStatementOptions {
  /** Requests per `window` that each aggregation instance may send, between 10 and 2,000,000,000. */
  readonly limit: number;
  /**
   * The window over which requests are counted: 60, 120, 300 or 600 seconds.
   *
   * @default Duration.minutes(5)
   */
  readonly window?: Duration;
  /**
   * What requests are counted by; more than one key counts each combination (30 WCUs per key). WAF accepts at most 5
   * keys, each at most once, and not both `ip()` and `forwardedIp()`.
   *
   * @default [RateLimitKey.ip()]
   */
  readonly keys?: RateLimitKey[];
  /**
   * Only requests matching this statement are counted and limited.
   *
   * @default - every request
   */
  readonly scopeDown?: Statement;
  /**
   * The header that carries the client address for `RateLimitKey.forwardedIp()`.
   *
   * @default 'X-Forwarded-For'
   */
  readonly forwardedIpHeaderName?: string;
}

/** A label match found in a statement (for the web ACL's label checks). */
export interface LabelReference {
  /** The key of the label match statement. */
  readonly key: string;
  /** The scope of the label match statement. */
  readonly scope: LabelMatchScope;
}

/**
 * A typed, validated AWS WAF rule statement with its capacity (WCUs), for `GeoWebAcl` custom rules and scope-downs.
 *
 * @see https://docs.aws.amazon.com/waf/latest/developerguide/waf-rule-statements-list.html
 *
 * @example
 * import { Statement } from '@gtuc/cdk-privatelink-ecs';
 *
 * // POST, PUT or PATCH on /admin from anywhere
 * const statement = Statement.allOf(
 *   Statement.pathStartsWith('/admin'),
 *   Statement.anyOf(Statement.methodIs('POST'), Statement.methodIs('PUT'), Statement.methodIs('PATCH')),
 * );
 */
export class Statement {
  /**
   * Matches requests from the given countries (ISO 3166-1 alpha-2, upper case); adds the country labels
   * `awswaf:clientip:geo:country:<code>`. 1 WCU.
   */
  public static geoMatch(countryCodes: string[]): Statement {
    if (!Token.isUnresolved(countryCodes)) {
      if (countryCodes.length === 0) {
        throw new Error('`Statement.geoMatch()` needs at least one country code, got: none.');
      }
      for (const code of countryCodes) {
        if (!Token.isUnresolved(code) && !/^[A-Z]{2}$/.test(code)) {
          throw new Error(`\`Statement.geoMatch()\` needs upper-case ISO 3166-1 alpha-2 codes, got: '${code}'.`);
        }
      }
    }
    return new Statement({ geoMatchStatement: { countryCodes } }, WCU.GEO_MATCH, { hasGeo: true });
  }

  /** Matches requests whose client IP is in the IP set. 1 WCU. */
  public static ipSet(ipSetArn: string): Statement {
    return new Statement({ ipSetReferenceStatement: { arn: ipSetArn } }, WCU.IP_SET_REFERENCE);
  }

  /** Matches requests whose component contains (or equals, starts or ends with) a string. 2 or 10 WCUs + transformations. */
  public static byteMatch(options: ByteMatchOptions): Statement {
    const positional = options.positionalConstraint ?? PositionalConstraint.EXACTLY;
    if (!Token.isUnresolved(options.searchString)) {
      const bytes = Buffer.byteLength(options.searchString);
      if (bytes < 1 || bytes > 200) {
        throw new Error(
          `\`Statement.byteMatch()\` \`searchString\` must be 1 to 200 bytes, got: ${bytes} bytes ('${options.searchString.slice(0, 40)}').`,
        );
      }
    }
    const base =
      positional === PositionalConstraint.CONTAINS || positional === PositionalConstraint.CONTAINS_WORD
        ? WCU.BYTE_MATCH_CONTAINS
        : WCU.BYTE_MATCH_EXACT_STARTS_ENDS;
    return Statement.fieldMatch('Statement.byteMatch()', options, base, (fieldToMatch, textTransformations) => ({
      byteMatchStatement: {
        fieldToMatch,
        searchString: options.searchString,
        positionalConstraint: positional,
        textTransformations,
      },
    }));
  }

  /** Matches requests with the given HTTP method (upper case, for example `POST`). 2 WCUs. */
  public static methodIs(method: string): Statement {
    if (!Token.isUnresolved(method) && !/^[A-Z]+$/.test(method)) {
      throw new Error(`\`Statement.methodIs()\` needs an upper-case HTTP method such as 'POST', got: '${method}'.`);
    }
    return Statement.byteMatch({ field: RequestField.method(), searchString: method });
  }

  /** Matches requests whose URI path starts with the prefix (for example `/admin`). 2 WCUs. */
  public static pathStartsWith(prefix: string): Statement {
    if (!Token.isUnresolved(prefix) && !prefix.startsWith('/')) {
      throw new Error(`\`Statement.pathStartsWith()\` needs a path starting with '/', got: '${prefix}'.`);
    }
    return Statement.byteMatch({
      field: RequestField.uriPath(),
      searchString: prefix,
      positionalConstraint: PositionalConstraint.STARTS_WITH,
    });
  }

  /** Matches requests whose component matches a regular expression. 3 WCUs + transformations. */
  public static regexMatch(options: RegexMatchOptions): Statement {
    if (!Token.isUnresolved(options.regex)) {
      validateRegex(options.regex);
    }
    return Statement.fieldMatch(
      'Statement.regexMatch()',
      options,
      WCU.REGEX_MATCH,
      (fieldToMatch, textTransformations) => ({
        regexMatchStatement: { fieldToMatch, regexString: options.regex, textTransformations },
      }),
    );
  }

  /** Matches requests whose component size compares with `size` as asked. 1 WCU + transformations. */
  public static sizeConstraint(options: SizeConstraintOptions): Statement {
    if (!Token.isUnresolved(options.size) && (!Number.isInteger(options.size) || options.size < 0)) {
      throw new Error(
        `\`Statement.sizeConstraint()\` \`size\` must be a whole number of bytes from 0, got: ${options.size}.`,
      );
    }
    return Statement.fieldMatch(
      'Statement.sizeConstraint()',
      options,
      WCU.SIZE_CONSTRAINT,
      (fieldToMatch, textTransformations) => ({
        sizeConstraintStatement: {
          fieldToMatch,
          comparisonOperator: options.comparisonOperator,
          size: options.size,
          textTransformations,
        },
      }),
    );
  }

  /**
   * Matches requests that an earlier rule labelled. 1 WCU.
   *
   * @param key the label (or namespace), for example `awswaf:managed:aws:core-rule-set:SizeRestrictions_Body` or a
   *            custom rule's label name
   * @param scope whether `key` is a label or a namespace
   */
  public static labelMatch(key: string, scope: LabelMatchScope = LabelMatchScope.LABEL): Statement {
    if (!Token.isUnresolved(key) && !/^[0-9A-Za-z_\-:]{1,1024}$/.test(key)) {
      throw new Error(`\`Statement.labelMatch()\` needs a key of letters, digits, '_', '-' and ':', got: '${key}'.`);
    }
    return new Statement({ labelMatchStatement: { key, scope } }, WCU.LABEL_MATCH, { labels: [{ key, scope }] });
  }

  /**
   * Limits the rate of requests per aggregation key (not nestable: use it as a rule's whole statement).
   * 2 WCUs, + 30 per custom key, + the scope-down statement.
   */
  public static rateBased(options: RateBasedStatementOptions): Statement {
    const window = options.window ?? Duration.minutes(5);
    if (!Token.isUnresolved(options.limit)) {
      if (!Number.isInteger(options.limit) || options.limit < 10 || options.limit > 2_000_000_000) {
        throw new Error(
          `\`Statement.rateBased()\` \`limit\` must be an integer between 10 and 2000000000, got: ${options.limit}.`,
        );
      }
    }
    if (!window.isUnresolved()) {
      const seconds = window.toSeconds({ integral: false });
      if (![60, 120, 300, 600].includes(seconds)) {
        throw new Error(
          `\`Statement.rateBased()\` \`window\` must be 60, 120, 300 or 600 seconds, got: ${seconds} seconds.`,
        );
      }
    }
    const keys = options.keys ?? [RateLimitKey.ip()];
    const ids = keys.map((k) => k._id);
    if (keys.length === 0 || keys.length > 5) {
      throw new Error(`\`Statement.rateBased()\` \`keys\` must hold 1 to 5 keys, got: ${keys.length}.`);
    }
    const duplicate = ids.find((id, i) => ids.indexOf(id) !== i);
    if (duplicate) {
      throw new Error(`\`Statement.rateBased()\` \`keys\` must not repeat a key, got: ${duplicate} twice.`);
    }
    if (ids.includes('IP') && ids.includes('FORWARDED_IP')) {
      throw new Error(
        '`Statement.rateBased()` `keys` must not combine `RateLimitKey.ip()` and `RateLimitKey.forwardedIp()` (WAF rejects it), got: both.',
      );
    }
    if (options.scopeDown && !options.scopeDown.nestable) {
      throw new Error('`Statement.rateBased()` `scopeDown` must be a nestable statement, got: a rate-based statement.');
    }
    const usesForwardedIp = ids.includes('FORWARDED_IP');
    const single = keys.length === 1 && (ids[0] === 'IP' || ids[0] === 'FORWARDED_IP');
    const rate: wafv2.CfnWebACL.RateBasedStatementProperty = {
      limit: options.limit,
      evaluationWindowSec: window.toSeconds(),
      aggregateKeyType: single ? ids[0] : 'CUSTOM_KEYS',
      customKeys: single ? undefined : keys.map((k) => k._json),
      forwardedIpConfig: usesForwardedIp
        ? { headerName: options.forwardedIpHeaderName ?? 'X-Forwarded-For', fallbackBehavior: 'MATCH' }
        : undefined,
      scopeDownStatement: options.scopeDown?.toStatementProperty(),
    };
    const capacity =
      WCU.RATE_BASED + (single ? 0 : WCU.RATE_BASED_CUSTOM_KEY * keys.length) + (options.scopeDown?.capacity ?? 0);
    return new Statement({ rateBasedStatement: rate }, capacity, {
      nestable: false,
      children: options.scopeDown ? [options.scopeDown] : [],
      rate: { options, window },
    });
  }

  /** Matches requests that match every statement (at least two). Costs the sum of its statements. */
  public static allOf(...statements: Statement[]): Statement {
    checkLogical('Statement.allOf()', statements, 2);
    return new Statement(
      { andStatement: { statements: statements.map((s) => s.toStatementProperty()) } },
      sum(statements),
      { children: statements },
    );
  }

  /** Matches requests that match any of the statements (at least two). Costs the sum of its statements. */
  public static anyOf(...statements: Statement[]): Statement {
    checkLogical('Statement.anyOf()', statements, 2);
    return new Statement(
      { orStatement: { statements: statements.map((s) => s.toStatementProperty()) } },
      sum(statements),
      { children: statements },
    );
  }

  /** Matches requests that do not match the statement (exactly one; a NOT statement). Costs its statement's WCUs. */
  public static negate(...statements: Statement[]): Statement {
    checkLogical('Statement.negate()', statements, 1);
    if (statements.length !== 1) {
      throw new Error(`\`Statement.negate()\` takes exactly one statement, got: ${statements.length}.`);
    }
    return new Statement({ notStatement: { statement: statements[0].toStatementProperty() } }, statements[0].capacity, {
      children: statements,
    });
  }

  /**
   * A statement that inspects one request field after text transformations (byte, regex and size matches): rejects
   * a body without oversize handling, and costs `wcu` plus the field's surcharge plus 10 per transformation.
   *
   * @param factory the public factory, for error messages
   * @param options the field to inspect and its transformations
   * @param wcu the statement's own capacity
   * @param statement the statement, given the field and the transformations in their L1 forms
   */
  private static fieldMatch(
    factory: string,
    options: { readonly field: RequestField; readonly textTransformations?: TextTransformationType[] },
    wcu: number,
    statement: (
      fieldToMatch: wafv2.CfnWebACL.FieldToMatchProperty,
      textTransformations: wafv2.CfnWebACL.TextTransformationProperty[],
    ) => wafv2.CfnWebACL.StatementProperty,
  ): Statement {
    checkBody(factory, options.field);
    const types = options.textTransformations ?? [];
    return new Statement(
      statement(options.field._json, transformations(types)),
      wcu + options.field._surcharge + transformationCost(types),
    );
  }

  /** The statement's capacity in WCUs, from AWS WAF's published costs. */
  public readonly capacity: number;
  /** Whether the statement can be nested in AND / OR / NOT and scope-downs (rate-based statements can't). */
  public readonly nestable: boolean;

  /** @internal */
  public readonly _rate?: { readonly options: RateBasedStatementOptions; readonly window: Duration };
  private readonly json: wafv2.CfnWebACL.StatementProperty;
  private readonly children: Statement[];
  private readonly ownLabels: LabelReference[];
  private readonly ownGeo: boolean;

  private constructor(
    json: wafv2.CfnWebACL.StatementProperty,
    capacity: number,
    extra: {
      nestable?: boolean;
      children?: Statement[];
      labels?: LabelReference[];
      hasGeo?: boolean;
      rate?: { options: RateBasedStatementOptions; window: Duration };
    } = {},
  ) {
    this.json = json;
    this.capacity = capacity;
    this.nestable = extra.nestable ?? true;
    this.children = extra.children ?? [];
    this.ownLabels = extra.labels ?? [];
    this.ownGeo = extra.hasGeo ?? false;
    this._rate = extra.rate;
  }

  /** The L1 (`AWS::WAFv2::WebACL`) form of the statement. */
  public toStatementProperty(): wafv2.CfnWebACL.StatementProperty {
    return this.json;
  }

  /** The label match statements inside this statement, at any depth. */
  public labelReferences(): LabelReference[] {
    return [...this.ownLabels, ...this.children.flatMap((c) => c.labelReferences())];
  }

  /** Whether a geo match (which adds country labels) is inside this statement, at any depth. */
  public get containsGeoMatch(): boolean {
    return this.ownGeo || this.children.some((c) => c.containsGeoMatch);
  }
}

function transformations(types: TextTransformationType[]): wafv2.CfnWebACL.TextTransformationProperty[] {
  const list = types.length > 0 ? types : [TextTransformationType.NONE];
  return list.map((type, priority) => ({ priority, type }));
}

function transformationCost(types: TextTransformationType[]): number {
  return types.filter((t) => t !== TextTransformationType.NONE).length * WCU.TEXT_TRANSFORMATION;
}

function sum(statements: Statement[]): number {
  return statements.reduce((total, s) => total + s.capacity, 0);
}

function checkLogical(name: string, statements: Statement[], min: number): void {
  if (statements.length < min) {
    throw new Error(
      `\`${name}\` needs at least ${min === 1 ? 'one statement' : `${min} statements`}, got: ${statements.length}.`,
    );
  }
  if (statements.some((s) => !s.nestable)) {
    throw new Error(`\`${name}\` can't nest a rate-based statement, got: one among its ${statements.length}.`);
  }
}

function checkBody(name: string, field: RequestField): void {
  if (field._isBody && field._missingOversizeHandling) {
    throw new Error(
      `\`${name}\` on \`RequestField.body()\` needs an \`OversizeHandling\`: WAF inspects only the first 16 KB (or the web ACL's \`bodyInspectionSize\`) of a body, got: none.`,
    );
  }
}

/** AWS WAF's regex limits: 200 characters, no lookarounds, no backreferences. */
function validateRegex(regex: string): void {
  if (regex.length === 0 || regex.length > 200) {
    throw new Error(
      `\`Statement.regexMatch()\` \`regex\` must be 1 to 200 characters (WAF's limit), got: ${regex.length} characters.`,
    );
  }
  if (/\(\?<?[=!]/.test(regex)) {
    throw new Error(
      `\`Statement.regexMatch()\` \`regex\` must not use lookarounds (WAF rejects them), got: '${regex}'.`,
    );
  }
  if (/(^|[^\\])(\\\\)*\\([1-9]|k<|k\{|g\{?-?\d)/.test(regex)) {
    throw new Error(
      `\`Statement.regexMatch()\` \`regex\` must not use backreferences (WAF rejects them), got: '${regex}'.`,
    );
  }
  try {
    new RegExp(regex);
  } catch (e) {
    throw new Error(`\`Statement.regexMatch()\` \`regex\` must be a valid regular expression, got: '${regex}'.`);
  }
}
