import { firstSettingProblem } from '@tap/blocks';
import { backupRetentionProblem, clusterInstanceCountProblem, logRetentionProblem } from '@tap/validation';
import { OPEN_CIDR_BLOCKS } from './constants';
import { DatabaseComponentError } from './errors';

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
 * assertDatabaseSettings({ engineVersion: '15.10', instanceCount: 2, backupRetentionPeriod: 7, logRetentionDays: 30 });
 */
export function assertDatabaseSettings(settings: {
  engineVersion: string;
  instanceCount: number;
  backupRetentionPeriod: number;
  logRetentionDays: number;
}): void {
  if (!/^\d+\.\d+$/.test(settings.engineVersion)) {
    throw new DatabaseComponentError(
      `engineVersion "${settings.engineVersion}" must be an exact major.minor version such as 15.10, so upgrades are deliberate`,
    );
  }
  const { instanceCount, backupRetentionPeriod, logRetentionDays } = settings;
  const problem = firstSettingProblem([
    ['instanceCount', instanceCount, clusterInstanceCountProblem(instanceCount)],
    ['backupRetentionPeriod', backupRetentionPeriod, backupRetentionProblem(backupRetentionPeriod)],
    ['logRetentionDays', logRetentionDays, logRetentionProblem(logRetentionDays)],
  ]);
  if (problem !== undefined) throw new DatabaseComponentError(problem);
}
