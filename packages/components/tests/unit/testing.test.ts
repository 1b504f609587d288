import type * as pulumi from '@pulumi/pulumi';
import { MOCK_ACCOUNT_ID, platformMocks } from '../../src/testing';

const resource = (type: string, name: string, inputs: Record<string, unknown> = {}): pulumi.runtime.MockResourceArgs => ({ type, name, inputs, custom: true });
const call = (token: string, inputs: Record<string, unknown> = {}): pulumi.runtime.MockCallArgs => ({ token, inputs, provider: '' });

describe('@tap/components/testing', () => {
  it('names ids and generated parts after the resource by default, so a test can write them down', async () => {
    // Prepare
    const mocks = platformMocks();

    // Act
    const sg = await mocks.newResource(resource('aws:ec2/securityGroup:SecurityGroup', 'db-sg'));
    const key = await mocks.newResource(resource('aws:kms/key:Key', 'db-key'));

    // Assess
    expect(sg.id).toBe('db-sg-id');
    expect(sg.state['arn']).toBe(`arn:aws:ec2:us-east-1:${MOCK_ACCOUNT_ID}:security-group/sg-db-sg`);
    expect(key.state['arn']).toBe(`arn:aws:kms:us-east-1:${MOCK_ACCOUNT_ID}:key/db-key`);
  });

  it('gives opaque, AWS-shaped values when hashed, the same on every run', async () => {
    // Prepare
    const first = platformMocks({ ids: 'hashed', region: 'eu-west-1', accountId: '210987654321' });
    const second = platformMocks({ ids: 'hashed', region: 'eu-west-1', accountId: '210987654321' });

    // Act
    const a = await first.newResource(resource('aws:kms/key:Key', 'db-key'));
    const b = await second.newResource(resource('aws:kms/key:Key', 'db-key'));

    // Assess
    expect(a.id).toMatch(/^key-[0-9a-f]{17}$/);
    expect(a.state['arn']).toMatch(/^arn:aws:kms:eu-west-1:210987654321:key\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(b).toEqual(a);
  });

  it('answers a stack reference and the VPC CIDR it exports, and records what the program asked', async () => {
    // Prepare
    const mocks = platformMocks({ stackReferences: { 'acme/network/dev': { vpcId: 'vpc-1', vpcCidr: '10.40.0.0/16' } } });

    // Act
    const ref = await mocks.newResource(resource('pulumi:pulumi:StackReference', 'net', { name: 'acme/network/dev' }));
    const vpc = await mocks.call(call('aws:ec2/getVpc:getVpc', { id: 'vpc-1' }));

    // Assess
    expect(ref.state['outputs']).toEqual({ vpcId: 'vpc-1', vpcCidr: '10.40.0.0/16' });
    expect(vpc['cidrBlock']).toBe('10.40.0.0/16');
    expect(mocks.resources.map((r) => r.name)).toEqual(['net']);
    expect(mocks.calls.map((c) => c.token)).toEqual(['aws:ec2/getVpc:getVpc']);
  });

  it('fails on an unknown data source or stack reference when strict, answers {} otherwise', () => {
    // Prepare
    const strict = platformMocks({ strict: true });
    const lenient = platformMocks();

    // Act / Assess
    expect(() => strict.call(call('aws:ec2/getAmi:getAmi'))).toThrow('the mocks have no answer for data source aws:ec2/getAmi:getAmi');
    expect(() => strict.newResource(resource('pulumi:pulumi:StackReference', 'net', { name: 'acme/x/dev' }))).toThrow('no outputs for stack reference acme/x/dev');
    expect(lenient.call(call('aws:ec2/getAmi:getAmi'))).toEqual({});
  });
});
