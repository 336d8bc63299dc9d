import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { buildGtucApp } from '../../example/app';

describe('the example allowed origins', () => {
  test('context `allowedOrigins` turns on CORS at the gateway and tells the service', () => {
    // GIVEN / WHEN
    const app = new App({
      context: { networkModes: 'awsvpc', allowedOrigins: 'https://catalog.gtuc.example, http://localhost:5173' },
    });
    const { services } = buildGtucApp(app);
    const template = Template.fromStack(services[0]);
    // THEN
    template.hasResourceProperties('AWS::ApiGateway::Method', {
      HttpMethod: 'OPTIONS',
      AuthorizationType: 'NONE',
      Integration: Match.objectLike({
        Type: 'MOCK',
        IntegrationResponses: [
          Match.objectLike({
            StatusCode: '204',
            ResponseParameters: Match.objectLike({
              'method.response.header.Access-Control-Allow-Origin': "'https://catalog.gtuc.example'",
            }),
          }),
        ],
      }),
    });
    template.hasResourceProperties('AWS::ApiGateway::GatewayResponse', {
      ResponseType: 'THROTTLED',
      ResponseParameters: Match.objectLike({
        'gatewayresponse.header.Access-Control-Allow-Origin': 'method.request.header.Origin',
        'gatewayresponse.header.Access-Control-Expose-Headers': "'X-Request-Id,ETag,Link,Retry-After'",
      }),
    });
    template.hasResourceProperties('AWS::ECS::TaskDefinition', {
      ContainerDefinitions: [
        Match.objectLike({
          Environment: Match.arrayWith([
            { Name: 'CORS_ALLOWED_ORIGINS', Value: 'https://catalog.gtuc.example,http://localhost:5173' },
          ]),
        }),
      ],
    });
  });

  test('without the context: no preflight at the gateway, OPTIONS goes to the service', () => {
    const { services } = buildGtucApp(new App({ context: { networkModes: 'awsvpc' } }));
    const template = Template.fromStack(services[0]);
    const options = Object.values(template.findResources('AWS::ApiGateway::Method')).filter(
      (m) => m.Properties.HttpMethod === 'OPTIONS',
    );
    expect(options.map((m) => m.Properties.Integration.Type)).toEqual(['HTTP_PROXY', 'HTTP_PROXY']);
  });

  test('a bad origin fails synth naming it', () => {
    expect(() =>
      buildGtucApp(new App({ context: { networkModes: 'awsvpc', allowedOrigins: 'catalog.gtuc.example' } })),
    ).toThrow(
      "`cors.allowOrigins[0]` must be an origin (a lower-case `scheme://host[:port]` with no path, trailing slash or wildcard, e.g. `https://app.example.com`) or '*', got: catalog.gtuc.example.",
    );
  });
});
