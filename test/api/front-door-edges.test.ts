import { Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import {
  ApiAuthorizationType,
  AuthorizationScope,
  PrivateRestApi,
  PrivateRestApiProps,
  TlsSecurityPolicy,
} from '../../src';
import { newStack, sharedParts } from '../parts/fixtures';

const CERT_ARN = 'arn:aws:acm:us-east-2:123456789012:certificate/11111111-2222-3333-4444-555555555555';
const CORS = { allowOrigins: ['https://app.example.com'], allowCredentials: true };

function frontDoor(props: (stack: Stack) => PrivateRestApiProps) {
  const stack = newStack();
  const { items, orders, nlb } = sharedParts(stack);
  const api = new PrivateRestApi(stack, 'Api', { cloudWatchRole: false, ...props(stack) });
  api.addRoute('/items', nlb.addService(items, { port: 8081 }));
  api.addRoute('/orders', nlb.addService(orders, { port: 8082 }), {
    authorization: { type: ApiAuthorizationType.IAM, scope: AuthorizationScope.ALL_METHODS },
  });
  return { stack, api, template: Template.fromStack(stack) };
}

/** The methods of a template as '<PathPart of the resource> <verb>' → properties. */
function methods(template: Template): Record<string, any> {
  const resources = template.findResources('AWS::ApiGateway::Resource');
  const out: Record<string, any> = {};
  for (const m of Object.values(template.findResources('AWS::ApiGateway::Method'))) {
    const ref = m.Properties.ResourceId.Ref;
    const res = resources[ref];
    const parent = res?.Properties.ParentId.Ref ? resources[res.Properties.ParentId.Ref]?.Properties.PathPart : '';
    const path = res ? `${parent ? parent + '/' : ''}${res.Properties.PathPart}` : '/';
    out[`${path} ${m.Properties.HttpMethod}`] = m.Properties;
  }
  return out;
}

describe('PrivateRestApi edges', () => {
  test('by default: the execute-api endpoint takes TLS 1.2 + 1.3 with forward secrecy, errors are problem details', () => {
    const { template, api } = frontDoor(() => ({}));
    template.hasResourceProperties('AWS::ApiGateway::RestApi', {
      SecurityPolicy: 'SecurityPolicy_TLS13_1_2_PFS_PQ_2025_09',
      EndpointAccessMode: 'STRICT',
      DisableExecuteApiEndpoint: Match.absent(),
    });
    template.resourceCountIs('AWS::ApiGateway::GatewayResponse', 21);
    template.hasResourceProperties('AWS::ApiGateway::GatewayResponse', {
      ResponseType: 'THROTTLED',
      StatusCode: '429',
      ResponseParameters: {
        'gatewayresponse.header.Content-Type': "'application/problem+json'",
        'gatewayresponse.header.Cache-Control': "'no-store'",
      },
    });
    // without CORS, OPTIONS is proxied to the service like any read
    expect(methods(template)['items OPTIONS'].Integration.Type).toBe('HTTP_PROXY');
    expect(api.preflightMethods).toEqual([]);
    expect(api.securityPolicy).toBe(TlsSecurityPolicy.TLS13_1_2_PFS_PQ_2025_09);
  });

  test('with CORS: every route answers preflight as a MOCK with no authorization, the gateway errors carry CORS', () => {
    const { template, api } = frontDoor(() => ({ cors: CORS }));
    const all = methods(template);
    for (const path of ['items', 'items/{proxy+}', 'orders', 'orders/{proxy+}']) {
      expect(all[`${path} OPTIONS`]).toMatchObject({
        AuthorizationType: 'NONE',
        ApiKeyRequired: false,
        Integration: {
          Type: 'MOCK',
          IntegrationResponses: [
            {
              StatusCode: '204',
              ResponseParameters: {
                'method.response.header.Access-Control-Allow-Origin': "'https://app.example.com'",
                'method.response.header.Access-Control-Allow-Credentials': "'true'",
                'method.response.header.Access-Control-Max-Age': "'7200'",
                'method.response.header.Vary': "'Origin'",
              },
            },
          ],
        },
      });
    }
    // /orders is IAM on ANY: the explicit OPTIONS overrides ANY for preflights; the ANY stays IAM
    expect(all['orders ANY'].AuthorizationType).toBe('AWS_IAM');
    // the only MOCKs: the preflights and the 404 for unrouted paths
    const mocks = Object.entries(all)
      .filter(([, m]) => m.Integration.Type === 'MOCK')
      .map(([k]) => k)
      .sort();
    expect(mocks).toEqual(
      [
        '/ ANY',
        '{proxy+} ANY',
        'items OPTIONS',
        'items/{proxy+} OPTIONS',
        'orders OPTIONS',
        'orders/{proxy+} OPTIONS',
      ].sort(),
    );
    expect(api.preflightMethods).toHaveLength(4);
    template.hasResourceProperties('AWS::ApiGateway::GatewayResponse', {
      ResponseType: 'UNAUTHORIZED',
      ResponseParameters: Match.objectLike({
        'gatewayresponse.header.Access-Control-Allow-Origin': "'https://app.example.com'",
        'gatewayresponse.header.Access-Control-Allow-Credentials': "'true'",
      }),
    });
  });

  test('the 404 for unrouted paths is problem details with the CORS headers; several origins are echoed', () => {
    const { template } = frontDoor(() => ({
      cors: { allowOrigins: ['https://app.example.com', 'http://localhost:5173'], exposeHeaders: ['X-Request-Id'] },
      problemTypeBaseUri: 'https://errors.example.com/',
    }));
    const notFound = methods(template)['/ ANY'];
    expect(notFound.Integration.IntegrationResponses).toEqual([
      {
        StatusCode: '404',
        ResponseParameters: {
          'method.response.header.Content-Type': "'application/problem+json'",
          'method.response.header.Cache-Control': "'no-store'",
          'method.response.header.Access-Control-Allow-Origin': "'https://app.example.com'",
          'method.response.header.Access-Control-Expose-Headers': "'X-Request-Id'",
          'method.response.header.Vary': "'Origin'",
        },
        ResponseTemplates: {
          'application/json': [
            '#set($origin = $input.params().header.get("Origin"))',
            '#if($origin == "")#set($origin = $input.params().header.get("origin"))#end',
            '#if($origin == "https://app.example.com" || $origin == "http://localhost:5173")',
            '#set($context.responseOverride.header.Access-Control-Allow-Origin = $origin)',
            '#end',
            '{"type":"https://errors.example.com/NOT_FOUND","title":"Not found","status":404,"detail":"No route matches the request path.","instance":"$context.requestId"}',
          ].join('\n'),
        },
      },
    ]);
    expect(notFound.MethodResponses[0].ResponseParameters).toEqual({
      'method.response.header.Content-Type': true,
      'method.response.header.Cache-Control': true,
      'method.response.header.Access-Control-Allow-Origin': true,
      'method.response.header.Access-Control-Expose-Headers': true,
      'method.response.header.Vary': true,
    });
    template.hasResourceProperties('AWS::ApiGateway::GatewayResponse', {
      ResponseType: 'THROTTLED',
      ResponseTemplates: Match.objectLike({
        'application/problem+json': Match.stringLikeRegexp('"type":"https://errors.example.com/THROTTLED"'),
      }),
    });
  });

  test('a custom domain with the front door TLS 1.3 only on both endpoints, execute-api disabled', () => {
    const { template, api } = frontDoor((stack) => ({
      securityPolicy: TlsSecurityPolicy.TLS13_1_3_2025_09,
      disableExecuteApiEndpoint: true,
      customDomain: {
        domainName: 'api.example.com',
        certificate: acm.Certificate.fromCertificateArn(stack, 'Cert', CERT_ARN), // takes the API's policy
      },
    }));
    template.hasResourceProperties('AWS::ApiGateway::RestApi', {
      SecurityPolicy: 'SecurityPolicy_TLS13_1_3_2025_09',
      EndpointAccessMode: 'STRICT',
      DisableExecuteApiEndpoint: true,
    });
    template.hasResourceProperties('AWS::ApiGateway::DomainName', {
      DomainName: 'api.example.com',
      RegionalCertificateArn: CERT_ARN,
      SecurityPolicy: 'SecurityPolicy_TLS13_1_3_2025_09',
      EndpointAccessMode: 'STRICT',
    });
    template.hasResourceProperties('AWS::ApiGateway::BasePathMapping', {
      RestApiId: { Ref: Match.stringLikeRegexp('^Api') },
      Stage: { Ref: Match.stringLikeRegexp('DeploymentStageprod') },
      BasePath: Match.absent(),
    });
    expect(api.customDomain?.url).toBe('https://api.example.com/');
  });

  test('with an existing REST API: problem-details errors and preflights, nothing else', () => {
    const stack = newStack();
    const { items, nlb } = sharedParts(stack);
    const existing = apigateway.RestApi.fromRestApiAttributes(stack, 'Existing', {
      restApiId: 'abc123',
      rootResourceId: 'root456',
    });
    const api = new PrivateRestApi(stack, 'Api', { existingRestApi: existing, cors: CORS, webAclArn: undefined });
    api.addRoute('/items', nlb.addService(items, { port: 8081 }));
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::ApiGateway::GatewayResponse', 21);
    template.hasResourceProperties('AWS::ApiGateway::GatewayResponse', { RestApiId: 'abc123' });
    template.hasResourceProperties('AWS::ApiGateway::Method', { HttpMethod: 'OPTIONS', RestApiId: 'abc123' });
    expect(api.securityPolicy).toBeUndefined();
  });

  test('a preflight max age above Chromium’s cap warns once', () => {
    const { stack } = frontDoor(() => ({ cors: { ...CORS, maxAge: Duration.hours(6) } }));
    const warnings = Annotations.fromStack(stack).findWarning(
      '*',
      Match.stringLikeRegexp('Chromium-based browsers cache a preflight for at most 7200 seconds'),
    );
    expect(warnings).toHaveLength(1);
  });

  describe('validation', () => {
    const cases: Array<[string, (stack: Stack) => PrivateRestApiProps, string]> = [
      [
        'disabling the execute-api endpoint without a custom domain',
        () => ({ disableExecuteApiEndpoint: true }),
        '`disableExecuteApiEndpoint` requires `customDomain` (without one the API would have no endpoint left), got: disableExecuteApiEndpoint true and no customDomain.',
      ],
      [
        'a TLS policy the endpoint type does not accept',
        () => ({ securityPolicy: TlsSecurityPolicy.TLS13_2025_EDGE }),
        '`securityPolicy` SecurityPolicy_TLS13_2025_EDGE is not accepted by REGIONAL endpoints (it is for EDGE), got: SecurityPolicy_TLS13_2025_EDGE for endpoint type REGIONAL.',
      ],
      [
        "'*' with credentials",
        () => ({ cors: { allowOrigins: ['*'], allowCredentials: true } }),
        "`cors.allowCredentials` can't be true with the '*' origin (browsers reject credentialed responses to any origin), got: allowOrigins ['*'] with allowCredentials true.",
      ],
      [
        'an origin with a path',
        () => ({ cors: { allowOrigins: ['https://app.example.com/app'] } }),
        "`cors.allowOrigins[0]` must be an origin (a lower-case `scheme://host[:port]` with no path, trailing slash or wildcard, e.g. `https://app.example.com`) or '*', got: https://app.example.com/app.",
      ],
      [
        'a certificate from another region',
        (stack) => ({
          customDomain: {
            domainName: 'api.example.com',
            certificate: acm.Certificate.fromCertificateArn(
              stack,
              'Cert',
              'arn:aws:acm:us-west-2:123456789012:certificate/11111111-2222-3333-4444-555555555555',
            ),
          },
        }),
        "`certificate` must be in the API's region us-east-2, got: a certificate in us-west-2 (arn:aws:acm:us-west-2:123456789012:certificate/11111111-2222-3333-4444-555555555555).",
      ],
    ];
    test.each(cases)('rejects %s', (_name, props, message) => {
      expect(() => frontDoor(props)).toThrow(message);
    });

    test('rejects the new-API edge props with an existing REST API', () => {
      const stack = newStack();
      const existing = apigateway.RestApi.fromRestApiAttributes(stack, 'Existing', {
        restApiId: 'abc123',
        rootResourceId: 'root456',
      });
      expect(
        () =>
          new PrivateRestApi(stack, 'Api', {
            existingRestApi: existing,
            securityPolicy: TlsSecurityPolicy.TLS13_1_3_2025_09,
          }),
      ).toThrow(
        "`securityPolicy` configures a new REST API and can't be combined with `existingRestApi`; configure your API and stage yourself.",
      );
    });
  });
});
