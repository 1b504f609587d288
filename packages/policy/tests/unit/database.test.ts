import {
  auroraBackupRetention,
  auroraInstanceNotPublic,
  auroraPrivateSubnets,
  auroraProdInstanceCount,
  auroraRequiresTls,
  auroraStorageEncrypted,
  TYPES,
} from '../../src';
import { find, loadFixture, record, runResource, runStack, tags } from '../helpers';

const KEY = 'arn:aws:kms:us-east-1:123456789012:key/db-key';
const cluster = (inputs: Record<string, unknown>) =>
  record(TYPES.cluster, 'db-cluster', { clusterIdentifier: 'aurora-cluster-dev-001', engine: 'aurora-postgresql', ...inputs });

describe('aurora-storage-encrypted-cmk', () => {
  it('passes a cluster encrypted with a customer-managed key', () => {
    // Prepare
    const resource = cluster({ storageEncrypted: true, kmsKeyId: KEY });
    // Act
    const outcome = runResource(auroraStorageEncrypted, resource);
    // Assess
    expect(outcome.messages).toEqual([]);
  });

  it('reports an unencrypted cluster without a key, naming it and the fix', () => {
    // Prepare
    const resource = cluster({ storageEncrypted: false });
    // Act
    const { messages } = runResource(auroraStorageEncrypted, resource);
    // Assess
    expect(messages).toEqual([
      "Aurora cluster 'db-cluster' (aurora-cluster-dev-001) does not encrypt its storage. Fix: set storageEncrypted: true and kmsKeyId to a customer-managed KMS key.",
      "Aurora cluster 'db-cluster' (aurora-cluster-dev-001) has no kmsKeyId, so RDS uses the AWS-managed key. Fix: set kmsKeyId to the ARN of a customer-managed KMS key.",
    ]);
  });

  it('reports the AWS-managed alias/aws/rds key', () => {
    // Prepare
    const resource = cluster({ storageEncrypted: true, kmsKeyId: 'arn:aws:kms:us-east-1:123456789012:alias/aws/rds' });
    // Act
    const { messages } = runResource(auroraStorageEncrypted, resource);
    // Assess
    expect(messages).toHaveLength(1);
    expect(messages[0]).toContain('uses the AWS-managed key arn:aws:kms:us-east-1:123456789012:alias/aws/rds');
  });

  it('is not applicable to other types, as validateResourceOfType declares', () => {
    // Prepare
    const resource = record(TYPES.kmsKey, 'db-key', {});
    // Act
    const outcome = runResource(auroraStorageEncrypted, resource);
    // Assess
    expect(outcome.notApplicable).toBe("Policy only applies to resources of type 'aws:rds/cluster:Cluster'");
  });
});

describe('aurora-backup-retention', () => {
  it.each([7, 35])('passes %i days', (days) => {
    expect(runResource(auroraBackupRetention, cluster({ backupRetentionPeriod: days })).messages).toEqual([]);
  });

  it('reports 3 days and the unset default', () => {
    // Prepare / Act
    const short = runResource(auroraBackupRetention, cluster({ backupRetentionPeriod: 3 })).messages;
    const unset = runResource(auroraBackupRetention, cluster({})).messages;
    // Assess
    expect(short).toEqual([
      "Aurora cluster 'db-cluster' (aurora-cluster-dev-001) keeps backups for 3 day(s). Fix: set backupRetentionPeriod to 7 or more.",
    ]);
    expect(unset[0]).toContain('keeps backups for the default 1 day(s)');
  });
});

