import { Stack, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';
import { PrivateEcsService } from '../../service';
import { LoadBalancerTlsOptions, TargetHealthCheckOptions } from '../options';

/** A load balancer or target group name: 1-32 letters, digits or hyphens, not starting or ending with a hyphen. */
const NAME_PATTERN = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,30}[A-Za-z0-9])?$/;

/**
 * The checks of `addService()` that both load balancers make: the service runs in the load balancer's VPC, has a
 * security group to open, and the target group's name is valid.
 */
export function validateServiceTarget(
  loadBalancer: Construct,
  vpc: ec2.IVpc,
  service: PrivateEcsService,
  targetGroupName: string | undefined,
  healthCheck: TargetHealthCheckOptions | undefined,
  kind: 'ALB' | 'NLB',
) {
  if (!sameVpc(loadBalancer, service.vpc, vpc)) {
    throw new Error(`\`service\` must run in the load balancer's VPC, got: '${service.node.path}' in another VPC.`);
  }
  if (service.connections.securityGroups.length === 0) {
    throw new Error(
      `\`service\` '${service.node.path}' has no security group for the load balancer to reach (an existing cluster in BRIDGE mode needs \`instanceSecurityGroup\`).`,
    );
  }
  validateName('targetGroupName', targetGroupName);
  validateHealthCheck(healthCheck, kind);
}

/**
 * Rejects target health check settings that Elastic Load Balancing refuses: an interval of 5-300 whole seconds
 * (on an ALB longer than its default 5-second timeout, which the options don't change), thresholds of 2-10, a
 * deregistration delay of 0-3600 seconds and a path that starts with '/' (at most 1024 characters).
 */
export function validateHealthCheck(healthCheck: TargetHealthCheckOptions | undefined, kind: 'ALB' | 'NLB') {
  if (!healthCheck) {
    return;
  }
  const interval = healthCheck.interval?.toSeconds({ integral: false });
  const minInterval = kind === 'ALB' ? 6 : 5;
  if (
    interval !== undefined &&
    !Token.isUnresolved(interval) &&
    (!Number.isInteger(interval) || interval < minInterval || interval > 300)
  ) {
    throw new Error(
      `\`healthCheck.interval\` must be a whole number of seconds from ${minInterval} to 300${kind === 'ALB' ? " (longer than the ALB's 5-second health check timeout)" : ''}, got: ${interval} seconds.`,
    );
  }
  for (const [name, value] of [
    ['healthCheck.healthyThresholdCount', healthCheck.healthyThresholdCount],
    ['healthCheck.unhealthyThresholdCount', healthCheck.unhealthyThresholdCount],
  ] as Array<[string, number | undefined]>) {
    if (value !== undefined && !Token.isUnresolved(value) && (!Number.isInteger(value) || value < 2 || value > 10)) {
      throw new Error(`\`${name}\` must be an integer from 2 to 10, got: ${value}.`);
    }
  }
  const delay = healthCheck.deregistrationDelay?.toSeconds({ integral: false });
  if (delay !== undefined && !Token.isUnresolved(delay) && (!Number.isInteger(delay) || delay < 0 || delay > 3600)) {
    throw new Error(
      `\`healthCheck.deregistrationDelay\` must be a whole number of seconds from 0 to 3600, got: ${delay} seconds.`,
    );
  }
  const path = healthCheck.path;
  if (path !== undefined && !Token.isUnresolved(path) && (!path.startsWith('/') || path.length > 1024)) {
    throw new Error(`\`healthCheck.path\` must start with '/' and be at most 1024 characters, got: '${path}'.`);
  }
}

/** Rejects a load balancer or target group name that AWS would refuse. */
export function validateName(propertyName: string, name: string | undefined) {
  if (name !== undefined && !Token.isUnresolved(name) && !NAME_PATTERN.test(name)) {
    throw new Error(
      `\`${propertyName}\` must be 1-32 letters, digits or hyphens, not starting or ending with a hyphen, got: '${name}'.`,
    );
  }
}

/** Rejects a listener port outside 1-65535. */
export function validatePort(port: number | undefined) {
  if (port !== undefined && !Token.isUnresolved(port) && (!Number.isInteger(port) || port < 1 || port > 65535)) {
    throw new Error(`\`port\` must be an integer from 1 to 65535, got: ${port}.`);
  }
}

/** Rejects a `tls.serverName` that is no DNS name. */
export function validateTls(tls: LoadBalancerTlsOptions | undefined) {
  if (tls && !Token.isUnresolved(tls.serverName) && !/^[A-Za-z0-9.-]+$/.test(tls.serverName)) {
    throw new Error(`\`tls.serverName\` must be a DNS name the certificate is issued for, got: '${tls.serverName}'.`);
  }
}

/** Two VPCs are the same when they are one object or their IDs resolve alike. */
export function sameVpc(scope: Construct, a: ec2.IVpc, b: ec2.IVpc): boolean {
  if (a === b) {
    return true;
  }
  const stack = Stack.of(scope);
  return JSON.stringify(stack.resolve(a.vpcId)) === JSON.stringify(stack.resolve(b.vpcId));
}
