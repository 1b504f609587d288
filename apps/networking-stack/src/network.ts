import { AZ_COUNT } from './constants';
import { NetworkConfigError } from './errors';

/** The subnet CIDRs carved out of a /16: public /20s at the bottom, private /19s in the upper half. */
export interface SubnetPlan {
  public: string[];
  private: string[];
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
