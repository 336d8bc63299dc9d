/**
 * The cost model: synthesized CloudFormation in, priced line items out. Every rule reads a resource type's
 * properties; a type without a rule is listed (never fatal), and so is a price the table does not hold.
 */
import { asList, isRef, num, Resolved, Resolver, str, Templates } from '../diagram/cfn';

/** One price of the table. */
export interface Price {
  readonly usd: number;
  readonly unit: string;
  readonly source: string;
  readonly date: string;
}

export interface PriceTable {
  readonly region: string;
  readonly currency: string;
  readonly hoursPerMonth: number;
  readonly warning: string;
  readonly prices: Record<string, Price>;
}

/** What the estimate assumes about traffic and data; every member is a `npx projen cost` flag. */
export interface Usage {
  /** Requests a month reaching each REST API (and inspected by its web ACL). */
  readonly requests: number;
  /** Share of inspected requests that are CAPTCHA attempts, where a web ACL has a CAPTCHA rule. */
  readonly captchaShare: number;
  /** GB a month processed by each NAT gateway. */
  readonly natGb: number;
  /** GB a month processed by each interface endpoint. */
  readonly endpointGb: number;
  /** GB a month sent into the transit gateway by each attachment. */
  readonly tgwGb: number;
  /** GB a month processed by each load balancer (1 GB in an hour = 1 capacity unit-hour). */
  readonly lbGb: number;
  /** GB of logs ingested a month by each log group. */
  readonly logGb: number;
  /** Months of logs kept by a log group that never expires. */
  readonly logMonthsNoExpiry: number;
  /** GB stored by each Aurora cluster. */
  readonly dbGb: number;
  /** Million I/O requests a month by each Aurora Standard cluster. */
  readonly dbIoMillions: number;
  /** API calls a month to each secret. */
  readonly secretCalls: number;
}

/** No traffic, no data: what the stacks cost while nobody uses them. */
export const IDLE: Usage = {
  requests: 0,
  captchaShare: 0,
  natGb: 0,
  endpointGb: 0,
  tgwGb: 0,
  lbGb: 0,
  logGb: 0,
  logMonthsNoExpiry: 0,
  dbGb: 0,
  dbIoMillions: 0,
  secretCalls: 0,
};

/** A small production month; override any of it with flags. */
export const DEFAULT_USAGE: Usage = {
  requests: 1_000_000,
  captchaShare: 0.01,
  natGb: 20,
  endpointGb: 2,
  tgwGb: 5,
  lbGb: 5,
  logGb: 1,
  logMonthsNoExpiry: 12,
  dbGb: 10,
  dbIoMillions: 10,
  secretCalls: 10_000,
};

/** One priced line: a quantity of a unit of one resource. */
export interface Line {
  readonly stack: string;
  readonly kind: string;
  /** The resource: its name where it has one, else its logical id. */
  readonly item: string;
  readonly priceKey: string;
  readonly quantity: number;
  readonly usd: number;
  readonly monthly: number;
}

/** Something the model recognised but could not price (no price in the table). */
export interface Unpriced {
  readonly stack: string;
  readonly item: string;
  readonly priceKey: string;
  readonly quantity: number;
}

export interface Estimate {
  readonly lines: Line[];
  readonly unpriced: Unpriced[];
  /** Resource types without a cost rule, with their count: not priced. */
  readonly unknownTypes: Record<string, number>;
  /** Resource types whose cost is usage-only and assumed negligible here (Lambda, SNS, ...), with their count. */
  readonly usageOnlyTypes: Record<string, number>;
}