describe('aurora-instance-not-public', () => {
  const instance = (inputs: Record<string, unknown>) =>
    record(TYPES.clusterInstance, 'db-instance-0', { identifier: 'aurora-instance-1-dev-001', ...inputs });

  it('passes an instance with publiclyAccessible: false', () => {
    expect(runResource(auroraInstanceNotPublic, instance({ publiclyAccessible: false })).messages).toEqual([]);
  });

  it('reports a public instance and an instance that leaves it to AWS', () => {
    // Act
    const pub = runResource(auroraInstanceNotPublic, instance({ publiclyAccessible: true })).messages;
    const unset = runResource(auroraInstanceNotPublic, instance({})).messages;
    // Assess
    expect(pub).toEqual(["Aurora instance 'db-instance-0' (aurora-instance-1-dev-001) is publicly accessible. Fix: set publiclyAccessible: false."]);
    expect(unset).toEqual([
      "Aurora instance 'db-instance-0' (aurora-instance-1-dev-001) does not set publiclyAccessible. Fix: set publiclyAccessible: false explicitly.",
    ]);
  });
});

describe('aurora-private-subnets', () => {
  it('passes the fixture: its subnet group is declared and private', () => {
    expect(runStack(auroraPrivateSubnets, loadFixture()).messages).toEqual([]);
  });

  it('reports a cluster without a subnet group', () => {
    // Prepare
    const resources = loadFixture();
    delete find(resources, 'db-cluster').inputs['dbSubnetGroupName'];
    // Act
    const { messages, urns } = runStack(auroraPrivateSubnets, resources);
    // Assess
    expect(messages).toEqual([
      "Aurora cluster 'db-cluster' (aurora-cluster-dev-001) sets no dbSubnetGroupName, so RDS uses the default VPC's subnets. Fix: create an aws.rds.SubnetGroup of the private subnets and pass its name.",
    ]);
    expect(urns).toEqual([find(resources, 'db-cluster').urn]);
  });

  it('reports a subnet group the stack does not declare', () => {
    // Prepare
    const resources = loadFixture();
    find(resources, 'db-cluster').inputs['dbSubnetGroupName'] = 'default';
    // Act
    const { messages } = runStack(auroraPrivateSubnets, resources);
    // Assess
    expect(messages[0]).toContain("uses subnet group 'default', which this stack does not declare");
  });

  it('reports a subnet the networking stack exports as public', () => {
    // Prepare
    const resources = loadFixture();
    const reference = resources.find((r) => r.type === TYPES.stackReference);
    if (!reference) throw new Error('fixture has no stack reference');
    // A StackReference's outputs (what the engine gives stack policies) hold the referenced stack's outputs.
    reference.outputs = { outputs: { publicSubnetIds: ['subnet-0a1b2c3d4e5f60002'] } };
    // Act
    const { messages } = runStack(auroraPrivateSubnets, resources);
    // Assess
    expect(messages).toEqual([
      "Aurora cluster 'db-cluster' (aurora-cluster-dev-001) uses subnet group 'db-subnets' (aurora-subnet-group-dev-001) with public subnet(s) subnet-0a1b2c3d4e5f60002. Fix: use the private subnet ids only.",
    ]);
  });

  it('reports a declared subnet that maps public IPs', () => {
    // Prepare
    const resources = loadFixture();
    resources.push(record(TYPES.subnet, 'public-a', { vpcId: 'vpc-1', cidrBlock: '10.0.0.0/24', mapPublicIpOnLaunch: true }));
    find(resources, 'db-subnets').inputs['subnetIds'] = ['public-a-id', 'subnet-0a1b2c3d4e5f60002'];
    // Act
    const { messages } = runStack(auroraPrivateSubnets, resources);
    // Assess
    expect(messages[0]).toContain('with public subnet(s) public-a-id.');
  });
});

