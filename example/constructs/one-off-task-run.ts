import { CustomResource, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { Findings } from '../../src';

/** Props of {@link OneOffTaskRun}. */
export interface OneOffTaskRunProps {
  /** The cluster the task runs on (Fargate). */
  readonly cluster: ecs.ICluster;
  /** The task to run once per deployment that changes it (a new image makes a new task definition revision). */
  readonly taskDefinition: ecs.FargateTaskDefinition;
  /** The essential container whose exit code decides success. */
  readonly containerName: string;
  /** Where the task's ENI goes. */
  readonly subnets: ec2.SubnetSelection;
  /** The task's security groups. */
  readonly securityGroups: ec2.ISecurityGroup[];
  /** Fails the deployment when the task has not stopped by then. @default Duration.minutes(30) */
  readonly timeout?: Duration;
  /** Log retention of the custom resource's functions. @default logs.RetentionDays.THREE_MONTHS */
  readonly logRetention?: logs.RetentionDays;
  /** Encrypts the custom resource's log groups. @default - CloudWatch Logs' own encryption */
  readonly encryptionKey?: kms.IKey;
}

/** onEvent: start the task (Create/Update), nothing on Delete. isComplete: done when it stopped with exit code 0. */
const HANDLER = String.raw`'use strict';
const { ECSClient, RunTaskCommand, DescribeTasksCommand } = require('@aws-sdk/client-ecs');
const ecs = new ECSClient({});

exports.onEvent = async (event) => {
  if (event.RequestType === 'Delete') return { PhysicalResourceId: event.PhysicalResourceId };
  const p = event.ResourceProperties;
  const out = await ecs.send(new RunTaskCommand({
    cluster: p.ClusterArn,
    taskDefinition: p.TaskDefinitionArn,
    launchType: 'FARGATE',
    count: 1,
    startedBy: 'cloudformation',
    networkConfiguration: { awsvpcConfiguration: { subnets: p.Subnets, securityGroups: p.SecurityGroups, assignPublicIp: 'DISABLED' } },
  }));
  if (!out.tasks || out.tasks.length !== 1) {
    throw new Error('RunTask started no task: ' + JSON.stringify(out.failures || []));
  }
  console.log(JSON.stringify({ message: 'task started', taskArn: out.tasks[0].taskArn }));
  return { PhysicalResourceId: out.tasks[0].taskArn };
};

exports.isComplete = async (event) => {
  if (event.RequestType === 'Delete') return { IsComplete: true };
  const p = event.ResourceProperties;
  const taskArn = event.PhysicalResourceId;
  const out = await ecs.send(new DescribeTasksCommand({ cluster: p.ClusterArn, tasks: [taskArn] }));
  const task = (out.tasks || [])[0];
  if (!task) throw new Error('Task ' + taskArn + ' is gone: ' + JSON.stringify(out.failures || []));
  if (task.lastStatus !== 'STOPPED') return { IsComplete: false };
  const container = (task.containers || []).find((c) => c.name === p.ContainerName) || {};
  const taskId = taskArn.split('/').pop();
  const logs = p.LogGroupName + ' / ' + p.LogStreamPrefix + '/' + p.ContainerName + '/' + taskId;
  if (container.exitCode === 0) {
    console.log(JSON.stringify({ message: 'task succeeded', taskArn }));
    return { IsComplete: true, Data: { TaskArn: taskArn } };
  }
  throw new Error('Task ' + taskId + ' failed: exit code ' + container.exitCode + ', ' + (container.reason || task.stoppedReason || 'no reason given') + '. Logs: ' + logs);
};
`;

/**
 * Runs an ECS task once at deploy time and waits for it: the deployment fails (and rolls back) when the task exits
 * non-zero, so whatever depends on this construct (the services) never starts on a schema that failed to migrate.
 * It re-runs whenever the task definition changes (a new image is a new revision).
 */
export class OneOffTaskRun extends Construct {
  public readonly resource: CustomResource;

  constructor(scope: Construct, id: string, props: OneOffTaskRunProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const retention = props.logRetention ?? logs.RetentionDays.THREE_MONTHS;
    const logOptions = props.taskDefinition.findContainer(props.containerName)?.logDriverConfig?.options ?? {};

    const logGroup = new logs.LogGroup(this, 'HandlerLogs', {
      retention,
      encryptionKey: props.encryptionKey,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const role = new iam.Role(this, 'HandlerRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'Runs the one-off ECS task and watches it stop',
    });
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [logGroup.logGroupArn],
      }),
    );
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['ecs:RunTask'],
        resources: [props.taskDefinition.taskDefinitionArn],
        conditions: { ArnEquals: { 'ecs:cluster': props.cluster.clusterArn } },
      }),
    );
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['ecs:DescribeTasks'],
        resources: [
          stack.formatArn({ service: 'ecs', resource: 'task', resourceName: `${props.cluster.clusterName}/*` }),
        ],
        conditions: { ArnEquals: { 'ecs:cluster': props.cluster.clusterArn } },
      }),
    );
    const passRoles = [props.taskDefinition.taskRole, props.taskDefinition.executionRole].filter(
      (r): r is iam.IRole => r !== undefined,
    );
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['iam:PassRole'],
        resources: passRoles.map((r) => r.roleArn),
        conditions: { StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } },
      }),
    );
    const fn = (name: string, handler: string) =>
      new lambda.Function(this, name, {
        runtime: lambda.Runtime.NODEJS_24_X,
        handler: `index.${handler}`,
        code: lambda.Code.fromInline(HANDLER),
        timeout: Duration.minutes(1),
        role,
        logGroup,
        description: `One-off ECS task: ${handler}`,
      });
    const provider = new cr.Provider(this, 'Provider', {
      onEventHandler: fn('OnEvent', 'onEvent'),
      isCompleteHandler: fn('IsComplete', 'isComplete'),
      queryInterval: Duration.seconds(15),
      totalTimeout: props.timeout ?? Duration.minutes(30),
      logGroup: new logs.LogGroup(this, 'ProviderLogs', {
        retention,
        encryptionKey: props.encryptionKey,
        removalPolicy: RemovalPolicy.DESTROY,
      }),
      disableWaiterStateMachineLogging: false,
      waiterStateMachineLogOptions: {
        destination: new logs.LogGroup(this, 'WaiterLogs', {
          retention,
          encryptionKey: props.encryptionKey,
          removalPolicy: RemovalPolicy.DESTROY,
        }),
        level: sfn.LogLevel.ALL,
      },
    });
    const subnets = props.cluster.vpc.selectSubnets(props.subnets);
    this.resource = new CustomResource(this, 'Resource', {
      serviceToken: provider.serviceToken,
      resourceType: 'Custom::EcsOneOffTask',
      properties: {
        ClusterArn: props.cluster.clusterArn,
        TaskDefinitionArn: props.taskDefinition.taskDefinitionArn,
        ContainerName: props.containerName,
        Subnets: subnets.subnetIds,
        SecurityGroups: props.securityGroups.map((sg) => sg.securityGroupId),
        LogGroupName: logOptions['awslogs-group'],
        LogStreamPrefix: logOptions['awslogs-stream-prefix'],
      },
    });

    // The provider framework's roles invoke the functions' versions (`<function ARN>:*`).
    const functionArns = this.node
      .findAll()
      .filter((c): c is lambda.CfnFunction => c instanceof lambda.CfnFunction)
      .map((c) => `AwsSolutions-IAM5[Resource::<${stack.getLogicalId(c)}.Arn>:*]`);
    Findings.acknowledge(
      role,
      'DescribeTasks is limited to the tasks of this one cluster (task ids are not known before RunTask).',
      `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ecs:${stack.region}:<AWS::AccountId>:task/<${stack.getLogicalId(props.cluster.node.defaultChild as ecs.CfnCluster)}>/*]`,
    );
    Findings.acknowledge(
      provider,
      'The custom resource provider framework of aws-cdk-lib: its functions use AWSLambdaBasicExecutionRole, run on the Node.js runtime aws-cdk-lib pins for them, and invoke the handler versions (`:*`); Step Functions log delivery needs `Resource: *` (CloudWatch Logs has no resource-level permissions for it); the waiter is not traced with X-Ray.',
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      'AwsSolutions-IAM5[Resource::*]',
      'AwsSolutions-SF2',
      'AwsSolutions-L1',
      ...functionArns,
    );
  }
}
