import * as fs from 'fs';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { HubSpokeNetwork, HubSpokeNetworkProps, NatGatewayPlacement, SpokeOptions, SubnetTierType } from '../../src';
import { joined } from '../template-text';

const AZS = ['us-east-2a', 'us-east-2b', 'us-east-2c'];

function synth(props: HubSpokeNetworkProps = HubSpokeNetwork.gtucLayout('us-east-2')) {
  const app = new App();
  // The stack's region is the one of the layout's zones (a zone outside it fails synth).
  const region = props.availabilityZones[0].slice(0, -1);
  const stack = new Stack(app, 'Net', { env: { account: '123456789012', region } });
  const network = new HubSpokeNetwork(stack, 'Network', props);
  return { stack, network, template: Template.fromStack(stack) };
}

/** The logical id of the one resource of `type` whose Name tag is `name`. */
function idByName(template: Template, type: string, name: string): string {
  const found = Object.entries(template.findResources(type)).filter(([, r]) =>
    (r.Properties?.Tags ?? []).some((t: any) => t.Key === 'Name' && t.Value === name),
  );
  expect(found.map(([id]) => id)).toHaveLength(1);
  return found[0][0];
}

describe('HubSpokeNetwork with the GTUC layout', () => {
  const { template, network } = synth();
  const ecsVpc = idByName(template, 'AWS::EC2::VPC', 'items-ecs-vpc');
  const rdsVpc = idByName(template, 'AWS::EC2::VPC', 'items-rds-vpc');
  const privateEcsRtb = idByName(template, 'AWS::EC2::RouteTable', 'private-items-ecs-rtb');
  const publicEcsRtb = idByName(template, 'AWS::EC2::RouteTable', 'public-items-ecs-rtb');
  const privateRdsRtb = idByName(template, 'AWS::EC2::RouteTable', 'private-items-rds-rtb');
  const tgw = idByName(template, 'AWS::EC2::TransitGateway', 'items-tgw');
  const ecsAttach = idByName(template, 'AWS::EC2::TransitGatewayAttachment', 'items-ecs-vpc-tgw-attach');
  const rdsAttach = idByName(template, 'AWS::EC2::TransitGatewayAttachment', 'items-rds-vpc-tgw-attach');

  test('both VPCs have their CIDR and DNS support and hostnames on', () => {
    for (const [id, cidr] of [
      [ecsVpc, '10.0.0.0/16'],
      [rdsVpc, '10.1.0.0/16'],
    ]) {
      expect(template.toJSON().Resources[id].Properties).toEqual(
        expect.objectContaining({ CidrBlock: cidr, EnableDnsHostnames: true, EnableDnsSupport: true }),
      );
    }
  });

  // Every subnet row of the brief's table (public subnets moved to 10.0.9-11.0/24, SPEC E1).
  const subnets: Array<[string, string, string, string, boolean, string]> = [];
  AZS.forEach((az, i) => {
    subnets.push([`private-${az}-rds`, `10.1.${i}.0/24`, az, 'rds', false, 'private-items-rds-rtb']);
    subnets.push([`private-${az}-rds-tgw`, `10.1.${3 + i}.0/24`, az, 'rds', false, 'private-items-rds-rtb']);
    subnets.push([`private-${az}-ecs-ec2`, `10.0.${i}.0/24`, az, 'ecs', false, 'private-items-ecs-rtb']);
    subnets.push([`private-${az}-ecs-tgw`, `10.0.${3 + i}.0/24`, az, 'ecs', false, 'private-items-ecs-rtb']);
    subnets.push([`private-${az}-ecs-service`, `10.0.${6 + i}.0/24`, az, 'ecs', false, 'private-items-ecs-rtb']);
    subnets.push([`public-${az}-ecs`, `10.0.${9 + i}.0/24`, az, 'ecs', true, 'public-items-ecs-rtb']);
  });

  test.each(subnets)('subnet %s is %s in %s, VPC %s, public IP %s, route table %s', (name, cidr, az, vpc, pub, rtb) => {
    const id = idByName(template, 'AWS::EC2::Subnet', name);
    const props = template.toJSON().Resources[id].Properties;
    expect(props.CidrBlock).toBe(cidr);
    expect(props.AvailabilityZone).toBe(az);
    expect(props.MapPublicIpOnLaunch).toBe(pub);
    expect(props.VpcId).toEqual({ Ref: vpc === 'ecs' ? ecsVpc : rdsVpc });
    template.hasResourceProperties('AWS::EC2::SubnetRouteTableAssociation', {
      SubnetId: { Ref: id },
      RouteTableId: { Ref: idByName(template, 'AWS::EC2::RouteTable', rtb) },
    });
  });

  test('exactly the 18 subnets of the brief exist', () => {
    expect(Object.keys(template.findResources('AWS::EC2::Subnet'))).toHaveLength(18);
  });

  test('transit gateway items-tgw has default association and propagation disabled', () => {
    template.hasResourceProperties('AWS::EC2::TransitGateway', {
      AmazonSideAsn: 64512,
      DefaultRouteTableAssociation: 'disable',
      DefaultRouteTablePropagation: 'disable',
      AutoAcceptSharedAttachments: 'disable',
      DnsSupport: 'enable',
      Tags: [{ Key: 'Name', Value: 'items-tgw' }],
    });
  });

  test('attachments sit in the *-tgw subnets of all three AZs', () => {
    for (const [attach, vpc, pattern] of [
      [ecsAttach, ecsVpc, 'private-{az}-ecs-tgw'],
      [rdsAttach, rdsVpc, 'private-{az}-rds-tgw'],
    ]) {
      const props = template.toJSON().Resources[attach].Properties;
      expect(props.TransitGatewayId).toEqual({ Ref: tgw });
      expect(props.VpcId).toEqual({ Ref: vpc });
      expect(props.SubnetIds).toEqual(
        AZS.map((az) => ({ Ref: idByName(template, 'AWS::EC2::Subnet', pattern.replace('{az}', az)) })),
      );
    }
  });

  test('each spoke route table associates its own attachment and propagates the other (SPEC E3)', () => {
    const ecsTgwRtb = idByName(template, 'AWS::EC2::TransitGatewayRouteTable', 'items-ecs-tgw-rtb');
    const rdsTgwRtb = idByName(template, 'AWS::EC2::TransitGatewayRouteTable', 'items-rds-tgw-rtb');
    const associations = Object.values(template.findResources('AWS::EC2::TransitGatewayRouteTableAssociation')).map(
      (r) => [r.Properties.TransitGatewayRouteTableId.Ref, r.Properties.TransitGatewayAttachmentId.Ref],
    );
    expect(associations.sort()).toEqual(
      [
        [ecsTgwRtb, ecsAttach],
        [rdsTgwRtb, rdsAttach],
      ].sort(),
    );
    const propagations = Object.values(template.findResources('AWS::EC2::TransitGatewayRouteTablePropagation')).map(
      (r) => [r.Properties.TransitGatewayRouteTableId.Ref, r.Properties.TransitGatewayAttachmentId.Ref],
    );
    expect(propagations.sort()).toEqual(
      [
        [ecsTgwRtb, rdsAttach],
        [rdsTgwRtb, ecsAttach],
      ].sort(),
    );
  });

  test('10.0.0.0/8 goes to the transit gateway from all three route tables, after the attachment exists', () => {
    for (const [rtb, attach] of [
      [privateEcsRtb, ecsAttach],
      [publicEcsRtb, ecsAttach],
      [privateRdsRtb, rdsAttach],
    ]) {
      template.hasResource('AWS::EC2::Route', {
        Properties: { RouteTableId: { Ref: rtb }, DestinationCidrBlock: '10.0.0.0/8', TransitGatewayId: { Ref: tgw } },
        DependsOn: Match.arrayWith([attach]),
      });
    }
  });

  test('0.0.0.0/0 goes to items-ecs-igw (public) and items-ecs-ngw (private); the RDS VPC has no default route', () => {
    const igw = idByName(template, 'AWS::EC2::InternetGateway', 'items-ecs-igw');
    const ngw = idByName(template, 'AWS::EC2::NatGateway', 'items-ecs-ngw');
    template.hasResourceProperties('AWS::EC2::VPCGatewayAttachment', {
      VpcId: { Ref: ecsVpc },
      InternetGatewayId: { Ref: igw },
    });
    template.hasResourceProperties('AWS::EC2::Route', {
      RouteTableId: { Ref: publicEcsRtb },
      DestinationCidrBlock: '0.0.0.0/0',
      GatewayId: { Ref: igw },
    });
    template.hasResourceProperties('AWS::EC2::Route', {
      RouteTableId: { Ref: privateEcsRtb },
      DestinationCidrBlock: '0.0.0.0/0',
      NatGatewayId: { Ref: ngw },
    });
    expect(
      Object.values(template.findResources('AWS::EC2::Route')).filter(
        (r) => r.Properties.RouteTableId.Ref === privateRdsRtb && r.Properties.DestinationCidrBlock === '0.0.0.0/0',
      ),
    ).toHaveLength(0);
    // The single NAT gateway lives in a public subnet.
    template.hasResourceProperties('AWS::EC2::NatGateway', {
      SubnetId: { Ref: idByName(template, 'AWS::EC2::Subnet', 'public-us-east-2a-ecs') },
    });
    expect(Object.keys(template.findResources('AWS::EC2::NatGateway'))).toHaveLength(1);
  });

  test('interface endpoints in the ECS VPC cover everything ECS on EC2 needs, plus an S3 gateway endpoint', () => {
    for (const service of HubSpokeNetwork.ECS_INTERFACE_ENDPOINTS) {
      template.hasResourceProperties('AWS::EC2::VPCEndpoint', {
        VpcId: { Ref: ecsVpc },
        VpcEndpointType: 'Interface',
        ServiceName: `com.amazonaws.us-east-2.${service}`,
        PrivateDnsEnabled: true,
        SubnetIds: AZS.map((az) => ({ Ref: idByName(template, 'AWS::EC2::Subnet', `private-${az}-ecs-ec2`) })),
      });
    }
    expect(HubSpokeNetwork.ECS_INTERFACE_ENDPOINTS).toEqual([
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
    ]);
    template.hasResourceProperties('AWS::EC2::VPCEndpoint', {
      VpcId: { Ref: ecsVpc },
      VpcEndpointType: 'Gateway',
      ServiceName: 'com.amazonaws.us-east-2.s3',
      RouteTableIds: [{ Ref: privateEcsRtb }],
    });
    // The RDS VPC reaches Secrets Manager (for secret rotation) through its own endpoint.
    template.hasResourceProperties('AWS::EC2::VPCEndpoint', {
      VpcId: { Ref: rdsVpc },
      ServiceName: 'com.amazonaws.us-east-2.secretsmanager',
      SubnetIds: AZS.map((az) => ({ Ref: idByName(template, 'AWS::EC2::Subnet', `private-${az}-rds`) })),
    });
  });

  test('endpoint security groups admit HTTPS from their own VPC only', () => {
    const groups = Object.values(template.findResources('AWS::EC2::SecurityGroup'));
    expect(groups.length).toBeGreaterThan(0);
    for (const group of groups) {
      for (const rule of group.Properties.SecurityGroupIngress ?? []) {
        expect(rule).toEqual(expect.objectContaining({ IpProtocol: 'tcp', FromPort: 443, ToPort: 443 }));
        expect(['10.0.0.0/16', '10.1.0.0/16']).toContain(rule.CidrIp);
      }
    }
  });

  test('the RDS data subnets admit only 5432 from the ECS VPC, plus traffic inside the RDS VPC', () => {
    const acl = idByName(template, 'AWS::EC2::NetworkAcl', 'private-items-rds-nacl');
    const entries = Object.values(template.findResources('AWS::EC2::NetworkAclEntry'))
      .map((r) => r.Properties)
      .filter((p) => p.NetworkAclId.Ref === acl)
      .map((p) => ({
        rule: p.RuleNumber,
        egress: p.Egress,
        protocol: p.Protocol,
        action: p.RuleAction,
        cidr: p.CidrBlock,
        ports: p.PortRange,
      }))
      .sort((a, b) => Number(a.egress) - Number(b.egress) || a.rule - b.rule);
    expect(entries).toEqual([
      { rule: 100, egress: false, protocol: 6, action: 'allow', cidr: '10.0.0.0/16', ports: { From: 5432, To: 5432 } },
      { rule: 200, egress: false, protocol: -1, action: 'allow', cidr: '10.1.0.0/16', ports: undefined },
      { rule: 100, egress: true, protocol: 6, action: 'allow', cidr: '10.0.0.0/16', ports: { From: 1024, To: 65535 } },
      { rule: 200, egress: true, protocol: -1, action: 'allow', cidr: '10.1.0.0/16', ports: undefined },
    ]);
    for (const az of AZS) {
      template.hasResourceProperties('AWS::EC2::SubnetNetworkAclAssociation', {
        NetworkAclId: { Ref: acl },
        SubnetId: { Ref: idByName(template, 'AWS::EC2::Subnet', `private-${az}-rds`) },
      });
    }
    expect(Object.keys(template.findResources('AWS::EC2::SubnetNetworkAclAssociation'))).toHaveLength(3);
    expect(network.spoke('rds').clientCidrs('rds')).toEqual(['10.0.0.0/16']);
  });

  test('the default security groups are named as the brief says and stripped of their rules', () => {
    for (const [vpc, name] of [
      [ecsVpc, 'items-ecs-vpc-sg'],
      [rdsVpc, 'items-rds-vpc-sg'],
    ]) {
      const sg = `<<${vpc}.DefaultSecurityGroup>>`;
      const calls = Object.values(template.findResources('Custom::AWS')).map((r) =>
        JSON.parse(joined(r.Properties.Create)),
      );
      expect(calls).toContainEqual(
        expect.objectContaining({
          service: 'EC2',
          action: 'CreateTags',
          parameters: { Resources: [sg], Tags: [{ Key: 'Name', Value: name }] },
        }),
      );
      expect(calls).toContainEqual(
        expect.objectContaining({
          service: 'EC2',
          action: 'RevokeSecurityGroupIngress',
          parameters: { GroupId: sg, IpPermissions: [{ IpProtocol: '-1', UserIdGroupPairs: [{ GroupId: sg }] }] },
        }),
      );
      expect(calls).toContainEqual(
        expect.objectContaining({
          service: 'EC2',
          action: 'RevokeSecurityGroupEgress',
          parameters: { GroupId: sg, IpPermissions: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] },
        }),
      );
    }
    // The custom resource may touch only the default security groups.
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [
          Match.objectLike({
            Action: ['ec2:RevokeSecurityGroupIngress', 'ec2:RevokeSecurityGroupEgress', 'ec2:CreateTags'],
            Resource: {
              'Fn::Join': [
                '',
                [
                  'arn:',
                  { Ref: 'AWS::Partition' },
                  ':ec2:us-east-2:123456789012:security-group/',
                  { 'Fn::GetAtt': [ecsVpc, 'DefaultSecurityGroup'] },
                ],
              ],
            },
          }),
        ],
      },
    });
  });

  test('flow logs of both VPCs go to CloudWatch Logs with a retention', () => {
    for (const vpc of [ecsVpc, rdsVpc]) {
      template.hasResourceProperties('AWS::EC2::FlowLog', {
        ResourceId: { Ref: vpc },
        ResourceType: 'VPC',
        TrafficType: 'ALL',
        LogDestinationType: 'cloud-watch-logs',
      });
    }
    template.allResourcesProperties('AWS::Logs::LogGroup', { RetentionInDays: 90 });
  });

  test('the IVpc of each spoke exposes the tiers as subnet groups', () => {
    const ecs = network.vpc('ecs');
    expect(ecs.selectSubnets({ subnetGroupName: 'ecs-service' }).subnets).toHaveLength(3);
    expect(ecs.publicSubnets).toHaveLength(3);
    expect(ecs.privateSubnets).toHaveLength(9);
    const rds = network.vpc('rds');
    expect(rds.isolatedSubnets).toHaveLength(6);
    expect(rds.selectSubnets({ subnetGroupName: 'rds' }).availabilityZones).toEqual(AZS);
    expect(
      network
        .spoke('ecs')
        .tierSubnets('ecs-ec2')
        .map((s) => s.availabilityZone),
    ).toEqual(AZS);
  });

  test('looking up an unknown spoke or tier names what exists', () => {
    expect(() => network.spoke('web')).toThrow("No spoke named 'web'; the spokes are: ecs, rds.");
    expect(() => network.spoke('ecs').selectTier('db')).toThrow(
      "Spoke 'ecs' has no tier named 'db'; its tiers are: ecs-ec2, ecs-tgw, ecs-service, public.",
    );
  });

  test('no hard-coded AZ warning other than the acknowledged one reaches the validation report', () => {
    const app = new App();
    const stack = new Stack(app, 'Net', { env: { region: 'us-east-2' } });
    new HubSpokeNetwork(stack, 'Network', HubSpokeNetwork.gtucLayout('us-east-2'));
    const assembly = app.synth();
    const reportFile = path.join(assembly.directory, 'validation-report.json');
    if (fs.existsSync(reportFile)) {
      const report = JSON.parse(fs.readFileSync(reportFile, 'utf8'));
      const violations = report.pluginReports.flatMap((p: any) => p.violations);
      expect(violations).toEqual([]);
    }
  });
});

