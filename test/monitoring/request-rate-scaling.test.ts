import { Duration } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { Fixture, newFixture } from './fixture';
import { RequestRateScaling } from '../../src/monitoring';

const API_DIMENSIONS = [
  { Name: 'ApiName', Value: 'items-api' },
  { Name: 'Stage', Value: 'prod' },
];
const ECS_DIMENSIONS = [
  { Name: 'ClusterName', Value: { Ref: Match.stringLikeRegexp('^Cluster') } },
  { Name: 'ServiceName', Value: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Service'), 'Name'] } },
];

describe('RequestRateScaling', () => {
  let fixture: Fixture;
  let taskCount: ecs.ScalableTaskCount;
  beforeEach(() => {
    fixture = newFixture();
    taskCount = fixture.service.autoScaleTaskCount({ minCapacity: 2, maxCapacity: 10 });
  });

  test('tracks API requests per running task with a metric-math target-tracking policy', () => {
    // GIVEN (fixture)
    // WHEN
    const scaling = new RequestRateScaling(fixture.stack, 'RequestScaling', {
      scalableTaskCount: taskCount,
      stage: fixture.stage,
      service: fixture.service,
      targetRequestsPerTaskPerMinute: 600,
    });
    // THEN
    const template = Template.fromStack(fixture.stack);
    template.resourceCountIs('AWS::ApplicationAutoScaling::ScalingPolicy', 1);
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
      PolicyName: 'ItemsStackRequestScalingB1EB2934',
      PolicyType: 'TargetTrackingScaling',
      ScalingTargetId: { Ref: Match.stringLikeRegexp('^ServiceTaskCountTarget') },
      TargetTrackingScalingPolicyConfiguration: {
        TargetValue: 600,
        DisableScaleIn: false,
        ScaleInCooldown: 300,
        ScaleOutCooldown: 60,
        CustomizedMetricSpecification: {
          Metrics: [
            {
              Id: 'requests',
              Label: 'API requests per minute',
              ReturnData: false,
              MetricStat: {
                Metric: { Namespace: 'AWS/ApiGateway', MetricName: 'Count', Dimensions: API_DIMENSIONS },
                Stat: 'Sum',
              },
            },
            {
              Id: 'tasks',
              Label: 'Running tasks',
              ReturnData: false,
              MetricStat: {
                Metric: {
                  Namespace: 'ECS/ContainerInsights',
                  MetricName: 'RunningTaskCount',
                  Dimensions: ECS_DIMENSIONS,
                },
                Stat: 'Average',
              },
            },
            {
              Id: 'requestsPerTask',
              Expression: 'IF(tasks > 0, requests / tasks, requests)',
              Label: 'API requests per running task per minute',
              ReturnData: true,
            },
          ],
        },
      },
    });
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', {
      MinCapacity: 2,
      MaxCapacity: 10,
      ScalableDimension: 'ecs:service:DesiredCount',
    });
    expect(scaling.requestsPerTask.expression).toBe('IF(tasks > 0, requests / tasks, requests)');
    expect(scaling.requestsPerTask.period.toMinutes()).toBe(1);
  });

  test('cooldowns, scale-in and the policy name are configurable', () => {
    // GIVEN (fixture)
    // WHEN
    new RequestRateScaling(fixture.stack, 'RequestScaling', {
      scalableTaskCount: taskCount,
      stage: fixture.stage,
      service: fixture.service,
      targetRequestsPerTaskPerMinute: 120.5,
      scaleInCooldown: Duration.minutes(10),
      scaleOutCooldown: Duration.seconds(30),
      disableScaleIn: true,
      policyName: 'items-requests-per-task',
    });
    // THEN
    Template.fromStack(fixture.stack).hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
      PolicyName: 'items-requests-per-task',
      TargetTrackingScalingPolicyConfiguration: Match.objectLike({
        TargetValue: 120.5,
        DisableScaleIn: true,
        ScaleInCooldown: 600,
        ScaleOutCooldown: 30,
      }),
    });
  });

  test.each([0, -10])('rejects a target of %d', (target) => {
    // GIVEN (fixture)
    // WHEN / THEN
    expect(
      () =>
        new RequestRateScaling(fixture.stack, 'RequestScaling', {
          scalableTaskCount: taskCount,
          stage: fixture.stage,
          service: fixture.service,
          targetRequestsPerTaskPerMinute: target,
        }),
    ).toThrow(`\`targetRequestsPerTaskPerMinute\` must be greater than 0, got: ${target}.`);
  });
});
