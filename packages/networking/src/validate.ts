import { NETWORKING_OUTPUT_KEYS } from './constants';
import { NetworkingStackError } from './errors';
import type { NetworkingOutputs } from './types';

function requireString(ref: string, outputs: Record<string, unknown>, key: string): string {
  const value = outputs[key];
  if (value === undefined || value === null) {
    throw new NetworkingStackError(`networking stack ${ref} does not export ${key}`);
  }
  if (typeof value !== 'string' || value.trim() === '') {
    throw new NetworkingStackError(`networking stack ${ref} exports ${key} as ${describe(value)}; expected a non-empty string`);
  }
  return value;
}

function requireStringList(ref: string, outputs: Record<string, unknown>, key: string, min: number): string[] {
  const value = outputs[key];
  if (value === undefined || value === null) {
    throw new NetworkingStackError(`networking stack ${ref} does not export ${key}`);
  }
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'string' || item.trim() === '')) {
    throw new NetworkingStackError(`networking stack ${ref} exports ${key} as ${describe(value)}; expected a list of non-empty strings`);
  }
  if (value.length < min) {
    throw new NetworkingStackError(
      `networking stack ${ref} exports ${value.length} ${key}; at least ${min} are required (one per availability zone)`,
    );
  }
  if (new Set(value).size !== value.length) {
    throw new NetworkingStackError(`networking stack ${ref} exports duplicate entries in ${key}`);
  }
  return [...value] as string[];
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return `a list (${JSON.stringify(value)})`;
  return `${typeof value} (${JSON.stringify(value)})`;
}

/**
 * Checks the raw outputs of a networking stack reference and returns them typed.
 * Throws {@link NetworkingStackError} naming the stack reference and the offending output.
 *
 * @example
 * validateNetworkingOutputs('organization/networking-stack/dev', ref.outputs, 3);
 */
export function validateNetworkingOutputs(
  stackReference: string,
  outputs: Record<string, unknown> | undefined,
  minAvailabilityZones: number,
): NetworkingOutputs {
  const raw = outputs ?? {};
  const k = NETWORKING_OUTPUT_KEYS;
  const vpcCidrRaw = raw[k.vpcCidr];
  const result: NetworkingOutputs = {
    vpcId: requireString(stackReference, raw, k.vpcId),
    vpcCidr: vpcCidrRaw === undefined || vpcCidrRaw === null ? undefined : requireString(stackReference, raw, k.vpcCidr),
    privateSubnetIds: requireStringList(stackReference, raw, k.privateSubnetIds, minAvailabilityZones),
    // A private-only VPC is legitimate: public subnets must be exported but may be empty.
    publicSubnetIds: requireStringList(stackReference, raw, k.publicSubnetIds, 0),
    availabilityZones: requireStringList(stackReference, raw, k.availabilityZones, minAvailabilityZones),
  };
  if (result.vpcCidr !== undefined && !/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/.test(result.vpcCidr)) {
    throw new NetworkingStackError(
      `networking stack ${stackReference} exports vpcCidr "${result.vpcCidr}"; expected an IPv4 CIDR such as 10.0.0.0/16`,
    );
  }
  return result;
}