describe('HubSpokeNetwork with a NAT gateway per AZ', () => {
  const { template } = synth(HubSpokeNetwork.gtucLayout('us-east-2', { natGateways: NatGatewayPlacement.PER_AZ }));

  test.each(AZS)('the private tiers of %s get their own route table, NAT gateway and TGW route', (az) => {
    const rtb = idByName(template, 'AWS::EC2::RouteTable', `private-items-ecs-rtb-${az}`);
    const ngw = idByName(template, 'AWS::EC2::NatGateway', `items-ecs-ngw-${az}`);
    template.hasResourceProperties('AWS::EC2::NatGateway', {
      SubnetId: { Ref: idByName(template, 'AWS::EC2::Subnet', `public-${az}-ecs`) },
    });
    template.hasResourceProperties('AWS::EC2::Route', {
      RouteTableId: { Ref: rtb },
      DestinationCidrBlock: '0.0.0.0/0',
      NatGatewayId: { Ref: ngw },
    });
    template.hasResourceProperties('AWS::EC2::Route', {
      RouteTableId: { Ref: rtb },
      DestinationCidrBlock: '10.0.0.0/8',
    });
    for (const tier of ['ecs-ec2', 'ecs-tgw', 'ecs-service']) {
      template.hasResourceProperties('AWS::EC2::SubnetRouteTableAssociation', {
        SubnetId: { Ref: idByName(template, 'AWS::EC2::Subnet', `private-${az}-${tier}`) },
        RouteTableId: { Ref: rtb },
      });
    }
  });

  test('the S3 gateway endpoint serves all three private route tables', () => {
    template.hasResourceProperties('AWS::EC2::VPCEndpoint', {
      ServiceName: 'com.amazonaws.us-east-2.s3',
      RouteTableIds: AZS.map((az) => ({
        Ref: idByName(template, 'AWS::EC2::RouteTable', `private-items-ecs-rtb-${az}`),
      })),
    });
  });
});

