import { App, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import {
  ComparisonOperator,
  LabelMatchScope,
  OversizeHandling,
  PositionalConstraint,
  RateLimitKey,
  RequestField,
  Statement,
  TextTransformationType,
} from '../../src/waf';

/** The statement as CloudFormation receives it (PascalCase), rendered through an L1 web ACL. */
function cfn(statement: Statement): unknown {
  const stack = new Stack(new App(), 'S');
  new wafv2.CfnWebACL(stack, 'Acl', {
    scope: 'REGIONAL',
    defaultAction: { allow: {} },
    visibilityConfig: { cloudWatchMetricsEnabled: true, sampledRequestsEnabled: true, metricName: 'm' },
    rules: [
      {
        name: 'r',
        priority: 0,
        statement: statement.toStatementProperty(),
        action: { block: {} },
        visibilityConfig: { cloudWatchMetricsEnabled: true, sampledRequestsEnabled: true, metricName: 'r' },
      },
    ],
  });
  const acl = Object.values(Template.fromStack(stack).findResources('AWS::WAFv2::WebACL'))[0];
  return acl.Properties.Rules[0].Statement;
}

const NONE = [{ Priority: 0, Type: 'NONE' }];

describe('Statement', () => {
  test('geoMatch: 1 WCU', () => {
    const s = Statement.geoMatch(['NG', 'GH']);
    expect(cfn(s)).toEqual({ GeoMatchStatement: { CountryCodes: ['NG', 'GH'] } });
    expect(s.capacity).toBe(1);
    expect(s.containsGeoMatch).toBe(true);
  });

  test('ipSet: 1 WCU', () => {
    const arn = 'arn:aws:wafv2:us-east-2:111111111111:regional/ipset/partners/abc';
    expect(cfn(Statement.ipSet(arn))).toEqual({ IPSetReferenceStatement: { Arn: arn } });
    expect(Statement.ipSet(arn).capacity).toBe(1);
  });

  test('byteMatch on a header, CONTAINS with two transformations: 10 + 20 WCUs', () => {
    const s = Statement.byteMatch({
      field: RequestField.header('User-Agent'),
      searchString: 'curl',
      positionalConstraint: PositionalConstraint.CONTAINS,
      textTransformations: [TextTransformationType.LOWERCASE, TextTransformationType.COMPRESS_WHITE_SPACE],
    });
    expect(cfn(s)).toEqual({
      ByteMatchStatement: {
        FieldToMatch: { SingleHeader: { Name: 'user-agent' } },
        SearchString: 'curl',
        PositionalConstraint: 'CONTAINS',
        TextTransformations: [
          { Priority: 0, Type: 'LOWERCASE' },
          { Priority: 1, Type: 'COMPRESS_WHITE_SPACE' },
        ],
      },
    });
    expect(s.capacity).toBe(30);
  });

  test('byteMatch on the query string, a query argument and all query arguments (+10)', () => {
    expect(cfn(Statement.byteMatch({ field: RequestField.queryString(), searchString: 'debug=1' }))).toEqual({
      ByteMatchStatement: {
        FieldToMatch: { QueryString: {} },
        SearchString: 'debug=1',
        PositionalConstraint: 'EXACTLY',
        TextTransformations: NONE,
      },
    });
    expect(cfn(Statement.byteMatch({ field: RequestField.queryArgument('mode'), searchString: 'admin' }))).toEqual({
      ByteMatchStatement: {
        FieldToMatch: { SingleQueryArgument: { Name: 'mode' } },
        SearchString: 'admin',
        PositionalConstraint: 'EXACTLY',
        TextTransformations: NONE,
      },
    });
    const all = Statement.byteMatch({
      field: RequestField.allQueryArguments(),
      searchString: '<script',
      positionalConstraint: PositionalConstraint.CONTAINS,
    });
    expect((cfn(all) as any).ByteMatchStatement.FieldToMatch).toEqual({ AllQueryArguments: {} });
    expect(all.capacity).toBe(20);
  });

  test('methodIs and pathStartsWith: 2 WCUs each', () => {
    expect(cfn(Statement.methodIs('POST'))).toEqual({
      ByteMatchStatement: {
        FieldToMatch: { Method: {} },
        SearchString: 'POST',
        PositionalConstraint: 'EXACTLY',
        TextTransformations: NONE,
      },
    });
    expect(cfn(Statement.pathStartsWith('/admin'))).toEqual({
      ByteMatchStatement: {
        FieldToMatch: { UriPath: {} },
        SearchString: '/admin',
        PositionalConstraint: 'STARTS_WITH',
        TextTransformations: NONE,
      },
    });
    expect(Statement.methodIs('POST').capacity).toBe(2);
  });

  test('byteMatch on the body with its oversize handling', () => {
    const s = Statement.byteMatch({
      field: RequestField.body(OversizeHandling.MATCH),
      searchString: 'DROP TABLE',
      positionalConstraint: PositionalConstraint.CONTAINS,
    });
    expect((cfn(s) as any).ByteMatchStatement.FieldToMatch).toEqual({ Body: { OversizeHandling: 'MATCH' } });
  });

  test('regexMatch on the URI path with URL decoding: 3 + 10 WCUs', () => {
    const s = Statement.regexMatch({
      field: RequestField.uriPath(),
      regex: '^/items/[0-9]+/export$',
      textTransformations: [TextTransformationType.URL_DECODE],
    });
    expect(cfn(s)).toEqual({
      RegexMatchStatement: {
        FieldToMatch: { UriPath: {} },
        RegexString: '^/items/[0-9]+/export$',
        TextTransformations: [{ Priority: 0, Type: 'URL_DECODE' }],
      },
    });
    expect(s.capacity).toBe(13);
  });

  test('sizeConstraint on a query argument: 1 WCU', () => {
    const s = Statement.sizeConstraint({
      field: RequestField.queryArgument('q'),
      comparisonOperator: ComparisonOperator.GT,
      size: 256,
    });
    expect(cfn(s)).toEqual({
      SizeConstraintStatement: {
        FieldToMatch: { SingleQueryArgument: { Name: 'q' } },
        ComparisonOperator: 'GT',
        Size: 256,
        TextTransformations: NONE,
      },
    });
    expect(s.capacity).toBe(1);
  });

  test('labelMatch (label and namespace): 1 WCU', () => {
    expect(cfn(Statement.labelMatch('gtuc:admin'))).toEqual({
      LabelMatchStatement: { Key: 'gtuc:admin', Scope: 'LABEL' },
    });
    expect(cfn(Statement.labelMatch('awswaf:managed:aws:bot-control:', LabelMatchScope.NAMESPACE))).toEqual({
      LabelMatchStatement: { Key: 'awswaf:managed:aws:bot-control:', Scope: 'NAMESPACE' },
    });
    expect(Statement.labelMatch('x').labelReferences()).toEqual([{ key: 'x', scope: LabelMatchScope.LABEL }]);
  });

  test('and / or / not nest and add up their WCUs; label references are collected at any depth', () => {
    const s = Statement.allOf(
      Statement.labelMatch('gtuc:admin'),
      Statement.negate(Statement.anyOf(Statement.methodIs('GET'), Statement.methodIs('HEAD'))),
    );
    expect(cfn(s)).toEqual({
      AndStatement: {
        Statements: [
          { LabelMatchStatement: { Key: 'gtuc:admin', Scope: 'LABEL' } },
          {
            NotStatement: {
              Statement: {
                OrStatement: {
                  Statements: [
                    {
                      ByteMatchStatement: {
                        FieldToMatch: { Method: {} },
                        SearchString: 'GET',
                        PositionalConstraint: 'EXACTLY',
                        TextTransformations: NONE,
                      },
                    },
                    {
                      ByteMatchStatement: {
                        FieldToMatch: { Method: {} },
                        SearchString: 'HEAD',
                        PositionalConstraint: 'EXACTLY',
                        TextTransformations: NONE,
                      },
                    },
                  ],
                },
              },
            },
          },
        ],
      },
    });
    expect(s.capacity).toBe(5);
    expect(s.labelReferences()).toEqual([{ key: 'gtuc:admin', scope: LabelMatchScope.LABEL }]);
  });

  test('rateBased by IP with a scope-down: 2 + scope-down WCUs', () => {
    const s = Statement.rateBased({ limit: 100, window: Duration.minutes(1), scopeDown: Statement.methodIs('POST') });
    expect(cfn(s)).toEqual({
      RateBasedStatement: {
        Limit: 100,
        EvaluationWindowSec: 60,
        AggregateKeyType: 'IP',
        ScopeDownStatement: {
          ByteMatchStatement: {
            FieldToMatch: { Method: {} },
            SearchString: 'POST',
            PositionalConstraint: 'EXACTLY',
            TextTransformations: NONE,
          },
        },
      },
    });
    expect(s.capacity).toBe(4);
    expect(s.nestable).toBe(false);
  });

  test('rateBased by forwarded IP alone uses FORWARDED_IP; custom keys cost 30 WCUs each', () => {
    expect(cfn(Statement.rateBased({ limit: 100, keys: [RateLimitKey.forwardedIp()] }))).toEqual({
      RateBasedStatement: {
        Limit: 100,
        EvaluationWindowSec: 300,
        AggregateKeyType: 'FORWARDED_IP',
        ForwardedIPConfig: { HeaderName: 'X-Forwarded-For', FallbackBehavior: 'MATCH' },
      },
    });
    const custom = Statement.rateBased({
      limit: 500,
      keys: [
        RateLimitKey.ip(),
        RateLimitKey.header('x-api-key'),
        RateLimitKey.queryArgument('tenant', [TextTransformationType.LOWERCASE]),
        RateLimitKey.httpMethod(),
      ],
    });
    expect(cfn(custom)).toEqual({
      RateBasedStatement: {
        Limit: 500,
        EvaluationWindowSec: 300,
        AggregateKeyType: 'CUSTOM_KEYS',
        CustomKeys: [
          { IP: {} },
          { Header: { Name: 'x-api-key', TextTransformations: NONE } },
          { QueryArgument: { Name: 'tenant', TextTransformations: [{ Priority: 0, Type: 'LOWERCASE' }] } },
          { HTTPMethod: {} },
        ],
      },
    });
    expect(custom.capacity).toBe(2 + 4 * 30);
  });

  describe('bad input', () => {
    const cases: Array<[string, () => unknown, string]> = [
      ['an empty AND', () => Statement.allOf(), '`Statement.allOf()` needs at least 2 statements, got: 0.'],
      ['an empty OR', () => Statement.anyOf(), '`Statement.anyOf()` needs at least 2 statements, got: 0.'],
      [
        'an AND of one',
        () => Statement.allOf(Statement.methodIs('GET')),
        '`Statement.allOf()` needs at least 2 statements, got: 1.',
      ],
      [
        'a NOT with two children',
        () => Statement.negate(Statement.methodIs('GET'), Statement.methodIs('HEAD')),
        '`Statement.negate()` takes exactly one statement, got: 2.',
      ],
      ['a NOT with none', () => Statement.negate(), '`Statement.negate()` needs at least one statement, got: 0.'],
      [
        'a rate-based statement nested in OR',
        () => Statement.anyOf(Statement.methodIs('GET'), Statement.rateBased({ limit: 100 })),
        "`Statement.anyOf()` can't nest a rate-based statement, got: one among its 2.",
      ],
      [
        'a regex over 200 characters',
        () => Statement.regexMatch({ field: RequestField.uriPath(), regex: `^/${'a'.repeat(200)}` }),
        "`Statement.regexMatch()` `regex` must be 1 to 200 characters (WAF's limit), got: 202 characters.",
      ],
      [
        'a regex with a lookahead',
        () => Statement.regexMatch({ field: RequestField.uriPath(), regex: '^/items(?!/public)' }),
        "`Statement.regexMatch()` `regex` must not use lookarounds (WAF rejects them), got: '^/items(?!/public)'.",
      ],
      [
        'a regex with a lookbehind',
        () => Statement.regexMatch({ field: RequestField.uriPath(), regex: '(?<=/v1)/items' }),
        "`Statement.regexMatch()` `regex` must not use lookarounds (WAF rejects them), got: '(?<=/v1)/items'.",
      ],
      [
        'a regex with a backreference',
        () => Statement.regexMatch({ field: RequestField.uriPath(), regex: '/(\\w+)/\\1' }),
        "`Statement.regexMatch()` `regex` must not use backreferences (WAF rejects them), got: '/(\\w+)/\\1'.",
      ],
      [
        'an invalid regex',
        () => Statement.regexMatch({ field: RequestField.uriPath(), regex: '[' }),
        "`Statement.regexMatch()` `regex` must be a valid regular expression, got: '['.",
      ],
      [
        'a byte match on the body without oversize handling',
        () => Statement.byteMatch({ field: RequestField.body(), searchString: 'x' }),
        "`Statement.byteMatch()` on `RequestField.body()` needs an `OversizeHandling`: WAF inspects only the first 16 KB (or the web ACL's `bodyInspectionSize`) of a body, got: none.",
      ],
      [
        'rate keys IP and forwarded IP together',
        () => Statement.rateBased({ limit: 100, keys: [RateLimitKey.ip(), RateLimitKey.forwardedIp()] }),
        '`Statement.rateBased()` `keys` must not combine `RateLimitKey.ip()` and `RateLimitKey.forwardedIp()` (WAF rejects it), got: both.',
      ],
      [
        'a repeated rate key',
        () => Statement.rateBased({ limit: 100, keys: [RateLimitKey.header('a'), RateLimitKey.header('A')] }),
        '`Statement.rateBased()` `keys` must not repeat a key, got: HEADER:a twice.',
      ],
      [
        'six rate keys',
        () =>
          Statement.rateBased({
            limit: 100,
            keys: ['a', 'b', 'c', 'd', 'e', 'f'].map((h) => RateLimitKey.header(h)),
          }),
        '`Statement.rateBased()` `keys` must hold 1 to 5 keys, got: 6.',
      ],
      [
        'a rate limit of 5',
        () => Statement.rateBased({ limit: 5 }),
        '`Statement.rateBased()` `limit` must be an integer between 10 and 2000000000, got: 5.',
      ],
      [
        'a rate window of 90 s',
        () => Statement.rateBased({ limit: 10, window: Duration.seconds(90) }),
        '`Statement.rateBased()` `window` must be 60, 120, 300 or 600 seconds, got: 90 seconds.',
      ],
      [
        'an empty geo match',
        () => Statement.geoMatch([]),
        '`Statement.geoMatch()` needs at least one country code, got: none.',
      ],
      [
        'a lower-case method',
        () => Statement.methodIs('post'),
        "`Statement.methodIs()` needs an upper-case HTTP method such as 'POST', got: 'post'.",
      ],
      [
        'a path without /',
        () => Statement.pathStartsWith('admin'),
        "`Statement.pathStartsWith()` needs a path starting with '/', got: 'admin'.",
      ],
      [
        'an empty search string',
        () => Statement.byteMatch({ field: RequestField.uriPath(), searchString: '' }),
        "`Statement.byteMatch()` `searchString` must be 1 to 200 bytes, got: 0 bytes ('').",
      ],
      [
        'a bad label key',
        () => Statement.labelMatch('has space'),
        "`Statement.labelMatch()` needs a key of letters, digits, '_', '-' and ':', got: 'has space'.",
      ],
      [
        'a negative size',
        () =>
          Statement.sizeConstraint({
            field: RequestField.uriPath(),
            comparisonOperator: ComparisonOperator.GT,
            size: -1,
          }),
        '`Statement.sizeConstraint()` `size` must be a whole number of bytes from 0, got: -1.',
      ],
    ];
    test.each(cases)('rejects %s', (_name, create, message) => {
      expect(create).toThrow(new Error(message));
    });
  });
});
