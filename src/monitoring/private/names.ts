import { Fn, Stack, Token } from 'aws-cdk-lib';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { Construct } from 'constructs';

/**
 * The default alarm-name prefix: the stack name followed by the construct ids below the stack, joined with `-`.
 *
 * For `ItemsStack/Service/Monitoring` in a stack named `ItemsStack` it is `ItemsStack-Service-Monitoring`.
 * The result is a literal string (never a token), so that alarm names can be handed to
 * `BaseService.enableDeploymentAlarms()` without creating a dependency on the alarm resources.
 */
export function defaultAlarmNamePrefix(scope: Construct): string {
  const stack = Stack.of(scope);
  const stackName = Token.isUnresolved(stack.stackName) ? stack.node.id : stack.stackName;
  const scopes = scope.node.scopes;
  const below = scopes.slice(scopes.indexOf(stack) + 1).map((c) => c.node.id);
  return sanitizeName([stackName, ...below].join('-'));
}

/**
 * Replaces every character that is not a letter, a digit, `-` or `_` with `-`.
 */
export function sanitizeName(name: string): string {
  return name.replace(/[^A-Za-z0-9_-]/g, '-');
}

/**
 * The `LoadBalancer` dimension value (`net/<name>/<id>` or `app/<name>/<id>`) of a load balancer.
 *
 * Uses the `LoadBalancerFullName` attribute of a load balancer created in this app, and otherwise the part of its ARN
 * after `loadbalancer/`.
 */
export function loadBalancerFullName(
  loadBalancer: elbv2.INetworkLoadBalancer | elbv2.IApplicationLoadBalancer,
): string {
  if (loadBalancer instanceof elbv2.BaseLoadBalancer) {
    return loadBalancer.loadBalancerFullName;
  }
  const parts = Fn.split('/', loadBalancer.loadBalancerArn);
  return Fn.join('/', [Fn.select(1, parts), Fn.select(2, parts), Fn.select(3, parts)]);
}

/**
 * The `TargetGroup` dimension value (`targetgroup/<name>/<id>`) of a target group.
 *
 * Uses the `TargetGroupFullName` attribute of a target group created in this app, and otherwise the part of its ARN
 * from `targetgroup/` on.
 */
export function targetGroupFullName(targetGroup: elbv2.ITargetGroup): string {
  if (targetGroup instanceof elbv2.TargetGroupBase) {
    return targetGroup.targetGroupFullName;
  }
  const parts = Fn.split('/', targetGroup.targetGroupArn);
  return Fn.join('/', ['targetgroup', Fn.select(1, parts), Fn.select(2, parts)]);
}
