import { Stack, Token } from 'aws-cdk-lib';
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
