import { AURORA_POSTGRES_VERSION, DEFAULT_ENVIRONMENT_SUFFIX, DEFAULT_LAMBDA_TIMEOUT_SECONDS, ENVIRONMENT_NAMES } from './constants';
import type { EnvironmentConfig, EnvironmentName, EnvironmentProfile } from './types';

/** Settings that are identical in every environment (the parity fields). */
const SHARED = {
  engineVersion: AURORA_POSTGRES_VERSION,
  backupRetentionDays: 7,
  rotationDays: 30,
  logRetentionDays: 30,
  dbCpuThresholdPercent: 80,
} as const;

/**
 * The three environment profiles: the ONE place that says what each environment is (which setting is what, its key
 * and rules, is `SETTINGS`). Everything else (validation, the stack's defaults, `tap-drift compare`) reads these.
 * Reserved concurrency caps the payment Lambda, so a runaway cannot starve the account; a deployment may change it.
 */
export const PROFILES = {
  dev: {
    region: 'us-east-2',
    lambda: { memoryMb: 1024, vcpu: 0.5, reservedConcurrency: 5, timeoutSeconds: DEFAULT_LAMBDA_TIMEOUT_SECONDS },
    database: {
      instanceClass: 'db.t4g.medium',
      instanceCount: 1,
      engineVersion: SHARED.engineVersion,
      backupRetentionDays: SHARED.backupRetentionDays,
      deletionProtection: false,
      finalSnapshot: false,
    },
    monitoring: {
      errorThreshold: 10,
      latencyThresholdMs: 5000,
      dbCpuThresholdPercent: SHARED.dbCpuThresholdPercent,
      dbConnectionsThreshold: 100,
    },
    secrets: { rotationDays: SHARED.rotationDays },
    logging: { retentionDays: SHARED.logRetentionDays },
    encryption: { keyRotation: true },
  },
  staging: {
    region: 'us-west-2',
    lambda: { memoryMb: 2048, vcpu: 1, reservedConcurrency: 10, timeoutSeconds: DEFAULT_LAMBDA_TIMEOUT_SECONDS },
    database: {
      instanceClass: 'db.r6g.large',
      instanceCount: 1,
      engineVersion: SHARED.engineVersion,
      backupRetentionDays: SHARED.backupRetentionDays,
      deletionProtection: false,
      finalSnapshot: false,
    },
    monitoring: {
      errorThreshold: 5,
      latencyThresholdMs: 3000,
      dbCpuThresholdPercent: SHARED.dbCpuThresholdPercent,
      dbConnectionsThreshold: 100,
    },
    secrets: { rotationDays: SHARED.rotationDays },
    logging: { retentionDays: SHARED.logRetentionDays },
    encryption: { keyRotation: true },
  },
  prod: {
    region: 'us-east-1',
    lambda: { memoryMb: 4096, vcpu: 2, reservedConcurrency: 50, timeoutSeconds: DEFAULT_LAMBDA_TIMEOUT_SECONDS },
    database: {
      // Two instances: a writer and a reader in another AZ, so a failover keeps prod up.
      instanceClass: 'db.r6g.large',
      instanceCount: 2,
      engineVersion: SHARED.engineVersion,
      backupRetentionDays: SHARED.backupRetentionDays,
      // Payment data: RDS refuses a delete while protection is on, and a delete keeps a final snapshot. Dev and
      // staging (and every ephemeral copy, prod's included) stay destroyable without manual steps.
      deletionProtection: true,
      finalSnapshot: true,
    },
    monitoring: {
      errorThreshold: 3,
      latencyThresholdMs: 2000,
      dbCpuThresholdPercent: SHARED.dbCpuThresholdPercent,
      dbConnectionsThreshold: 200,
    },
    secrets: { rotationDays: SHARED.rotationDays },
    logging: { retentionDays: SHARED.logRetentionDays },
    encryption: { keyRotation: true },
  },
} as const satisfies Readonly<Record<EnvironmentName, EnvironmentProfile>>;

/**
 * True when `value` names one of the platform's environments.
 *
 * @example
 * isEnvironmentName('prod'); // true
 * isEnvironmentName('qa');   // false
 */
export function isEnvironmentName(value: unknown): value is EnvironmentName {
  return typeof value === 'string' && (ENVIRONMENT_NAMES as readonly string[]).includes(value);
}

/**
 * A complete, valid config for `environment`: its profile plus the name and suffix. A fresh copy each call,
 * so callers may change it (and then validate it).
 *
 * @example
 * const prod = environmentProfile('prod', 'pr42');
 * prod.database.instanceCount; // 2
 */
export function environmentProfile(
  environment: EnvironmentName,
  environmentSuffix: string = DEFAULT_ENVIRONMENT_SUFFIX,
): EnvironmentConfig {
  if (!isEnvironmentName(environment)) {
    throw new RangeError(`Unknown environment "${String(environment)}": expected one of ${ENVIRONMENT_NAMES.join(', ')}`);
  }
  const profile = PROFILES[environment];
  return {
    environment,
    region: profile.region,
    environmentSuffix,
    lambda: { ...profile.lambda },
    database: { ...profile.database },
    monitoring: { ...profile.monitoring },
    secrets: { ...profile.secrets },
    logging: { ...profile.logging },
    encryption: { ...profile.encryption },
  };
}
