import { ACCOUNT_ID, REGION, flush, installMocks, ofType, one, valueOf } from '@tap/pulumi-testing';
import { environmentProfile } from '@tap/validation';
import { DatabaseComponent, DatabaseComponentError, databaseKeyPolicy, type DatabaseComponentArgs } from '../../src';

const mocks = installMocks();
const CLUSTER = 'aws:rds/cluster:Cluster';
const INSTANCE = 'aws:rds/clusterInstance:ClusterInstance';
const KEY = 'aws:kms/key:Key';
const SG = 'aws:ec2/securityGroup:SecurityGroup';
const INGRESS = 'aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule';

const base = {
  vpcId: 'vpc-1',
  privateSubnetIds: ['subnet-a', 'subnet-b', 'subnet-c'],
};

describe.each([
  ['dev', '001', 1, 'db.t4g.medium'],
  ['staging', 'stg2', 2, 'db.r6g.large'],
  ['prod', 'p01', 3, 'db.r6g.xlarge'],
] as const)('DatabaseComponent in %s', (environment, suffix, instanceCount, instanceClass) => {
  const prefix = `db-${environment}`;
  let db: DatabaseComponent;

  beforeAll(async () => {
    db = new DatabaseComponent(prefix, {
      ...base,
      environment,
      environmentSuffix: suffix,
      instanceCount,
      instanceClass,
      ingressCidrBlocks: ['10.0.0.0/16'],
      ingressSecurityGroupIds: ['sg-lambda'],
    });
    await valueOf(db.endpoint);
    await flush(mocks);
  });

  it('encrypts storage and the master user secret with the key it creates, which rotates and is destroyable', async () => {
    // Prepare
    const key = one(mocks, `${prefix}-key`, KEY);
    const cluster = one(mocks, prefix, CLUSTER);
    const keyArn = `arn:aws:kms:${REGION}:${ACCOUNT_ID}:key/${prefix}-key`;

    // Assess
    expect(key.inputs.enableKeyRotation).toBe(true);
    expect(key.inputs.deletionWindowInDays).toBe(7);
    expect(cluster.inputs.storageEncrypted).toBe(true);
    expect(cluster.inputs.kmsKeyId).toBe(keyArn);
    expect(cluster.inputs.masterUserSecretKmsKeyId).toBe(keyArn);
    expect(await valueOf(db.kmsKeyArn)).toBe(keyArn);
  });

  it('lets RDS and Secrets Manager use the key, and the root only administer it', () => {
    // Prepare
    const policy = JSON.parse(one(mocks, `${prefix}-key`, KEY).inputs.policy);
    const [admin, use] = policy.Statement;

    // Assess
    expect(admin.Principal.AWS).toBe(`arn:aws:iam::${ACCOUNT_ID}:root`);
    expect(admin.Action).not.toContain('kms:Decrypt');
    expect(admin.Action).not.toContain('kms:*');
    expect(use.Action).toEqual(expect.arrayContaining(['kms:Decrypt', 'kms:GenerateDataKey*', 'kms:CreateGrant']));
    expect(use.Condition.StringEquals['kms:ViaService']).toEqual([
      `rds.${REGION}.amazonaws.com`,
      `secretsmanager.${REGION}.amazonaws.com`,
    ]);
    expect(use.Condition.StringEquals['kms:CallerAccount']).toBe(ACCOUNT_ID);
  });

  it('names every resource with the environment and suffix', () => {
    expect(one(mocks, prefix, CLUSTER).inputs.clusterIdentifier).toBe(`aurora-cluster-${environment}-${suffix}`);
    expect(one(mocks, prefix, SG).inputs.name).toBe(`aurora-sg-${environment}-${suffix}`);
    expect(one(mocks, prefix, 'aws:rds/subnetGroup:SubnetGroup').inputs.name).toBe(`aurora-subnet-group-${environment}-${suffix}`);
    expect(one(mocks, prefix, 'aws:kms/alias:Alias').inputs.name).toBe(`alias/aurora-key-${environment}-${suffix}`);
    expect(ofType(mocks, prefix, INSTANCE).map((i) => i.inputs.identifier)).toEqual(
      Array.from({ length: instanceCount }, (_u, i) => `aurora-instance-${i + 1}-${environment}-${suffix}`),
    );
  });

  it('pins the engine, manages the master password in RDS and is destroyable', () => {
    // Prepare
    const inputs = one(mocks, prefix, CLUSTER).inputs;

    // Assess
    expect(inputs.engine).toBe('aurora-postgresql');
    expect(inputs.engineVersion).toBe('15.10');
    expect(inputs.allowMajorVersionUpgrade).toBe(false);
    expect(inputs.manageMasterUserPassword).toBe(true);
    expect(inputs.masterPassword).toBeUndefined();
    expect(inputs.skipFinalSnapshot).toBe(true);
    expect(inputs.deletionProtection).toBe(false);
    expect(inputs.backupRetentionPeriod).toBe(7);
    expect(inputs.enabledCloudwatchLogsExports).toEqual(['postgresql']);
    expect(inputs.dbSubnetGroupName).toBe(`aurora-subnet-group-${environment}-${suffix}`);
    expect(inputs.vpcSecurityGroupIds).toEqual([`${prefix}-sg-id`]);
  });

  it('requires TLS from every client through a cluster parameter group of the engine major version', () => {
    // Prepare
    const params = one(mocks, prefix, 'aws:rds/clusterParameterGroup:ClusterParameterGroup');
    const cluster = one(mocks, prefix, CLUSTER);

    // Assess
    expect(params.inputs.family).toBe('aurora-postgresql15');
    expect(params.inputs.name).toBe(`aurora-params-${environment}-${suffix}`);
    expect(params.inputs.parameters).toEqual([{ name: 'rds.force_ssl', value: '1', applyMethod: 'pending-reboot' }]);
    expect(cluster.inputs.dbClusterParameterGroupName).toBe(params.inputs.name);
  });

  it('keeps every instance private, without minor auto-upgrades, of the requested class', () => {
    const instances = ofType(mocks, prefix, INSTANCE);
    expect(instances).toHaveLength(instanceCount);
    for (const instance of instances) {
      expect(instance.inputs.publiclyAccessible).toBe(false);
      expect(instance.inputs.autoMinorVersionUpgrade).toBe(false);
      expect(instance.inputs.instanceClass).toBe(instanceClass);
      expect(instance.inputs.clusterIdentifier).toBe(`${prefix}-cluster-id`);
    }
  });

  it('admits 5432 only from the given CIDR and security group, with no inline or egress rules', () => {
    // Prepare
    const rules = ofType(mocks, prefix, INGRESS).map((r) => r.inputs);
    const sg = one(mocks, prefix, SG).inputs;

    // Assess
    expect(rules).toEqual([
      expect.objectContaining({ securityGroupId: `${prefix}-sg-id`, cidrIpv4: '10.0.0.0/16', ipProtocol: 'tcp', fromPort: 5432, toPort: 5432 }),
      expect.objectContaining({ securityGroupId: `${prefix}-sg-id`, referencedSecurityGroupId: 'sg-lambda', fromPort: 5432, toPort: 5432 }),
    ]);
    expect(sg.ingress ?? []).toEqual([]);
    expect(sg.egress ?? []).toEqual([]);
    expect(ofType(mocks, prefix, 'aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule')).toHaveLength(0);
  });

  it('exposes endpoints, port, security group and the RDS-managed secret ARN', async () => {
    expect(await valueOf(db.endpoint)).toBe(`aurora-cluster-${environment}-${suffix}.cluster-abc.${REGION}.rds.amazonaws.com`);
    expect(await valueOf(db.readerEndpoint)).toContain('.cluster-ro-');
    expect(await valueOf(db.port)).toBe(5432);
    expect(await valueOf(db.securityGroupId)).toBe(`${prefix}-sg-id`);
    expect(await valueOf(db.clusterIdentifier)).toBe(`aurora-cluster-${environment}-${suffix}`);
    expect(await valueOf(db.masterUserSecretArn)).toMatch(/^arn:aws:secretsmanager:.*:secret:rds!cluster-/);
  });
});

