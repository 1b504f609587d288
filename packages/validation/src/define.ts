import { PROFILES } from './profiles';
import { assertValidEnvironmentConfig } from './rules';
import type { EnvironmentConfig, EnvironmentName } from './types';

type Profile<E extends EnvironmentName> = (typeof PROFILES)[E];

/**
 * `EnvironmentConfig` narrowed to the literals of `E`'s profile: a wrong region, memory, vCPU, instance class or count,
 * or a parity value for that environment is a compile-time error. Thresholds stay `number` (a type cannot say
 * "at most"); `defineEnvironment` checks them at run time.
 */
export interface ProfiledEnvironmentConfig<E extends EnvironmentName> extends EnvironmentConfig {
  environment: E;
  region: Profile<E>['region'];
  // Each block is the config's block narrowed where the profile is exact, so a new setting needs no edit here.
  lambda: EnvironmentConfig['lambda'] & {
    memoryMb: Profile<E>['lambda']['memoryMb'];
    vcpu: Profile<E>['lambda']['vcpu'];
  };
  database: EnvironmentConfig['database'] & {
    instanceClass: Profile<E>['database']['instanceClass'];
    instanceCount: Profile<E>['database']['instanceCount'];
    engineVersion: Profile<E>['database']['engineVersion'];
    backupRetentionDays: Profile<E>['database']['backupRetentionDays'];
  };
  secrets: EnvironmentConfig['secrets'] & { rotationDays: Profile<E>['secrets']['rotationDays'] };
  logging: EnvironmentConfig['logging'] & { retentionDays: Profile<E>['logging']['retentionDays'] };
  encryption: EnvironmentConfig['encryption'] & { kmsEnabled: Profile<E>['encryption']['kmsEnabled'] };
}

/**
 * Declares the config of one environment with compile-time checks against its profile, then validates it at run
 * time as well (thresholds, suffix, unknown keys) and returns it.
 *
 * @throws ConfigValidationError when a run-time rule fails.
 * @example
 * const prod = defineEnvironment('prod', {
 *   environment: 'prod', region: 'us-east-1', environmentSuffix: '001',
 *   lambda: { memoryMb: 4096, vcpu: 2 },
 *   database: { instanceClass: 'db.r6g.large', instanceCount: 2, engineVersion: '15.10', backupRetentionDays: 7 },
 *   monitoring: { errorThreshold: 3, latencyThresholdMs: 2000, dbCpuThresholdPercent: 80, dbConnectionsThreshold: 200 },
 *   secrets: { rotationDays: 30 }, logging: { retentionDays: 30 }, encryption: { kmsEnabled: true },
 * });
 */
export function defineEnvironment<E extends EnvironmentName>(
  environment: E,
  config: NoInfer<ProfiledEnvironmentConfig<E>>,
): ProfiledEnvironmentConfig<E> {
  assertValidEnvironmentConfig(environment, config);
  return config;
}
