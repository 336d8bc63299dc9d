import { Validations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * Acknowledges validation findings (cdk-nag rules, CloudFormation validation warnings) on a construct and its
 * children, each with the reason a reviewer reads, through aws-cdk-lib's `Validations` mechanism — so no runtime
 * dependency on cdk-nag.
 *
 * Finding IDs that carry `::` inside their brackets (`AwsSolutions-IAM4[Policy::arn:…]`) are rejected by
 * `Validations.acknowledge()` of aws-cdk-lib 2.257, so they are recorded under the same metadata key
 * (`Validations.ACKNOWLEDGED_RULES_METADATA_KEY`) that the method writes and cdk-nag reads.
 *
 * @example
 * import * as iam from 'aws-cdk-lib/aws-iam';
 * import { Findings } from '@gtuc/cdk-privatelink-ecs';
 *
 * declare const role: iam.Role;
 * Findings.acknowledge(
 *   role,
 *   'AmazonAPIGatewayPushToCloudWatchLogs is the AWS-maintained policy for API Gateway execution logs.',
 *   'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
 * );
 */
export class Findings {
  /**
   * Acknowledges the findings `ids` on `scope` (and everything below it) for `reason`.
   *
   * @param scope the construct whose findings (and whose children's findings) are acknowledged
   * @param reason why the finding is acceptable here; required
   * @param ids the rule or finding IDs, e.g. `AwsSolutions-AS3` or `AwsSolutions-IAM5[Resource::*]`
   */
  public static acknowledge(scope: IConstruct, reason: string, ...ids: string[]): void {
    if (reason.trim().length === 0) {
      throw new Error(`\`reason\` must explain why the finding is acceptable, got: '${reason}'.`);
    }
    for (const id of ids) {
      const bracket = id.indexOf('[');
      if (bracket >= 0 && id.indexOf('::', bracket) >= 0) {
        scope.node.addMetadata(Validations.ACKNOWLEDGED_RULES_METADATA_KEY, { [id]: reason });
      } else {
        Validations.of(scope).acknowledge({ id, reason });
      }
    }
  }

  private constructor() {}
}
