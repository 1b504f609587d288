import * as pulumi from '@pulumi/pulumi';
import { DEFAULT_ENVIRONMENT_SUFFIX, ENVIRONMENT_NAMES, type EnvironmentName } from '@tap/validation';
import { AZ_COUNT, CONFIG_KEYS, NETWORK_DEFAULTS } from './constants';
import { NetworkConfigError } from './errors';
import { isPrivateCidr } from './network';

/** What the networking program reads from `Pulumi.<stack>.yaml`. */
export interface NetworkConfig {
  environment: EnvironmentName;
  environmentSuffix: string;
  region: string;
  vpcCidr: string;
  /** 1 (one shared NAT gateway, cheaper) or 3 (one per AZ, survives an AZ outage). */
  natGateways: number;
}

/**
 * Reads the stack's config; absent keys fall back to the environment's defaults; a key it does not read is refused.
 * `networking-stack:environment` defaults to the stack name.
 */
export function readNetworkConfig(): NetworkConfig {
  const unknown = Object.keys(pulumi.runtime.allConfig()).filter((key) => !(CONFIG_KEYS as readonly string[]).includes(key));
  if (unknown.length > 0) {
    const reads = `${CONFIG_KEYS.slice(0, -1).join(', ')} and ${CONFIG_KEYS.at(-1)}`;
    throw new NetworkConfigError(
      unknown.map((key) => `config key ${key} of Pulumi.${pulumi.getStack()}.yaml is not read by the networking stack: remove it (it reads ${reads})`).join('\n'),
    );
  }
  const config = new pulumi.Config('networking-stack');
  const environment = config.get('environment') ?? pulumi.getStack();
  if (!(ENVIRONMENT_NAMES as readonly string[]).includes(environment)) {
    throw new NetworkConfigError(
      `environment "${environment}" must be one of ${ENVIRONMENT_NAMES.join(', ')} (set networking-stack:environment or name the stack after it)`,
    );
  }
  const env = environment as EnvironmentName;
  const natGateways = config.getNumber('natGateways') ?? NETWORK_DEFAULTS[env].natGateways;
  if (natGateways !== 1 && natGateways !== AZ_COUNT) {
    throw new NetworkConfigError(`networking-stack:natGateways must be 1 or ${AZ_COUNT}, got ${natGateways}`);
  }
  const vpcCidr = config.get('vpcCidr') ?? NETWORK_DEFAULTS[env].vpcCidr;
  if (!isPrivateCidr(vpcCidr)) {
    throw new NetworkConfigError(
      `networking-stack:vpcCidr "${vpcCidr}" in Pulumi.${pulumi.getStack()}.yaml is not a private (RFC 1918) block: use a /16 inside 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16, e.g. ${NETWORK_DEFAULTS[env].vpcCidr}`,
    );
  }
  return {
    environment: env,
    environmentSuffix: config.get('environmentSuffix') ?? DEFAULT_ENVIRONMENT_SUFFIX,
    region: new pulumi.Config('aws').require('region'),
    vpcCidr,
    natGateways,
  };
}
