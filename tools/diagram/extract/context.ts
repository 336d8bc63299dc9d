/**
 * What the extractors share: the resolver, the placements (what runs in which subnet), the purposes recorded
 * for log groups, the security groups (so each extractor marks what uses them), and the resource types read.
 */
import { Resolved, Resolver, str, Templates } from '../cfn';
import type { Placement, SecurityGroup } from '../model';

/** Types that carry nothing worth drawing (their effect is drawn where it shows: IAM, scaling targets, ...). */
const NOT_DRAWN = [
  /^AWS::IAM::/,
  /^AWS::CDK::Metadata$/,
  /^AWS::Lambda::Permission$/,
  /^AWS::SNS::TopicPolicy$/,
  /^AWS::SecretsManager::ResourcePolicy$/,
  /^AWS::ApiGateway::(Account|Deployment|RequestValidator|Model|GatewayResponse)$/,
  /^AWS::ECS::ClusterCapacityProviderAssociations$/,
  /^AWS::EC2::LaunchTemplate$/,
  /^AWS::RDS::DB(Cluster)?ParameterGroup$/,
];

export class Context {
  readonly r: Resolver;
  readonly placements: Placement[] = [];
  readonly logPurpose = new Map<string, string[]>();
  readonly sgByKey = new Map<string, SecurityGroup>();
  readonly region: string;
  private readonly read = new Set<string>();

  constructor(readonly templates: Templates) {
    this.r = new Resolver(templates);
    const azs = this.r
      .resources('AWS::EC2::Subnet')
      .map((s) => str(this.r.props(s.key).AvailabilityZone))
      .filter((az): az is string => !!az)
      .map((az) => az.replace(/[a-z]$/, ''));
    this.region = [...new Set(azs)].sort()[0] ?? 'region';
  }

  /** The resources of a type (and records that some extractor reads that type). */
  readonly res = (type: string): Array<{ key: string; stack: string; id: string; type: string }> => {
    this.read.add(type);
    return this.r.resources(type);
  };

  /** The resolved properties of a resource. */
  readonly P = (key: string): Record<string, Resolved> => {
    const type = this.r.type(key);
    if (type) {
      this.read.add(type);
    }
    return this.r.props(key);
  };

  /** Records that `item` runs in each of `subnetKeys`. */
  readonly place = (subnetKeys: string[], kind: Placement['kind'], label: string, item: string): void => {
    for (const s of subnetKeys) {
      this.placements.push({ subnet: s, kind, label, item });
    }
  };

  /** Records that the resource `label` uses the security groups `keys`. */
  readonly useSg = (keys: string[], label: string): void => {
    for (const k of keys) {
      const g = this.sgByKey.get(k);
      if (g && !g.usedBy.includes(label)) {
        g.usedBy.push(label);
      }
    }
  };

  /** Records what writes to a log group. */
  readonly addPurpose = (key: string | undefined, purpose: string): void => {
    if (key && this.r.type(key) === 'AWS::Logs::LogGroup') {
      this.logPurpose.set(key, [...new Set([...(this.logPurpose.get(key) ?? []), purpose])]);
    }
  };

  /** Resource types of the templates that no extractor read, with their count (drawn as a list, not as nodes). */
  unmodelled(): Array<{ type: string; count: number }> {
    const counts = new Map<string, number>();
    for (const { type } of this.r.resources()) {
      if (!this.read.has(type) && !NOT_DRAWN.some((re) => re.test(type))) {
        counts.set(type, (counts.get(type) ?? 0) + 1);
      }
    }
    return [...counts.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([type, count]) => ({ type, count }));
  }
}
