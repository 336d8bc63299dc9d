import { aws_apigateway as apigateway, Token } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { CorsOptions, CorsPreflight } from './cors';

/** The media type of RFC 9457 problem details. */
const PROBLEM_JSON = 'application/problem+json';

/**
 * A gateway response type with the HTTP status API Gateway answers it with and the problem title.
 * `status` is undefined for the two fallbacks, whose status is the underlying error's.
 */
interface GatewayError {
  readonly type: apigateway.ResponseType;
  readonly status?: number;
  readonly title: string;
}

/**
 * Every gateway response type of API Gateway REST APIs (aws-cdk-lib 2.257's `ResponseType`), with the status
 * code API Gateway gives it.
 *
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/supported-gateway-response-types.html
 */
const GATEWAY_ERRORS: GatewayError[] = [
  { type: apigateway.ResponseType.ACCESS_DENIED, status: 403, title: 'Access denied' },
  { type: apigateway.ResponseType.API_CONFIGURATION_ERROR, status: 500, title: 'API configuration error' },
  {
    type: apigateway.ResponseType.AUTHORIZER_CONFIGURATION_ERROR,
    status: 500,
    title: 'Authorizer configuration error',
  },
  { type: apigateway.ResponseType.AUTHORIZER_FAILURE, status: 500, title: 'Authorizer failure' },
  { type: apigateway.ResponseType.BAD_REQUEST_PARAMETERS, status: 400, title: 'Invalid request parameters' },
  { type: apigateway.ResponseType.BAD_REQUEST_BODY, status: 400, title: 'Invalid request body' },
  { type: apigateway.ResponseType.DEFAULT_4XX, title: 'Client error' },
  { type: apigateway.ResponseType.DEFAULT_5XX, title: 'Server error' },
  { type: apigateway.ResponseType.EXPIRED_TOKEN, status: 403, title: 'Expired token' },
  { type: apigateway.ResponseType.INTEGRATION_FAILURE, status: 504, title: 'Integration failure' },
  { type: apigateway.ResponseType.INTEGRATION_TIMEOUT, status: 504, title: 'Integration timeout' },
  { type: apigateway.ResponseType.INVALID_API_KEY, status: 403, title: 'Invalid API key' },
  { type: apigateway.ResponseType.INVALID_SIGNATURE, status: 403, title: 'Invalid signature' },
  { type: apigateway.ResponseType.MISSING_AUTHENTICATION_TOKEN, status: 403, title: 'Missing authentication token' },
  { type: apigateway.ResponseType.QUOTA_EXCEEDED, status: 429, title: 'Quota exceeded' },
  { type: apigateway.ResponseType.REQUEST_TOO_LARGE, status: 413, title: 'Request too large' },
  { type: apigateway.ResponseType.RESOURCE_NOT_FOUND, status: 404, title: 'Resource not found' },
  { type: apigateway.ResponseType.THROTTLED, status: 429, title: 'Too many requests' },
  { type: apigateway.ResponseType.UNAUTHORIZED, status: 401, title: 'Unauthorized' },
  { type: apigateway.ResponseType.UNSUPPORTED_MEDIA_TYPE, status: 415, title: 'Unsupported media type' },
  { type: apigateway.ResponseType.WAF_FILTERED, status: 403, title: 'Forbidden by the web ACL' },
];

/**
 * Properties of `ProblemGatewayResponses`.
 */
export interface ProblemGatewayResponsesProps {
  /**
   * The REST API whose gateway responses are set (an imported API works too; deploy it again afterwards).
   */
  readonly restApi: apigateway.IRestApi;

  /**
   * The CORS options of the front door: the gateway responses carry the matching CORS headers, so that browser
   * code can read the gateway's errors.
   *
   * @default - no CORS headers
   */
  readonly cors?: CorsOptions;

  /**
   * The start of each problem's `type` URI; the gateway response type (e.g. `THROTTLED`) is appended.
   *
   * @default ProblemGatewayResponses.DEFAULT_TYPE_BASE_URI
   */
  readonly typeBaseUri?: string;

  /**
   * Extra headers on every gateway response, as gateway-response mappings: a quoted static value (`"'no-store'"`)
   * or a request value (`method.request.header.X-Request-Id`).
   *
   * @default - `Cache-Control: 'no-store'` only
   */
  readonly responseHeaders?: Record<string, string>;
}

