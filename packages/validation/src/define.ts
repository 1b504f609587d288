import { PROFILES } from './profiles';
import { assertValidEnvironmentConfig } from './rules';
import type { SETTINGS } from './settings';
import type { ConfigPath, EnvironmentConfig, EnvironmentName } from './types';

type Profile<E extends EnvironmentName> = (typeof PROFILES)[E];

/** The settings a profile fixes exactly (policy `per-environment` or `parity`), read from `SETTINGS`. */
type ExactPath = { [P in ConfigPath]: (typeof SETTINGS)[P]['policy'] extends 'per-environment' | 'parity' ? P : never }[ConfigPath];

/**
 * `T` with each leaf at an exact path narrowed to the profile's literal (optional leaves stay optional); every other leaf,
 * and a leaf the profile does not state, keeps its type.
 */
type Narrowed<T, P, Prefix extends string> = {
  [K in keyof T]: K extends string
    ? NonNullable<T[K]> extends object
      ? K extends keyof P
        ? Narrowed<NonNullable<T[K]>, P[K], `${Prefix}${K}.`>
        : T[K]
      : `${Prefix}${K}` extends ExactPath
        ? K extends keyof P
          ? P[K]
          : T[K]
        : T[K]
    : T[K];
};

/**
 * `EnvironmentConfig` narrowed to the literals of `E`'s profile: a wrong region, memory, vCPU, instance class or count,
 * or a parity value for that environment is a compile-time error. Derived from `SETTINGS` and `PROFILES`: every
 * `per-environment` or `parity` setting is narrowed, so a new one needs no edit here. Thresholds and deployment settings
 * stay as they are (a type cannot say "at most"); `defineEnvironment` checks them at run time.
 */
export type ProfiledEnvironmentConfig<E extends EnvironmentName> = Narrowed<EnvironmentConfig, Profile<E> & { environment: E }, ''>;

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
 *   secrets: { rotationDays: 30 }, logging: { retentionDays: 30 }, encryption: { keyRotation: true },
 * });
 */
export function defineEnvironment<E extends EnvironmentName>(
  environment: E,
  config: NoInfer<ProfiledEnvironmentConfig<E>>,
): ProfiledEnvironmentConfig<E> {
  assertValidEnvironmentConfig(environment, config);
  return config;
}
