import { aws_wafv2 as wafv2 } from 'aws-cdk-lib';
import { WafAction } from '../managed-rule-group';

/** Characters AWS WAF accepts in metric names and rule names. */
export function sanitizeMetricName(name: string, maxLength = 128): string {
  return name.replace(/[^A-Za-z0-9_-]/g, '').slice(0, maxLength);
}

/** CloudWatch metrics and sampled requests on. */
export function visibilityConfig(metricName: string): wafv2.CfnWebACL.VisibilityConfigProperty {
  return { cloudWatchMetricsEnabled: true, sampledRequestsEnabled: true, metricName };
}

/** The L1 rule action for a `WafAction`. */
export function ruleAction(action: WafAction): wafv2.CfnWebACL.RuleActionProperty {
  switch (action) {
    case WafAction.ALLOW:
      return { allow: {} };
    case WafAction.BLOCK:
      return { block: {} };
    case WafAction.COUNT:
      return { count: {} };
    case WafAction.CAPTCHA:
      return { captcha: {} };
    case WafAction.CHALLENGE:
      return { challenge: {} };
    default:
      throw new Error(`Unknown WAF action: ${action}`);
  }
}
