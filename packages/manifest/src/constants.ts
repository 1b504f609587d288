/** Version of the manifest format; bump it when a field changes meaning. */
export const MANIFEST_VERSION = 1;

/** Exit codes of `tap-drift`, the same as driftctl and `terraform plan -detailed-exitcode`. */
export const EXIT_CODES = {
  /** In sync: nothing changed, or only differences the profiles expect. */
  ok: 0,
  /** Drift (compare) or changes against the approved baseline (check). */
  drift: 1,
  /** Bad input: missing file, invalid JSON, schema mismatch, hash mismatch, unknown flag; for `live`, also any error
   * that makes the check unreliable (Pulumi missing, refresh error diagnostics, unreadable stack output). */
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

/** What a secret value is shown as in live-drift reports (the same text the Pulumi CLI prints). */
export const SECRET_PLACEHOLDER = '[secret]';

/** The key/value Pulumi marks a secret with in serialized state (sdk/go/common/resource/sig). */
export const PULUMI_SECRET_SIG = { key: '4dabf18193072939515e22adb298388d', value: '1b47061264138c4ac30d75fd1eb44270' } as const;

/** Exit code of `pulumi refresh --expect-no-changes` when changes were found (pulumi/pulumi PR 22176). */
export const PULUMI_EXIT_CHANGES = 7;

/**
 * How each `pulumi refresh --preview-only` step operation reads as drift. `same`, `read` and `refresh` without a diff
 * are not drift; an operation missing here is kept as `unknown`, never dropped.
 */
export const REFRESH_OP_KINDS = {
  update: 'changed',
  delete: 'missing',
  create: 'unmanaged',
  replace: 'replaced',
  'create-replacement': 'replaced',
  'delete-replaced': 'replaced',
} as const;

/** Steps that are not drift unless they carry a diff. */
export const REFRESH_NO_CHANGE_OPS = ['same', 'read', 'refresh'] as const;

/**
 * The manifest path whose value the offline synth cannot know: the synth's registry is a mock account, so only the
 * part after the registry host (`<repository>:<content tag>`) is compared with the deployed stack.
 */
export const IMAGE_URI_PATH = 'docker.imageUri';

/** The stack output that holds the deployed configuration manifest. */
export const CONFIG_MANIFEST_OUTPUT = 'configManifest';
