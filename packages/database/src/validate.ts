import { firstSettingProblem } from '@tap/blocks';
import {
  OTHER_NAME_LIMITS,
  backupRetentionProblem,
  clusterInstanceCountProblem,
  componentNameProblem,
  componentNames,
  logRetentionProblem,
  type ComponentName,
  type EnvironmentName,
} from '@tap/validation';
import { FINAL_SNAPSHOT_RANDOM_BYTES, OPEN_CIDR_BLOCKS } from './constants';
import { DatabaseComponentError } from './errors';
import { DATABASE_NAMES, databasePhysicalNames } from './names';

/**
 * Throws when a CIDR block would admit the whole internet.
 *
 * @example
 * assertNotOpenCidr('10.0.0.0/16'); // ok
 * assertNotOpenCidr('0.0.0.0/0');   // throws DatabaseComponentError
 */
export function assertNotOpenCidr(cidr: string): string {
  if ((OPEN_CIDR_BLOCKS as readonly string[]).includes(cidr.trim())) {
    throw new DatabaseComponentError(
      `ingressCidrBlocks contains ${cidr}: the database must never be open to the internet; pass the VPC CIDR or security group ids instead`,
    );
  }
  return cidr;
}

/**
 * Checks the scalar arguments of DatabaseComponent with the platform's shared setting rules.
 *
 * @example
 * assertDatabaseSettings({ engineVersion: '15.10', instanceCount: 2, backupRetentionDays: 7, logRetentionDays: 30 });
 */
export function assertDatabaseSettings(settings: {
  engineVersion: string;
  instanceCount: number;
  backupRetentionDays: number;
  logRetentionDays: number;
}): void {
  if (!/^\d+\.\d+$/.test(settings.engineVersion)) {
    throw new DatabaseComponentError(
      `engineVersion "${settings.engineVersion}" must be an exact major.minor version such as 15.10, so upgrades are deliberate`,
    );
  }
  const { instanceCount, backupRetentionDays, logRetentionDays } = settings;
  const problem = firstSettingProblem([
    ['instanceCount', instanceCount, clusterInstanceCountProblem(instanceCount)],
    ['backupRetentionDays', backupRetentionDays, backupRetentionProblem(backupRetentionDays)],
    ['logging.retentionDays', logRetentionDays, logRetentionProblem(logRetentionDays)],
  ]);
  if (problem !== undefined) throw new DatabaseComponentError(problem);
}

/**
 * Every physical name DatabaseComponent `name` would create, checked against AWS's limits; throws one
 * `DatabaseComponentError` naming the worst breach, its limit and the longest environmentSuffix that fits.
 *
 * @example
 * assertDatabaseNames('db', 'prod', '001', { instanceCount: 2, createsKey: true, finalSnapshot: true }); // ok
 */
export function assertDatabaseNames(
  name: string,
  environment: EnvironmentName,
  suffix: string,
  options: { instanceCount: number; createsKey: boolean; finalSnapshot: boolean },
): void {
  const names: ComponentName[] = [
    // Every instance, not only the longest: each is created, and the message names the first one over.
    ...databasePhysicalNames(options).flatMap((entry) =>
      entry.type === 'aws:rds/clusterInstance:ClusterInstance'
        ? Array.from({ length: options.instanceCount }, (_unused, i) => componentNames([entry], environment, suffix, i + 1)[0])
        : componentNames([entry], environment, suffix, options.instanceCount),
    ),
    ...(options.finalSnapshot
      ? [{ what: 'final snapshot identifier', limit: OTHER_NAME_LIMITS.finalSnapshotIdentifier, name: `${DATABASE_NAMES.finalSnapshotPrefix(environment, suffix)}-${'0'.repeat(2 * FINAL_SNAPSHOT_RANDOM_BYTES)}` }]
      : []),
  ];
  const problem = componentNameProblem('DatabaseComponent', name, suffix, names);
  if (problem !== undefined) throw new DatabaseComponentError(problem);
}
