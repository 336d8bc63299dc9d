import { App, Stack } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as rds from 'aws-cdk-lib/aws-rds';
import { ServiceMonitoringProps } from '../../src/monitoring';

/**
 * Real L2s wired the way `PrivateLinkEcsService` wires them: VPC, cluster with an ASG capacity provider,
 * EC2 service, internal NLB with a listener and target group, REST API with one MOCK method.
 */
export interface Fixture {
  readonly app: App;
  readonly stack: Stack;
  readonly vpc: ec2.Vpc;
  readonly cluster: ecs.Cluster;
  readonly autoScalingGroup: autoscaling.AutoScalingGroup;
  readonly service: ecs.Ec2Service;
  readonly loadBalancer: elbv2.NetworkLoadBalancer;
  readonly targetGroup: elbv2.NetworkTargetGroup;
  readonly api: apigateway.RestApi;
  /** The API's `prod` stage, imported by name (so the `Stage` dimension is the literal `prod`). */
  readonly stage: apigateway.IStage;
  /** The required wiring props of `ServiceMonitoring`. */
  readonly wiring: ServiceMonitoringProps;
}

export function newFixture(stackName = 'ItemsStack'): Fixture {
  const app = new App();
  const stack = new Stack(app, stackName, { env: { account: '123456789012', region: 'us-east-2' } });
  const vpc = new ec2.Vpc(stack, 'Vpc', { availabilityZones: ['us-east-2a', 'us-east-2b'], natGateways: 0 });
  const cluster = new ecs.Cluster(stack, 'Cluster', {
    vpc,
    containerInsightsV2: ecs.ContainerInsights.ENABLED,
  });
  const autoScalingGroup = new autoscaling.AutoScalingGroup(stack, 'Asg', {
    vpc,
    instanceType: new ec2.InstanceType('t3.small'),
    machineImage: ecs.EcsOptimizedImage.amazonLinux2023(),
    minCapacity: 1,
    maxCapacity: 4,
    groupMetrics: [autoscaling.GroupMetrics.all()],
  });
  cluster.addAsgCapacityProvider(new ecs.AsgCapacityProvider(stack, 'Capacity', { autoScalingGroup }));
  const taskDefinition = new ecs.Ec2TaskDefinition(stack, 'TaskDef');
  taskDefinition.addContainer('app', {
    image: ecs.ContainerImage.fromRegistry('public.ecr.aws/nginx/nginx:latest'),
    memoryLimitMiB: 256,
    portMappings: [{ containerPort: 8080 }],
  });
  const service = new ecs.Ec2Service(stack, 'Service', { cluster, taskDefinition, desiredCount: 2 });
  const loadBalancer = new elbv2.NetworkLoadBalancer(stack, 'Nlb', { vpc, internetFacing: false });
  const targetGroup = new elbv2.NetworkTargetGroup(stack, 'TargetGroup', {
    vpc,
    port: 8080,
    targetType: elbv2.TargetType.INSTANCE,
    targets: [service],
  });
  loadBalancer.addListener('Listener', { port: 80, defaultTargetGroups: [targetGroup] });
  const api = new apigateway.RestApi(stack, 'Api', { restApiName: 'items-api', deployOptions: { stageName: 'prod' } });
  api.root.addMethod(
    'GET',
    new apigateway.MockIntegration({
      integrationResponses: [{ statusCode: '200' }],
      requestTemplates: { 'application/json': '{"statusCode": 200}' },
    }),
    { methodResponses: [{ statusCode: '200' }] },
  );
  const stage = apigateway.Stage.fromStageAttributes(stack, 'ProdStage', { restApi: api, stageName: 'prod' });
  return {
    app,
    stack,
    vpc,
    cluster,
    autoScalingGroup,
    service,
    loadBalancer,
    targetGroup,
    api,
    stage,
    wiring: {
      service,
      desiredCount: 2,
      loadBalancer,
      targetGroup,
      stage,
    },
  };
}

/** An Aurora PostgreSQL cluster in the fixture's VPC. */
export function newDatabase(fixture: Fixture): rds.DatabaseCluster {
  return new rds.DatabaseCluster(fixture.stack, 'Database', {
    engine: rds.DatabaseClusterEngine.auroraPostgres({ version: rds.AuroraPostgresEngineVersion.VER_16_4 }),
    vpc: fixture.vpc,
    vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
    writer: rds.ClusterInstance.provisioned('Writer', { instanceType: new ec2.InstanceType('t4g.medium') }),
    readers: [rds.ClusterInstance.provisioned('Reader', { instanceType: new ec2.InstanceType('t4g.medium') })],
  });
}

/**
 * Renders a CloudFormation value (possibly `Fn::Join`, `Ref`, `Fn::GetAtt`) to a string, with placeholders
 * `${Ref:Id}` / `${Id.Attr}` for tokens, so that a dashboard body can be JSON-parsed.
 */
export function renderCfnString(value: unknown): string {
  if (typeof value === 'string') {
    return value;
  }
  if (typeof value === 'number') {
    return String(value);
  }
  const obj = value as Record<string, unknown>;
  if (obj && 'Fn::Join' in obj) {
    const [sep, parts] = obj['Fn::Join'] as [string, unknown[]];
    return parts.map(renderCfnString).join(sep);
  }
  if (obj && 'Ref' in obj) {
    return `\${Ref:${obj.Ref as string}}`;
  }
  if (obj && 'Fn::GetAtt' in obj) {
    return `\${${(obj['Fn::GetAtt'] as string[]).join('.')}}`;
  }
  return `\${${JSON.stringify(obj).replace(/"/g, "'")}}`;
}
