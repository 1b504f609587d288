import type { ENVIRONMENT_NAMES } from './constants';

export type EnvironmentName = (typeof ENVIRONMENT_NAMES)[number];

/*
 * The settings blocks of `EnvironmentConfig`. Each is a named type that the component consuming it takes by the same
 * field names (`DatabaseComponentArgs extends Partial<DatabaseSettings>`), and the tap-stack passes the whole block:
 * a new field reaches the component with no edit in between. "Absent" below is what a config that leaves an optional
 * field out means; a component given no value uses its own default (its `*_DEFAULTS`).
 */

/** The payment Lambda (`EnvironmentConfig.lambda`); `LambdaComponent` takes these by name (all but `vcpu`). */
export interface LambdaSettings {
  /** Memory in MB, 128–10240: the only size knob Lambda has (CPU follows it). Required in a config. */
  memoryMb: number;
  /** vCPU the memory gives (one per 1769 MB): recorded and checked, never set (Lambda has no CPU setting). Required in a config. */
  vcpu: number;
  /** Reserved concurrent executions, at least 1. Absent: none (the account's unreserved pool). */
  reservedConcurrency?: number;
  /** Function timeout in seconds, 1–900. Absent: 30 (`DEFAULT_LAMBDA_TIMEOUT_SECONDS`). */
  timeoutSeconds?: number;
}

/** The Aurora PostgreSQL cluster (`EnvironmentConfig.database`); `DatabaseComponent` takes these by name. */
export interface DatabaseSettings {
  /** Instance class of every cluster instance, e.g. `db.r6g.large`. Required in a config. */
  instanceClass: string;
  /** Number of cluster instances, 1–16 (the first is the writer; prod: 2 for HA). Required in a config. */
  instanceCount: number;
  /** Exact Aurora PostgreSQL `major.minor`; `AURORA_POSTGRES_VERSION` (15.10) in every environment. Required in a config. */
  engineVersion: string;
  /** Days of automated backups, 1–35. Required in a config. */
  backupRetentionDays: number;
  /**
   * RDS refuses to delete the cluster while on (prod): lifting it is an approved, deployed change of its own.
   * Absent: false (destroyable). Optional so manifests recorded before it existed still load; every profile states it.
   */
  deletionProtection?: boolean;
  /** Delete takes a final cluster snapshot first (prod); off, delete keeps nothing. Absent: false (as above). */
  finalSnapshot?: boolean;
}

/** The alarm thresholds (`EnvironmentConfig.monitoring`); `MonitoringComponent` takes these by name. */
export interface MonitoringSettings {
  /** Payment Lambda errors (Sum over 5 minutes) above which the errors alarm fires; 0 alarms on any error. Required in a config. */
  errorThreshold: number;
  /** Average payment Lambda duration in ms above which the latency alarm fires; below the timeout. Required in a config. */
  latencyThresholdMs: number;
  /** Aurora writer CPUUtilization (Average, %, 1–99) above which the CPU alarm fires. Required in a config. */
  dbCpuThresholdPercent: number;
  /** Aurora DatabaseConnections (Maximum) above which the connections alarm fires. Required in a config. */
  dbConnectionsThreshold: number;
}

/** The database credentials secret (`EnvironmentConfig.secrets`); `SecretsComponent` takes these by name. */
export interface SecretsSettings {
  /** Days between automatic rotations of the credentials, 1–1000 (the policies allow at most 30). Required in a config. */
  rotationDays: number;
}

/** Every log group of the stack (`EnvironmentConfig.logging`); each component that creates one takes it as `logging`. */
export interface LoggingSettings {
  /** Days a log group keeps its events: a period CloudWatch Logs accepts (`LOG_RETENTION_DAYS`). Required in a config. */
  retentionDays: number;
}

/** The stack's customer-managed KMS key (`EnvironmentConfig.encryption`), created by the tap-stack itself. */
export interface EncryptionSettings {
  /**
   * KMS rotates the material of the stack's customer-managed key (Aurora storage, database credentials) every year.
   * Storage is always encrypted with that key; this is rotation only. Required in a config.
   */
  keyRotation: boolean;
}

/** Everything that defines one environment of the platform. */
export interface EnvironmentConfig {
  environment: EnvironmentName;
  /** AWS region, e.g. `us-east-1`. */
  region: string;
  /** Appended to every physical name so several copies of an environment can coexist, e.g. `001`. */
  environmentSuffix: string;
  lambda: LambdaSettings;
  database: DatabaseSettings;
  monitoring: MonitoringSettings;
  secrets: SecretsSettings;
  logging: LoggingSettings;
  encryption: EncryptionSettings;
}

/** A profile: everything of an `EnvironmentConfig` but the environment's name and suffix. */
export type EnvironmentProfile = Omit<EnvironmentConfig, 'environment' | 'environmentSuffix'>;

/** The dotted paths of the leaves of `T`, e.g. `lambda.memoryMb` (a block is an object; every other value a leaf). */
type LeafPaths<T> = {
  [K in keyof T & string]-?: NonNullable<T[K]> extends object ? `${K}.${LeafPaths<NonNullable<T[K]>>}` : K;
}[keyof T & string];

/** The value at dotted path `P` of `T` (`undefined` included for an optional leaf). */
type ValueAt<T, P extends string> = P extends `${infer K}.${infer Rest}`
  ? K extends keyof T
    ? ValueAt<NonNullable<T[K]>, Rest>
    : never
  : P extends keyof T
    ? T[P]
    : never;

/** A dotted path to one setting of `EnvironmentConfig`, e.g. `lambda.memoryMb`: the keys of `SETTINGS`. */
export type ConfigPath = LeafPaths<EnvironmentConfig>;

/** The type of the setting at `P`, e.g. `number | undefined` for `lambda.timeoutSeconds`. */
export type ConfigValue<P extends ConfigPath> = ValueAt<EnvironmentConfig, P>;

/**
 * How a path may vary between environments (see `FIELD_POLICIES`): `per-environment` (exact per profile), `parity`
 * (identical everywhere), `threshold` (an alarm threshold, at most the profile's) or `deployment` (set per deployment).
 */
export type FieldPolicy = 'per-environment' | 'parity' | 'threshold' | 'deployment';

/** One broken rule. `validateEnvironmentConfig` returns all of them at once. */
export interface ValidationIssue {
  /** Dotted path of the offending setting, e.g. `lambda.memoryMb`; `''` for the config itself. */
  path: string;
  /** What the rule wants, in words or as the exact value, e.g. `1024`, `at most 10`, `a positive integer`. */
  expected: string;
  /** The value found (`undefined` when missing). */
  actual: unknown;
  /** One sentence for humans, e.g. `Dev environment must use 1024MB Lambda memory, got 2048`. */
  message: string;
}
