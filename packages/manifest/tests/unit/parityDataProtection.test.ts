import type { EnvironmentName } from '@tap/validation';
import { compareInventories, createInventory, manifestToEnvironmentConfig, type ParityInput } from '../../src';
import { protectDatabase, record, synthFixture } from './support';

// Prod's cluster is protected and takes a final snapshot (RDS: a protected cluster cannot be deleted; SkipFinalSnapshot
// false needs a FinalDBSnapshotIdentifier), dev and staging do not: these differences follow database.deletionProtection
// and database.finalSnapshot, and the final snapshot's random part (a RandomId) exists where finalSnapshot is on.

const ENVS = ['dev', 'staging', 'prod'] as const;

function inputs(protectedEnvs: readonly EnvironmentName[], cluster: (env: EnvironmentName, inputs: Record<string, unknown>) => void = () => undefined): ParityInput[] {
  return ENVS.map((environment) => {
    const { manifest, records } = synthFixture(environment);
    const config = manifestToEnvironmentConfig(manifest);
    const on = protectedEnvs.includes(environment);
    Object.assign(config.database, { deletionProtection: on, finalSnapshot: on });
    protectDatabase(records, environment, on);
    cluster(environment, record(records, 'tap-db-cluster').inputs);
    return { environment, config, loaded: { file: `${environment}/resources.json`, inventory: createInventory(records, environment) } };
  });
}

describe('compareInventories: database deletion protection and final snapshot', () => {
  it('explains a protected prod with a final snapshot by its settings, with no drift', () => {
    // Act
    const report = compareInventories(inputs(['prod']));

    // Assess
    expect(report.rows.filter((row) => row.status === 'drift')).toEqual([]);
    const reasons = Object.fromEntries(report.rows.map((row) => [`${row.name} ${row.path}`, row.reason]));
    expect(reasons).toMatchObject({
      'tap-db-cluster deletionProtection': 'database.deletionProtection',
      'tap-db-cluster skipFinalSnapshot': 'database.finalSnapshot (negated)',
      'tap-db-cluster finalSnapshotIdentifier': 'database.finalSnapshot (set only when true)',
      'tap-db-final-snapshot (present)': 'database.finalSnapshot: dev=0, staging=0, prod=1 RandomId',
    });
  });

  it('reports drift when a cluster does not follow its setting', () => {
    // Act: staging's cluster protected although staging's setting says destroyable.
    const report = compareInventories(inputs(['prod'], (env, cluster) => env === 'staging' && (cluster['deletionProtection'] = true)));

    // Assess
    expect(report.rows.filter((row) => row.status === 'drift').map((row) => [row.name, row.path])).toEqual([['tap-db-cluster', 'deletionProtection']]);
  });
});
