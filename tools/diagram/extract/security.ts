/**
 * Security extractor: security groups and every rule (inline, standalone resources, the EC2 default egress rule,
 * the VPC default groups and what the Custom::AWS calls revoke), and which resources use each group.
 */
import { asList, isJoin, isRef, refKey, refsIn, Resolved, str, text } from '../cfn';
import type { Model, Peer, SecurityGroup, SgRule } from '../model';
import { cmp, natural, protocolName, ports, sgName } from './common';
import { Context } from './context';
import type { NetworkPart } from './network';

/** The security domain of the model; registers the groups so later extractors can mark what uses them. */
export function extractSecurity(ctx: Context, net: NetworkPart): Pick<Model, 'securityGroups' | 'sgRules'> {
  const { res, P, useSg } = ctx;
  const { vpcs, endpoints } = net;
  // ---------------------------------------------------------------- security groups
  const securityGroups: SecurityGroup[] = [];
  const sgRules: SgRule[] = [];
  const sgRule = (
    sg: string,
    direction: 'ingress' | 'egress',
    rp: Record<string, Resolved>,
    origin: SgRule['origin'],
  ) => {
    const protocol = protocolName(rp.IpProtocol);
    const peerRef = refKey(
      direction === 'ingress'
        ? (rp.SourceSecurityGroupId ?? rp.SourceSecurityGroupName)
        : rp.DestinationSecurityGroupId,
    );
    const peer: Peer = peerRef
      ? { kind: 'sg', key: peerRef }
      : (rp.SourcePrefixListId ?? rp.DestinationPrefixListId)
        ? { kind: 'prefix-list', id: text(rp.SourcePrefixListId ?? rp.DestinationPrefixListId) }
        : { kind: 'cidr', cidr: str(rp.CidrIp) ?? str(rp.CidrIpv6) ?? '?' };
    sgRules.push({
      sg,
      direction,
      protocol,
      ports: ports(protocol, rp.FromPort, rp.ToPort),
      peer,
      description: str(rp.Description) ?? '',
      origin,
    });
  };
  for (const g of res('AWS::EC2::SecurityGroup')) {
    const p = P(g.key);
    const sg: SecurityGroup = {
      key: g.key,
      name: sgName(p, g.stack),
      description: str(p.GroupDescription) ?? '',
      vpc: refKey(p.VpcId) ?? '?',
      stack: g.stack,
      isDefault: false,
      usedBy: [],
      notes: [],
    };
    securityGroups.push(sg);
    for (const rule of asList(p.SecurityGroupIngress)) {
      sgRule(g.key, 'ingress', rule as Record<string, Resolved>, 'inline');
    }
    const egress = asList(p.SecurityGroupEgress) as Array<Record<string, Resolved>>;
    const placeholder = (e: Record<string, Resolved>) =>
      str(e.CidrIp) === '255.255.255.255/32' && protocolName(e.IpProtocol) === 'icmp';
    for (const rule of egress) {
      if (placeholder(rule)) {
        sg.notes.push('egress: none (CDK "Disallow all traffic" placeholder rule)');
      } else {
        sgRule(g.key, 'egress', rule, 'inline');
      }
    }
    if (egress.length === 0) {
      // EC2 keeps its default allow-all egress rule unless the group is created with inline egress rules.
      sgRules.push({
        sg: g.key,
        direction: 'egress',
        protocol: 'all',
        ports: 'all',
        peer: { kind: 'cidr', cidr: '0.0.0.0/0' },
        description: 'EC2 default egress rule: the template declares no inline egress',
        origin: 'implicit',
      });
    }
  }
  for (const [type, direction] of [
    ['AWS::EC2::SecurityGroupIngress', 'ingress'],
    ['AWS::EC2::SecurityGroupEgress', 'egress'],
  ] as const) {
    for (const g of res(type)) {
      const p = P(g.key);
      sgRule(refKey(p.GroupId) ?? '?', direction, p, 'resource');
    }
  }
  // The VPCs' default security groups, with what the Custom::AWS calls do to them.
  for (const v of vpcs) {
    const sg: SecurityGroup = {
      key: v.defaultSg,
      name: `${v.name} default SG`,
      description: `default security group of ${v.name}`,
      vpc: v.key,
      stack: v.stack,
      isDefault: true,
      usedBy: [],
      notes: [],
    };
    let revokedIn = false;
    let revokedOut = false;
    for (const c of res('Custom::AWS').concat(res('AWS::CloudFormation::CustomResource'))) {
      const create = P(c.key).Create ?? P(c.key).Update;
      if (!create || !refsIn(create).includes(v.key)) {
        continue;
      }
      const json = isJoin(create)
        ? create.$join.map((x) => (isRef(x) ? `REF_${x.$ref}_${x.attr ?? ''}` : String(x))).join(create.sep)
        : str(create);
      if (!json || !json.includes(`REF_${v.key}_DefaultSecurityGroup`)) {
        continue;
      }
      try {
        const call = JSON.parse(json) as {
          action?: string;
          parameters?: { Tags?: Array<{ Key: string; Value: string }> };
        };
        if (call.action === 'RevokeSecurityGroupIngress') {
          revokedIn = true;
        } else if (call.action === 'RevokeSecurityGroupEgress') {
          revokedOut = true;
        } else if (call.action === 'CreateTags') {
          const name = call.parameters?.Tags?.find((t) => t.Key === 'Name')?.Value;
          if (name) {
            sg.name = name;
            sg.description = `default security group of ${v.name}`;
          }
        }
      } catch {
        // not a JSON call: ignore
      }
    }
    if (revokedIn) {
      sg.notes.push('ingress: none (default self-reference revoked)');
    } else {
      sgRules.push({
        sg: sg.key,
        direction: 'ingress',
        protocol: 'all',
        ports: 'all',
        peer: { kind: 'sg', key: sg.key },
        description: 'default rule',
        origin: 'implicit',
      });
    }
    if (revokedOut) {
      sg.notes.push('egress: none (default allow-all revoked)');
    } else {
      sgRules.push({
        sg: sg.key,
        direction: 'egress',
        protocol: 'all',
        ports: 'all',
        peer: { kind: 'cidr', cidr: '0.0.0.0/0' },
        description: 'default rule',
        origin: 'implicit',
      });
    }
    securityGroups.push(sg);
  }
  securityGroups.sort((a, b) => cmp(a.vpc, b.vpc) || Number(b.isDefault) - Number(a.isDefault) || cmp(a.key, b.key));
  sgRules.sort(
    (a, b) =>
      cmp(a.sg, b.sg) ||
      cmp(a.direction, b.direction) ||
      cmp(JSON.stringify(a.peer), JSON.stringify(b.peer)) ||
      cmp(a.protocol, b.protocol) ||
      natural(a.ports, b.ports) ||
      cmp(a.origin, b.origin) ||
      cmp(a.description, b.description),
  );
  for (const g of securityGroups) {
    ctx.sgByKey.set(g.key, g);
  }
  for (const e of endpoints) {
    useSg(e.sgs, `endpoint ${e.service}`);
  }

  return { securityGroups, sgRules };
}
