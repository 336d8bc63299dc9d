import { Annotations, aws_apigateway as apigateway, Duration, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { echoOriginTemplate } from './private/cors-template';

/** Chromium caps `Access-Control-Max-Age` at 2 hours (and Firefox at 24 hours). */
const CHROMIUM_MAX_AGE_SECONDS = 7200;
/** No browser caches a preflight longer than 24 hours (Firefox's cap). */
const BROWSER_MAX_AGE_SECONDS = 86400;
const HTTP_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];
/** RFC 9110 `token`: the characters a header field name may contain. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/**
 * An origin as browsers serialize it (RFC 6454): a lower-case scheme, `://`, a lower-case host (name, IPv4 or
 * bracketed IPv6) and an optional port, with no path, query, fragment, trailing slash or wildcard.
 */
const ORIGIN =
  /^[a-z][a-z0-9+.-]*:\/\/(\[[0-9a-f:.]+\]|[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*)(:\d{1,5})?$/;

/**
 * Cross-origin resource sharing (CORS) at the front door: which browser origins may call the API, and what the
 * gateway answers to their preflight requests.
 *
 * The gateway answers preflight `OPTIONS` itself and adds the CORS headers to its own error responses. Responses
 * that come from your service through an HTTP proxy integration pass through unchanged: the service must add
 * `Access-Control-Allow-Origin` (and `Access-Control-Expose-Headers`, `Access-Control-Allow-Credentials`) to its
 * own responses for browsers to read them.
 *
 * @see https://fetch.spec.whatwg.org/#http-cors-protocol
 */
export interface CorsOptions {
  /**
   * The origins browsers may call the API from, each `scheme://host[:port]` as a browser sends it in `Origin`
   * (e.g. `https://app.example.com`, `http://localhost:3000`), or `['*']` for any origin.
   */
  readonly allowOrigins: string[];

  /**
   * The methods a cross-origin request may use (`Access-Control-Allow-Methods`).
   *
   * @default ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE']
   */
  readonly allowMethods?: string[];

  /**
   * The request headers a cross-origin request may send (`Access-Control-Allow-Headers`).
   *
   * @default - `CorsPreflight.DEFAULT_ALLOW_HEADERS`: Content-Type, Authorization, the SigV4 headers and X-Api-Key
   */
  readonly allowHeaders?: string[];

  /**
   * The response headers browser code may read beyond the CORS-safelisted ones (`Access-Control-Expose-Headers`),
   * set on the gateway's own responses (your service sets it on its own).
   *
   * @default - none
   */
  readonly exposeHeaders?: string[];

  /**
   * Whether browsers may send credentials (cookies, TLS client certificates, HTTP authentication) and read the
   * response (`Access-Control-Allow-Credentials: true`); not allowed with the `*` origin.
   *
   * @default false
   */
  readonly allowCredentials?: boolean;

  /**
   * How long browsers may cache a preflight answer (`Access-Control-Max-Age`); at most 24 hours (Firefox's cap),
   * and Chromium honours at most 2 hours.
   *
   * @default Duration.hours(2)
   */
  readonly maxAge?: Duration;
}

/**
 * Validates `CorsOptions` and adds CORS preflight methods to REST API resources.
 *
 * A preflight method is `OPTIONS` with a MOCK integration and no authorization (browsers never send credentials
 * with a preflight), answering 204 with the `Access-Control-Allow-*` headers. With several allowed origins the
 * answer echoes the request's `Origin` when it is one of them.
 *
 * @example
 * import * as apigateway from 'aws-cdk-lib/aws-apigateway';
 *
 * import { CorsPreflight } from '@gtuc/cdk-privatelink-ecs';
 *
 * declare const api: apigateway.RestApi;
 * const root = api.root;
 * CorsPreflight.addTo(root, { allowOrigins: ['https://app.example.com'], allowCredentials: true });
 * CorsPreflight.addTo(root.addResource('items'), { allowOrigins: ['https://app.example.com'], allowCredentials: true });
 */
export class CorsPreflight {
  /** The methods allowed by default. */
  public static readonly DEFAULT_ALLOW_METHODS: string[] = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'];

  /** The request headers allowed by default: what JSON, SigV4 (IAM), Cognito and API-key callers send. */
  public static readonly DEFAULT_ALLOW_HEADERS: string[] = [
    'Content-Type',
    'Authorization',
    'X-Amz-Date',
    'X-Amz-Security-Token',
    'X-Amz-Content-Sha256',
    'X-Api-Key',
  ];

  /** The default preflight cache time. */
  public static readonly DEFAULT_MAX_AGE: Duration = Duration.hours(2);

  /**
   * Throws on options a browser would never honour, naming the prop and the value; warns (on `scope`) about a
   * max age above what Chromium honours.
   *
   * @param scope where warnings are reported
   * @param options the CORS options
   * @param propPath the prop the options came from, used in messages (e.g. `cors`)
   */
  public static validate(scope: IConstruct, options: CorsOptions, propPath: string = 'cors'): void {
    const origins = options.allowOrigins;
    if (origins.length === 0) {
      throw new Error(`\`${propPath}.allowOrigins\` must list at least one origin, got: [].`);
    }
    origins.forEach((origin, i) => {
      if (Token.isUnresolved(origin) || origin === '*') return;
      if (!ORIGIN.test(origin)) {
        throw new Error(
          `\`${propPath}.allowOrigins[${i}]\` must be an origin (a lower-case \`scheme://host[:port]\` with no path, trailing slash or wildcard, e.g. \`https://app.example.com\`) or '*', got: ${origin}.`,
        );
      }
      const port = origin.match(/:(\d+)$/)?.[1];
      if (port !== undefined && Number(port) > 65535) {
        throw new Error(`\`${propPath}.allowOrigins[${i}]\` has a port above 65535, got: ${origin}.`);
      }
    });
    if (origins.includes('*') && origins.length > 1) {
      throw new Error(
        `\`${propPath}.allowOrigins\` can't mix '*' with specific origins, got: [${origins.join(', ')}].`,
      );
    }
    const duplicate = origins.find((o, i) => origins.indexOf(o) !== i);
    if (duplicate !== undefined) {
      throw new Error(`\`${propPath}.allowOrigins\` lists an origin twice, got: ${duplicate}.`);
    }
    if (origins.includes('*') && options.allowCredentials) {
      throw new Error(
        `\`${propPath}.allowCredentials\` can't be true with the '*' origin (browsers reject credentialed responses to any origin), got: allowOrigins ['*'] with allowCredentials true.`,
      );
    }
    (options.allowMethods ?? []).forEach((method, i) => {
      if (!HTTP_METHODS.includes(method)) {
        throw new Error(
          `\`${propPath}.allowMethods[${i}]\` must be one of ${HTTP_METHODS.join(', ')} (upper case), got: ${method}.`,
        );
      }
    });
    for (const key of ['allowHeaders', 'exposeHeaders'] as const) {
      (options[key] ?? []).forEach((header, i) => {
        if (!Token.isUnresolved(header) && !TOKEN.test(header)) {
          throw new Error(`\`${propPath}.${key}[${i}]\` must be a header name, got: ${header}.`);
        }
      });
    }
    if (options.allowCredentials) {
      for (const key of ['allowHeaders', 'exposeHeaders'] as const) {
        if ((options[key] ?? []).includes('*')) {
          throw new Error(
            `\`${propPath}.${key}\` can't use the '*' wildcard with \`allowCredentials\` (browsers then read it as a header named '*'), got: [${options[key]!.join(', ')}].`,
          );
        }
      }
    }
    const maxAge = options.maxAge;
    if (maxAge !== undefined && !Token.isUnresolved(maxAge.toSeconds())) {
      const seconds = maxAge.toSeconds();
      if (seconds > BROWSER_MAX_AGE_SECONDS) {
        throw new Error(
          `\`${propPath}.maxAge\` must be at most 86400 seconds (24 hours, the most any browser caches a preflight), got: ${seconds} seconds.`,
        );
      }
      if (seconds > CHROMIUM_MAX_AGE_SECONDS) {
        Annotations.of(scope).addWarningV2(
          '@gtuc/cdk-privatelink-ecs:corsMaxAgeAboveChromiumCap',
          `\`${propPath}.maxAge\` is ${seconds} seconds: Chromium-based browsers cache a preflight for at most 7200 seconds (2 hours), Firefox for up to 86400.`,
        );
      }
    }
  }

  /**
   * Adds a preflight `OPTIONS` method (MOCK integration, no authorization, no API key) to `resource`.
   *
   * The resource must not have an `OPTIONS` method already. Call `validate()` first for messages that name your
   * prop; this method validates with the prop name `cors`.
   *
   * @param resource the REST API resource browsers call
   * @param options the CORS options
   */
  public static addTo(resource: apigateway.IResource, options: CorsOptions): apigateway.Method {
    // Warnings land on the API, so one per API however many resources get a preflight.
    CorsPreflight.validate(resource.api, options);
    const origins = options.allowOrigins;
    const headers: Record<string, string> = {
      'Access-Control-Allow-Origin': `'${origins[0]}'`,
      'Access-Control-Allow-Methods': `'${(options.allowMethods ?? CorsPreflight.DEFAULT_ALLOW_METHODS).join(',')}'`,
      'Access-Control-Allow-Headers': `'${(options.allowHeaders ?? CorsPreflight.DEFAULT_ALLOW_HEADERS).join(',')}'`,
      'Access-Control-Max-Age': `'${(options.maxAge ?? CorsPreflight.DEFAULT_MAX_AGE).toSeconds()}'`,
    };
    if (options.allowCredentials) {
      headers['Access-Control-Allow-Credentials'] = "'true'";
    }
    if (origins[0] !== '*') {
      headers.Vary = "'Origin'";
    }
    const integrationParameters: Record<string, string> = {};
    const methodParameters: Record<string, boolean> = {};
    for (const [name, value] of Object.entries(headers)) {
      integrationParameters[`method.response.header.${name}`] = value;
      methodParameters[`method.response.header.${name}`] = true;
    }
    return resource.addMethod(
      'OPTIONS',
      new apigateway.MockIntegration({
        requestTemplates: { 'application/json': '{"statusCode": 204}' },
        integrationResponses: [
          {
            statusCode: '204',
            responseParameters: integrationParameters,
            responseTemplates: origins.length > 1 ? { 'application/json': echoOriginTemplate(origins) } : undefined,
          },
        ],
      }),
      {
        authorizationType: apigateway.AuthorizationType.NONE,
        apiKeyRequired: false,
        requestParameters: {},
        methodResponses: [{ statusCode: '204', responseParameters: methodParameters }],
      },
    );
  }

  /**
   * The CORS headers of the gateway's own responses (errors it answers without calling the integration), as
   * gateway-response header mappings (`{ 'Access-Control-Allow-Origin': "'https://app.example.com'" }`).
   *
   * Gateway responses can't run a template, so with several allowed origins they echo the request's `Origin`
   * (with `Vary: Origin`): any origin can then read the gateway's error bodies, which carry no data beyond the
   * error and the request id; the preflight still admits only the allowed origins.
   *
   * @param options the CORS options
   */
  public static gatewayResponseHeaders(options: CorsOptions): Record<string, string> {
    const origins = options.allowOrigins;
    const headers: Record<string, string> = {
      'Access-Control-Allow-Origin': origins.length > 1 ? 'method.request.header.Origin' : `'${origins[0]}'`,
    };
    if (origins[0] !== '*') {
      headers.Vary = "'Origin'";
    }
    if (options.allowCredentials) {
      headers['Access-Control-Allow-Credentials'] = "'true'";
    }
    if (options.exposeHeaders && options.exposeHeaders.length > 0) {
      headers['Access-Control-Expose-Headers'] = `'${options.exposeHeaders.join(',')}'`;
    }
    return headers;
  }

  private constructor() {}
}
