import { installMocks, valueOf } from '@tap/pulumi-testing';
import { NetworkingStack, NetworkingStackError, validateNetworkingOutputs } from '../../src';

const complete = (env: string) => ({
  vpcId: `vpc-${env}`,
  vpcCidr: '10.0.0.0/16',
  privateSubnetIds: [`subnet-${env}-a`, `subnet-${env}-b`, `subnet-${env}-c`],
  publicSubnetIds: [`subnet-${env}-pa`, `subnet-${env}-pb`, `subnet-${env}-pc`],
  availabilityZones: ['us-east-1a', 'us-east-1b', 'us-east-1c'],
});

const mocks = installMocks({
  vpcCidr: '10.42.0.0/16',
  stackOutputs: {
    'organization/networking-stack/dev': complete('dev'),
    'organization/networking-stack/staging': complete('staging'),
    'organization/networking-stack/prod': complete('prod'),
    'acme/net/no-cidr': { ...complete('x'), vpcCidr: undefined },
    'acme/net/two-azs': { ...complete('x'), availabilityZones: ['us-east-1a', 'us-east-1b'] },
  },
});

describe('NetworkingStack', () => {
  it.each(['dev', 'staging', 'prod'] as const)('reads organization/networking-stack/%s by default', async (env) => {
    // Prepare / Act
    const net = new NetworkingStack(`net-${env}`, { environment: env });

    // Assess
    expect(net.stackReferenceName).toBe(`organization/networking-stack/${env}`);
    expect(await valueOf(net.vpcId)).toBe(`vpc-${env}`);
    expect(await valueOf(net.privateSubnetIds)).toEqual([`subnet-${env}-a`, `subnet-${env}-b`, `subnet-${env}-c`]);
    expect(await valueOf(net.publicSubnetIds)).toHaveLength(3);
    expect(await valueOf(net.availabilityZones)).toEqual(['us-east-1a', 'us-east-1b', 'us-east-1c']);
    expect(await valueOf(net.vpcCidr)).toBe('10.0.0.0/16');
    const ref = mocks.resources.find((r) => r.type === 'pulumi:pulumi:StackReference' && r.name === `net-${env}-ref`);
    expect(ref?.inputs.name).toBe(`organization/networking-stack/${env}`);
  });

  it('looks the CIDR up from the VPC id when the reference does not export vpcCidr', async () => {
    // Prepare / Act
    const net = new NetworkingStack('net-nocidr', { environment: 'dev', stackReference: 'acme/net/no-cidr' });

    // Assess
    expect(await valueOf(net.vpcCidr)).toBe('10.42.0.0/16');
    const lookup = mocks.calls.find((c) => c.token === 'aws:ec2/getVpc:getVpc');
    expect(lookup?.inputs.id).toBe('vpc-x');
  });

  it('accepts two AZs when minAvailabilityZones says so', async () => {
    // Prepare / Act
    const net = new NetworkingStack('net-2az-ok', {
      environment: 'dev',
      stackReference: 'acme/net/two-azs',
      minAvailabilityZones: 2,
    });

    // Assess
    expect(await valueOf(net.availabilityZones)).toEqual(['us-east-1a', 'us-east-1b']);
  });

  it('rejects bad arguments synchronously', () => {
    expect(() => new NetworkingStack('bad-env', { environment: 'qa' as never })).toThrow('environment "qa" must be one of dev, staging, prod');
    expect(() => new NetworkingStack('bad-min', { environment: 'dev', minAvailabilityZones: 0 })).toThrow(
      'minAvailabilityZones must be a positive integer, got 0',
    );
    expect(() => new NetworkingStack('bad-ref', { environment: 'dev', stackReference: ' ' })).toThrow(NetworkingStackError);
  });
});

describe('validateNetworkingOutputs', () => {
  const ref = 'organization/networking-stack/dev';

  it('returns typed outputs and leaves vpcCidr undefined when absent', () => {
    // Prepare
    const { vpcCidr: _omit, ...withoutCidr } = complete('dev');

    // Act
    const result = validateNetworkingOutputs(ref, withoutCidr, 3);

    // Assess
    expect(result.vpcCidr).toBeUndefined();
    expect(result.privateSubnetIds).toEqual(['subnet-dev-a', 'subnet-dev-b', 'subnet-dev-c']);
  });

  it.each([
    ['vpcId', { vpcId: undefined }, `networking stack ${ref} does not export vpcId`],
    ['vpcId type', { vpcId: 42 }, `networking stack ${ref} exports vpcId as number (42); expected a non-empty string`],
    ['publicSubnetIds', { publicSubnetIds: undefined }, `networking stack ${ref} does not export publicSubnetIds`],
    ['availabilityZones', { availabilityZones: undefined }, `networking stack ${ref} does not export availabilityZones`],
    ['subnet ids not strings', { privateSubnetIds: ['a', 2, 'c'] }, 'exports privateSubnetIds as a list (["a",2,"c"])'],
    ['subnet ids not a list', { privateSubnetIds: 'subnet-a,subnet-b' }, 'exports privateSubnetIds as string'],
    ['two private subnets', { privateSubnetIds: ['a', 'b'] }, 'exports 2 privateSubnetIds; at least 3 are required'],
    ['duplicate subnets', { privateSubnetIds: ['a', 'a', 'b'] }, 'exports duplicate entries in privateSubnetIds'],
    ['bad cidr', { vpcCidr: '10.0.0.0' }, 'exports vpcCidr "10.0.0.0"; expected an IPv4 CIDR'],
  ])('rejects %s', (_label, override, message) => {
    expect(() => validateNetworkingOutputs(ref, { ...complete('dev'), ...override }, 3)).toThrow(message);
  });

  it('accepts an empty list of public subnets (private-only VPC)', () => {
    expect(validateNetworkingOutputs(ref, { ...complete('dev'), publicSubnetIds: [] }, 3).publicSubnetIds).toEqual([]);
  });
});
