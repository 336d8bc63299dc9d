/**
 * Minimal IPv4 CIDR arithmetic for synth-time validation.
 */
export interface Ipv4Range {
  /** First address of the block, as an unsigned 32-bit integer. */
  readonly first: number;
  /** Last address of the block, as an unsigned 32-bit integer. */
  readonly last: number;
  /** Prefix length. */
  readonly prefix: number;
}

const CIDR_RE = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

/**
 * Parses an IPv4 CIDR block such as `10.0.0.0/16`; returns undefined when the text is not one.
 *
 * A block whose address has host bits set (`10.0.0.1/16`) is rejected too: AWS refuses it for VPCs and subnets.
 */
export function parseCidr(cidr: string): Ipv4Range | undefined {
  const m = CIDR_RE.exec(cidr);
  if (!m) {
    return undefined;
  }
  const octets = m.slice(1, 5).map(Number);
  const prefix = Number(m[5]);
  if (octets.some((o) => o > 255) || prefix > 32) {
    return undefined;
  }
  const address = ((octets[0] * 256 + octets[1]) * 256 + octets[2]) * 256 + octets[3];
  const size = 2 ** (32 - prefix);
  if (address % size !== 0) {
    return undefined;
  }
  return { first: address, last: address + size - 1, prefix };
}

/** True when the two ranges share at least one address. */
export function overlaps(a: Ipv4Range, b: Ipv4Range): boolean {
  return a.first <= b.last && b.first <= a.last;
}

/** True when `inner` lies entirely inside `outer`. */
export function contains(outer: Ipv4Range, inner: Ipv4Range): boolean {
  return outer.first <= inner.first && inner.last <= outer.last;
}