/** Types that cost nothing themselves (their traffic or data is priced where it is billed). */
const FREE = new Set([
  'AWS::EC2::VPC',
  'AWS::EC2::Subnet',
  'AWS::EC2::RouteTable',
  'AWS::EC2::Route',
  'AWS::EC2::SubnetRouteTableAssociation',
  'AWS::EC2::NetworkAcl',
  'AWS::EC2::NetworkAclEntry',
  'AWS::EC2::SubnetNetworkAclAssociation',
  'AWS::EC2::InternetGateway',
  'AWS::EC2::VPCGatewayAttachment',
  'AWS::EC2::SecurityGroup',
  'AWS::EC2::SecurityGroupIngress',
  'AWS::EC2::SecurityGroupEgress',
  'AWS::EC2::TransitGateway',
  'AWS::EC2::TransitGatewayRouteTable',
  'AWS::EC2::TransitGatewayRouteTableAssociation',
  'AWS::EC2::TransitGatewayRouteTablePropagation',
  'AWS::EC2::TransitGatewayRoute',
  'AWS::EC2::LaunchTemplate',
  'AWS::EC2::FlowLog',
  'AWS::IAM::Role',
  'AWS::IAM::Policy',
  'AWS::IAM::ManagedPolicy',
  'AWS::IAM::InstanceProfile',
  'AWS::ECS::Cluster',
  'AWS::ECS::TaskDefinition',
  'AWS::ECS::CapacityProvider',
  'AWS::ECS::ClusterCapacityProviderAssociations',
  'AWS::ElasticLoadBalancingV2::Listener',
  'AWS::ElasticLoadBalancingV2::ListenerRule',
  'AWS::ElasticLoadBalancingV2::TargetGroup',
  'AWS::ApplicationAutoScaling::ScalableTarget',
  'AWS::ApplicationAutoScaling::ScalingPolicy',
  'AWS::AutoScaling::LaunchConfiguration',
  'AWS::AutoScaling::ScalingPolicy',
  'AWS::AutoScaling::LifecycleHook',
  'AWS::ApiGateway::Account',
  'AWS::ApiGateway::Deployment',
  'AWS::ApiGateway::Method',
  'AWS::ApiGateway::Resource',
  'AWS::ApiGateway::RequestValidator',
  'AWS::ApiGateway::Stage',
  'AWS::ApiGateway::UsagePlan',
  'AWS::ApiGateway::UsagePlanKey',
  'AWS::ApiGateway::ApiKey',
  'AWS::ApiGateway::VpcLink',
  'AWS::ApiGateway::Model',
  'AWS::ApiGateway::GatewayResponse',
  'AWS::ApiGatewayV2::VpcLink',
  'AWS::ApiGatewayV2::Stage',
  'AWS::ApiGatewayV2::Route',
  'AWS::ApiGatewayV2::Integration',
  'AWS::WAFv2::WebACLAssociation',
  'AWS::WAFv2::LoggingConfiguration',
  'AWS::WAFv2::IPSet',
  'AWS::WAFv2::RegexPatternSet',
  'AWS::RDS::DBSubnetGroup',
  'AWS::RDS::DBClusterParameterGroup',
  'AWS::RDS::DBParameterGroup',
  'AWS::SecretsManager::SecretTargetAttachment',
  'AWS::SecretsManager::RotationSchedule',
  'AWS::SecretsManager::ResourcePolicy',
  'AWS::KMS::Alias',
  'AWS::SNS::TopicPolicy',
  'AWS::SNS::Subscription',
  'AWS::Lambda::Permission',
  'AWS::Logs::SubscriptionFilter',
  'AWS::Logs::MetricFilter',
  'AWS::Logs::ResourcePolicy',
  'AWS::CDK::Metadata',
]);

/** Types billed by use only (invocations, messages, backups), assumed small here and not priced. */
const USAGE_ONLY = new Set([
  'AWS::Lambda::Function',
  'AWS::SNS::Topic',
  'AWS::SQS::Queue',
  'AWS::Serverless::Application',
  'AWS::Events::Rule',
  'AWS::Backup::BackupVault',
  'AWS::Backup::BackupPlan',
  'AWS::Backup::BackupSelection',
  'AWS::S3::Bucket',
  'AWS::S3::BucketPolicy',
  'AWS::StepFunctions::StateMachine',
]);

type Props = Record<string, Resolved>;

