import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { DEFAULT_PRICES, FLAGS, parseArgs, readPrices } from '../../tools/cost/cost';
import { estimate, IDLE, Usage } from '../../tools/cost/model';
import { buildReport, renderMarkdown } from '../../tools/cost/report';
import { Templates } from '../../tools/diagram/cfn';

/** A small two-stack app with one of each priced kind, one unknown type and one instance class without a price. */
const FIXTURE: Templates = {
  net: {
    Resources: {
      Vpc: { Type: 'AWS::EC2::VPC', Properties: { CidrBlock: '10.0.0.0/16', Tags: [{ Key: 'Name', Value: 'v' }] } },
      SubnetA: { Type: 'AWS::EC2::Subnet', Properties: { VpcId: { Ref: 'Vpc' }, MapPublicIpOnLaunch: true } },
      SubnetB: { Type: 'AWS::EC2::Subnet', Properties: { VpcId: { Ref: 'Vpc' } } },
      Eip: { Type: 'AWS::EC2::EIP', Properties: { Domain: 'vpc' } },
      Nat: { Type: 'AWS::EC2::NatGateway', Properties: { SubnetId: { Ref: 'SubnetA' } } },
      Logs: {
        Type: 'AWS::EC2::VPCEndpoint',
        Properties: {
          VpcEndpointType: 'Interface',
          ServiceName: 'com.amazonaws.us-east-2.logs',
          VpcId: { Ref: 'Vpc' },
          SubnetIds: [{ Ref: 'SubnetA' }, { Ref: 'SubnetB' }],
        },
      },
      S3: {
        Type: 'AWS::EC2::VPCEndpoint',
        Properties: { VpcEndpointType: 'Gateway', ServiceName: 'com.amazonaws.us-east-2.s3' },
      },
      Attach: {
        Type: 'AWS::EC2::TransitGatewayAttachment',
        Properties: { SubnetIds: [{ Ref: 'SubnetB' }], Tags: [{ Key: 'Name', Value: 'attach' }] },
      },
      Mystery: { Type: 'AWS::Foo::Bar', Properties: {} },
    },
  },
  app: {
    Resources: {
      Nlb: {
        Type: 'AWS::ElasticLoadBalancingV2::LoadBalancer',
        Properties: { Type: 'network', Scheme: 'internal', Name: 'nlb' },
      },
      Lt: {
        Type: 'AWS::EC2::LaunchTemplate',
        Properties: {
          LaunchTemplateData: {
            InstanceType: 't3.medium',
            BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { VolumeSize: 30, VolumeType: 'gp3' } }],
          },
        },
      },
      Asg: {
        Type: 'AWS::AutoScaling::AutoScalingGroup',
        Properties: { MinSize: '2', MaxSize: '4', LaunchTemplate: { LaunchTemplateId: { Ref: 'Lt' }, Version: '1' } },
      },
      Cluster: { Type: 'AWS::RDS::DBCluster', Properties: { Engine: 'aurora-postgresql', DBClusterIdentifier: 'db' } },
      Writer: {
        Type: 'AWS::RDS::DBInstance',
        Properties: {
          DBClusterIdentifier: { Ref: 'Cluster' },
          DBInstanceClass: 'db.t4g.medium',
          DBInstanceIdentifier: 'w',
        },
      },
      Huge: {
        Type: 'AWS::RDS::DBInstance',
        Properties: {
          DBClusterIdentifier: { Ref: 'Cluster' },
          DBInstanceClass: 'db.r99.huge',
          DBInstanceIdentifier: 'h',
        },
      },
      Api: { Type: 'AWS::ApiGateway::RestApi', Properties: { Name: 'api' } },
      Stage: { Type: 'AWS::ApiGateway::Stage', Properties: { RestApiId: { Ref: 'Api' }, StageName: 'prod' } },
      Acl: {
        Type: 'AWS::WAFv2::WebACL',
        Properties: {
          Name: 'acl',
          DefaultAction: { Allow: {} },
          AssociationConfig: { RequestBody: { API_GATEWAY: { DefaultSizeInspectionLimit: 'KB_32' } } },
          Rules: [
            { Name: 'block', Priority: 0, Action: { Block: {} } },
            { Name: 'captcha', Priority: 1, Action: { Captcha: {} } },
            { Name: 'managed', Priority: 2, OverrideAction: { None: {} } },
          ],
        },
      },
      AclAssoc: {
        Type: 'AWS::WAFv2::WebACLAssociation',
        Properties: { WebACLArn: { 'Fn::GetAtt': ['Acl', 'Arn'] }, ResourceArn: { Ref: 'Stage' } },
      },
      Group: { Type: 'AWS::Logs::LogGroup', Properties: { LogGroupName: '/app', RetentionInDays: 30 } },
      Alarm: { Type: 'AWS::CloudWatch::Alarm', Properties: { AlarmName: 'one', Period: 60, MetricName: 'x' } },
      MathAlarm: {
        Type: 'AWS::CloudWatch::Alarm',
        Properties: {
          AlarmName: 'math',
          Metrics: [
            { Id: 'e', Expression: 'a/b' },
            { Id: 'a', MetricStat: { Period: 300 } },
            { Id: 'b', MetricStat: { Period: 300 } },
          ],
        },
      },
      Dashboard: { Type: 'AWS::CloudWatch::Dashboard', Properties: { DashboardName: 'dash' } },
      Secret: { Type: 'AWS::SecretsManager::Secret', Properties: { Name: 'secret' } },
      Key: { Type: 'AWS::KMS::Key', Properties: { Description: 'key' } },
      Fn: { Type: 'AWS::Lambda::Function', Properties: {} },
    },
  },
};

