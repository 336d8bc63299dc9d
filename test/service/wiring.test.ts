import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { HubSpokeNetwork, PrivateLinkEcsService, PrivateLinkEcsServiceProps } from '../../src';

function synth(props: Partial<PrivateLinkEcsServiceProps> = {}) {
  const stack = new Stack(new App(), 'Stack', { env: { account: '123456789012', region: 'us-east-2' } });
  const network = new HubSpokeNetwork(stack, 'Network', HubSpokeNetwork.gtucLayout('us-east-2'));
  const service = new PrivateLinkEcsService(stack, 'Items', {
    vpc: network.vpc('ecs'),
    image: ecs.ContainerImage.fromRegistry('public.ecr.aws/nginx/nginx:stable-alpine'),
    taskSubnets: network.spoke('ecs').selectTier('ecs-service'),
    ...props,
  });
  return { stack, network, service, template: Template.fromStack(stack) };
}

describe('PrivateLinkEcsService wiring', () => {
  test('GIVEN the defaults THEN every integration forwards API Gateway request id as x-request-id', () => {
    const { template } = synth();
    const methods = Object.values(template.findResources('AWS::ApiGateway::Method'));
    expect(methods.length).toBeGreaterThan(0);
    for (const method of methods) {
      expect(method.Properties.Integration.RequestParameters['integration.request.header.x-request-id']).toBe(
        'context.requestId',
      );
    }
  });

  test('GIVEN the defaults THEN the 5XX and unhealthy-host alarms roll a bad deployment back', () => {
    const { template, service } = synth();
    const monitoring = service.monitoring!;
    template.hasResourceProperties('AWS::ECS::Service', {
      DeploymentConfiguration: {
        Alarms: { AlarmNames: monitoring.deploymentAlarmNames, Enable: true, Rollback: true },
      },
    });
    expect(monitoring.deploymentAlarmNames).toEqual([
      `${monitoring.alarmNamePrefix}-api-5xx-rate`,
      `${monitoring.alarmNamePrefix}-nlb-unhealthy-hosts`,
    ]);
  });

  test('GIVEN desiredCount 0 THEN there is no alarm on running below the desired count', () => {
    const { service } = synth({ desiredCount: 0 });
    const names = service.monitoring!.alarms.map((a) => a.node.id);
    expect(names.length).toBeGreaterThan(5);
    const alarmNames = service.monitoring!.alarms.map((a) => (a.node.defaultChild as any).alarmName as string);
    expect(alarmNames.some((n) => n.endsWith('nlb-healthy-hosts-low'))).toBe(false);
    expect(alarmNames.some((n) => n.endsWith('ecs-running-tasks-low'))).toBe(false);
  });

  test('GIVEN enableMonitoring false THEN no alarm, topic or dashboard is created', () => {
    const { template, service } = synth({ enableMonitoring: false });
    expect(service.monitoring).toBeUndefined();
    expect(Object.keys(template.findResources('AWS::CloudWatch::Alarm'))).toEqual([]);
    expect(Object.keys(template.findResources('AWS::SNS::Topic'))).toEqual([]);
    expect(Object.keys(template.findResources('AWS::CloudWatch::Dashboard'))).toEqual([]);
  });

  test('GIVEN targetRequestsPerTaskPerMinute THEN a request-rate target tracking policy scales the tasks', () => {
    const { template } = synth({ autoScaling: { maxCapacity: 6, targetRequestsPerTaskPerMinute: 1200 } });
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
      PolicyType: 'TargetTrackingScaling',
      TargetTrackingScalingPolicyConfiguration: { TargetValue: 1200 },
    });
  });

  test('GIVEN a tier WHEN its subnets are asked for twice THEN the same subnets come back', () => {
    const { network } = synth();
    const first = network.spoke('ecs').tierSubnets('ecs-service');
    const second = network.spoke('ecs').tierSubnets('ecs-service');
    expect(second).toEqual(first);
    expect(first.map((s) => s.availabilityZone)).toEqual(['us-east-2a', 'us-east-2b', 'us-east-2c']);
  });
});

describe('PrivateLinkEcsService log group names', () => {
  test('GIVEN log group names THEN the container and access log groups carry them, with retention', () => {
    const { template } = synth({ logGroupName: '/teams/items/containers', accessLogGroupName: '/teams/items/access' });
    template.hasResourceProperties('AWS::Logs::LogGroup', {
      LogGroupName: '/teams/items/containers',
      RetentionInDays: 30,
    });
    template.hasResourceProperties('AWS::Logs::LogGroup', {
      LogGroupName: '/teams/items/access',
      RetentionInDays: 365,
    });
  });
});