/** Prices every resource of the templates under the given usage. */
export function estimate(templates: Templates, table: PriceTable, usage: Usage): Estimate {
  const r = new Resolver(templates);
  const hours = table.hoursPerMonth;
  const lines: Line[] = [];
  const unpriced: Unpriced[] = [];
  const unknownTypes: Record<string, number> = {};
  const usageOnlyTypes: Record<string, number> = {};

  const add = (stack: string, kind: string, item: string, priceKey: string, quantity: number): void => {
    if (!(quantity > 0)) {
      return;
    }
    const price = table.prices[priceKey];
    if (!price) {
      unpriced.push({ stack, item, priceKey, quantity });
      return;
    }
    lines.push({ stack, kind, item, priceKey, quantity, usd: price.usd, monthly: quantity * price.usd });
  };

  for (const res of r.resources()) {
    const { key, stack, id, type } = res;
    const p = r.props(key);
    const name = (field: string): string => str(p[field]) ?? id;
    switch (type) {
      case 'AWS::EC2::NatGateway':
        add(stack, 'NAT gateway', name('Name'), 'nat.hour', hours);
        add(stack, 'NAT gateway', name('Name'), 'nat.gb', usage.natGb);
        break;
      case 'AWS::EC2::EIP':
        add(stack, 'Public IPv4', id, 'ipv4.hour', hours);
        break;
      case 'AWS::EC2::VPCEndpoint': {
        const kindOf = str(p.VpcEndpointType) ?? 'Gateway';
        if (kindOf === 'Interface' || kindOf === 'GatewayLoadBalancer') {
          const service = (str(p.ServiceName) ?? id).replace(/^com\.amazonaws\.[a-z0-9-]+\./, '');
          const enis = asList(p.SubnetIds).length || 1;
          const vpc = isRef(p.VpcId) ? nameTag(r.props(p.VpcId.$ref)) : undefined;
          const label = vpc ? `${service} (${vpc})` : service;
          add(stack, 'Interface endpoints', label, 'endpoint.eni.hour', enis * hours);
          add(stack, 'Interface endpoints', label, 'endpoint.gb', usage.endpointGb);
        }
        break;
      }
      case 'AWS::EC2::TransitGatewayAttachment':
      case 'AWS::EC2::TransitGatewayVpcAttachment':
        add(stack, 'Transit Gateway', nameTag(p) ?? id, 'tgw.attachment.hour', hours);
        add(stack, 'Transit Gateway', nameTag(p) ?? id, 'tgw.gb', usage.tgwGb);
        break;
      case 'AWS::ElasticLoadBalancingV2::LoadBalancer': {
        const lb = (str(p.Type) ?? 'application') === 'network' ? 'nlb' : str(p.Type) === 'gateway' ? 'gwlb' : 'alb';
        const kind = { nlb: 'Network Load Balancer', alb: 'Application Load Balancer', gwlb: 'Gateway Load Balancer' }[
          lb
        ];
        add(stack, kind, name('Name'), `${lb}.hour`, hours);
        add(stack, kind, name('Name'), `${lb}.lcu.hour`, usage.lbGb);
        if (str(p.Scheme) === 'internet-facing') {
          const azs = asList(p.Subnets).length || asList(p.SubnetMappings).length;
          add(stack, 'Public IPv4', name('Name'), 'ipv4.hour', azs * hours);
        }
        break;
      }
      case 'AWS::AutoScaling::AutoScalingGroup':
        priceAutoScalingGroup(r, key, p, hours, add);
        break;
      case 'AWS::EC2::Instance': {
        const it = str(p.InstanceType) ?? 'm1.small';
        add(stack, 'EC2 instances', `${nameTag(p) ?? id} (${it})`, `ec2.${it}.hour`, hours);
        for (const v of volumes(p.BlockDeviceMappings)) {
          add(stack, 'EBS volumes', nameTag(p) ?? id, `ebs.${v.type}.gbmonth`, v.gb);
        }
        break;
      }
      case 'AWS::EC2::Volume':
        add(stack, 'EBS volumes', id, `ebs.${str(p.VolumeType) ?? 'gp2'}.gbmonth`, num(p.Size) ?? 0);
        break;
      case 'AWS::RDS::DBInstance': {
        const cls = str(p.DBInstanceClass) ?? 'unknown';
        const cluster = isRef(p.DBClusterIdentifier) ? r.props(p.DBClusterIdentifier.$ref) : undefined;
        const engine = str(p.Engine) ?? str(cluster?.Engine) ?? 'unknown';
        const label = `${str(p.DBInstanceIdentifier) ?? id} (${cls})`;
        if (cls === 'db.serverless') {
          const scaling = cluster?.ServerlessV2ScalingConfiguration as Props | undefined;
          add(
            stack,
            'Aurora instances',
            label,
            'rds.aurora.serverless.acu.hour',
            (num(scaling?.MinCapacity) ?? 0.5) * hours,
          );
        } else {
          add(
            stack,
            engine.startsWith('aurora') ? 'Aurora instances' : 'RDS instances',
            label,
            `rds.${engine}.${cls}.hour`,
            hours,
          );
        }
        if (!cluster && !engine.startsWith('aurora')) {
          add(stack, 'RDS storage', label, `ebs.${str(p.StorageType) ?? 'gp2'}.gbmonth`, num(p.AllocatedStorage) ?? 0);
        }
        break;
      }
      case 'AWS::RDS::DBCluster': {
        const label = str(p.DBClusterIdentifier) ?? id;
        add(stack, 'Aurora storage and I/O', label, 'rds.aurora.storage.gbmonth', usage.dbGb);
        if (str(p.StorageType) !== 'aurora-iopt1') {
          add(stack, 'Aurora storage and I/O', label, 'rds.aurora.io.million', usage.dbIoMillions);
        }
        break;
      }
      case 'AWS::WAFv2::WebACL':
        priceWebAcl(r, key, p, usage, add);
        break;
      case 'AWS::ApiGateway::RestApi':
        add(stack, 'API Gateway', name('Name'), 'apigw.rest.million', usage.requests / 1e6);
        break;
      case 'AWS::ApiGatewayV2::Api':
        add(
          stack,
          'API Gateway',
          name('Name'),
          `apigw.${(str(p.ProtocolType) ?? 'HTTP').toLowerCase()}.million`,
          usage.requests / 1e6,
        );
        break;
      case 'AWS::Logs::LogGroup': {
        const label = name('LogGroupName');
        const days = num(p.RetentionInDays);
        const months = days === undefined ? usage.logMonthsNoExpiry : days / 30.4;
        add(stack, 'CloudWatch Logs', label, 'logs.ingest.gb', usage.logGb);
        add(stack, 'CloudWatch Logs', label, 'logs.storage.gbmonth', usage.logGb * months);
        break;
      }
      case 'AWS::CloudWatch::Alarm': {
        const metrics = Array.isArray(p.Metrics) ? p.Metrics.filter((m) => (m as Props)?.MetricStat).length : 1;
        const period =
          num(p.Period) ?? num(((p.Metrics as Props[] | undefined)?.[0]?.MetricStat as Props)?.Period) ?? 60;
        add(
          stack,
          'CloudWatch alarms',
          name('AlarmName'),
          period < 60 ? 'cloudwatch.alarm.highres.month' : 'cloudwatch.alarm.month',
          metrics,
        );
        break;
      }
      case 'AWS::CloudWatch::CompositeAlarm':
        add(stack, 'CloudWatch alarms', name('AlarmName'), 'cloudwatch.compositealarm.month', 1);
        break;
      case 'AWS::CloudWatch::Dashboard':
        add(stack, 'CloudWatch dashboards', name('DashboardName'), 'cloudwatch.dashboard.month', 1);
        break;
      case 'AWS::SecretsManager::Secret':
        add(stack, 'Secrets Manager', name('Name'), 'secretsmanager.secret.month', 1);
        add(stack, 'Secrets Manager', name('Name'), 'secretsmanager.api.10k', usage.secretCalls / 1e4);
        break;
      case 'AWS::KMS::Key':
      case 'AWS::KMS::ReplicaKey':
        add(stack, 'KMS keys', str(p.Description) ?? id, 'kms.key.month', 1);
        break;
      case 'AWS::ECS::Service':
        priceFargate(r, key, p, hours, add);
        break;
      default:
        if (USAGE_ONLY.has(type) || type.startsWith('Custom::') || type === 'AWS::CloudFormation::CustomResource') {
          usageOnlyTypes[type] = (usageOnlyTypes[type] ?? 0) + 1;
        } else if (!FREE.has(type)) {
          unknownTypes[type] = (unknownTypes[type] ?? 0) + 1;
        }
    }
  }
  return { lines, unpriced, unknownTypes, usageOnlyTypes };
}

