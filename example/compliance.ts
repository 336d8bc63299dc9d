import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { IConstruct } from 'constructs';
import { Findings } from '../src';
import type { DatabaseStack } from './stacks/database-stack';
import type { MigrationStack } from './stacks/migration-stack';
import type { NetworkStack } from './stacks/network-stack';
import type { ServiceStack } from './stacks/service-stack';

/** The compliance packs the example is checked with (besides AwsSolutions), by rule-id prefix. */
export const COMPLIANCE_PACKS = ['NIST.800.53.R5', 'PCI.DSS.321', 'HIPAA.Security'] as const;

/** Acknowledges `rule` of every pack in `packs` on exactly `scopes` (each finding's resource), for `reason`. */
function acknowledge(
  scopes: IConstruct[],
  rule: string,
  reason: string,
  packs: readonly string[] = COMPLIANCE_PACKS,
): void {
  if (scopes.length === 0) {
    throw new Error(`no resource to acknowledge ${rule} on: the example changed, review the acknowledgement`);
  }
  for (const scope of scopes) {
    Findings.acknowledge(scope, reason, ...packs.map((pack) => `${pack}-${rule}`));
  }
}

/** The inline policies under `scope` that aws-cdk-lib writes for grants and custom resources. */
function grantPolicies(scope: IConstruct): IConstruct[] {
  return scope.node
    .findAll()
    .filter((c) => c instanceof iam.CfnPolicy)
    .filter((c) => ['DefaultPolicy', 'CustomResourcePolicy'].includes(c.node.scope!.node.id));
}

/**
 * The findings of cdk-nag's NIST 800-53 R5, PCI DSS 3.2.1 and HIPAA Security packs that the example accepts,
 * each on the resource it is about, with the reason (docs/security.md lists them with the fixed ones).
 */
