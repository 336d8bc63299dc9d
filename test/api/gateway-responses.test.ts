import * as fs from 'fs';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import { ProblemGatewayResponses } from '../../src/api';

function newApi(): { stack: Stack; api: apigateway.RestApi } {
  const app = new App();
  const stack = new Stack(app, 'TestStack', { env: { account: '111111111111', region: 'us-east-2' } });
  const api = new apigateway.RestApi(stack, 'Api');
  api.root.addMethod('GET');
  return { stack, api };
}

const BASE = 'https://github.com/gtuc/cdk-privatelink-ecs/blob/main/docs/gateway-errors.md#';

/** Every response type of aws-cdk-lib 2.257, with the status API Gateway gives it and our title. */
const EXPECTED: Array<[string, string | undefined, string]> = [
  ['ACCESS_DENIED', '403', 'Access denied'],
  ['API_CONFIGURATION_ERROR', '500', 'API configuration error'],
  ['AUTHORIZER_CONFIGURATION_ERROR', '500', 'Authorizer configuration error'],
  ['AUTHORIZER_FAILURE', '500', 'Authorizer failure'],
  ['BAD_REQUEST_PARAMETERS', '400', 'Invalid request parameters'],
  ['BAD_REQUEST_BODY', '400', 'Invalid request body'],
  ['DEFAULT_4XX', undefined, 'Client error'],
  ['DEFAULT_5XX', undefined, 'Server error'],
  ['EXPIRED_TOKEN', '403', 'Expired token'],
  ['INTEGRATION_FAILURE', '504', 'Integration failure'],
  ['INTEGRATION_TIMEOUT', '504', 'Integration timeout'],
  ['INVALID_API_KEY', '403', 'Invalid API key'],
  ['INVALID_SIGNATURE', '403', 'Invalid signature'],
  ['MISSING_AUTHENTICATION_TOKEN', '403', 'Missing authentication token'],
  ['QUOTA_EXCEEDED', '429', 'Quota exceeded'],
  ['REQUEST_TOO_LARGE', '413', 'Request too large'],
  ['RESOURCE_NOT_FOUND', '404', 'Resource not found'],
  ['THROTTLED', '429', 'Too many requests'],
  ['UNAUTHORIZED', '401', 'Unauthorized'],
  ['UNSUPPORTED_MEDIA_TYPE', '415', 'Unsupported media type'],
  ['WAF_FILTERED', '403', 'Forbidden by the web ACL'],
];

