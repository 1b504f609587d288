import { firstSettingProblem } from '@tap/blocks';
import {
  componentNameProblem,
  componentNames,
  logRetentionProblem,
  reservedConcurrencyProblem,
  rotationDaysProblem,
  type EnvironmentName,
} from '@tap/validation';
import { SecretsComponentError } from './errors';
import { SECRETS_PHYSICAL_NAMES } from './names';

/**
 * Checks the scalar settings of SecretsComponent with the platform's shared setting rules; throws
 * SecretsComponentError naming the setting and what it must be.
 *
 * @example
 * assertSecretsSettings({ username: 'tap_app', rotationDays: 30, reservedConcurrency: 1, logRetentionDays: 30 });
 */
export function assertSecretsSettings(settings: {
  username: string;
  rotationDays: number;
  reservedConcurrency: number;
  logRetentionDays: number;
}): void {
  const { username, rotationDays, reservedConcurrency, logRetentionDays } = settings;
  const problem = firstSettingProblem([
    ['rotationDays', rotationDays, rotationDaysProblem(rotationDays)],
    ['rotationReservedConcurrency', reservedConcurrency, reservedConcurrencyProblem(reservedConcurrency)],
    ['logging.retentionDays', logRetentionDays, logRetentionProblem(logRetentionDays)],
  ]);
  if (problem !== undefined) throw new SecretsComponentError(problem);
  // PostgreSQL identifiers are at most 63 bytes; anything longer is silently truncated, so the secret would lie.
  if (username.length === 0 || Buffer.byteLength(username) > 63) {
    throw new SecretsComponentError(`username must be 1 to 63 bytes (a PostgreSQL role name), got "${username}"`);
  }
}

/**
 * The physical names of SecretsComponent `name` (`SECRETS_PHYSICAL_NAMES`) against AWS's limits; throws one
 * `SecretsComponentError` naming the first name over its limit and the longest environmentSuffix that fits.
 *
 * @example
 * assertSecretsNames('sec', 'dev', '001'); // ok
 */
export function assertSecretsNames(name: string, environment: EnvironmentName, suffix: string): void {
  const problem = componentNameProblem('SecretsComponent', name, suffix, componentNames(SECRETS_PHYSICAL_NAMES, environment, suffix, 1));
  if (problem !== undefined) throw new SecretsComponentError(problem);
}
