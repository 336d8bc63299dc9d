import { Validations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * Acknowledges cdk-nag findings of GTUC's own resources, with the reason. IDs with `::` inside brackets are
 * recorded under `Validations.ACKNOWLEDGED_RULES_METADATA_KEY` directly (this aws-cdk-lib version's
 * `acknowledge()` rejects them); cdk-nag reads both forms.
 */
export function acknowledgeExample(scope: IConstruct, reason: string, ...ids: string[]): void {
  for (const id of ids) {
    if (id.includes('[') && id.indexOf('::', id.indexOf('[')) >= 0) {
      scope.node.addMetadata(Validations.ACKNOWLEDGED_RULES_METADATA_KEY, { [id]: reason });
    } else {
      Validations.of(scope).acknowledge({ id, reason });
    }
  }
}
