import type { EnvironmentName } from '@tap/validation';

/** Arguments of {@link NetworkingStack}. */
export interface NetworkingStackArgs {
  /** Environment whose networking stack is read. Required. */
  environment: EnvironmentName;
  /**
   * Fully qualified stack reference (`org/project/stack`).
   * Default: `organization/networking-stack/{environment}`.
   */
  stackReference?: string;
  /** Minimum number of availability zones and of private subnets the reference must export. Default: 3. */
  minAvailabilityZones?: number;
}

/** The validated outputs of a networking stack. `vpcCidr` is undefined when the stack does not export it. */
export interface NetworkingOutputs {
  vpcId: string;
  vpcCidr: string | undefined;
  privateSubnetIds: string[];
  publicSubnetIds: string[];
  availabilityZones: string[];
}
