import type { NetworkRule } from './types';

/** An address range as [first, last] bigints, or undefined when it is not a CIDR (IPv4 or IPv6). */
function cidrRange(cidr: string): { v6: boolean; first: bigint; last: bigint } | undefined {
  const match = /^([^/]+)\/(\d{1,3})$/.exec(cidr.trim());
  const [address, lengthText] = match ? [match[1], match[2]] : [cidr.trim(), undefined];
  const v6 = address.includes(':');
  const bits = v6 ? 128 : 32;
  const length = lengthText === undefined ? bits : Number(lengthText);
  if (length > bits) return undefined;
  let value = 0n;
  if (v6) {
    const [head, tail] = address.split('::');
    const parts = (text: string | undefined): string[] => (text ? text.split(':') : []);
    const groups = tail === undefined ? parts(head) : [...parts(head), ...Array(8 - parts(head).length - parts(tail).length).fill('0'), ...parts(tail)];
    if (groups.length !== 8 || !groups.every((g) => /^[0-9a-f]{1,4}$/i.test(g))) return undefined;
    for (const group of groups) value = (value << 16n) + BigInt(parseInt(group, 16));
  } else {
    const octets = address.split('.');
    if (octets.length !== 4 || !octets.every((o) => /^\d{1,3}$/.test(o) && Number(o) <= 255)) return undefined;
    for (const octet of octets) value = (value << 8n) + BigInt(Number(octet));
  }
  const hostBits = BigInt(bits - length);
  const first = (value >> hostBits) << hostBits;
  return { v6, first, last: first + (1n << hostBits) - 1n };
}

/**
 * Whether CIDR `outer` contains every address of `inner` (`10.0.0.0/8` contains `10.0.0.0/16`); anything that is not
 * a CIDR covers only itself.
 *
 * @example
 * cidrCovers('10.0.0.0/8', '10.1.0.0/16'); // true
 * cidrCovers('10.0.0.0/16', '10.0.0.0/8'); // false
 */
export function cidrCovers(outer: string, inner: string): boolean {
  const a = cidrRange(outer);
  const b = cidrRange(inner);
  if (!a || !b) return outer === inner;
  return a.v6 === b.v6 && a.first <= b.first && b.last <= a.last;
}

const PROTOCOL_NAMES: Record<string, string> = { '6': 'tcp', '17': 'udp', '1': 'icmp', '58': 'icmpv6', all: '-1' };

/** `6` is `tcp`, `all` and `-1` are all protocols (AWS accepts names and numbers). */
export function normalProtocol(value: unknown): string {
  const text = String(value ?? '-1').toLowerCase();
  return PROTOCOL_NAMES[text] ?? text;
}

/**
 * Whether rule `outer` lets through everything rule `inner` does: same direction, a protocol that includes it, a port
 * range that contains it (all protocols mean all ports), and a peer that contains it (a wider CIDR, the same group).
 *
 * @example
 * ruleCovers({ ...rule, fromPort: 0, toPort: 65535 }, { ...rule, fromPort: 443, toPort: 443 }); // true
 */
export function ruleCovers(outer: NetworkRule, inner: NetworkRule): boolean {
  if (outer.direction !== inner.direction) return false;
  if (outer.protocol !== '-1') {
    if (outer.protocol !== inner.protocol) return false;
    if (!(outer.fromPort <= inner.fromPort && inner.toPort <= outer.toPort)) return false;
  }
  if (outer.peer === inner.peer) return true;
  const cidr = (peer: string): string | undefined => /^cidr6?:(.*)$/.exec(peer)?.[1];
  const [o, i] = [cidr(outer.peer), cidr(inner.peer)];
  return o !== undefined && i !== undefined && cidrCovers(o, i);
}

const port = (value: unknown, fallback: number): number => (typeof value === 'number' && Number.isFinite(value) ? value : fallback);

/**
 * The rules of one security-group rule definition, one per peer. Reads the inline `ingress`/`egress` shape
 * (`protocol`, `cidrBlocks`, `securityGroups`, `self`, ...), `aws:ec2/securityGroupRule` (`type`, `sourceSecurityGroupId`)
 * and `aws:vpc/securityGroup{Ingress,Egress}Rule` (`ipProtocol`, `cidrIpv4`, `referencedSecurityGroupId`). `peerName`
 * turns a group reference into the group's name, so inline and separate rules of one group compare.
 *
 * @example
 * networkRules({ protocol: 'tcp', fromPort: 443, toPort: 443, cidrBlocks: ['10.0.0.0/16'] }, 'ingress', (id) => id);
 * // [{ direction: 'ingress', protocol: 'tcp', fromPort: 443, toPort: 443, peer: 'cidr:10.0.0.0/16' }]
 */
export function networkRules(input: Record<string, unknown>, direction: 'ingress' | 'egress', peerName: (value: unknown) => string): NetworkRule[] {
  const protocol = normalProtocol(input.ipProtocol ?? input.protocol);
  const all = protocol === '-1';
  const base = { direction, protocol, fromPort: all ? 0 : port(input.fromPort, 0), toPort: all ? 65535 : port(input.toPort, 65535) };
  const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : value === undefined || value === null || value === '' ? [] : [value]);
  const peers = [
    ...list(input.cidrBlocks).map((v) => `cidr:${String(v)}`),
    ...list(input.cidrIpv4).map((v) => `cidr:${String(v)}`),
    ...list(input.ipv6CidrBlocks).map((v) => `cidr6:${String(v)}`),
    ...list(input.cidrIpv6).map((v) => `cidr6:${String(v)}`),
    ...list(input.securityGroups).map((v) => `sg:${peerName(v)}`),
    ...list(input.sourceSecurityGroupId).map((v) => `sg:${peerName(v)}`),
    ...list(input.referencedSecurityGroupId).map((v) => `sg:${peerName(v)}`),
    ...list(input.prefixListIds).map((v) => `prefix:${String(v)}`),
    ...list(input.prefixListId).map((v) => `prefix:${String(v)}`),
    ...(input.self === true ? ['self'] : []),
  ];
  // A rule without any peer the diff knows is not dropped: it is judged as open to anything.
  return (peers.length ? peers : ['unknown peer']).map((peer) => ({ ...base, peer }));
}
