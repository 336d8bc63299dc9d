import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { CustomDomain, CustomDomainProps, TlsSecurityPolicy } from '../../src/api';

const CERT_ARN = 'arn:aws:acm:us-east-2:111111111111:certificate/11111111-2222-3333-4444-555555555555';

function newApi(apiProps: apigateway.RestApiProps = {}) {
  const app = new App();
  const stack = new Stack(app, 'TestStack', { env: { account: '111111111111', region: 'us-east-2' } });
  const api = new apigateway.RestApi(stack, 'Api', apiProps);
  api.root.addMethod('GET');
  const certificate = acm.Certificate.fromCertificateArn(stack, 'Cert', CERT_ARN);
  return { stack, api, certificate };
}

type Extra = Partial<CustomDomainProps>;

function domainOf(extra: (stack: Stack) => Extra = () => ({}), apiProps: apigateway.RestApiProps = {}) {
  const { stack, api, certificate } = newApi(apiProps);
  const domain = new CustomDomain(stack, 'Domain', {
    restApi: api,
    stage: api.deploymentStage,
    domainName: 'api.example.com',
    certificate,
    ...extra(stack),
  });
  return { stack, api, domain, template: Template.fromStack(stack) };
}

describe('CustomDomain', () => {
  test('defaults: a REGIONAL domain with TLS 1.2 + 1.3 and forward secrecy, STRICT, mapped at the root', () => {
    // GIVEN / WHEN
    const { template, domain } = domainOf();
    // THEN
    template.hasResourceProperties('AWS::ApiGateway::DomainName', {
      DomainName: 'api.example.com',
      RegionalCertificateArn: CERT_ARN,
      EndpointConfiguration: { Types: ['REGIONAL'] },
      SecurityPolicy: 'SecurityPolicy_TLS13_1_2_PFS_PQ_2025_09',
      EndpointAccessMode: 'STRICT',
      MutualTlsAuthentication: Match.absent(),
    });
    template.resourceCountIs('AWS::ApiGateway::BasePathMapping', 1);
    template.hasResourceProperties('AWS::ApiGateway::BasePathMapping', {
      DomainName: { Ref: 'DomainD0DC31D1' },
      RestApiId: { Ref: 'ApiF70053CD' },
      Stage: { Ref: 'ApiDeploymentStageprod3EB9684E' },
      BasePath: Match.absent(),
    });
    template.resourceCountIs('AWS::Route53::RecordSet', 0);
    expect(domain.url).toBe('https://api.example.com/');
    expect(domain.securityPolicy).toBe(TlsSecurityPolicy.TLS13_1_2_PFS_PQ_2025_09);
  });

  test('TLS 1.3 only on request', () => {
    const { template } = domainOf(() => ({ securityPolicy: TlsSecurityPolicy.TLS13_1_3_2025_09 }));
    template.hasResourceProperties('AWS::ApiGateway::DomainName', {
      SecurityPolicy: 'SecurityPolicy_TLS13_1_3_2025_09',
      EndpointAccessMode: 'STRICT',
    });
  });

  test('base path mappings per route group: the root, one segment and several segments', () => {
    // GIVEN
    const { stack, api, certificate } = newApi();
    const v2 = new apigateway.RestApi(stack, 'V2');
    v2.root.addMethod('GET');
    // WHEN
    const domain = new CustomDomain(stack, 'Domain', {
      restApi: api,
      stage: api.deploymentStage,
      domainName: 'api.example.com',
      certificate,
      mappings: [{}, { basePath: 'v2', restApi: v2, stage: v2.deploymentStage }, { basePath: 'v2/admin' }],
    });
    // THEN
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::ApiGateway::BasePathMapping', 2);
    template.hasResourceProperties('AWS::ApiGateway::BasePathMapping', {
      DomainName: { Ref: 'DomainD0DC31D1' },
      RestApiId: { Ref: 'ApiF70053CD' },
      BasePath: Match.absent(),
    });
    template.hasResourceProperties('AWS::ApiGateway::BasePathMapping', {
      DomainName: { Ref: 'DomainD0DC31D1' },
      RestApiId: { Ref: 'V2EFE0F493' },
      Stage: { Ref: 'V2DeploymentStageprod7A3A89C5' },
      BasePath: 'v2',
    });
    template.hasResourceProperties('AWS::ApiGatewayV2::ApiMapping', {
      DomainName: { Ref: 'DomainD0DC31D1' },
      ApiId: { Ref: 'ApiF70053CD' },
      Stage: { Ref: 'ApiDeploymentStageprod3EB9684E' },
      ApiMappingKey: 'v2/admin',
    });
    expect(domain.mappings.map((m) => m.node.id)).toEqual(['MappingRoot', 'MappingV2', 'MappingV2Admin']);
  });

  test('mutual TLS with a truststore version, on the legacy TLS_1_2 policy', () => {
    // GIVEN / WHEN
    const { template, stack } = domainOf(
      (s) => ({
        mutualTls: {
          truststoreBucket: s3.Bucket.fromBucketName(s, 'Truststore', 'example-truststore'),
          truststoreKey: 'clients/truststore.pem',
          truststoreVersion: 'v3Jf0C.hvLVsLcmA0',
        },
      }),
      { disableExecuteApiEndpoint: true },
    );
    // THEN
    template.hasResourceProperties('AWS::ApiGateway::DomainName', {
      SecurityPolicy: 'TLS_1_2',
      EndpointAccessMode: Match.absent(),
      MutualTlsAuthentication: {
        TruststoreUri: 's3://example-truststore/clients/truststore.pem',
        TruststoreVersion: 'v3Jf0C.hvLVsLcmA0',
      },
    });
    template.hasResourceProperties('AWS::ApiGateway::RestApi', { DisableExecuteApiEndpoint: true });
    Annotations.fromStack(stack).hasNoWarning('*', Match.anyValue());
    Annotations.fromStack(stack).hasInfo(
      '/TestStack/Domain',
      'Mutual TLS: the domain name uses the legacy TLS_1_2 policy (API Gateway rejects mutual TLS with the enhanced SecurityPolicy_* policies).',
    );
  });

  test('mutual TLS warns while the execute-api endpoint stays enabled', () => {
    const { stack } = domainOf((s) => ({
      mutualTls: { truststoreBucket: s3.Bucket.fromBucketName(s, 'T', 'example-truststore'), truststoreKey: 'ca.pem' },
    }));
    Annotations.fromStack(stack).hasWarning(
      '/TestStack/Domain',
      Match.stringLikeRegexp(
        'Mutual TLS on the custom domain, but the REST API of `mappings\\[0\\]` \\(TestStack/Api\\) keeps its execute-api endpoint',
      ),
    );
  });

  test('the alias record in the given hosted zone', () => {
    const { template, domain } = domainOf((s) => ({
      hostedZone: route53.HostedZone.fromHostedZoneAttributes(s, 'Zone', {
        hostedZoneId: 'Z0123456789ABCDEFGHIJ',
        zoneName: 'example.com',
      }),
    }));
    template.hasResourceProperties('AWS::Route53::RecordSet', {
      Name: 'api.example.com.',
      Type: 'A',
      HostedZoneId: 'Z0123456789ABCDEFGHIJ',
      AliasTarget: {
        DNSName: { 'Fn::GetAtt': ['DomainD0DC31D1', 'RegionalDomainName'] },
        HostedZoneId: { 'Fn::GetAtt': ['DomainD0DC31D1', 'RegionalHostedZoneId'] },
      },
    });
    expect(domain.record).toBeDefined();
  });

  test('an EDGE domain with a us-east-1 certificate and the edge default policy', () => {
    const { template } = domainOf((s) => ({
      endpointType: apigateway.EndpointType.EDGE,
      certificate: acm.Certificate.fromCertificateArn(
        s,
        'EdgeCert',
        'arn:aws:acm:us-east-1:111111111111:certificate/99999999-2222-3333-4444-555555555555',
      ),
    }));
    template.hasResourceProperties('AWS::ApiGateway::DomainName', {
      CertificateArn: 'arn:aws:acm:us-east-1:111111111111:certificate/99999999-2222-3333-4444-555555555555',
      EndpointConfiguration: { Types: ['EDGE'] },
      SecurityPolicy: 'SecurityPolicy_TLS12_PFS_2025_EDGE',
      EndpointAccessMode: 'STRICT',
    });
  });

  describe('validation', () => {
    const bucket = (s: Stack) => s3.Bucket.fromBucketName(s, 'Truststore', 'example-truststore');
    const cases: Array<[string, (s: Stack) => Extra, string]> = [
      [
        'mutual TLS without a truststore',
        () => ({ mutualTls: {} as any }),
        '`mutualTls` needs a truststore (`truststoreBucket` and `truststoreKey`), got: bucket undefined, key undefined.',
      ],
      [
        'mutual TLS with an empty key',
        (s) => ({ mutualTls: { truststoreBucket: bucket(s), truststoreKey: '' } }),
        "`mutualTls` needs a truststore (`truststoreBucket` and `truststoreKey`), got: bucket set, key ''.",
      ],
      [
        'a truststore key with a leading slash',
        (s) => ({ mutualTls: { truststoreBucket: bucket(s), truststoreKey: '/ca.pem' } }),
        '`mutualTls.truststoreKey` must be an S3 key without a leading slash, got: /ca.pem.',
      ],
      [
        'mutual TLS with an enhanced policy',
        (s) => ({
          mutualTls: { truststoreBucket: bucket(s), truststoreKey: 'ca.pem' },
          securityPolicy: TlsSecurityPolicy.TLS13_1_3_2025_09,
        }),
        '`securityPolicy` must be TlsSecurityPolicy.TLS_1_2 with `mutualTls` (API Gateway rejects mutual TLS with enhanced policies), got: SecurityPolicy_TLS13_1_3_2025_09.',
      ],
      [
        'mutual TLS on an EDGE domain',
        (s) => ({
          endpointType: apigateway.EndpointType.EDGE,
          certificate: acm.Certificate.fromCertificateArn(
            s,
            'EdgeCert',
            'arn:aws:acm:us-east-1:111111111111:certificate/99999999-2222-3333-4444-555555555555',
          ),
          mutualTls: { truststoreBucket: bucket(s), truststoreKey: 'ca.pem' },
        }),
        '`mutualTls` requires a REGIONAL domain name, got: endpointType EDGE.',
      ],
      [
        'a certificate from another region',
        (s) => ({
          certificate: acm.Certificate.fromCertificateArn(
            s,
            'OtherCert',
            'arn:aws:acm:eu-west-1:111111111111:certificate/11111111-2222-3333-4444-555555555555',
          ),
        }),
        "`certificate` must be in the API's region us-east-2, got: a certificate in eu-west-1 (arn:aws:acm:eu-west-1:111111111111:certificate/11111111-2222-3333-4444-555555555555).",
      ],
      [
        'an EDGE certificate outside us-east-1',
        () => ({ endpointType: apigateway.EndpointType.EDGE }),
        `\`certificate\` of an EDGE domain must be in us-east-1, got: a certificate in us-east-2 (${CERT_ARN}).`,
      ],
      [
        'a TLS policy the endpoint type does not accept',
        () => ({ securityPolicy: TlsSecurityPolicy.TLS13_2025_EDGE }),
        '`securityPolicy` SecurityPolicy_TLS13_2025_EDGE is not accepted by REGIONAL endpoints (it is for EDGE), got: SecurityPolicy_TLS13_2025_EDGE for endpoint type REGIONAL.',
      ],
      [
        'a PRIVATE domain',
        () => ({ endpointType: apigateway.EndpointType.PRIVATE }),
        '`endpointType` must be REGIONAL or EDGE (private custom domains are `AWS::ApiGateway::DomainNameV2`, not made by this construct), got: PRIVATE.',
      ],
      [
        'an upper-case domain name',
        () => ({ domainName: 'API.example.com' }),
        '`domainName` must be a lower-case DNS name (e.g. `api.example.com` or `*.example.com`), got: API.example.com.',
      ],
      [
        'a domain name with a scheme',
        () => ({ domainName: 'https://api.example.com' }),
        '`domainName` must be a lower-case DNS name (e.g. `api.example.com` or `*.example.com`), got: https://api.example.com.',
      ],
      [
        'a base path with a leading slash',
        () => ({ mappings: [{ basePath: '/v1' }] }),
        '`mappings[0].basePath` must be path segments without leading, trailing or double slashes (e.g. `v1` or `v1/items`), got: /v1.',
      ],
      [
        'an empty base path',
        () => ({ mappings: [{}, { basePath: '' }] }),
        "`mappings[1].basePath` must be path segments without leading, trailing or double slashes (e.g. `v1` or `v1/items`), got: ''.",
      ],
      [
        'a repeated base path',
        () => ({ mappings: [{ basePath: 'v1' }, { basePath: 'v2' }, { basePath: 'v1' }] }),
        '`mappings[2].basePath` repeats `mappings[0].basePath`, got: v1.',
      ],
      [
        'two root mappings',
        () => ({ mappings: [{}, {}] }),
        '`mappings[1].basePath` repeats `mappings[0].basePath`, got: (root).',
      ],
      ['no mapping', () => ({ mappings: [] }), '`mappings` must list at least one mapping, got: [].'],
      [
        'a multi-level base path on an EDGE domain',
        (s) => ({
          endpointType: apigateway.EndpointType.EDGE,
          certificate: acm.Certificate.fromCertificateArn(
            s,
            'EdgeCert',
            'arn:aws:acm:us-east-1:111111111111:certificate/99999999-2222-3333-4444-555555555555',
          ),
          mappings: [{ basePath: 'v1/items' }],
        }),
        '`mappings[0].basePath` has several segments, which API Gateway maps only on REGIONAL domain names, got: v1/items on EDGE.',
      ],
      [
        'a domain outside the hosted zone',
        (s) => ({
          hostedZone: route53.HostedZone.fromHostedZoneAttributes(s, 'Zone', {
            hostedZoneId: 'Z0123456789ABCDEFGHIJ',
            zoneName: 'example.org',
          }),
        }),
        '`domainName` must be in the hosted zone example.org, got: api.example.com.',
      ],
    ];
    test.each(cases)('rejects %s', (_name, extra, message) => {
      expect(() => domainOf(extra)).toThrow(message);
    });
  });
});
