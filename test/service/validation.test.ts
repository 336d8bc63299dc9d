import { Duration, Stack } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { IMAGE, newStack, newVpc } from './fixtures';
import {
  ApiAuthorizationType,
  GeoWebAcl,
  PrivateLinkEcsService,
  PrivateLinkEcsServiceProps,
  ServiceNetworkMode,
} from '../../src';

type Extra = Partial<PrivateLinkEcsServiceProps>;

/** The message of the error thrown when a service with `props(stack, vpc)` is created. */
function errorOf(props: (stack: Stack, vpc: ec2.IVpc) => Extra): string | undefined {
  const { stack } = newStack();
  const vpc = newVpc(stack);
  try {
    new PrivateLinkEcsService(stack, 'Items', { vpc, image: IMAGE, ...props(stack, vpc) });
  } catch (e) {
    return (e as Error).message;
  }
  return undefined;
}

const importedCluster = (stack: Stack, vpc: ec2.IVpc) =>
  ecs.Cluster.fromClusterAttributes(stack, 'Cluster', { clusterName: 'items', vpc });

const BRIDGE = ServiceNetworkMode.BRIDGE;

const cases: Array<[string, (stack: Stack, vpc: ec2.IVpc) => Extra, string]> = [
  ['containerPort 0', () => ({ containerPort: 0 }), '`containerPort` must be an integer from 1 to 65535, got: 0.'],
  [
    'containerPort 65536',
    () => ({ containerPort: 65536 }),
    '`containerPort` must be an integer from 1 to 65535, got: 65536.',
  ],
  [
    'containerPort 80.5',
    () => ({ containerPort: 80.5 }),
    '`containerPort` must be an integer from 1 to 65535, got: 80.5.',
  ],
  ['listenerPort 0', () => ({ listenerPort: 0 }), '`listenerPort` must be an integer from 1 to 65535, got: 0.'],
  [
    'cluster with capacity',
    (stack, vpc) => ({ cluster: importedCluster(stack, vpc), capacity: { minCapacity: 1 } }),
    "`capacity` configures a new cluster and can't be combined with `cluster`; configure the existing cluster's capacity yourself.",
  ],
  [
    'cluster with clusterName',
    (stack, vpc) => ({ cluster: importedCluster(stack, vpc), clusterName: 'items' }),
    "`clusterName` configures a new cluster and can't be combined with `cluster`; configure the existing cluster's capacity yourself.",
  ],
  [
    'bridge cluster without instanceSecurityGroup',
    (stack, vpc) => ({ networkMode: BRIDGE, cluster: importedCluster(stack, vpc) }),
    '`instanceSecurityGroup` is required with `cluster` in BRIDGE mode: the load balancer must reach the dynamic host ports (32768-65535) of the container instances.',
  ],
  [
    'capacityProviderStrategies without cluster',
    () => ({ capacityProviderStrategies: [{ capacityProvider: 'cp', weight: 1 }] }),
    '`capacityProviderStrategies` applies only to an existing `cluster`.',
  ],
  [
    'taskSubnets in bridge mode',
    () => ({ networkMode: BRIDGE, taskSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS } }),
    "`taskSubnets` applies only to AWS_VPC mode; bridge-mode tasks use their instance's network (see `capacity.vpcSubnets`).",
  ],
  [
    'serviceSecurityGroupName in bridge mode',
    () => ({ networkMode: BRIDGE, serviceSecurityGroupName: 'items-ecs-service-sg' }),
    "`serviceSecurityGroupName` applies only to AWS_VPC mode; bridge-mode tasks use the instances' security group.",
  ],
  ['desiredCount -1', () => ({ desiredCount: -1 }), '`desiredCount` must be a non-negative integer, got: -1.'],
  [
    'clusterName with a dot',
    () => ({ clusterName: 'items.cluster' }),
    "`clusterName` must be 1 to 255 letters, digits, hyphens or underscores, got: 'items.cluster'.",
  ],
  [
    'loadBalancerSecurityGroupName starting with sg-',
    () => ({ loadBalancerSecurityGroupName: 'sg-items-nlb' }),
    "`loadBalancerSecurityGroupName` must be 1 to 255 letters, digits, spaces or ._-:/()#,@[]+=&;{}!$* and not start with 'sg-', got: 'sg-items-nlb'.",
  ],
  [
    'serviceName with a space',
    () => ({ serviceName: 'items api' }),
    "`serviceName` must be 1 to 255 letters, digits, hyphens or underscores, got: 'items api'.",
  ],
  [
    'healthCheck interval of 4 s',
    () => ({ healthCheck: { interval: Duration.seconds(4) } }),
    '`healthCheck.interval` must be a whole number of seconds from 5 to 300, got: 4 seconds.',
  ],
  [
    'capacity min above max',
    () => ({ capacity: { minCapacity: 5, maxCapacity: 4 } }),
    '`capacity.minCapacity` (5) must not exceed `capacity.maxCapacity` (4), and the maximum must be at least 1.',
  ],
  [
    'capacity max 0',
    () => ({ capacity: { minCapacity: 0, maxCapacity: 0 } }),
    '`capacity.minCapacity` (0) must not exceed `capacity.maxCapacity` (0), and the maximum must be at least 1.',
  ],
  [
    'capacity default min above max',
    () => ({ capacity: { maxCapacity: 1 } }),
    '`capacity.minCapacity` (2) must not exceed `capacity.maxCapacity` (1), and the maximum must be at least 1.',
  ],
  [
    'targetCapacityPercent 101',
    () => ({ capacity: { targetCapacityPercent: 101 } }),
    '`capacity.targetCapacityPercent` must be between 1 and 100, got: 101.',
  ],
  [
    'autoScaling min above desired',
    () => ({ desiredCount: 2, autoScaling: { minCapacity: 3, maxCapacity: 6 } }),
    'Task counts must satisfy `autoScaling.minCapacity` <= `desiredCount` <= `autoScaling.maxCapacity`, got: 3 <= 2 <= 6.',
  ],
  [
    'autoScaling max below desired',
    () => ({ autoScaling: { maxCapacity: 1 } }),
    'Task counts must satisfy `autoScaling.minCapacity` <= `desiredCount` <= `autoScaling.maxCapacity`, got: 2 <= 2 <= 1.',
  ],
  [
    'targetCpuUtilization 0',
    () => ({ autoScaling: { maxCapacity: 4, targetCpuUtilization: 0 } }),
    '`autoScaling.targetCpuUtilization` must be greater than 0 and at most 100, got: 0.',
  ],
  [
    'targetMemoryUtilization 120',
    () => ({ autoScaling: { maxCapacity: 4, targetMemoryUtilization: 120 } }),
    '`autoScaling.targetMemoryUtilization` must be greater than 0 and at most 100, got: 120.',
  ],
  ['minHealthyPercent -1', () => ({ minHealthyPercent: -1 }), '`minHealthyPercent` must not be negative, got: -1.'],
  [
    'minHealthyPercent above maxHealthyPercent',
    () => ({ minHealthyPercent: 100, maxHealthyPercent: 90 }),
    '`minHealthyPercent` (100) must not exceed `maxHealthyPercent` (90).',
  ],
  [
    'load balancer without a security group',
    (stack, vpc) => ({ loadBalancer: new elbv2.NetworkLoadBalancer(stack, 'Nlb', { vpc }) }),
    "`loadBalancer` must carry a security group (an NLB can't gain one after creation), got: a load balancer without security groups.",
  ],
  [
    'imported load balancer without a security group',
    (stack, vpc) => ({
      loadBalancer: elbv2.NetworkLoadBalancer.fromNetworkLoadBalancerAttributes(stack, 'Nlb', {
        loadBalancerArn: 'arn:aws:elasticloadbalancing:us-east-2:123456789012:loadbalancer/net/items/0123456789abcdef',
        vpc,
      }),
    }),
    "`loadBalancer` must carry a security group (an NLB can't gain one after creation), got: a load balancer without security groups.",
  ],
  [
    'load balancer with loadBalancerName',
    (stack, vpc) => ({
      loadBalancer: new elbv2.NetworkLoadBalancer(stack, 'Nlb', {
        vpc,
        securityGroups: [new ec2.SecurityGroup(stack, 'NlbSg', { vpc })],
      }),
      loadBalancerName: 'items-nlb',
    }),
    "`loadBalancerName` configures a new load balancer and can't be combined with `loadBalancer`.",
  ],
  [
    'loadBalancerName of 33 characters',
    () => ({ loadBalancerName: 'a'.repeat(33) }),
    `\`loadBalancerName\` must be 1-32 letters, digits or hyphens, not starting or ending with a hyphen, got: '${'a'.repeat(33)}'.`,
  ],
  [
    'targetGroupName of 33 characters',
    () => ({ targetGroupName: 'items-ecs-target-group-0123456789' }),
    "`targetGroupName` must be 1-32 letters, digits or hyphens, not starting or ending with a hyphen, got: 'items-ecs-target-group-0123456789'.",
  ],
  [
    'targetGroupName starting with a hyphen',
    () => ({ targetGroupName: '-items' }),
    "`targetGroupName` must be 1-32 letters, digits or hyphens, not starting or ending with a hyphen, got: '-items'.",
  ],
  [
    'integrationTimeout 30 s',
    () => ({ integrationTimeout: Duration.seconds(30) }),
    '`integrationTimeout` must be between 50 ms and 29 s, got: 30000 ms.',
  ],
  [
    'integrationTimeout 49 ms',
    () => ({ integrationTimeout: Duration.millis(49) }),
    '`integrationTimeout` must be between 50 ms and 29 s, got: 49 ms.',
  ],
  [
    'throttling rate 0',
    () => ({ throttling: { rateLimit: 0 } }),
    '`throttling.rateLimit` must be greater than 0, got: 0.',
  ],
  [
    'throttling burst 1.5',
    () => ({ throttling: { burstLimit: 1.5 } }),
    '`throttling.burstLimit` must be a non-negative integer, got: 1.5.',
  ],
  [
    'webAcl with webAclArn',
    () => ({
      webAcl: { rateLimit: 500 },
      webAclArn: 'arn:aws:wafv2:us-east-2:123456789012:regional/webacl/items/a1b2c3d4',
    }),
    "`webAcl` configures a new web ACL and can't be combined with `webAclArn`.",
  ],
  [
    'enableWebAcl false with webAclArn',
    () => ({
      enableWebAcl: false,
      webAclArn: 'arn:aws:wafv2:us-east-2:123456789012:regional/webacl/items/a1b2c3d4',
    }),
    '`enableWebAcl` is false, so `webAcl` and `webAclArn` must not be set.',
  ],
  [
    'existingWebAcl with webAcl',
    (stack) => ({
      existingWebAcl: new GeoWebAcl(stack, 'Shared'),
      webAcl: { blockedCountries: ['NG'] },
    }),
    "`webAcl` configures a new web ACL and can't be combined with `existingWebAcl`: set the options on the existing `GeoWebAcl`.",
  ],
  [
    'existingWebAcl with webAclArn',
    (stack) => ({
      existingWebAcl: new GeoWebAcl(stack, 'Shared'),
      webAclArn: 'arn:aws:wafv2:us-east-2:123456789012:regional/webacl/items/a1b2c3d4',
    }),
    "`existingWebAcl` and `webAclArn` both name the stage's web ACL: set one of them.",
  ],
  [
    'enableWebAcl false with existingWebAcl',
    (stack) => ({ existingWebAcl: new GeoWebAcl(stack, 'Shared'), enableWebAcl: false }),
    '`enableWebAcl` is false, so `existingWebAcl` must not be set.',
  ],
  [
    'a CLOUDFRONT webAclArn',
    () => ({ webAclArn: 'arn:aws:wafv2:us-east-1:123456789012:global/webacl/items/a1b2c3d4' }),
    "`webAclArn` must be the ARN of a REGIONAL WAFv2 web ACL, got: 'arn:aws:wafv2:us-east-1:123456789012:global/webacl/items/a1b2c3d4'.",
  ],
  [
    'a web ACL id instead of an ARN',
    () => ({ webAclArn: 'a1b2c3d4-5678-90ab-cdef-EXAMPLE11111' }),
    "`webAclArn` must be the ARN of a REGIONAL WAFv2 web ACL, got: 'a1b2c3d4-5678-90ab-cdef-EXAMPLE11111'.",
  ],
  [
    'COGNITO without user pools',
    () => ({ authorization: { type: ApiAuthorizationType.COGNITO } }),
    '`authorization.userPools` must name at least one user pool with ApiAuthorizationType.COGNITO.',
  ],
  [
    'COGNITO with an empty user pool list',
    () => ({ authorization: { type: ApiAuthorizationType.COGNITO, userPools: [] } }),
    '`authorization.userPools` must name at least one user pool with ApiAuthorizationType.COGNITO.',
  ],
  [
    'IAM with user pools',
    (stack) => ({
      authorization: { type: ApiAuthorizationType.IAM, userPools: [new cognito.UserPool(stack, 'Pool')] },
    }),
    '`authorization.userPools` and `authorization.authorizationScopes` apply only to COGNITO, got type: IAM.',
  ],
  [
    'a TLS server name that is a URL',
    (stack) => ({
      tls: {
        certificate: acm.Certificate.fromCertificateArn(
          stack,
          'Cert',
          'arn:aws:acm:us-east-2:123456789012:certificate/11111111-2222-3333-4444-555555555555',
        ),
        serverName: 'https://items.example.com',
      },
    }),
    "`tls.serverName` must be a DNS name the certificate is issued for, got: 'https://items.example.com'.",
  ],
  // The web ACL's own validation, passed through.
  [
    'an unknown blocked country',
    () => ({ webAcl: { blockedCountries: ['XX'] } }),
    "`blockedCountries` must contain ISO 3166-1 alpha-2 country codes such as 'NG' or 'GH', got: 'XX'.",
  ],
  [
    'a lower-case CAPTCHA country',
    () => ({ webAcl: { captchaCountries: ['gh'] } }),
    "`captchaCountries` must contain upper-case ISO 3166-1 alpha-2 country codes (use 'GH'), got: 'gh'.",
  ],
  [
    'a country both blocked and CAPTCHA-challenged',
    () => ({ webAcl: { blockedCountries: ['NG', 'GH'], captchaCountries: ['GH'] } }),
    "`captchaCountries` must not contain countries that are also in `blockedCountries` (the block rule runs first), got: 'GH'.",
  ],
  [
    'a web ACL rate limit of 5',
    () => ({ webAcl: { rateLimit: 5 } }),
    '`rateLimit` must be an integer between 10 and 2000000000, got: 5.',
  ],
];

describe('PrivateLinkEcsService validation', () => {
  test.each(cases)('GIVEN %s WHEN the service is created THEN it throws the exact message', (_name, props, message) => {
    expect(errorOf(props)).toBe(message);
  });

  test('GIVEN valid edge values WHEN the service is created THEN it does not throw', () => {
    expect(
      errorOf(() => ({
        containerPort: 65535,
        integrationTimeout: Duration.millis(50),
        loadBalancerName: 'a'.repeat(32),
        targetGroupName: 'items-ecs-tg',
        capacity: { minCapacity: 0, maxCapacity: 1, targetCapacityPercent: 100 },
        autoScaling: { minCapacity: 1, maxCapacity: 2 },
      })),
    ).toBeUndefined();
  });

  test('GIVEN desiredCount 0 (scaled to zero, which `desiredCount` validation allows) WHEN the service is created THEN it does not throw', () => {
    expect(errorOf(() => ({ desiredCount: 0 }))).toBeUndefined();
    expect(errorOf(() => ({ desiredCount: 0, autoScaling: { minCapacity: 0, maxCapacity: 1 } }))).toBeUndefined();
  });
});
