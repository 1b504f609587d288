import * as ec2 from '@pulumi/aws/ec2';
import * as pulumi from '@pulumi/pulumi';
import { ENVIRONMENT_NAMES } from '@tap/validation';
import { NETWORKING_DEFAULTS } from './constants';
import { NetworkingStackError } from './errors';
import type { NetworkingOutputs, NetworkingStackArgs } from './types';
import { validateNetworkingOutputs } from './validate';

/**
 * The VPC of an environment, read from the networking stack through a `pulumi.StackReference`.
 * Missing or malformed outputs fail the deployment with a message naming the stack and the output.
 *
 * @example
 * const network = new NetworkingStack('network', { environment: 'dev' });
 * new DatabaseComponent('db', { ..., vpcId: network.vpcId, privateSubnetIds: network.privateSubnetIds });
 */
export class NetworkingStack extends pulumi.ComponentResource {
  /** The stack reference that was read, e.g. `organization/networking-stack/dev`. */
  public readonly stackReferenceName: string;
  public readonly vpcId: pulumi.Output<string>;
  /** From the reference's `vpcCidr` output when exported, else looked up from the VPC. */
  public readonly vpcCidr: pulumi.Output<string>;
  public readonly privateSubnetIds: pulumi.Output<string[]>;
  public readonly publicSubnetIds: pulumi.Output<string[]>;
  public readonly availabilityZones: pulumi.Output<string[]>;

  constructor(name: string, args: NetworkingStackArgs, opts?: pulumi.ComponentResourceOptions) {
    super('tap:networking:NetworkingStack', name, {}, opts);

    if (!(ENVIRONMENT_NAMES as readonly string[]).includes(args.environment)) {
      throw new NetworkingStackError(
        `environment "${args.environment}" must be one of ${ENVIRONMENT_NAMES.join(', ')}`,
      );
    }
    const stackReference =
      args.stackReference ?? NETWORKING_DEFAULTS.stackReferenceTemplate.replace('{environment}', args.environment);
    const minAvailabilityZones = args.minAvailabilityZones ?? NETWORKING_DEFAULTS.minAvailabilityZones;
    if (stackReference.trim() === '' || /\s/.test(stackReference)) {
      throw new NetworkingStackError(`stack reference "${stackReference}" must be a non-empty name such as org/project/stack`);
    }
    if (!Number.isInteger(minAvailabilityZones) || minAvailabilityZones < 1) {
      throw new NetworkingStackError(`minAvailabilityZones must be a positive integer, got ${minAvailabilityZones}`);
    }
    this.stackReferenceName = stackReference;

    const ref = new pulumi.StackReference(`${name}-ref`, { name: stackReference }, { parent: this });
    // Validation runs when the outputs resolve; a failure rejects every output below and so the deployment.
    const validated: pulumi.Output<NetworkingOutputs> = ref.outputs.apply((outputs) =>
      validateNetworkingOutputs(stackReference, outputs, minAvailabilityZones),
    );

    this.vpcId = validated.apply((o) => o.vpcId);
    this.privateSubnetIds = validated.apply((o) => o.privateSubnetIds);
    this.publicSubnetIds = validated.apply((o) => o.publicSubnetIds);
    this.availabilityZones = validated.apply((o) => o.availabilityZones);
    this.vpcCidr = validated.apply((o) =>
      o.vpcCidr !== undefined ? pulumi.output(o.vpcCidr) : ec2.getVpcOutput({ id: o.vpcId }, { parent: this }).cidrBlock,
    );

    this.registerOutputs({
      vpcId: this.vpcId,
      vpcCidr: this.vpcCidr,
      privateSubnetIds: this.privateSubnetIds,
      publicSubnetIds: this.publicSubnetIds,
      availabilityZones: this.availabilityZones,
    });
  }
}
