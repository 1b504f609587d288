import { AZ_COUNT } from './constants';
import { NetworkConfigError } from './errors';

/** The subnet CIDRs carved out of a /16: public /20s at the bottom, private /19s in the upper half. */
export interface SubnetPlan {
  public: string[];
  private: string[];
}

/** The private address blocks of RFC 1918, as [first octet, second octet low, second octet high, prefix length]. */
const RFC1918_BLOCKS = [
  { first: 10, secondFrom: 0, secondTo: 255, prefix: 8 },
  { first: 172, secondFrom: 16, secondTo: 31, prefix: 12 },
  { first: 192, secondFrom: 168, secondTo: 168, prefix: 16 },
] as const;

/**
 * Whether `cidr` is an IPv4 block inside one of RFC 1918's private ranges (10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16):
 * a well-formed address and a prefix at least as long as its range's.
 *
 * @example
 * isPrivateCidr('10.30.0.0/16'); // true
 * isPrivateCidr('172.32.0.0/16'); // false: outside 172.16.0.0/12
 * isPrivateCidr('8.8.0.0/16'); // false: a public block
 */
export function isPrivateCidr(cidr: string): boolean {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr);
  if (!match) return false;
  const [a, b, c, d, prefix] = match.slice(1).map(Number);
  if ([a, b, c, d].some((octet) => octet > 255) || prefix > 32) return false;
  return RFC1918_BLOCKS.some((block) => a === block.first && b >= block.secondFrom && b <= block.secondTo && prefix >= block.prefix);
}

/**
 * Splits a /16 VPC CIDR into {@link AZ_COUNT} public /20 subnets (4,091 addresses each: NAT and load balancers) and
 * as many private /19 subnets (8,187 each: Lambda ENIs and Aurora), leaving room for more AZs.
 *
 * @example
 * planSubnets('10.10.0.0/16'); // { public: ['10.10.0.0/20', '10.10.16.0/20', ...], private: ['10.10.128.0/19', ...] }
 */
export function planSubnets(vpcCidr: string): SubnetPlan {
  const match = /^(\d{1,3})\.(\d{1,3})\.0\.0\/16$/.exec(vpcCidr);
  if (!match || Number(match[1]) > 255 || Number(match[2]) > 255) {
    throw new NetworkConfigError(`vpcCidr "${vpcCidr}" must be an IPv4 /16 such as 10.10.0.0/16 (set networking-stack:vpcCidr)`);
  }
  const prefix = `${match[1]}.${match[2]}`;
  const indexes = Array.from({ length: AZ_COUNT }, (_, i) => i);
  return {
    public: indexes.map((i) => `${prefix}.${i * 16}.0/20`),
    private: indexes.map((i) => `${prefix}.${128 + i * 32}.0/19`),
  };
}

/**
 * The first {@link AZ_COUNT} zones of a region, in name order so the plan is stable across runs.
 *
 * @example
 * pickZones('us-east-1', ['us-east-1b', 'us-east-1a', 'us-east-1c']); // ['us-east-1a', 'us-east-1b', 'us-east-1c']
 */
export function pickZones(region: string, names: readonly string[]): string[] {
  if (names.length < AZ_COUNT) {
    throw new NetworkConfigError(`region ${region} offers ${names.length} availability zones; ${AZ_COUNT} are required`);
  }
  return [...names].sort().slice(0, AZ_COUNT);
}
