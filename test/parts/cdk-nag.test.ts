import { App, Stack } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ENV } from './fixtures';
import {
  GeoWebAcl,
  HubSpokeNetwork,
  PrivateEcsService,
  PrivateNetworkLoadBalancer,
  PrivateRestApi,
  ServiceCapacity,
  ServiceNetworkMode,
  VpcLinkVersion,
} from '../../src';

/** Unacknowledged AwsSolutions findings for `app`, as `RuleId @ construct path`. */
function nagFindings(app: App): string[] {
  app.synth();
  const report = new AwsSolutionsChecks(app).validateScope(app);
  return report.violations.flatMap((v) => v.violatingResources.map((r) => `${v.ruleName} @ ${r.constructPath}`));
}

describe('the core parts and cdk-nag AwsSolutions', () => {
  test.each([
    ['V1 link, termination protection on', VpcLinkVersion.V1, true],
    ['V2 link, termination protection off', VpcLinkVersion.V2, false],
  ])(
    'GIVEN two services behind one front door (%s) WHEN AwsSolutionsChecks runs THEN there are no findings',
    (_, version, protect) => {
      // GIVEN
      const app = new App();
      const stack = new Stack(app, 'Parts', { env: ENV });
      const vpc = new HubSpokeNetwork(stack, 'Network', HubSpokeNetwork.gtucLayout('us-east-2')).vpc('ecs');
      const capacity = ServiceCapacity.autoScalingGroup({ managedTerminationProtection: protect });
      const image = ecs.ContainerImage.fromRegistry('public.ecr.aws/nginx/nginx:stable-alpine');
      const items = new PrivateEcsService(stack, 'Items', { vpc, capacity, image });
      const orders = new PrivateEcsService(stack, 'Orders', {
        vpc,
        capacity,
        image,
        networkMode: ServiceNetworkMode.BRIDGE,
      });
      const nlb = new PrivateNetworkLoadBalancer(stack, 'Nlb', { vpc, vpcLinkVersion: version });
      const api = new PrivateRestApi(stack, 'Api', { webAcl: new GeoWebAcl(stack, 'WebAcl').webAcl });
      api.addRoute('/items', nlb.addService(items, { port: 8081 }));
      api.addRoute('/orders', nlb.addService(orders, { port: 8082 }));
      // WHEN / THEN
      expect(nagFindings(app)).toEqual([]);
    },
  );
});
