import type { ENVIRONMENT_NAMES } from './constants';

export type EnvironmentName = (typeof ENVIRONMENT_NAMES)[number];

/** Everything that defines one environment of the platform. */
export interface EnvironmentConfig {
  environment: EnvironmentName;
  /** AWS region, e.g. `us-east-1`. */
  region: string;
  /** Appended to every physical name so several copies of an environment can coexist, e.g. `001`. */
  environmentSuffix: string;
  lambda: {
    memoryMb: number;
    /** Lambda has no CPU setting: vCPU follows memory (one vCPU per 1769 MB). */
    vcpu: number;
    /** Reserved concurrent executions. Default: none (unreserved account concurrency). */
    reservedConcurrency?: number;
    /** Function timeout in seconds. Default: 30 (`DEFAULT_LAMBDA_TIMEOUT_SECONDS`). */
    timeoutSeconds?: number;
  };
  database: {
    instanceClass: string;
    instanceCount: number;
    engineVersion: string;
    backupRetentionDays: number;
    /**
     * RDS refuses to delete the cluster while on (prod): lifting it is an approved, deployed change of its own.
     * Absent: false (destroyable). Optional so manifests recorded before it existed still load; every profile states it.
     */
    deletionProtection?: boolean;
    /** Delete takes a final cluster snapshot first (prod); off, delete keeps nothing. Default: false (as above). */
    finalSnapshot?: boolean;
  };
  monitoring: {
    errorThreshold: number;
    latencyThresholdMs: number;
    dbCpuThresholdPercent: number;
    dbConnectionsThreshold: number;
  };
  secrets: { rotationDays: number };
  logging: { retentionDays: number };
  encryption: {
    /**
     * KMS rotates the material of the stack's customer-managed key (Aurora storage, database credentials) every year.
     * Storage is always encrypted with that key; this is rotation only.
     */
    keyRotation: boolean;
  };
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
