import { aws_apigateway as apigateway, Token } from 'aws-cdk-lib';

const REGIONAL_AND_PRIVATE = [apigateway.EndpointType.REGIONAL, apigateway.EndpointType.PRIVATE];
const EDGE = [apigateway.EndpointType.EDGE];
const ALL = [apigateway.EndpointType.REGIONAL, apigateway.EndpointType.PRIVATE, apigateway.EndpointType.EDGE];

/**
 * The TLS security policy of an API Gateway endpoint — the execute-api endpoint of a REST API or a custom domain
 * name: the TLS versions and cipher suites it accepts, the endpoint types that accept it, and (for the enhanced
 * `SecurityPolicy_*` policies) the endpoint access mode they require.
 *
 * One value serves both endpoints: `applyToRestApi()` sets it on a `CfnRestApi` (the L2 `RestApi` has no
 * security policy), `CustomDomain` sets it on its domain name.
 *
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-security-policies.html
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-security-policies-list.html
 *
 * @example
 * import * as apigateway from 'aws-cdk-lib/aws-apigateway';
 *
 * import { TlsSecurityPolicy } from '@gtuc/cdk-privatelink-ecs';
 *
 * // TLS 1.3 only, access mode BASIC while clients migrate
 * const tls13 = TlsSecurityPolicy.TLS13_1_3_2025_09.withEndpointAccessMode(apigateway.EndpointAccessMode.BASIC);
 */
export class TlsSecurityPolicy {
  /**
   * TLS 1.3 and TLS 1.2 with forward-secret cipher suites only and hybrid post-quantum key exchange (regional and
   * private endpoints). The library's default.
   */
  public static readonly TLS13_1_2_PFS_PQ_2025_09 = new TlsSecurityPolicy(
    'SecurityPolicy_TLS13_1_2_PFS_PQ_2025_09',
    REGIONAL_AND_PRIVATE,
  );

  /** TLS 1.3 and TLS 1.2 with hybrid post-quantum key exchange, also non-forward-secret TLS 1.2 suites (regional and private endpoints). */
  public static readonly TLS13_1_2_PQ_2025_09 = new TlsSecurityPolicy(
    'SecurityPolicy_TLS13_1_2_PQ_2025_09',
    REGIONAL_AND_PRIVATE,
  );

  /** TLS 1.3 and TLS 1.2, FIPS-validated cryptography, forward secrecy and post-quantum key exchange (regional and private endpoints). */
  public static readonly TLS13_1_2_FIPS_PFS_PQ_2025_09 = new TlsSecurityPolicy(
    'SecurityPolicy_TLS13_1_2_FIPS_PFS_PQ_2025_09',
    REGIONAL_AND_PRIVATE,
  );

  /** TLS 1.3 and TLS 1.2, FIPS-validated cryptography and post-quantum key exchange (regional and private endpoints). */
  public static readonly TLS13_1_2_FIPS_PQ_2025_09 = new TlsSecurityPolicy(
    'SecurityPolicy_TLS13_1_2_FIPS_PQ_2025_09',
    REGIONAL_AND_PRIVATE,
  );

  /** TLS 1.3 only (regional and private endpoints). */
  public static readonly TLS13_1_3_2025_09 = new TlsSecurityPolicy(
    'SecurityPolicy_TLS13_1_3_2025_09',
    REGIONAL_AND_PRIVATE,
  );

  /** TLS 1.3 only, FIPS-validated cryptography (regional and private endpoints). */
  public static readonly TLS13_1_3_FIPS_2025_09 = new TlsSecurityPolicy(
    'SecurityPolicy_TLS13_1_3_FIPS_2025_09',
    REGIONAL_AND_PRIVATE,
  );

  /** TLS 1.3 only (edge-optimized endpoints). */
  public static readonly TLS13_2025_EDGE = new TlsSecurityPolicy('SecurityPolicy_TLS13_2025_EDGE', EDGE);

  /** TLS 1.2 and 1.3 with forward-secret cipher suites (edge-optimized endpoints). */
  public static readonly TLS12_PFS_2025_EDGE = new TlsSecurityPolicy('SecurityPolicy_TLS12_PFS_2025_EDGE', EDGE);

  /** TLS 1.2 and 1.3 (edge-optimized endpoints). */
  public static readonly TLS12_2018_EDGE = new TlsSecurityPolicy('SecurityPolicy_TLS12_2018_EDGE', EDGE);

