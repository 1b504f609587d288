/** Version of the manifest format; bump it when a field changes meaning. */
export const MANIFEST_VERSION = 1;

/** Exit codes of `tap-drift`, the same as driftctl and `terraform plan -detailed-exitcode`. */
export const EXIT_CODES = {
  /** In sync: nothing changed, or only differences the profiles expect. */
  ok: 0,
  /** Drift (compare) or changes against the approved baseline (check). */
  drift: 1,
  /** Bad input: missing file, invalid JSON, schema mismatch, hash mismatch, unknown flag. */
  badInput: 2,
} as const;

export const OUTPUT_FORMATS = ['text', 'json', 'markdown'] as const;

/** Default audit log of `approve`, written next to the baselines. */
export const DEFAULT_HISTORY_FILE = 'approvals.jsonl';

/**
 * Where each manifest configuration path comes from in `EnvironmentConfig`. The seed's field names
 * (`lambda.memory`, `backup.retentionDays`, ...) are kept; `docker.imageUri` has no config counterpart.
 */
export const CONFIG_PATHS = {
  region: 'region',
  environmentSuffix: 'environmentSuffix',
  'lambda.memory': 'lambda.memoryMb',
  'lambda.cpu': 'lambda.vcpu',
  'lambda.timeoutSeconds': 'lambda.timeoutSeconds',
  'lambda.reservedConcurrency': 'lambda.reservedConcurrency',
  'database.instanceClass': 'database.instanceClass',
  'database.engineVersion': 'database.engineVersion',
  'database.instanceCount': 'database.instanceCount',
  'secrets.rotationDays': 'secrets.rotationDays',
  'backup.retentionDays': 'database.backupRetentionDays',
  'logging.retentionDays': 'logging.retentionDays',
  'encryption.kmsEnabled': 'encryption.kmsEnabled',
  'monitoring.errorThreshold': 'monitoring.errorThreshold',
  'monitoring.latencyThresholdMs': 'monitoring.latencyThresholdMs',
  'monitoring.dbCpuThresholdPercent': 'monitoring.dbCpuThresholdPercent',
  'monitoring.dbConnectionsThreshold': 'monitoring.dbConnectionsThreshold',
  'docker.imageUri': undefined,
} as const;
