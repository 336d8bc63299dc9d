import { Duration } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { ApiAuthorizationType, AuthorizationScope, GeoWebAcl, PrivateRestApi, VpcLinkVersion } from '../../src';
import { idOf, newStack, resourcesOf, sharedParts } from '../parts/fixtures';

/** The properties of every `AWS::ApiGateway::Method` of a template. */
function methods(template: Template): Array<any> {
  return resourcesOf(template, 'AWS::ApiGateway::Method').map(([, p]) => p);
}

function frontDoor(options: { v2?: boolean } = {}) {
  const stack = newStack();
  const parts = sharedParts(stack, { nlb: options.v2 ? { vpcLinkVersion: VpcLinkVersion.V2 } : {} });
  const api = new PrivateRestApi(stack, 'Api', { cloudWatchRole: false, webAclArn: WEB_ACL_ARN });
  const itemsRoute = api.addRoute('/items', parts.nlb.addService(parts.items, { port: 8081 }));
  const ordersRoute = api.addRoute('/orders', parts.nlb.addService(parts.orders, { port: 8082 }), {
    stripPrefix: true,
    authorization: { type: ApiAuthorizationType.NONE },
    throttling: { rateLimit: 20, burstLimit: 40 },
    integrationTimeout: Duration.seconds(5),
  });
  return { stack, ...parts, api, itemsRoute, ordersRoute, template: Template.fromStack(stack) };
}

const WEB_ACL_ARN = 'arn:aws:wafv2:us-east-2:123456789012:regional/webacl/items/abc';

