import { OPEN_CIDRS } from './constants';

interface Ipv4Cidr {
  base: number;
  prefix: number;
}

function parseIpv4Cidr(cidr: string): Ipv4Cidr | undefined {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr.trim());
  if (!match) return undefined;
  const octets = match.slice(1, 5).map(Number);
  const prefix = Number(match[5]);
  if (octets.some((o) => o > 255) || prefix > 32) return undefined;
  const address = ((octets[0] << 24) | (octets[1] << 16) | (octets[2] << 8) | octets[3]) >>> 0;
  const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  return { base: (address & mask) >>> 0, prefix };
}

/** True for 0.0.0.0/0, ::/0 and any other block with a /0 prefix. */
export function isOpenCidr(cidr: string): boolean {
  const trimmed = cidr.trim();
  return (OPEN_CIDRS as readonly string[]).includes(trimmed) || /\/0$/.test(trimmed);
}

/**
 * True when IPv4 block `inner` lies within `outer`.
 *
 * @example
 * cidrWithin('10.0.1.0/24', '10.0.0.0/16'); // true
 */
export function cidrWithin(inner: string, outer: string): boolean {
  const a = parseIpv4Cidr(inner);
  const b = parseIpv4Cidr(outer);
  if (!a || !b || a.prefix < b.prefix) return false;
  const mask = b.prefix === 0 ? 0 : (0xffffffff << (32 - b.prefix)) >>> 0;
  return ((a.base & mask) >>> 0) === b.base;
}