type Add = (stack: string, kind: string, item: string, priceKey: string, quantity: number) => void;

function nameTag(p: Props): string | undefined {
  const tags = p.Tags;
  if (Array.isArray(tags)) {
    const t = tags.find((x) => (x as Props)?.Key === 'Name') as Props | undefined;
    return str(t?.Value);
  }
  return undefined;
}

function volumes(mappings: Resolved): Array<{ type: string; gb: number }> {
  return (Array.isArray(mappings) ? mappings : [])
    .map((m) => (m as Props)?.Ebs as Props | undefined)
    .filter((e): e is Props => !!e)
    .map((e) => ({ type: str(e.VolumeType) ?? 'gp2', gb: num(e.VolumeSize) ?? 8 }));
}

function priceAutoScalingGroup(r: Resolver, key: string, p: Props, hours: number, add: Add): void {
  const [stack, id] = [key.slice(0, key.indexOf('/')), key.slice(key.indexOf('/') + 1)];
  const count = num(p.DesiredCapacity) ?? num(p.MinSize) ?? 0;
  let data: Props | undefined;
  const lt = (p.LaunchTemplate ?? (p.MixedInstancesPolicy as Props | undefined)?.LaunchTemplate) as Props | undefined;
  const ltSpec = (lt?.LaunchTemplateSpecification ?? lt) as Props | undefined;
  const ltRef = ltSpec?.LaunchTemplateId ?? ltSpec?.LaunchTemplateName;
  if (isRef(ltRef)) {
    data = r.props(ltRef.$ref).LaunchTemplateData as Props | undefined;
  } else if (isRef(p.LaunchConfigurationName)) {
    data = r.props(p.LaunchConfigurationName.$ref);
  }
  const overrides = ((p.MixedInstancesPolicy as Props | undefined)?.LaunchTemplate as Props | undefined)?.Overrides;
  const it =
    str((Array.isArray(overrides) ? (overrides[0] as Props) : undefined)?.InstanceType) ??
    str(data?.InstanceType) ??
    'unknown';
  const label = `${id} (${count} × ${it})`;
  add(stack, 'EC2 instances', label, `ec2.${it}.hour`, count * hours);
  for (const v of volumes(data?.BlockDeviceMappings)) {
    add(stack, 'EBS volumes', `${id} (${count} × ${v.gb} GB ${v.type})`, `ebs.${v.type}.gbmonth`, count * v.gb);
  }
  const publicSubnets = asList(p.VPCZoneIdentifier).filter(
    (s) => isRef(s) && r.props(s.$ref).MapPublicIpOnLaunch === true,
  );
  const nics = data?.NetworkInterfaces;
  const assignsPublic =
    Array.isArray(nics) && nics.some((n) => (n as Props)?.AssociatePublicIpAddress === true)
      ? true
      : publicSubnets.length > 0 && publicSubnets.length === asList(p.VPCZoneIdentifier).length;
  if (assignsPublic) {
    add(stack, 'Public IPv4', label, 'ipv4.hour', count * hours);
  }
}

