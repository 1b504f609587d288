import * as pulumi from '@pulumi/pulumi';
import { ACCOUNT_ID, echoMocks, flush, installMocks, one, valueOf } from '@tap/pulumi-testing';
import { DatabaseComponent, databaseKeyPolicy } from '../../src';

const mocks = installMocks();
const base = { vpcId: 'vpc-1', privateSubnetIds: ['subnet-a', 'subnet-b', 'subnet-c'] };

describe('DatabaseComponent on a first deployment', () => {
  let db: DatabaseComponent;

  beforeAll(async () => {
    db = new DatabaseComponent('first', { ...base, environment: 'dev', environmentSuffix: '001', instanceCount: 2 });
    await valueOf(db.endpoint);
    await flush(mocks);
  });

  it('creates the cluster on an engine version AWS still offers (the 15.x LTS minor), not the retired 15.4', () => {
    // Assess
    const cluster = one(mocks, 'first', 'aws:rds/cluster:Cluster');
    expect(cluster.inputs.engineVersion).toBe('15.10');
    expect(one(mocks, 'first', 'aws:rds/clusterParameterGroup:ClusterParameterGroup').inputs.family).toBe('aurora-postgresql15');
  });

  it('exposes its instances so that whatever connects at deploy time can wait for them', async () => {
    // Assess
    expect(db.instances).toHaveLength(2);
    expect(await valueOf(db.instances[0].identifier)).toBe('aurora-instance-1-dev-001');
  });

  it('creates the PostgreSQL export log group itself, with retention, before RDS would create it without', () => {
    // Prepare
    const logGroup = one(mocks, 'first-postgresql-logs', 'aws:cloudwatch/logGroup:LogGroup');
    const cluster = one(mocks, 'first', 'aws:rds/cluster:Cluster');

    // Assess
    expect(cluster.inputs.enabledCloudwatchLogsExports).toEqual(['postgresql']);
    expect(logGroup.inputs).toMatchObject({ name: '/aws/rds/cluster/aurora-cluster-dev-001/postgresql', retentionInDays: 30 });
  });

  it('gives key administrators no way to grant themselves use of the key', () => {
    // Prepare
    const policy = JSON.parse(one(mocks, 'first-key', 'aws:kms/key:Key').inputs.policy);
    const admin = policy.Statement.find((s: { Sid: string }) => s.Sid === 'AccountRootAdministersKey');

    // Assess: kms:Create* would include kms:CreateGrant, a grant is use, and it would bypass kms:ViaService.
    expect(admin.Action).not.toContain('kms:Create*');
    expect(admin.Action).not.toContain('kms:CreateGrant');
    expect(admin.Action.every((a: string) => !a.includes('*'))).toBe(true);
    expect(admin.Action).toEqual(expect.arrayContaining(['kms:PutKeyPolicy', 'kms:ScheduleKeyDeletion', 'kms:CreateAlias']));
    expect(JSON.parse(databaseKeyPolicy(ACCOUNT_ID, 'aws', 'us-east-1')).Statement[0].Action).toEqual(admin.Action);
  });
});

describe('DatabaseComponent under mocks that only echo their inputs', () => {
  it('does not crash when the provider returns no masterUserSecrets', async () => {
    // Prepare: a consumer's ordinary mocks (state = inputs), as other teams write them.
    await pulumi.runtime.setMocks(echoMocks(), 'consumer', 'unit', false);

    // Act
    const db = new DatabaseComponent('echo', { ...base, environment: 'dev', environmentSuffix: '001', instanceCount: 1 });

    // Assess
    expect(await valueOf(db.masterUserSecretArn)).toBe('');
  });
});
