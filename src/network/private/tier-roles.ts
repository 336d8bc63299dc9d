import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { SubnetRole, SubnetTierType } from '../spoke-options';

/** What the placement helper knows of one tier of a spoke VPC. */
export interface TierInfo {
  readonly name: string;
  readonly type: SubnetTierType;
  readonly roles: SubnetRole[];
  /** The subnet IDs (tokens) of the tier, in availability-zone order. */
  readonly subnetIds: string[];
}

const registry = new WeakMap<ec2.IVpc, TierInfo[]>();

/** Records the tiers of a spoke's `IVpc`, so that the parts can select subnets by role. */
export function registerTiers(vpc: ec2.IVpc, tiers: TierInfo[]): void {
  registry.set(vpc, tiers);
}

/** The tiers of a spoke's `IVpc`, or undefined for any other VPC. */
export function tiersOf(vpc: ec2.IVpc): TierInfo[] | undefined {
  return registry.get(vpc);
}

/** The roles of a tier: its declared ones, TRANSIT for a TRANSIT tier. */
export function effectiveRoles(type: SubnetTierType, roles: SubnetRole[] | undefined): SubnetRole[] {
  if (type === SubnetTierType.TRANSIT) {
    return [SubnetRole.TRANSIT];
  }
  return [...(roles ?? [])];
}
