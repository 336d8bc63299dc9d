import { App, Duration, Lazy, RemovalPolicy, Size, Stack, Token } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import {
  AntiDdosSensitivity,
  BotControlInspectionLevel,
  GeoWebAcl,
  ManagedRuleGroup,
  RateLimitAggregateKey,
  RuleAction,
  Statement,
  WafAction,
} from '../../src/waf';

function newStack(): Stack {
  const app = new App();
  return new Stack(app, 'TestStack', { env: { account: '111111111111', region: 'us-east-2' } });
}

const notOptions = {
  NotStatement: {
    Statement: {
      ByteMatchStatement: {
        FieldToMatch: { Method: {} },
        SearchString: 'OPTIONS',
        PositionalConstraint: 'EXACTLY',
        TextTransformations: [{ Priority: 0, Type: 'NONE' }],
      },
    },
  },
};

const visibility = (metricName: string) => ({
  CloudWatchMetricsEnabled: true,
  SampledRequestsEnabled: true,
  MetricName: metricName,
});

describe('GeoWebAcl', () => {
  describe('defaults', () => {
    let stack: Stack;
    let acl: GeoWebAcl;
    let template: Template;
    beforeEach(() => {
      // GIVEN
      stack = newStack();
      // WHEN
      acl = new GeoWebAcl(stack, 'WebAcl');
      template = Template.fromStack(stack);
    });

    test('creates a REGIONAL web ACL that allows by default, with metrics, token configs and problem-details bodies', () => {
      // THEN
      template.resourceCountIs('AWS::WAFv2::WebACL', 1);
      template.hasResourceProperties('AWS::WAFv2::WebACL', {
        Name: 'TestStack-WebAcl-55AD384D',
        Scope: 'REGIONAL',
        DefaultAction: { Allow: {} },
        VisibilityConfig: visibility('TestStack-WebAcl-55AD384D'),
        CaptchaConfig: { ImmunityTimeProperty: { ImmunityTime: 300 } },
        ChallengeConfig: { ImmunityTimeProperty: { ImmunityTime: 300 } },
        CustomResponseBodies: {
          'problem-429': {
            ContentType: 'APPLICATION_JSON',
            Content:
              '{"type":"about:blank","title":"Too Many Requests","status":429,"detail":"Too many requests from this client; retry later."}',
          },
          'problem-413': {
            ContentType: 'APPLICATION_JSON',
            Content:
              '{"type":"about:blank","title":"Content Too Large","status":413,"detail":"Request bodies over 16 KB are not accepted."}',
          },
        },
        TokenDomains: Match.absent(),
        AssociationConfig: Match.absent(),
      });
    });

    test('no country is blocked or CAPTCHAed unless named', () => {
      expect(acl.blockRuleName).toBeUndefined();
      expect(acl.captchaRuleName).toBeUndefined();
      expect(JSON.stringify(template.findResources('AWS::WAFv2::WebACL'))).not.toContain('GeoMatchStatement');
    });

    test('rule 50 rate-limits each IP to 1000 requests per 5 minutes with 429', () => {
      template.hasResourceProperties('AWS::WAFv2::WebACL', {
        Rules: Match.arrayWith([
          {
            Name: 'RateLimit',
            Priority: 50,
            Statement: { RateBasedStatement: { Limit: 1000, EvaluationWindowSec: 300, AggregateKeyType: 'IP' } },
            Action: { Block: { CustomResponse: { ResponseCode: 429, CustomResponseBodyKey: 'problem-429' } } },
            VisibilityConfig: visibility('RateLimit'),
          },
        ]),
      });
    });

    test('rule 60 blocks bodies over the 16 KB inspection size with 413 (oversize MATCH)', () => {
      template.hasResourceProperties('AWS::WAFv2::WebACL', {
        Rules: Match.arrayWith([
          {
            Name: 'OversizeBody',
            Priority: 60,
            Statement: {
              SizeConstraintStatement: {
                FieldToMatch: { Body: { OversizeHandling: 'MATCH' } },
                ComparisonOperator: 'GT',
                Size: 16384,
                TextTransformations: [{ Priority: 0, Type: 'NONE' }],
              },
            },
            Action: { Block: { CustomResponse: { ResponseCode: 413, CustomResponseBodyKey: 'problem-413' } } },
            VisibilityConfig: visibility('OversizeBody'),
          },
        ]),
      });
    });

    test('rules 100-120 are the AWS managed groups, the core rule set counting SizeRestrictions_BODY', () => {
      template.hasResourceProperties('AWS::WAFv2::WebACL', {
        Rules: Match.arrayWith([
          {
            Name: 'AWS-AWSManagedRulesCommonRuleSet',
            Priority: 100,
            Statement: {
              ManagedRuleGroupStatement: {
                VendorName: 'AWS',
                Name: 'AWSManagedRulesCommonRuleSet',
                RuleActionOverrides: [{ Name: 'SizeRestrictions_BODY', ActionToUse: { Count: {} } }],
              },
            },
            OverrideAction: { None: {} },
            VisibilityConfig: visibility('AWS-AWSManagedRulesCommonRuleSet'),
          },
          {
            Name: 'AWS-AWSManagedRulesKnownBadInputsRuleSet',
            Priority: 110,
            Statement: {
              ManagedRuleGroupStatement: { VendorName: 'AWS', Name: 'AWSManagedRulesKnownBadInputsRuleSet' },
            },
            OverrideAction: { None: {} },
            VisibilityConfig: visibility('AWS-AWSManagedRulesKnownBadInputsRuleSet'),
          },
          {
            Name: 'AWS-AWSManagedRulesAmazonIpReputationList',
            Priority: 120,
            Statement: {
              ManagedRuleGroupStatement: { VendorName: 'AWS', Name: 'AWSManagedRulesAmazonIpReputationList' },
            },
            OverrideAction: { None: {} },
            VisibilityConfig: visibility('AWS-AWSManagedRulesAmazonIpReputationList'),
          },
        ]),
      });
      const acls = template.findResources('AWS::WAFv2::WebACL');
      const rules = Object.values(acls)[0].Properties.Rules as Array<{ Name: string }>;
      expect(rules).toHaveLength(5);
    });

    test('exposes rule names in priority order and the capacity (928 WCUs)', () => {
      expect(acl.rateRuleName).toEqual('RateLimit');
      expect(acl.managedRuleGroupRuleNames).toEqual([
        'AWS-AWSManagedRulesCommonRuleSet',
        'AWS-AWSManagedRulesKnownBadInputsRuleSet',
        'AWS-AWSManagedRulesAmazonIpReputationList',
      ]);
      expect(acl.ruleNames).toEqual([
        'RateLimit',
        'OversizeBody',
        'AWS-AWSManagedRulesCommonRuleSet',
        'AWS-AWSManagedRulesKnownBadInputsRuleSet',
        'AWS-AWSManagedRulesAmazonIpReputationList',
      ]);
      expect(acl.ruleCapacities).toEqual({
        RateLimit: 2,
        OversizeBody: 1,
        'AWS-AWSManagedRulesCommonRuleSet': 700,
        'AWS-AWSManagedRulesKnownBadInputsRuleSet': 200,
        'AWS-AWSManagedRulesAmazonIpReputationList': 25,
      });
      expect(acl.capacity).toEqual(928);
      expect(acl.metricName).toEqual('TestStack-WebAcl-55AD384D');
      expect(acl.webAclName).toEqual('TestStack-WebAcl-55AD384D');
      expect(stack.resolve(acl.webAclArn)).toEqual({ 'Fn::GetAtt': ['WebAclE76B067C', 'Arn'] });
      expect(stack.resolve(acl.webAclId)).toEqual({ 'Fn::GetAtt': ['WebAclE76B067C', 'Id'] });
      expect(acl.captchaApiKey).toBeUndefined();
      expect(acl.applicationIntegrationUrl).toBeUndefined();
      template.resourceCountIs('Custom::AWS', 0);
      template.resourceCountIs('AWS::WAFv2::IPSet', 0);
    });

    test('logs to a retained aws-waf-logs- log group kept for one year', () => {
      template.hasResource('AWS::Logs::LogGroup', {
        Properties: { LogGroupName: 'aws-waf-logs-TestStack-WebAcl-55AD384D', RetentionInDays: 365 },
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
      });
      expect(acl.logGroup).toBeDefined();
    });

    test('the logging configuration redacts authorization, cookie and x-amz-security-token, logs everything, and its destination has no :*', () => {
      template.hasResourceProperties('AWS::WAFv2::LoggingConfiguration', {
        ResourceArn: { 'Fn::GetAtt': ['WebAclE76B067C', 'Arn'] },
        LogDestinationConfigs: [
          {
            'Fn::Join': [
              '',
              [
                'arn:',
                { Ref: 'AWS::Partition' },
                ':logs:us-east-2:111111111111:log-group:',
                { Ref: Match.stringLikeRegexp('^WebAclLogGroup') },
              ],
            ],
          },
        ],
        RedactedFields: [
          { SingleHeader: { Name: 'authorization' } },
          { SingleHeader: { Name: 'cookie' } },
          { SingleHeader: { Name: 'x-amz-security-token' } },
        ],
        LoggingFilter: Match.absent(),
      });
      const configs = template.findResources('AWS::WAFv2::LoggingConfiguration');
      expect(JSON.stringify(configs)).not.toContain(':*');
    });

    test('adds no warnings', () => {
      Annotations.fromStack(stack).hasNoWarning('*', Match.anyValue());
    });
  });

  describe('custom rules', () => {
    test('uses the given countries, immunity time, rate limit, window, token domains and description', () => {
      // GIVEN
      const stack = newStack();
      // WHEN
      new GeoWebAcl(stack, 'WebAcl', {
        webAclName: 'items-web-acl',
        description: 'Items API',
        blockedCountries: ['NG', 'KP'],
        captchaCountries: ['GH', 'CM'],
        captchaImmunityTime: Duration.hours(1),
        challengeImmunityTime: Duration.minutes(10),
        rateLimit: 200,
        rateLimitWindow: Duration.minutes(1),
        tokenDomains: ['api.example.com'],
      });
      // THEN
      Template.fromStack(stack).hasResourceProperties('AWS::WAFv2::WebACL', {
        Name: 'items-web-acl',
        Description: 'Items API',
        VisibilityConfig: visibility('items-web-acl'),
        CaptchaConfig: { ImmunityTimeProperty: { ImmunityTime: 3600 } },
        ChallengeConfig: { ImmunityTimeProperty: { ImmunityTime: 600 } },
        TokenDomains: ['api.example.com'],
        Rules: Match.arrayWith([
          Match.objectLike({
            Name: 'BlockedCountries',
            Statement: { GeoMatchStatement: { CountryCodes: ['NG', 'KP'] } },
          }),
          Match.objectLike({
            Name: 'CaptchaCountries',
            Statement: {
              AndStatement: {
                Statements: [{ GeoMatchStatement: { CountryCodes: ['GH', 'CM'] } }, notOptions],
              },
            },
          }),
          Match.objectLike({
            Name: 'RateLimit',
            Statement: { RateBasedStatement: { Limit: 200, EvaluationWindowSec: 60, AggregateKeyType: 'IP' } },
          }),
        ]),
      });
    });

    test('skips empty geo lists and the rate rule; drops the unused response body', () => {
      // GIVEN
      const stack = newStack();
      // WHEN
      const acl = new GeoWebAcl(stack, 'WebAcl', {
        blockedCountries: [],
        captchaCountries: [],
        enableRateLimit: false,
        managedRuleGroups: [ManagedRuleGroup.knownBadInputs()],
      });
      // THEN
      const template = Template.fromStack(stack);
      template.hasResourceProperties('AWS::WAFv2::WebACL', {
        Rules: [
          Match.objectLike({ Name: 'OversizeBody', Priority: 60 }),
          Match.objectLike({ Name: 'AWS-AWSManagedRulesKnownBadInputsRuleSet', Priority: 100 }),
        ],
        CustomResponseBodies: { 'problem-413': Match.anyValue(), 'problem-429': Match.absent() },
      });
      expect(acl.blockRuleName).toBeUndefined();
      expect(acl.rateRuleName).toBeUndefined();
    });

    test('FORWARDED_IP aggregation sets the forwarded IP config and warns', () => {
      // GIVEN
      const stack = newStack();
      // WHEN
      new GeoWebAcl(stack, 'WebAcl', {
        rateLimitAggregateKey: RateLimitAggregateKey.FORWARDED_IP,
        forwardedIpHeaderName: 'X-Client-IP',
      });
      // THEN
      Template.fromStack(stack).hasResourceProperties('AWS::WAFv2::WebACL', {
        Rules: Match.arrayWith([
          Match.objectLike({
            Name: 'RateLimit',
            Statement: {
              RateBasedStatement: {
                Limit: 1000,
                EvaluationWindowSec: 300,
                AggregateKeyType: 'FORWARDED_IP',
                ForwardedIPConfig: { HeaderName: 'X-Client-IP', FallbackBehavior: 'MATCH' },
              },
            },
          }),
        ]),
      });
      Annotations.fromStack(stack).hasWarning(
        '/TestStack/WebAcl',
        'The rate limit counts requests by a forwarded-IP header, which clients can forge to evade it. Use it only behind a trusted proxy that sets the header. [ack: @gtuc/cdk-privatelink-ecs:webAclForwardedIpRateLimit]',
      );
    });

    test('managed rule groups with overrides, excluded rules, version, vendor and count mode', () => {
      // GIVEN
      const stack = newStack();
      // WHEN
      new GeoWebAcl(stack, 'WebAcl', {
        managedRuleGroups: [
          ManagedRuleGroup.common({
            version: 'Version_1.12',
            ruleActionOverrides: [
              { name: 'NoUserAgent_HEADER', action: WafAction.COUNT },
              { name: 'CrossSiteScripting_BODY', action: WafAction.CHALLENGE },
            ],
            excludedRules: ['GenericLFI_BODY'],
          }),
          ManagedRuleGroup.of({ vendor: 'ExampleVendor', name: 'BotRules', countOnly: true, capacity: 30 }),
          ManagedRuleGroup.sqlDatabase(),
        ],
      });
      // THEN
      Template.fromStack(stack).hasResourceProperties('AWS::WAFv2::WebACL', {
        Rules: Match.arrayWith([
          {
            Name: 'AWS-AWSManagedRulesCommonRuleSet',
            Priority: 100,
            Statement: {
              ManagedRuleGroupStatement: {
                VendorName: 'AWS',
                Name: 'AWSManagedRulesCommonRuleSet',
                Version: 'Version_1.12',
                ScopeDownStatement: notOptions,
                RuleActionOverrides: [
                  { Name: 'NoUserAgent_HEADER', ActionToUse: { Count: {} } },
                  { Name: 'CrossSiteScripting_BODY', ActionToUse: { Challenge: {} } },
                ],
                ExcludedRules: [{ Name: 'GenericLFI_BODY' }],
              },
            },
            OverrideAction: { None: {} },
            VisibilityConfig: visibility('AWS-AWSManagedRulesCommonRuleSet'),
          },
          {
            Name: 'ExampleVendor-BotRules',
            Priority: 110,
            Statement: { ManagedRuleGroupStatement: { VendorName: 'ExampleVendor', Name: 'BotRules' } },
            OverrideAction: { Count: {} },
            VisibilityConfig: visibility('ExampleVendor-BotRules'),
          },
          {
            Name: 'AWS-AWSManagedRulesSQLiRuleSet',
            Priority: 120,
            Statement: { ManagedRuleGroupStatement: { VendorName: 'AWS', Name: 'AWSManagedRulesSQLiRuleSet' } },
            OverrideAction: { None: {} },
            VisibilityConfig: visibility('AWS-AWSManagedRulesSQLiRuleSet'),
          },
        ]),
      });
    });

    test('ManagedRuleGroup presets', () => {
      expect(ManagedRuleGroup.defaults().map((g) => g.ruleName)).toEqual([
        'AWS-AWSManagedRulesCommonRuleSet',
        'AWS-AWSManagedRulesKnownBadInputsRuleSet',
        'AWS-AWSManagedRulesAmazonIpReputationList',
      ]);
      expect(ManagedRuleGroup.common().ruleActionOverrides).toEqual([
        { name: 'SizeRestrictions_BODY', action: WafAction.COUNT },
      ]);
      expect(ManagedRuleGroup.common({ ruleActionOverrides: [] }).ruleActionOverrides).toEqual([]);
      expect(ManagedRuleGroup.anonymousIpList().name).toEqual('AWSManagedRulesAnonymousIpList');
      expect(ManagedRuleGroup.amazonIpReputationList().vendor).toEqual('AWS');
    });

    test('warns when no rule would ever block', () => {
      // GIVEN
      const stack = newStack();
      // WHEN
      new GeoWebAcl(stack, 'WebAcl', {
        enableRateLimit: false,
        oversizeBodyAction: RuleAction.count(),
        managedRuleGroups: [ManagedRuleGroup.common({ countOnly: true })],
      });
      // THEN
      Annotations.fromStack(stack).hasWarning(
        '/TestStack/WebAcl',
        'No rule of the web ACL would ever block a request (no blocked or CAPTCHA countries, no rate limit, no managed rule groups, or all of them counting): it allows every request. [ack: @gtuc/cdk-privatelink-ecs:webAclNoRules]',
      );
    });

    test('skips validation of unresolved tokens', () => {
      // GIVEN
      const stack = newStack();
      // WHEN / THEN
      expect(
        () =>
          new GeoWebAcl(stack, 'WebAcl', {
            blockedCountries: Token.asList(Lazy.list({ produce: () => ['NG'] })),
            captchaCountries: [Lazy.string({ produce: () => 'gh' })],
            rateLimit: Token.asNumber(Lazy.number({ produce: () => 5 })),
            webAclName: Lazy.string({ produce: () => 'lazy name' }),
          }),
      ).not.toThrow();
    });
  });

  describe('actions, IP lists, inspection size, CORS, custom rules', () => {
    test('allow and deny lists: IP sets per version, OR-ed with existing sets, at priorities 10 and 20', () => {
      // GIVEN
      const stack = newStack();
      const partners = 'arn:aws:wafv2:us-east-2:111111111111:regional/ipset/partners/0123';
      // WHEN
      const acl = new GeoWebAcl(stack, 'WebAcl', {
        allowedIpv4Cidrs: ['198.51.100.0/24'],
        allowedIpSetArns: [partners],
        deniedIpv6Cidrs: ['2001:db8::/32'],
      });
      // THEN
      const template = Template.fromStack(stack);
      template.hasResourceProperties('AWS::WAFv2::IPSet', {
        Scope: 'REGIONAL',
        IPAddressVersion: 'IPV4',
        Addresses: ['198.51.100.0/24'],
        Description: 'Allowed IPv4 addresses of TestStack/WebAcl',
      });
      template.hasResourceProperties('AWS::WAFv2::IPSet', {
        Scope: 'REGIONAL',
        IPAddressVersion: 'IPV6',
        Addresses: ['2001:db8::/32'],
      });
      template.hasResourceProperties('AWS::WAFv2::WebACL', {
        Rules: Match.arrayWith([
          {
            Name: 'DeniedIpAddresses',
            Priority: 10,
            Statement: { IPSetReferenceStatement: { Arn: { 'Fn::GetAtt': ['WebAclDeniedIpv671BB3EE9', 'Arn'] } } },
            Action: { Block: { CustomResponse: { ResponseCode: 403, CustomResponseBodyKey: 'problem-403' } } },
            VisibilityConfig: visibility('DeniedIpAddresses'),
          },
          {
            Name: 'AllowedIpAddresses',
            Priority: 20,
            Statement: {
              OrStatement: {
                Statements: [
                  { IPSetReferenceStatement: { Arn: { 'Fn::GetAtt': ['WebAclAllowedIpv4532EBF9C', 'Arn'] } } },
                  { IPSetReferenceStatement: { Arn: partners } },
                ],
              },
            },
            Action: { Allow: {} },
            VisibilityConfig: visibility('AllowedIpAddresses'),
          },
        ]),
      });
      expect(acl.ipSets).toHaveLength(2);
    });

    test('an empty allow list (the example default) adds no IP set and no rule', () => {
      const stack = newStack();
      const acl = new GeoWebAcl(stack, 'WebAcl', { allowedIpv4Cidrs: [] });
      Template.fromStack(stack).resourceCountIs('AWS::WAFv2::IPSet', 0);
      expect(acl.ruleNames).not.toContain('AllowedIpAddresses');
    });

    test('per-rule actions: geo block counted, CAPTCHA with its immunity time, rate limit challenged without OPTIONS', () => {
      // GIVEN
      const stack = newStack();
      // WHEN
      new GeoWebAcl(stack, 'WebAcl', {
        blockedCountries: ['NG'],
        blockedCountriesAction: RuleAction.count(),
        captchaCountries: ['GH'],
        captchaCountriesAction: RuleAction.captcha({ immunityTime: Duration.hours(2) }),
        rateLimitAction: RuleAction.challenge({ immunityTime: Duration.minutes(10) }),
      });
      // THEN
      Template.fromStack(stack).hasResourceProperties('AWS::WAFv2::WebACL', {
        Rules: Match.arrayWith([
          Match.objectLike({ Name: 'BlockedCountries', Action: { Count: {} } }),
          Match.objectLike({
            Name: 'CaptchaCountries',
            Action: { Captcha: {} },
            CaptchaConfig: { ImmunityTimeProperty: { ImmunityTime: 7200 } },
          }),
          Match.objectLike({
            Name: 'RateLimit',
            Action: { Challenge: {} },
            ChallengeConfig: { ImmunityTimeProperty: { ImmunityTime: 600 } },
            Statement: {
              RateBasedStatement: {
                Limit: 1000,
                EvaluationWindowSec: 300,
                AggregateKeyType: 'IP',
                ScopeDownStatement: notOptions,
              },
            },
          }),
        ]),
      });
    });

    test('64 KiB body inspection sets AssociationConfig and the oversize rule; a custom oversize action', () => {
      const stack = newStack();
      new GeoWebAcl(stack, 'WebAcl', {
        bodyInspectionSize: Size.kibibytes(64),
        oversizeBodyAction: RuleAction.block({ statusCode: 413, problemType: 'https://errors.example.com/too-large' }),
      });
      Template.fromStack(stack).hasResourceProperties('AWS::WAFv2::WebACL', {
        AssociationConfig: { RequestBody: { API_GATEWAY: { DefaultSizeInspectionLimit: 'KB_64' } } },
        CustomResponseBodies: Match.objectLike({
          'problem-413': {
            ContentType: 'APPLICATION_JSON',
            Content:
              '{"type":"https://errors.example.com/too-large","title":"Content Too Large","status":413,"detail":"The web application firewall blocked this request."}',
          },
        }),
        Rules: Match.arrayWith([
          Match.objectLike({
            Name: 'OversizeBody',
            Statement: { SizeConstraintStatement: Match.objectLike({ Size: 65536 }) },
          }),
        ]),
      });
    });

    test('one allowed origin puts static CORS headers on every block response', () => {
      const stack = newStack();
      new GeoWebAcl(stack, 'WebAcl', { blockedCountries: ['NG'], corsAllowedOrigin: 'https://app.example.com' });
      const cors = [
        { Name: 'Access-Control-Allow-Origin', Value: 'https://app.example.com' },
        { Name: 'Vary', Value: 'Origin' },
      ];
      Template.fromStack(stack).hasResourceProperties('AWS::WAFv2::WebACL', {
        Rules: Match.arrayWith([
          Match.objectLike({
            Name: 'BlockedCountries',
            Action: {
              Block: {
                CustomResponse: { ResponseCode: 403, CustomResponseBodyKey: 'problem-403', ResponseHeaders: cors },
              },
            },
          }),
          Match.objectLike({
            Name: 'RateLimit',
            Action: {
              Block: {
                CustomResponse: { ResponseCode: 429, CustomResponseBodyKey: 'problem-429', ResponseHeaders: cors },
              },
            },
          }),
        ]),
      });
    });

    test('custom rules: labels, metrics off, CAPTCHA spared for OPTIONS, at their priorities', () => {
      // GIVEN
      const stack = newStack();
      // WHEN
      const acl = new GeoWebAcl(stack, 'WebAcl', {
        customRules: [
          {
            name: 'TagExports',
            priority: 55,
            statement: Statement.pathStartsWith('/exports'),
            action: RuleAction.count(),
            labels: ['gtuc:exports'],
            enableMetrics: false,
          },
          {
            name: 'CaptchaExports',
            priority: 1000,
            statement: Statement.labelMatch('gtuc:exports'),
            action: RuleAction.captcha(),
          },
        ],
      });
      // THEN
      Template.fromStack(stack).hasResourceProperties('AWS::WAFv2::WebACL', {
        Rules: Match.arrayWith([
          {
            Name: 'TagExports',
            Priority: 55,
            Statement: {
              ByteMatchStatement: {
                FieldToMatch: { UriPath: {} },
                SearchString: '/exports',
                PositionalConstraint: 'STARTS_WITH',
                TextTransformations: [{ Priority: 0, Type: 'NONE' }],
              },
            },
            Action: { Count: {} },
            RuleLabels: [{ Name: 'gtuc:exports' }],
            VisibilityConfig: {
              CloudWatchMetricsEnabled: false,
              SampledRequestsEnabled: false,
              MetricName: 'TagExports',
            },
          },
          {
            Name: 'CaptchaExports',
            Priority: 1000,
            Statement: {
              AndStatement: {
                Statements: [{ LabelMatchStatement: { Key: 'gtuc:exports', Scope: 'LABEL' } }, notOptions],
              },
            },
            Action: { Captcha: {} },
            VisibilityConfig: visibility('CaptchaExports'),
          },
        ]),
      });
      expect(acl.ruleNames.slice(0, 3)).toEqual(['RateLimit', 'TagExports', 'OversizeBody']);
      expect(acl.ruleCapacities.CaptchaExports).toBe(3);
    });

    test('the typed catalogue: Linux, Bot Control (targeted, scoped to skip OPTIONS), anti-DDoS, scope-downs', () => {
      // GIVEN
      const stack = newStack();
      // WHEN
      const acl = new GeoWebAcl(stack, 'WebAcl', {
        managedRuleGroups: [
          ManagedRuleGroup.linux({ scopeDown: Statement.pathStartsWith('/files') }),
          ManagedRuleGroup.botControl({ inspectionLevel: BotControlInspectionLevel.TARGETED }),
          ManagedRuleGroup.antiDdos({ sensitivityToBlock: AntiDdosSensitivity.MEDIUM }),
        ],
      });
      // THEN
      Template.fromStack(stack).hasResourceProperties('AWS::WAFv2::WebACL', {
        Rules: Match.arrayWith([
          Match.objectLike({
            Name: 'AWS-AWSManagedRulesLinuxRuleSet',
            Statement: {
              ManagedRuleGroupStatement: {
                VendorName: 'AWS',
                Name: 'AWSManagedRulesLinuxRuleSet',
                ScopeDownStatement: {
                  ByteMatchStatement: Match.objectLike({ SearchString: '/files', PositionalConstraint: 'STARTS_WITH' }),
                },
              },
            },
          }),
          Match.objectLike({
            Name: 'AWS-AWSManagedRulesBotControlRuleSet',
            Statement: {
              ManagedRuleGroupStatement: {
                VendorName: 'AWS',
                Name: 'AWSManagedRulesBotControlRuleSet',
                ManagedRuleGroupConfigs: [{ AWSManagedRulesBotControlRuleSet: { InspectionLevel: 'TARGETED' } }],
                ScopeDownStatement: notOptions,
              },
            },
          }),
          Match.objectLike({
            Name: 'AWS-AWSManagedRulesAntiDDoSRuleSet',
            Statement: {
              ManagedRuleGroupStatement: {
                VendorName: 'AWS',
                Name: 'AWSManagedRulesAntiDDoSRuleSet',
                ManagedRuleGroupConfigs: [
                  {
                    AWSManagedRulesAntiDDoSRuleSet: {
                      SensitivityToBlock: 'MEDIUM',
                      ClientSideActionConfig: { Challenge: { UsageOfAction: 'DISABLED' } },
                    },
                  },
                ],
              },
            },
          }),
        ]),
      });
      expect(acl.ruleCapacities).toEqual(
        expect.objectContaining({
          'AWS-AWSManagedRulesLinuxRuleSet': 202,
          'AWS-AWSManagedRulesBotControlRuleSet': 52,
          'AWS-AWSManagedRulesAntiDDoSRuleSet': 50,
        }),
      );
    });

    test('the logging filter keeps only the named actions', () => {
      const stack = newStack();
      new GeoWebAcl(stack, 'WebAcl', { loggedActions: [WafAction.BLOCK, WafAction.CAPTCHA, WafAction.CHALLENGE] });
      Template.fromStack(stack).hasResourceProperties('AWS::WAFv2::LoggingConfiguration', {
        LoggingFilter: {
          DefaultBehavior: 'DROP',
          Filters: [
            {
              Behavior: 'KEEP',
              Requirement: 'MEETS_ANY',
              Conditions: [
                { ActionCondition: { Action: 'BLOCK' } },
                { ActionCondition: { Action: 'CAPTCHA' } },
                { ActionCondition: { Action: 'CHALLENGE' } },
              ],
            },
          ],
        },
      });
    });

    test('an API key alone reads no integration URL', () => {
      const stack = newStack();
      const acl = new GeoWebAcl(stack, 'WebAcl', { captchaApiKeyDomains: ['app.example.com'] });
      Template.fromStack(stack).resourceCountIs('Custom::AWS', 1);
      expect(acl.captchaApiKey).toBeDefined();
      expect(acl.applicationIntegrationUrl).toBeUndefined();
    });

    test('CAPTCHA API key and integration URL through custom resources with scoped IAM', () => {
      // GIVEN
      const stack = newStack();
      // WHEN
      const acl = new GeoWebAcl(stack, 'WebAcl', {
        webAclName: 'items',
        captchaCountries: ['GH'],
        tokenDomains: ['app.example.com'],
        captchaApiKeyDomains: ['app.example.com'],
        enableApplicationIntegrationUrl: true,
      });
      // THEN
      const template = Template.fromStack(stack);
      const [apiKey] = Object.values(
        template.findResources('Custom::AWS', { Properties: { Create: Match.anyValue() } }),
      );
      const create = JSON.parse(apiKey.Properties.Create);
      expect(create).toEqual({
        service: 'WAFV2',
        action: 'CreateAPIKey',
        parameters: { Scope: 'REGIONAL', TokenDomains: ['app.example.com'] },
        physicalResourceId: { responsePath: 'APIKey' },
      });
      expect(JSON.parse(apiKey.Properties.Delete)).toEqual({
        service: 'WAFV2',
        action: 'DeleteAPIKey',
        parameters: { Scope: 'REGIONAL', APIKey: 'PHYSICAL:RESOURCEID:' },
      });
      template.hasResourceProperties('AWS::IAM::Policy', {
        PolicyDocument: {
          Statement: [{ Action: ['wafv2:CreateAPIKey', 'wafv2:DeleteAPIKey'], Effect: 'Allow', Resource: '*' }],
        },
      });
      template.hasResourceProperties('AWS::IAM::Policy', {
        PolicyDocument: {
          Statement: [
            { Action: 'wafv2:GetWebACL', Effect: 'Allow', Resource: { 'Fn::GetAtt': ['WebAclE76B067C', 'Arn'] } },
          ],
        },
      });
      expect(stack.resolve(acl.captchaApiKey)).toEqual({ 'Fn::GetAtt': ['WebAclCaptchaApiKey8DB11CDA', 'APIKey'] });
      expect(stack.resolve(acl.applicationIntegrationUrl)).toEqual({
        'Fn::GetAtt': ['WebAclIntegrationUrl76A6A8E5', 'ApplicationIntegrationURL'],
      });
      const integration = template.findResources('Custom::AWS').WebAclIntegrationUrl76A6A8E5;
      expect(integration.Properties.Update).toEqual({
        'Fn::Join': [
          '',
          [
            '{"service":"WAFV2","action":"GetWebACL","parameters":{"Name":"items","Scope":"REGIONAL","Id":"',
            { 'Fn::GetAtt': ['WebAclE76B067C', 'Id'] },
            '"},"physicalResourceId":{"id":"items-integration-url"},"outputPaths":["ApplicationIntegrationURL"]}',
          ],
        ],
      });
    });
  });

  describe('logging', () => {
    test('uses the given log group name, retention and removal policy', () => {
      // GIVEN
      const stack = newStack();
      // WHEN
      new GeoWebAcl(stack, 'WebAcl', {
        logGroupName: 'aws-waf-logs-items',
        logRetention: logs.RetentionDays.THREE_MONTHS,
        logRemovalPolicy: RemovalPolicy.DESTROY,
        redactedHeaders: ['authorization', 'x-api-key'],
      });
      // THEN
      const template = Template.fromStack(stack);
      template.hasResource('AWS::Logs::LogGroup', {
        Properties: { LogGroupName: 'aws-waf-logs-items', RetentionInDays: 90 },
        DeletionPolicy: 'Delete',
      });
      template.hasResourceProperties('AWS::WAFv2::LoggingConfiguration', {
        RedactedFields: [{ SingleHeader: { Name: 'authorization' } }, { SingleHeader: { Name: 'x-api-key' } }],
      });
    });

    test('logs to an existing log group by name, with an ARN without :*', () => {
      // GIVEN
      const stack = newStack();
      const logGroup = logs.LogGroup.fromLogGroupName(stack, 'Existing', 'aws-waf-logs-shared');
      // WHEN
      const acl = new GeoWebAcl(stack, 'WebAcl', { logGroup });
      // THEN
      const template = Template.fromStack(stack);
      template.resourceCountIs('AWS::Logs::LogGroup', 0);
      template.hasResourceProperties('AWS::WAFv2::LoggingConfiguration', {
        LogDestinationConfigs: [
          {
            'Fn::Join': [
              '',
              ['arn:', { Ref: 'AWS::Partition' }, ':logs:us-east-2:111111111111:log-group:aws-waf-logs-shared'],
            ],
          },
        ],
      });
      expect(acl.logGroup).toBe(logGroup);
    });

    test('logs to an existing log group in another account by ARN', () => {
      // GIVEN
      const stack = newStack();
      const logGroup = logs.LogGroup.fromLogGroupArn(
        stack,
        'Existing',
        'arn:aws:logs:us-east-2:222222222222:log-group:aws-waf-logs-central:*',
      );
      // WHEN
      new GeoWebAcl(stack, 'WebAcl', { logGroup });
      // THEN
      Template.fromStack(stack).hasResourceProperties('AWS::WAFv2::LoggingConfiguration', {
        LogDestinationConfigs: [
          {
            'Fn::Join': [
              '',
              ['arn:', { Ref: 'AWS::Partition' }, ':logs:us-east-2:222222222222:log-group:aws-waf-logs-central'],
            ],
          },
        ],
      });
    });

    test('accepts a log group defined in the app with an aws-waf-logs- name', () => {
      // GIVEN
      const stack = newStack();
      const logGroup = new logs.LogGroup(stack, 'Logs', { logGroupName: 'aws-waf-logs-mine' });
      // WHEN / THEN
      expect(() => new GeoWebAcl(stack, 'WebAcl', { logGroup })).not.toThrow();
    });

    test('enableLogging: false creates no log group or logging configuration, and warns', () => {
      // GIVEN
      const stack = newStack();
      // WHEN
      const acl = new GeoWebAcl(stack, 'WebAcl', { enableLogging: false });
      // THEN
      const template = Template.fromStack(stack);
      template.resourceCountIs('AWS::Logs::LogGroup', 0);
      template.resourceCountIs('AWS::WAFv2::LoggingConfiguration', 0);
      expect(acl.logGroup).toBeUndefined();
      expect(acl.loggingConfiguration).toBeUndefined();
      Annotations.fromStack(stack).hasWarning(
        '/TestStack/WebAcl',
        'WAF logging is disabled: blocked and CAPTCHA-challenged requests leave no trace beyond sampled requests and metrics. [ack: @gtuc/cdk-privatelink-ecs:webAclLoggingDisabled]',
      );
    });
  });

  describe('association', () => {
    test('associates with a REST API stage by ARN', () => {
      // GIVEN
      const stack = newStack();
      const api = new apigateway.RestApi(stack, 'Api');
      api.root.addMethod('GET', new apigateway.MockIntegration());
      const acl = new GeoWebAcl(stack, 'WebAcl');
      // WHEN
      acl.associateRestApiStage(api.deploymentStage);
      // THEN
      Template.fromStack(stack).hasResource('AWS::WAFv2::WebACLAssociation', {
        Properties: {
          WebACLArn: { 'Fn::GetAtt': ['WebAclE76B067C', 'Arn'] },
          ResourceArn: {
            'Fn::Join': [
              '',
              [
                'arn:',
                { Ref: 'AWS::Partition' },
                ':apigateway:us-east-2::/restapis/',
                { Ref: Match.stringLikeRegexp('^Api') },
                '/stages/',
                { Ref: Match.stringLikeRegexp('^ApiDeploymentStageprod') },
              ],
            ],
          },
        },
        DependsOn: Match.arrayWith([Match.stringLikeRegexp('^ApiDeploymentStageprod')]),
      });
    });

    test('restApiStageArn builds arn:<partition>:apigateway:<region>::/restapis/<id>/stages/<name>', () => {
      // GIVEN
      const stack = newStack();
      const api = apigateway.RestApi.fromRestApiAttributes(stack, 'Api', { restApiId: 'abc123', rootResourceId: 'r' });
      const stage = apigateway.Stage.fromStageAttributes(stack, 'Stage', { restApi: api, stageName: 'prod' });
      // WHEN
      const arn = stack.resolve(GeoWebAcl.restApiStageArn(stage));
      // THEN
      expect(arn).toEqual({
        'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':apigateway:us-east-2::/restapis/abc123/stages/prod']],
      });
    });

    test('associate() numbers associations unless an id is given', () => {
      // GIVEN
      const stack = newStack();
      const acl = new GeoWebAcl(stack, 'WebAcl');
      // WHEN
      const first = acl.associate('arn:aws:elasticloadbalancing:us-east-2:111111111111:loadbalancer/app/a/1');
      const second = acl.associate('arn:aws:elasticloadbalancing:us-east-2:111111111111:loadbalancer/app/b/2');
      const named = acl.associate('arn:aws:apigateway:us-east-2::/restapis/x/stages/y', 'Items');
      // THEN
      expect([first.node.id, second.node.id, named.node.id]).toEqual(['Association', 'Association2', 'Items']);
      Template.fromStack(stack).hasResourceProperties('AWS::WAFv2::WebACLAssociation', {
        ResourceArn: 'arn:aws:apigateway:us-east-2::/restapis/x/stages/y',
        WebACLArn: { 'Fn::GetAtt': ['WebAclE76B067C', 'Arn'] },
      });
    });
  });

  describe('metrics', () => {
    test('metric helpers use AWS/WAFV2, Sum and the WebACL, Region and Rule dimensions', () => {
      // GIVEN
      const stack = newStack();
      const acl = new GeoWebAcl(stack, 'WebAcl', {
        webAclName: 'items',
        blockedCountries: ['NG'],
        captchaCountries: ['GH'],
      });
      // WHEN
      const blocked = acl.metricBlockedRequests(acl.blockRuleName);
      const allowed = acl.metricAllowedRequests();
      const captcha = acl.metricCaptchaRequests(acl.captchaRuleName);
      const counted = acl.metricCountedRequests();
      // THEN
      expect(blocked.namespace).toEqual('AWS/WAFV2');
      expect(blocked.metricName).toEqual('BlockedRequests');
      expect(blocked.statistic).toEqual('Sum');
      expect(blocked.period.toSeconds()).toEqual(300);
      expect(blocked.dimensions).toEqual({ WebACL: 'items', Region: 'us-east-2', Rule: 'BlockedCountries' });
      expect(allowed.metricName).toEqual('AllowedRequests');
      expect(allowed.dimensions).toEqual({ WebACL: 'items', Region: 'us-east-2', Rule: 'ALL' });
      expect(captcha.metricName).toEqual('CaptchaRequests');
      expect(captcha.dimensions).toEqual({ WebACL: 'items', Region: 'us-east-2', Rule: 'CaptchaCountries' });
      expect(counted.metricName).toEqual('CountedRequests');
      expect(counted.dimensions).toEqual({ WebACL: 'items', Region: 'us-east-2', Rule: 'ALL' });
      expect(acl.metricBlockedRequests(undefined, { period: Duration.minutes(1) }).period.toSeconds()).toEqual(60);
    });
  });

  describe('validation', () => {
    const cases: Array<[string, () => void, string]> = [
      [
        'unknown country code',
        () => new GeoWebAcl(newStack(), 'WebAcl', { blockedCountries: ['XX'] }),
        "`blockedCountries` must contain ISO 3166-1 alpha-2 country codes such as 'NG' or 'GH', got: 'XX'.",
      ],
      [
        'country name instead of code',
        () => new GeoWebAcl(newStack(), 'WebAcl', { captchaCountries: ['Ghana'] }),
        "`captchaCountries` must contain ISO 3166-1 alpha-2 country codes such as 'NG' or 'GH', got: 'Ghana'.",
      ],
      [
        'lower-case country code',
        () => new GeoWebAcl(newStack(), 'WebAcl', { blockedCountries: ['ng'] }),
        "`blockedCountries` must contain upper-case ISO 3166-1 alpha-2 country codes (use 'NG'), got: 'ng'.",
      ],
      [
        'duplicate country code',
        () => new GeoWebAcl(newStack(), 'WebAcl', { blockedCountries: ['NG', 'NG'] }),
        "`blockedCountries` must not contain duplicates, got: 'NG' twice.",
      ],
      [
        'country both blocked and CAPTCHAed',
        () => new GeoWebAcl(newStack(), 'WebAcl', { blockedCountries: ['NG'], captchaCountries: ['GH', 'NG'] }),
        "`captchaCountries` must not contain countries that are also in `blockedCountries` (the block rule runs first), got: 'NG'.",
      ],
      [
        'immunity time too short',
        () => new GeoWebAcl(newStack(), 'WebAcl', { captchaImmunityTime: Duration.seconds(30) }),
        '`captchaImmunityTime` must be a whole number of seconds between 60 and 259200 (3 days), got: 30 seconds.',
      ],
      [
        'immunity time too long',
        () => new GeoWebAcl(newStack(), 'WebAcl', { captchaImmunityTime: Duration.days(4) }),
        '`captchaImmunityTime` must be a whole number of seconds between 60 and 259200 (3 days), got: 345600 seconds.',
      ],
      [
        'immunity time with milliseconds',
        () => new GeoWebAcl(newStack(), 'WebAcl', { captchaImmunityTime: Duration.millis(60500) }),
        '`captchaImmunityTime` must be a whole number of seconds between 60 and 259200 (3 days), got: 60.5 seconds.',
      ],
      [
        'rate limit below 10',
        () => new GeoWebAcl(newStack(), 'WebAcl', { rateLimit: 5 }),
        '`rateLimit` must be an integer between 10 and 2000000000, got: 5.',
      ],
      [
        'rate limit above 2,000,000,000',
        () => new GeoWebAcl(newStack(), 'WebAcl', { rateLimit: 2_000_000_001 }),
        '`rateLimit` must be an integer between 10 and 2000000000, got: 2000000001.',
      ],
      [
        'fractional rate limit',
        () => new GeoWebAcl(newStack(), 'WebAcl', { rateLimit: 10.5 }),
        '`rateLimit` must be an integer between 10 and 2000000000, got: 10.5.',
      ],
      [
        'unsupported window',
        () => new GeoWebAcl(newStack(), 'WebAcl', { rateLimitWindow: Duration.seconds(90) }),
        '`rateLimitWindow` must be 60, 120, 300 or 600 seconds, got: 90 seconds.',
      ],
      [
        'empty managed rule group name',
        () =>
          new GeoWebAcl(newStack(), 'WebAcl', {
            managedRuleGroups: [ManagedRuleGroup.common(), ManagedRuleGroup.of({ name: '' })],
          }),
        "`managedRuleGroups[1].name` must not be empty, got: ''.",
      ],
      [
        'empty managed rule group vendor',
        () =>
          new GeoWebAcl(newStack(), 'WebAcl', { managedRuleGroups: [ManagedRuleGroup.of({ name: 'X', vendor: ' ' })] }),
        "`managedRuleGroups[0].vendor` must not be empty, got: ' '.",
      ],
      [
        'duplicate managed rule group',
        () =>
          new GeoWebAcl(newStack(), 'WebAcl', {
            managedRuleGroups: [
              ManagedRuleGroup.common(),
              ManagedRuleGroup.of({ name: 'AWSManagedRulesCommonRuleSet', countOnly: true }),
            ],
          }),
        "`managedRuleGroups` must not contain the same group twice, got: 'AWS/AWSManagedRulesCommonRuleSet' twice.",
      ],
      [
        'invalid web ACL name',
        () => new GeoWebAcl(newStack(), 'WebAcl', { webAclName: 'items web acl' }),
        "`webAclName` must be 1 to 128 characters from A-Z, a-z, 0-9, hyphen and underscore, got: 'items web acl'.",
      ],
      [
        'log group name without the prefix',
        () => new GeoWebAcl(newStack(), 'WebAcl', { logGroupName: 'items-waf' }),
        "`logGroupName` must start with 'aws-waf-logs-', got: 'items-waf'.",
      ],
      [
        'existing log group without the prefix',
        () => {
          const stack = newStack();
          new GeoWebAcl(stack, 'WebAcl', { logGroup: logs.LogGroup.fromLogGroupName(stack, 'L', 'my-logs') });
        },
        "`logGroup` must have a name that starts with 'aws-waf-logs-', got: 'my-logs'.",
      ],
      [
        'log group in the app without the prefix',
        () => {
          const stack = newStack();
          new GeoWebAcl(stack, 'WebAcl', { logGroup: new logs.LogGroup(stack, 'L', { logGroupName: 'my-logs' }) });
        },
        "`logGroup` must have a name that starts with 'aws-waf-logs-', got: 'my-logs'.",
      ],
      [
        'log group in the app without a name',
        () => {
          const stack = newStack();
          new GeoWebAcl(stack, 'WebAcl', { logGroup: new logs.LogGroup(stack, 'L') });
        },
        "`logGroup` must have a name that starts with 'aws-waf-logs-', got: a log group without `logGroupName` (CloudFormation would generate one).",
      ],
      [
        'logGroup with enableLogging: false',
        () => {
          const stack = newStack();
          new GeoWebAcl(stack, 'WebAcl', {
            enableLogging: false,
            logGroup: logs.LogGroup.fromLogGroupName(stack, 'L', 'aws-waf-logs-x'),
          });
        },
        '`logGroup` must not be set when `enableLogging` is false, got: a log group.',
      ],
      [
        'logGroup with own log group props',
        () => {
          const stack = newStack();
          new GeoWebAcl(stack, 'WebAcl', {
            logGroup: logs.LogGroup.fromLogGroupName(stack, 'L', 'aws-waf-logs-x'),
            logRetention: logs.RetentionDays.ONE_WEEK,
            logRemovalPolicy: RemovalPolicy.DESTROY,
          });
        },
        'You must specify either `logGroup` or `logRetention`, `logRemovalPolicy`, not both.',
      ],
      [
        'logGroup with logEncryptionKey',
        () => {
          const stack = newStack();
          new GeoWebAcl(stack, 'WebAcl', {
            logGroup: logs.LogGroup.fromLogGroupName(stack, 'L', 'aws-waf-logs-x'),
            logEncryptionKey: new kms.Key(stack, 'K'),
          });
        },
        'You must specify either `logGroup` or `logEncryptionKey`, not both.',
      ],
      [
        'country both blocked and CAPTCHAed (naming both props)',
        () => new GeoWebAcl(newStack(), 'WebAcl', { blockedCountries: ['GH'], captchaCountries: ['GH'] }),
        "`captchaCountries` must not contain countries that are also in `blockedCountries` (the block rule runs first), got: 'GH'.",
      ],
      [
        'a CIDR that is not one',
        () => new GeoWebAcl(newStack(), 'WebAcl', { allowedIpv4Cidrs: ['198.51.100.0'] }),
        "`allowedIpv4Cidrs` must contain CIDR blocks such as '203.0.113.0/24' (prefix /1 to /32), got: '198.51.100.0'.",
      ],
      [
        'an IPv4 CIDR with a bad octet',
        () => new GeoWebAcl(newStack(), 'WebAcl', { deniedIpv4Cidrs: ['300.1.1.0/24'] }),
        "`deniedIpv4Cidrs` must contain CIDR blocks such as '203.0.113.0/24' (prefix /1 to /32), got: '300.1.1.0/24'.",
      ],
      [
        'a /0 prefix',
        () => new GeoWebAcl(newStack(), 'WebAcl', { deniedIpv4Cidrs: ['0.0.0.0/0'] }),
        "`deniedIpv4Cidrs` must contain CIDR blocks such as '203.0.113.0/24' (prefix /1 to /32), got: '0.0.0.0/0'.",
      ],
      [
        'an IPv6 CIDR in an IPv4 set',
        () => new GeoWebAcl(newStack(), 'WebAcl', { allowedIpv4Cidrs: ['2001:db8::/32'] }),
        "`allowedIpv4Cidrs` must contain IPv4 CIDR blocks only (put '2001:db8::/32' in `allowedIpv6Cidrs`), got: '2001:db8::/32'.",
      ],
      [
        'an IPv4 CIDR in an IPv6 set',
        () => new GeoWebAcl(newStack(), 'WebAcl', { deniedIpv6Cidrs: ['192.0.2.0/24'] }),
        "`deniedIpv6Cidrs` must contain IPv6 CIDR blocks only (put '192.0.2.0/24' in `deniedIpv4Cidrs`), got: '192.0.2.0/24'.",
      ],
      [
        'an IP set ARN that is not one',
        () =>
          new GeoWebAcl(newStack(), 'WebAcl', {
            allowedIpSetArns: ['arn:aws:wafv2:us-east-2:111111111111:global/ipset/x/y'],
          }),
        "`allowedIpSetArns` must contain ARNs of REGIONAL WAFv2 IP sets, got: 'arn:aws:wafv2:us-east-2:111111111111:global/ipset/x/y'.",
      ],
      [
        'a challenge immunity time out of range',
        () => new GeoWebAcl(newStack(), 'WebAcl', { challengeImmunityTime: Duration.seconds(59) }),
        '`challengeImmunityTime` must be a whole number of seconds between 60 and 259200 (3 days), got: 59 seconds.',
      ],
      [
        "a rule's CAPTCHA immunity time out of range",
        () => RuleAction.captcha({ immunityTime: Duration.days(4) }),
        '`RuleAction.captcha()` immunity time must be a whole number of seconds between 60 and 259200 (3 days), got: 345600 seconds.',
      ],
      [
        "a rule's challenge immunity time out of range",
        () => RuleAction.challenge({ immunityTime: Duration.seconds(10) }),
        '`RuleAction.challenge()` immunity time must be a whole number of seconds between 60 and 259200 (3 days), got: 10 seconds.',
      ],
      [
        'a block status out of range',
        () => RuleAction.block({ statusCode: 600 }),
        '`RuleAction.block()` `statusCode` must be an integer between 200 and 599, got: 600.',
      ],
      [
        'an inspection size not in 16/32/48/64 KiB',
        () => new GeoWebAcl(newStack(), 'WebAcl', { bodyInspectionSize: Size.kibibytes(20) }),
        '`bodyInspectionSize` must be 16, 32, 48 or 64 KiB, got: 20 KiB.',
      ],
      [
        'an override naming a rule the managed group does not have',
        () =>
          new GeoWebAcl(newStack(), 'WebAcl', {
            managedRuleGroups: [
              ManagedRuleGroup.anonymousIpList({
                ruleActionOverrides: [{ name: 'HostingProviderList', action: WafAction.COUNT }],
              }),
            ],
          }),
        "`managedRuleGroups[0].ruleActionOverrides[0].name` must name a rule of AWSManagedRulesAnonymousIpList (AnonymousIPList, HostingProviderIPList), got: 'HostingProviderList'.",
      ],
      [
        'an excluded rule the managed group does not have',
        () =>
          new GeoWebAcl(newStack(), 'WebAcl', {
            managedRuleGroups: [ManagedRuleGroup.linux({ excludedRules: ['LFI_BODY'] })],
          }),
        "`managedRuleGroups[0].excludedRules[0]` must name a rule of AWSManagedRulesLinuxRuleSet (LFI_URIPATH, LFI_QUERYSTRING, LFI_HEADER), got: 'LFI_BODY'.",
      ],
      [
        'two rules with one name',
        () =>
          new GeoWebAcl(newStack(), 'WebAcl', {
            customRules: [{ name: 'RateLimit', priority: 5, statement: Statement.methodIs('TRACE') }],
          }),
        "`customRules[0].name` must differ from every other rule's name, got: 'RateLimit' (also used by `rateLimit`).",
      ],
      [
        'two rules with one priority',
        () =>
          new GeoWebAcl(newStack(), 'WebAcl', {
            customRules: [{ name: 'NoTrace', priority: 100, statement: Statement.methodIs('TRACE') }],
          }),
        "`customRules[0].priority` must differ from every other rule's priority, got: 100 (also rule 'AWS-AWSManagedRulesCommonRuleSet').",
      ],
      [
        'a negative priority',
        () =>
          new GeoWebAcl(newStack(), 'WebAcl', {
            customRules: [{ name: 'NoTrace', priority: -1, statement: Statement.methodIs('TRACE') }],
          }),
        '`customRules[0].priority` must be a whole number from 0 to 999999, got: -1.',
      ],
      [
        'a custom rule name with a space',
        () =>
          new GeoWebAcl(newStack(), 'WebAcl', {
            customRules: [{ name: 'No Trace', priority: 1, statement: Statement.methodIs('TRACE') }],
          }),
        "`customRules[0].name` must be 1 to 128 characters from A-Z, a-z, 0-9, hyphen and underscore, got: 'No Trace'.",
      ],
      [
        'a label in the awswaf namespace',
        () =>
          new GeoWebAcl(newStack(), 'WebAcl', {
            customRules: [{ name: 'Tag', priority: 1, statement: Statement.methodIs('TRACE'), labels: ['awswaf:x'] }],
          }),
        "`customRules[0].labels` must hold names of letters, digits, '_', '-' and ':' that don't start with 'awswaf:', got: 'awswaf:x'.",
      ],
      [
        'a label matched but never added',
        () =>
          new GeoWebAcl(newStack(), 'WebAcl', {
            customRules: [{ name: 'BlockTagged', priority: 1000, statement: Statement.labelMatch('gtuc:suspect') }],
          }),
        "`customRules[0].statement` matches a label that no rule with a lower priority adds (no rule adds it), got: 'gtuc:suspect' in rule 'BlockTagged' at priority 1000.",
      ],
      [
        'a label added only by a later rule',
        () =>
          new GeoWebAcl(newStack(), 'WebAcl', {
            customRules: [
              { name: 'BlockTagged', priority: 5, statement: Statement.labelMatch('gtuc:suspect') },
              {
                name: 'Tag',
                priority: 1000,
                statement: Statement.methodIs('TRACE'),
                action: RuleAction.count(),
                labels: ['gtuc:suspect'],
              },
            ],
          }),
        "`customRules[0].statement` matches a label that no rule with a lower priority adds (only rule 'Tag' at priority 1000 adds it, after this rule), got: 'gtuc:suspect' in rule 'BlockTagged' at priority 5.",
      ],
      [
        'a managed label matched before its group runs',
        () =>
          new GeoWebAcl(newStack(), 'WebAcl', {
            customRules: [
              {
                name: 'BigWrites',
                priority: 70,
                statement: Statement.labelMatch('awswaf:managed:aws:core-rule-set:SizeRestrictions_Body'),
              },
            ],
          }),
        "`customRules[0].statement` matches a label that no rule with a lower priority adds (only rule 'AWS-AWSManagedRulesCommonRuleSet' at priority 100 adds it, after this rule), got: 'awswaf:managed:aws:core-rule-set:SizeRestrictions_Body' in rule 'BigWrites' at priority 70.",
      ],
      [
        'a capacity over the limit',
        () =>
          new GeoWebAcl(newStack(), 'WebAcl', {
            maxCapacity: 900,
            managedRuleGroups: [...ManagedRuleGroup.defaults(), ManagedRuleGroup.sqlDatabase()],
          }),
        '`maxCapacity` is 900 WCUs, but the web ACL needs 1128 WCUs; the biggest rules: AWS-AWSManagedRulesCommonRuleSet (700), AWS-AWSManagedRulesKnownBadInputsRuleSet (200), AWS-AWSManagedRulesSQLiRuleSet (200). Got: 1128 WCUs.',
      ],
      [
        'a max capacity above 5000',
        () => new GeoWebAcl(newStack(), 'WebAcl', { maxCapacity: 6000 }),
        "`maxCapacity` must be a whole number from 1 to 5000 (WAF's maximum), got: 6000.",
      ],
      [
        'a CORS origin with a path',
        () => new GeoWebAcl(newStack(), 'WebAcl', { corsAllowedOrigin: 'https://app.example.com/' }),
        "`corsAllowedOrigin` must be one origin such as 'https://app.example.com' (scheme, host, optional port; no path) or '*', got: 'https://app.example.com/'.",
      ],
      [
        'six API key domains',
        () =>
          new GeoWebAcl(newStack(), 'WebAcl', {
            captchaApiKeyDomains: ['a.com', 'b.com', 'c.com', 'd.com', 'e.com', 'f.com'],
          }),
        "`captchaApiKeyDomains` must hold at most 5 domains (WAF's limit), got: 6.",
      ],
      [
        'an API key domain with a scheme',
        () => new GeoWebAcl(newStack(), 'WebAcl', { captchaApiKeyDomains: ['https://app.example.com'] }),
        "`captchaApiKeyDomains` must hold domain names such as 'app.example.com', got: 'https://app.example.com'.",
      ],
      [
        'an empty logging filter',
        () => new GeoWebAcl(newStack(), 'WebAcl', { loggedActions: [] }),
        '`loggedActions` must name at least one action (leave it out to log every request), got: [].',
      ],
    ];

    test.each(cases)('rejects %s', (_name, create, message) => {
      expect(create).toThrow(new Error(message));
    });

    test('warns above 1,500 WCUs and about a managed group of unknown capacity', () => {
      const stack = newStack();
      const acl = new GeoWebAcl(stack, 'WebAcl', {
        managedRuleGroups: [
          ...ManagedRuleGroup.defaults(),
          ManagedRuleGroup.sqlDatabase(),
          ManagedRuleGroup.linux(),
          ManagedRuleGroup.of({ vendor: 'ExampleVendor', name: 'Big', capacity: 300 }),
          ManagedRuleGroup.of({ vendor: 'ExampleVendor', name: 'Bots' }),
        ],
      });
      expect(acl.capacity).toBe(1628);
      Annotations.fromStack(stack).hasWarning(
        '/TestStack/WebAcl',
        'The web ACL needs 1628 WCUs: above 1,500 WCUs AWS WAF bills extra for every million requests. [ack: @gtuc/cdk-privatelink-ecs:webAclCapacityAbove1500]',
      );
      Annotations.fromStack(stack).hasWarning(
        '/TestStack/WebAcl',
        "The capacity of managed rule group 'ExampleVendor/Bots' is unknown, so the web ACL's capacity estimate leaves it out: pass `capacity` to `ManagedRuleGroup.of()`. [ack: @gtuc/cdk-privatelink-ecs:webAclUnknownCapacity]",
      );
    });

    test('does not validate the rate limit when the rate rule is disabled', () => {
      expect(() => new GeoWebAcl(newStack(), 'WebAcl', { enableRateLimit: false, rateLimit: 1 })).not.toThrow();
    });

    test('accepts the boundary values', () => {
      expect(
        () =>
          new GeoWebAcl(newStack(), 'WebAcl', {
            captchaImmunityTime: Duration.seconds(60),
            rateLimit: 10,
            rateLimitWindow: Duration.minutes(10),
          }),
      ).not.toThrow();
      expect(
        () =>
          new GeoWebAcl(newStack(), 'WebAcl', {
            captchaImmunityTime: Duration.days(3),
            rateLimit: 2_000_000_000,
            rateLimitWindow: Duration.minutes(2),
            blockedCountries: ['XK', 'ZW', 'AX'],
          }),
      ).not.toThrow();
    });
  });
});
