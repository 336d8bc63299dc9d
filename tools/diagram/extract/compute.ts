/**
 * Compute extractor: load balancers (listeners, target groups), Auto Scaling groups, ECS services (capacity
 * provider, scaling, containers, secrets, logs), one-off ECS tasks run at deploy time (`Custom::EcsOneOffTask`)
 * and Lambda functions in VPCs, each placed in its subnets; the log groups of task definitions, functions and
 * state machines.
 */
import { asList, refKey, refsIn, Resolved, splitKey, str } from '../cfn';
import type { Asg, EcsService, Model, Nlb, Rotation } from '../model';
import { byKey, uniq } from './common';
import { Context } from './context';
import { secretName } from './data';

/** `Fargate (ARM64)` / `Fargate Spot` when a service runs on Fargate, by launch type or capacity provider. */
function fargateOf(p: Record<string, Resolved>, tdp: Record<string, Resolved>): string | undefined {
  const providers = asList((p.CapacityProviderStrategy as Resolved) ?? null)
    .map((x) => str((x as Record<string, Resolved>).CapacityProvider))
    .filter((x): x is string => x === 'FARGATE' || x === 'FARGATE_SPOT');
  const kinds = str(p.LaunchType) === 'FARGATE' ? ['FARGATE'] : providers;
  if (kinds.length === 0) {
    return undefined;
  }
  const arch = str((tdp.RuntimePlatform as Record<string, Resolved> | undefined)?.CpuArchitecture);
  const names = kinds.map((k) => (k === 'FARGATE' ? 'Fargate' : 'Fargate Spot')).join(' + ');
  return `${names}${arch ? ` (${arch})` : ''}`;
}

/** `NLB` or `ALB`. */
export function lbKind(lb: { type: string }): string {
  return lb.type === 'network' ? 'NLB' : lb.type === 'gateway' ? 'GWLB' : 'ALB';
}

