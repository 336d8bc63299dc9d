import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { PrivateLinkEcsService, TlsSecurityPolicy } from '../../src';
import { IMAGE, newStack, newVpc } from '../service/fixtures';

const CERT_ARN = 'arn:aws:acm:us-east-2:123456789012:certificate/11111111-2222-3333-4444-555555555555';

describe('PrivateLinkEcsService edges', () => {
  test('the facade passes CORS, the TLS policy and the custom domain to its front door', () => {
    // GIVEN
    const { stack } = newStack();
    const vpc = newVpc(stack);
    // WHEN
    const items = new PrivateLinkEcsService(stack, 'Items', {
      vpc,
      image: IMAGE,
      cloudWatchRole: false,
      cors: { allowOrigins: ['https://app.example.com'] },
      securityPolicy: TlsSecurityPolicy.TLS13_1_3_2025_09,
      disableExecuteApiEndpoint: true,
      customDomain: {
        domainName: 'items.example.com',
        certificate: acm.Certificate.fromCertificateArn(stack, 'Cert', CERT_ARN),
        hostedZone: route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', {
          hostedZoneId: 'Z0123456789ABCDEFGHIJ',
          zoneName: 'example.com',
        }),
      },
    });
    // THEN
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::ApiGateway::RestApi', {
      SecurityPolicy: 'SecurityPolicy_TLS13_1_3_2025_09',
      EndpointAccessMode: 'STRICT',
      DisableExecuteApiEndpoint: true,
    });
    // the root route: preflight on `/` and `/{proxy+}`, not proxied to the service
    const options = Object.values(template.findResources('AWS::ApiGateway::Method')).filter(
      (m) => m.Properties.HttpMethod === 'OPTIONS',
    );
    expect(options).toHaveLength(2);
    for (const m of options) {
      expect(m.Properties).toMatchObject({ AuthorizationType: 'NONE', Integration: { Type: 'MOCK' } });
    }
    template.resourceCountIs('AWS::ApiGateway::GatewayResponse', 21);
    // one policy for both endpoints
    template.hasResourceProperties('AWS::ApiGateway::DomainName', {
      DomainName: 'items.example.com',
      SecurityPolicy: 'SecurityPolicy_TLS13_1_3_2025_09',
      EndpointAccessMode: 'STRICT',
    });
    template.hasResourceProperties('AWS::Route53::RecordSet', { Name: 'items.example.com.', Type: 'A' });
    expect(items.frontDoor.customDomain?.url).toBe('https://items.example.com/');
    Annotations.fromStack(stack).hasNoError('*', Match.anyValue());
  });

  test('rejects disabling the execute-api endpoint without a custom domain', () => {
    const { stack } = newStack();
    const vpc = newVpc(stack);
    expect(
      () =>
        new PrivateLinkEcsService(stack, 'Items', {
          vpc,
          image: IMAGE,
          cloudWatchRole: false,
          disableExecuteApiEndpoint: true,
        }),
    ).toThrow(
      '`disableExecuteApiEndpoint` requires `customDomain` (without one the API would have no endpoint left), got: disableExecuteApiEndpoint true and no customDomain.',
    );
  });
});
