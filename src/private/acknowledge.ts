import { Validations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * Acknowledges validation findings (cdk-nag rules, CloudFormation validation warnings) on a construct and its
 * children, each with the reason, through aws-cdk-lib's `Validations` mechanism.
 *
 * Finding IDs that carry `::` inside their brackets (`AwsSolutions-IAM4[Policy::arn:…]`) are rejected by
 * `Validations.acknowledge()` of this aws-cdk-lib version, so they are recorded directly under the same
 * metadata key (`Validations.ACKNOWLEDGED_RULES_METADATA_KEY`) that the method writes and cdk-nag reads.
 */
export function acknowledge(scope: IConstruct, reason: string, ...ids: string[]): void {
  for (const id of ids) {
    const bracket = id.indexOf('[');
    if (bracket >= 0 && id.indexOf('::', bracket) >= 0) {
      scope.node.addMetadata(Validations.ACKNOWLEDGED_RULES_METADATA_KEY, { [id]: reason });
    } else {
      Validations.of(scope).acknowledge({ id, reason });
    }
  }
}
