export { joined } from '../template-text';
import { App, CfnElement, CfnResource, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { IConstruct } from 'constructs';
import { PrivateLinkEcsService, PrivateLinkEcsServiceProps } from '../../src';

/** The account and region of every test stack. */
export const ENV = { account: '123456789012', region: 'us-east-2' };
export const AZS = ['us-east-2a', 'us-east-2b', 'us-east-2c'];
export const IMAGE = ecs.ContainerImage.fromRegistry('public.ecr.aws/nginx/nginx:stable-alpine');

/** A stack in us-east-2 of a fresh app (no feature flags). */
export function newStack(id: string = 'Service'): { app: App; stack: Stack } {
  const app = new App();
  return { app, stack: new Stack(app, id, { env: ENV }) };
}

/** A VPC without lookups: public and private-with-egress subnets in three AZs. */
export function newVpc(stack: Stack): ec2.Vpc {
  return new ec2.Vpc(stack, 'Vpc', { availabilityZones: AZS });
}

export type ServiceOptions = Omit<PrivateLinkEcsServiceProps, 'vpc' | 'image'> &
  Partial<Pick<PrivateLinkEcsServiceProps, 'vpc' | 'image'>>;

/** GIVEN a stack with a VPC WHEN a `PrivateLinkEcsService` is added THEN this returns its template. */
export function synthService(
  options: ServiceOptions = {},
  setup?: (stack: Stack) => Partial<PrivateLinkEcsServiceProps>,
) {
  const { app, stack } = newStack();
  const extra = setup ? setup(stack) : {};
  const vpc = options.vpc ?? extra.vpc ?? newVpc(stack);
  const service = new PrivateLinkEcsService(stack, 'Items', { image: IMAGE, ...extra, ...options, vpc });
  return { app, stack, service, template: Template.fromStack(stack) };
}

/** The logical id of a construct's L1: the construct itself, its default child, or its first L1 child. */
export function logicalId(construct: IConstruct): string {
  const element =
    construct instanceof CfnElement
      ? construct
      : ((construct.node.defaultChild ?? construct.node.children.find((c) => c instanceof CfnResource)) as CfnElement);
  if (!element) {
    throw new Error(`no L1 under ${construct.node.path}`);
  }
  return Stack.of(element).getLogicalId(element);
}

/** `{ Ref: <logical id> }` of a construct. */
export function ref(construct: IConstruct): { Ref: string } {
  return { Ref: logicalId(construct) };
}

/** `{ 'Fn::GetAtt': [<logical id>, attribute] }` of a construct. */
export function getAtt(construct: IConstruct, attribute: string): { 'Fn::GetAtt': [string, string] } {
  return { 'Fn::GetAtt': [logicalId(construct), attribute] };
}

/** The resources of `type` in a template, as `[logicalId, properties]` pairs. */
export function resourcesOf(template: Template, type: string): Array<[string, any]> {
  return Object.entries(template.findResources(type)).map(([id, r]) => [id, r.Properties ?? {}]);
}

/**
 * Every ingress rule of the template, inline (`AWS::EC2::SecurityGroup.SecurityGroupIngress`) or standalone
 * (`AWS::EC2::SecurityGroupIngress`).
 */
export function ingressRules(template: Template): any[] {
  return [
    ...resourcesOf(template, 'AWS::EC2::SecurityGroup').flatMap(([, p]) => p.SecurityGroupIngress ?? []),
    ...resourcesOf(template, 'AWS::EC2::SecurityGroupIngress').map(([, p]) => p),
  ];
}

/** The `AWS::ApiGateway::Method` properties of a template. */
export function methodsOf(template: Template): any[] {
  return resourcesOf(template, 'AWS::ApiGateway::Method').map(([, p]) => p);
}

/**
 * The cdk-nag rules a service with default props acknowledges (each with its reason): pinned so that a new
 * acknowledgement is a conscious change.
 */
export const SERVICE_ACKNOWLEDGED_RULES = [
  'AwsSolutions-APIG4',
  'AwsSolutions-AS3',
  'AwsSolutions-COG4',
  // Only for AWS_REGION, the variable aws-cdk-lib adds to awsvpc containers.
  'AwsSolutions-ECS2',
  'AwsSolutions-ELB2',
  'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/AmazonSSMManagedInstanceCore]',
  // The front door creates the account's API Gateway logging role by default (`cloudWatchRole`).
  'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
  'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role]',
  'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy]',
  'AwsSolutions-IAM5[Action::ecs:Submit*]',
  'AwsSolutions-IAM5[Resource::*]',
];
