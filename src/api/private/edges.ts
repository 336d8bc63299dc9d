import { aws_apigateway as apigateway } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { echoOriginTemplate } from './cors-template';
import { CorsOptions, CorsPreflight } from '../cors';
import { CustomDomain, CustomDomainOptions } from '../custom-domain';
import { ProblemGatewayResponses } from '../gateway-responses';
import { TlsSecurityPolicy } from '../tls-policy';

/**
 * The front door's edge props, as a front door (or the facade) takes them at its top level.
 */
export interface EdgeProps {
  readonly cors?: CorsOptions;
  readonly customDomain?: CustomDomainOptions;
  readonly securityPolicy?: TlsSecurityPolicy;
  readonly disableExecuteApiEndpoint?: boolean;
  readonly problemTypeBaseUri?: string;
}

/** What `applyEdges` made. */
export interface Edges {
  readonly gatewayResponses: ProblemGatewayResponses;
  readonly customDomain?: CustomDomain;
  readonly securityPolicy: TlsSecurityPolicy;
}

/**
 * Validates the edge props that concern the front door as a whole (each part validates its own); warnings land on
 * `scope` (pass the REST API, where the parts report theirs too, so that each appears once).
 */
export function validateEdgeProps(scope: Construct, props: EdgeProps, endpointType: apigateway.EndpointType): void {
  if (props.disableExecuteApiEndpoint && !props.customDomain) {
    throw new Error(
      '`disableExecuteApiEndpoint` requires `customDomain` (without one the API would have no endpoint left), got: disableExecuteApiEndpoint true and no customDomain.',
    );
  }
  if (props.cors) CorsPreflight.validate(scope, props.cors, 'cors');
  props.securityPolicy?.validateFor(endpointType, 'securityPolicy');
}

/**
 * The default TLS policy of an execute-api endpoint: TLS 1.2 and 1.3 with forward secrecy (REGIONAL, PRIVATE), or
 * the edge equivalent.
 */
export function defaultSecurityPolicy(endpointType: apigateway.EndpointType): TlsSecurityPolicy {
  return endpointType === apigateway.EndpointType.EDGE
    ? TlsSecurityPolicy.TLS12_PFS_2025_EDGE
    : TlsSecurityPolicy.TLS13_1_2_PFS_PQ_2025_09;
}

/**
 * Applies the edges to a front door's REST API: the TLS policy of its execute-api endpoint (and the endpoint
 * disabled when asked), the problem-details gateway responses with the CORS headers, and the custom domain with
 * its root mapped to `stage` (or its own mappings). Preflight methods are per route: the front door calls
 * `CorsPreflight.addTo()` on each resource it creates.
 */
export function applyEdges(
  scope: Construct,
  api: apigateway.RestApi,
  stage: apigateway.Stage,
  endpointType: apigateway.EndpointType,
  props: EdgeProps,
): Edges {
  validateEdgeProps(api, props, endpointType);
  const cfn = api.node.defaultChild as apigateway.CfnRestApi;
  const securityPolicy = props.securityPolicy ?? defaultSecurityPolicy(endpointType);
  securityPolicy.applyToRestApi(cfn, endpointType, 'securityPolicy');
  if (props.disableExecuteApiEndpoint) cfn.disableExecuteApiEndpoint = true;
  const gatewayResponses = new ProblemGatewayResponses(scope, 'GatewayResponses', {
    restApi: api,
    cors: props.cors,
    typeBaseUri: props.problemTypeBaseUri,
  });
  const customDomain = props.customDomain
    ? new CustomDomain(scope, 'CustomDomain', {
        ...props.customDomain,
        // One policy for both endpoints, unless the domain names its own (mutual TLS needs the legacy one).
        securityPolicy:
          props.customDomain.securityPolicy ?? (props.customDomain.mutualTls ? undefined : props.securityPolicy),
        restApi: api,
        stage,
      })
    : undefined;
  return { gatewayResponses, customDomain, securityPolicy };
}

/**
 * The integration response and method response of the front door's MOCK 404 for unrouted paths: a problem-details
 * body like the gateway's own errors (type `<typeBaseUri>NOT_FOUND`), with the CORS headers.
 */
export function notFoundResponses(
  cors: CorsOptions | undefined,
  typeBaseUri: string = ProblemGatewayResponses.DEFAULT_TYPE_BASE_URI,
): { integrationResponse: apigateway.IntegrationResponse; methodResponse: apigateway.MethodResponse } {
  const headers: Record<string, string> = {
    'Content-Type': "'application/problem+json'",
    'Cache-Control': "'no-store'",
  };
  if (cors) {
    const origins = cors.allowOrigins;
    headers['Access-Control-Allow-Origin'] = `'${origins[0]}'`;
    if (origins[0] !== '*') headers.Vary = "'Origin'";
    if (cors.allowCredentials) headers['Access-Control-Allow-Credentials'] = "'true'";
    if (cors.exposeHeaders && cors.exposeHeaders.length > 0) {
      headers['Access-Control-Expose-Headers'] = `'${cors.exposeHeaders.join(',')}'`;
    }
  }
  const body = `{"type":"${typeBaseUri}NOT_FOUND","title":"Not found","status":404,"detail":"No route matches the request path.","instance":"$context.requestId"}`;
  const template = cors && cors.allowOrigins.length > 1 ? `${echoOriginTemplate(cors.allowOrigins)}\n${body}` : body;
  const responseParameters: Record<string, string> = {};
  const declared: Record<string, boolean> = {};
  for (const [name, value] of Object.entries(headers)) {
    responseParameters[`method.response.header.${name}`] = value;
    declared[`method.response.header.${name}`] = true;
  }
  return {
    integrationResponse: {
      statusCode: '404',
      responseParameters,
      responseTemplates: { 'application/json': template },
    },
    methodResponse: { statusCode: '404', responseParameters: declared },
  };
}
