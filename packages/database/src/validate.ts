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
 * Checks the scalar arguments of DatabaseComponent.
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
  if (!Number.isInteger(settings.instanceCount) || settings.instanceCount < 1 || settings.instanceCount > 16) {
    throw new DatabaseComponentError(`instanceCount must be an integer from 1 to 16, got ${settings.instanceCount}`);
  }
  if (
    !Number.isInteger(settings.backupRetentionPeriod) ||
    settings.backupRetentionPeriod < 1 ||
    settings.backupRetentionPeriod > 35
  ) {
    throw new DatabaseComponentError(
      `backupRetentionPeriod must be an integer from 1 to 35 days, got ${settings.backupRetentionPeriod}`,
    );
  }
  if (!Number.isInteger(settings.logRetentionDays) || settings.logRetentionDays < 1) {
    throw new DatabaseComponentError(`logRetentionDays must be a positive integer, got ${settings.logRetentionDays}`);
  }
}
