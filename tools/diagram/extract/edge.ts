/**
 * Edge extractor: REST APIs (stages, throttling, usage plans, methods, VPC links) and WAF web ACLs (rules in
 * priority order, associations, logging).
 */
import { asList, isRef, num, refKey, refsIn, Resolved, splitKey, str, text } from '../cfn';
import type { Api, Model, WebAcl } from '../model';
import { byKey, cmp, uniq, wafAction, wafStatement } from './common';
import { Context } from './context';

/** The edge domain of the model: what stands between the client and the VPC. */
export function extractEdge(ctx: Context): Pick<Model, 'apis' | 'webAcls'> {
  const { r, res, P, addPurpose } = ctx;
  // ---------------------------------------------------------------- API Gateway, WAF
  const apis: Api[] = res('AWS::ApiGateway::RestApi')
    .map((a) => {
      const p = P(a.key);
      const stages = res('AWS::ApiGateway::Stage')
        .filter((s) => refKey(P(s.key).RestApiId) === a.key)
        .map((s) => {
          const sp = P(s.key);
          const ms = ((sp.MethodSettings as Array<Record<string, Resolved>>) ?? []).find(
            (m) => str(m.ResourcePath) === '/*',
          );
          const accessLogGroup = refsIn((sp.AccessLogSetting as Resolved) ?? null).find(
            (k) => r.type(k) === 'AWS::Logs::LogGroup',
          );
          addPurpose(accessLogGroup, `access logs of ${str(p.Name)} stage ${str(sp.StageName)}`);
          return {
            key: s.key,
            name: str(sp.StageName) ?? s.id,
            throttle: ms
              ? `${str(ms.ThrottlingRateLimit) ?? '-'} rps, burst ${str(ms.ThrottlingBurstLimit) ?? '-'}`
              : 'account default',
            accessLogGroup,
          };
        })
        .sort(byKey);
      const usagePlans = res('AWS::ApiGateway::UsagePlan')
        .filter((u) => refsIn(P(u.key).ApiStages).includes(a.key))
        .map((u) => {
          const up = P(u.key);
          const t = (up.Throttle ?? {}) as Record<string, Resolved>;
          const q = up.Quota as Record<string, Resolved> | undefined;
          return {
            key: u.key,
            name: str(up.UsagePlanName) ?? 'usage plan',
            throttle: `${str(t.RateLimit) ?? '-'} rps, burst ${str(t.BurstLimit) ?? '-'}${q ? `, quota ${str(q.Limit)}/${str(q.Period)}` : ''}`,
          };
        })
        .sort(byKey);
      const methods = res('AWS::ApiGateway::Method').filter((m) => refKey(P(m.key).RestApiId) === a.key);
      const integration = (m: string) => (P(m).Integration ?? {}) as Record<string, Resolved>;
      const linkOf = (m: string) => refKey(integration(m).ConnectionId ?? null) ?? '';
      const links = uniq(methods.map((m) => linkOf(m.key))).filter(
        (k) => r.type(k) === 'AWS::ApiGateway::VpcLink' || r.type(k) === 'AWS::ApiGatewayV2::VpcLink',
      );
      // A V2 link's target is each method's IntegrationTarget (a load balancer, or a listener of one).
      const lbOf = (k: string | undefined): string | undefined =>
        k && r.type(k) === 'AWS::ElasticLoadBalancingV2::Listener' ? refKey(P(k).LoadBalancerArn) : k;
      const resourcePath = (m: string): string => {
        const rid = P(m).ResourceId;
        if (isRef(rid) && rid.attr === 'RootResourceId') {
          return '/';
        }
        const parts: string[] = [];
        let cur = refKey(rid);
        while (cur && r.type(cur) === 'AWS::ApiGateway::Resource') {
          parts.unshift(str(P(cur).PathPart) ?? '?');
          const parent = P(cur).ParentId;
          cur = isRef(parent) && parent.attr === 'RootResourceId' ? undefined : refKey(parent);
        }
        return '/' + parts.join('/');
      };
      const byPathAuth = new Map<string, string[]>();
      for (const m of methods) {
        const mp = P(m.key);
        const k = `${resourcePath(m.key)}\u0000${str(mp.AuthorizationType) ?? 'NONE'}${mp.ApiKeyRequired === true ? ' + API key' : ''}`;
        byPathAuth.set(k, [...(byPathAuth.get(k) ?? []), str(mp.HttpMethod) ?? '?']);
      }
      const order = ['ANY', 'GET', 'HEAD', 'OPTIONS', 'POST', 'PUT', 'PATCH', 'DELETE'];
      const methodLines = [...byPathAuth.entries()]
        .map(([k, verbs]) => {
          const [path, auth] = k.split('\u0000');
          verbs.sort((x, y) => order.indexOf(x) - order.indexOf(y) || cmp(x, y));
          return `${path} ${verbs.join(' ')}: ${auth === 'NONE' ? 'no auth' : auth}`;
        })
        .sort();
      return {
        key: a.key,
        name: str(p.Name) ?? a.id,
        stack: a.stack,
        endpointType: asList(((p.EndpointConfiguration ?? {}) as Record<string, Resolved>).Types ?? 'EDGE')
          .map(text)
          .join(', '),
        stages,
        usagePlans,
        vpcLinks: links.sort().map((k) => {
          const v2 = r.type(k) === 'AWS::ApiGatewayV2::VpcLink';
          const using = methods.filter((m) => linkOf(m.key) === k).map((m) => m.key);
          const targets = v2
            ? uniq(using.map((m) => lbOf(refKey(integration(m).IntegrationTarget ?? null)) ?? ''))
            : asList(P(k).TargetArns).map((t) => refKey(t) ?? '');
          const routes = new Map<string, { path: string; target: string; port: string }>();
          for (const m of using) {
            const uri = text(integration(m).Uri ?? null);
            const at = /^https?:\/\/<([^>]+)\.DNSName>:(\d+)(\/[^{]*)?/.exec(uri);
            const path = resourcePath(m).replace(/\/\{proxy\+\}$/, '') || '/';
            if (at) {
              const target = `:${at[2]}${(at[3] ?? '/').replace(/\/$/, '') || ''}`;
              routes.set(`${path} ${target}`, { path, target, port: at[2] });
            }
          }
          return {
            key: k,
            name: str(P(k).Name) ?? splitKey(k)[1],
            version: v2 ? ('V2' as const) : ('V1' as const),
            targets: targets.filter((t) => !!t).sort(),
            routes: [...routes.values()].sort((x, y) => cmp(x.path, y.path) || cmp(x.target, y.target)),
          };
        }),
        methods: methodLines,
      };
    })
    .sort(byKey);

  const webAcls: WebAcl[] = res('AWS::WAFv2::WebACL')
    .map((w) => {
      const p = P(w.key);
      const rules = ((p.Rules as Array<Record<string, Resolved>>) ?? [])
        .map((rule) => ({
          priority: num(rule.Priority) ?? 0,
          name: str(rule.Name) ?? '?',
          action: wafAction(rule),
          statement: wafStatement(rule.Statement as Record<string, Resolved>),
          response: customResponse(p, rule),
        }))
        .sort((a, b) => a.priority - b.priority || cmp(a.name, b.name));
      const associatedWith = res('AWS::WAFv2::WebACLAssociation')
        .filter((a) => refsIn(P(a.key).WebACLArn).includes(w.key))
        .flatMap((a) => refsIn(P(a.key).ResourceArn))
        .sort();
      const logGroups = res('AWS::WAFv2::LoggingConfiguration')
        .filter((l) => refsIn(P(l.key).ResourceArn).includes(w.key))
        .flatMap((l) => refsIn(P(l.key).LogDestinationConfigs))
        .filter((k) => r.type(k) === 'AWS::Logs::LogGroup')
        .sort();
      for (const lg of logGroups) {
        addPurpose(lg, `WAF logs of ${str(p.Name)}`);
      }
      return {
        key: w.key,
        name: str(p.Name) ?? w.id,
        stack: w.stack,
        defaultAction: Object.keys((p.DefaultAction ?? {}) as object)[0]?.toUpperCase() ?? '?',
        captchaImmunity:
          num(
            ((p.CaptchaConfig as Record<string, Resolved>)?.ImmunityTimeProperty as Record<string, Resolved>)
              ?.ImmunityTime,
          ) ?? 300,
        rules,
        associatedWith,
        logGroups,
      };
    })
    .sort(byKey);

  return { apis, webAcls };
}

/** The content type and body a Block rule answers with, from the web ACL's `CustomResponseBodies`. */
function customResponse(
  acl: Record<string, Resolved>,
  rule: Record<string, Resolved>,
): { contentType: string; body: string } | undefined {
  const block = (rule.Action as Record<string, Resolved> | undefined)?.Block as Record<string, Resolved> | undefined;
  const key = str((block?.CustomResponse as Record<string, Resolved> | undefined)?.CustomResponseBodyKey);
  const body = key
    ? ((acl.CustomResponseBodies as Record<string, Resolved> | undefined)?.[key] as Record<string, Resolved>)
    : undefined;
  if (!body) {
    return undefined;
  }
  const type = (str(body.ContentType) ?? 'TEXT_PLAIN')
    .toLowerCase()
    .replace('_', '/')
    .replace('text/plain', 'text/plain');
  return { contentType: type, body: str(body.Content) ?? '' };
}
