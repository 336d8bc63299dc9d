/**
 * One PrivateLinkEcsService integ case (nginx on port 80) and its live check of the whole request path:
 * API Gateway → web ACL → VPC link → internal NLB → target group → task. Shared by the per-mode integ tests.
 *
 * The stage logs at INFO, which needs the account-wide API Gateway CloudWatch role: `cloudWatchRole` keeps its
 * default (true), so a first live run in a fresh account works; the role outlives the test stack.
 */
import { ExpectedResult, IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, Duration, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { PrivateLinkEcsService, ServiceNetworkMode } from '../src';

/** Builds the app of one network mode's integ test: `stackName` and `testName` keep the snapshots stable. */
export function serviceIntegCase(networkMode: ServiceNetworkMode, stackName: string, testName: string): App {
  const app = new App();
  const stack = new Stack(app, stackName);
  // A light VPC for live runs: one NAT gateway, so the instances and the tasks reach ECS and public ECR.
  const vpc = new ec2.Vpc(stack, 'Vpc', {
    availabilityZones: ['us-east-2a', 'us-east-2b', 'us-east-2c'],
    natGateways: 1,
  });
  const service = new PrivateLinkEcsService(stack, 'Service', {
    vpc,
    networkMode,
    image: ecs.ContainerImage.fromRegistry('public.ecr.aws/nginx/nginx:stable-alpine'),
    containerPort: 80,
    healthCheck: { path: '/' },
    desiredCount: 1,
    capacity: { minCapacity: 1, maxCapacity: 2 },
  });

  const integ = new IntegTest(app, testName, { testCases: [stack], regions: ['us-east-2'] });

  // GET is public by default; the core rule set blocks requests without a User-Agent, so send one.
  integ.assertions
    .httpApiCall(service.url, { headers: { 'User-Agent': 'cdk-integ-tests' } })
    .expect(ExpectedResult.objectLike({ status: 200 }))
    .waitForAssertions({ totalTimeout: Duration.minutes(10), interval: Duration.seconds(30) });
  return app;
}
