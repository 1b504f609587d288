import { flush, installMocks, one, valueOf } from '@tap/pulumi-testing';
import { DatabaseComponent, DatabaseComponentError } from '../../src';

// AWS behaviour (RDS API reference):
// - DeleteDBCluster: "The DB cluster can't be deleted when deletion protection is enabled" — DeletionProtection must
//   be turned off by a ModifyDBCluster first (for Pulumi: an update to `deletionProtection: false`, then destroy).
// - DeleteDBCluster FinalDBSnapshotIdentifier: "Must be 1 to 255 letters, numbers, or hyphens. First character must be a
//   letter. Can't end with a hyphen or contain two consecutive hyphens"; a DB cluster snapshot identifier created by
//   CreateDBClusterSnapshot is at most 63 characters, the tighter bound we keep. A name already taken fails the
//   delete with DBClusterSnapshotAlreadyExistsFault, hence the per-cluster random part.
// Sources: https://docs.aws.amazon.com/sdk-for-kotlin/api/latest/rds/aws.sdk.kotlin.services.rds.model/-delete-db-cluster-request/final-db-snapshot-identifier.html
// (FinalDBSnapshotIdentifier), .../-delete-db-cluster-request/skip-final-snapshot.html (SkipFinalSnapshot), and
// .../-restore-db-cluster-from-snapshot-request/db-cluster-identifier.html (cluster identifier: 1 to 63 characters).
// - Pulumi aws.rds.Cluster: `finalSnapshotIdentifier` is used only when `skipFinalSnapshot` is false, read from state at
//   delete time.

const mocks = installMocks();
const CLUSTER = 'aws:rds/cluster:Cluster';
const RANDOM_ID = 'random:index/randomId:RandomId';
const base = { vpcId: 'vpc-1', privateSubnetIds: ['subnet-a', 'subnet-b'], instanceCount: 1 };

describe('DatabaseComponent deletion protection and final snapshot', () => {
  it('is destroyable by default: no deletion protection, no final snapshot, no snapshot name', async () => {
    // Prepare
    const db = new DatabaseComponent('plain', { ...base, environment: 'dev', environmentSuffix: '001' });

    // Act
    await valueOf(db.endpoint);
    await flush(mocks);

    // Assess
    const cluster = one(mocks, 'plain', CLUSTER).inputs;
    expect([cluster.deletionProtection, cluster.skipFinalSnapshot, cluster.finalSnapshotIdentifier]).toEqual([false, true, undefined]);
    expect(mocks.resources.filter((r) => r.type === RANDOM_ID && r.name.startsWith('plain'))).toEqual([]);
  });

  it('protects the cluster and names a final snapshot {type}-{environment}-{suffix}-<random> within AWS limits', async () => {
    // Prepare
    const db = new DatabaseComponent('guarded', {
      ...base,
      environment: 'prod',
      environmentSuffix: '001',
      deletionProtection: true,
      finalSnapshot: true,
    });

    // Act
    await valueOf(db.endpoint);
    await flush(mocks);

    // Assess
    const cluster = one(mocks, 'guarded', CLUSTER).inputs;
    expect(cluster.deletionProtection).toBe(true);
    expect(cluster.skipFinalSnapshot).toBe(false);
    const snapshot = String(cluster.finalSnapshotIdentifier);
    expect(snapshot).toMatch(/^aurora-final-prod-001-[0-9a-f]{8}$/);
    expect(snapshot.length).toBeLessThanOrEqual(63);
    expect(snapshot).not.toMatch(/--|-$/);
    // The random part lives in state: a re-created cluster gets a new one, so a second destroy cannot clash.
    expect(one(mocks, 'guarded-final-snapshot', RANDOM_ID).inputs.byteLength).toBe(4);
    expect(db.finalSnapshotIdentifier && (await valueOf(db.finalSnapshotIdentifier))).toBe(snapshot);
  });

  it('takes a final snapshot without deletion protection when asked for only that', async () => {
    // Prepare
    const db = new DatabaseComponent('snaponly', { ...base, environment: 'staging', environmentSuffix: 's1', finalSnapshot: true });

    // Act
    await valueOf(db.endpoint);
    await flush(mocks);

    // Assess
    const cluster = one(mocks, 'snaponly', CLUSTER).inputs;
    expect([cluster.deletionProtection, cluster.skipFinalSnapshot]).toEqual([false, false]);
    expect(String(cluster.finalSnapshotIdentifier)).toMatch(/^aurora-final-staging-s1-[0-9a-f]{8}$/);
  });
});

describe('DatabaseComponent checks its physical names against AWS limits itself', () => {
  it('refuses an 80-character cluster identifier at construction, naming the limit and the longest suffix that fits', () => {
    // Prepare: "aurora-cluster-prod-" is 20 characters; the cluster identifier limit is 63 (CreateDBCluster).
    const suffix = 'a'.repeat(60);
    const before = mocks.resources.length;

    // Act
    const create = () => new DatabaseComponent('toolong', { ...base, environment: 'prod', environmentSuffix: suffix });

    // Assess
    expect(create).toThrow(DatabaseComponentError);
    expect(create).toThrow(
      `DatabaseComponent 'toolong': Aurora cluster 'aurora-cluster-prod-${suffix}' is 80 characters; AWS allows 63 (RDS cluster identifier); the longest environmentSuffix that fits is 40`,
    );
    // Nothing of the component's own resources was registered.
    expect(mocks.resources.slice(before).filter((r) => r.type === CLUSTER)).toEqual([]);
  });

  it('counts the instance identifiers too: the longest suffix is the tightest of all its names', () => {
    // Prepare: "aurora-instance-1-prod-" (23) + 41 = 64 > 63 while the cluster identifier (61) still fits.
    const suffix = 'b'.repeat(41);

    // Act
    const create = () => new DatabaseComponent('inst', { ...base, environment: 'prod', environmentSuffix: suffix });

    // Assess
    expect(create).toThrow(/^DatabaseComponent 'inst': Aurora instance 'aurora-instance-1-prod-b{41}' is 64 characters; AWS allows 63 \(RDS instance identifier\); the longest environmentSuffix that fits is 40$/);
  });
});
