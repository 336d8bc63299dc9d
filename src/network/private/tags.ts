import { CfnTag } from 'aws-cdk-lib';

/** A `Name` tag list for an L1 resource, or nothing when no name is given. */
export function nameTag(name: string | undefined): CfnTag[] | undefined {
  return name === undefined ? undefined : [{ key: 'Name', value: name }];
}
