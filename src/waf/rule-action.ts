import { Duration, Token } from 'aws-cdk-lib';
import { WafAction } from './managed-rule-group';

/**
 * The JSON body of a block response: RFC 9457 problem details (`type`, `title`, `status`, `detail`), the shape the
 * front door's and the service's own errors use. WAF serves it as `application/json` (the only JSON content type
 * it allows), not `application/problem+json`.
 */
export interface BlockResponseOptions {
  /**
   * The HTTP status of the block response, between 200 and 599.
   *
   * @default 403
   */
  readonly statusCode?: number;
  /**
   * The problem's `type` URI.
   *
   * @default 'about:blank' (the problem is the HTTP status itself, RFC 9457 section 4.2.1)
   */
  readonly problemType?: string;
  /**
   * The problem's `title`.
   *
   * @default - the status's reason phrase, for example `Forbidden`
   */
  readonly title?: string;
  /**
   * The problem's `detail`.
   *
   * @default 'The web application firewall blocked this request.'
   */
  readonly detail?: string;
}

/** Options of the CAPTCHA and Challenge actions. */
export interface TokenActionOptions {
  /**
   * How long a token from a solved CAPTCHA (or challenge) stays valid for this rule, between 60 seconds and 3 days.
   *
   * @default - the web ACL's `captchaImmunityTime` or `challengeImmunityTime` (300 seconds)
   */
  readonly immunityTime?: Duration;
}

const REASON_PHRASES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  413: 'Content Too Large',
  429: 'Too Many Requests',
  451: 'Unavailable For Legal Reasons',
  503: 'Service Unavailable',
};

/**
 * What a `GeoWebAcl` rule does with a matching request.
 *
 * - `allow()` and `block()` end the evaluation; `block()` answers with a problem-details JSON body.
 * - `count()` counts (and labels) the request and goes on: run any rule in count mode first.
 * - `captcha()` answers HTTP 405 with `x-amzn-waf-action: captcha` until the client holds a solved-CAPTCHA token;
 *   only `Accept: text/html` GETs are shown the puzzle.
 * - `challenge()` answers HTTP 202 with `x-amzn-waf-action: challenge` and a silent JavaScript challenge page until
 *   the client holds a token: browsers pass unnoticed, non-browser clients never do.
 *
 * Neither CAPTCHA nor Challenge responses can be customised, and `GeoWebAcl` never applies them to `OPTIONS`
 * (CORS preflight) requests.
 *
 * @see https://docs.aws.amazon.com/waf/latest/developerguide/waf-rule-action.html
 *
 * @example
 * import { Duration } from 'aws-cdk-lib';
 * import { RuleAction } from '@gtuc/cdk-privatelink-ecs';
 *
 * const tooMany = RuleAction.block({ statusCode: 429, detail: 'Slow down and retry later.' });
 * const browsersOnly = RuleAction.challenge({ immunityTime: Duration.hours(1) });
 */
export class RuleAction {
  /** Allow the request and stop evaluating. */
  public static allow(): RuleAction {
    return new RuleAction(WafAction.ALLOW);
  }

  /** Block the request with a problem-details JSON body. */
  public static block(options: BlockResponseOptions = {}): RuleAction {
    const statusCode = options.statusCode ?? 403;
    if (!Token.isUnresolved(statusCode) && (!Number.isInteger(statusCode) || statusCode < 200 || statusCode > 599)) {
      throw new Error(
        `\`RuleAction.block()\` \`statusCode\` must be an integer between 200 and 599, got: ${statusCode}.`,
      );
    }
    return new RuleAction(WafAction.BLOCK, {
      statusCode,
      problemType: options.problemType ?? 'about:blank',
      title: options.title ?? REASON_PHRASES[statusCode] ?? 'Request Blocked',
      detail: options.detail ?? 'The web application firewall blocked this request.',
    });
  }

  /** Count the request (and add the rule's labels), then evaluate the next rule. */
  public static count(): RuleAction {
    return new RuleAction(WafAction.COUNT);
  }

  /** Require a solved CAPTCHA (HTTP 405 without a valid token). */
  public static captcha(options: TokenActionOptions = {}): RuleAction {
    validateImmunityTime('RuleAction.captcha()', options.immunityTime);
    return new RuleAction(WafAction.CAPTCHA, { immunityTime: options.immunityTime });
  }

  /** Require a silent browser challenge (HTTP 202 without a valid token). */
  public static challenge(options: TokenActionOptions = {}): RuleAction {
    validateImmunityTime('RuleAction.challenge()', options.immunityTime);
    return new RuleAction(WafAction.CHALLENGE, { immunityTime: options.immunityTime });
  }

  /** The action. */
  public readonly action: WafAction;
  /**
   * The HTTP status of a block response.
   *
   * @default - undefined unless the action is BLOCK
   */
  public readonly statusCode?: number;
  /**
   * The problem `type` of a block response.
   *
   * @default - undefined unless the action is BLOCK
   */
  public readonly problemType?: string;
  /**
   * The problem `title` of a block response.
   *
   * @default - undefined unless the action is BLOCK
   */
  public readonly title?: string;
  /**
   * The problem `detail` of a block response.
   *
   * @default - undefined unless the action is BLOCK
   */
  public readonly detail?: string;
  /**
   * The rule's own immunity time for CAPTCHA or Challenge.
   *
   * @default - the web ACL's
   */
  public readonly immunityTime?: Duration;

  private constructor(
    action: WafAction,
    extra: {
      statusCode?: number;
      problemType?: string;
      title?: string;
      detail?: string;
      immunityTime?: Duration;
    } = {},
  ) {
    this.action = action;
    this.statusCode = extra.statusCode;
    this.problemType = extra.problemType;
    this.title = extra.title;
    this.detail = extra.detail;
    this.immunityTime = extra.immunityTime;
  }

  /** Whether the action needs a WAF token (CAPTCHA or Challenge). */
  public get isTokenAction(): boolean {
    return this.action === WafAction.CAPTCHA || this.action === WafAction.CHALLENGE;
  }
}

/** @internal */
export function validateImmunityTime(name: string, immunityTime: Duration | undefined): void {
  if (immunityTime === undefined || immunityTime.isUnresolved()) {
    return;
  }
  const seconds = immunityTime.toSeconds({ integral: false });
  if (!Number.isInteger(seconds) || seconds < 60 || seconds > 259200) {
    throw new Error(
      `\`${name}\` immunity time must be a whole number of seconds between 60 and 259200 (3 days), got: ${seconds} seconds.`,
    );
  }
}
