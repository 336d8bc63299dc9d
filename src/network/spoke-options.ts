/**
 * What a tier of subnets is for; decides its route table and routes.
 */
export enum SubnetTierType {
  /**
   * Public subnets: public IPs auto-assigned, 0.0.0.0/0 to the internet gateway. They hold the NAT gateways.
   */
  PUBLIC = 'PUBLIC',
  /**
   * Private subnets: 0.0.0.0/0 to a NAT gateway when the spoke has one, else no internet route at all.
   */
  PRIVATE = 'PRIVATE',
  /**
   * Private subnets that hold the transit gateway attachment's network interfaces (exactly one tier per spoke).
   */
  TRANSIT = 'TRANSIT',
}

/**
 * What the subnets of a tier hold, so that the library's parts place their resources without guessing.
 *
 * A load balancer takes the tier with `LOAD_BALANCER` (one subnet per AZ), container instances the tier with
 * `COMPUTE`, awsvpc task interfaces the tier with `TASKS`; nothing but the transit gateway attachment lands in a
 * `TRANSIT` tier.
 */
export enum SubnetRole {
  /** Internal load balancers (and the network interfaces of VPC links V2). */
  LOAD_BALANCER = 'LOAD_BALANCER',
  /** Container instances (EC2 Auto Scaling groups). */
  COMPUTE = 'COMPUTE',
  /** The network interfaces of awsvpc tasks. */
  TASKS = 'TASKS',
  /** The transit gateway attachment's network interfaces (every TRANSIT tier has this role, and only it). */
  TRANSIT = 'TRANSIT',
  /** Databases and other data stores. */
  DATA = 'DATA',
}

/**
 * How many NAT gateways a spoke runs.
 */
export enum NatGatewayPlacement {
  /** No NAT gateway: private subnets have no route to the internet. */
  NONE = 'NONE',
  /**
   * One NAT gateway, in the first availability zone's public subnet, shared by one private route table.
   *
   * Cheapest; a single point of failure for egress if that AZ fails.
   */
  SINGLE = 'SINGLE',
  /**
   * One NAT gateway per availability zone. The private tiers then get one route table per AZ
   * (named `<privateRouteTableName>-<az>`), each sending 0.0.0.0/0 to its own AZ's NAT gateway.
   */
  PER_AZ = 'PER_AZ',
}

/**
 * A network ACL that admits a single TCP port from a list of client CIDRs into a tier (e.g. a database tier).
 *
 * Inbound: the port from each client CIDR (rules `firstRuleNumber`, +10, …) and all traffic from inside the
 * spoke's own VPC (rule `firstRuleNumber + 100`). Outbound: TCP 1024–65535 back to each client CIDR (the
 * responses) and all traffic to the spoke's own VPC. Everything else is denied by the ACL's final `*` rule.
 */
export interface TierIngressRestriction {
  /**
   * The TCP port admitted from the client CIDRs (e.g. 5432 for PostgreSQL).
   */
  readonly port: number;

  /**
   * The CIDR blocks allowed to reach `port`. Use `SpokeVpc.clientCidrs(tier)` to feed the same list into the
   * security groups of what runs in the tier, so the two never disagree.
   *
   * @default - the CIDR blocks of every other spoke of the network
   */
  readonly clientCidrs?: string[];

  /**
   * The number of the first inbound and outbound rule; the next rules follow in steps of 10 to leave gaps.
   *
   * @default 100
   */
  readonly firstRuleNumber?: number;

  /**
   * The network ACL's `Name` tag.
   *
   * @default - no Name tag
   */
  readonly networkAclName?: string;
}

/**
 * A tier of subnets: one subnet per availability zone, all sharing a purpose and a route table.
 */
export interface SubnetTierOptions {
  /**
   * The tier's name, unique within its spoke. It is also the subnet group name of the spoke's `IVpc`, so
   * `vpc.selectSubnets({ subnetGroupName: 'ecs-service' })` finds the tier.
   */
  readonly name: string;

  /**
   * What the tier is for.
   */
  readonly type: SubnetTierType;

  /**
   * One IPv4 CIDR block per availability zone, in the order of `HubSpokeNetworkProps.availabilityZones`.
   */
  readonly cidrBlocks: string[];

