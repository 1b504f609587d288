import { echoMocks } from '@tap/pulumi-testing';
import { NetworkConfigError } from '../../src/errors';
import { isPrivateCidr, pickZones, planSubnets } from '../../src/network';
import { ofType, runProgram, stackConfig, type ProgramRun } from '../harness';

const SUFFIX = '-001';

describe.each([
  { stack: 'dev', region: 'us-east-2', cidr: '10.10.0.0/16', nats: 1, zones: ['us-east-2a', 'us-east-2b', 'us-east-2c'] },
  { stack: 'staging', region: 'us-west-2', cidr: '10.20.0.0/16', nats: 1, zones: ['us-west-2a', 'us-west-2b', 'us-west-2c'] },
  { stack: 'prod', region: 'us-east-1', cidr: '10.30.0.0/16', nats: 3, zones: ['us-east-1a', 'us-east-1b', 'us-east-1c'] },
])('networking stack $stack', ({ stack, region, cidr, nats, zones }) => {
  let run: ProgramRun;

  beforeAll(async () => {
    // Prepare / Act
    run = await runProgram(stack, stackConfig(stack));
  });

  it('exports the outputs the tap-stack reads, one subnet per AZ', () => {
    // Assess
    expect(Object.keys(run.outputs).sort()).toEqual(
      ['availabilityZones', 'environment', 'privateSubnetIds', 'publicSubnetIds', 'vpcCidr', 'vpcId'],
    );
    expect(run.outputs['vpcCidr']).toBe(cidr);
    expect(run.outputs['availabilityZones']).toEqual(zones);
    expect(run.outputs['privateSubnetIds']).toEqual(['network-private-0-id', 'network-private-1-id', 'network-private-2-id']);
    expect(run.outputs['publicSubnetIds']).toEqual(['network-public-0-id', 'network-public-1-id', 'network-public-2-id']);
    expect(run.outputs['environment']).toBe(stack);
  });

  it('spreads non-overlapping public and private subnets over three distinct AZs, none with public IPs', () => {
    // Act
    const subnets = ofType(run, 'aws:ec2/subnet:Subnet');
    // Assess
    expect(subnets).toHaveLength(6);
    const prefix = cidr.split('.').slice(0, 2).join('.');
    expect(subnets.map((s) => s.inputs['cidrBlock']).sort()).toEqual(
      [`${prefix}.0.0/20`, `${prefix}.128.0/19`, `${prefix}.16.0/20`, `${prefix}.160.0/19`, `${prefix}.192.0/19`, `${prefix}.32.0/20`],
    );
    for (const tier of ['public', 'private']) {
      const azs = subnets.filter((s) => s.inputs['tags'].Tier === tier).map((s) => s.inputs['availabilityZone']);
      expect(azs).toEqual(zones);
    }
    expect(subnets.every((s) => s.inputs['mapPublicIpOnLaunch'] === false)).toBe(true);
  });

  it(`routes private subnets through ${nats} NAT gateway(s) in public subnets`, () => {
    // Act
    const natGateways = ofType(run, 'aws:ec2/natGateway:NatGateway');
    const privateRoutes = ofType(run, 'aws:ec2/routeTable:RouteTable').filter((r) => r.name.startsWith('network-private-rt'));
    // Assess
    expect(natGateways).toHaveLength(nats);
    expect(ofType(run, 'aws:ec2/eip:Eip').map((e) => e.inputs['domain'])).toEqual(Array(nats).fill('vpc'));
    expect(natGateways.map((n) => n.inputs['subnetId'])).toEqual(
      ['network-public-0-id', 'network-public-1-id', 'network-public-2-id'].slice(0, nats),
    );
    expect(privateRoutes.map((r) => r.inputs['routes'][0].natGatewayId)).toEqual(
      nats === 1 ? ['network-nat-0-id', 'network-nat-0-id', 'network-nat-0-id'] : ['network-nat-0-id', 'network-nat-1-id', 'network-nat-2-id'],
    );
    const publicRoute = ofType(run, 'aws:ec2/routeTable:RouteTable').find((r) => r.name === 'network-public-rt');
    expect(publicRoute?.inputs['routes']).toEqual([{ cidrBlock: '0.0.0.0/0', gatewayId: 'network-igw-id' }]);
  });

  it('reaches Secrets Manager through a private-DNS interface endpoint that admits only HTTPS from the VPC', () => {
    // Act
    const [endpoint] = ofType(run, 'aws:ec2/vpcEndpoint:VpcEndpoint');
    const sg = ofType(run, 'aws:ec2/securityGroup:SecurityGroup').find((s) => s.name === 'network-endpoints-sg');
    // Assess
    expect(endpoint.inputs).toMatchObject({
      serviceName: `com.amazonaws.${region}.secretsmanager`,
      vpcEndpointType: 'Interface',
      privateDnsEnabled: true,
      subnetIds: ['network-private-0-id', 'network-private-1-id', 'network-private-2-id'],
      securityGroupIds: ['network-endpoints-sg-id'],
    });
    expect(sg?.inputs['ingress']).toEqual([
      { protocol: 'tcp', fromPort: 443, toPort: 443, cidrBlocks: [cidr], description: 'HTTPS from the VPC' },
    ]);
    expect(sg?.inputs['egress']).toEqual([]);
    expect(ofType(run, 'aws:ec2/defaultSecurityGroup:DefaultSecurityGroup')[0].inputs['ingress']).toBeUndefined();
  });

  it('names every resource {type}-{environment}-{suffix}', () => {
    // Act
    const names = run.resources.filter((r) => r.inputs['tags']).map((r) => String(r.inputs['tags'].Name));
    // Assess
    expect(names.length).toBeGreaterThan(15);
    expect(names.every((n) => n.endsWith(`-${stack}${SUFFIX}`))).toBe(true);
    expect(ofType(run, 'aws:ec2/vpc:Vpc')[0].inputs['tags'].Name).toBe(`vpc-${stack}${SUFFIX}`);
  });
});

