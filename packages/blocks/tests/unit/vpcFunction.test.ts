import * as sns from '@pulumi/aws/sns';
import * as pulumi from '@pulumi/pulumi';
import { createVpcFunction, createVpcFunctionNetwork, policyDocument, vpcNetworkInterfacesStatement, writeOwnLogGroupStatement } from '../../src';
import type { VpcFunction, VpcFunctionArgs } from '../../src';
import { MOCK_ACCOUNT_ID as ACCOUNT_ID, MOCK_REGION as REGION, setPlatformMocks } from '../../src/testing';
import { Parent, ofType, one, registered, valueOf } from './support';

// The package's own mocks: @tap/pulumi-testing builds on this package, so it cannot be used here.
const mocks = setPlatformMocks({ project: 'tap', stack: 'unit' });
const FN = 'aws:lambda/function:Function';
const SG = 'aws:ec2/securityGroup:SecurityGroup';
const EGRESS = 'aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule';
const INGRESS = 'aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule';
const LOGS = 'aws:cloudwatch/logGroup:LogGroup';
const ROLE = 'aws:iam/role:Role';
const POLICY = 'aws:iam/rolePolicy:RolePolicy';

const everything = (created: VpcFunction) => [
  created.network?.securityGroup,
  ...(created.network?.rules ?? []),
  created.logGroup,
  created.role,
  created.rolePolicy,
  created.fn,
];

const args = (overrides: Partial<VpcFunctionArgs> = {}): VpcFunctionArgs => ({
  functionName: 'worker-dev-001',
  privateSubnetIds: ['subnet-a', 'subnet-b'],
  network: {
    securityGroupName: 'worker-sg-dev-001',
    description: 'worker-dev-001: egress to the database only',
    vpcId: 'vpc-1',
    databaseSecurityGroupId: 'sg-db',
    httpsEgressCidrBlocks: ['10.0.0.0/16'],
  },
  logGroupName: '/aws/lambda/worker-dev-001',
  logRetentionDays: 14,
  roleName: 'worker-role-dev-001',
  policyName: 'worker-policy-dev-001',
  policy: (logGroupArn) => logGroupArn.apply((arn) => policyDocument([writeOwnLogGroupStatement(arn), vpcNetworkInterfacesStatement()])),
  settings: { runtime: 'nodejs22.x', handler: 'index.handler', code: new pulumi.asset.AssetArchive({}), memorySize: 256 },
  ...overrides,
});

describe('createVpcFunction with its own security group', () => {
  const prefix = 'own';
  let parent: Parent;
  let created: ReturnType<typeof createVpcFunction>;

  beforeAll(async () => {
    parent = new Parent(`${prefix}-parent`);
    created = createVpcFunction(prefix, args(), parent);
    await registered(everything(created));
  });

  it('names every resource after the prefix, directly under the parent (no component of its own)', async () => {
    // Act
    const urns = await Promise.all(
      [created.network?.securityGroup, created.logGroup, created.role, created.rolePolicy, created.fn].map((r) => (r ? valueOf(r.urn) : undefined)),
    );

    // Assess
    expect(urns).toEqual([
      `urn:pulumi:unit::tap::test:index:Parent$${SG}::own-sg`,
      `urn:pulumi:unit::tap::test:index:Parent$${LOGS}::own-logs`,
      `urn:pulumi:unit::tap::test:index:Parent$${ROLE}::own-role`,
      `urn:pulumi:unit::tap::test:index:Parent$${POLICY}::own-role-policy`,
      `urn:pulumi:unit::tap::test:index:Parent$${FN}::own-function`,
    ]);
    expect(ofType(mocks, prefix, EGRESS).map((r) => r.name).sort()).toEqual(['own-egress-db', 'own-egress-https-0']);
    expect(ofType(mocks, prefix, INGRESS).map((r) => r.name)).toEqual(['own-db-ingress']);
  });

  it('runs the function in the private subnets behind its group, logging to its own log group', async () => {
    // Prepare
    const sgId = await valueOf(created.securityGroupId);

    // Assess
    const fn = one(mocks, prefix, FN).inputs;
    expect(fn).toEqual(
      expect.objectContaining({
        name: 'worker-dev-001',
        runtime: 'nodejs22.x',
        memorySize: 256,
        role: `arn:aws:iam::${ACCOUNT_ID}:role/worker-role-dev-001`,
        vpcConfig: { subnetIds: ['subnet-a', 'subnet-b'], securityGroupIds: [sgId] },
        loggingConfig: { logFormat: 'JSON', logGroup: '/aws/lambda/worker-dev-001' },
      }),
    );
    expect(fn).not.toHaveProperty('tags');
    expect(one(mocks, prefix, LOGS).inputs).toEqual({ name: '/aws/lambda/worker-dev-001', retentionInDays: 14 });
  });

  it('lets only Lambda assume the role, and writes the policy for the log group it created', () => {
    // Assess
    const trust = JSON.parse(one(mocks, prefix, ROLE).inputs.assumeRolePolicy);
    expect(trust.Statement).toEqual([{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }]);
    const policy = one(mocks, prefix, POLICY).inputs;
    expect(policy.name).toBe('worker-policy-dev-001');
    expect(JSON.parse(policy.policy).Statement[0].Resource).toEqual([`arn:aws:logs:${REGION}:${ACCOUNT_ID}:log-group:/aws/lambda/worker-dev-001:*`]);
  });

  it('opens PostgreSQL both ways between the function and the database, and HTTPS to the given CIDRs only', async () => {
    // Prepare
    const sgId = await valueOf(created.securityGroupId);

    // Assess
    expect(one(mocks, prefix, SG).inputs).toEqual({
      name: 'worker-sg-dev-001',
      description: 'worker-dev-001: egress to the database only',
      vpcId: 'vpc-1',
      tags: { Name: 'worker-sg-dev-001' },
    });
    const egress = Object.fromEntries(ofType(mocks, prefix, EGRESS).map((r) => [r.name, r.inputs]));
    expect(egress['own-egress-db']).toEqual(expect.objectContaining({ securityGroupId: sgId, referencedSecurityGroupId: 'sg-db', fromPort: 5432, toPort: 5432 }));
    expect(egress['own-egress-https-0']).toEqual(expect.objectContaining({ securityGroupId: sgId, cidrIpv4: '10.0.0.0/16', fromPort: 443, toPort: 443 }));
    expect(one(mocks, prefix, INGRESS).inputs).toEqual(
      expect.objectContaining({ securityGroupId: 'sg-db', referencedSecurityGroupId: sgId, fromPort: 5432, description: 'PostgreSQL from worker-dev-001' }),
    );
    expect(created.network?.rules).toHaveLength(3);
  });

  it('creates the function only after its role policy and log group', () => {
    // Assess
    expect(parent.dependsOnOf('own-function')).toEqual(['own-role-policy', 'own-logs']);
  });
});