describe('HubSpokeNetwork with your own layout', () => {
  const spoke = (name: string, cidr: string, octet: number): SpokeOptions => ({
    name,
    cidrBlock: cidr,
    tiers: [
      { name: 'app', type: SubnetTierType.PRIVATE, cidrBlocks: [`172.${octet}.0.0/20`, `172.${octet}.16.0/20`] },
      { name: 'tgw', type: SubnetTierType.TRANSIT, cidrBlocks: [`172.${octet}.240.0/28`, `172.${octet}.240.16/28`] },
    ],
  });
  const props: HubSpokeNetworkProps = {
    availabilityZones: ['eu-west-1a', 'eu-west-1b'],
    transitRouteCidr: '172.16.0.0/12',
    amazonSideAsn: 65010,
    spokes: [spoke('a', '172.20.0.0/16', 20), spoke('b', '172.21.0.0/16', 21), spoke('c', '172.22.0.0/16', 22)],
  };

  test('three spokes: every table propagates the two others, no NAT, no names', () => {
    const { template, network } = synth(props);
    template.hasResourceProperties('AWS::EC2::TransitGateway', { AmazonSideAsn: 65010 });
    expect(Object.keys(template.findResources('AWS::EC2::TransitGatewayRouteTablePropagation'))).toHaveLength(6);
    expect(Object.keys(template.findResources('AWS::EC2::NatGateway'))).toHaveLength(0);
    expect(Object.keys(template.findResources('AWS::EC2::InternetGateway'))).toHaveLength(0);
    template.hasResourceProperties('AWS::EC2::Subnet', {
      CidrBlock: '172.21.16.0/20',
      AvailabilityZone: 'eu-west-1b',
      Tags: [
        { Key: 'Name', Value: 'b-app-eu-west-1b' },
        { Key: 'subnet-tier', Value: 'app' },
      ],
    });
    expect(
      Object.values(template.findResources('AWS::EC2::Route')).map((r) => r.Properties.DestinationCidrBlock),
    ).toEqual(['172.16.0.0/12', '172.16.0.0/12', '172.16.0.0/12']);
    expect(network.vpc('c').isolatedSubnets).toHaveLength(4);
    expect(Object.keys(template.findResources('AWS::EC2::NetworkAcl'))).toHaveLength(0);
  });

  test('a restricted tier without client CIDRs admits every other spoke', () => {
    const restricted: HubSpokeNetworkProps = {
      ...props,
      spokes: [
        {
          ...spoke('a', '172.20.0.0/16', 20),
          tiers: [
            { ...spoke('a', '172.20.0.0/16', 20).tiers[0], ingressRestriction: { port: 3306, firstRuleNumber: 300 } },
            spoke('a', '172.20.0.0/16', 20).tiers[1],
          ],
        },
        spoke('b', '172.21.0.0/16', 21),
        spoke('c', '172.22.0.0/16', 22),
      ],
      flowLogs: false,
    };
    const { template, network } = synth(restricted);
    expect(network.spoke('a').clientCidrs('app')).toEqual(['172.21.0.0/16', '172.22.0.0/16']);
    template.hasResourceProperties('AWS::EC2::NetworkAclEntry', {
      RuleNumber: 310,
      Egress: false,
      CidrBlock: '172.22.0.0/16',
      PortRange: { From: 3306, To: 3306 },
    });
    expect(Object.keys(template.findResources('AWS::EC2::FlowLog'))).toHaveLength(0);
    expect(() => network.spoke('b').clientCidrs('app')).toThrow(
      "Tier 'app' of spoke 'b' has no ingressRestriction, so it has no client CIDRs.",
    );
  });

  test('works in an environment-agnostic stack without lookups', () => {
    const app = new App();
    const stack = new Stack(app, 'Agnostic');
    const network = new HubSpokeNetwork(stack, 'Network', HubSpokeNetwork.gtucLayout('us-east-2'));
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::EC2::VPCEndpoint', {
      ServiceName: { 'Fn::Join': ['', ['com.amazonaws.', { Ref: 'AWS::Region' }, '.s3']] },
    });
    expect(network.vpc('ecs').availabilityZones).toEqual(AZS);
  });

  test('the ecs spoke IVpc feeds L2 constructs', () => {
    const { stack, network } = synth();
    const sg = new ec2.SecurityGroup(stack, 'Sg', { vpc: network.vpc('ecs') });
    expect(sg.securityGroupId).toBeDefined();
  });
});

