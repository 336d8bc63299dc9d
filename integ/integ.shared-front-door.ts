/**
 * Several services behind one front door: an EC2 awsvpc service and an EC2 bridge service on one capacity behind one
 * internal NLB (a listener each, one VPC link V1), and a Graviton Fargate service behind an internal ALB (a path rule,
 * a VPC link V2) — three services, one REST API (a route each), with a live call per route, a CORS preflight answered
 * by the gateway, and one of the gateway's own errors as problem details with CORS headers.
 *
 * The instances' managed termination protection is off so that the test stack deletes without waiting for scale-in.
 */
import { ExpectedResult, IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, Duration, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import {
  GeoWebAcl,
  PrivateApplicationLoadBalancer,
  PrivateEcsService,
  PrivateNetworkLoadBalancer,
  PrivateRestApi,
  ServiceCapacity,
  ServiceNetworkMode,
} from '../src';

const app = new App();
const stack = new Stack(app, 'PrivateLinkEcsIntegSharedFrontDoor');
// A light VPC for live runs: one NAT gateway, so the instances and the tasks reach ECS and public ECR.
const vpc = new ec2.Vpc(stack, 'Vpc', {
  availabilityZones: ['us-east-2a', 'us-east-2b', 'us-east-2c'],
  natGateways: 1,
});

const capacity = ServiceCapacity.autoScalingGroup({
  minCapacity: 1,
  maxCapacity: 2,
  managedTerminationProtection: false,
});
const image = ecs.ContainerImage.fromRegistry('public.ecr.aws/nginx/nginx:stable-alpine');
const items = new PrivateEcsService(stack, 'Items', {
  vpc,
  capacity,
  networkMode: ServiceNetworkMode.AWS_VPC,
  image,
  containerPort: 80,
  desiredCount: 1,
});
const orders = new PrivateEcsService(stack, 'Orders', {
  vpc,
  capacity,
  networkMode: ServiceNetworkMode.BRIDGE,
  image,
  containerPort: 80,
  desiredCount: 1,
});

// Fargate on Graviton; nginx answers 200 on every path, so the ALB's path rule is exercised without stripping.
const billing = new PrivateEcsService(stack, 'Billing', {
  vpc,
  capacity: ServiceCapacity.fargate({ cpuArchitecture: ecs.CpuArchitecture.ARM64 }),
  image,
  containerPort: 80,
  desiredCount: 1,
});
(billing.taskDefinition.node.defaultChild as ecs.CfnTaskDefinition).addPropertyOverride(
  'ContainerDefinitions.0.Command',
  [
    'sh',
    '-c',
    'printf \'server { listen 80; location / { default_type text/plain; return 200 "billing"; } }\' > /etc/nginx/conf.d/default.conf && exec nginx -g "daemon off;"',
  ],
);

const nlb = new PrivateNetworkLoadBalancer(stack, 'Nlb', { vpc });
const alb = new PrivateApplicationLoadBalancer(stack, 'Alb', { vpc, deletionProtection: false });
const webAcl = new GeoWebAcl(stack, 'WebAcl');
const ORIGIN = 'https://app.example.com';
const api = new PrivateRestApi(stack, 'Api', { webAcl: webAcl.webAcl, cors: { allowOrigins: [ORIGIN] } });
// nginx serves `/`: both routes strip their prefix.
api.addRoute('/items', nlb.addService(items, { port: 8081 }), { stripPrefix: true });
api.addRoute('/orders', nlb.addService(orders, { port: 8082 }), { stripPrefix: true });
api.addRoute('/billing', alb.addService(billing, { priority: 10, pathPatterns: ['/billing', '/billing/*'] }));

const integ = new IntegTest(app, 'SharedFrontDoorTest', { testCases: [stack], regions: ['us-east-2'] });

// GET is public by default; the core rule set blocks requests without a User-Agent, so send one.
const headers = { 'User-Agent': 'cdk-integ-tests' };
for (const path of ['items', 'orders', 'billing', 'billing/invoices/42']) {
  integ.assertions
    .httpApiCall(`${api.url}${path}`, { headers })
    .expect(ExpectedResult.objectLike({ status: 200 }))
    .waitForAssertions({ totalTimeout: Duration.minutes(10), interval: Duration.seconds(30) });
}
// An unrouted path gets the front door's own 404, as problem details.
integ.assertions
  .httpApiCall(`${api.url}nothing-here`, { headers })
  .expect(
    ExpectedResult.objectLike({
      status: 404,
      headers: ExpectedResult.objectLike({ 'content-type': ['application/problem+json'] }),
      body: ExpectedResult.objectLike({ status: 404, title: 'Not found' }),
    }),
  )
  .waitForAssertions({ totalTimeout: Duration.minutes(5), interval: Duration.seconds(30) });

// A browser's preflight for a cross-origin POST: answered by the gateway (MOCK), never by the service.
integ.assertions
  .httpApiCall(`${api.url}items/1`, {
    method: 'OPTIONS',
    headers: { ...headers, Origin: ORIGIN, 'Access-Control-Request-Method': 'POST' },
  })
  .expect(
    ExpectedResult.objectLike({
      status: 204,
      headers: ExpectedResult.objectLike({
        'access-control-allow-origin': [ORIGIN],
        'access-control-allow-methods': ['GET,HEAD,POST,PUT,PATCH,DELETE'],
        vary: ['Origin'],
      }),
    }),
  )
  .waitForAssertions({ totalTimeout: Duration.minutes(5), interval: Duration.seconds(30) });
// A write without a SigV4 signature: the gateway's own 403, as problem details a browser on the origin can read.
integ.assertions
  .httpApiCall(`${api.url}items`, { method: 'POST', headers: { ...headers, Origin: ORIGIN }, body: '{}' })
  .expect(
    ExpectedResult.objectLike({
      status: 403,
      headers: ExpectedResult.objectLike({
        'content-type': ['application/problem+json'],
        'access-control-allow-origin': [ORIGIN],
      }),
      body: ExpectedResult.objectLike({ status: 403, title: 'Missing authentication token' }),
    }),
  )
  .waitForAssertions({ totalTimeout: Duration.minutes(5), interval: Duration.seconds(30) });
