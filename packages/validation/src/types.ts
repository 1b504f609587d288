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
    reservedConcurrency?: number;
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
