import type { ENVIRONMENT_NAMES, FIELD_POLICIES } from './constants';

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
  };
  monitoring: {
    errorThreshold: number;
    latencyThresholdMs: number;
    dbCpuThresholdPercent: number;
    dbConnectionsThreshold: number;
  };
  secrets: { rotationDays: number };
  logging: { retentionDays: number };
  encryption: { kmsEnabled: boolean };
}

/** A profile: everything of an `EnvironmentConfig` but the environment's name and suffix. */
export type EnvironmentProfile = Omit<EnvironmentConfig, 'environment' | 'environmentSuffix'>;

/** A dotted path into `EnvironmentConfig`, e.g. `lambda.memoryMb`. */
export type ConfigPath = keyof typeof FIELD_POLICIES;

/** How a path may vary between environments (see `FIELD_POLICIES`). */
export type FieldPolicy = (typeof FIELD_POLICIES)[ConfigPath];

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
