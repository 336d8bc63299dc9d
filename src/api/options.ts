import * as cognito from 'aws-cdk-lib/aws-cognito';

/**
 * Which kind of API Gateway VPC link joins the REST API to the load balancer.
 */
export enum VpcLinkVersion {
  /**
   * `AWS::ApiGateway::VpcLink`: a PrivateLink endpoint service in front of the NLB (what the brief describes).
   * AWS calls it legacy but still supports it.
   */
  V1 = 'V1',
  /**
   * `AWS::ApiGatewayV2::VpcLink` with the REST integration's `IntegrationTarget` set to the NLB's ARN: network
   * interfaces of API Gateway in your subnets, with a security group of their own. AWS recommends it for new
   * REST APIs.
   */
  V2 = 'V2',
}

/**
 * Who may call the API.
 */
export enum ApiAuthorizationType {
  /** No authorization: anyone who passes the web ACL and the throttles. */
  NONE = 'NONE',
  /** AWS IAM (SigV4-signed requests; callers need `execute-api:Invoke` on the method). */
  IAM = 'IAM',
  /** A Cognito user pool authorizer (an ID or access token in the `Authorization` header). */
  COGNITO = 'COGNITO',
}

/**
 * Which methods the authorization applies to.
 */
export enum AuthorizationScope {
  /** Every method. */
  ALL_METHODS = 'ALL_METHODS',
  /** Only POST, PUT, PATCH and DELETE; GET, HEAD and OPTIONS stay public. */
  WRITES_ONLY = 'WRITES_ONLY',
}

/**
 * Authorization of the REST API's methods.
 */
export interface ApiAuthorizationOptions {
  /**
   * The kind of authorization.
   */
  readonly type: ApiAuthorizationType;

  /**
   * Which methods require it.
   *
   * @default AuthorizationScope.WRITES_ONLY
   */
  readonly scope?: AuthorizationScope;

  /**
   * The user pools whose tokens the Cognito authorizer accepts (only with `ApiAuthorizationType.COGNITO`).
   *
   * @default - none; required with `ApiAuthorizationType.COGNITO`
   */
  readonly userPools?: cognito.IUserPool[];

  /**
   * OAuth scopes an access token must carry (only with `ApiAuthorizationType.COGNITO`).
   *
   * @default - an ID token or any access token of the pools is accepted
   */
  readonly authorizationScopes?: string[];
}

/**
 * Throttling of the REST API's stage: every client together, with or without an API key.
 */
export interface StageThrottlingOptions {
  /**
   * Steady-state requests per second.
   *
   * @default 100
   */
  readonly rateLimit?: number;

  /**
   * The burst (bucket size).
   *
   * @default 200
   */
  readonly burstLimit?: number;
}

/**
 * A usage plan: per-API-key throttle and quota. A usage plan applies only to requests that carry an API key.
 */
export interface UsagePlanOptions {
  /**
   * Require an API key on every method and create one key in the plan.
   *
   * @default false
   */
  readonly apiKeyRequired?: boolean;

  /**
   * Requests per second per API key.
   *
   * @default - the stage's rate limit
   */
  readonly rateLimit?: number;

  /**
   * Burst per API key.
   *
   * @default - the stage's burst limit
   */
  readonly burstLimit?: number;

  /**
   * Requests per day per API key.
   *
   * @default - no quota
   */
  readonly quotaPerDay?: number;
}
