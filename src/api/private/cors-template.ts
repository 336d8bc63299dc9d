/**
 * The VTL lines of a MOCK integration response that answer with the request's origin when it is an allowed one.
 */
export function echoOriginTemplate(origins: string[]): string {
  return [
    '#set($origin = $input.params().header.get("Origin"))',
    '#if($origin == "")#set($origin = $input.params().header.get("origin"))#end',
    `#if(${origins.map((o) => `$origin == "${o}"`).join(' || ')})`,
    '#set($context.responseOverride.header.Access-Control-Allow-Origin = $origin)',
    '#end',
  ].join('\n');
}
