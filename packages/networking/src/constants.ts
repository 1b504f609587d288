/** Defaults of {@link NetworkingStack}, resolved in its constructor. */
export const NETWORKING_DEFAULTS = {
  /** `{environment}` is replaced with the environment name. */
  stackReferenceTemplate: 'organization/networking-stack/{environment}',
  /** Aurora and a highly available Lambda want one private subnet per AZ, in at least three AZs. */
  minAvailabilityZones: 3,
} as const;

/** The outputs the networking stack must export (`vpcCidr` is optional: looked up from the VPC when absent). */
export const NETWORKING_OUTPUT_KEYS = {
  vpcId: 'vpcId',
  vpcCidr: 'vpcCidr',
  privateSubnetIds: 'privateSubnetIds',
  publicSubnetIds: 'publicSubnetIds',
  availabilityZones: 'availabilityZones',
} as const;
