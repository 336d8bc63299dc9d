import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import { TlsSecurityPolicy } from '../../src/api';

function newApi(endpointType = apigateway.EndpointType.REGIONAL) {
  const app = new App();
  const stack = new Stack(app, 'TestStack', { env: { account: '111111111111', region: 'us-east-2' } });
  const api = new apigateway.RestApi(stack, 'Api', { endpointTypes: [endpointType] });
  api.root.addMethod('GET');
  return { stack, api, cfn: api.node.defaultChild as apigateway.CfnRestApi };
}

describe('TlsSecurityPolicy', () => {
  test('the default policy on the execute-api endpoint: TLS 1.2 + 1.3 with forward secrecy, STRICT', () => {
    // GIVEN
    const { stack, cfn } = newApi();
    // WHEN
    TlsSecurityPolicy.TLS13_1_2_PFS_PQ_2025_09.applyToRestApi(cfn, apigateway.EndpointType.REGIONAL);
    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::ApiGateway::RestApi', {
      SecurityPolicy: 'SecurityPolicy_TLS13_1_2_PFS_PQ_2025_09',
      EndpointAccessMode: 'STRICT',
      EndpointConfiguration: { Types: ['REGIONAL'] },
    });
  });

  test('TLS 1.3 only, BASIC access mode', () => {
    const { stack, cfn } = newApi();
    TlsSecurityPolicy.TLS13_1_3_2025_09.withEndpointAccessMode(apigateway.EndpointAccessMode.BASIC).applyToRestApi(
      cfn,
      apigateway.EndpointType.REGIONAL,
    );
    Template.fromStack(stack).hasResourceProperties('AWS::ApiGateway::RestApi', {
      SecurityPolicy: 'SecurityPolicy_TLS13_1_3_2025_09',
      EndpointAccessMode: 'BASIC',
    });
  });

  test('a legacy policy sets no access mode', () => {
    const { stack, cfn } = newApi();
    TlsSecurityPolicy.TLS_1_2.applyToRestApi(cfn, apigateway.EndpointType.REGIONAL);
    const [api] = Object.values(Template.fromStack(stack).findResources('AWS::ApiGateway::RestApi'));
    expect(api.Properties.SecurityPolicy).toBe('TLS_1_2');
    expect(api.Properties.EndpointAccessMode).toBeUndefined();
    expect(TlsSecurityPolicy.TLS_1_2.isEnhanced).toBe(false);
    expect(TlsSecurityPolicy.TLS_1_2.endpointAccessMode).toBeUndefined();
  });

  test('edge policies on an EDGE API', () => {
    const { stack, cfn } = newApi(apigateway.EndpointType.EDGE);
    TlsSecurityPolicy.TLS13_2025_EDGE.applyToRestApi(cfn, apigateway.EndpointType.EDGE);
    Template.fromStack(stack).hasResourceProperties('AWS::ApiGateway::RestApi', {
      SecurityPolicy: 'SecurityPolicy_TLS13_2025_EDGE',
      EndpointAccessMode: 'STRICT',
    });
  });

  test('which endpoint types accept which policy', () => {
    const R = apigateway.EndpointType.REGIONAL;
    const P = apigateway.EndpointType.PRIVATE;
    const E = apigateway.EndpointType.EDGE;
    const table: Array<[TlsSecurityPolicy, string, apigateway.EndpointType[]]> = [
      [TlsSecurityPolicy.TLS13_1_2_PFS_PQ_2025_09, 'SecurityPolicy_TLS13_1_2_PFS_PQ_2025_09', [R, P]],
      [TlsSecurityPolicy.TLS13_1_2_PQ_2025_09, 'SecurityPolicy_TLS13_1_2_PQ_2025_09', [R, P]],
      [TlsSecurityPolicy.TLS13_1_2_FIPS_PFS_PQ_2025_09, 'SecurityPolicy_TLS13_1_2_FIPS_PFS_PQ_2025_09', [R, P]],
      [TlsSecurityPolicy.TLS13_1_2_FIPS_PQ_2025_09, 'SecurityPolicy_TLS13_1_2_FIPS_PQ_2025_09', [R, P]],
      [TlsSecurityPolicy.TLS13_1_3_2025_09, 'SecurityPolicy_TLS13_1_3_2025_09', [R, P]],
      [TlsSecurityPolicy.TLS13_1_3_FIPS_2025_09, 'SecurityPolicy_TLS13_1_3_FIPS_2025_09', [R, P]],
      [TlsSecurityPolicy.TLS13_2025_EDGE, 'SecurityPolicy_TLS13_2025_EDGE', [E]],
      [TlsSecurityPolicy.TLS12_PFS_2025_EDGE, 'SecurityPolicy_TLS12_PFS_2025_EDGE', [E]],
      [TlsSecurityPolicy.TLS12_2018_EDGE, 'SecurityPolicy_TLS12_2018_EDGE', [E]],
      [TlsSecurityPolicy.TLS_1_2, 'TLS_1_2', [R, P, E]],
    ];
    for (const [policy, name, types] of table) {
      expect([policy.name, policy.endpointTypes]).toEqual([name, types]);
      for (const t of [R, P, E]) {
        if (types.includes(t)) expect(() => policy.validateFor(t)).not.toThrow();
        else expect(() => policy.validateFor(t)).toThrow(`is not accepted by ${t} endpoints`);
      }
    }
  });

  test('of() names a policy newer than the library', () => {
    const policy = TlsSecurityPolicy.of('SecurityPolicy_TLS13_1_2_2021_06', [apigateway.EndpointType.REGIONAL]);
    expect([policy.name, policy.isEnhanced, policy.endpointAccessMode]).toEqual([
      'SecurityPolicy_TLS13_1_2_2021_06',
      true,
      'STRICT',
    ]);
  });

  describe('validation', () => {
    test('rejects a policy the endpoint type does not accept', () => {
      const { cfn } = newApi();
      expect(() =>
        TlsSecurityPolicy.TLS13_2025_EDGE.applyToRestApi(cfn, apigateway.EndpointType.REGIONAL, 'securityPolicy'),
      ).toThrow(
        '`securityPolicy` SecurityPolicy_TLS13_2025_EDGE is not accepted by REGIONAL endpoints (it is for EDGE), got: SecurityPolicy_TLS13_2025_EDGE for endpoint type REGIONAL.',
      );
    });

    test('rejects a regional policy on an EDGE endpoint', () => {
      expect(() => TlsSecurityPolicy.TLS13_1_3_2025_09.validateFor(apigateway.EndpointType.EDGE)).toThrow(
        '`securityPolicy` SecurityPolicy_TLS13_1_3_2025_09 is not accepted by EDGE endpoints (it is for REGIONAL, PRIVATE), got: SecurityPolicy_TLS13_1_3_2025_09 for endpoint type EDGE.',
      );
    });

    test('rejects an access mode on a legacy policy', () => {
      expect(() => TlsSecurityPolicy.TLS_1_2.withEndpointAccessMode(apigateway.EndpointAccessMode.STRICT)).toThrow(
        '`securityPolicy` TLS_1_2 is a legacy policy, which has no endpoint access mode, got: STRICT.',
      );
    });

    test('rejects a name that is no policy', () => {
      expect(() => TlsSecurityPolicy.of('TLS1.3', [apigateway.EndpointType.REGIONAL])).toThrow(
        '`securityPolicy` must be TLS_1_0, TLS_1_2 or an enhanced policy name starting with SecurityPolicy_, got: TLS1.3.',
      );
    });

    test('rejects a policy without endpoint types', () => {
      expect(() => TlsSecurityPolicy.of('SecurityPolicy_X', [])).toThrow(
        '`endpointTypes` of security policy SecurityPolicy_X must list at least one endpoint type, got: [].',
      );
    });
  });
});