  /**
   * The legacy TLS 1.2 policy (TLS 1.2 and 1.3, including non-forward-secret suites; every endpoint type). The
   * only choice for a custom domain with mutual TLS: API Gateway rejects mutual TLS with enhanced policies.
   */
  public static readonly TLS_1_2 = new TlsSecurityPolicy('TLS_1_2', ALL);

  /**
   * A policy by name, for policies newer than this library.
   *
   * @param name the policy name as API Gateway spells it (e.g. `SecurityPolicy_TLS13_1_3_2025_09`)
   * @param endpointTypes the endpoint types that accept it
   */
  public static of(name: string, endpointTypes: apigateway.EndpointType[]): TlsSecurityPolicy {
    if (!Token.isUnresolved(name) && !/^(TLS_1_[02]|SecurityPolicy_[A-Za-z0-9_]+)$/.test(name)) {
      throw new Error(
        `\`securityPolicy\` must be TLS_1_0, TLS_1_2 or an enhanced policy name starting with SecurityPolicy_, got: ${name}.`,
      );
    }
    if (endpointTypes.length === 0) {
      throw new Error(`\`endpointTypes\` of security policy ${name} must list at least one endpoint type, got: [].`);
    }
    return new TlsSecurityPolicy(name, endpointTypes);
  }

  /** The policy name, as CloudFormation's `SecurityPolicy` takes it. */
  public readonly name: string;

  /** The endpoint types that accept this policy. */
  public readonly endpointTypes: apigateway.EndpointType[];

  /**
   * The endpoint access mode of an enhanced policy (`undefined` for the legacy ones, which have none).
   *
   * `STRICT` (the default) rejects requests that arrive through another endpoint type or whose SNI host doesn't
   * match; `BASIC` doesn't check, for migrations.
   */
  public readonly endpointAccessMode?: apigateway.EndpointAccessMode;

  private constructor(
    name: string,
    endpointTypes: apigateway.EndpointType[],
    endpointAccessMode?: apigateway.EndpointAccessMode,
  ) {
    this.name = name;
    this.endpointTypes = [...endpointTypes];
    this.endpointAccessMode = this.isEnhanced
      ? (endpointAccessMode ?? apigateway.EndpointAccessMode.STRICT)
      : undefined;
  }

  /** Whether this is an enhanced policy (`SecurityPolicy_*`), which requires an endpoint access mode. */
  public get isEnhanced(): boolean {
    return this.name.startsWith('SecurityPolicy_');
  }

  /**
   * This policy with another endpoint access mode (enhanced policies only).
   *
   * @param mode the endpoint access mode
   */
  public withEndpointAccessMode(mode: apigateway.EndpointAccessMode): TlsSecurityPolicy {
    if (!this.isEnhanced) {
      throw new Error(
        `\`securityPolicy\` ${this.name} is a legacy policy, which has no endpoint access mode, got: ${mode}.`,
      );
    }
    return new TlsSecurityPolicy(this.name, this.endpointTypes, mode);
  }

  /**
   * Throws unless an endpoint of `endpointType` accepts this policy, naming `propPath`.
   *
   * @param endpointType the endpoint type of the REST API or domain name
   * @param propPath the prop the policy came from, used in the message
   */
  public validateFor(endpointType: apigateway.EndpointType, propPath: string = 'securityPolicy'): void {
    if (!this.endpointTypes.includes(endpointType)) {
      throw new Error(
        `\`${propPath}\` ${this.name} is not accepted by ${endpointType} endpoints (it is for ${this.endpointTypes.join(', ')}), got: ${this.name} for endpoint type ${endpointType}.`,
      );
    }
  }

  /**
   * Sets this policy and its endpoint access mode on the execute-api endpoint of a REST API, after checking that
   * the API's endpoint type accepts it.
   *
   * @param restApi the L1 REST API (`restApi.node.defaultChild` of an L2 `RestApi`)
   * @param endpointType the REST API's endpoint type
   * @param propPath the prop the policy came from, used in messages
   */
  public applyToRestApi(
    restApi: apigateway.CfnRestApi,
    endpointType: apigateway.EndpointType,
    propPath: string = 'securityPolicy',
  ): void {
    this.validateFor(endpointType, propPath);
    restApi.securityPolicy = this.name;
    restApi.endpointAccessMode = this.endpointAccessMode;
  }
}
