import { ArnFormat, Duration, RemovalPolicy, Stack, StackProps } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { Findings, HubSpokeNetwork } from '../../src';

/** Props of the GTUC network stack. */
export interface NetworkStackProps extends StackProps {
  /** CIDR blocks allowed to PostgreSQL in the RDS subnets (network ACL; the database stack reuses the list). */
  readonly databaseClientCidrs: string[];
  /** How long the flow logs are kept. */
  readonly logRetention: logs.RetentionDays;
  /** Keep the data key when the stack is deleted (off only for test deployments: the key is then scheduled for deletion). */
  readonly retainKey?: boolean;
}

/**
 * Brief step 2: the hub-spoke network (items-ecs-vpc, items-rds-vpc, items-tgw), plus the account-wide
 * API Gateway CloudWatch role that both service stacks' execution logs need (one per account and region).
 */
export class NetworkStack extends Stack {
  public readonly network: HubSpokeNetwork;
  /**
   * The one customer-managed key of the example's data: every log group, the alarm topics, the database secret
   * and the backup vault.
   */
  public readonly dataKey: kms.Key;

  constructor(scope: Construct, id: string, props: NetworkStackProps) {
    super(scope, id, props);
    this.dataKey = new kms.Key(this, 'DataKey', {
      alias: 'alias/items-data',
      description: 'GTUC items: log groups, alarm topics, database secret and backups',
      enableKeyRotation: true,
      removalPolicy: props.retainKey === false ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN,
      pendingWindow: Duration.days(30),
    });
    // CloudWatch Logs encrypts a log group with the key only when the key policy lets the regional service use
    // it for log groups of this account (encryption context aws:logs:arn).
    this.dataKey.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudWatchLogs',
        principals: [new iam.ServicePrincipal(`logs.${this.region}.amazonaws.com`)],
        actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
        resources: ['*'],
        conditions: {
          ArnLike: {
            'kms:EncryptionContext:aws:logs:arn': this.formatArn({
              service: 'logs',
              resource: 'log-group',
              resourceName: '*',
              arnFormat: ArnFormat.COLON_RESOURCE_NAME,
            }),
          },
        },
      }),
    );
    // CloudWatch alarms publish to the encrypted alarm topics.
    this.dataKey.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudWatchAlarmsToSns',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': this.account } },
      }),
    );
    this.network = new HubSpokeNetwork(
      this,
      'Network',
      HubSpokeNetwork.gtucLayout('us-east-2', {
        databaseClientCidrs: props.databaseClientCidrs,
        flowLogRetention: props.logRetention,
        flowLogEncryptionKey: this.dataKey,
      }),
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