describe('HubSpokeNetwork validation', () => {
  const gtuc = () => JSON.parse(JSON.stringify(HubSpokeNetwork.gtucLayout('us-east-2'))) as any;
  const fails = (props: any) => () => synth(props);

  test("the brief's own public subnets (10.0.6-8.0/24) are caught as overlapping the ecs-service subnets", () => {
    expect(
      fails(
        HubSpokeNetwork.gtucLayout('us-east-2', { publicSubnetCidrs: ['10.0.6.0/24', '10.0.7.0/24', '10.0.8.0/24'] }),
      ),
    ).toThrow(
      '`spokes[0].tiers[3].cidrBlocks[0]` (10.0.6.0/24, public-us-east-2a-ecs) overlaps `spokes[0].tiers[2].cidrBlocks[0]` ' +
        '(10.0.6.0/24, private-us-east-2a-ecs-service): AWS rejects overlapping subnets in a VPC.',
    );
  });

  test('a subnet outside its VPC', () => {
    const p = gtuc();
    p.spokes[1].tiers[0].cidrBlocks[2] = '10.2.2.0/24';
    expect(fails(p)).toThrow(
      "`spokes[1].tiers[0].cidrBlocks[2]` (10.2.2.0/24) must lie inside its VPC's CIDR `spokes[1].cidrBlock` (10.1.0.0/16).",
    );
  });

  test('an AZ count that does not match', () => {
    const p = gtuc();
    p.spokes[0].tiers[1].cidrBlocks.pop();
    expect(fails(p)).toThrow(
      '`spokes[0].tiers[1].cidrBlocks` must hold one CIDR block per availability zone (3), got: 2.',
    );
    const q = gtuc();
    q.spokes[0].tiers[0].subnetNames = ['a'];
    expect(fails(q)).toThrow('`spokes[0].tiers[0].subnetNames` must hold one name per availability zone (3), got: 1.');
  });

  test('a route CIDR that is not a CIDR, or does not cover the spokes', () => {
    expect(fails({ ...gtuc(), transitRouteCidr: '10.0.0.0/33' })).toThrow(
      "`transitRouteCidr` must be an IPv4 CIDR block such as 10.0.0.0/8, got: '10.0.0.0/33'.",
    );
    expect(fails({ ...gtuc(), transitRouteCidr: '10.0.0.0/16' })).toThrow(
      '`transitRouteCidr` (10.0.0.0/16) must cover every spoke, but `spokes[1].cidrBlock` (10.1.0.0/16) lies outside it.',
    );
  });

  test('malformed CIDRs', () => {
    const p = gtuc();
    p.spokes[0].cidrBlock = '10.0.0.1/16';
    expect(fails(p)).toThrow(
      "`spokes[0].cidrBlock` must be an IPv4 CIDR block such as 10.0.0.0/16, got: '10.0.0.1/16'.",
    );
    const q = gtuc();
    q.spokes[1].tiers[1].cidrBlocks[0] = '10.1.300.0/24';
    expect(fails(q)).toThrow(
      "`spokes[1].tiers[1].cidrBlocks[0]` must be an IPv4 CIDR block such as 10.0.0.0/24, got: '10.1.300.0/24'.",
    );
  });

  test('duplicate names', () => {
    const p = gtuc();
    p.spokes[1].name = 'ecs';
    expect(fails(p)).toThrow("`spokes[1].name` must be unique, got: 'ecs' (also used by `spokes[0]`).");
    const q = gtuc();
    q.spokes[0].tiers[2].subnetNames[1] = 'private-us-east-2b-ecs-ec2';
    expect(fails(q)).toThrow(
      "Subnet name 'private-us-east-2b-ecs-ec2' of `spokes[0].tiers[2].cidrBlocks[1]` must be unique, but `spokes[0].tiers[0].cidrBlocks[1]` uses it too.",
    );
    const r = gtuc();
    r.spokes[0].tiers[2].name = 'ecs-ec2';
    expect(fails(r)).toThrow(
      "`spokes[0].tiers[2].name` must be unique within its spoke, got: 'ecs-ec2' (also used by `spokes[0].tiers[0]`).",
    );
  });

  test('overlapping spokes', () => {
    const p = gtuc();
    p.spokes[1].cidrBlock = '10.0.0.0/12';
    expect(fails(p)).toThrow(
      '`spokes[1].cidrBlock` (10.0.0.0/12) overlaps `spokes[0].cidrBlock` (10.0.0.0/16): the transit gateway cannot route between overlapping VPCs.',
    );
  });

  test('transit tier, NAT and endpoint tier consistency', () => {
    const p = gtuc();
    p.spokes[1].tiers[1].type = SubnetTierType.PRIVATE;
    expect(fails(p)).toThrow(
      '`spokes[1].tiers` must contain exactly one TRANSIT tier for the transit gateway attachment, got: 0.',
    );
    const q = gtuc();
    q.spokes[1].natGateways = NatGatewayPlacement.SINGLE;
    expect(fails(q)).toThrow(
      '`spokes[1].natGateways` is SINGLE, but the spoke has no PUBLIC tier to hold a NAT gateway.',
    );
    const r = gtuc();
    r.spokes[0].endpointTier = 'public';
    expect(fails(r)).toThrow(
      "`spokes[0].endpointTier` must name a PRIVATE or TRANSIT tier of the spoke, got: 'public'.",
    );
    const s = gtuc();
    s.spokes[0].gatewayEndpoints = ['s4'];
    expect(fails(s)).toThrow("`spokes[0].gatewayEndpoints[0]` must be 's3' or 'dynamodb', got: 's4'.");
  });

  test('ASN, AZs, ingress port', () => {
    expect(fails({ ...gtuc(), amazonSideAsn: 65535 })).toThrow(
      '`amazonSideAsn` must be a private ASN (64512-65534 or 4200000000-4294967294), got: 65535.',
    );
    expect(fails({ ...gtuc(), availabilityZones: ['us-east-2a', 'us-east-2a', 'us-east-2c'] })).toThrow(
      "`availabilityZones` must not repeat a zone, got: 'us-east-2a' twice.",
    );
    const p = gtuc();
    p.spokes[1].tiers[0].ingressRestriction.port = 70000;
    expect(fails(p)).toThrow(
      '`spokes[1].tiers[0].ingressRestriction.port` must be an integer from 1 to 65535, got: 70000.',
    );
    const q = gtuc();
    q.spokes[1].tiers[0].ingressRestriction.clientCidrs = ['0.0.0.0/0', 'ten'];
    expect(fails(q)).toThrow(
      "`spokes[1].tiers[0].ingressRestriction.clientCidrs[1]` must be an IPv4 CIDR block such as 10.0.0.0/16, got: 'ten'.",
    );
  });
});
