/**
 * Deploys the GTUC hub-spoke network and checks, live, that the transit gateway routes between the spokes:
 * each spoke's TGW route table must hold the other spoke's CIDR as a propagated, active route.
 */
import { ExpectedResult, IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, Stack } from 'aws-cdk-lib';
import { HubSpokeNetwork, NatGatewayPlacement } from '../src';

const app = new App();
const stack = new Stack(app, 'PrivateLinkEcsIntegNetwork');
const network = new HubSpokeNetwork(
  stack,
  'Network',
  HubSpokeNetwork.gtucLayout('us-east-2', { natGateways: NatGatewayPlacement.SINGLE }),
);

const integ = new IntegTest(app, 'HubSpokeNetworkTest', {
  testCases: [stack],
  regions: ['us-east-2'],
});

for (const [spoke, other] of [
  ['ecs', '10.1.0.0/16'],
  ['rds', '10.0.0.0/16'],
]) {
  integ.assertions
    .awsApiCall('EC2', 'searchTransitGatewayRoutes', {
      TransitGatewayRouteTableId: network.spoke(spoke).transitRouteTable.ref,
      Filters: [{ Name: 'type', Values: ['propagated'] }],
    })
    .expect(
      ExpectedResult.objectLike({
        Routes: [{ DestinationCidrBlock: other, State: 'active', Type: 'propagated' }],
      }),
    )
    .waitForAssertions();
}

integ.assertions
  .awsApiCall('EC2', 'describeTransitGateways', { TransitGatewayIds: [network.transitGatewayId] })
  .expect(
    ExpectedResult.objectLike({
      TransitGateways: [
        {
          State: 'available',
          Options: { DefaultRouteTableAssociation: 'disable', DefaultRouteTablePropagation: 'disable' },
        },
      ],
    }),
  )
  .waitForAssertions();
