import { App, Stack } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { AwsSolutionsChecks } from 'cdk-nag';
import {
  GeoWebAcl,
  HubSpokeNetwork,
  PrivateApplicationLoadBalancer,
  PrivateEcsService,
  PrivateRestApi,
  ServiceCapacity,
} from '../../src';
import { ENV } from '../parts/fixtures';

/** Unacknowledged AwsSolutions findings for `app`, as `RuleId @ construct path`. */
function nagFindings(app: App): string[] {
  app.synth();
  const report = new AwsSolutionsChecks(app).validateScope(app);
  return report.violations.flatMap((v) => v.violatingResources.map((r) => `${v.ruleName} @ ${r.constructPath}`));
}

describe('Fargate, Managed Instances and the ALB part with cdk-nag AwsSolutions', () => {
  test('GIVEN a Fargate and a Graviton Managed Instances service behind an ALB WHEN AwsSolutionsChecks runs THEN there are no findings', () => {
    // GIVEN
    const app = new App();
    const stack = new Stack(app, 'Parts', { env: ENV });
    const vpc = new HubSpokeNetwork(stack, 'Network', HubSpokeNetwork.gtucLayout('us-east-2')).vpc('ecs');
    const image = ecs.ContainerImage.fromRegistry('public.ecr.aws/nginx/nginx:stable-alpine');
    const billing = new PrivateEcsService(stack, 'Billing', {
      vpc,
      capacity: ServiceCapacity.fargate({ spot: true }),
      image,
      deploymentStrategy: ecs.DeploymentStrategy.BLUE_GREEN,
    });
    const reports = new PrivateEcsService(stack, 'Reports', {
      vpc,
      capacity: ServiceCapacity.managedInstances({ cpuArchitecture: ecs.CpuArchitecture.ARM64 }),
      image,
    });
    const alb = new PrivateApplicationLoadBalancer(stack, 'Alb', { vpc });
    const api = new PrivateRestApi(stack, 'Api', { webAcl: new GeoWebAcl(stack, 'WebAcl').webAcl });
    api.addRoute('/billing', alb.addService(billing, { priority: 10, pathPatterns: ['/billing', '/billing/*'] }));
    api.addRoute('/reports', alb.addService(reports, { priority: 20, pathPatterns: ['/reports', '/reports/*'] }));
    // WHEN / THEN
    expect(nagFindings(app)).toEqual([]);
  });
});
