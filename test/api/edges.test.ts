import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { CorsPreflight, TlsSecurityPolicy } from '../../src/api';
import { applyEdges, EdgeProps } from '../../src/api/private/edges';

const CERT_ARN = 'arn:aws:acm:us-east-2:111111111111:certificate/11111111-2222-3333-4444-555555555555';

function frontDoor(props: (stack: Stack) => EdgeProps) {
  const app = new App();
  const stack = new Stack(app, 'TestStack', { env: { account: '111111111111', region: 'us-east-2' } });
  const api = new apigateway.RestApi(stack, 'Api', { endpointTypes: [apigateway.EndpointType.REGIONAL] });
  const items = api.root.addResource('items');
  items.addMethod('GET');
  const edgeProps = props(stack);
  const edges = applyEdges(stack, api, api.deploymentStage, apigateway.EndpointType.REGIONAL, edgeProps);
  if (edgeProps.cors) CorsPreflight.addTo(items, edgeProps.cors);
  return { stack, edges, template: Template.fromStack(stack) };
}

describe('front door edges', () => {
  test('by default: TLS 1.2 + 1.3 with forward secrecy on the execute-api endpoint, problem-details errors', () => {
    const { template, edges } = frontDoor(() => ({}));
    template.hasResourceProperties('AWS::ApiGateway::RestApi', {
      SecurityPolicy: 'SecurityPolicy_TLS13_1_2_PFS_PQ_2025_09',
      EndpointAccessMode: 'STRICT',
      DisableExecuteApiEndpoint: Match.absent(),
    });
    template.resourceCountIs('AWS::ApiGateway::GatewayResponse', 21);
    template.resourceCountIs('AWS::ApiGateway::DomainName', 0);
    expect(edges.customDomain).toBeUndefined();
  });

  test('one security policy for both endpoints, CORS, and the execute-api endpoint disabled', () => {
    const { template, stack } = frontDoor((s) => ({
      securityPolicy: TlsSecurityPolicy.TLS13_1_3_2025_09,
      cors: { allowOrigins: ['https://app.example.com'] },
      disableExecuteApiEndpoint: true,
      customDomain: {
        domainName: 'api.example.com',
        certificate: acm.Certificate.fromCertificateArn(s, 'Cert', CERT_ARN),
        securityPolicy: TlsSecurityPolicy.TLS13_1_3_2025_09,
      },
    }));
    template.hasResourceProperties('AWS::ApiGateway::RestApi', {
      SecurityPolicy: 'SecurityPolicy_TLS13_1_3_2025_09',
      EndpointAccessMode: 'STRICT',
      DisableExecuteApiEndpoint: true,
    });
    template.hasResourceProperties('AWS::ApiGateway::DomainName', {
      SecurityPolicy: 'SecurityPolicy_TLS13_1_3_2025_09',
      EndpointAccessMode: 'STRICT',
    });
    template.hasResourceProperties('AWS::ApiGateway::Method', { HttpMethod: 'OPTIONS', AuthorizationType: 'NONE' });
    template.hasResourceProperties('AWS::ApiGateway::GatewayResponse', {
      ResponseType: 'THROTTLED',
      ResponseParameters: Match.objectLike({
        'gatewayresponse.header.Access-Control-Allow-Origin': "'https://app.example.com'",
      }),
    });
    Annotations.fromStack(stack).hasNoWarning('*', Match.anyValue());
  });

  test('mutual TLS with the execute-api endpoint disabled raises no warning', () => {
    const { stack } = frontDoor((s) => ({
      disableExecuteApiEndpoint: true,
      customDomain: {
        domainName: 'api.example.com',
        certificate: acm.Certificate.fromCertificateArn(s, 'Cert', CERT_ARN),
        mutualTls: {
          truststoreBucket: s3.Bucket.fromBucketName(s, 'T', 'example-truststore'),
          truststoreKey: 'ca.pem',
        },
      },
    }));
    Annotations.fromStack(stack).hasNoWarning('*', Match.anyValue());
  });

  test('rejects disabling the execute-api endpoint without a custom domain', () => {
    expect(() => frontDoor(() => ({ disableExecuteApiEndpoint: true }))).toThrow(
      '`disableExecuteApiEndpoint` requires `customDomain` (without one the API would have no endpoint left), got: disableExecuteApiEndpoint true and no customDomain.',
    );
  });

  test('rejects a TLS policy the endpoint type does not accept', () => {
    expect(() => frontDoor(() => ({ securityPolicy: TlsSecurityPolicy.TLS12_PFS_2025_EDGE }))).toThrow(
      '`securityPolicy` SecurityPolicy_TLS12_PFS_2025_EDGE is not accepted by REGIONAL endpoints (it is for EDGE), got: SecurityPolicy_TLS12_PFS_2025_EDGE for endpoint type REGIONAL.',
    );
  });
});
