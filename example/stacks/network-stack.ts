import { Stack, StackProps } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { Findings, HubSpokeNetwork } from '../../src';

/** Props of the GTUC network stack. */
export interface NetworkStackProps extends StackProps {
  /** CIDR blocks allowed to PostgreSQL in the RDS subnets (network ACL; the database stack reuses the list). */
  readonly databaseClientCidrs: string[];
}

/**
 * Brief step 2: the hub-spoke network (items-ecs-vpc, items-rds-vpc, items-tgw), plus the account-wide
 * API Gateway CloudWatch role that both service stacks' execution logs need (one per account and region).
 */
export class NetworkStack extends Stack {
  public readonly network: HubSpokeNetwork;

  constructor(scope: Construct, id: string, props: NetworkStackProps) {
    super(scope, id, props);
    this.network = new HubSpokeNetwork(
      this,
      'Network',
      HubSpokeNetwork.gtucLayout('us-east-2', { databaseClientCidrs: props.databaseClientCidrs }),
    );

    const apiGatewayLogsRole = new iam.Role(this, 'ApiGatewayCloudWatchRole', {
      assumedBy: new iam.ServicePrincipal('apigateway.amazonaws.com'),
      managedPolicies: [
        iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AmazonAPIGatewayPushToCloudWatchLogs'),
      ],
      description: 'Lets API Gateway write the REST API stages execution logs (account-wide setting)',
    });
    new apigateway.CfnAccount(this, 'ApiGatewayAccount', { cloudWatchRoleArn: apiGatewayLogsRole.roleArn });
    Findings.acknowledge(
      apiGatewayLogsRole,
      'AmazonAPIGatewayPushToCloudWatchLogs is the AWS-maintained policy API Gateway documents for execution logging.',
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
    );
  }
}
