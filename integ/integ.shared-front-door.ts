/**
 * Several services behind one front door: an EC2 awsvpc service and an EC2 bridge service on one capacity, one
 * internal NLB (a listener each), one REST API (a route each) and one VPC link V1, with a live call per route, a
 * CORS preflight answered by the gateway, and one of the gateway's own errors as problem details with CORS headers.
 *
 * The instances' managed termination protection is off so that the test stack deletes without waiting for scale-in.
 */
import { ExpectedResult, IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, Duration, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import {
  GeoWebAcl,
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

const nlb = new PrivateNetworkLoadBalancer(stack, 'Nlb', { vpc });
const webAcl = new GeoWebAcl(stack, 'WebAcl');
const ORIGIN = 'https://app.example.com';
const api = new PrivateRestApi(stack, 'Api', { webAcl: webAcl.webAcl, cors: { allowOrigins: [ORIGIN] } });
// nginx serves `/`: both routes strip their prefix.
api.addRoute('/items', nlb.addService(items, { port: 8081 }), { stripPrefix: true });
api.addRoute('/orders', nlb.addService(orders, { port: 8082 }), { stripPrefix: true });

const integ = new IntegTest(app, 'SharedFrontDoorTest', { testCases: [stack], regions: ['us-east-2'] });

// GET is public by default; the core rule set blocks requests without a User-Agent, so send one.
const headers = { 'User-Agent': 'cdk-integ-tests' };
for (const path of ['items', 'orders']) {
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
