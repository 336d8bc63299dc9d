import { Duration } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';

/**
 * The load balancer's target health check.
 */
export interface TargetHealthCheckOptions {
  /**
   * The HTTP path probed on the traffic port (a liveness path: one that does not fail when a dependency such as
   * the database is down, or every task is replaced during a database outage).
   *
   * @default '/'
   */
  readonly path?: string;

  /**
   * Time between probes.
   *
   * @default Duration.seconds(10)
   */
  readonly interval?: Duration;

  /**
   * Successful probes before a target counts as healthy.
   *
   * @default 2
   */
  readonly healthyThresholdCount?: number;

  /**
   * Failed probes before a target counts as unhealthy.
   *
   * @default 2
   */
  readonly unhealthyThresholdCount?: number;

  /**
   * Time the load balancer waits for in-flight connections before deregistering a target.
   *
   * @default Duration.seconds(30)
   */
  readonly deregistrationDelay?: Duration;
}

/**
 * A TLS listener on the load balancer, so the hop API Gateway → NLB is encrypted.
 */
export interface LoadBalancerTlsOptions {
  /**
   * The ACM certificate of the listener. ACM can't issue for `*.elb.amazonaws.com`: use a name of your own.
   */
  readonly certificate: acm.ICertificate;

  /**
   * The name the certificate is issued for; the API's integration URI becomes `https://<serverName>:<port>/…`
   * (API Gateway verifies the certificate against it). It need not resolve in DNS: the VPC link connects.
   */
  readonly serverName: string;

  /**
   * The TLS security policy.
   *
   * @default elbv2.SslPolicy.RECOMMENDED_TLS
   */
  readonly sslPolicy?: elbv2.SslPolicy;
}
