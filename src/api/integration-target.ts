import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { IPrivateVpcLink } from './vpc-link';

/**
 * Where a route's private integration goes: through which VPC link, to which host and port.
 */
export interface PrivateIntegrationConfig {
  /**
   * The VPC link (the integration's `ConnectionType` is `VPC_LINK`, its `ConnectionId` the link's ID).
   */
  readonly vpcLink: IPrivateVpcLink;

  /**
   * The integration URI's scheme, host and port without a path, e.g. `http://internal-nlb-123.elb.amazonaws.com:8081`
   * (the route appends its path).
   */
  readonly baseUri: string;

  /**
   * The ARN of the load balancer behind a V2 link (the integration's `IntegrationTarget`).
   *
   * @default - none (V1 links have a single target)
   */
  readonly integrationTarget?: string;

  /**
   * The VPC of the target.
   */
  readonly vpc: ec2.IVpc;
}

/**
 * A private service that a `PrivateRestApi` route can integrate with through a VPC link — a listener of a
 * `PrivateNetworkLoadBalancer` (returned by `addService()`), or of an internal ALB.
 */
export interface IPrivateIntegrationTarget {
  /**
   * The VPC link, base URI and (V2) integration target of the integration.
   */
  bindIntegration(): PrivateIntegrationConfig;
}
