/**
 * docs/architecture-outcomes.md: what each kind of client gets from each front door (a table generated from the
 * web ACL rules in priority order) and the CAPTCHA token flow of a browser app (a mermaid sequence diagram),
 * both text that GitHub renders.
 */
import { Model, WebAcl, WebAclRule } from './model';
import { usagePlanText } from './render';

interface Outcome {
  readonly who: string;
  readonly client: string;
  readonly status: string;
  readonly header: string;
  readonly next: string;
}

const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function countries(rule: WebAclRule): string[] {
  const m = /^geo: (.+)$/.exec(rule.statement);
  return m ? m[1].split(/,\s*/) : [];
}

function blockOutcome(rule: WebAclRule, who: string, client: string): Outcome {
  const code = /BLOCK (\d+)/.exec(rule.action)?.[1] ?? '403';
  return {
    who,
    client,
    status: `${code} from WAF (rule ${rule.priority} \`${rule.name}\`)`,
    header: rule.response
      ? `content-type: ${rule.response.contentType}; body \`${rule.response.body}\``
      : 'WAF default block page',
    next:
      code === '429' ? 'slow down; retry after the 5-minute window' : 'nothing to do: the request is refused by policy',
  };
}

/** The outcome rows of one web ACL, derived from its rules in priority order. */
export function outcomes(acl: WebAcl, api?: Model['apis'][number]): Outcome[] {
  const out: Outcome[] = [];
  const geo = acl.rules.filter((r) => countries(r).length > 0);
  const rest = acl.rules.filter((r) => countries(r).length === 0);
  const stage = api?.stages[0];
  const passed = (who: string, client: string): Outcome[] => {
    const rows: Outcome[] = [];
    for (const r of rest.filter((x) => x.action.startsWith('BLOCK'))) {
      rows.push({
        ...blockOutcome(r, who, client),
        status: `${blockOutcome(r, who, client).status} when \`${r.statement}\``,
      });
    }
    const groups = rest.filter((x) => x.action === 'rule group actions');
    if (groups.length > 0) {
      rows.push({
        who,
        client,
        status: `403 from WAF when an AWS managed rule group matches (${groups.map((g) => g.name.replace(/^AWS-AWSManagedRules/, '')).join(', ')})`,
        header: 'WAF default block response',
        next: 'fix the request (a User-Agent header, no exploit-like input) or ask for a rule exclusion',
      });
    }
    rows.push({
      who,
      client,
      status: `${acl.defaultAction === 'ALLOW' ? '200 (or the service status)' : '403'}${stage ? `; 429 from API Gateway above ${stage.throttle}` : ''}`,
      header: stage ? `API Gateway stage \`${stage.name}\`` : '',
      next: `served by the service; on a 429 from API Gateway, back off (the stage throttle applies to every client${
        api?.usagePlans.length ? `; the ${usagePlanText(api, api.usagePlans[0])}` : ''
      })`,
    });
    return rows;
  };
  const seen: string[] = [];
  for (const r of geo) {
    const who = countries(r).join(', ');
    seen.push(...countries(r));
    if (r.action.startsWith('BLOCK')) {
      out.push(blockOutcome(r, who, 'browser'), blockOutcome(r, who, 'JSON client'));
    } else if (r.action === 'CAPTCHA') {
      out.push(
        {
          who,
          client: 'browser (GET, `Accept: text/html`), no token',
          status: `405 from WAF with the CAPTCHA puzzle page (rule ${r.priority} \`${r.name}\`)`,
          header: '`x-amzn-waf-action: captcha`',
          next: `solve the puzzle: WAF sets the \`aws-waf-token\` cookie, valid ${acl.captchaImmunity} s, then the request goes on to the next rules`,
        },
        {
          who,
          client: 'JSON client (fetch / XHR / server), no token',
          status: `405 from WAF, no puzzle (rule ${r.priority} \`${r.name}\`)`,
          header: '`x-amzn-waf-action: captcha`',
          next: 'a browser app renders the puzzle with the CAPTCHA JavaScript API (`renderCaptcha`, a WAF API key for its domain) and sends the token; a server-to-server client needs an allow-list rule',
        },
        ...passed(`${who} with a valid token`, 'any'),
      );
    } else if (r.action === 'CHALLENGE') {
      out.push({
        who,
        client: 'any, no token',
        status: `202 from WAF with a silent browser challenge (rule ${r.priority} \`${r.name}\`)`,
        header: '`x-amzn-waf-action: challenge`',
        next: 'browsers solve it without the user; non-browser clients cannot',
      });
    }
  }
  out.push(...passed(seen.length ? `other countries` : 'any country', 'browser or JSON client'));
  return out;
}

