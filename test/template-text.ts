/**
 * Renders an `Fn::Join` (or a plain string) of a synthesized template as text, with each token as
 * `<<LogicalId>>` (Ref) or `<<LogicalId.Attribute>>` (Fn::GetAtt), so tests can compare ARNs and URIs exactly.
 */
export function joined(value: any): string {
  if (typeof value === 'string') {
    return value;
  }
  return value['Fn::Join'][1]
    .map((part: any) =>
      typeof part === 'string'
        ? part
        : part.Ref
          ? `<<${part.Ref}>>`
          : `<<${part['Fn::GetAtt'][0]}.${part['Fn::GetAtt'][1]}>>`,
    )
    .join('');
}