describe('PrivateRestApi', () => {
  describe('GIVEN /items (kept prefix) and /orders (stripped) on one NLB WHEN synthesized', () => {
    const { stack, nlb, api, itemsRoute, ordersRoute, template } = frontDoor();
    const dns = { 'Fn::GetAtt': [idOf(stack, nlb.loadBalancer as any), 'DNSName'] };
    const uri = (suffix: string) => ({ 'Fn::Join': ['', ['http://', dns, suffix]] });
    const link = { Ref: stack.getLogicalId((nlb.vpcLink as any).vpcLink.node.defaultChild) };

    test('THEN one REGIONAL API, one stage, one V1 link shared by both routes', () => {
      template.resourceCountIs('AWS::ApiGateway::RestApi', 1);
      template.hasResourceProperties('AWS::ApiGateway::RestApi', { EndpointConfiguration: { Types: ['REGIONAL'] } });
      template.resourceCountIs('AWS::ApiGateway::Stage', 1);
      template.resourceCountIs('AWS::ApiGateway::VpcLink', 1);
      const linked = methods(template).filter((m) => m.Integration.ConnectionType === 'VPC_LINK');
      expect(linked.length).toBe(7 * 2 + 2); // /items: 7 verbs × 2 resources; /orders: ANY × 2
      expect(new Set(linked.map((m) => JSON.stringify(m.Integration.ConnectionId)))).toEqual(
        new Set([JSON.stringify(link)]),
      );
      expect(api.routes).toEqual([itemsRoute, ordersRoute]);
    });

    test('THEN /items keeps its prefix and its port in the integration URIs', () => {
      template.hasResourceProperties('AWS::ApiGateway::Method', {
        HttpMethod: 'GET',
        ResourceId: stack.resolve(itemsRoute.resource.resourceId),
        Integration: Match.objectLike({ Type: 'HTTP_PROXY', Uri: uri(':8081/items'), ConnectionId: link }),
      });
      template.hasResourceProperties('AWS::ApiGateway::Method', {
        HttpMethod: 'GET',
        ResourceId: stack.resolve(itemsRoute.proxyResource.resourceId),
        RequestParameters: { 'method.request.path.proxy': true },
        Integration: Match.objectLike({
          Uri: uri(':8081/items/{proxy}'),
          RequestParameters: {
            'integration.request.header.x-request-id': 'context.requestId',
            'integration.request.path.proxy': 'method.request.path.proxy',
          },
        }),
      });
    });

    test('THEN /orders strips its prefix, has its own timeout and no authorization', () => {
      template.hasResourceProperties('AWS::ApiGateway::Method', {
        HttpMethod: 'ANY',
        AuthorizationType: 'NONE',
        ResourceId: stack.resolve(ordersRoute.resource.resourceId),
        Integration: Match.objectLike({ Uri: uri(':8082/'), TimeoutInMillis: 5000 }),
      });
      template.hasResourceProperties('AWS::ApiGateway::Method', {
        HttpMethod: 'ANY',
        ResourceId: stack.resolve(ordersRoute.proxyResource.resourceId),
        Integration: Match.objectLike({ Uri: uri(':8082/{proxy}') }),
      });
    });

    test('THEN /items uses the API default: reads public, writes IAM', () => {
      const ofItems = methods(template).filter(
        (m) => JSON.stringify(m.ResourceId) === JSON.stringify(stack.resolve(itemsRoute.resource.resourceId)),
      );
      expect(Object.fromEntries(ofItems.map((m) => [m.HttpMethod, m.AuthorizationType]))).toEqual({
        GET: 'NONE',
        HEAD: 'NONE',
        OPTIONS: 'NONE',
        POST: 'AWS_IAM',
        PUT: 'AWS_IAM',
        PATCH: 'AWS_IAM',
        DELETE: 'AWS_IAM',
      });
    });

    test('THEN unrouted paths answer 404 from MOCK methods on the root and its {proxy+}', () => {
      expect(api.notFoundMethods.length).toBe(2);
      const mocks = methods(template).filter((m) => m.Integration.Type === 'MOCK');
      expect(mocks.length).toBe(2);
      for (const m of mocks) {
        expect(m.HttpMethod).toBe('ANY');
        // a problem-details body like the gateway's own errors (issue 11)
        expect(m.Integration.IntegrationResponses).toEqual([
          {
            StatusCode: '404',
            ResponseParameters: {
              'method.response.header.Content-Type': "'application/problem+json'",
              'method.response.header.Cache-Control': "'no-store'",
            },
            ResponseTemplates: {
              'application/json':
                '{"type":"https://github.com/gtuc/cdk-privatelink-ecs/blob/main/docs/gateway-errors.md#NOT_FOUND","title":"Not found","status":404,"detail":"No route matches the request path.","instance":"$context.requestId"}',
            },
          },
        ]);
        expect(m.MethodResponses).toEqual([
          {
            StatusCode: '404',
            ResponseParameters: {
              'method.response.header.Content-Type': true,
              'method.response.header.Cache-Control': true,
            },
          },
        ]);
      }
    });

    test('THEN /orders is throttled by a stage method setting on both of its resources', () => {
      template.hasResourceProperties('AWS::ApiGateway::Stage', {
        MethodSettings: Match.arrayWith([
          { ResourcePath: '/~1orders', HttpMethod: '*', ThrottlingRateLimit: 20, ThrottlingBurstLimit: 40 },
          { ResourcePath: '/~1orders~1{proxy+}', HttpMethod: '*', ThrottlingRateLimit: 20, ThrottlingBurstLimit: 40 },
        ]),
      });
    });

    test('THEN the web ACL is associated with the stage', () => {
      template.hasResourceProperties('AWS::WAFv2::WebACLAssociation', { WebACLArn: WEB_ACL_ARN });
    });
  });

  test('GIVEN a V2 link WHEN routed THEN every method connects through it and targets the NLB', () => {
    const { stack, nlb, template } = frontDoor({ v2: true });
    const linked = methods(template).filter((m) => m.Integration.ConnectionType === 'VPC_LINK');
    expect(linked.length).toBe(16);
    for (const m of linked) {
      expect(m.Integration.ConnectionId).toEqual({ Ref: stack.getLogicalId((nlb.vpcLink as any).cfnVpcLink) });
      expect(m.Integration.IntegrationTarget).toEqual({ Ref: idOf(stack, nlb.loadBalancer as any) });
    }
    template.resourceCountIs('AWS::ApiGatewayV2::VpcLink', 1);
  });

  test('GIVEN Cognito on one route WHEN routed THEN only that route has the authorizer', () => {
    const stack = newStack();
    const { items, nlb } = sharedParts(stack);
    const pool = new cognito.UserPool(stack, 'Pool');
    const api = new PrivateRestApi(stack, 'Api', { cloudWatchRole: false });
    api.addRoute('/items', nlb.addService(items, { port: 8081 }), {
      authorization: { type: ApiAuthorizationType.COGNITO, scope: AuthorizationScope.ALL_METHODS, userPools: [pool] },
    });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::ApiGateway::Authorizer', 1);
    const routed = methods(template).filter((m) => m.Integration.Type === 'HTTP_PROXY');
    expect(routed.map((m) => [m.HttpMethod, m.AuthorizationType])).toEqual([
      ['ANY', 'COGNITO_USER_POOLS'],
      ['ANY', 'COGNITO_USER_POOLS'],
    ]);
  });

  test('GIVEN the defaults WHEN synthesized THEN the account CloudWatch role is created with a warning, and no web ACL warns', () => {
    const stack = newStack();
    const { items, nlb } = sharedParts(stack);
    const api = new PrivateRestApi(stack, 'Api');
    api.addRoute('/', nlb.addService(items, { port: 80 }));
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::ApiGateway::Account', 1);
    template.hasResourceProperties('AWS::ApiGateway::Stage', {
      StageName: 'prod',
      MethodSettings: [Match.objectLike({ LoggingLevel: 'INFO', ResourcePath: '/*', HttpMethod: '*' })],
    });
    const annotations = Annotations.fromStack(stack);
    annotations.hasWarning('/Parts/Api', Match.stringLikeRegexp('@gtuc/cdk-privatelink-ecs:accountCloudWatchRole'));
    annotations.hasWarning('/Parts/Api', Match.stringLikeRegexp('@gtuc/cdk-privatelink-ecs:noWebAcl'));
    // The root route owns the whole API: no 404 catch-all.
    expect(api.notFoundMethods).toEqual([]);
  });

  test('GIVEN a GeoWebAcl WHEN passed as webAcl THEN its ARN is associated', () => {
    const stack = newStack();
    const { items, nlb } = sharedParts(stack);
    const acl = new GeoWebAcl(stack, 'Acl');
    const api = new PrivateRestApi(stack, 'Api', { cloudWatchRole: false, webAcl: acl.webAcl });
    api.addRoute('/items', nlb.addService(items, { port: 80 }));
    Template.fromStack(stack).hasResourceProperties('AWS::WAFv2::WebACLAssociation', {
      WebACLArn: { 'Fn::GetAtt': [stack.getLogicalId(acl.webAcl), 'Arn'] },
    });
  });

  test('GIVEN existingRestApi WHEN routed THEN only resources and methods are added', () => {
    const stack = newStack();
    const { items, nlb } = sharedParts(stack);
    const existing = apigateway.RestApi.fromRestApiAttributes(stack, 'Existing', {
      restApiId: 'abc123',
      rootResourceId: 'root456',
    });
    const api = new PrivateRestApi(stack, 'Api', { existingRestApi: existing });
    api.addRoute('/items', nlb.addService(items, { port: 80 }));
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::ApiGateway::RestApi', 0);
    template.resourceCountIs('AWS::ApiGateway::Stage', 0);
    template.resourceCountIs('AWS::ApiGateway::Deployment', 0);
    template.resourceCountIs('AWS::ApiGateway::UsagePlan', 0);
    template.resourceCountIs('AWS::ApiGateway::Account', 0);
    template.hasResourceProperties('AWS::ApiGateway::Resource', {
      RestApiId: 'abc123',
      ParentId: 'root456',
      PathPart: 'items',
    });
    expect(api.notFoundMethods).toEqual([]);
    expect(api.deploymentStage).toBeUndefined();
  });

  describe('bad input', () => {
    function withRoutes() {
      const stack = newStack();
      const { items, orders, nlb } = sharedParts(stack);
      const api = new PrivateRestApi(stack, 'Api', { cloudWatchRole: false });
      return {
        stack,
        api,
        items: nlb.addService(items, { port: 8081 }),
        orders: nlb.addService(orders, { port: 8082 }),
      };
    }

    test.each([
      ['items', "`path` must be '/' or '/segment[/segment…]' of letters, digits and . _ ~ -, got: 'items'."],
      ['/items/', "`path` must be '/' or '/segment[/segment…]' of letters, digits and . _ ~ -, got: '/items/'."],
      ['/{proxy+}', "`path` must be '/' or '/segment[/segment…]' of letters, digits and . _ ~ -, got: '/{proxy+}'."],
      ['/a//b', "`path` must be '/' or '/segment[/segment…]' of letters, digits and . _ ~ -, got: '/a//b'."],
    ])('GIVEN the path %s THEN synth fails naming `path`', (path, message) => {
      const { api, items } = withRoutes();
      expect(() => api.addRoute(path, items)).toThrow(message);
    });

    test('GIVEN the same prefix twice THEN synth fails', () => {
      const { api, items, orders } = withRoutes();
      api.addRoute('/items', items);
      expect(() => api.addRoute('/items', orders)).toThrow(
        "`path` '/items' is already routed: each request must match exactly one route.",
      );
    });

    test('GIVEN overlapping prefixes THEN synth fails', () => {
      const { api, items, orders } = withRoutes();
      api.addRoute('/shop/items', items);
      expect(() => api.addRoute('/shop', orders)).toThrow(
        "`path` '/shop' overlaps the route '/shop/items': each request must match exactly one route.",
      );
    });

    test('GIVEN a root route and another THEN synth fails', () => {
      const { api, items, orders } = withRoutes();
      api.addRoute('/', items);
      expect(() => api.addRoute('/orders', orders)).toThrow(
        "`path` '/orders' overlaps the route '/': each request must match exactly one route.",
      );
    });

    test('GIVEN existingRestApi and stageName THEN synth fails naming `stageName`', () => {
      const stack = newStack();
      const existing = apigateway.RestApi.fromRestApiId(stack, 'Existing', 'abc123');
      expect(() => new PrivateRestApi(stack, 'Api', { existingRestApi: existing, stageName: 'v1' })).toThrow(
        "`stageName` configures a new REST API and can't be combined with `existingRestApi`; configure your API and stage yourself.",
      );
    });

    test('GIVEN existingRestApi and a web ACL without a stage THEN synth fails naming `stage`', () => {
      const stack = newStack();
      const existing = apigateway.RestApi.fromRestApiId(stack, 'Existing', 'abc123');
      expect(() => new PrivateRestApi(stack, 'Api', { existingRestApi: existing, webAclArn: WEB_ACL_ARN })).toThrow(
        '`stage` is required with `existingRestApi` to associate the web ACL, got: no stage.',
      );
    });

    test('GIVEN route throttling on an existing API THEN synth fails naming `throttling`', () => {
      const stack = newStack();
      const { items, nlb } = sharedParts(stack);
      const existing = apigateway.RestApi.fromRestApiAttributes(stack, 'Existing', {
        restApiId: 'abc123',
        rootResourceId: 'root456',
      });
      const api = new PrivateRestApi(stack, 'Api', { existingRestApi: existing });
      expect(() =>
        api.addRoute('/items', nlb.addService(items, { port: 80 }), { throttling: { rateLimit: 5 } }),
      ).toThrow(
        '`throttling` of a route needs a stage the construct owns; with `existingRestApi`, set method throttling on your stage.',
      );
    });

    test('GIVEN webAcl and webAclArn THEN synth fails', () => {
      const stack = newStack();
      const acl = new GeoWebAcl(stack, 'Acl');
      expect(() => new PrivateRestApi(stack, 'Api', { webAcl: acl.webAcl, webAclArn: WEB_ACL_ARN })).toThrow(
        "`webAcl` and `webAclArn` both name the stage's web ACL: set one of them.",
      );
    });

    test('GIVEN a route timeout of 30 s THEN synth fails naming `integrationTimeout`', () => {
      const { api, items } = withRoutes();
      expect(() => api.addRoute('/items', items, { integrationTimeout: Duration.seconds(30) })).toThrow(
        '`integrationTimeout` must be between 50 ms and 29 s, got: 30000 ms.',
      );
    });

    test('GIVEN no route THEN synth fails', () => {
      const stack = newStack();
      new PrivateRestApi(stack, 'Api', { cloudWatchRole: false });
      expect(() => Template.fromStack(stack)).toThrow(
        /The front door has no routes: call `addRoute\(\)` at least once./,
      );
    });
  });
});