export function acknowledgeComplianceFindings(
  network: NetworkStack,
  database: DatabaseStack,
  services: ServiceStack[],
  migrations?: MigrationStack,
): void {
  // Network: the brief's public subnets carry the NAT gateway.
  const ecs = network.network.spoke('ecs');
  acknowledge(
    ecs.cfnSubnets('public'),
    'VPCSubnetAutoAssignPublicIpDisabled',
    "The brief's public subnets hold the NAT gateway only; no instance or task is ever placed there (placement by subnet role excludes them).",
  );
  acknowledge(
    [ecs.node.findChild('PublicDefaultRoute')],
    'VPCNoUnrestrictedRouteToIGW',
    "The public route table's default route to the internet gateway is what the NAT gateway of the brief needs; private tiers route through the NAT gateway.",
  );
  acknowledge(
    network.network.spokes.map((s) => s.cfnVpc),
    'VPCDefaultSecurityGroupClosed',
    "The default security group's rules are revoked by the DefaultSgRevokeIngress/Egress custom resources at deploy, which the pack can't see in the template.",
  );
  const customResourceFunction = Stack.of(network).node.tryFindChild('AWS679f53fac002430cb0da5b7982bd2287');
  if (customResourceFunction) {
    for (const [rule, packs] of [
      ['LambdaInsideVPC', COMPLIANCE_PACKS],
      ['LambdaConcurrency', ['NIST.800.53.R5', 'HIPAA.Security']],
      ['LambdaDLQ', ['NIST.800.53.R5', 'HIPAA.Security']],
    ] as Array<[string, readonly string[]]>) {
      acknowledge(
        [customResourceFunction],
        rule,
        "aws-cdk-lib's stack-wide AwsCustomResource function (shared with users' own custom resources) runs only at deploy time, synchronously from CloudFormation (no queue to dead-letter, no concurrency to reserve); moving it into a VPC without NAT would hang deploys.",
        packs,
      );
    }
  }

  // Database: AWS Backup protects the cluster; the rotation function's rule uses the cluster's port attribute.
  acknowledge(
    ['Writer', 'Reader'].map((id) => database.cluster.node.findChild(id)),
    'RDSInBackupPlan',
    'The AWS Backup plan items-rds-backup-plan selects the Aurora cluster (Aurora is backed up per cluster); the pack looks for instance logical ids in backup selections and cannot see a cluster-level selection.',
    ['NIST.800.53.R5', 'HIPAA.Security'],
  );
  acknowledge(
    database.securityGroup.node.children.filter((c) => c.node.id.includes('RotationSingleUser')),
    'EC2RestrictedCommonPorts',
    "The rule admits the rotation function's security group (not a CIDR) on the cluster's Endpoint.Port attribute, 5432 at deploy; the pack can't resolve the token and assumes any port.",
  );
  acknowledge(
    database.securityGroup.node.children.filter((c) => c.node.id.includes('RotationSingleUser')),
    'EC2RestrictedSSH',
    "The rule admits the rotation function's security group (not a CIDR) on the cluster's Endpoint.Port attribute, 5432 at deploy; the pack can't resolve the token and assumes port 22 may be in it.",
  );

  // The deploy-time functions of the database application user and the migration step: aws-cdk-lib's provider
  // framework and the handlers it calls, outside any VPC (they call AWS APIs only: the RDS Data API, ECS).
  const deployTimeFunctions = [database, ...(migrations ? [migrations] : [])].flatMap((stack) =>
    stack.node.findAll().filter((c) => c instanceof lambda.CfnFunction),
  );
  for (const [rule, packs] of [
    ['LambdaInsideVPC', COMPLIANCE_PACKS],
    ['LambdaConcurrency', ['NIST.800.53.R5', 'HIPAA.Security']],
    ['LambdaDLQ', ['NIST.800.53.R5', 'HIPAA.Security']],
  ] as Array<[string, readonly string[]]>) {
    acknowledge(
      deployTimeFunctions.filter((f) => !f.node.path.includes('Rotation')),
      rule,
      'A deploy-time custom resource function (the database application user through the RDS Data API, the one-off migration task through the ECS API): it runs only when CloudFormation calls it, synchronously (no queue to dead-letter, no concurrency to reserve), and calls AWS APIs only, so it needs no VPC.',
      packs,
    );
  }
  acknowledge(
    database.securityGroup.node.children.filter((c) => c.node.id.includes('AppUserRotation')),
    'EC2RestrictedCommonPorts',
    "The rule admits the application user's rotation function's security group (not a CIDR) on the cluster's Endpoint.Port attribute, 5432 at deploy; the pack can't resolve the token and assumes any port.",
  );
  acknowledge(
    database.securityGroup.node.children.filter((c) => c.node.id.includes('AppUserRotation')),
    'EC2RestrictedSSH',
    "The rule admits the application user's rotation function's security group (not a CIDR) on the cluster's Endpoint.Port attribute, 5432 at deploy; the pack can't resolve the token and assumes port 22 may be in it.",
  );

  for (const stack of [network, database, ...services, ...(migrations ? [migrations] : [])]) {
    acknowledge(
      grantPolicies(stack),
      'IAMNoInlinePolicy',
      "aws-cdk-lib's grants (execution role: the image, logs and the database secret; instance role: the ECS agent; flow log role; the default security group custom resources), each scoped to the resources it names.",
    );
  }

  // Services: the API integrates through a VPC link with a TCP listener (no domain for TLS in the example).
  for (const stack of services) {
    const service = stack.service;
    acknowledge(
      [service.stage],
      'APIGWCacheEnabledAndEncrypted',
      'The stage has no cache: catalog reads change with every write and writes must never be cached; nothing is stored outside the service.',
    );
    acknowledge(
      [service.stage],
      'APIGWSSLEnabled',
      'A VPC-link integration: API Gateway reaches the internal NLB over PrivateLink, not the internet; a client certificate applies to HTTP(S) backends on public endpoints. With a TLS listener (`tls`, a domain the example lacks) the hop is TLS too.',
    );
    acknowledge(
      [service.listener],
      'ELBv2ACMCertificateRequired',
      'The NLB listener is TCP behind the VPC link: a certificate needs a domain the example does not have (set `tls` with an ACM certificate to fix).',
    );
    acknowledge(
      [service.loadBalancer],
      'ELBLoggingEnabled',
      'AWS writes NLB access logs for TLS listeners only and this listener is TCP; every request is logged in the API Gateway access log (set `tls` and `loadBalancerAccessLogBucket` to fix).',
    );
  }
}