/** The compute domain of the model; `rotations` label each rotation function with the secret it rotates. */
export function extractCompute(ctx: Context, rotations: Rotation[] = []): Pick<Model, 'nlbs' | 'asgs' | 'services'> {
  const { r, res, P, place, useSg, addPurpose } = ctx;
  const nlbs: Nlb[] = res('AWS::ElasticLoadBalancingV2::LoadBalancer')
    .map((l) => {
      const p = P(l.key);
      // each listener with the target groups of its default actions and of its rules (path / host routing on an ALB)
      const listeners = res('AWS::ElasticLoadBalancingV2::Listener')
        .filter((x) => refKey(P(x.key).LoadBalancerArn) === l.key)
        .map((x) => {
          const lp = P(x.key);
          const ruleTgs = res('AWS::ElasticLoadBalancingV2::ListenerRule')
            .filter((rule) => refKey(P(rule.key).ListenerArn) === x.key)
            .flatMap((rule) => refsIn(P(rule.key).Actions ?? null));
          const tgs = uniq([...refsIn(lp.DefaultActions), ...ruleTgs]).filter(
            (k) => r.type(k) === 'AWS::ElasticLoadBalancingV2::TargetGroup',
          );
          return { text: `${str(lp.Protocol)} :${str(lp.Port)}`, port: str(lp.Port) ?? '?', tgs };
        });
      const tgKeys = uniq(listeners.flatMap((x) => x.tgs));
      const tgPorts: Record<string, string[]> = {};
      for (const k of [...tgKeys].sort()) {
        tgPorts[k] = uniq(listeners.filter((x) => x.tgs.includes(k)).map((x) => x.port)).sort();
      }
      return {
        key: l.key,
        name: str(p.Name) ?? l.id,
        stack: l.stack,
        type: str(p.Type) ?? 'application',
        scheme: str(p.Scheme) ?? 'internet-facing',
        subnets: asList(p.Subnets)
          .map(refKey)
          .filter((k): k is string => !!k),
        sgs: asList(p.SecurityGroups)
          .map(refKey)
          .filter((k): k is string => !!k),
        listeners: listeners.map((x) => x.text).sort(),
        targetGroups: tgKeys.sort().map((k) => {
          const tp = P(k);
          return `${str(tp.Name) ?? splitKey(k)[1]}: ${str(tp.Protocol)} :${str(tp.Port)}, targets ${str(tp.TargetType) ?? 'instance'}`;
        }),
        tgKeys,
        tgPorts,
      };
    })
    .sort(byKey);
  for (const l of nlbs) {
    place(l.subnets, 'nlb', `${lbKind(l)} ${l.name} (${l.scheme})`, l.key);
    useSg(l.sgs, `${lbKind(l)} ${l.name}`);
  }

  const asgs: Asg[] = res('AWS::AutoScaling::AutoScalingGroup')
    .map((a) => {
      const p = P(a.key);
      const lc = refKey(p.LaunchConfigurationName);
      // a launch template directly, or inside a mixed instances policy (with instance type overrides)
      const mixed = (p.MixedInstancesPolicy as Record<string, Resolved> | undefined)?.LaunchTemplate as
        Record<string, Resolved> | undefined;
      const spec = (p.LaunchTemplate ?? mixed?.LaunchTemplateSpecification) as Record<string, Resolved> | undefined;
      const lt = refKey(spec?.LaunchTemplateId);
      const lcp = lc ? P(lc) : lt ? ((P(lt).LaunchTemplateData as Record<string, Resolved>) ?? {}) : {};
      const overrides = asList(mixed?.Overrides)
        .map((o) => str((o as Record<string, Resolved>).InstanceType))
        .filter((t): t is string => !!t);
      return {
        key: a.key,
        name: `${a.stack} instances`,
        stack: a.stack,
        instanceType: overrides.length ? overrides.join(' / ') : (str(lcp.InstanceType) ?? '?'),
        size: `${str(p.MinSize)}–${str(p.MaxSize)}`,
        subnets: asList(p.VPCZoneIdentifier)
          .map(refKey)
          .filter((k): k is string => !!k),
        sgs: asList(lcp.SecurityGroups ?? lcp.SecurityGroupIds)
          .map(refKey)
          .filter((k): k is string => !!k),
      };
    })
    .sort(byKey);
  for (const a of asgs) {
    place(a.subnets, 'instances', `ECS container instances ${a.instanceType} (${a.stack})`, a.key);
    useSg(a.sgs, `container instances (${a.stack})`);
  }

  const services: EcsService[] = res('AWS::ECS::Service')
    .map((s) => {
      const p = P(s.key);
      const td = refKey(p.TaskDefinition);
      const tdp = td ? P(td) : {};
      const containers = (tdp.ContainerDefinitions as Array<Record<string, Resolved>>) ?? [];
      const network = ((p.NetworkConfiguration as Record<string, Resolved>)?.AwsvpcConfiguration ?? {}) as Record<
        string,
        Resolved
      >;
      const capacityProviders = refsIn((p.CapacityProviderStrategy as Resolved) ?? null);
      const asg = capacityProviders
        .map((cp) => refsIn((P(cp).AutoScalingGroupProvider as Resolved) ?? null)[0])
        .find((k) => k && r.type(k) === 'AWS::AutoScaling::AutoScalingGroup');
      const tg = refsIn((p.LoadBalancers as Resolved) ?? null);
      const nlb = nlbs.find((l) => l.tgKeys.some((k) => tg.includes(k)));
      const logGroups = uniq(
        containers.flatMap((c) =>
          refsIn(((c.LogConfiguration as Record<string, Resolved>)?.Options as Resolved) ?? null),
        ),
      ).filter((k) => r.type(k) === 'AWS::Logs::LogGroup');
      // Secrets the container gets (ECS secrets) or reads itself (an ARN in its environment, e.g. DB_SECRET_ARN).
      const secrets = uniq(
        containers
          .flatMap((c) => [...refsIn((c.Secrets as Resolved) ?? null), ...refsIn((c.Environment as Resolved) ?? null)])
          .map((k) => (r.type(k) === 'AWS::SecretsManager::SecretTargetAttachment' ? (refKey(P(k).SecretId) ?? k) : k))
          .filter((k) => r.type(k) === 'AWS::SecretsManager::Secret'),
      );
      const scaling = res('AWS::ApplicationAutoScaling::ScalableTarget')
        .filter((t) => refsIn(P(t.key).ResourceId).includes(s.key))
        .map((t) => {
          const policies = res('AWS::ApplicationAutoScaling::ScalingPolicy')
            .filter((sp) => refKey(P(sp.key).ScalingTargetId) === t.key)
            .map((sp) => {
              const c = P(sp.key).TargetTrackingScalingPolicyConfiguration as Record<string, Resolved> | undefined;
              const metric = str((c?.PredefinedMetricSpecification as Record<string, Resolved>)?.PredefinedMetricType);
              const custom = c?.CustomizedMetricSpecification as Record<string, Resolved> | undefined;
              if (!c) {
                return str(P(sp.key).PolicyType) ?? '';
              }
              if (metric && /Utilization$/.test(metric)) {
                return `${metric.replace(/^ECSServiceAverage/, '').replace('Utilization', '')} ${str(c.TargetValue)}%`;
              }
              const returned = ((custom?.Metrics as Array<Record<string, Resolved>>) ?? []).find(
                (m) => m.ReturnData !== false,
              );
              const name =
                metric ??
                str(custom?.MetricName) ??
                str(returned?.Label) ??
                str(returned?.Expression) ??
                'custom metric';
              return `${name} target ${str(c.TargetValue)}`;
            })
            .sort();
          return `${str(P(t.key).MinCapacity)}–${str(P(t.key).MaxCapacity)} tasks${policies.length ? ` (${policies.join(', ')})` : ''}`;
        })
        .join('; ');
      const cluster = refKey(p.Cluster);
      const mode = str(tdp.NetworkMode) ?? 'bridge';
      const container = containers
        .map(
          (c) =>
            `${str(c.Name)} ${str(c.Cpu) ?? '?'} CPU / ${str(c.Memory) ?? str(c.MemoryReservation) ?? '?'} MiB, ports ${(
              (c.PortMappings as Array<Record<string, Resolved>>) ?? []
            )
              .map(
                (m) =>
                  `${str(m.HostPort) === '0' ? 'dynamic' : (str(m.HostPort) ?? str(m.ContainerPort))}→${str(m.ContainerPort)}`,
              )
              .join(', ')}`,
        )
        .join('; ');
      for (const lg of logGroups) {
        addPurpose(lg, `container logs of ${str(p.ServiceName) ?? s.id}`);
      }
      return {
        key: s.key,
        name: str(p.ServiceName) ?? s.id,
        stack: s.stack,
        cluster: cluster ? (str(P(cluster).ClusterName) ?? splitKey(cluster)[1]) : '?',
        networkMode: mode,
        desired: str(p.DesiredCount) ?? '?',
        scaling,
        container,
        subnets: asList(network.Subnets)
          .map(refKey)
          .filter((k): k is string => !!k),
        sgs: asList(network.SecurityGroups)
          .map(refKey)
          .filter((k): k is string => !!k),
        asg,
        nlb: nlb?.key,
        capacity: fargateOf(p, tdp),
        tgKeys: tg.filter((k) => r.type(k) === 'AWS::ElasticLoadBalancingV2::TargetGroup').sort(),
        logGroups,
        secrets,
      };
    })
    .sort(byKey);
  for (const s of services) {
    if (s.subnets.length > 0) {
      place(s.subnets, 'tasks', `tasks ${s.name} (${s.networkMode})`, s.key);
      useSg(s.sgs, `tasks ${s.name}`);
    } else if (s.asg) {
      const asg = asgs.find((a) => a.key === s.asg)!;
      place(asg.subnets, 'tasks', `tasks ${s.name} (${s.networkMode}, on the instances)`, s.key);
    }
  }

  // One-off tasks that a custom resource runs at deploy time (the schema migrations): placed like tasks.
  for (const t of res('Custom::EcsOneOffTask')) {
    const p = P(t.key);
    const td = refKey(p.TaskDefinitionArn);
    const family = td ? (str(P(td).Family) ?? splitKey(td)[1]) : t.id;
    place(
      asList(p.Subnets)
        .map(refKey)
        .filter((k): k is string => !!k),
      'tasks',
      `one-off task ${family} (at deploy, ${t.stack})`,
      t.key,
    );
    useSg(
      asList(p.SecurityGroups)
        .map(refKey)
        .filter((k): k is string => !!k),
      `one-off task ${family}`,
    );
  }
  // Log groups of task definitions without a service (one-off tasks): a service's purpose is kept.
  for (const td of res('AWS::ECS::TaskDefinition')) {
    const containers = (P(td.key).ContainerDefinitions as Array<Record<string, Resolved>>) ?? [];
    for (const lg of containers.flatMap((c) =>
      refsIn(((c.LogConfiguration as Record<string, Resolved>)?.Options as Resolved) ?? null),
    )) {
      if (!ctx.logPurpose.has(lg)) {
        addPurpose(lg, `container logs of task ${str(P(td.key).Family) ?? td.id}`);
      }
    }
  }
  // Log groups of functions (LoggingConfig) and of state machines (such as a custom resource provider's waiter).
  // State machines are not drawn: read through the resolver, so their type stays in the unmodelled list.
  for (const f of res('AWS::Lambda::Function')) {
    const p = P(f.key);
    const lg = refsIn(((p.LoggingConfig as Record<string, Resolved>)?.LogGroup as Resolved) ?? null)[0];
    addPurpose(lg, `function logs: ${str(p.Description) ?? f.id}`);
  }
  for (const m of r.resources('AWS::StepFunctions::StateMachine')) {
    const lg = refsIn((r.props(m.key).LoggingConfiguration as Resolved) ?? null).find(
      (k) => r.type(k) === 'AWS::Logs::LogGroup',
    );
    addPurpose(lg, `state machine logs: ${m.id.replace(/[A-F0-9]{8}$/, '')}`);
  }

  const rotationLabel = (fn: string): string | undefined => {
    const rotated = rotations.find((x) => x.fn === fn);
    return rotated ? `secret rotation Lambda (${secretName(ctx, rotated.secret)})` : undefined;
  };
  // Lambda functions in VPCs (plain and SAR applications such as the secret rotation function).
  for (const f of res('AWS::Lambda::Function')) {
    const vc = P(f.key).VpcConfig as Record<string, Resolved> | undefined;
    if (vc) {
      const keys = asList(vc.SubnetIds)
        .map(refKey)
        .filter((k): k is string => !!k);
      const label = rotationLabel(f.key) ?? `Lambda ${str(P(f.key).FunctionName) ?? f.id}`;
      place(keys, 'lambda', label, f.key);
      useSg(
        asList(vc.SecurityGroupIds)
          .map(refKey)
          .filter((k): k is string => !!k),
        label,
      );
    }
  }
  for (const a of res('AWS::Serverless::Application')) {
    const params = (P(a.key).Parameters ?? {}) as Record<string, Resolved>;
    const keys = asList(params.vpcSubnetIds ?? null)
      .map(refKey)
      .filter((k): k is string => !!k);
    if (keys.length > 0) {
      const label = rotationLabel(a.key) ?? `Lambda ${str(params.functionName) ?? a.id}`;
      place(keys, 'lambda', label, a.key);
      useSg(
        asList(params.vpcSecurityGroupIds ?? null)
          .map(refKey)
          .filter((k): k is string => !!k),
        label,
      );
    }
  }
  return { nlbs, asgs, services };
}
