import { App, Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { CorsOptions, CorsPreflight } from '../../src/api';

function newApi(): { stack: Stack; api: apigateway.RestApi } {
  const app = new App();
  const stack = new Stack(app, 'TestStack', { env: { account: '111111111111', region: 'us-east-2' } });
  const api = new apigateway.RestApi(stack, 'Api', { deploy: false });
  return { stack, api };
}

const ONE_ORIGIN_HEADERS = {
  'method.response.header.Access-Control-Allow-Origin': "'https://app.example.com'",
  'method.response.header.Access-Control-Allow-Methods': "'GET,HEAD,POST,PUT,PATCH,DELETE'",
  'method.response.header.Access-Control-Allow-Headers':
    "'Content-Type,Authorization,X-Amz-Date,X-Amz-Security-Token,X-Amz-Content-Sha256,X-Api-Key'",
  'method.response.header.Access-Control-Max-Age': "'7200'",
  'method.response.header.Vary': "'Origin'",
};

describe('CorsPreflight', () => {
  test('adds OPTIONS as a MOCK integration with no authorization, answering 204 with the CORS headers', () => {
    // GIVEN
    const { stack, api } = newApi();
    // WHEN
    CorsPreflight.addTo(api.root.addResource('items'), { allowOrigins: ['https://app.example.com'] });
    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::ApiGateway::Method', {
      HttpMethod: 'OPTIONS',
      AuthorizationType: 'NONE',
      ApiKeyRequired: false,
      AuthorizerId: Match.absent(),
      RequestParameters: {},
      Integration: {
        Type: 'MOCK',
        RequestTemplates: { 'application/json': '{"statusCode": 204}' },
        IntegrationResponses: [
          { StatusCode: '204', ResponseParameters: ONE_ORIGIN_HEADERS, ResponseTemplates: Match.absent() },
        ],
      },
      MethodResponses: [
        {
          StatusCode: '204',
          ResponseParameters: Object.fromEntries(Object.keys(ONE_ORIGIN_HEADERS).map((k) => [k, true])),
        },
      ],
    });
  });

  test('ignores the resource default authorizer, API key and request parameters', () => {
    // GIVEN
    const { stack, api } = newApi();
    const pool = new cognito.UserPool(stack, 'Pool');
    const authorizer = new apigateway.CognitoUserPoolsAuthorizer(stack, 'Authorizer', { cognitoUserPools: [pool] });
    const items = api.root.addResource('items', {
      defaultMethodOptions: {
        authorizer,
        authorizationType: apigateway.AuthorizationType.COGNITO,
        apiKeyRequired: true,
        requestParameters: { 'method.request.header.X-Tenant': true },
      },
    });
    items.addMethod('GET');
    // WHEN
    CorsPreflight.addTo(items, { allowOrigins: ['https://app.example.com'] });
    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::ApiGateway::Method', {
      HttpMethod: 'OPTIONS',
      AuthorizationType: 'NONE',
      AuthorizerId: Match.absent(),
      ApiKeyRequired: false,
      RequestParameters: {},
    });
  });

  test('with several origins, echoes the request origin when it is allowed', () => {
    // GIVEN
    const { stack, api } = newApi();
    // WHEN
    CorsPreflight.addTo(api.root, {
      allowOrigins: ['https://app.example.com', 'http://localhost:3000'],
      allowMethods: ['GET', 'POST'],
      allowHeaders: ['Content-Type', 'X-Request-Id'],
      allowCredentials: true,
      maxAge: Duration.minutes(10),
    });
    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::ApiGateway::Method', {
      HttpMethod: 'OPTIONS',
      Integration: {
        IntegrationResponses: [
          {
            StatusCode: '204',
            ResponseParameters: {
              'method.response.header.Access-Control-Allow-Origin': "'https://app.example.com'",
              'method.response.header.Access-Control-Allow-Methods': "'GET,POST'",
              'method.response.header.Access-Control-Allow-Headers': "'Content-Type,X-Request-Id'",
              'method.response.header.Access-Control-Max-Age': "'600'",
              'method.response.header.Access-Control-Allow-Credentials': "'true'",
              'method.response.header.Vary': "'Origin'",
            },
            ResponseTemplates: {
              'application/json': [
                '#set($origin = $input.params().header.get("Origin"))',
                '#if($origin == "")#set($origin = $input.params().header.get("origin"))#end',
                '#if($origin == "https://app.example.com" || $origin == "http://localhost:3000")',
                '#set($context.responseOverride.header.Access-Control-Allow-Origin = $origin)',
                '#end',
              ].join('\n'),
            },
          },
        ],
      },
    });
  });

  test("the '*' origin answers '*' without Vary", () => {
    // GIVEN
    const { stack, api } = newApi();
    // WHEN
    CorsPreflight.addTo(api.root, { allowOrigins: ['*'] });
    // THEN
    const params = Template.fromStack(stack).findResources('AWS::ApiGateway::Method');
    const [method] = Object.values(params);
    expect(method.Properties.Integration.IntegrationResponses[0].ResponseParameters).toEqual({
      'method.response.header.Access-Control-Allow-Origin': "'*'",
      'method.response.header.Access-Control-Allow-Methods': "'GET,HEAD,POST,PUT,PATCH,DELETE'",
      'method.response.header.Access-Control-Allow-Headers':
        "'Content-Type,Authorization,X-Amz-Date,X-Amz-Security-Token,X-Amz-Content-Sha256,X-Api-Key'",
      'method.response.header.Access-Control-Max-Age': "'7200'",
    });
  });

  describe('gateway response headers', () => {
    test('one origin: static origin, Vary, credentials and exposed headers', () => {
      expect(
        CorsPreflight.gatewayResponseHeaders({
          allowOrigins: ['https://app.example.com'],
          allowCredentials: true,
          exposeHeaders: ['X-Request-Id', 'Retry-After'],
        }),
      ).toEqual({
        'Access-Control-Allow-Origin': "'https://app.example.com'",
        'Access-Control-Allow-Credentials': "'true'",
        'Access-Control-Expose-Headers': "'X-Request-Id,Retry-After'",
        Vary: "'Origin'",
      });
    });

    test('several origins: the request origin', () => {
      expect(
        CorsPreflight.gatewayResponseHeaders({ allowOrigins: ['https://a.example.com', 'https://b.example.com'] }),
      ).toEqual({ 'Access-Control-Allow-Origin': 'method.request.header.Origin', Vary: "'Origin'" });
    });

    test("the '*' origin", () => {
      expect(CorsPreflight.gatewayResponseHeaders({ allowOrigins: ['*'] })).toEqual({
        'Access-Control-Allow-Origin': "'*'",
      });
    });
  });

  describe('validation', () => {
    const cases: Array<[string, CorsOptions, string]> = [
      ['no origin', { allowOrigins: [] }, '`cors.allowOrigins` must list at least one origin, got: [].'],
      [
        'a path',
        { allowOrigins: ['https://app.example.com/path'] },
        "`cors.allowOrigins[0]` must be an origin (a lower-case `scheme://host[:port]` with no path, trailing slash or wildcard, e.g. `https://app.example.com`) or '*', got: https://app.example.com/path.",
      ],
      [
        'a trailing slash',
        { allowOrigins: ['https://ok.example.com', 'https://app.example.com/'] },
        "`cors.allowOrigins[1]` must be an origin (a lower-case `scheme://host[:port]` with no path, trailing slash or wildcard, e.g. `https://app.example.com`) or '*', got: https://app.example.com/.",
      ],
      [
        'a wildcard in the middle',
        { allowOrigins: ['https://*.example.com'] },
        "`cors.allowOrigins[0]` must be an origin (a lower-case `scheme://host[:port]` with no path, trailing slash or wildcard, e.g. `https://app.example.com`) or '*', got: https://*.example.com.",
      ],
      [
        'a missing scheme',
        { allowOrigins: ['app.example.com'] },
        "`cors.allowOrigins[0]` must be an origin (a lower-case `scheme://host[:port]` with no path, trailing slash or wildcard, e.g. `https://app.example.com`) or '*', got: app.example.com.",
      ],
      [
        'upper case',
        { allowOrigins: ['https://App.example.com'] },
        "`cors.allowOrigins[0]` must be an origin (a lower-case `scheme://host[:port]` with no path, trailing slash or wildcard, e.g. `https://app.example.com`) or '*', got: https://App.example.com.",
      ],
      [
        'a port above 65535',
        { allowOrigins: ['http://localhost:70000'] },
        '`cors.allowOrigins[0]` has a port above 65535, got: http://localhost:70000.',
      ],
      [
        "'*' with other origins",
        { allowOrigins: ['*', 'https://app.example.com'] },
        "`cors.allowOrigins` can't mix '*' with specific origins, got: [*, https://app.example.com].",
      ],
      [
        'a duplicate origin',
        { allowOrigins: ['https://app.example.com', 'https://app.example.com'] },
        '`cors.allowOrigins` lists an origin twice, got: https://app.example.com.',
      ],
      [
        "'*' with credentials",
        { allowOrigins: ['*'], allowCredentials: true },
        "`cors.allowCredentials` can't be true with the '*' origin (browsers reject credentialed responses to any origin), got: allowOrigins ['*'] with allowCredentials true.",
      ],
      [
        'a lower-case method',
        { allowOrigins: ['*'], allowMethods: ['GET', 'post'] },
        '`cors.allowMethods[1]` must be one of GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS (upper case), got: post.',
      ],
      [
        'a bad header name',
        { allowOrigins: ['*'], allowHeaders: ['X Custom'] },
        '`cors.allowHeaders[0]` must be a header name, got: X Custom.',
      ],
      [
        'a bad exposed header',
        { allowOrigins: ['*'], exposeHeaders: ['X-Ok', 'Bad:Header'] },
        '`cors.exposeHeaders[1]` must be a header name, got: Bad:Header.',
      ],
      [
        "'*' headers with credentials",
        { allowOrigins: ['https://app.example.com'], allowCredentials: true, allowHeaders: ['*'] },
        "`cors.allowHeaders` can't use the '*' wildcard with `allowCredentials` (browsers then read it as a header named '*'), got: [*].",
      ],
      [
        'a max age beyond 24 hours',
        { allowOrigins: ['https://app.example.com'], maxAge: Duration.hours(25) },
        '`cors.maxAge` must be at most 86400 seconds (24 hours, the most any browser caches a preflight), got: 90000 seconds.',
      ],
    ];
    test.each(cases)('rejects %s', (_name, options, message) => {
      // GIVEN
      const { api } = newApi();
      // WHEN / THEN
      expect(() => CorsPreflight.addTo(api.root, options)).toThrow(message);
    });

    test('names the given prop path', () => {
      const { stack } = newApi();
      expect(() => CorsPreflight.validate(stack, { allowOrigins: ['app.example.com'] }, 'browser')).toThrow(
        "`browser.allowOrigins[0]` must be an origin (a lower-case `scheme://host[:port]` with no path, trailing slash or wildcard, e.g. `https://app.example.com`) or '*', got: app.example.com.",
      );
    });

    test('accepts localhost with a port, IPv4, IPv6 and custom schemes', () => {
      const { stack } = newApi();
      expect(() =>
        CorsPreflight.validate(stack, {
          allowOrigins: [
            'http://localhost:3000',
            'http://127.0.0.1:8080',
            'http://[::1]:5173',
            'capacitor://localhost',
          ],
        }),
      ).not.toThrow();
    });

    test('warns about a max age above what Chromium honours', () => {
      // GIVEN
      const { stack, api } = newApi();
      // WHEN
      CorsPreflight.addTo(api.root, { allowOrigins: ['https://app.example.com'], maxAge: Duration.hours(12) });
      // THEN
      Annotations.fromStack(stack).hasWarning(
        '/TestStack/Api',
        Match.stringLikeRegexp(
          '`cors.maxAge` is 43200 seconds: Chromium-based browsers cache a preflight for at most 7200 seconds \\(2 hours\\), Firefox for up to 86400.',
        ),
      );
    });

    test('no warning at the default max age', () => {
      const { stack, api } = newApi();
      CorsPreflight.addTo(api.root, { allowOrigins: ['https://app.example.com'] });
      Annotations.fromStack(stack).hasNoWarning('*', Match.anyValue());
    });
  });
});
