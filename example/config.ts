import { App } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as logs from 'aws-cdk-lib/aws-logs';
import { ServiceNetworkMode } from '../src';

/** The deploy-time settings of the GTUC example, read from CDK context (`-c key=value` or cdk.json). */
export interface GtucConfig {
  /** The service deployments: awsvpc (brief step 5) and/or bridge with dynamic ports (brief step 6). */
  readonly networkModes: ServiceNetworkMode[];
  /** Container instance types of each service's cluster, in priority order (a mixed instances policy). */
  readonly instanceTypes: ec2.InstanceType[];
  /** The share of container instances on Spot, in percent (0 = On-Demand only). */
  readonly spotPercentage: number;
  /** Days the log groups keep their events (at least 365 by default; a CloudWatch Logs retention value). */
  readonly logRetentionDays: number;
  /** Fewest and most container instances per cluster. */
  readonly minInstances: number;
  readonly maxInstances: number;
  /** Tasks per service, and the task auto scaling ceiling. */
  readonly desiredCount: number;
  readonly maxTasks: number;
  /**
   * CIDR blocks allowed to PostgreSQL (security group AND network ACL): by default the ECS compute and task
   * tiers. The brief says 10.0.0.0/8.
   */
  readonly databaseClientCidrs: string[];
  /** Aurora instance type. */
  readonly databaseInstanceType: ec2.InstanceType;
  /** Stage throttling: requests per second and burst. */
  readonly throttleRate: number;
  readonly throttleBurst: number;
  /** WAF per-IP rate limit per 5 minutes. */
  readonly wafRateLimit: number;
  /**
   * IPv4 CIDR blocks the web ACL allows before its geo rules (partners' servers in Ghana skip the CAPTCHA).
   * Empty by default; `-c wafAllowedIpv4Cidrs=198.51.100.0/24,203.0.113.7/32`.
   */
  readonly wafAllowedIpv4Cidrs: string[];
  /** Deletion protection and snapshot-on-delete of the database (turn off for test deployments only). */
  readonly deletionProtection: boolean;
  /** E-mail address subscribed to the alarm topics. */
  readonly alarmEmail?: string;
  /**
   * Browser origins allowed to call the API (CORS), e.g. `https://catalog.gtuc.example`; none by default. The
   * gateway answers their preflights and the service gets them as `CORS_ALLOWED_ORIGINS` for its own responses.
   */
  readonly allowedOrigins: string[];
}

/** The ecs-ec2 tier of `HubSpokeNetwork.gtucLayout` (container instances; bridge-mode tasks use their IPs). */
export const ECS_COMPUTE_CIDRS = ['10.0.0.0/24', '10.0.1.0/24', '10.0.2.0/24'];
/** The ecs-service tier of `HubSpokeNetwork.gtucLayout` (awsvpc task interfaces). */
export const ECS_TASK_CIDRS = ['10.0.6.0/24', '10.0.7.0/24', '10.0.8.0/24'];

const MODES: Record<string, ServiceNetworkMode> = {
  awsvpc: ServiceNetworkMode.AWS_VPC,
  bridge: ServiceNetworkMode.BRIDGE,
};

/** The short name of a network mode, as used in stack and resource names. */
export function modeName(mode: ServiceNetworkMode): string {
  return mode === ServiceNetworkMode.AWS_VPC ? 'awsvpc' : 'bridge';
}

/** Reads and validates the example's context; every bad value names its context key. */
export function readConfig(app: App): GtucConfig {
  const raw = (key: string): string | undefined => {
    const value = app.node.tryGetContext(key);
    return value === undefined || value === null ? undefined : String(value);
  };
  const int = (key: string, fallback: number, min: number, max: number): number => {
    const text = raw(key);
    if (text === undefined) {
      return fallback;
    }
    const value = Number(text);
    if (!Number.isInteger(value) || value < min || value > max) {
      throw new Error(`Context \`${key}\` must be an integer from ${min} to ${max}, got: '${text}'.`);
    }
    return value;
  };
  const bool = (key: string, fallback: boolean): boolean => {
    const text = raw(key);
    if (text === undefined) {
      return fallback;
    }
    if (text !== 'true' && text !== 'false') {
      throw new Error(`Context \`${key}\` must be true or false, got: '${text}'.`);
    }
    return text === 'true';
  };
  const list = (key: string, fallback: string[]) =>
    raw(key)
      ?.split(',')
      .map((s) => s.trim())
      .filter((s) => s.length > 0) ?? fallback;

  const retention = (days: number): number => {
    if (!(Object.values(logs.RetentionDays) as unknown[]).includes(days)) {
      throw new Error(
        `Context \`logRetentionDays\` must be a CloudWatch Logs retention (e.g. 365, 400, 545, 731), got: '${days}'.`,
      );
    }
    return days;
  };
  const networkModes = list('networkModes', ['awsvpc', 'bridge']).map((m) => {
    const mode = MODES[m];
    if (!mode) {
      throw new Error(`Context \`networkModes\` must list awsvpc and/or bridge, got: '${m}'.`);
    }
    return mode;
  });
  if (networkModes.length === 0) {
    throw new Error('Context `networkModes` must list at least one of awsvpc, bridge.');
  }
  const minInstances = int('minInstances', 2, 0, 20);
  const maxInstances = int('maxInstances', 4, 1, 20);
  if (minInstances > maxInstances) {
    throw new Error(`Context \`minInstances\` (${minInstances}) must not exceed \`maxInstances\` (${maxInstances}).`);
  }
  const desiredCount = int('desiredCount', 2, 1, 50);
  const maxTasks = int('maxTasks', 4, 1, 100);
  if (desiredCount > maxTasks) {
    throw new Error(`Context \`desiredCount\` (${desiredCount}) must not exceed \`maxTasks\` (${maxTasks}).`);
  }
  return {
    networkModes: Array.from(new Set(networkModes)),
    instanceTypes: list('instanceTypes', ['t3.medium', 't3a.medium']).map((t) => new ec2.InstanceType(t)),
    spotPercentage: int('spotPercentage', 0, 0, 100),
    logRetentionDays: retention(int('logRetentionDays', 365, 1, 3653)),
    minInstances,
    maxInstances,
    desiredCount,
    maxTasks,
    // The subnets that host database clients: ecs-ec2 (container instances, bridge tasks) and ecs-service (awsvpc
    // task interfaces), not the whole ECS VPC.
    databaseClientCidrs: list('databaseClientCidrs', [...ECS_COMPUTE_CIDRS, ...ECS_TASK_CIDRS]),
    databaseInstanceType: new ec2.InstanceType(raw('databaseInstanceType') ?? 't4g.medium'),
    throttleRate: int('throttleRate', 50, 1, 10000),
    throttleBurst: int('throttleBurst', 100, 0, 5000),
    wafRateLimit: int('wafRateLimit', 1000, 10, 2000000000),
    wafAllowedIpv4Cidrs: list('wafAllowedIpv4Cidrs', []),
    deletionProtection: bool('deletionProtection', true),
    alarmEmail: raw('alarmEmail'),
    allowedOrigins: list('allowedOrigins', []),
  };
}
