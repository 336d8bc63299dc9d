import { Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { tiersOf, TierInfo } from './private/tier-roles';
import { SubnetRole, SubnetTierType } from './spoke-options';

/**
 * How `SubnetPlacement.select()` picks and checks subnets.
 */
export interface SubnetPlacementOptions {
  /**
   * What the subnets will hold.
   */
  readonly role: SubnetRole;

  /**
   * The subnets the user chose. They are checked against the rules of `role` instead of being picked.
   *
   * @default - picked by role: the spoke's tier with `role`, else its first PRIVATE tier; in any other VPC the
   * private (else isolated) subnets of one subnet group, one per AZ
   */
  readonly vpcSubnets?: ec2.SubnetSelection;

  /**
   * The prop that error messages name (e.g. `loadBalancerSubnets`).
   *
   * @default 'vpcSubnets'
   */
  readonly propertyName?: string;

  /**
   * Accept public subnets (for an internal load balancer or private compute, a deliberate choice).
   *
   * @default false
   */
  readonly allowPublicSubnets?: boolean;
}

/**
 * Picks the subnets of a part by what they will hold, and refuses placements that CloudFormation or the network
 * design would reject: two load balancer subnets in one availability zone, anything but the transit gateway
 * attachment in a transit tier, public subnets for private resources.
 *
 * `HubSpokeNetwork` tiers declare their roles (`SubnetTierOptions.roles`); with any other `IVpc` the parts use the
 * private subnets of one subnet group, one per AZ.
 *
 * @example
 * import * as ec2 from 'aws-cdk-lib/aws-ec2';
 * import { SubnetPlacement, SubnetRole } from '@gtuc/cdk-privatelink-ecs';
 *
 * declare const vpc: ec2.IVpc;
 * const subnets = SubnetPlacement.select(vpc, { role: SubnetRole.LOAD_BALANCER, propertyName: 'vpcSubnets' });
 */
export class SubnetPlacement {
  /**
   * The subnets for `options.role` in `vpc`, as a selection of concrete subnets.
   *
   * @param vpc the VPC to place in
   * @param options the role, and the user's own selection to check
   */
  public static select(vpc: ec2.IVpc, options: SubnetPlacementOptions): ec2.SubnetSelection {
    return { subnets: SubnetPlacement.subnets(vpc, options) };
  }

  /**
   * The subnets for `options.role` in `vpc`, checked.
   *
   * @param vpc the VPC to place in
   * @param options the role, and the user's own selection to check
   */
  public static subnets(vpc: ec2.IVpc, options: SubnetPlacementOptions): ec2.ISubnet[] {
    const prop = options.propertyName ?? 'vpcSubnets';
    const tiers = tiersOf(vpc);
    const subnets = options.vpcSubnets
      ? vpc.selectSubnets(options.vpcSubnets).subnets
      : SubnetPlacement.pick(vpc, options.role, tiers);
    if (subnets.length === 0) {
      throw new Error(`\`${prop}\` must select at least one subnet for ${describeRole(options.role)}, got: none.`);
    }
    SubnetPlacement.check(vpc, subnets, tiers, options, prop);
    return subnets;
  }

  private static pick(vpc: ec2.IVpc, role: SubnetRole, tiers: TierInfo[] | undefined): ec2.ISubnet[] {
    if (tiers) {
      const tier =
        tiers.find((t) => t.roles.includes(role)) ??
        tiers.find((t) => t.type === SubnetTierType.PRIVATE && !t.roles.includes(SubnetRole.TRANSIT));
      if (!tier) {
        return [];
      }
      return vpc.selectSubnets({ subnetGroupName: tier.name }).subnets;
    }
    const type = vpc.privateSubnets.length > 0 ? ec2.SubnetType.PRIVATE_WITH_EGRESS : ec2.SubnetType.PRIVATE_ISOLATED;
    const all = vpc.selectSubnets({ subnetType: type }).subnets;
    if (all.length === 0) {
      return [];
    }
    // One subnet group: the group of the first subnet (ec2.Vpc lists subnets group by group), one per AZ.
    const group = subnetGroupOf(all[0]);
    const sameGroup = group ? all.filter((s) => subnetGroupOf(s) === group) : all;
    const seen = new Set<string>();
    return sameGroup.filter((s) => {
      if (Token.isUnresolved(s.availabilityZone)) {
        return true;
      }
      if (seen.has(s.availabilityZone)) {
        return false;
      }
      seen.add(s.availabilityZone);
      return true;
    });
  }

  private static check(
    vpc: ec2.IVpc,
    subnets: ec2.ISubnet[],
    tiers: TierInfo[] | undefined,
    options: SubnetPlacementOptions,
    prop: string,
  ) {
    const label = (s: ec2.ISubnet) => subnetLabel(s, tiers);
    if (tiers) {
      const transit = subnets.filter((s) => tierOf(s, tiers)?.roles.includes(SubnetRole.TRANSIT));
      if (transit.length > 0) {
        throw new Error(
          `\`${prop}\` must not select transit subnets (they hold the transit gateway attachment only) for ${describeRole(options.role)}, got: ${transit.map(label).join(', ')}.`,
        );
      }
    }
    if (!options.allowPublicSubnets) {
      const publicIds = new Set(vpc.publicSubnets.map((s) => s.subnetId));
      const pub = subnets.filter((s) => publicIds.has(s.subnetId));
      if (pub.length > 0) {
        throw new Error(
          `\`${prop}\` must select private subnets for ${describeRole(options.role)} (set \`allowPublicSubnets\` to use public ones), got: ${pub.map(label).join(', ')}.`,
        );
      }
    }
    if (options.role === SubnetRole.LOAD_BALANCER) {
      const byAz = new Map<string, ec2.ISubnet[]>();
      for (const s of subnets) {
        if (Token.isUnresolved(s.availabilityZone)) {
          continue;
        }
        byAz.set(s.availabilityZone, [...(byAz.get(s.availabilityZone) ?? []), s]);
      }
      for (const [az, list] of byAz) {
        if (list.length > 1) {
          throw new Error(
            `\`${prop}\` must select one subnet per availability zone for a load balancer, got: ${list.length} in ${az} (${list.map(label).join(', ')}).`,
          );
        }
      }
    }
  }

  private constructor() {}
}

function describeRole(role: SubnetRole): string {
  switch (role) {
    case SubnetRole.LOAD_BALANCER:
      return 'a load balancer';
    case SubnetRole.COMPUTE:
      return 'container instances';
    case SubnetRole.TASKS:
      return 'task network interfaces';
    case SubnetRole.DATA:
      return 'data stores';
    default:
      return 'the transit gateway attachment';
  }
}

function tierOf(subnet: ec2.ISubnet, tiers: TierInfo[]): TierInfo | undefined {
  return tiers.find((t) => t.subnetIds.includes(subnet.subnetId));
}

function subnetLabel(subnet: ec2.ISubnet, tiers: TierInfo[] | undefined): string {
  const tier = tiers ? tierOf(subnet, tiers) : undefined;
  const az = Token.isUnresolved(subnet.availabilityZone) ? '' : subnet.availabilityZone;
  const name = tier?.name ?? subnetGroupOf(subnet) ?? subnet.node.path;
  return az ? `${name} (${az})` : name;
}

/** The subnet group of an L2 `ec2.Vpc` subnet (its `aws-cdk:subnet-name` tag), if known. */
function subnetGroupOf(subnet: ec2.ISubnet): string | undefined {
  const id = subnet.node.id;
  const match = /^(.*)Subnet\d+$/.exec(id);
  return match ? match[1] : undefined;
}
