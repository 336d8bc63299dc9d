import { Stack, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { contains, Ipv4Range, overlaps, parseCidr } from './private/cidr';
import { nameTag } from './private/tags';
import { NatGatewayPlacement, SpokeOptions, SubnetRole, SubnetTierType } from './spoke-options';
import { SpokeVpc } from './spoke-vpc';

/**
 * Properties of a `HubSpokeNetwork`.
 */
export interface HubSpokeNetworkProps {
  /**
   * The availability zones, in the order that every tier's `cidrBlocks` follow.
   *
   * Literal names (`us-east-2a`) need no lookup at synth time.
   */
  readonly availabilityZones: string[];

  /**
   * The spoke VPCs joined by the transit gateway.
   */
  readonly spokes: SpokeOptions[];

  /**
   * The transit gateway's `Name` tag.
   *
   * @default - no Name tag
   */
  readonly transitGatewayName?: string;

  /**
   * The transit gateway's private ASN (64512–65534 or 4200000000–4294967294).
   *
   * @default 64512
   */
  readonly amazonSideAsn?: number;

  /**
   * The destination that every spoke route table sends to the transit gateway. It must cover every spoke's CIDR.
   *
   * @default '10.0.0.0/8'
   */
  readonly transitRouteCidr?: string;

  /**
   * Record VPC flow logs (all traffic) of every spoke to CloudWatch Logs.
   *
   * @default true
   */
  readonly flowLogs?: boolean;

  /**
   * How long flow logs are kept.
   *
   * @default logs.RetentionDays.THREE_MONTHS
   */
  readonly flowLogRetention?: logs.RetentionDays;

  /**
   * The customer-managed KMS key of the flow log groups (its key policy must let `logs.<region>.amazonaws.com`
   * use it).
   *
   * @default - CloudWatch Logs' own encryption
   */
  readonly flowLogEncryptionKey?: kms.IKey;
}

/**
 * Options of the ready-made GTUC layout.
 */
export interface GtucLayoutOptions {
  /**
   * The CIDR blocks allowed to reach PostgreSQL (5432) in the RDS data subnets. The brief says 10.0.0.0/8;
   * the ECS VPC alone is enough.
   *
   * @default ['10.0.0.0/16'] (the ECS VPC)
   */
  readonly databaseClientCidrs?: string[];

  /**
   * NAT gateways of the ECS VPC. The brief has one (`items-ecs-ngw`).
   *
   * @default NatGatewayPlacement.SINGLE
   */
  readonly natGateways?: NatGatewayPlacement;

  /**
   * The public subnets' CIDR blocks. The brief's 10.0.6-8.0/24 overlap the ecs-service subnets.
   *
   * @default ['10.0.9.0/24', '10.0.10.0/24', '10.0.11.0/24']
   */
  readonly publicSubnetCidrs?: string[];

  /**
   * Interface endpoints of the ECS VPC.
   *
   * @default HubSpokeNetwork.ECS_INTERFACE_ENDPOINTS
   */
  readonly ecsInterfaceEndpoints?: string[];

  /**
   * Interface endpoints of the RDS VPC (Secrets Manager, for the secret rotation function).
   *
   * @default ['secretsmanager']
   */
  readonly rdsInterfaceEndpoints?: string[];

  /**
   * How long flow logs are kept.
   *
   * @default logs.RetentionDays.THREE_MONTHS
   */
  readonly flowLogRetention?: logs.RetentionDays;

  /**
   * The customer-managed KMS key of the flow log groups (its key policy must let `logs.<region>.amazonaws.com`
   * use it).
   *
   * @default - CloudWatch Logs' own encryption
   */
  readonly flowLogEncryptionKey?: kms.IKey;
}

/**
 * A hub-and-spoke network: a transit gateway (the hub) joining spoke VPCs whose subnets, route tables, NAT
 * gateways, endpoints, network ACLs and flow logs follow an explicit, validated layout.
 *
 * Every spoke gets one transit gateway route table that associates the spoke's own attachment and propagates
 * every other spoke's attachment, and every spoke route table sends `transitRouteCidr` to the transit gateway.
 *
 * @example
 * import { HubSpokeNetwork } from '@gtuc/cdk-privatelink-ecs';
 *
 * const network = HubSpokeNetwork.gtuc(this, 'Network', 'us-east-2');
 * const ecsVpc = network.vpc('ecs');
 * const taskSubnets = network.spoke('ecs').selectTier('ecs-service');
 */
export class HubSpokeNetwork extends Construct {
  /**
   * The interface endpoints that let ECS container instances and tasks on EC2 work without a NAT gateway
   * for AWS APIs (image pulls, logs, secrets, Session Manager, the ECS agent, STS).
   */
  public static readonly ECS_INTERFACE_ENDPOINTS: string[] = [
    'ecr.api',
    'ecr.dkr',
    'logs',
    'secretsmanager',
    'ssm',
    'ssmmessages',
    'ec2messages',
    'ecs',
    'ecs-agent',
    'ecs-telemetry',
    'sts',
  ];

  /**
   * Builds the brief's network (`gtucLayout(region, options)`) in one call: the form that reads the same in every
   * jsii language (Python passes construct props by keyword, so `HubSpokeNetwork(self, "Network", layout)` would not
   * work there).
   *
   * @param scope the parent construct
   * @param id the construct id
   * @param region the region of the stack, e.g. `us-east-2` (its zones a, b and c are used)
   * @param options choices within the layout
   */
  public static gtuc(scope: Construct, id: string, region: string, options: GtucLayoutOptions = {}): HubSpokeNetwork {
    return new HubSpokeNetwork(scope, id, HubSpokeNetwork.gtucLayout(region, options));
  }

  /**
   * The brief's network: `items-ecs-vpc` (10.0.0.0/16) and `items-rds-vpc` (10.1.0.0/16) in the zones a, b and c
   * of `region` (the brief: us-east-2), joined by `items-tgw`, with every subnet, route table and attachment named
   * as the brief names them. The stack must be in `region` (a stack of another region fails synth).
   *
   * Public subnets use 10.0.9-11.0/24 (the brief's 10.0.6-8.0/24 overlap the ecs-service subnets). Tiers of
   * the `ecs` spoke: `public`, `ecs-ec2` (role COMPUTE), `ecs-tgw` (TRANSIT), `ecs-service` (LOAD_BALANCER and
   * TASKS); of the `rds` spoke: `rds` (DATA), `rds-tgw` (TRANSIT). The `rds` tier admits only PostgreSQL (5432)
   * from `databaseClientCidrs` through a network ACL.
   *
   * @param region the region of the stack, e.g. `us-east-2` (its zones a, b and c are used)
   * @param options choices within the layout
   */
  public static gtucLayout(region: string, options: GtucLayoutOptions = {}): HubSpokeNetworkProps {
    if (Token.isUnresolved(region) || !/^[a-z]{2}(-[a-z]+)+-\d+$/.test(region)) {
      throw new Error(
        `\`region\` must be a literal region name such as us-east-2 (the layout pins zone names), got: '${region}'.`,
      );
    }
    const azs = ['a', 'b', 'c'].map((letter) => `${region}${letter}`);
    const names = (pattern: string) => azs.map((az) => pattern.replace('{az}', az));
    return {
      availabilityZones: azs,
      transitGatewayName: 'items-tgw',
      transitRouteCidr: '10.0.0.0/8',
      flowLogRetention: options.flowLogRetention,
      flowLogEncryptionKey: options.flowLogEncryptionKey,
      spokes: [
        {
          name: 'ecs',
          vpcName: 'items-ecs-vpc',
          cidrBlock: '10.0.0.0/16',
          natGateways: options.natGateways ?? NatGatewayPlacement.SINGLE,
          internetGatewayName: 'items-ecs-igw',
          natGatewayName: 'items-ecs-ngw',
          publicRouteTableName: 'public-items-ecs-rtb',
          privateRouteTableName: 'private-items-ecs-rtb',
          defaultSecurityGroupName: 'items-ecs-vpc-sg',
          attachmentName: 'items-ecs-vpc-tgw-attach',
          transitRouteTableName: 'items-ecs-tgw-rtb',
          interfaceEndpoints: options.ecsInterfaceEndpoints ?? HubSpokeNetwork.ECS_INTERFACE_ENDPOINTS,
          gatewayEndpoints: ['s3'],
          endpointTier: 'ecs-ec2',
          tiers: [
            {
              name: 'ecs-ec2',
              type: SubnetTierType.PRIVATE,
              roles: [SubnetRole.COMPUTE],
              cidrBlocks: ['10.0.0.0/24', '10.0.1.0/24', '10.0.2.0/24'],
              subnetNames: names('private-{az}-ecs-ec2'),
            },
            {
              name: 'ecs-tgw',
              type: SubnetTierType.TRANSIT,
              cidrBlocks: ['10.0.3.0/24', '10.0.4.0/24', '10.0.5.0/24'],
              subnetNames: names('private-{az}-ecs-tgw'),
            },
            {
              name: 'ecs-service',
              type: SubnetTierType.PRIVATE,
              roles: [SubnetRole.LOAD_BALANCER, SubnetRole.TASKS],
              cidrBlocks: ['10.0.6.0/24', '10.0.7.0/24', '10.0.8.0/24'],
              subnetNames: names('private-{az}-ecs-service'),
            },
            {
              name: 'public',
              type: SubnetTierType.PUBLIC,
              cidrBlocks: options.publicSubnetCidrs ?? ['10.0.9.0/24', '10.0.10.0/24', '10.0.11.0/24'],
              subnetNames: names('public-{az}-ecs'),
            },
          ],
        },
        {
          name: 'rds',
          vpcName: 'items-rds-vpc',
          cidrBlock: '10.1.0.0/16',
          natGateways: NatGatewayPlacement.NONE,
          privateRouteTableName: 'private-items-rds-rtb',
          defaultSecurityGroupName: 'items-rds-vpc-sg',
          attachmentName: 'items-rds-vpc-tgw-attach',
          transitRouteTableName: 'items-rds-tgw-rtb',
          interfaceEndpoints: options.rdsInterfaceEndpoints ?? ['secretsmanager'],
          endpointTier: 'rds',
          tiers: [
            {
              name: 'rds',
              type: SubnetTierType.PRIVATE,
              roles: [SubnetRole.DATA],
              cidrBlocks: ['10.1.0.0/24', '10.1.1.0/24', '10.1.2.0/24'],
              subnetNames: names('private-{az}-rds'),
              ingressRestriction: {
                port: 5432,
                clientCidrs: options.databaseClientCidrs ?? ['10.0.0.0/16'],
                networkAclName: 'private-items-rds-nacl',
              },
            },
            {
              name: 'rds-tgw',
              type: SubnetTierType.TRANSIT,
              cidrBlocks: ['10.1.3.0/24', '10.1.4.0/24', '10.1.5.0/24'],
              subnetNames: names('private-{az}-rds-tgw'),
            },
          ],
        },
      ],
    };
  }

  /**
   * The transit gateway (the hub).
   */
  public readonly transitGateway: ec2.CfnTransitGateway;

  /**
   * The transit gateway's ID.
   */
  public readonly transitGatewayId: string;

  /**
   * The spokes, in the order they were given.
   */
  public readonly spokes: SpokeVpc[];

  /**
   * The destination every spoke route table sends to the transit gateway.
   */
  public readonly transitRouteCidr: string;

  constructor(scope: Construct, id: string, props: HubSpokeNetworkProps) {
    super(scope, id);

    const transitRouteCidr = props.transitRouteCidr ?? '10.0.0.0/8';
    const amazonSideAsn = props.amazonSideAsn ?? 64512;
    this.validate(props, transitRouteCidr, amazonSideAsn);
    this.validateRegion(props.availabilityZones);
    this.transitRouteCidr = transitRouteCidr;

    this.transitGateway = new ec2.CfnTransitGateway(this, 'Resource', {
      amazonSideAsn,
      autoAcceptSharedAttachments: 'disable',
      defaultRouteTableAssociation: 'disable',
      defaultRouteTablePropagation: 'disable',
      dnsSupport: 'enable',
      vpnEcmpSupport: 'enable',
      description: props.transitGatewayName,
      tags: nameTag(props.transitGatewayName),
    });
    this.transitGatewayId = this.transitGateway.ref;

    this.spokes = props.spokes.map(
      (spoke) =>
        new SpokeVpc(this, `Spoke-${spoke.name}`, {
          spoke,
          availabilityZones: props.availabilityZones,
          transitGatewayId: this.transitGatewayId,
          transitRouteCidr,
          otherSpokeCidrs: props.spokes.filter((s) => s !== spoke).map((s) => s.cidrBlock),
          flowLogs: props.flowLogs ?? true,
          flowLogRetention: props.flowLogRetention ?? logs.RetentionDays.THREE_MONTHS,
          flowLogEncryptionKey: props.flowLogEncryptionKey,
        }),
    );

    // Each spoke's table propagates every other spoke's attachment, so each spoke learns the others' CIDRs.
    for (const spoke of this.spokes) {
      for (const other of this.spokes) {
        if (other !== spoke) {
          new ec2.CfnTransitGatewayRouteTablePropagation(spoke, `Propagation-${other.name}`, {
            transitGatewayAttachmentId: other.attachment.ref,
            transitGatewayRouteTableId: spoke.transitRouteTable.ref,
          });
        }
      }
    }
  }

  /**
   * The spoke with the given name.
   */
  public spoke(name: string): SpokeVpc {
    const found = this.spokes.find((s) => s.name === name);
    if (!found) {
      throw new Error(`No spoke named '${name}'; the spokes are: ${this.spokes.map((s) => s.name).join(', ')}.`);
    }
    return found;
  }

  /**
   * The `IVpc` of the spoke with the given name, for L2 constructs (subnet groups are the tier names).
   */
  public vpc(name: string): ec2.IVpc {
    return this.spoke(name).vpc;
  }

  private validateRegion(azs: string[]) {
    const region = Stack.of(this).region;
    if (Token.isUnresolved(region)) {
      return;
    }
    const outside = azs.filter((az) => !Token.isUnresolved(az) && !new RegExp(`^${region}[a-z]$`).test(az));
    if (outside.length > 0) {
      throw new Error(
        `\`availabilityZones\` must lie in the stack's region ${region}, got: ${outside.map((az) => `'${az}'`).join(', ')}.`,
      );
    }
  }

  private validate(props: HubSpokeNetworkProps, transitRouteCidr: string, amazonSideAsn: number) {
    const azs = props.availabilityZones;
    if (azs.length === 0) {
      throw new Error('`availabilityZones` must name at least one availability zone, got: [].');
    }
    const dupAz = azs.find((az, i) => azs.indexOf(az) !== i);
    if (dupAz) {
      throw new Error(`\`availabilityZones\` must not repeat a zone, got: '${dupAz}' twice.`);
    }
    if (props.spokes.length === 0) {
      throw new Error('`spokes` must contain at least one spoke, got: [].');
    }
    if (
      !Token.isUnresolved(amazonSideAsn) &&
      !(
        (amazonSideAsn >= 64512 && amazonSideAsn <= 65534) ||
        (amazonSideAsn >= 4200000000 && amazonSideAsn <= 4294967294)
      )
    ) {
      throw new Error(
        `\`amazonSideAsn\` must be a private ASN (64512-65534 or 4200000000-4294967294), got: ${amazonSideAsn}.`,
      );
    }
    const transitRange = Token.isUnresolved(transitRouteCidr) ? undefined : parseCidr(transitRouteCidr);
    if (!Token.isUnresolved(transitRouteCidr) && !transitRange) {
      throw new Error(
        `\`transitRouteCidr\` must be an IPv4 CIDR block such as 10.0.0.0/8, got: '${transitRouteCidr}'.`,
      );
    }

    const spokeNames = new Map<string, string>();
    const subnetNames = new Map<string, string>();
    const spokeRanges: Array<{ path: string; range: Ipv4Range; cidr: string }> = [];

    props.spokes.forEach((spoke, si) => {
      const sp = `spokes[${si}]`;
      if (spokeNames.has(spoke.name)) {
        throw new Error(
          `\`${sp}.name\` must be unique, got: '${spoke.name}' (also used by \`${spokeNames.get(spoke.name)}\`).`,
        );
      }
      spokeNames.set(spoke.name, sp);

      const vpcRange = requireCidr(`${sp}.cidrBlock`, spoke.cidrBlock, '10.0.0.0/16');
      if (vpcRange) {
        for (const other of spokeRanges) {
          if (overlaps(vpcRange, other.range)) {
            throw new Error(
              `\`${sp}.cidrBlock\` (${spoke.cidrBlock}) overlaps \`${other.path}\` (${other.cidr}): ` +
                'the transit gateway cannot route between overlapping VPCs.',
            );
          }
        }
        if (transitRange && !contains(transitRange, vpcRange)) {
          throw new Error(
            `\`transitRouteCidr\` (${transitRouteCidr}) must cover every spoke, but \`${sp}.cidrBlock\` ` +
              `(${spoke.cidrBlock}) lies outside it.`,
          );
        }
        spokeRanges.push({ path: `${sp}.cidrBlock`, range: vpcRange, cidr: spoke.cidrBlock });
      }

      const transitTiers = spoke.tiers.filter((t) => t.type === SubnetTierType.TRANSIT).length;
      if (transitTiers !== 1) {
        throw new Error(
          `\`${sp}.tiers\` must contain exactly one TRANSIT tier for the transit gateway attachment, got: ${transitTiers}.`,
        );
      }
      const hasPublic = spoke.tiers.some((t) => t.type === SubnetTierType.PUBLIC);
      if (spoke.natGateways && spoke.natGateways !== NatGatewayPlacement.NONE && !hasPublic) {
        throw new Error(
          `\`${sp}.natGateways\` is ${spoke.natGateways}, but the spoke has no PUBLIC tier to hold a NAT gateway.`,
        );
      }

      const tierNames = new Map<string, number>();
      const subnetRanges: Array<{ path: string; range: Ipv4Range; cidr: string; name: string }> = [];
      spoke.tiers.forEach((tier, ti) => {
        const tp = `${sp}.tiers[${ti}]`;
        if (tierNames.has(tier.name)) {
          throw new Error(
            `\`${tp}.name\` must be unique within its spoke, got: '${tier.name}' (also used by \`${sp}.tiers[${tierNames.get(tier.name)}]\`).`,
          );
        }
        tierNames.set(tier.name, ti);
        const roles = tier.roles ?? [];
        if (tier.type !== SubnetTierType.TRANSIT && roles.includes(SubnetRole.TRANSIT)) {
          throw new Error(
            `\`${tp}.roles\` may include TRANSIT only on a TRANSIT tier, got: [${roles.join(', ')}] on a ${tier.type} tier.`,
          );
        }
        if (tier.type === SubnetTierType.TRANSIT && roles.some((r) => r !== SubnetRole.TRANSIT)) {
          throw new Error(
            `\`${tp}.roles\` of a TRANSIT tier must be TRANSIT only (its subnets hold the attachment), got: [${roles.join(', ')}].`,
          );
        }
        if (tier.cidrBlocks.length !== azs.length) {
          throw new Error(
            `\`${tp}.cidrBlocks\` must hold one CIDR block per availability zone (${azs.length}), got: ${tier.cidrBlocks.length}.`,
          );
        }
        if (tier.subnetNames && tier.subnetNames.length !== azs.length) {
          throw new Error(
            `\`${tp}.subnetNames\` must hold one name per availability zone (${azs.length}), got: ${tier.subnetNames.length}.`,
          );
        }
        tier.cidrBlocks.forEach((cidr, ci) => {
          const cp = `${tp}.cidrBlocks[${ci}]`;
          const name = tier.subnetNames?.[ci] ?? `${spoke.name}-${tier.name}-${azs[ci]}`;
          if (!Token.isUnresolved(name)) {
            const previous = subnetNames.get(name);
            if (previous) {
              throw new Error(`Subnet name '${name}' of \`${cp}\` must be unique, but \`${previous}\` uses it too.`);
            }
            subnetNames.set(name, cp);
          }
          const range = requireCidr(cp, cidr, '10.0.0.0/24');
          if (!range) {
            return;
          }
          if (vpcRange && !contains(vpcRange, range)) {
            throw new Error(
              `\`${cp}\` (${cidr}) must lie inside its VPC's CIDR \`${sp}.cidrBlock\` (${spoke.cidrBlock}).`,
            );
          }
          for (const other of subnetRanges) {
            if (overlaps(range, other.range)) {
              throw new Error(
                `\`${cp}\` (${cidr}, ${name}) overlaps \`${other.path}\` (${other.cidr}, ${other.name}): ` +
                  'AWS rejects overlapping subnets in a VPC.',
              );
            }
          }
          subnetRanges.push({ path: cp, range, cidr, name });
        });
        const restriction = tier.ingressRestriction;
        if (restriction) {
          if (tier.type === SubnetTierType.PUBLIC) {
            throw new Error(`\`${tp}.ingressRestriction\` can't apply to a PUBLIC tier (it holds NAT gateways).`);
          }
          const port = restriction.port;
          if (!Token.isUnresolved(port) && (!Number.isInteger(port) || port < 1 || port > 65535)) {
            throw new Error(`\`${tp}.ingressRestriction.port\` must be an integer from 1 to 65535, got: ${port}.`);
          }
          (restriction.clientCidrs ?? []).forEach((c, i) =>
            requireCidr(`${tp}.ingressRestriction.clientCidrs[${i}]`, c, '10.0.0.0/16'),
          );
          if (restriction.clientCidrs && restriction.clientCidrs.length === 0) {
            throw new Error(
              `\`${tp}.ingressRestriction.clientCidrs\` must name at least one CIDR block (omit it to admit the other spokes), got: [].`,
            );
          }
        }
      });

      if (spoke.endpointTier !== undefined) {
        const tier = spoke.tiers.find((t) => t.name === spoke.endpointTier);
        if (!tier || tier.type === SubnetTierType.PUBLIC) {
          throw new Error(
            `\`${sp}.endpointTier\` must name a PRIVATE or TRANSIT tier of the spoke, got: '${spoke.endpointTier}'.`,
          );
        }
      } else if (
        (spoke.interfaceEndpoints ?? []).length > 0 &&
        !spoke.tiers.some((t) => t.type === SubnetTierType.PRIVATE)
      ) {
        throw new Error(`\`${sp}.interfaceEndpoints\` need a PRIVATE tier to live in; set \`${sp}.endpointTier\`.`);
      }
      for (const [i, ep] of (spoke.interfaceEndpoints ?? []).entries()) {
        if (!/^[a-z0-9][a-z0-9.-]*$/.test(ep)) {
          throw new Error(
            `\`${sp}.interfaceEndpoints[${i}]\` must be a short service name such as 'ecr.api', got: '${ep}'.`,
          );
        }
      }
      for (const [i, ep] of (spoke.gatewayEndpoints ?? []).entries()) {
        if (ep !== 's3' && ep !== 'dynamodb') {
          throw new Error(`\`${sp}.gatewayEndpoints[${i}]\` must be 's3' or 'dynamodb', got: '${ep}'.`);
        }
      }
    });
  }
}

function requireCidr(path: string, cidr: string, sample: string): Ipv4Range | undefined {
  if (Token.isUnresolved(cidr)) {
    return undefined;
  }
  const range = parseCidr(cidr);
  if (!range) {
    throw new Error(`\`${path}\` must be an IPv4 CIDR block such as ${sample}, got: '${cidr}'.`);
  }
  return range;
}
