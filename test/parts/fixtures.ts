import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import {
  PrivateEcsService,
  PrivateEcsServiceProps,
  PrivateNetworkLoadBalancer,
  PrivateNetworkLoadBalancerProps,
  ServiceCapacity,
  ServiceNetworkMode,
} from '../../src';

export const ENV = { account: '123456789012', region: 'us-east-2' };
export const AZS = ['us-east-2a', 'us-east-2b', 'us-east-2c'];
export const IMAGE = ecs.ContainerImage.fromRegistry('public.ecr.aws/nginx/nginx:stable-alpine');

/** A stack in us-east-2 of a fresh app. */
export function newStack(id = 'Parts'): Stack {
  return new Stack(new App(), id, { env: ENV });
}

/** A VPC without lookups: public and private-with-egress subnets in three AZs. */
export function newVpc(stack: Stack, id = 'Vpc'): ec2.Vpc {
  return new ec2.Vpc(stack, id, { availabilityZones: AZS });
}

/** The parts of the README sketch: two services (awsvpc and bridge) on one capacity and one NLB. */
export function sharedParts(
  stack: Stack,
  options: { nlb?: Partial<PrivateNetworkLoadBalancerProps>; service?: Partial<PrivateEcsServiceProps> } = {},
) {
  const vpc = newVpc(stack);
  const capacity = ServiceCapacity.autoScalingGroup({ minCapacity: 1, maxCapacity: 2 });
  const items = new PrivateEcsService(stack, 'Items', {
    vpc,
    capacity,
    networkMode: ServiceNetworkMode.AWS_VPC,
    image: IMAGE,
    containerPort: 8080,
    ...options.service,
  });
  const orders = new PrivateEcsService(stack, 'Orders', {
    vpc,
    capacity,
    networkMode: ServiceNetworkMode.BRIDGE,
    image: IMAGE,
    containerPort: 8080,
  });
  const nlb = new PrivateNetworkLoadBalancer(stack, 'Nlb', { vpc, ...options.nlb });
  return { vpc, capacity, items, orders, nlb };
}

/** The logical id of the construct's default child. */
export function idOf(stack: Stack, construct: { node: { defaultChild?: unknown } }): string {
  return stack.getLogicalId(construct.node.defaultChild as any);
}

/** Resources of a type as [logicalId, properties]. */
export function resourcesOf(template: Template, type: string): Array<[string, any]> {
  return Object.entries(template.findResources(type)).map(([id, r]) => [id, r.Properties ?? {}]);
}