describe('DatabaseComponent options', () => {
  it('uses a given KMS key instead of creating one', async () => {
    // Prepare
    const keyArn = 'arn:aws:kms:us-east-1:123456789012:key/shared';

    // Act
    const db = new DatabaseComponent('db-byok', { ...base, environment: 'dev', environmentSuffix: 'byok', kmsKeyArn: keyArn });
    await valueOf(db.endpoint);
    await flush(mocks);

    // Assess
    expect(ofType(mocks, 'db-byok', KEY)).toHaveLength(0);
    const cluster = one(mocks, 'db-byok', CLUSTER).inputs;
    expect(cluster.kmsKeyId).toBe(keyArn);
    expect(cluster.masterUserSecretKmsKeyId).toBe(keyArn);
    expect(await valueOf(db.kmsKeyArn)).toBe(keyArn);
  });

  it('creates no ingress rule when no source is given', async () => {
    const db = new DatabaseComponent('db-closed', { ...base, environment: 'staging', environmentSuffix: 'closed' });
    await valueOf(db.endpoint);
    await flush(mocks);
    expect(ofType(mocks, 'db-closed', INGRESS)).toHaveLength(0);
    expect(ofType(mocks, 'db-closed', INSTANCE)).toHaveLength(2);
  });
});

describe('DatabaseComponent rejects unsafe or invalid arguments', () => {
  const make = (extra: Partial<DatabaseComponentArgs>) => () =>
    new DatabaseComponent('db-bad', { ...base, environment: 'dev', environmentSuffix: 'bad', ...extra });

  it.each([
    [{ ingressCidrBlocks: ['10.0.0.0/16', '0.0.0.0/0'] }, 'ingressCidrBlocks contains 0.0.0.0/0: the database must never be open to the internet'],
    [{ ingressCidrBlocks: ['::/0'] }, 'ingressCidrBlocks contains ::/0'],
    [{ engineVersion: '15' }, 'engineVersion "15" must be an exact major.minor version'],
    [{ instanceCount: 0 }, 'instanceCount must be an integer from 1 to 16, got 0'],
    [{ backupRetentionDays: 0 }, 'backupRetentionDays must be an integer from 1 to 35 days, got 0'],
    [{ instanceCount: 17 }, 'instanceCount must be an integer from 1 to 16, got 17'],
    // CloudWatch Logs accepts only its listed periods: the shared rule refuses 31, which the component used to accept.
    [{ logging: { retentionDays: 31 } }, 'logging.retentionDays must be one of 1, 3, 5, 7, 14, 30, 60'],
    [{ backupRetentionDays: 36 }, 'got 36'],
  ])('%j', (extra, message) => {
    expect(make(extra)).toThrow(DatabaseComponentError);
    expect(make(extra)).toThrow(message);
  });

  it('rejects a bad suffix through the naming rule', () => {
    expect(make({ environmentSuffix: 'Bad_Suffix' })).toThrow('environment suffix "Bad_Suffix"');
  });
});