describe('ProblemGatewayResponses', () => {
  test('covers every ResponseType of aws-cdk-lib', () => {
    const all = Object.values(apigateway.ResponseType)
      .filter((v): v is apigateway.ResponseType => v instanceof apigateway.ResponseType)
      .map((t) => t.responseType)
      .sort();
    expect(ProblemGatewayResponses.RESPONSE_TYPES.map((t) => t.responseType).sort()).toEqual(all);
    expect(EXPECTED.map(([t]) => t).sort()).toEqual(all);
  });

  describe('defaults', () => {
    let template: Template;
    beforeAll(() => {
      // GIVEN
      const { stack, api } = newApi();
      // WHEN
      new ProblemGatewayResponses(stack, 'Errors', { restApi: api });
      template = Template.fromStack(stack);
    });

    test('one gateway response per type', () => {
      template.resourceCountIs('AWS::ApiGateway::GatewayResponse', EXPECTED.length);
    });

    test.each(EXPECTED)('%s: status %s, problem+json headers and body', (type, status, title) => {
      const body =
        status === undefined
          ? `{"type":"${BASE}$context.error.responseType","title":"${title}","detail":$context.error.messageString,"instance":"$context.requestId"}`
          : `{"type":"${BASE}${type}","title":"${title}","status":${status},"detail":$context.error.messageString,"instance":"$context.requestId"}`;
      const matches = template.findResources('AWS::ApiGateway::GatewayResponse', {
        Properties: { ResponseType: type },
      });
      const [response] = Object.values(matches);
      expect(Object.keys(matches)).toHaveLength(1);
      expect(response.Properties).toEqual({
        RestApiId: { Ref: 'ApiF70053CD' },
        ResponseType: type,
        ...(status === undefined ? {} : { StatusCode: status }),
        ResponseParameters: {
          'gatewayresponse.header.Content-Type': "'application/problem+json'",
          'gatewayresponse.header.Cache-Control': "'no-store'",
        },
        ResponseTemplates: { 'application/problem+json': body, 'application/json': body },
      });
    });

    test('the THROTTLED body is JSON once API Gateway substitutes the variables', () => {
      const body = ProblemGatewayResponses.bodyTemplate(apigateway.ResponseType.THROTTLED)
        .replace('$context.error.messageString', '"Too Many Requests"')
        .replace('$context.requestId', 'c0ffee00-0000-4000-8000-000000000000');
      expect(JSON.parse(body)).toEqual({
        type: `${BASE}THROTTLED`,
        title: 'Too many requests',
        status: 429,
        detail: 'Too Many Requests',
        instance: 'c0ffee00-0000-4000-8000-000000000000',
      });
    });

    test('the deployment depends on the gateway responses (they take effect when deployed)', () => {
      const deployments = template.findResources('AWS::ApiGateway::Deployment');
      const [deployment] = Object.values(deployments);
      const responseIds = Object.keys(template.findResources('AWS::ApiGateway::GatewayResponse'));
      expect(deployment.DependsOn).toEqual(expect.arrayContaining(responseIds));
    });
  });

  test('with CORS and a type base URI: the CORS headers on every response', () => {
    // GIVEN
    const { stack, api } = newApi();
    // WHEN
    const errors = new ProblemGatewayResponses(stack, 'Errors', {
      restApi: api,
      typeBaseUri: 'https://errors.example.com/problems/',
      cors: { allowOrigins: ['https://app.example.com'], allowCredentials: true, exposeHeaders: ['X-Request-Id'] },
      responseHeaders: { 'X-Frame-Options': "'DENY'" },
    });
    // THEN
    const template = Template.fromStack(stack);
    const responses = Object.values(template.findResources('AWS::ApiGateway::GatewayResponse'));
    expect(responses).toHaveLength(EXPECTED.length);
    for (const response of responses) {
      expect(response.Properties.ResponseParameters).toEqual({
        'gatewayresponse.header.Content-Type': "'application/problem+json'",
        'gatewayresponse.header.Cache-Control': "'no-store'",
        'gatewayresponse.header.Access-Control-Allow-Origin': "'https://app.example.com'",
        'gatewayresponse.header.Access-Control-Allow-Credentials': "'true'",
        'gatewayresponse.header.Access-Control-Expose-Headers': "'X-Request-Id'",
        'gatewayresponse.header.Vary': "'Origin'",
        'gatewayresponse.header.X-Frame-Options': "'DENY'",
      });
    }
    template.hasResourceProperties('AWS::ApiGateway::GatewayResponse', {
      ResponseType: 'UNAUTHORIZED',
      StatusCode: '401',
      ResponseTemplates: {
        'application/problem+json':
          '{"type":"https://errors.example.com/problems/UNAUTHORIZED","title":"Unauthorized","status":401,"detail":$context.error.messageString,"instance":"$context.requestId"}',
      },
    });
    expect(Object.keys(errors.responses)).toHaveLength(EXPECTED.length);
    expect(errors.responses.THROTTLED).toBeInstanceOf(apigateway.GatewayResponse);
  });

  test('with several origins: the request origin', () => {
    const { stack, api } = newApi();
    new ProblemGatewayResponses(stack, 'Errors', {
      restApi: api,
      cors: { allowOrigins: ['https://a.example.com', 'https://b.example.com'] },
    });
    Template.fromStack(stack).hasResourceProperties('AWS::ApiGateway::GatewayResponse', {
      ResponseType: 'THROTTLED',
      ResponseParameters: {
        'gatewayresponse.header.Access-Control-Allow-Origin': 'method.request.header.Origin',
        'gatewayresponse.header.Vary': "'Origin'",
      },
    });
  });

  test('docs/gateway-errors.md, the default type URI, documents every type with its status', () => {
    const doc = fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'gateway-errors.md'), 'utf8');
    for (const [type, status, title] of EXPECTED) {
      expect(doc).toContain(`<a id="${type}"></a>`);
      expect(doc).toContain(`| [\`${type}\`](#${type}) | ${status ?? "the underlying error's"} | ${title} |`);
    }
  });

  describe('validation', () => {
    test('rejects a type base URI that is not an absolute URI', () => {
      const { stack, api } = newApi();
      expect(() => new ProblemGatewayResponses(stack, 'Errors', { restApi: api, typeBaseUri: 'errors/"x"' })).toThrow(
        '`typeBaseUri` must be an absolute URI without spaces, quotes or backslashes (e.g. `https://example.com/problems#`), got: errors/"x".',
      );
    });

    test('rejects bad CORS options, naming the prop', () => {
      const { stack, api } = newApi();
      expect(
        () =>
          new ProblemGatewayResponses(stack, 'Errors', {
            restApi: api,
            cors: { allowOrigins: ['*'], allowCredentials: true },
          }),
      ).toThrow(
        "`cors.allowCredentials` can't be true with the '*' origin (browsers reject credentialed responses to any origin), got: allowOrigins ['*'] with allowCredentials true.",
      );
    });
  });
});