describe('createVpcFunction in an existing security group', () => {
  const prefix = 'shared';

  it('creates no group or rules, and waits for what the caller names', async () => {
    // Prepare
    const parent = new Parent(`${prefix}-parent`);
    // A custom resource: dependsOn on a component waits for its children, and this one would have none.
    const before = new sns.Topic(`${prefix}-before`, {}, { parent });

    // Act
    const created = createVpcFunction(prefix, args({ network: { securityGroupId: 'sg-existing' }, dependsOn: [before] }), parent);
    await registered([before, ...everything(created)]);

    // Assess
    expect(created.network).toBeUndefined();
    expect(await valueOf(created.securityGroupId)).toBe('sg-existing');
    expect(ofType(mocks, prefix, SG)).toHaveLength(0);
    expect(ofType(mocks, prefix, EGRESS)).toHaveLength(0);
    expect(one(mocks, prefix, FN).inputs.vpcConfig.securityGroupIds).toEqual(['sg-existing']);
    expect(parent.dependsOnOf(`${prefix}-function`)).toEqual([`${prefix}-role-policy`, `${prefix}-logs`, `${prefix}-before`]);
  });
});

describe('createVpcFunction with tags and the names of existing resources', () => {
  const prefix = 'legacy';

  it('tags every taggable resource and keeps the logical names it is given', async () => {
    // Prepare
    const parent = new Parent(`${prefix}-parent`);
    const tags = { team: 'payments' };

    // Act
    const created = createVpcFunction(
      prefix,
      args({
        network: {
          securityGroupName: 'legacy-sg',
          description: 'legacy',
          vpcId: 'vpc-1',
          databaseSecurityGroupId: 'sg-db',
          httpsEgressCidrBlocks: ['10.0.0.0/16', '10.1.0.0/16'],
          logicalNames: { egressHttps: (i) => (i === 0 ? `${prefix}-egress-https` : `${prefix}-egress-https-${i}`) },
        },
        tags,
        logicalNames: { rolePolicy: `${prefix}-policy` },
      }),
      parent,
    );
    await registered(everything(created));

    // Assess
    expect(ofType(mocks, prefix, EGRESS).map((r) => r.name).sort()).toEqual(['legacy-egress-db', 'legacy-egress-https', 'legacy-egress-https-1']);
    expect(one(mocks, prefix, POLICY).name).toBe('legacy-policy');
    for (const type of [LOGS, ROLE, FN]) expect(one(mocks, prefix, type).inputs.tags).toEqual(tags);
    expect(one(mocks, prefix, SG).inputs.tags).toEqual({ team: 'payments', Name: 'legacy-sg' });
  });
});

describe('createVpcFunctionNetwork', () => {
  const prefix = 'cidr';

  it('admits the database by CIDR when no database group is given, and adds no ingress rule', async () => {
    // Prepare
    const parent = new Parent(`${prefix}-parent`);

    // Act
    const network = createVpcFunctionNetwork(
      prefix,
      { securityGroupName: 'cidr-sg', description: 'cidr', functionName: 'cidr-fn', vpcId: 'vpc-1', databaseEgressCidrBlocks: ['10.2.0.0/24'] },
      parent,
    );
    await registered([network.securityGroup, ...network.rules]);

    // Assess
    expect(ofType(mocks, prefix, INGRESS)).toHaveLength(0);
    expect(ofType(mocks, prefix, EGRESS).map((r) => [r.name, r.inputs.cidrIpv4, r.inputs.fromPort])).toEqual([['cidr-egress-db-cidr-0', '10.2.0.0/24', 5432]]);
    expect(network.rules).toHaveLength(1);
  });
});
