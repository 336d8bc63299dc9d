import { Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { Findings } from '../validation';
import { nameTag } from './private/tags';
import { effectiveRoles, registerTiers } from './private/tier-roles';
import { NatGatewayPlacement, SpokeOptions, SubnetTierOptions, SubnetTierType } from './spoke-options';

/**
 * Properties of a `SpokeVpc`. `HubSpokeNetwork` creates its spokes; you rarely create one yourself.
 */
export interface SpokeVpcProps {
  /**
   * The spoke's layout.
   */
  readonly spoke: SpokeOptions;

  /**
   * The availability zones that the tiers' CIDR blocks follow.
   */
  readonly availabilityZones: string[];

  /**
   * The transit gateway to attach to.
   */
  readonly transitGatewayId: string;

  /**
   * The destination sent to the transit gateway from every route table of the spoke.
   */
  readonly transitRouteCidr: string;

  /**
   * The CIDR blocks of the network's other spokes (the default clients of a tier's ingress restriction).
   */
  readonly otherSpokeCidrs: string[];

  /**
   * Record VPC flow logs.
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

interface TierState {
  readonly options: SubnetTierOptions;
  readonly subnets: ec2.CfnSubnet[];
  readonly routeTableIds: string[];
}

/**
 * One spoke VPC of a `HubSpokeNetwork`: the VPC, its subnet tiers, route tables, internet and NAT gateways,
 * transit gateway attachment and route table, endpoints, network ACLs and flow logs.
 *
 * @example
 * import { HubSpokeNetwork } from '@gtuc/cdk-privatelink-ecs';
 *
 * declare const network: HubSpokeNetwork;
 * const ecs = network.spoke('ecs');
 * const subnets = ecs.selectTier('ecs-service');
 */
export class SpokeVpc extends Construct {
  /**
   * The spoke's short name.
   */
  public readonly name: string;

  /**
   * The VPC (L1).
   */
  public readonly cfnVpc: ec2.CfnVPC;

  /**
   * The VPC as an `IVpc` for L2 constructs. Its subnet groups are the tier names; PUBLIC tiers are public
   * subnets, the other tiers are private subnets when the spoke has a NAT gateway and isolated ones otherwise.
   */
  public readonly vpc: ec2.IVpc;

  /**
   * The VPC's ID.
   */
  public readonly vpcId: string;

  /**
   * The VPC's IPv4 CIDR block.
   */
  public readonly cidrBlock: string;

  /**
   * The route table of the PUBLIC tiers, if the spoke has any.
   */
  public readonly publicRouteTable?: ec2.CfnRouteTable;

  /**
   * The route tables of the PRIVATE and TRANSIT tiers: one, or one per availability zone with a NAT gateway
   * per AZ.
   */
  public readonly privateRouteTables: ec2.CfnRouteTable[];

  /**
   * The internet gateway, if the spoke has PUBLIC tiers.
   */
  public readonly internetGateway?: ec2.CfnInternetGateway;

  /**
   * The NAT gateways (none, one, or one per availability zone).
   */
  public readonly natGateways: ec2.CfnNatGateway[];

  /**
   * The transit gateway attachment (its network interfaces live in the TRANSIT tier).
   */
  public readonly attachment: ec2.CfnTransitGatewayAttachment;

  /**
   * This spoke's transit gateway route table: it associates this spoke's attachment and propagates the others.
   */
  public readonly transitRouteTable: ec2.CfnTransitGatewayRouteTable;

  /**
   * The interface VPC endpoints, in the order of `SpokeOptions.interfaceEndpoints`.
   */
  public readonly interfaceEndpoints: ec2.InterfaceVpcEndpoint[];

  /**
   * The network ACLs created for tiers with an ingress restriction.
   */
  public readonly networkAcls: ec2.CfnNetworkAcl[];

  /**
   * The flow log's log group, if flow logs are on.
   */
  public readonly flowLogGroup?: logs.LogGroup;

  private readonly tiers = new Map<string, TierState>();
  private readonly availabilityZones: string[];
  private readonly otherSpokeCidrs: string[];

  constructor(scope: Construct, id: string, props: SpokeVpcProps) {
    super(scope, id);
    const spoke = props.spoke;
    const azs = props.availabilityZones;
    const hasPublic = spoke.tiers.some((t) => t.type === SubnetTierType.PUBLIC);
    const natPlacement = spoke.natGateways ?? (hasPublic ? NatGatewayPlacement.SINGLE : NatGatewayPlacement.NONE);
    this.name = spoke.name;
    this.cidrBlock = spoke.cidrBlock;
    this.availabilityZones = azs;
    this.otherSpokeCidrs = props.otherSpokeCidrs;

    this.cfnVpc = new ec2.CfnVPC(this, 'Resource', {
      cidrBlock: spoke.cidrBlock,
      enableDnsHostnames: true,
      enableDnsSupport: true,
      tags: nameTag(spoke.vpcName),
    });
    this.vpcId = this.cfnVpc.ref;

    // Subnets, one per tier and AZ, with literal AZ names (the brief pins them; no lookup needed).
    for (const tier of spoke.tiers) {
      const subnets = azs.map((az, i) => {
        const subnet = new ec2.CfnSubnet(this, `${tier.name}-${az}`, {
          vpcId: this.vpcId,
          cidrBlock: tier.cidrBlocks[i],
          availabilityZone: az,
          mapPublicIpOnLaunch: tier.type === SubnetTierType.PUBLIC,
          tags: [
            { key: 'Name', value: tier.subnetNames?.[i] ?? `${spoke.name}-${tier.name}-${az}` },
            { key: 'subnet-tier', value: tier.name },
          ],
        });
        Findings.acknowledge(
          subnet,
          'Each subnet is pinned to a named availability zone, as the layout requires (exact CIDR per AZ).',
          'CloudFormation-Validate::W3010',
        );
        return subnet;
      });
      this.tiers.set(tier.name, { options: tier, subnets, routeTableIds: [] });
    }

    // Public side: internet gateway, public route table, NAT gateways.
    this.natGateways = [];
    if (hasPublic) {
      this.internetGateway = new ec2.CfnInternetGateway(this, 'InternetGateway', {
        tags: nameTag(spoke.internetGatewayName),
      });
      const igwAttachment = new ec2.CfnVPCGatewayAttachment(this, 'InternetGatewayAttachment', {
        vpcId: this.vpcId,
        internetGatewayId: this.internetGateway.ref,
      });
      this.publicRouteTable = new ec2.CfnRouteTable(this, 'PublicRouteTable', {
        vpcId: this.vpcId,
        tags: nameTag(spoke.publicRouteTableName),
      });
      const defaultRoute = new ec2.CfnRoute(this, 'PublicDefaultRoute', {
        routeTableId: this.publicRouteTable.ref,
        destinationCidrBlock: '0.0.0.0/0',
        gatewayId: this.internetGateway.ref,
      });
      defaultRoute.node.addDependency(igwAttachment);
      const publicTier = this.tierState(spoke.tiers.find((t) => t.type === SubnetTierType.PUBLIC)!.name);
      const natAzs =
        natPlacement === NatGatewayPlacement.PER_AZ
          ? azs.map((_, i) => i)
          : natPlacement === NatGatewayPlacement.SINGLE
            ? [0]
            : [];
      for (const i of natAzs) {
        const suffix = natPlacement === NatGatewayPlacement.PER_AZ ? `-${azs[i]}` : '';
        const eip = new ec2.CfnEIP(this, `NatEip${suffix}`, {
          domain: 'vpc',
          tags: nameTag(spoke.natGatewayName && `${spoke.natGatewayName}${suffix}-eip`),
        });
        const nat = new ec2.CfnNatGateway(this, `NatGateway${suffix}`, {
          subnetId: publicTier.subnets[i].ref,
          allocationId: eip.attrAllocationId,
          tags: nameTag(spoke.natGatewayName && `${spoke.natGatewayName}${suffix}`),
        });
        nat.node.addDependency(igwAttachment);
        this.natGateways.push(nat);
      }
    }

    // Private side: one shared route table, or one per AZ when each AZ has its own NAT gateway.
    const perAz = natPlacement === NatGatewayPlacement.PER_AZ;
    this.privateRouteTables = (perAz ? azs : [undefined]).map((az, i) => {
      const suffix = az ? `-${az}` : '';
      const table = new ec2.CfnRouteTable(this, `PrivateRouteTable${suffix}`, {
        vpcId: this.vpcId,
        tags: nameTag(spoke.privateRouteTableName && `${spoke.privateRouteTableName}${suffix}`),
      });
      if (this.natGateways.length > 0) {
        new ec2.CfnRoute(this, `PrivateDefaultRoute${suffix}`, {
          routeTableId: table.ref,
          destinationCidrBlock: '0.0.0.0/0',
          natGatewayId: this.natGateways[perAz ? i : 0].ref,
        });
      }
      return table;
    });

    for (const state of this.tiers.values()) {
      state.subnets.forEach((subnet, i) => {
        const table =
          state.options.type === SubnetTierType.PUBLIC
            ? this.publicRouteTable!
            : this.privateRouteTables[perAz ? i : 0];
        new ec2.CfnSubnetRouteTableAssociation(this, `${subnet.node.id}-RouteTable`, {
          subnetId: subnet.ref,
          routeTableId: table.ref,
        });
        state.routeTableIds.push(table.ref);
      });
    }

    // Transit gateway: attachment in the TRANSIT tier, a route table per spoke, routes to the hub.
    const transitTier = this.tierState(spoke.tiers.find((t) => t.type === SubnetTierType.TRANSIT)!.name);
    this.attachment = new ec2.CfnTransitGatewayAttachment(this, 'TransitGatewayAttachment', {
      transitGatewayId: props.transitGatewayId,
      vpcId: this.vpcId,
      subnetIds: transitTier.subnets.map((s) => s.ref),
      tags: nameTag(spoke.attachmentName),
    });
    this.transitRouteTable = new ec2.CfnTransitGatewayRouteTable(this, 'TransitRouteTable', {
      transitGatewayId: props.transitGatewayId,
      tags: nameTag(spoke.transitRouteTableName),
    });
    new ec2.CfnTransitGatewayRouteTableAssociation(this, 'TransitRouteTableAssociation', {
      transitGatewayAttachmentId: this.attachment.ref,
      transitGatewayRouteTableId: this.transitRouteTable.ref,
    });
    const allTables = [...(this.publicRouteTable ? [this.publicRouteTable] : []), ...this.privateRouteTables];
    for (const table of allTables) {
      const route = new ec2.CfnRoute(this, `${table.node.id}-TransitRoute`, {
        routeTableId: table.ref,
        destinationCidrBlock: props.transitRouteCidr,
        transitGatewayId: props.transitGatewayId,
      });
      route.node.addDependency(this.attachment);
    }

    // Tiers behind a NAT gateway are private subnets of the IVpc; without one they are isolated.
    this.vpc = this.importVpc(this.natGateways.length > 0);
    registerTiers(
      this.vpc,
      spoke.tiers.map((tier) => ({
        name: tier.name,
        type: tier.type,
        roles: effectiveRoles(tier.type, tier.roles),
        subnetIds: this.tierState(tier.name).subnets.map((s) => s.ref),
      })),
    );

    // Network ACLs for restricted tiers.
    this.networkAcls = spoke.tiers.filter((t) => t.ingressRestriction).map((tier) => this.createRestrictedAcl(tier));
    if (this.networkAcls.length > 0) {
      Findings.acknowledge(
        this,
        'The layout asks for network ACLs on restricted tiers (defence in depth below the security groups).',
        'AwsSolutions-VPC3',
      );
    }

    // The default security group: tagged with its brief name and stripped of every rule.
    if (spoke.restrictDefaultSecurityGroup ?? true) {
      this.restrictDefaultSecurityGroup(spoke.defaultSecurityGroupName);
    }

    // Endpoints.
    const endpointTierName =
      spoke.endpointTier ??
      spoke.tiers.find((t) => t.type === SubnetTierType.PRIVATE)?.name ??
      transitTier.options.name;
    this.interfaceEndpoints = (spoke.interfaceEndpoints ?? []).map(
      (service) =>
        new ec2.InterfaceVpcEndpoint(this, `Endpoint-${service}`, {
          vpc: this.vpc,
          service: new ec2.InterfaceVpcEndpointAwsService(service),
          subnets: this.selectTier(endpointTierName),
          privateDnsEnabled: true,
          open: true,
        }),
    );
    const endpointTables = Array.from(new Set(allTables.filter((t) => t !== this.publicRouteTable).map((t) => t.ref)));
    for (const service of spoke.gatewayEndpoints ?? []) {
      new ec2.CfnVPCEndpoint(this, `Endpoint-${service}`, {
        vpcId: this.vpcId,
        serviceName: `com.amazonaws.${Stack.of(this).region}.${service}`,
        vpcEndpointType: 'Gateway',
        routeTableIds: endpointTables,
      });
    }

    if (props.flowLogs ?? true) {
      this.flowLogGroup = new logs.LogGroup(this, 'FlowLogGroup', {
        retention: props.flowLogRetention ?? logs.RetentionDays.THREE_MONTHS,
        encryptionKey: props.flowLogEncryptionKey,
      });
      new ec2.FlowLog(this, 'FlowLog', {
        resourceType: ec2.FlowLogResourceType.fromVpc(this.vpc),
        destination: ec2.FlowLogDestination.toCloudWatchLogs(this.flowLogGroup),
        trafficType: ec2.FlowLogTrafficType.ALL,
      });
    }
  }

  /**
   * The subnets of a tier as L2 `ISubnet`s, in availability-zone order.
   */
  public tierSubnets(tier: string): ec2.ISubnet[] {
    const state = this.tierState(tier);
    return state.subnets.map(
      (subnet, i) =>
        (this.node.tryFindChild(`Imported-${subnet.node.id}`) as ec2.ISubnet | undefined) ??
        ec2.Subnet.fromSubnetAttributes(this, `Imported-${subnet.node.id}`, {
          subnetId: subnet.ref,
          availabilityZone: this.availabilityZones[i],
          routeTableId: state.routeTableIds[i],
          ipv4CidrBlock: state.options.cidrBlocks[i],
        }),
    );
  }

  /**
   * A subnet selection of one tier, for L2 props such as `vpcSubnets`.
   */
  public selectTier(tier: string): ec2.SubnetSelection {
    this.tierState(tier);
    return { subnetGroupName: tier };
  }

  /**
   * The CFN subnets of a tier, in availability-zone order.
   */
  public cfnSubnets(tier: string): ec2.CfnSubnet[] {
    return [...this.tierState(tier).subnets];
  }

  /**
   * The CIDR blocks that the tier's network ACL admits (its ingress restriction's clients). Feed the same list
   * to the security groups of what runs in the tier, so widening one never leaves the other blocking.
   */
  public clientCidrs(tier: string): string[] {
    const restriction = this.tierState(tier).options.ingressRestriction;
    if (!restriction) {
      throw new Error(`Tier '${tier}' of spoke '${this.name}' has no ingressRestriction, so it has no client CIDRs.`);
    }
    return [...(restriction.clientCidrs ?? this.otherSpokeCidrs)];
  }

  private tierState(tier: string): TierState {
    const state = this.tiers.get(tier);
    if (!state) {
      throw new Error(
        `Spoke '${this.name}' has no tier named '${tier}'; its tiers are: ${[...this.tiers.keys()].join(', ')}.`,
      );
    }
    return state;
  }

  private importVpc(hasEgress: boolean): ec2.IVpc {
    const groups = { public: [] as TierState[], private: [] as TierState[] };
    for (const state of this.tiers.values()) {
      (state.options.type === SubnetTierType.PUBLIC ? groups.public : groups.private).push(state);
    }
    const ids = (states: TierState[]) => states.flatMap((s) => s.subnets.map((sub) => sub.ref));
    const names = (states: TierState[]) => states.map((s) => s.options.name);
    const tables = (states: TierState[]) => states.flatMap((s) => s.routeTableIds);
    const cidrs = (states: TierState[]) => states.flatMap((s) => s.options.cidrBlocks);
    const privateAttrs = {
      SubnetIds: ids(groups.private),
      SubnetNames: names(groups.private),
      SubnetRouteTableIds: tables(groups.private),
      SubnetIpv4CidrBlocks: cidrs(groups.private),
    };
    return ec2.Vpc.fromVpcAttributes(this, 'Vpc', {
      vpcId: this.vpcId,
      vpcCidrBlock: this.cidrBlock,
      availabilityZones: this.availabilityZones,
      publicSubnetIds: ids(groups.public),
      publicSubnetNames: names(groups.public),
      publicSubnetRouteTableIds: tables(groups.public),
      publicSubnetIpv4CidrBlocks: cidrs(groups.public),
      ...(hasEgress
        ? {
            privateSubnetIds: privateAttrs.SubnetIds,
            privateSubnetNames: privateAttrs.SubnetNames,
            privateSubnetRouteTableIds: privateAttrs.SubnetRouteTableIds,
            privateSubnetIpv4CidrBlocks: privateAttrs.SubnetIpv4CidrBlocks,
          }
        : {
            isolatedSubnetIds: privateAttrs.SubnetIds,
            isolatedSubnetNames: privateAttrs.SubnetNames,
            isolatedSubnetRouteTableIds: privateAttrs.SubnetRouteTableIds,
            isolatedSubnetIpv4CidrBlocks: privateAttrs.SubnetIpv4CidrBlocks,
          }),
    });
  }

  private createRestrictedAcl(tier: SubnetTierOptions): ec2.CfnNetworkAcl {
    const restriction = tier.ingressRestriction!;
    const first = restriction.firstRuleNumber ?? 100;
    const clients = restriction.clientCidrs ?? this.otherSpokeCidrs;
    const acl = new ec2.CfnNetworkAcl(this, `${tier.name}-NetworkAcl`, {
      vpcId: this.vpcId,
      tags: nameTag(restriction.networkAclName),
    });
    const entry = (id: string, props: Omit<ec2.CfnNetworkAclEntryProps, 'networkAclId'>) =>
      new ec2.CfnNetworkAclEntry(this, `${tier.name}-${id}`, { networkAclId: acl.ref, ...props });
    clients.forEach((cidr, i) => {
      entry(`InClient${i}`, {
        ruleNumber: first + i * 10,
        egress: false,
        protocol: 6,
        ruleAction: 'allow',
        cidrBlock: cidr,
        portRange: { from: restriction.port, to: restriction.port },
      });
      entry(`OutClient${i}`, {
        ruleNumber: first + i * 10,
        egress: true,
        protocol: 6,
        ruleAction: 'allow',
        cidrBlock: cidr,
        portRange: { from: 1024, to: 65535 },
      });
    });
    entry('InVpc', {
      ruleNumber: first + 100,
      egress: false,
      protocol: -1,
      ruleAction: 'allow',
      cidrBlock: this.cidrBlock,
    });
    entry('OutVpc', {
      ruleNumber: first + 100,
      egress: true,
      protocol: -1,
      ruleAction: 'allow',
      cidrBlock: this.cidrBlock,
    });
    this.tierState(tier.name).subnets.forEach(
      (subnet) =>
        new ec2.CfnSubnetNetworkAclAssociation(this, `${subnet.node.id}-NetworkAcl`, {
          subnetId: subnet.ref,
          networkAclId: acl.ref,
        }),
    );
    return acl;
  }

  private restrictDefaultSecurityGroup(name?: string) {
    const groupId = this.cfnVpc.attrDefaultSecurityGroup;
    const groupArn = Stack.of(this).formatArn({ service: 'ec2', resource: 'security-group', resourceName: groupId });
    const policy = cr.AwsCustomResourcePolicy.fromStatements([
      new iam.PolicyStatement({
        actions: ['ec2:RevokeSecurityGroupIngress', 'ec2:RevokeSecurityGroupEgress', 'ec2:CreateTags'],
        resources: [groupArn],
      }),
    ]);
    const call = (id: string, action: string, parameters: Record<string, unknown>) =>
      new cr.AwsCustomResource(this, id, {
        onCreate: {
          service: 'EC2',
          action,
          parameters,
          physicalResourceId: cr.PhysicalResourceId.of(`${id}-${groupId}`),
          ignoreErrorCodesMatching: 'InvalidPermission.NotFound',
        },
        policy,
        installLatestAwsSdk: false,
      });
    call('DefaultSgRevokeIngress', 'RevokeSecurityGroupIngress', {
      GroupId: groupId,
      IpPermissions: [{ IpProtocol: '-1', UserIdGroupPairs: [{ GroupId: groupId }] }],
    });
    call('DefaultSgRevokeEgress', 'RevokeSecurityGroupEgress', {
      GroupId: groupId,
      IpPermissions: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }],
    });
    // The AwsCustomResource function is a stack-wide singleton provided by aws-cdk-lib.
    const provider = Stack.of(this).node.tryFindChild('AWS679f53fac002430cb0da5b7982bd2287');
    if (provider) {
      Findings.acknowledge(
        provider,
        'The aws-cdk-lib AwsCustomResource function writes its logs with the AWS-maintained basic execution policy.',
        'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      );
      Findings.acknowledge(
        provider,
        'The runtime of the aws-cdk-lib AwsCustomResource function is chosen by aws-cdk-lib.',
        'AwsSolutions-L1',
      );
    }
    if (name) {
      call('DefaultSgName', 'CreateTags', { Resources: [groupId], Tags: [{ Key: 'Name', Value: name }] });
    }
  }
}