const USAGE: Usage = {
  requests: 2_000_000,
  captchaShare: 0.1,
  natGb: 100,
  endpointGb: 10,
  tgwGb: 50,
  lbGb: 20,
  logGb: 3,
  logMonthsNoExpiry: 12,
  dbGb: 40,
  dbIoMillions: 5,
  secretCalls: 20_000,
};

const table = readPrices(DEFAULT_PRICES);

describe('cost estimate', () => {
  test('pins the idle arithmetic per line on the fixture', () => {
    // WHEN
    const { lines } = estimate(FIXTURE, table, IDLE);
    const monthly = Object.fromEntries(
      lines.map((l) => [`${l.item} ${l.priceKey}`, Math.round(l.monthly * 1e6) / 1e6]),
    );

    // THEN: quantity × list price, 730 hours a month
    expect(monthly).toEqual({
      'Nat nat.hour': 32.85, // 730 h × $0.045
      'Eip ipv4.hour': 3.65, // 730 h × $0.005
      'logs (v) endpoint.eni.hour': 14.6, // 2 ENIs × 730 h × $0.01
      'attach tgw.attachment.hour': 36.5, // 730 h × $0.05
      'nlb nlb.hour': 16.425, // 730 h × $0.0225
      'Asg (2 × t3.medium) ec2.t3.medium.hour': 60.736, // 2 × 730 h × $0.0416
      'Asg (2 × 30 GB gp3) ebs.gp3.gbmonth': 4.8, // 2 × 30 GB × $0.08
      'w (db.t4g.medium) rds.aurora-postgresql.db.t4g.medium.hour': 53.29, // 730 h × $0.073
      'acl waf.webacl.month': 5,
      'acl waf.rule.month': 3, // a managed rule group counts as one rule
      'one cloudwatch.alarm.month': 0.1,
      'math cloudwatch.alarm.month': 0.2, // two metrics in the expression
      'dash cloudwatch.dashboard.month': 3,
      'secret secretsmanager.secret.month': 0.4,
      'key kms.key.month': 1,
    });
  });

  test('adds the usage lines and totals per stack and kind', () => {
    // WHEN
    const report = buildReport(FIXTURE, table, USAGE);
    const row = (item: string, key: string) => report.rows.find((r) => r.item === item && r.priceKey === key)!;

    // THEN
    expect(row('Nat', 'nat.gb').monthly).toBeCloseTo(4.5, 9); // 100 GB × $0.045
    expect(row('logs (v)', 'endpoint.gb').monthly).toBeCloseTo(0.1, 9);
    expect(row('attach', 'tgw.gb').monthly).toBeCloseTo(1, 9); // 50 GB × $0.02
    expect(row('nlb', 'nlb.lcu.hour').monthly).toBeCloseTo(0.12, 9); // 20 NLCU-hours × $0.006
    expect(row('db', 'rds.aurora.storage.gbmonth').monthly).toBeCloseTo(4, 9);
    expect(row('db', 'rds.aurora.io.million').monthly).toBeCloseTo(1, 9);
    expect(row('acl', 'waf.request.million').monthly).toBeCloseTo(1.2, 9); // 2 M × $0.60
    expect(row('acl CAPTCHA', 'waf.captcha.thousand').monthly).toBeCloseTo(80, 9); // 200,000 attempts × $0.40 / 1,000
    expect(row('acl body inspection 32 KB', 'waf.body16kb.million').monthly).toBeCloseTo(0.6, 9); // 1 extra 16 KB × 2 M
    expect(row('api', 'apigw.rest.million').monthly).toBeCloseTo(7, 9);
    expect(row('/app', 'logs.ingest.gb').monthly).toBeCloseTo(1.5, 9);
    expect(row('/app', 'logs.storage.gbmonth').quantity).toBeCloseTo((3 * 30) / 30.4, 9); // 30 days kept
    expect(row('secret', 'secretsmanager.api.10k').monthly).toBeCloseTo(0.1, 9);

    expect(report.idleTotal).toBeCloseTo(235.551, 9);
    expect(report.total).toBeCloseTo(235.551 + 101.12 + (0.03 * (3 * 30)) / 30.4, 9);
    expect(report.byStack.map((s) => s.stack)).toEqual(['app', 'net']);
    expect(report.byStack.find((s) => s.stack === 'net')!.idle).toBeCloseTo(32.85 + 3.65 + 14.6 + 36.5, 9);
    expect(report.byKind[0]).toEqual({ kind: 'EC2 instances', idle: 60.736, monthly: 60.736 });
  });

  test('lists what it cannot price instead of failing', () => {
    // WHEN
    const { unpriced, unknownTypes, usageOnlyTypes } = estimate(FIXTURE, table, IDLE);

    // THEN
    expect(unpriced).toEqual([
      { stack: 'app', item: 'h (db.r99.huge)', priceKey: 'rds.aurora-postgresql.db.r99.huge.hour', quantity: 730 },
    ]);
    expect(unknownTypes).toEqual({ 'AWS::Foo::Bar': 1 });
    expect(usageOnlyTypes).toEqual({ 'AWS::Lambda::Function': 1 });
  });

  test('the report says to verify, lists flags, levers, sources and the unknown types', () => {
    // WHEN
    const md = renderMarkdown(buildReport(FIXTURE, table, USAGE), table, USAGE, FLAGS);

    // THEN
    expect(md).toContain('**Verify before budgeting.**');
    expect(md).toContain('**$235.55 a month idle**');
    expect(md).toContain('| `--nat-gb` | 100 |');
    expect(md).toContain('| **total** | **$235.55** | **$336.76** |');
    expect(md).toContain('Graviton container instances (t3.medium → t4g.medium');
    expect(md).toContain('`rds.aurora-postgresql.db.r99.huge.hour`');
    expect(md).toContain('`AWS::Foo::Bar` ×1');
    expect(md).toMatch(/\| `nat.hour` \| 0.045 \| NAT gateway-hour \| https:\/\/\S+.*\| 2026-12-01 \|/);
  });
});

