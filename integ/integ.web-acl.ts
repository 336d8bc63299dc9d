/**
 * Deploys a GeoWebAcl with every kind of rule (allow and deny lists, geo block and CAPTCHA, rate limit, oversize
 * body, managed groups with a scope-down, custom rules with labels) and checks, live, that the capacity computed at
 * synth from the pinned WCU table equals the deployed web ACL's `Capacity`, and that the web ACL has the rules and
 * the body inspection size asked for.
 */
import { ExpectedResult, IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, Size, Stack } from 'aws-cdk-lib';
import { GeoWebAcl, ManagedRuleGroup, RuleAction, Statement, WafAction } from '../src';

const app = new App();
const stack = new Stack(app, 'PrivateLinkEcsIntegWebAcl');
const acl = new GeoWebAcl(stack, 'WebAcl', {
  webAclName: 'integ-geo-web-acl',
  blockedCountries: ['NG'],
  captchaCountries: ['GH'],
  allowedIpv4Cidrs: ['198.51.100.0/24'],
  deniedIpv6Cidrs: ['2001:db8::/32'],
  bodyInspectionSize: Size.kibibytes(64),
  corsAllowedOrigin: 'https://app.example.com',
  loggedActions: [WafAction.BLOCK, WafAction.CAPTCHA, WafAction.CHALLENGE],
  managedRuleGroups: [
    ...ManagedRuleGroup.defaults(),
    ManagedRuleGroup.anonymousIpList({
      ruleActionOverrides: [{ name: 'HostingProviderIPList', action: WafAction.COUNT }],
    }),
    ManagedRuleGroup.sqlDatabase({ scopeDown: Statement.negate(Statement.methodIs('GET')) }),
  ],
  customRules: [
    {
      name: 'TagAdmin',
      priority: 25,
      statement: Statement.pathStartsWith('/admin'),
      action: RuleAction.count(),
      labels: ['integ:admin'],
    },
    {
      name: 'LargeWriteBodies',
      priority: 1000,
      statement: Statement.allOf(
        Statement.labelMatch('awswaf:managed:aws:core-rule-set:SizeRestrictions_Body'),
        Statement.anyOf(Statement.methodIs('POST'), Statement.methodIs('PUT'), Statement.methodIs('PATCH')),
      ),
      action: RuleAction.block({ statusCode: 413 }),
    },
    {
      name: 'AdminDeletesChallenged',
      priority: 1010,
      statement: Statement.allOf(Statement.labelMatch('integ:admin'), Statement.methodIs('DELETE')),
      action: RuleAction.challenge(),
    },
  ],
});

const integ = new IntegTest(app, 'GeoWebAclTest', {
  testCases: [stack],
  regions: ['us-east-2'],
});

integ.assertions
  // only the compared fields come back (a custom resource's response is limited to 4 KB)
  .awsApiCall('WAFV2', 'getWebACL', { Name: acl.webAclName, Scope: 'REGIONAL', Id: acl.webAclId }, [
    'WebACL.Name',
    'WebACL.Capacity',
    'WebACL.AssociationConfig.RequestBody.API_GATEWAY.DefaultSizeInspectionLimit',
  ])
  .expect(
    ExpectedResult.objectLike({
      WebACL: {
        Name: 'integ-geo-web-acl',
        // the synth-time estimate, from the pinned WCU table (GeoWebAcl.capacity)
        Capacity: acl.capacity,
        AssociationConfig: { RequestBody: { API_GATEWAY: { DefaultSizeInspectionLimit: 'KB_64' } } },
      },
    }),
  );