/** The CAPTCHA token flow of a browser app, as a mermaid sequence diagram. */
export function captchaSequence(acl: WebAcl, api?: Model['apis'][number], service?: string): string {
  const rule = acl.rules.find((r) => r.action === 'CAPTCHA');
  const who = rule ? countries(rule).join(', ') : '';
  return [
    '```mermaid',
    'sequenceDiagram',
    `  participant B as Browser app (${who || 'client'})`,
    `  participant W as WAF ${acl.name}`,
    `  participant A as REST API ${api?.name ?? ''}`,
    `  participant S as ${service ?? 'service'}`,
    '  B->>W: GET /items (Accept: application/json, no aws-waf-token)',
    `  W-->>B: 405, x-amzn-waf-action: captcha (rule ${rule?.priority} ${rule?.name})`,
    '  Note over B: the app loads the CAPTCHA JavaScript API (integration URL and API key for its domain)',
    '  B->>B: AwsWafCaptcha.renderCaptcha(...): the user solves the puzzle',
    '  B->>W: the puzzle solution',
    `  W-->>B: aws-waf-token cookie (CAPTCHA valid ${acl.captchaImmunity} s)`,
    '  B->>W: GET /items with the aws-waf-token cookie',
    '  W->>A: token valid: on to the next rules (rate limit, managed groups), then allowed',
    '  A->>S: VPC link, internal NLB, task',
    '  S-->>B: 200 JSON',
    `  Note over B,W: after ${acl.captchaImmunity} s the CAPTCHA timestamp expires: 405 again until the user solves a new puzzle`,
    '```',
  ].join('\n');
}

/** The Markdown of docs/architecture-outcomes.md. */
export function renderOutcomes(model: Model): string {
  const o: string[] = [
    '# What each client gets',
    '',
    '<!-- Generated by `npx projen diagram` from the synthesized templates; do not edit by hand. -->',
    '',
    'Rows follow the web ACL rules in priority order; the first terminating rule decides. Status codes and headers',
    'for CAPTCHA are fixed by AWS WAF (405 and `x-amzn-waf-action: captcha`); block responses are the custom ones of the',
    'templates.',
  ];
  const byRules = new Map<string, WebAcl[]>();
  for (const acl of model.webAcls) {
    const k = JSON.stringify([acl.rules, acl.defaultAction, acl.captchaImmunity]);
    byRules.set(k, [...(byRules.get(k) ?? []), acl]);
  }
  for (const acls of byRules.values()) {
    const acl = acls[0];
    const api = model.apis.find((a) =>
      acl.associatedWith.some((k) => k === a.key || a.stages.some((s) => s.key === k)),
    );
    const service = model.services.find((s) => api?.vpcLinks.some((l) => l.targets.includes(s.nlb ?? '')));
    o.push('', `## ${acls.map((a) => `\`${a.name}\``).join(', ')}`, '');
    o.push('| who | client | status | header / body | what to do next |', '| --- | --- | --- | --- | --- |');
    for (const r of outcomes(acl, api)) {
      o.push(`| ${cell(r.who)} | ${cell(r.client)} | ${cell(r.status)} | ${cell(r.header)} | ${cell(r.next)} |`);
    }
    if (acl.rules.some((r) => r.action === 'CAPTCHA')) {
      o.push(
        '',
        '### CAPTCHA token flow of a browser app',
        '',
        captchaSequence(acl, api, service ? `ECS service ${service.name}` : undefined),
      );
    }
  }
  return o.join('\n') + '\n';
}
