import {
  Annotations,
  Arn,
  ArnFormat,
  aws_apigateway as apigateway,
  aws_apigatewayv2 as apigwv2,
  aws_certificatemanager as acm,
  aws_route53 as route53,
  aws_route53_targets as targets,
  aws_s3 as s3,
  Stack,
  Token,
} from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { TlsSecurityPolicy } from './tls-policy';

/** A base path: segments of the characters API Gateway allows, separated by single slashes. */
const BASE_PATH = /^[A-Za-z0-9$_.+!*'()-]+(\/[A-Za-z0-9$_.+!*'()-]+)*$/;
/** A lower-case DNS name, optionally a wildcard of one level (`*.example.com`). */
const DOMAIN_NAME = /^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]([a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * Mutual TLS for a custom domain: clients must present a certificate signed by a CA in the truststore.
 *
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/rest-api-mutual-tls.html
 */
export interface MutualTlsOptions {
  /**
   * The S3 bucket that holds the truststore (a PEM bundle of the CA certificates clients' certificates chain to).
   */
  readonly truststoreBucket: s3.IBucket;

  /**
   * The key of the truststore object in `truststoreBucket` (e.g. `truststore.pem`).
   */
  readonly truststoreKey: string;

  /**
   * The version of the truststore object, so that an update takes effect on the next deployment (the bucket must
   * be versioned).
   *
   * @default - the latest version when the domain is created or updated
   */
  readonly truststoreVersion?: string;
}

/**
 * Maps a base path of the custom domain to a REST API stage.
 *
 * API Gateway strips the base path: with `basePath: 'v1'`, `https://api.example.com/v1/items` reaches the API as
 * `/items`. Map a front door's routes at the root (no `basePath`) to keep their prefixes; map a base path per
 * route group when each group is its own API or stage.
 */
export interface DomainMappingOptions {
  /**
   * The base path, one segment (`v1`) or several (`v1/items`, an API Gateway V2 API mapping, REGIONAL only).
   *
   * @default - the domain's root
   */
  readonly basePath?: string;

  /**
   * The REST API the base path maps to.
   *
   * @default - the domain's `restApi`
   */
  readonly restApi?: apigateway.IRestApi;

  /**
   * The stage the base path maps to.
   *
   * @default - the domain's `stage`
   */
  readonly stage?: apigateway.Stage;
}

/**
 * What a custom domain is: its name, certificate, TLS policy, mutual TLS, base path mappings and DNS record.
 */
export interface CustomDomainOptions {
  /**
   * The domain name, in lower case (e.g. `api.example.com`, or a wildcard `*.example.com`).
   */
  readonly domainName: string;

  /**
   * The ACM certificate of the domain name, in the API's region (in us-east-1 for an EDGE domain).
   */
  readonly certificate: acm.ICertificate;

  /**
   * The endpoint type of the domain name (REGIONAL or EDGE; private custom domains are not supported here).
   *
   * @default apigateway.EndpointType.REGIONAL
   */
  readonly endpointType?: apigateway.EndpointType;

  /**
   * The TLS security policy of the domain name.
   *
   * @default - `TlsSecurityPolicy.TLS13_1_2_PFS_PQ_2025_09` (TLS 1.2 and 1.3 with forward secrecy) for REGIONAL,
   * `TLS12_PFS_2025_EDGE` for EDGE; `TLS_1_2` with mutual TLS, which API Gateway allows only with legacy policies
   */
  readonly securityPolicy?: TlsSecurityPolicy;

  /**
   * Mutual TLS: clients must present a certificate the truststore vouches for.
   *
   * @default - no mutual TLS
   */
  readonly mutualTls?: MutualTlsOptions;

  /**
   * The base path mappings, e.g. one per route group.
   *
   * @default - the domain's root maps to `restApi` at `stage`
   */
  readonly mappings?: DomainMappingOptions[];

  /**
   * The Route 53 hosted zone in which an alias record for the domain name is created.
   *
   * @default - no DNS record (create it where your DNS lives)
   */
  readonly hostedZone?: route53.IHostedZone;
}

/**
 * Properties of a `CustomDomain`.
 */
export interface CustomDomainProps extends CustomDomainOptions {
  /**
   * The REST API that mappings without their own `restApi` map to.
   */
  readonly restApi: apigateway.IRestApi;

  /**
   * The stage that mappings without their own `stage` map to.
   */
  readonly stage: apigateway.Stage;
}

/**
 * A custom domain name for a REST API: the ACM certificate, a TLS security policy (TLS 1.2 and 1.3 with forward
 * secrecy by default), optional mutual TLS with a truststore in S3, base path mappings and, when a hosted zone is
 * given, the alias record.
 *
 * With mutual TLS, clients can still reach the API without a certificate through its execute-api endpoint unless
 * that endpoint is disabled (`disableExecuteApiEndpoint` of the REST API): the construct warns.
 *
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/how-to-custom-domains.html
 *
 * @example
 * import * as apigateway from 'aws-cdk-lib/aws-apigateway';
 *
 * import * as acm from 'aws-cdk-lib/aws-certificatemanager';
 * import * as route53 from 'aws-cdk-lib/aws-route53';
 * import { CustomDomain } from '@gtuc/cdk-privatelink-ecs';
 *
 * declare const api: apigateway.RestApi;
 * declare const certificate: acm.ICertificate;
 * declare const zone: route53.IHostedZone;
 * new CustomDomain(this, 'Domain', {
 *   restApi: api,
 *   stage: api.deploymentStage,
 *   domainName: 'api.example.com',
 *   certificate,
 *   hostedZone: zone,
 * });
 */
export class CustomDomain extends Construct {
  /** The API Gateway domain name. */
  public readonly domain: apigateway.DomainName;

  /** The alias record, when a hosted zone was given. */
  public readonly record?: route53.ARecord;

  /**
   * The base path mappings, in the order of `mappings`: a `BasePathMapping`, or a `CfnApiMapping` for a base path of
   * several segments.
   */
  public readonly mappings: Construct[];

  /** The TLS security policy the domain name uses. */
  public readonly securityPolicy: TlsSecurityPolicy;

  /** The domain's base URL, `https://<domainName>/`. */
  public readonly url: string;

  constructor(scope: Construct, id: string, props: CustomDomainProps) {
    super(scope, id);
    const endpointType = props.endpointType ?? apigateway.EndpointType.REGIONAL;
    const mappings = props.mappings ?? [{}];
    this.validateDomainName(props.domainName);
    this.validateEndpointType(endpointType);
    this.validateCertificate(props.certificate, endpointType);
    this.validateMutualTls(props.mutualTls, endpointType);
    this.securityPolicy = this.resolveSecurityPolicy(props.securityPolicy, endpointType, props.mutualTls);
    this.validateMappings(mappings, endpointType);
    this.validateHostedZone(props.hostedZone, props.domainName);

    this.domain = new apigateway.DomainName(this, 'Resource', {
      domainName: props.domainName,
      certificate: props.certificate,
      endpointType,
      // aws-cdk-lib's enum lags API Gateway's policy list; CloudFormation takes the name.
      securityPolicy: this.securityPolicy.name as apigateway.SecurityPolicy,
      endpointAccessMode: this.securityPolicy.endpointAccessMode,
      mtls: props.mutualTls
        ? {
            bucket: props.mutualTls.truststoreBucket,
            key: props.mutualTls.truststoreKey,
            version: props.mutualTls.truststoreVersion,
          }
        : undefined,
    });
    // Mappings are made directly, not through DomainName.addBasePathMapping(), which refuses a root mapping beside
    // other base paths (API Gateway sends requests that match no base path to the root mapping).
    const ids = new Set<string>();
    this.mappings = mappings.map((mapping, i) => {
      const restApi = mapping.restApi ?? props.restApi;
      const stage = mapping.stage ?? props.stage;
      const basePath = mapping.basePath;
      if (props.mutualTls) this.warnIfExecuteApiEnabled(restApi, i);
      let mappingId = `Mapping${basePath === undefined ? 'Root' : pascalCase(basePath)}`;
      if (ids.has(mappingId)) mappingId = `${mappingId}${i}`;
      ids.add(mappingId);
      if (basePath !== undefined && basePath.includes('/')) {
        return new apigwv2.CfnApiMapping(this, mappingId, {
          domainName: this.domain.domainName,
          apiId: restApi.restApiId,
          stage: stage.stageName,
          apiMappingKey: basePath,
        });
      }
      return new apigateway.BasePathMapping(this, mappingId, { domainName: this.domain, restApi, stage, basePath });
    });

    if (props.hostedZone) {
      this.record = new route53.ARecord(this, 'AliasRecord', {
        zone: props.hostedZone,
        recordName: props.domainName,
        target: route53.RecordTarget.fromAlias(new targets.ApiGatewayDomain(this.domain)),
      });
    }
    this.url = `https://${props.domainName}/`;
  }

  private validateDomainName(domainName: string) {
    if (Token.isUnresolved(domainName)) return;
    if (!DOMAIN_NAME.test(domainName) || domainName.length > 253) {
      throw new Error(
        `\`domainName\` must be a lower-case DNS name (e.g. \`api.example.com\` or \`*.example.com\`), got: ${domainName}.`,
      );
    }
  }

  private validateEndpointType(endpointType: apigateway.EndpointType) {
    if (endpointType === apigateway.EndpointType.PRIVATE) {
      throw new Error(
        '`endpointType` must be REGIONAL or EDGE (private custom domains are `AWS::ApiGateway::DomainNameV2`, not made by this construct), got: PRIVATE.',
      );
    }
  }

  private validateCertificate(certificate: acm.ICertificate, endpointType: apigateway.EndpointType) {
    const arn = certificate.certificateArn;
    const certRegion = !Token.isUnresolved(arn)
      ? Arn.split(arn, ArnFormat.SLASH_RESOURCE_NAME).region
      : !Token.isUnresolved(certificate.env.region)
        ? certificate.env.region
        : undefined;
    const expected = endpointType === apigateway.EndpointType.EDGE ? 'us-east-1' : Stack.of(this).region;
    if (certRegion === undefined || Token.isUnresolved(expected) || certRegion === expected) return;
    throw new Error(
      endpointType === apigateway.EndpointType.EDGE
        ? `\`certificate\` of an EDGE domain must be in us-east-1, got: a certificate in ${certRegion} (${Token.isUnresolved(arn) ? certificate.node.path : arn}).`
        : `\`certificate\` must be in the API's region ${expected}, got: a certificate in ${certRegion} (${Token.isUnresolved(arn) ? certificate.node.path : arn}).`,
    );
  }

  private validateMutualTls(mutualTls: MutualTlsOptions | undefined, endpointType: apigateway.EndpointType) {
    if (!mutualTls) return;
    const key = mutualTls.truststoreKey;
    if (!mutualTls.truststoreBucket || !key) {
      throw new Error(
        `\`mutualTls\` needs a truststore (\`truststoreBucket\` and \`truststoreKey\`), got: bucket ${mutualTls.truststoreBucket ? 'set' : 'undefined'}, key ${key === undefined ? 'undefined' : `'${key}'`}.`,
      );
    }
    if (!Token.isUnresolved(key) && key.startsWith('/')) {
      throw new Error(`\`mutualTls.truststoreKey\` must be an S3 key without a leading slash, got: ${key}.`);
    }
    if (endpointType !== apigateway.EndpointType.REGIONAL) {
      throw new Error(`\`mutualTls\` requires a REGIONAL domain name, got: endpointType ${endpointType}.`);
    }
  }

  private resolveSecurityPolicy(
    policy: TlsSecurityPolicy | undefined,
    endpointType: apigateway.EndpointType,
    mutualTls: MutualTlsOptions | undefined,
  ): TlsSecurityPolicy {
    if (policy === undefined) {
      if (mutualTls) {
        Annotations.of(this).addInfo(
          'Mutual TLS: the domain name uses the legacy TLS_1_2 policy (API Gateway rejects mutual TLS with the enhanced SecurityPolicy_* policies).',
        );
        return TlsSecurityPolicy.TLS_1_2;
      }
      return endpointType === apigateway.EndpointType.EDGE
        ? TlsSecurityPolicy.TLS12_PFS_2025_EDGE
        : TlsSecurityPolicy.TLS13_1_2_PFS_PQ_2025_09;
    }
    policy.validateFor(endpointType);
    if (mutualTls && policy.isEnhanced) {
      throw new Error(
        `\`securityPolicy\` must be TlsSecurityPolicy.TLS_1_2 with \`mutualTls\` (API Gateway rejects mutual TLS with enhanced policies), got: ${policy.name}.`,
      );
    }
    return policy;
  }

  private validateMappings(mappings: DomainMappingOptions[], endpointType: apigateway.EndpointType) {
    if (mappings.length === 0) {
      throw new Error('`mappings` must list at least one mapping, got: [].');
    }
    const seen = new Map<string, number>();
    mappings.forEach((mapping, i) => {
      const basePath = mapping.basePath;
      if (basePath !== undefined && !Token.isUnresolved(basePath)) {
        if (!BASE_PATH.test(basePath)) {
          throw new Error(
            `\`mappings[${i}].basePath\` must be path segments without leading, trailing or double slashes (e.g. \`v1\` or \`v1/items\`), got: ${basePath === '' ? "''" : basePath}.`,
          );
        }
        if (basePath.includes('/') && endpointType !== apigateway.EndpointType.REGIONAL) {
          throw new Error(
            `\`mappings[${i}].basePath\` has several segments, which API Gateway maps only on REGIONAL domain names, got: ${basePath} on ${endpointType}.`,
          );
        }
      }
      const key = basePath ?? '(root)';
      const previous = seen.get(key);
      if (previous !== undefined) {
        throw new Error(`\`mappings[${i}].basePath\` repeats \`mappings[${previous}].basePath\`, got: ${key}.`);
      }
      seen.set(key, i);
    });
  }

  private validateHostedZone(zone: route53.IHostedZone | undefined, domainName: string) {
    if (!zone || Token.isUnresolved(domainName)) return;
    let zoneName: string;
    try {
      zoneName = zone.zoneName;
    } catch {
      return; // an imported zone without a name
    }
    if (Token.isUnresolved(zoneName)) return;
    const zoneDomain = zoneName.replace(/\.$/, '').toLowerCase();
    if (domainName !== zoneDomain && !domainName.endsWith(`.${zoneDomain}`)) {
      throw new Error(`\`domainName\` must be in the hosted zone ${zoneDomain}, got: ${domainName}.`);
    }
  }

  private warnIfExecuteApiEnabled(restApi: apigateway.IRestApi, i: number) {
    const cfn = restApi.node.defaultChild;
    const disabled = cfn instanceof apigateway.CfnRestApi ? cfn.disableExecuteApiEndpoint : undefined;
    if (disabled !== true) {
      Annotations.of(this).addWarningV2(
        '@gtuc/cdk-privatelink-ecs:mutualTlsExecuteApiEnabled',
        `Mutual TLS on the custom domain, but the REST API of \`mappings[${i}]\` (${restApi.node.path}) keeps its execute-api endpoint, where clients need no certificate: disable it (\`disableExecuteApiEndpoint: true\`).`,
      );
    }
  }
}

function pascalCase(path: string): string {
  return path
    .split(/[^A-Za-z0-9]+/)
    .filter((w) => w.length > 0)
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('');
}
