import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { evaluateWebAcl, webAclPropertiesOf } from './waf-policy';
import { GeoWebAcl, GeoWebAclProps } from '../../src/waf';

function synthesizedWebAcl(props?: GeoWebAclProps) {
  const stack = new Stack(new App(), 'PolicyStack', { env: { account: '111111111111', region: 'us-east-2' } });
  new GeoWebAcl(stack, 'WebAcl', props);
  return webAclPropertiesOf(Template.fromStack(stack).toJSON());
}

describe('GeoWebAcl policy (synthesized rules evaluated in priority order)', () => {
  const acl = synthesizedWebAcl();

  test('a request from NG is BLOCKED with 403 by BlockedCountries', () => {
    expect(evaluateWebAcl(acl, { country: 'NG', ip: '102.89.0.1' })).toEqual({
      action: 'BLOCK',
      statusCode: 403,
      terminatingRule: 'BlockedCountries',
      customResponseBodyKey: 'forbidden',
      countedBy: [],
    });
  });

  test('a request from NG is BLOCKED even with a CAPTCHA token', () => {
    expect(evaluateWebAcl(acl, { country: 'NG', hasValidToken: true }).action).toEqual('BLOCK');
  });

  test('a request from GH without a token gets a CAPTCHA (405)', () => {
    expect(evaluateWebAcl(acl, { country: 'GH', ip: '154.160.0.1' })).toEqual({
      action: 'CAPTCHA',
      statusCode: 405,
      terminatingRule: 'CaptchaCountries',
      countedBy: [],
    });
  });

  test('a request from GH with a valid token passes to the default ALLOW', () => {
    expect(evaluateWebAcl(acl, { country: 'GH', hasValidToken: true }).terminatingRule).toEqual('Default_Action');
  });

  test('a benign request from US passes the geo rules and ends in the default ALLOW', () => {
    expect(evaluateWebAcl(acl, { country: 'US', ip: '3.3.3.3' })).toEqual({
      action: 'ALLOW',
      statusCode: 200,
      terminatingRule: 'Default_Action',
      countedBy: [],
    });
  });

  test('a US client over the rate limit is BLOCKED with 429', () => {
    expect(evaluateWebAcl(acl, { country: 'US', requestsInWindow: 1001 })).toEqual({
      action: 'BLOCK',
      statusCode: 429,
      terminatingRule: 'RateLimit',
      customResponseBodyKey: 'too-many-requests',
      countedBy: [],
    });
    expect(evaluateWebAcl(acl, { country: 'US', requestsInWindow: 1000 }).action).toEqual('ALLOW');
  });

  test('an NG client over the rate limit is still answered by the geo block (geo runs first)', () => {
    expect(evaluateWebAcl(acl, { country: 'NG', requestsInWindow: 5000 }).terminatingRule).toEqual('BlockedCountries');
  });

  test('a large JSON body (SizeRestrictions_BODY) is only counted; a missing User-Agent is blocked', () => {
    expect(
      evaluateWebAcl(acl, {
        country: 'US',
        managedRuleMatches: [{ group: 'AWSManagedRulesCommonRuleSet', rule: 'SizeRestrictions_BODY' }],
      }),
    ).toEqual({
      action: 'ALLOW',
      statusCode: 200,
      terminatingRule: 'Default_Action',
      countedBy: ['AWSManagedRulesCommonRuleSet:SizeRestrictions_BODY'],
    });
    expect(
      evaluateWebAcl(acl, {
        country: 'US',
        managedRuleMatches: [{ group: 'AWSManagedRulesCommonRuleSet', rule: 'NoUserAgent_HEADER' }],
      }),
    ).toEqual({
      action: 'BLOCK',
      statusCode: 403,
      terminatingRule: 'AWS-AWSManagedRulesCommonRuleSet',
      countedBy: [],
    });
  });

  test('a Log4j probe is blocked by the known bad inputs group', () => {
    expect(
      evaluateWebAcl(acl, {
        country: 'US',
        managedRuleMatches: [{ group: 'AWSManagedRulesKnownBadInputsRuleSet', rule: 'Log4JRCE_HEADER' }],
      }).terminatingRule,
    ).toEqual('AWS-AWSManagedRulesKnownBadInputsRuleSet');
  });

  test('with no geo lists, NG and GH end in the default ALLOW', () => {
    const open = synthesizedWebAcl({ blockedCountries: [], captchaCountries: [] });
    expect(evaluateWebAcl(open, { country: 'NG' }).action).toEqual('ALLOW');
    expect(evaluateWebAcl(open, { country: 'GH' }).action).toEqual('ALLOW');
  });

  test('custom countries: KP blocked, CM CAPTCHAed, NG allowed', () => {
    const custom = synthesizedWebAcl({ blockedCountries: ['KP'], captchaCountries: ['CM'] });
    expect(evaluateWebAcl(custom, { country: 'KP' }).action).toEqual('BLOCK');
    expect(evaluateWebAcl(custom, { country: 'CM' }).action).toEqual('CAPTCHA');
    expect(evaluateWebAcl(custom, { country: 'NG' }).action).toEqual('ALLOW');
  });
});
