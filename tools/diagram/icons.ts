/**
 * AWS Architecture Icons from the npm package `aws-icons` (MIT; the icons are AWS's, which AWS lets customers
 * use in architecture diagrams, unmodified). Graphviz lays them out as `<IMG>` cells; the SVG then embeds each
 * icon as a data URI, so the file stands alone (GitHub, resvg) and stays byte-for-byte deterministic.
 */
import * as fs from 'fs';
import * as path from 'path';

const ICON_DIR = path.join(path.dirname(require.resolve('aws-icons/package.json')), 'icons');
const PREFIX = 'aws-icons/';

/** The icon of each kind of resource the summary view draws (paths inside the package's `icons/`). */
export const ICONS = {
  clients: 'resource/Users.svg',
  waf: 'architecture-service/AWSWAF.svg',
  api: 'architecture-service/AmazonAPIGateway.svg',
  nlb: 'resource/ElasticLoadBalancingNetworkLoadBalancer.svg',
  alb: 'resource/ElasticLoadBalancingApplicationLoadBalancer.svg',
  ecs: 'architecture-service/AmazonElasticContainerService.svg',
  aurora: 'architecture-service/AmazonAurora.svg',
  tgw: 'architecture-service/AWSTransitGateway.svg',
  secret: 'architecture-service/AWSSecretsManager.svg',
  ec2: 'architecture-service/AmazonEC2.svg',
  nat: 'resource/AmazonVPCNATGateway.svg',
  igw: 'resource/AmazonVPCInternetGateway.svg',
  endpoint: 'resource/AmazonVPCEndpoints.svg',
  vpclink: 'resource/AmazonAPIGatewayEndpoint.svg',
  lambda: 'resource/AWSLambdaLambdaFunction.svg',
  logs: 'resource/AmazonCloudWatchLogs.svg',
  eni: 'resource/AmazonVPCElasticNetworkInterface.svg',
  router: 'resource/AmazonVPCRouter.svg',
  nacl: 'resource/AmazonVPCNetworkAccessControlList.svg',
  flowLogs: 'resource/AmazonVPCFlowLogs.svg',
  tgwAttachment: 'resource/AWSTransitGatewayAttachment.svg',
  // group icons: drawn at the top-left corner of a group box (AWS Cloud, Region, VPC, subnets, Auto Scaling group)
  groupCloud: 'architecture-group/AWSCloudlogo.svg',
  groupRegion: 'architecture-group/Region.svg',
  groupVpc: 'architecture-group/VirtualprivatecloudVPC.svg',
  groupPublicSubnet: 'architecture-group/Publicsubnet.svg',
  groupPrivateSubnet: 'architecture-group/Privatesubnet.svg',
  groupAsg: 'architecture-group/AutoScalinggroup.svg',
} as const;
export type IconKind = keyof typeof ICONS;

/** Icon edge in points, as laid out. */
export const ICON_SIZE = 24;
/** Edge of the small icons in front of the rows of a subnet or group, in points. */
export const SMALL_ICON_SIZE = 14;

/**
 * The colour of a group icon's square: AWS's diagram guidelines draw the group's border (and label) in it, so
 * reading it from the icon keeps the box and its icon the same colour.
 */
export function iconColor(kind: IconKind): string {
  const svg = fs.readFileSync(path.join(ICON_DIR, ICONS[kind]), 'utf8');
  const m = /<path fill="(#[0-9a-fA-F]{3,6})" d="M0 0h40v40H0z"\/>/.exec(svg);
  if (!m) {
    throw new Error(`${ICONS[kind]} has no coloured square: not a group icon`);
  }
  return m[1].toUpperCase();
}

/** The `SRC` of an icon in an HTML-like label. */
export function iconSrc(kind: IconKind): string {
  return PREFIX + ICONS[kind];
}

/** The image declarations Graphviz needs for the icons a DOT source uses (it cannot read files itself). */
export function iconImages(dot: string): Array<{ name: string; width: string; height: string }> {
  const names = [...new Set([...dot.matchAll(/<IMG [^>]*SRC="(aws-icons\/[^"]+)"/g)].map((m) => m[1]))].sort();
  const px = `${(ICON_SIZE * 4) / 3}px`;
  return names.map((name) => ({ name, width: px, height: px }));
}

/** Replaces each icon reference of a Graphviz SVG with the icon itself, as a base64 data URI. */
export function inlineIcons(svg: string): string {
  return svg.replace(/xlink:href="aws-icons\/([^"]+)"/g, (_m, rel: string) => {
    const file = path.join(ICON_DIR, rel);
    const data = fs.readFileSync(file).toString('base64');
    return `xlink:href="data:image/svg+xml;base64,${data}"`;
  });
}
