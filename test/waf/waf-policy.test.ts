import { App, Size, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { evaluateWebAcl } from './waf-policy';
import { GeoWebAcl, GeoWebAclProps, ManagedRuleGroup, RuleAction, Statement, WafAction } from '../../src/waf';

function synthesized(props?: GeoWebAclProps) {
  const stack = new Stack(new App(), 'PolicyStack', { env: { account: '111111111111', region: 'us-east-2' } });
  new GeoWebAcl(stack, 'WebAcl', { webAclName: 'policy', ...props });
  return Template.fromStack(stack).toJSON();
}

const CRS = 'AWSManagedRulesCommonRuleSet';
const SIZE_LABEL = 'awswaf:managed:aws:core-rule-set:SizeRestrictions_Body';

/** GTUC's shape: NG blocked, GH CAPTCHA'd, an allow list and a deny list, 64 KB inspection, SQLi + anonymous IPs. */
const GTUC: GeoWebAclProps = {
  blockedCountries: ['NG'],
  captchaCountries: ['GH'],
  allowedIpv4Cidrs: ['198.51.100.0/24'],
  allowedIpv6Cidrs: ['2001:db8:1::/48'],
  deniedIpv4Cidrs: ['192.0.2.0/24'],
  bodyInspectionSize: Size.kibibytes(64),
  managedRuleGroups: [
    ...ManagedRuleGroup.defaults(),
    ManagedRuleGroup.anonymousIpList(),
    ManagedRuleGroup.sqlDatabase({
      ruleActionOverrides: [{ name: 'SQLi_BODY', action: WafAction.COUNT }],
    }),
  ],
  customRules: [
    {
      // count-then-block on a managed rule's label, for writes only
      name: 'LargeWriteBodies',
      priority: 1000,
      statement: Statement.allOf(
        Statement.labelMatch(SIZE_LABEL),
        Statement.anyOf(Statement.methodIs('POST'), Statement.methodIs('PUT'), Statement.methodIs('PATCH')),
      ),
      action: RuleAction.block({ statusCode: 413, detail: 'Write bodies over 8 KB are not accepted.' }),
    },
    {
      name: 'TagAdmin',
      priority: 25,
      statement: Statement.pathStartsWith('/admin'),
      action: RuleAction.count(),
      labels: ['gtuc:admin'],
    },
    {
      name: 'AdminWritesChallenged',
      priority: 26,
      statement: Statement.allOf(Statement.labelMatch('gtuc:admin'), Statement.methodIs('DELETE')),
      action: RuleAction.challenge(),
    },
  ],
};

describe('GeoWebAcl policy (synthesized rules evaluated in priority order)', () => {
  const acl = synthesized(GTUC);

  test('a request from NG is BLOCKED with 403 by BlockedCountries, even with a token', () => {
    expect(evaluateWebAcl(acl, { country: 'NG', ip: '102.89.0.1' })).toEqual(
      expect.objectContaining({
        action: 'BLOCK',
        statusCode: 403,
        terminatingRule: 'BlockedCountries',
        customResponseBodyKey: 'problem-403-2',
      }),
    );
    expect(evaluateWebAcl(acl, { country: 'NG', hasValidToken: true }).action).toEqual('BLOCK');
  });

  test('a request from GH without a token gets a CAPTCHA (405); with one it passes', () => {
    expect(evaluateWebAcl(acl, { country: 'GH', ip: '154.160.0.1' })).toEqual(
      expect.objectContaining({ action: 'CAPTCHA', statusCode: 405, terminatingRule: 'CaptchaCountries' }),
    );
    expect(evaluateWebAcl(acl, { country: 'GH', hasValidToken: true }).terminatingRule).toEqual('Default_Action');
  });

  test('a browser preflight (OPTIONS) from GH passes without a token', () => {
    expect(evaluateWebAcl(acl, { country: 'GH', method: 'OPTIONS' })).toEqual(
      expect.objectContaining({ action: 'ALLOW', terminatingRule: 'Default_Action' }),
    );
  });

  test('an allow-listed IP from GH passes without a CAPTCHA (IPv4 and IPv6), and even from NG', () => {
    expect(evaluateWebAcl(acl, { country: 'GH', ip: '198.51.100.7' })).toEqual(
      expect.objectContaining({ action: 'ALLOW', statusCode: 200, terminatingRule: 'AllowedIpAddresses' }),
    );
    expect(evaluateWebAcl(acl, { country: 'GH', ip: '2001:db8:1:2::5' }).terminatingRule).toEqual('AllowedIpAddresses');
    expect(evaluateWebAcl(acl, { country: 'NG', ip: '198.51.100.7' }).action).toEqual('ALLOW');
  });

  test('a denied IP from US is blocked (403) before anything else', () => {
    expect(evaluateWebAcl(acl, { country: 'US', ip: '192.0.2.10' })).toEqual(
      expect.objectContaining({
        action: 'BLOCK',
        statusCode: 403,
        terminatingRule: 'DeniedIpAddresses',
        customResponseBodyKey: 'problem-403',
      }),
    );
  });

  test('a benign request from US ends in the default ALLOW', () => {
    expect(evaluateWebAcl(acl, { country: 'US', ip: '3.3.3.3' })).toEqual(
      expect.objectContaining({ action: 'ALLOW', statusCode: 200, terminatingRule: 'Default_Action', countedBy: [] }),
    );
  });

  test('a US client over the rate limit is BLOCKED with 429; an NG client meets the geo block first', () => {
    expect(evaluateWebAcl(acl, { country: 'US', requestsInWindow: 1001 })).toEqual(
      expect.objectContaining({ action: 'BLOCK', statusCode: 429, terminatingRule: 'RateLimit' }),
    );
    expect(evaluateWebAcl(acl, { country: 'US', requestsInWindow: 1000 }).action).toEqual('ALLOW');
    expect(evaluateWebAcl(acl, { country: 'NG', requestsInWindow: 5000 }).terminatingRule).toEqual('BlockedCountries');
  });

  test('a body over 64 KB is blocked with 413; 64 KB passes', () => {
    expect(evaluateWebAcl(acl, { country: 'US', method: 'POST', bodyBytes: 65537 })).toEqual(
      expect.objectContaining({ action: 'BLOCK', statusCode: 413, terminatingRule: 'OversizeBody' }),
    );
    expect(evaluateWebAcl(acl, { country: 'US', method: 'POST', bodyBytes: 65536 }).action).toEqual('ALLOW');
  });

  test('a managed rule overridden to count (SQLi_BODY) counts; a missing User-Agent blocks', () => {
    expect(
      evaluateWebAcl(acl, {
        country: 'US',
        managedRuleMatches: [{ group: 'AWSManagedRulesSQLiRuleSet', rule: 'SQLi_BODY' }],
      }),
    ).toEqual(
      expect.objectContaining({
        action: 'ALLOW',
        terminatingRule: 'Default_Action',
        countedBy: ['AWSManagedRulesSQLiRuleSet:SQLi_BODY'],
      }),
    );
    expect(
      evaluateWebAcl(acl, { country: 'US', managedRuleMatches: [{ group: CRS, rule: 'NoUserAgent_HEADER' }] }),
    ).toEqual(expect.objectContaining({ action: 'BLOCK', terminatingRule: 'AWS-AWSManagedRulesCommonRuleSet' }));
  });

  test('labels: a large body is only counted for GET, but its label blocks it for POST', () => {
    const match = [{ group: CRS, rule: 'SizeRestrictions_BODY', label: SIZE_LABEL }];
    expect(evaluateWebAcl(acl, { country: 'US', method: 'GET', managedRuleMatches: match })).toEqual(
      expect.objectContaining({
        action: 'ALLOW',
        countedBy: [`${CRS}:SizeRestrictions_BODY`],
        labels: [SIZE_LABEL],
      }),
    );
    expect(evaluateWebAcl(acl, { country: 'US', method: 'POST', managedRuleMatches: match })).toEqual(
      expect.objectContaining({ action: 'BLOCK', statusCode: 413, terminatingRule: 'LargeWriteBodies' }),
    );
  });

  test('labels: a DELETE on /admin is challenged (202) through the label a counting rule added', () => {
    expect(evaluateWebAcl(acl, { country: 'US', method: 'DELETE', path: '/admin/users/1' })).toEqual(
      expect.objectContaining({
        action: 'CHALLENGE',
        statusCode: 202,
        terminatingRule: 'AdminWritesChallenged',
        countedBy: ['TagAdmin'],
        labels: ['awswaf:111111111111:webacl:policy:gtuc:admin'],
      }),
    );
    expect(
      evaluateWebAcl(acl, { country: 'US', method: 'DELETE', path: '/admin/x', hasValidToken: true }).action,
    ).toEqual('ALLOW');
    expect(evaluateWebAcl(acl, { country: 'US', method: 'GET', path: '/admin' }).action).toEqual('ALLOW');
  });

  test('a rule switched to count first (tune safely): GH counted, not CAPTCHAed', () => {
    const counting = synthesized({ ...GTUC, captchaCountriesAction: RuleAction.count() });
    expect(evaluateWebAcl(counting, { country: 'GH' })).toEqual(
      expect.objectContaining({ action: 'ALLOW', countedBy: ['CaptchaCountries'] }),
    );
  });

  test('challenge instead of CAPTCHA for GH answers 202 and still spares OPTIONS', () => {
    const challenged = synthesized({ ...GTUC, captchaCountriesAction: RuleAction.challenge() });
    expect(evaluateWebAcl(challenged, { country: 'GH' })).toEqual(
      expect.objectContaining({ action: 'CHALLENGE', statusCode: 202, terminatingRule: 'CaptchaCountries' }),
    );
    expect(evaluateWebAcl(challenged, { country: 'GH', method: 'OPTIONS' }).action).toEqual('ALLOW');
  });

  test('the defaults block no country', () => {
    const open = synthesized();
    expect(evaluateWebAcl(open, { country: 'NG' }).action).toEqual('ALLOW');
    expect(evaluateWebAcl(open, { country: 'GH' }).action).toEqual('ALLOW');
  });

  test('the priority order is pinned', () => {
    const rules = (
      Object.values(acl.Resources as Record<string, any>).find((r) => r.Type === 'AWS::WAFv2::WebACL').Properties
        .Rules as Array<{ Name: string; Priority: number }>
    ).map((r) => `${r.Priority} ${r.Name}`);
    expect(rules).toEqual([
      '10 DeniedIpAddresses',
      '20 AllowedIpAddresses',
      '25 TagAdmin',
      '26 AdminWritesChallenged',
      '30 BlockedCountries',
      '40 CaptchaCountries',
      '50 RateLimit',
      '60 OversizeBody',
      '100 AWS-AWSManagedRulesCommonRuleSet',
      '110 AWS-AWSManagedRulesKnownBadInputsRuleSet',
      '120 AWS-AWSManagedRulesAmazonIpReputationList',
      '130 AWS-AWSManagedRulesAnonymousIpList',
      '140 AWS-AWSManagedRulesSQLiRuleSet',
      '1000 LargeWriteBodies',
    ]);
  });
});
