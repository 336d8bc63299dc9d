import { App, Stack } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ENV, IMAGE, SERVICE_ACKNOWLEDGED_RULES } from './fixtures';
import { HubSpokeNetwork, PrivateLinkEcsService, ServiceNetworkMode } from '../../src';

// The library's acknowledgements switched off: what they hide becomes visible.
jest.mock('../../src/validation/findings', () => ({ Findings: { acknowledge: () => undefined } }));

describe('PrivateLinkEcsService without its cdk-nag acknowledgements', () => {
  test('GIVEN the acknowledgements switched off WHEN AwsSolutionsChecks runs THEN exactly the acknowledged rules are reported', () => {
    // GIVEN
    const app = new App();
    const stack = new Stack(app, 'Gtuc', { env: ENV });
    const network = new HubSpokeNetwork(stack, 'Network', HubSpokeNetwork.gtucLayout('us-east-2'));
    for (const [id, networkMode] of [
      ['Items', ServiceNetworkMode.AWS_VPC],
      ['ItemsBridge', ServiceNetworkMode.BRIDGE],
    ] as const) {
      new PrivateLinkEcsService(stack, id, {
        vpc: network.vpc('ecs'),
        image: IMAGE,
        containerPort: 80,
        networkMode,
        capacity: { vpcSubnets: network.spoke('ecs').selectTier('ecs-ec2') },
      });
    }
    // WHEN
    app.synth();
    const report = new AwsSolutionsChecks(app).validateScope(app);
    const findings = report.violations.flatMap((v) =>
      v.violatingResources.map((r) => `${v.ruleName} @ ${r.constructPath}`),
    );
    // THEN: each acknowledgement of the services hides a real finding (none is stale), and nothing else fires.
    const ofServices = findings.filter((f) => / @ Gtuc\/Items(Bridge)?\//.test(f));
    expect([...new Set(ofServices.map((f) => f.split(' @ ')[0]))].sort()).toEqual(SERVICE_ACKNOWLEDGED_RULES);
    // APIG4 only on the public read methods; writes need IAM.
    expect(
      ofServices.filter((f) => f.startsWith('AwsSolutions-APIG4 ') && /\/(POST|PUT|PATCH|DELETE)\//.test(f)),
    ).toEqual([]);
  });
});