describe('cost CLI options and price table', () => {
  test('every committed price has a source and a date', () => {
    for (const [key, p] of Object.entries(table.prices)) {
      expect([key, p.source]).toEqual([key, expect.stringMatching(/https:\/\//)]);
      expect([key, p.date]).toEqual([key, expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/)]);
    }
    expect(table.warning).toMatch(/verify before budgeting/i);
  });

  test('usage flags override the defaults; bad values are rejected', () => {
    expect(parseArgs(['--requests', '5', '--nat-gb', '0']).usage).toMatchObject({ requests: 5, natGb: 0 });
    expect(() => parseArgs(['--nat-gb', '-1'])).toThrow('--nat-gb must be a number of 0 or more, got: -1');
    expect(() => parseArgs(['--bogus'])).toThrow('unknown argument: --bogus');
  });

  test('--prices reads another table and rejects one without sources', () => {
    // GIVEN
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'prices-'));
    const good = path.join(dir, 'good.json');
    const bad = path.join(dir, 'bad.json');
    fs.writeFileSync(
      good,
      JSON.stringify({ ...table, prices: { ...table.prices, 'nat.hour': { ...table.prices['nat.hour'], usd: 1 } } }),
    );
    fs.writeFileSync(bad, JSON.stringify({ ...table, prices: { 'nat.hour': { usd: 1, unit: 'h' } } }));

    // WHEN
    const other = readPrices(parseArgs(['--prices', good]).prices);

    // THEN
    expect(estimate(FIXTURE, other, IDLE).lines.find((l) => l.priceKey === 'nat.hour')!.monthly).toBe(730);
    expect(() => readPrices(bad)).toThrow(
      `${bad}: price \`nat.hour\` needs \`usd\`, \`source\` and \`date\`, got: {"usd":1,"unit":"h"}`,
    );
  });
});
