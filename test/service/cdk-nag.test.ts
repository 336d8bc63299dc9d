import { App, Stack, Validations } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks } from 'cdk-nag';
import { IConstruct } from 'constructs';
import { ENV, IMAGE, SERVICE_ACKNOWLEDGED_RULES } from './fixtures';
import { HubSpokeNetwork, PrivateLinkEcsService, ServiceNetworkMode } from '../../src';

/**
 * Unacknowledged AwsSolutions findings for `app`, as `RuleId @ construct path`.
 *
 * On aws-cdk-lib 2.257 the plugin form (`Validations.of(app).addPlugins(pack)`) fails with "NagPack requires a
 * construct tree on the validation context", so the pack's own `validateScope()` walks the tree.
 */
function nagFindings(app: App): string[] {
  app.synth(); // aspects first, as a real synth would
  const report = new AwsSolutionsChecks(app).validateScope(app);
  return report.violations.flatMap((v) => v.violatingResources.map((r) => `${v.ruleName} @ ${r.constructPath}`));
}

/** Every acknowledgement recorded under `scope`, as `[construct path, rule id, reason]`. */
function acknowledgements(scope: IConstruct): Array<[string, string, unknown]> {
  return scope.node
    .findAll()
    .flatMap((c) =>
      c.node.metadata
        .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
        .flatMap((m) =>
          Object.entries(m.data as Record<string, unknown>).map(([id, reason]) => [c.node.path, id, reason]),
        ),
    ) as Array<[string, string, unknown]>;
}

/** The rule ids, without the `annotation::` prefix that aws-cdk-lib < 2.262.1 adds (`Annotation::` after). */
function uniqueIds(acks: Array<[string, string, unknown]>): string[] {
  return [...new Set(acks.map(([, id]) => id.replace(/^annotation::/i, '')))].sort();
}

describe('PrivateLinkEcsService and cdk-nag AwsSolutions', () => {
  // GIVEN the GTUC network with an awsvpc and a bridge service
  const app = new App();
  const stack = new Stack(app, 'Gtuc', { env: ENV });
  const network = new HubSpokeNetwork(stack, 'Network', HubSpokeNetwork.gtucLayout('us-east-2'));
  const awsvpc = new PrivateLinkEcsService(stack, 'Items', {
    vpc: network.vpc('ecs'),
    image: IMAGE,
    containerPort: 80,
    taskSubnets: network.spoke('ecs').selectTier('ecs-service'),
    capacity: { vpcSubnets: network.spoke('ecs').selectTier('ecs-ec2') },
  });
  const bridge = new PrivateLinkEcsService(stack, 'ItemsBridge', {
    vpc: network.vpc('ecs'),
    image: IMAGE,
    containerPort: 80,
    networkMode: ServiceNetworkMode.BRIDGE,
    capacity: { vpcSubnets: network.spoke('ecs').selectTier('ecs-ec2') },
  });

  test('WHEN AwsSolutionsChecks runs THEN there are no findings', () => {
    expect(nagFindings(app)).toEqual([]);
  });

  test('GIVEN an S3 bucket with defaults in another stack WHEN AwsSolutionsChecks runs THEN S1 is reported (the check is live)', () => {
    // GIVEN
    const control = new App();
    new s3.Bucket(new Stack(control, 'Control', { env: ENV }), 'Bucket');
    // WHEN
    const findings = nagFindings(control);
    // THEN
    expect(findings).toContain('AwsSolutions-S1 @ Control/Bucket/Resource');
  });

  test('THEN every acknowledgement in the app carries a non-empty reason', () => {
    const acks = acknowledgements(app);
    expect(acks.length).toBeGreaterThan(0);
    for (const [path, id, reason] of acks) {
      expect({ path, id, reason: typeof reason === 'string' ? reason.trim().length > 0 : reason }).toEqual({
        path,
        id,
        reason: true,
      });
    }
  });

  test('THEN the awsvpc service acknowledges exactly these rules', () => {
    expect(uniqueIds(acknowledgements(awsvpc))).toEqual(SERVICE_ACKNOWLEDGED_RULES);
  });

  test('THEN the bridge service acknowledges the same rules, except ECS2 (aws-cdk-lib adds AWS_REGION in awsvpc only)', () => {
    expect(uniqueIds(acknowledgements(bridge))).toEqual(
      uniqueIds(acknowledgements(awsvpc)).filter((id) => id !== 'AwsSolutions-ECS2'),
    );
  });
});
