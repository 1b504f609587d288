import * as ec2 from '@pulumi/aws/ec2';
import { getAvailabilityZonesOutput } from '@pulumi/aws/getAvailabilityZones';
import * as pulumi from '@pulumi/pulumi';
import { resourceName, type EnvironmentName } from '@tap/validation';
import { AZ_COUNT, HTTPS_PORT, INTERFACE_ENDPOINT_SERVICES } from './constants';
import { NetworkConfigError } from './errors';
import { pickZones, planSubnets } from './network';

/** Arguments of {@link TapVpc}. */
export interface TapVpcArgs {
  /** Environment name, part of every physical name. Required. */
  environment: EnvironmentName;
  /** Suffix of every physical name. Required. */
  environmentSuffix: string;
  /** AWS region (for the endpoint service names). Required. */
  region: string;
  /** IPv4 /16 of the VPC. Required. */
  vpcCidr: string;
  /** NAT gateways: 1 shared, or one per AZ. Default: 1. */
  natGateways?: number;
}

/**
 * A VPC across three availability zones: a public and a private subnet in each, an internet gateway, NAT for the
 * private subnets, a locked-down default security group and a private-DNS interface endpoint for Secrets Manager.
 *
 * @example
 * const vpc = new TapVpc('network', { environment: 'dev', environmentSuffix: '001', region: 'us-east-2', vpcCidr: '10.10.0.0/16' });
 */
export class TapVpc extends pulumi.ComponentResource {
  public readonly vpcId: pulumi.Output<string>;
  public readonly vpcCidr: pulumi.Output<string>;
  public readonly publicSubnetIds: pulumi.Output<string[]>;
  public readonly privateSubnetIds: pulumi.Output<string[]>;
  public readonly availabilityZones: pulumi.Output<string[]>;
  public readonly endpointSecurityGroupId: pulumi.Output<string>;

  constructor(name: string, args: TapVpcArgs, opts?: pulumi.ComponentResourceOptions) {
    super('tap:networking-stack:TapVpc', name, {}, opts);
    const { environment, environmentSuffix: suffix } = args;
    const natGateways = args.natGateways ?? 1;
    if (natGateways !== 1 && natGateways !== AZ_COUNT) {
      throw new NetworkConfigError(`natGateways must be 1 or ${AZ_COUNT}, got ${natGateways}`);
    }
    const plan = planSubnets(args.vpcCidr);
    const tags = (type: string) => ({ Name: resourceName(type, environment, suffix), Environment: environment });

    const zones = getAvailabilityZonesOutput({ state: 'available' }, { parent: this })
      .names.apply((names) => pickZones(args.region, names));

    const vpc = new ec2.Vpc(
      `${name}-vpc`,
      { cidrBlock: args.vpcCidr, enableDnsHostnames: true, enableDnsSupport: true, tags: tags('vpc') },
      { parent: this },
    );
    // The default security group allows all traffic between its members; nothing should ever use it.
    new ec2.DefaultSecurityGroup(`${name}-default-sg`, { vpcId: vpc.id, tags: tags('default-sg') }, { parent: this });

    const igw = new ec2.InternetGateway(`${name}-igw`, { vpcId: vpc.id, tags: tags('igw') }, { parent: this });
    const publicRoutes = new ec2.RouteTable(
      `${name}-public-rt`,
      { vpcId: vpc.id, routes: [{ cidrBlock: '0.0.0.0/0', gatewayId: igw.id }], tags: tags('public-rt') },
      { parent: this },
    );

    const publicSubnets = plan.public.map((cidrBlock, i) => {
      const subnet = new ec2.Subnet(
        `${name}-public-${i}`,
        {
          vpcId: vpc.id,
          cidrBlock,
          availabilityZone: zones[i],
          // Nothing we run has a public address; NAT gateways get theirs from an EIP.
          mapPublicIpOnLaunch: false,
          tags: { ...tags(`public-subnet-${i}`), Tier: 'public' },
        },
        { parent: this },
      );
      new ec2.RouteTableAssociation(`${name}-public-${i}-rta`, { subnetId: subnet.id, routeTableId: publicRoutes.id }, { parent: this });
      return subnet;
    });

    const nats = Array.from({ length: natGateways }, (_, i) => {
      const eip = new ec2.Eip(`${name}-nat-eip-${i}`, { domain: 'vpc', tags: tags(`nat-eip-${i}`) }, { parent: this });
      return new ec2.NatGateway(
        `${name}-nat-${i}`,
        { allocationId: eip.allocationId, subnetId: publicSubnets[i].id, tags: tags(`nat-${i}`) },
        { parent: this, dependsOn: [igw] },
      );
    });

    const privateSubnets = plan.private.map((cidrBlock, i) => {
      const subnet = new ec2.Subnet(
        `${name}-private-${i}`,
        { vpcId: vpc.id, cidrBlock, availabilityZone: zones[i], mapPublicIpOnLaunch: false, tags: { ...tags(`private-subnet-${i}`), Tier: 'private' } },
        { parent: this },
      );
      // With one NAT per AZ each private subnet uses its own zone's, so an AZ outage stays inside that AZ.
      const nat = nats[natGateways === 1 ? 0 : i];
      const routes = new ec2.RouteTable(
        `${name}-private-rt-${i}`,
        { vpcId: vpc.id, routes: [{ cidrBlock: '0.0.0.0/0', natGatewayId: nat.id }], tags: tags(`private-rt-${i}`) },
        { parent: this },
      );
      new ec2.RouteTableAssociation(`${name}-private-${i}-rta`, { subnetId: subnet.id, routeTableId: routes.id }, { parent: this });
      return subnet;
    });

    const endpointSg = new ec2.SecurityGroup(
      `${name}-endpoints-sg`,
      {
        name: resourceName('endpoints-sg', environment, suffix),
        description: 'Interface endpoints: HTTPS from inside the VPC only',
        vpcId: vpc.id,
        ingress: [{ protocol: 'tcp', fromPort: HTTPS_PORT, toPort: HTTPS_PORT, cidrBlocks: [vpc.cidrBlock], description: 'HTTPS from the VPC' }],
        // Endpoints only answer; an empty list removes AWS's default allow-all egress rule.
        egress: [],
        tags: tags('endpoints-sg'),
      },
      { parent: this },
    );
    for (const service of INTERFACE_ENDPOINT_SERVICES) {
      new ec2.VpcEndpoint(
        `${name}-${service}-endpoint`,
        {
          vpcId: vpc.id,
          serviceName: `com.amazonaws.${args.region}.${service}`,
          vpcEndpointType: 'Interface',
          // Private DNS: the SDK's default endpoint resolves to the ENIs, so Lambdas need no code change.
          privateDnsEnabled: true,
          subnetIds: privateSubnets.map((s) => s.id),
          securityGroupIds: [endpointSg.id],
          tags: tags(`${service}-endpoint`),
        },
        { parent: this },
      );
    }

    this.vpcId = vpc.id;
    this.vpcCidr = vpc.cidrBlock;
    this.publicSubnetIds = pulumi.all(publicSubnets.map((s) => s.id));
    this.privateSubnetIds = pulumi.all(privateSubnets.map((s) => s.id));
    this.availabilityZones = zones;
    this.endpointSecurityGroupId = endpointSg.id;
    this.registerOutputs({
      vpcId: this.vpcId,
      vpcCidr: this.vpcCidr,
      publicSubnetIds: this.publicSubnetIds,
      privateSubnetIds: this.privateSubnetIds,
      availabilityZones: this.availabilityZones,
      endpointSecurityGroupId: this.endpointSecurityGroupId,
    });
  }
}
