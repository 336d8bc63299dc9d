/**
 * Data extractor: Aurora clusters and instances (placed by AZ in the DB subnet group), secrets with their
 * rotation, and every log group with the purposes the other extractors recorded (run it last).
 */
import { asList, num, refKey, Resolved, splitKey, str } from '../cfn';
import type { DbCluster, LogGroup, Model, Secret } from '../model';
import { byKey, cmp } from './common';
import { Context } from './context';
import type { NetworkPart } from './network';

/** The data domain of the model. Runs after the others: log group purposes come from every domain. */
export function extractData(ctx: Context, net: NetworkPart): Pick<Model, 'databases' | 'logGroups' | 'secrets'> {
  const { r, res, P, place, useSg, addPurpose } = ctx;
  const subnet = new Map(net.subnets.map((s) => [s.key, s]));
  // ---------------------------------------------------------------- databases
  const secretName = (key: string): string => {
    const sk = r.type(key) === 'AWS::SecretsManager::SecretTargetAttachment' ? (refKey(P(key).SecretId) ?? key) : key;
    return str(P(sk).Name) ?? splitKey(sk)[1];
  };
  const databases: DbCluster[] = res('AWS::RDS::DBCluster')
    .map((c) => {
      const p = P(c.key);
      const name = str(p.DBClusterIdentifier) ?? c.id;
      const sng = refKey(p.DBSubnetGroupName);
      const subnetKeys = sng
        ? asList(P(sng).SubnetIds)
            .map(refKey)
            .filter((k): k is string => !!k)
        : [];
      const instances = res('AWS::RDS::DBInstance')
        .filter((i) => refKey(P(i.key).DBClusterIdentifier) === c.key)
        .map((i) => {
          const ip = P(i.key);
          const az = str(ip.AvailabilityZone) ?? '?';
          const tier = num(ip.PromotionTier) ?? 1;
          return {
            key: i.key,
            name: str(ip.DBInstanceIdentifier) ?? i.id,
            role: /writer/i.test(str(ip.DBInstanceIdentifier) ?? i.id) || tier === 0 ? 'writer' : 'reader',
            cls: str(ip.DBInstanceClass) ?? '?',
            az,
            subnet: subnetKeys.find((k) => subnet.get(k)?.az === az),
          };
        })
        .sort((a, b) => cmp(a.role === 'writer' ? '0' : '1', b.role === 'writer' ? '0' : '1') || cmp(a.name, b.name));
      const secretAttachment = res('AWS::SecretsManager::SecretTargetAttachment').find(
        (a) => refKey(P(a.key).TargetId) === c.key,
      );
      const secret = secretAttachment ? refKey(P(secretAttachment.key).SecretId) : undefined;
      const logs = (asList(p.EnableCloudwatchLogsExports).map(str) as string[]).map(
        (kind) => `/aws/rds/cluster/${name}/${kind}`,
      );
      const logGroups = res('AWS::Logs::LogGroup')
        .filter((l) => logs.includes(str(P(l.key).LogGroupName) ?? ''))
        .map((l) => l.key);
      for (const lg of logGroups) {
        addPurpose(lg, `${name} log export`);
      }
      const sgs = asList(p.VpcSecurityGroupIds)
        .map(refKey)
        .filter((k): k is string => !!k);
      useSg(sgs, `Aurora ${name}`);
      return {
        key: c.key,
        name,
        engine: `${str(p.Engine)} ${str(p.EngineVersion) ?? ''}`.trim(),
        port: str(p.Port) ?? '?',
        sgs,
        subnets: subnetKeys,
        instances,
        logGroups,
        secret,
      };
    })
    .sort(byKey);
  for (const d of databases) {
    for (const i of d.instances) {
      if (i.subnet) {
        place([i.subnet], 'db', `Aurora ${i.role} ${i.name} ${i.cls}`, i.key);
      }
    }
  }

  // ---------------------------------------------------------------- logs, secrets
  const logGroups: LogGroup[] = res('AWS::Logs::LogGroup')
    .map((l) => {
      const p = P(l.key);
      const days = str(p.RetentionInDays);
      const name = str(p.LogGroupName);
      return {
        key: l.key,
        name: name ?? '(generated name)',
        retention: days ? `${days} days` : 'never expires',
        stack: l.stack,
        purpose: (ctx.logPurpose.get(l.key) ?? []).join('; ') || 'log group',
      };
    })
    .sort(byKey);
  const secrets: Secret[] = res('AWS::SecretsManager::Secret')
    .map((s) => {
      const rotation = res('AWS::SecretsManager::RotationSchedule')
        .filter((rs) => {
          const id = refKey(P(rs.key).SecretId);
          return id === s.key || (id && refKey(P(id).SecretId) === s.key);
        })
        .map((rs) => {
          const rules = (P(rs.key).RotationRules ?? {}) as Record<string, Resolved>;
          return `rotation ${str(rules.ScheduleExpression) ?? `every ${str(rules.AutomaticallyAfterDays)} days`}`;
        })
        .join(', ');
      return { key: s.key, name: secretName(s.key), rotation: rotation || 'no rotation', stack: s.stack };
    })
    .sort(byKey);

  return { databases, logGroups, secrets };
}
