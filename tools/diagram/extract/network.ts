/**
 * Network extractor: VPCs, subnets, internet and NAT gateways, transit gateways (attachments, route tables,
 * associations, propagations), VPC endpoints, route tables with their routes, network ACLs and flow logs.
 */
import { asList, num, refKey, refsIn, Resolved, splitKey, str, tag, text } from '../cfn';
import type { Vpc, Subnet, Route, RouteTable, Nacl, Tgw, Endpoint, Model } from '../model';
import { byKey, cmp, cidrKey, protocolName, ports, shortService } from './common';
import { Context } from './context';

export type NetworkPart = Pick<
  Model,
  'vpcs' | 'subnets' | 'internetGateways' | 'natGateways' | 'tgws' | 'endpoints' | 'routeTables' | 'nacls'
>;

/** The network domain of the model; places NAT gateways, TGW attachment ENIs and interface endpoints in their subnets. */
export function extractNetwork(ctx: Context): NetworkPart {
  const { r, res, P, place, addPurpose } = ctx;
  // ---------------------------------------------------------------- VPCs, subnets
  const vpcs: Vpc[] = res('AWS::EC2::VPC').map((v) => ({
    key: v.key,
    name: tag(P(v.key), 'Name') ?? v.id,
    cidr: str(P(v.key).CidrBlock) ?? '?',
    stack: v.stack,
    flowLogGroups: [],
    defaultSg: `${v.key}#DefaultSecurityGroup`,
  }));
  const subnets: Subnet[] = res('AWS::EC2::Subnet')
    .map((s) => {
      const p = P(s.key);
      const name = tag(p, 'Name') ?? s.id;
      return {
        key: s.key,
        name,
        cidr: str(p.CidrBlock) ?? '?',
        az: str(p.AvailabilityZone) ?? '?',
        vpc: refKey(p.VpcId) ?? '?',
        tier: tag(p, 'subnet-tier') ?? tag(p, 'aws-cdk:subnet-name') ?? name,
        public: p.MapPublicIpOnLaunch === true,
      } as Subnet;
    })
    .sort((a, b) => cmp(a.vpc, b.vpc) || cmp(a.az, b.az) || cmp(cidrKey(a.cidr), cidrKey(b.cidr)));
  const subnet = new Map(subnets.map((s) => [s.key, s]));

  // ---------------------------------------------------------------- gateways
  const internetGateways = res('AWS::EC2::VPCGatewayAttachment')
    .filter((a) => refKey(P(a.key).InternetGatewayId))
    .map((a) => {
      const igw = refKey(P(a.key).InternetGatewayId)!;
      return { key: igw, name: tag(P(igw), 'Name') ?? splitKey(igw)[1], vpc: refKey(P(a.key).VpcId) ?? '?' };
    })
    .sort(byKey);
  const natGateways = res('AWS::EC2::NatGateway')
    .map((n) => ({ key: n.key, name: tag(P(n.key), 'Name') ?? n.id, subnet: refKey(P(n.key).SubnetId) ?? '?' }))
    .sort(byKey);

  // ---------------------------------------------------------------- transit gateways
  const tgws: Tgw[] = res('AWS::EC2::TransitGateway').map((t) => {
    const p = P(t.key);
    const details = [
      `default RT association: ${str(p.DefaultRouteTableAssociation) ?? 'enable'}`,
      `default RT propagation: ${str(p.DefaultRouteTablePropagation) ?? 'enable'}`,
    ];
    return {
      key: t.key,
      name: tag(p, 'Name') ?? t.id,
      asn: str(p.AmazonSideAsn) ?? '64512',
      details,
      attachments: res('AWS::EC2::TransitGatewayAttachment')
        .concat(res('AWS::EC2::TransitGatewayVpcAttachment'))
        .filter((a) => refKey(P(a.key).TransitGatewayId) === t.key)
        .map((a) => ({
          key: a.key,
          name: tag(P(a.key), 'Name') ?? a.id,
          vpc: refKey(P(a.key).VpcId) ?? '?',
          subnets: asList(P(a.key).SubnetIds)
            .map(refKey)
            .filter((k): k is string => !!k),
        }))
        .sort(byKey),
      routeTables: res('AWS::EC2::TransitGatewayRouteTable')
        .filter((rt) => refKey(P(rt.key).TransitGatewayId) === t.key)
        .map((rt) => ({
          key: rt.key,
          name: tag(P(rt.key), 'Name') ?? rt.id,
          associations: res('AWS::EC2::TransitGatewayRouteTableAssociation')
            .filter((a) => refKey(P(a.key).TransitGatewayRouteTableId) === rt.key)
            .map((a) => refKey(P(a.key).TransitGatewayAttachmentId) ?? '?')
            .sort(),
          propagations: res('AWS::EC2::TransitGatewayRouteTablePropagation')
            .filter((a) => refKey(P(a.key).TransitGatewayRouteTableId) === rt.key)
            .map((a) => refKey(P(a.key).TransitGatewayAttachmentId) ?? '?')
            .sort(),
        }))
        .sort(byKey),
    };
  });

  // ---------------------------------------------------------------- endpoints
  const endpoints: Endpoint[] = res('AWS::EC2::VPCEndpoint')
    .map((e) => {
      const p = P(e.key);
      return {
        key: e.key,
        service: shortService(str(p.ServiceName) ?? text(p.ServiceName)),
        type: str(p.VpcEndpointType) ?? 'Gateway',
        vpc: refKey(p.VpcId) ?? '?',
        subnets: asList(p.SubnetIds)
          .map(refKey)
          .filter((k): k is string => !!k),
        sgs: asList(p.SecurityGroupIds)
          .map(refKey)
          .filter((k): k is string => !!k),
        routeTables: asList(p.RouteTableIds)
          .map(refKey)
          .filter((k): k is string => !!k),
      };
    })
    .sort((a, b) => cmp(a.vpc, b.vpc) || cmp(a.type, b.type) || cmp(a.service, b.service) || cmp(a.key, b.key));

  // ---------------------------------------------------------------- route tables
  const targetName = (key: string): string => {
    const t = r.type(key);
    const p = P(key);
    const name = tag(p, 'Name') ?? splitKey(key)[1];
    switch (t) {
      case 'AWS::EC2::InternetGateway':
        return `IGW ${name}`;
      case 'AWS::EC2::NatGateway':
        return `NAT ${name}`;
      case 'AWS::EC2::TransitGateway':
        return `TGW ${name}`;
      case 'AWS::EC2::VPCEndpoint':
        return `endpoint ${shortService(str(p.ServiceName) ?? '')}`;
      case 'AWS::EC2::VPCPeeringConnection':
        return `peering ${name}`;
      default:
        return name;
    }
  };
  const routeTables: RouteTable[] = res('AWS::EC2::RouteTable')
    .map((t) => {
      const p = P(t.key);
      const vpc = refKey(p.VpcId) ?? '?';
      const routes: Route[] = [{ dest: vpcs.find((v) => v.key === vpc)?.cidr ?? 'VPC CIDR', target: 'local' }];
      for (const route of res('AWS::EC2::Route')) {
        const rp = P(route.key);
        if (refKey(rp.RouteTableId) !== t.key) {
          continue;
        }
        const dest =
          str(rp.DestinationCidrBlock) ?? str(rp.DestinationIpv6CidrBlock) ?? text(rp.DestinationPrefixListId);
        const targetProp = [
          'GatewayId',
          'NatGatewayId',
          'TransitGatewayId',
          'VpcEndpointId',
          'VpcPeeringConnectionId',
          'NetworkInterfaceId',
          'InstanceId',
          'EgressOnlyInternetGatewayId',
          'CarrierGatewayId',
          'LocalGatewayId',
        ].find((k) => rp[k] !== undefined);
        const targetKey = targetProp ? refKey(rp[targetProp]) : undefined;
        routes.push({
          dest,
          target: targetKey ? targetName(targetKey) : targetProp ? text(rp[targetProp]) : '?',
          targetKey,
        });
      }
      for (const e of endpoints) {
        if (e.routeTables.includes(t.key)) {
          routes.push({ dest: `pl-${e.service}`, target: `gateway endpoint ${e.service}`, targetKey: e.key });
        }
      }
      routes.sort((a, b) => cmp(cidrKey(a.dest), cidrKey(b.dest)) || cmp(a.target, b.target));
      const subnetsOf = res('AWS::EC2::SubnetRouteTableAssociation')
        .filter((a) => refKey(P(a.key).RouteTableId) === t.key)
        .map((a) => refKey(P(a.key).SubnetId) ?? '?')
        .sort();
      return { key: t.key, name: tag(p, 'Name') ?? t.id, vpc, routes, subnets: subnetsOf };
    })
    .sort((a, b) => cmp(a.vpc, b.vpc) || cmp(a.name, b.name));
  for (const t of routeTables) {
    for (const s of t.subnets) {
      if (subnet.has(s)) {
        subnet.get(s)!.routeTable = t.key;
      }
    }
  }

  // ---------------------------------------------------------------- network ACLs
  const nacls: Nacl[] = res('AWS::EC2::NetworkAcl')
    .map((n) => {
      const p = P(n.key);
      const entries = res('AWS::EC2::NetworkAclEntry')
        .filter((e) => refKey(P(e.key).NetworkAclId) === n.key)
        .map((e) => {
          const ep = P(e.key);
          const protocol = protocolName(ep.Protocol);
          const range = ep.PortRange as Record<string, Resolved> | undefined;
          const icmp = ep.Icmp as Record<string, Resolved> | undefined;
          return {
            ruleNumber: num(ep.RuleNumber) ?? 0,
            egress: ep.Egress === true || ep.Egress === 'true',
            action: (str(ep.RuleAction) ?? '?').toUpperCase(),
            protocol,
            ports: range ? ports(protocol, range.From, range.To) : icmp ? ports(protocol, icmp.Type, icmp.Code) : 'all',
            cidr: str(ep.CidrBlock) ?? str(ep.Ipv6CidrBlock) ?? '?',
          };
        })
        .sort((a, b) => Number(a.egress) - Number(b.egress) || a.ruleNumber - b.ruleNumber);
      const subnetsOf = res('AWS::EC2::SubnetNetworkAclAssociation')
        .filter((a) => refKey(P(a.key).NetworkAclId) === n.key)
        .map((a) => refKey(P(a.key).SubnetId) ?? '?')
        .sort();
      return { key: n.key, name: tag(p, 'Name') ?? n.id, vpc: refKey(p.VpcId) ?? '?', entries, subnets: subnetsOf };
    })
    .sort((a, b) => cmp(a.vpc, b.vpc) || cmp(a.name, b.name));
  for (const n of nacls) {
    for (const s of n.subnets) {
      if (subnet.has(s)) {
        subnet.get(s)!.nacl = n.key;
      }
    }
  }

  for (const n of natGateways) {
    place([n.subnet], 'nat', `NAT gateway ${n.name}`, n.key);
  }
  for (const t of tgws) {
    for (const a of t.attachments) {
      place(a.subnets, 'tgw-eni', `TGW attachment ENI (${a.name})`, a.key);
    }
  }
  for (const e of endpoints) {
    if (e.type === 'Interface') {
      place(e.subnets, 'endpoint', e.service, e.key);
    }
  }

  // Flow logs: the log group each VPC writes to.
  for (const f of res('AWS::EC2::FlowLog')) {
    const p = P(f.key);
    const target = refKey(p.ResourceId);
    const vpc = vpcs.find((v) => v.key === target);
    const lg = refKey(p.LogGroupName) ?? refsIn(p.LogDestination ?? null)[0];
    addPurpose(lg, `flow logs ${str(p.TrafficType) ?? ''} of ${vpc?.name ?? target}`.replace('  ', ' '));
    if (vpc && lg) {
      vpc.flowLogGroups.push(lg);
    }
  }

  return {
    vpcs: vpcs.sort(byKey),
    subnets,
    internetGateways,
    natGateways,
    tgws: tgws.sort(byKey),
    endpoints,
    routeTables,
    nacls,
  };
}
