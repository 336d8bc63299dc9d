import { Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import {
  PrivateApplicationLoadBalancer,
  PrivateEcsService,
  PrivateNetworkLoadBalancer,
  ServiceCapacity,
  TargetHealthCheckOptions,
} from '../../src';
import { IMAGE, newStack, newVpc, sharedParts } from '../parts/fixtures';

/** The message thrown when `items` is added to an NLB with `healthCheck`, or undefined. */
function nlbError(healthCheck: TargetHealthCheckOptions): string | undefined {
  const stack = newStack();
  const { items, nlb } = sharedParts(stack);
  try {
    nlb.addService(items, { port: 8081, healthCheck });
  } catch (e) {
    return (e as Error).message;
  }
  return undefined;
}

/** The message thrown when a Fargate service is added to an ALB with `healthCheck`, or undefined. */
function albError(healthCheck: TargetHealthCheckOptions): string | undefined {
  const stack = newStack();
  const vpc = newVpc(stack);
  const billing = new PrivateEcsService(stack, 'Billing', {
    vpc,
    capacity: ServiceCapacity.fargate(),
    image: IMAGE,
    containerPort: 8080,
  });
  const alb = new PrivateApplicationLoadBalancer(stack, 'Alb', { vpc, deletionProtection: false });
  try {
    alb.addService(billing, { priority: 10, pathPatterns: ['/billing/*'], healthCheck });
  } catch (e) {
    return (e as Error).message;
  }
  return undefined;
}

const COMMON: Array<[string, TargetHealthCheckOptions, string]> = [
  [
    'interval above 300 s',
    { interval: Duration.minutes(6) },
    '`healthCheck.interval` must be a whole number of seconds from %MIN% to 300%WHY%, got: 360 seconds.',
  ],
  [
    'interval of 7.5 s',
    { interval: Duration.millis(7500) },
    '`healthCheck.interval` must be a whole number of seconds from %MIN% to 300%WHY%, got: 7.5 seconds.',
  ],
  [
    'healthyThresholdCount 1',
    { healthyThresholdCount: 1 },
    '`healthCheck.healthyThresholdCount` must be an integer from 2 to 10, got: 1.',
  ],
  [
    'unhealthyThresholdCount 11',
    { unhealthyThresholdCount: 11 },
    '`healthCheck.unhealthyThresholdCount` must be an integer from 2 to 10, got: 11.',
  ],
  [
    'deregistrationDelay above one hour',
    { deregistrationDelay: Duration.seconds(3601) },
    '`healthCheck.deregistrationDelay` must be a whole number of seconds from 0 to 3600, got: 3601 seconds.',
  ],
  [
    'a path without a leading slash',
    { path: 'healthz' },
    "`healthCheck.path` must start with '/' and be at most 1024 characters, got: 'healthz'.",
  ],
];

describe('Target health check validation', () => {
  describe('GIVEN PrivateNetworkLoadBalancer.addService()', () => {
    test.each(COMMON)('WHEN the health check has %s THEN synth fails', (_what, healthCheck, message) => {
      expect(nlbError(healthCheck)).toBe(message.replace('%MIN%', '5').replace('%WHY%', ''));
    });

    test('WHEN the interval is 5 s THEN it is accepted', () => {
      const stack = newStack();
      const { items, nlb } = sharedParts(stack);
      nlb.addService(items, {
        port: 8081,
        healthCheck: {
          interval: Duration.seconds(5),
          healthyThresholdCount: 10,
          unhealthyThresholdCount: 2,
          deregistrationDelay: Duration.seconds(0),
        },
      });
      Template.fromStack(stack).hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', {
        HealthCheckIntervalSeconds: 5,
        HealthyThresholdCount: 10,
        UnhealthyThresholdCount: 2,
        TargetGroupAttributes: [{ Key: 'deregistration_delay.timeout_seconds', Value: '0' }],
      });
    });
  });

  describe('GIVEN PrivateApplicationLoadBalancer.addService()', () => {
    test.each(COMMON)('WHEN the health check has %s THEN synth fails', (_what, healthCheck, message) => {
      expect(albError(healthCheck)).toBe(
        message.replace('%MIN%', '6').replace('%WHY%', " (longer than the ALB's 5-second health check timeout)"),
      );
    });

    test('WHEN the interval is 5 s, the default timeout THEN synth fails', () => {
      expect(albError({ interval: Duration.seconds(5) })).toBe(
        "`healthCheck.interval` must be a whole number of seconds from 6 to 300 (longer than the ALB's 5-second health check timeout), got: 5 seconds.",
      );
    });

    test('WHEN the interval is 6 s and the path is long THEN they are accepted', () => {
      expect(albError({ interval: Duration.seconds(6), path: `/${'a'.repeat(1023)}` })).toBeUndefined();
      expect(albError({ path: `/${'a'.repeat(1024)}` })).toBe(
        `\`healthCheck.path\` must start with '/' and be at most 1024 characters, got: '/${'a'.repeat(1024)}'.`,
      );
    });
  });
});

describe('Load balancer security group names', () => {
  test.each([
    [
      'NLB',
      (scope: Stack) =>
        new PrivateNetworkLoadBalancer(scope, 'Nlb', { vpc: newVpc(scope), securityGroupName: 'sg-nlb' }),
    ],
    [
      'ALB',
      (scope: Stack) =>
        new PrivateApplicationLoadBalancer(scope, 'Alb', { vpc: newVpc(scope), securityGroupName: 'sg-nlb' }),
    ],
  ])('GIVEN an %s securityGroupName starting with sg- WHEN created THEN synth fails', (_kind, make) => {
    expect(() => make(newStack())).toThrow(
      "`securityGroupName` must be 1 to 255 letters, digits, spaces or ._-:/()#,@[]+=&;{}!$* and not start with 'sg-', got: 'sg-nlb'.",
    );
  });
});