describe('DatabaseComponent takes an environment\'s database and logging blocks as they are', () => {
  it('sets each DatabaseSettings field on the resources it names, by the setting\'s own name', async () => {
    // Prepare: prod's blocks with the parity values moved off the component's defaults, so each must come from here.
    const prod = environmentProfile('prod', 'blk');
    const database = { ...prod.database, backupRetentionDays: 14 };

    // Act
    const db = new DatabaseComponent('db-block', { ...base, environment: 'prod', environmentSuffix: 'blk', ...database, logging: { retentionDays: 60 } });
    await valueOf(db.endpoint);
    await flush(mocks);

    // Assess
    const cluster = one(mocks, 'db-block', CLUSTER).inputs;
    expect(cluster.backupRetentionPeriod).toBe(14);
    expect(cluster.deletionProtection).toBe(true);
    expect(cluster.skipFinalSnapshot).toBe(false);
    expect(ofType(mocks, 'db-block', INSTANCE).map((i) => i.inputs.instanceClass)).toEqual(['db.r6g.large', 'db.r6g.large']);
    expect(one(mocks, 'db-block', 'aws:cloudwatch/logGroup:LogGroup').inputs.retentionInDays).toBe(60);
  });

  it('does not compile with a setting under another name, which it would ignore at run time', async () => {
    // Prepare: object literals are checked for excess properties (the typecheck target compiles this file with tsc), so
    // a setting under AWS's or the old argument name is a compile error rather than a silently ignored field.
    // One literal each: TypeScript names only the first excess property of a literal.
    // @ts-expect-error the setting is backupRetentionDays (AWS calls the property backupRetentionPeriod)
    const backup = { backupRetentionPeriod: 14 } satisfies Partial<DatabaseComponentArgs>;
    // @ts-expect-error log retention comes in the logging block, as `logging.retentionDays`
    const logs = { logRetentionDays: 60 } satisfies Partial<DatabaseComponentArgs>;
    const misnamed: DatabaseComponentArgs = { ...base, environment: 'dev', environmentSuffix: 'old', ...backup, ...logs };

    // Act
    const db = new DatabaseComponent('db-old', misnamed);
    await valueOf(db.endpoint);
    await flush(mocks);

    // Assess: the defaults, not the misnamed values
    expect(one(mocks, 'db-old', CLUSTER).inputs.backupRetentionPeriod).toBe(7);
    expect(one(mocks, 'db-old', 'aws:cloudwatch/logGroup:LogGroup').inputs.retentionInDays).toBe(30);
  });
});

describe('databaseKeyPolicy', () => {
  it('scopes ViaService to the region and partition it is given', () => {
    const policy = JSON.parse(databaseKeyPolicy('111122223333', 'aws-cn', 'cn-north-1'));
    expect(policy.Statement[0].Principal.AWS).toBe('arn:aws-cn:iam::111122223333:root');
    expect(policy.Statement[1].Condition.StringEquals['kms:ViaService']).toContain('rds.cn-north-1.amazonaws.com');
  });
});