/**
 * The gateway's own errors (throttled, unauthorized, missing route, integration timeout, …) as RFC 9457 problem
 * details served as `application/problem+json`, one gateway response per type of `apigateway.ResponseType`:
 *
 * ```json
 * { "type": "<typeBaseUri>THROTTLED", "title": "Too many requests", "status": 429,
 *   "detail": "Too Many Requests", "instance": "<the request id>" }
 * ```
 *
 * `detail` is API Gateway's message and `instance` the request id (`$context.requestId`, also in the access log and
 * the `x-amzn-RequestId` header). The `DEFAULT_4XX` and `DEFAULT_5XX` fallbacks keep the underlying status code
 * (setting one would change every other 4XX/5XX response's status): their body has no `status`, and their `type`
 * ends with the underlying response type (`$context.error.responseType`). Every specific type is configured, so
 * the fallbacks only answer types API Gateway may add later.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9457
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/supported-gateway-response-types.html
 *
 * @example
 * import * as apigateway from 'aws-cdk-lib/aws-apigateway';
 *
 * import { ProblemGatewayResponses } from '@gtuc/cdk-privatelink-ecs';
 *
 * declare const api: apigateway.RestApi;
 * new ProblemGatewayResponses(this, 'Errors', {
 *   restApi: api,
 *   cors: { allowOrigins: ['https://app.example.com'] },
 * });
 */
export class ProblemGatewayResponses extends Construct {
  /** The default start of the problem `type` URIs: the library's page that describes each gateway error. */
  public static readonly DEFAULT_TYPE_BASE_URI: string =
    'https://github.com/gtuc/cdk-privatelink-ecs/blob/main/docs/gateway-errors.md#';

  /** The gateway response types this construct configures: every one API Gateway has. */
  public static readonly RESPONSE_TYPES: apigateway.ResponseType[] = GATEWAY_ERRORS.map((e) => e.type);

  /**
   * The body template of a gateway response type, e.g. for `THROTTLED`:
   * `{"type":"<base>THROTTLED","title":"Too many requests","status":429,"detail":$context.error.messageString,"instance":"$context.requestId"}`.
   *
   * @param responseType the gateway response type
   * @param typeBaseUri the start of the `type` URI
   */
  public static bodyTemplate(
    responseType: apigateway.ResponseType,
    typeBaseUri: string = ProblemGatewayResponses.DEFAULT_TYPE_BASE_URI,
  ): string {
    const error = GATEWAY_ERRORS.find((e) => e.type.responseType === responseType.responseType);
    if (!error) {
      throw new Error(
        `\`responseType\` must be one of ${GATEWAY_ERRORS.map((e) => e.type.responseType).join(', ')}, got: ${responseType.responseType}.`,
      );
    }
    // Gateway response templates only substitute variables (no VTL): `messageString` is already a quoted JSON string.
    const fields = [
      `"type":"${typeBaseUri}${error.status === undefined ? '$context.error.responseType' : error.type.responseType}"`,
      `"title":${JSON.stringify(error.title)}`,
      ...(error.status === undefined ? [] : [`"status":${error.status}`]),
      '"detail":$context.error.messageString',
      '"instance":"$context.requestId"',
    ];
    return `{${fields.join(',')}}`;
  }

  /** The gateway responses, by response type (e.g. `responses.THROTTLED`). */
  public readonly responses: Record<string, apigateway.GatewayResponse>;

  constructor(scope: Construct, id: string, props: ProblemGatewayResponsesProps) {
    super(scope, id);
    const typeBaseUri = props.typeBaseUri ?? ProblemGatewayResponses.DEFAULT_TYPE_BASE_URI;
    this.validateTypeBaseUri(typeBaseUri);
    if (props.cors) CorsPreflight.validate(props.restApi, props.cors);

    const headers: Record<string, string> = {
      'Content-Type': `'${PROBLEM_JSON}'`,
      'Cache-Control': "'no-store'",
      ...(props.cors ? CorsPreflight.gatewayResponseHeaders(props.cors) : {}),
      ...props.responseHeaders,
    };
    this.responses = {};
    for (const error of GATEWAY_ERRORS) {
      const template = ProblemGatewayResponses.bodyTemplate(error.type, typeBaseUri);
      const name = error.type.responseType;
      this.responses[name] = new apigateway.GatewayResponse(this, pascalCase(name), {
        restApi: props.restApi,
        type: error.type,
        statusCode: error.status === undefined ? undefined : String(error.status),
        responseHeaders: headers,
        // The template is chosen by the request's Accept header; application/json is the fallback for any other.
        templates: { [PROBLEM_JSON]: template, 'application/json': template },
      });
    }
  }

  private validateTypeBaseUri(uri: string) {
    if (Token.isUnresolved(uri)) return;
    if (!/^[a-z][a-z0-9+.-]*:[^\s"\\]*$/i.test(uri)) {
      throw new Error(
        `\`typeBaseUri\` must be an absolute URI without spaces, quotes or backslashes (e.g. \`https://example.com/problems#\`), got: ${uri}.`,
      );
    }
  }
}

function pascalCase(snake: string): string {
  return snake
    .toLowerCase()
    .split('_')
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('');
}
