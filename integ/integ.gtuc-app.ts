/**
 * The whole GTUC example (network, Aurora, the awsvpc and bridge services) as an integ test. A live run
 * (`integ-runner` with AWS credentials) proves the full path API Gateway → VPC link → NLB → ECS → Aurora over
 * the transit gateway, for both network modes:
 * - `/readyz` through the public stage (web ACL, throttling) answers 200 only when the task reaches Aurora;
 * - a POST through API Gateway's TestInvokeMethod (it exercises the integration, VPC link, NLB and task; it skips
 *   the IAM authorizer, which a SigV4-less assertion can't satisfy) creates an item in the database;
 * - a public GET through the stage reads it back.
 * The write goes through the least-privilege application user (`items_app` or its rotation clone: the first
 * alternating-users rotation runs at deploy), after the migrations stack's one-off task migrated the schema.
 */
import { ExpectedResult, IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, Duration, Stack } from 'aws-cdk-lib';
import { buildGtucApp } from '../example/app';

const app = new App({
  context: { deletionProtection: 'false', networkModes: 'awsvpc,bridge', minInstances: '1', desiredCount: '1' },
});
const { network, database, migrations, services } = buildGtucApp(app);

const integ = new IntegTest(app, 'GtucAppTest', {
  testCases: [network, database, migrations, ...services],
  regions: ['us-east-2'],
  diffAssets: false,
  // The app's stacks are pinned to us-east-2; the assertions reference them, so they live there too.
  assertionStack: new Stack(app, 'GtucAppAssertions', { env: { region: 'us-east-2' } }),
});

for (const stack of services) {
  const service = stack.service;
  const mode = stack.stackName.replace('items-service-', '');
  const sku = `INTEG-${mode.toUpperCase()}-0001`;

  // The Common rule set blocks requests without a User-Agent: send one, as every real client does.
  const ready = integ.assertions
    .httpApiCall(`${service.url}readyz`, { headers: { 'User-Agent': 'gtuc-integ-tests' } })
    .expect(ExpectedResult.objectLike({ status: 200 }))
    .waitForAssertions({ totalTimeout: Duration.minutes(15), interval: Duration.seconds(30) });

  const create = integ.assertions.awsApiCall('APIGateway', 'testInvokeMethod', {
    restApiId: service.api.restApiId,
    resourceId: service.api.root.getResource('{proxy+}')!.resourceId,
    httpMethod: 'POST',
    pathWithQueryString: '/items',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({
      sku,
      name: `Integration check (${mode})`,
      description: 'Created by the integ test through API Gateway, the VPC link and the NLB',
      priceCents: 1999,
      currency: 'USD',
      category: `integ-${mode}`,
      stock: 3,
    }),
  });
  create.expect(ExpectedResult.objectLike({ status: 201 }));

  const read = integ.assertions
    .httpApiCall(`${service.url}items?category=integ-${mode}`, { headers: { 'User-Agent': 'gtuc-integ-tests' } })
    .expect(ExpectedResult.objectLike({ status: 200, body: { items: [{ sku, priceCents: 1999, stock: 3 }] } }))
    .waitForAssertions({ totalTimeout: Duration.minutes(2), interval: Duration.seconds(10) });

  ready.next(create).next(read);
}
