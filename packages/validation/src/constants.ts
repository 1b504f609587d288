/** The environments the platform runs in, in promotion order. */
export const ENVIRONMENT_NAMES = ['dev', 'staging', 'prod'] as const;

/** Suffix used by `environmentProfile` when none is given. */
export const DEFAULT_ENVIRONMENT_SUFFIX = '001';

/** Lambda timeout assumed when a config sets none (the Lambda component's own default). */
export const DEFAULT_LAMBDA_TIMEOUT_SECONDS = 30;

/**
 * Lambda facts from the AWS docs: memory is the only knob, and one full vCPU comes with 1,769 MB.
 * Memory is 128–10,240 MB, the timeout at most 900 s.
 */
export const LAMBDA_LIMITS = {
  mbPerVcpu: 1769,
  minMemoryMb: 128,
  maxMemoryMb: 10240,
  maxTimeoutSeconds: 900,
} as const;

/**
 * How each configuration path may vary between environments. The manifest's `compare` reads this.
 * - `per-environment`: exact per profile; environments differ here on purpose.
 * - `parity`: identical in every environment; any difference is drift.
 * - `threshold`: an alarm threshold; each environment may be stricter (lower) than its profile, never looser.
 * - `deployment`: set per deployment (suffix, image, concurrency, timeout); differences are expected.
 */
export const FIELD_POLICIES = {
  environment: 'per-environment',
  region: 'per-environment',
  environmentSuffix: 'deployment',
  'lambda.memoryMb': 'per-environment',
  'lambda.vcpu': 'per-environment',
  'lambda.reservedConcurrency': 'deployment',
  'lambda.timeoutSeconds': 'deployment',
  'database.instanceClass': 'per-environment',
  'database.instanceCount': 'per-environment',
  'database.engineVersion': 'parity',
  'database.backupRetentionDays': 'parity',
  'monitoring.errorThreshold': 'threshold',
  'monitoring.latencyThresholdMs': 'threshold',
  'monitoring.dbCpuThresholdPercent': 'threshold',
  'monitoring.dbConnectionsThreshold': 'threshold',
  'secrets.rotationDays': 'parity',
  'logging.retentionDays': 'parity',
  'encryption.kmsEnabled': 'parity',
} as const;

/** Configuration paths that must be identical in every environment. */
export const PARITY_FIELDS = Object.freeze(
  (Object.keys(FIELD_POLICIES) as (keyof typeof FIELD_POLICIES)[]).filter((path) => FIELD_POLICIES[path] === 'parity'),
);
