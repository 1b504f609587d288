/** Availability zones the VPC spans: Aurora and the Lambdas want one private subnet in each of three. */
export const AZ_COUNT = 3;

/** HTTPS, the only port the interface endpoints listen on. */
export const HTTPS_PORT = 443;

/** AWS services reached through interface endpoints, so private subnets need no NAT for them. */
export const INTERFACE_ENDPOINT_SERVICES = ['secretsmanager'] as const;

/** Per-environment defaults when `Pulumi.<stack>.yaml` sets nothing. */
export const NETWORK_DEFAULTS = {
  dev: { vpcCidr: '10.10.0.0/16', natGateways: 1 },
  staging: { vpcCidr: '10.20.0.0/16', natGateways: 1 },
  prod: { vpcCidr: '10.30.0.0/16', natGateways: 3 },
} as const;

/**
 * Every config key the networking program reads; any other key (a misspelling, `aws:endpoints`, `aws:defaultTags`,
 * a key an ESC environment adds at deploy time) is refused: it would change the deploy where the offline synth and
 * the gate cannot see it.
 */
export const CONFIG_KEYS = [
  'networking-stack:environment',
  'networking-stack:environmentSuffix',
  'networking-stack:vpcCidr',
  'networking-stack:natGateways',
  'aws:region',
] as const;