  /**
   * The `Name` tag of each subnet, in the order of the availability zones.
   *
   * @default - `<spoke name>-<tier name>-<availability zone>`
   */
  readonly subnetNames?: string[];

  /**
   * What the tier's subnets hold; the library's parts pick their subnets by role. A TRANSIT tier always has the
   * `TRANSIT` role and no other; `TRANSIT` is reserved for TRANSIT tiers.
   *
   * @default - `[SubnetRole.TRANSIT]` for a TRANSIT tier, no role otherwise (parts then use the spoke's first PRIVATE tier)
   */
  readonly roles?: SubnetRole[];

  /**
   * Restricts what enters the tier with a network ACL.
   *
   * @default - the VPC's default network ACL (allows all traffic; security groups do the filtering)
   */
  readonly ingressRestriction?: TierIngressRestriction;
}

/**
 * One spoke VPC of the network.
 */
export interface SpokeOptions {
  /**
   * The spoke's short name, unique within the network (e.g. `ecs`); look the spoke up with `network.spoke(name)`.
   */
  readonly name: string;

  /**
   * The VPC's IPv4 CIDR block.
   */
  readonly cidrBlock: string;

  /**
   * The subnet tiers.
   */
  readonly tiers: SubnetTierOptions[];

  /**
   * The VPC's `Name` tag.
   *
   * @default - no Name tag
   */
  readonly vpcName?: string;

  /**
   * How many NAT gateways to run.
   *
   * @default - `SINGLE` when the spoke has a PUBLIC tier, otherwise `NONE`
   */
  readonly natGateways?: NatGatewayPlacement;

  /**
   * The internet gateway's `Name` tag (an internet gateway exists when the spoke has a PUBLIC tier).
   *
   * @default - no Name tag
   */
  readonly internetGatewayName?: string;

  /**
   * The NAT gateway's `Name` tag; with one NAT gateway per AZ, `-<az>` is appended.
   *
   * @default - no Name tag
   */
  readonly natGatewayName?: string;

  /**
   * The `Name` tag of the route table shared by the PUBLIC tiers.
   *
   * @default - no Name tag
   */
  readonly publicRouteTableName?: string;

  /**
   * The `Name` tag of the route table shared by the PRIVATE and TRANSIT tiers; with one NAT gateway per AZ,
   * `-<az>` is appended to each per-AZ table.
   *
   * @default - no Name tag
   */
  readonly privateRouteTableName?: string;

  /**
   * The `Name` tag given to the VPC's default security group (CloudFormation can't rename it).
   *
   * @default - no Name tag
   */
  readonly defaultSecurityGroupName?: string;

  /**
   * Remove every rule of the VPC's default security group, so that nothing placed in it by accident is reachable.
   *
   * Uses a custom resource (EC2 RevokeSecurityGroupIngress / RevokeSecurityGroupEgress, and CreateTags for
   * `defaultSecurityGroupName`).
   *
   * @default true
   */
  readonly restrictDefaultSecurityGroup?: boolean;

  /**
   * The transit gateway attachment's `Name` tag.
   *
   * @default - no Name tag
   */
  readonly attachmentName?: string;

  /**
   * The `Name` tag of this spoke's transit gateway route table.
   *
   * @default - no Name tag
   */
  readonly transitRouteTableName?: string;

  /**
   * AWS services to reach through interface VPC endpoints, by their short service name
   * (`ecr.api`, `ecr.dkr`, `logs`, `secretsmanager`, `ssm`, `ssmmessages`, `ec2messages`, `ecs`, `ecs-agent`,
   * `ecs-telemetry`, `sts`, …). Each endpoint costs money per AZ per hour.
   *
   * @default - no interface endpoints
   */
  readonly interfaceEndpoints?: string[];

  /**
   * AWS services to reach through gateway VPC endpoints (`s3`, `dynamodb`); free of charge.
   *
   * @default - no gateway endpoints
   */
  readonly gatewayEndpoints?: string[];

  /**
   * The tier whose subnets hold the interface endpoints' network interfaces.
   *
   * @default - the first PRIVATE tier
   */
  readonly endpointTier?: string;
}