describe('networking stack: bad configuration', () => {
  // A failing program is exercised through its parts: under mocks a thrown program error also escapes as unhandled
  // rejections of Pulumi's internal promises, which Jest reports against the wrong test.
  it('rejects a VPC CIDR that is not a /16, naming the config key', () => {
    // Act / Assess
    expect(() => planSubnets('10.0.0.0/8')).toThrow(
      'vpcCidr "10.0.0.0/8" must be an IPv4 /16 such as 10.10.0.0/16 (set networking-stack:vpcCidr)',
    );
    expect(() => planSubnets('10.300.0.0/16')).toThrow(NetworkConfigError);
  });

  it.each(['8.8.0.0/16', '172.32.0.0/16', '192.169.0.0/16', '11.0.0.0/16', '100.64.0.0/16'])(
    'refuses vpcCidr %s (not RFC 1918) in one line naming the key, the file and the private ranges',
    async (cidr) => {
      // Prepare
      const config = { ...stackConfig('prod'), 'networking-stack:vpcCidr': cidr };
      // Act
      const read = await readConfigIsolated('prod', config);
      // Assess
      expect(read).toBe(
        `networking-stack:vpcCidr "${cidr}" in Pulumi.prod.yaml is not a private (RFC 1918) block: use a /16 inside 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16, e.g. 10.30.0.0/16`,
      );
    },
  );

  it('accepts the three RFC 1918 ranges, edges included, and nothing malformed', async () => {
    // Act
    const read = await readConfigIsolated('dev', { ...stackConfig('dev'), 'networking-stack:vpcCidr': '172.31.0.0/16' });
    // Assess
    expect(read).toBe('ok');
    expect(['10.0.0.0/16', '10.255.0.0/16', '172.16.0.0/16', '172.31.0.0/16', '192.168.0.0/16'].map(isPrivateCidr)).toEqual([true, true, true, true, true]);
    expect(['172.15.0.0/16', '192.168.0.0/15', '10.0.0.0/7', '10.0.0.256/16', '10.0.0.0', 'ten.0.0.0/16', '10.0.0.0/33'].map(isPrivateCidr)).toEqual(
      [false, false, false, false, false, false, false],
    );
  });

  it('rejects a NAT gateway count other than 1 or 3', async () => {
    // Prepare
    const config = { ...stackConfig('prod'), 'networking-stack:natGateways': '2' };
    // Act
    const read = await readConfigIsolated('prod', config);
    // Assess
    expect(read).toBe('networking-stack:natGateways must be 1 or 3, got 2');
  });

  it('refuses a key it does not read and a foreign key but aws:region, naming each (ESC config included at deploy time)', async () => {
    // Prepare
    const config = { ...stackConfig('prod'), 'networking-stack:vpcCidrs': '10.99.0.0/16', 'aws:endpoints': '[{"ec2":"https://ec2.attacker.example"}]' };
    // Act
    const read = await readConfigIsolated('prod', config);
    // Assess
    expect(read).toBe(
      [
        'config key networking-stack:vpcCidrs of Pulumi.prod.yaml is not read by the networking stack: remove it (it reads networking-stack:environment, networking-stack:environmentSuffix, networking-stack:vpcCidr, networking-stack:natGateways and aws:region)',
        'config key aws:endpoints of Pulumi.prod.yaml is not read by the networking stack: remove it (it reads networking-stack:environment, networking-stack:environmentSuffix, networking-stack:vpcCidr, networking-stack:natGateways and aws:region)',
      ].join('\n'),
    );
  });

  it('rejects a stack that is not an environment', async () => {
    // Act
    const read = await readConfigIsolated('qa', stackConfig('dev'));
    // Assess
    expect(read).toBe(
      'environment "qa" must be one of dev, staging, prod (set networking-stack:environment or name the stack after it)',
    );
  });

  it('fails when the region has fewer than three availability zones, and picks zones in name order', () => {
    // Act / Assess
    expect(() => pickZones('us-east-2', ['us-east-2a', 'us-east-2b'])).toThrow(
      'region us-east-2 offers 2 availability zones; 3 are required',
    );
    expect(pickZones('us-east-1', ['us-east-1d', 'us-east-1b', 'us-east-1a', 'us-east-1c'])).toEqual(
      ['us-east-1a', 'us-east-1b', 'us-east-1c'],
    );
  });
});

/** Reads the config under mocks in a fresh registry; returns the error message, or 'ok'. */
async function readConfigIsolated(stack: string, config: Record<string, string>): Promise<string> {
  let result = 'ok';
  await jest.isolateModulesAsync(async () => {
    const pulumi: typeof import('@pulumi/pulumi') = require('@pulumi/pulumi');
    pulumi.runtime.setAllConfig(config);
    await pulumi.runtime.setMocks(echoMocks(), 'networking-stack', stack);
    const { readNetworkConfig } = require('../../src/config') as typeof import('../../src/config');
    try {
      readNetworkConfig();
    } catch (err) {
      result = (err as Error).message;
    }
  });
  return result;
}