function priceWebAcl(r: Resolver, key: string, p: Props, usage: Usage, add: Add): void {
  const [stack, id] = [key.slice(0, key.indexOf('/')), key.slice(key.indexOf('/') + 1)];
  const label = str(p.Name) ?? id;
  const rules = Array.isArray(p.Rules) ? (p.Rules as Props[]) : [];
  // Each web ACL inspects the requests of every resource associated with it.
  const associations = r.resources('AWS::WAFv2::WebACLAssociation').filter((a) => {
    const arn = r.props(a.key).WebACLArn;
    return isRef(arn) && arn.$ref === key;
  }).length;
  const requests = usage.requests * Math.max(associations, 0);
  add(stack, 'WAF', label, 'waf.webacl.month', 1);
  add(stack, 'WAF', label, 'waf.rule.month', rules.length);
  add(stack, 'WAF', label, 'waf.request.million', requests / 1e6);
  if (rules.some((rule) => (rule.Action as Props | undefined)?.Captcha !== undefined)) {
    add(stack, 'WAF', `${label} CAPTCHA`, 'waf.captcha.thousand', (requests * usage.captchaShare) / 1e3);
  }
  const body = ((p.AssociationConfig as Props | undefined)?.RequestBody ?? {}) as Props;
  const extra = Math.max(
    0,
    ...Object.values(body).map(
      (b) => Number(/KB_(\d+)/.exec(str((b as Props)?.DefaultSizeInspectionLimit) ?? '')?.[1] ?? 16) / 16 - 1,
    ),
  );
  add(
    stack,
    'WAF',
    `${label} body inspection ${16 * (extra + 1)} KB`,
    'waf.body16kb.million',
    (extra * requests) / 1e6,
  );
}

function priceFargate(r: Resolver, key: string, p: Props, hours: number, add: Add): void {
  const [stack, id] = [key.slice(0, key.indexOf('/')), key.slice(key.indexOf('/') + 1)];
  const strategy = Array.isArray(p.CapacityProviderStrategy) ? (p.CapacityProviderStrategy as Props[]) : [];
  const fargate =
    str(p.LaunchType) === 'FARGATE' || strategy.some((s) => /^FARGATE/.test(str(s.CapacityProvider) ?? ''));
  if (!fargate || !isRef(p.TaskDefinition)) {
    return;
  }
  const td = r.props(p.TaskDefinition.$ref);
  const tasks = num(p.DesiredCount) ?? 1;
  const vcpu = (num(td.Cpu) ?? 256) / 1024;
  const gb = (num(td.Memory) ?? 512) / 1024;
  const label = `${str(p.ServiceName) ?? id} (${tasks} × ${vcpu} vCPU, ${gb} GB)`;
  add(stack, 'Fargate', label, 'fargate.vcpu.hour', tasks * vcpu * hours);
  add(stack, 'Fargate', label, 'fargate.gb.hour', tasks * gb * hours);
}