describe('aurora-prod-instance-count', () => {
  it('is not applicable in dev (the fixture has one instance)', () => {
    expect(runStack(auroraProdInstanceCount, loadFixture(), tags('dev')).notApplicable).toBe('environment dev is not prod');
  });

  it('reports one instance in prod', () => {
    // Act
    const { messages } = runStack(auroraProdInstanceCount, loadFixture(), tags('prod'));
    // Assess
    expect(messages).toEqual([
      "Aurora cluster 'db-cluster' (aurora-cluster-dev-001) has 1 instance(s) in prod. Fix: declare at least 2 aws.rds.ClusterInstance resources for it (dbInstanceCount ≥ 2).",
    ]);
  });

  it('passes two instances in prod, matched by the cluster identifier as the engine gives it', () => {
    // Prepare
    const resources = loadFixture();
    find(resources, 'db-instance-0').inputs['clusterIdentifier'] = 'aurora-cluster-dev-001';
    resources.push(record(TYPES.clusterInstance, 'db-instance-1', { identifier: 'aurora-instance-2-dev-001', clusterIdentifier: 'aurora-cluster-dev-001', publiclyAccessible: false }));
    // Act / Assess
    expect(runStack(auroraProdInstanceCount, resources, tags('prod')).messages).toEqual([]);
  });

  it('applies prod rules, failing closed, when the environment cannot be told', () => {
    // Prepare: a stack named "sandbox" and no tap:environment tag
    const resources = loadFixture().map((r) => ({ ...r, urn: r.urn.replace('urn:pulumi:dev::', 'urn:pulumi:sandbox::') }));
    // Act
    const { messages } = runStack(auroraProdInstanceCount, resources, tags());
    // Assess
    expect(messages[0]).toContain('has 1 instance(s) in an environment that cannot be told (treated as prod)');
  });
});

describe('aurora-requires-tls', () => {
  const PARAMS = 'aws:rds/clusterParameterGroup:ClusterParameterGroup';
  const expectedFix = 'Fix: declare an aws.rds.ClusterParameterGroup with the parameter rds.force_ssl = "1" and pass its name as dbClusterParameterGroupName.';

  it('passes the fixture: its parameter group is declared and forces TLS', () => {
    expect(runStack(auroraRequiresTls, loadFixture()).messages).toEqual([]);
  });

  it('reports a cluster on the default parameter group', () => {
    // Prepare
    const resources = loadFixture();
    delete find(resources, 'db-cluster').inputs['dbClusterParameterGroupName'];
    // Act
    const { messages, urns } = runStack(auroraRequiresTls, resources);
    // Assess
    expect(messages).toEqual([
      `Aurora cluster 'db-cluster' (aurora-cluster-dev-001) uses the default cluster parameter group, which accepts connections without TLS. ${expectedFix}`,
    ]);
    expect(urns).toEqual([find(resources, 'db-cluster').urn]);
  });

  it.each([
    ['is off', [{ name: 'rds.force_ssl', value: '0' }]],
    ['is missing', [{ name: 'log_connections', value: '1' }]],
    ['has no parameters', undefined],
  ])('reports a declared parameter group whose rds.force_ssl %s', (_case, parameters) => {
    // Prepare
    const resources = loadFixture();
    const group = resources.find((r) => r.type === PARAMS);
    if (!group) throw new Error('fixture has no cluster parameter group');
    if (parameters === undefined) delete group.inputs['parameters'];
    else group.inputs['parameters'] = parameters;
    // Act
    const { messages } = runStack(auroraRequiresTls, resources);
    // Assess
    expect(messages).toEqual([
      `Aurora cluster 'db-cluster' (aurora-cluster-dev-001) uses cluster parameter group 'db-params' (aurora-params-dev-001) without rds.force_ssl = 1, so clients may connect without TLS. ${expectedFix}`,
    ]);
  });

  it('reports a parameter group the stack does not declare', () => {
    // Prepare
    const resources = loadFixture();
    find(resources, 'db-cluster').inputs['dbClusterParameterGroupName'] = 'default.aurora-postgresql15';
    // Act
    const { messages } = runStack(auroraRequiresTls, resources);
    // Assess
    expect(messages[0]).toContain("uses cluster parameter group 'default.aurora-postgresql15', which this stack does not declare");
  });

  it('does not apply to a stack without an Aurora PostgreSQL cluster', () => {
    // Prepare
    const resources = loadFixture().filter((r) => r.type !== TYPES.cluster);
    // Act
    const { messages, notApplicable } = runStack(auroraRequiresTls, resources);
    // Assess
    expect(messages).toEqual([]);
    expect(notApplicable).toBe('no Aurora PostgreSQL cluster in the stack');
  });
});
