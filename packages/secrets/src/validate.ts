import { logRetentionProblem, reservedConcurrencyProblem, rotationDaysProblem } from '@tap/validation';
import { SecretsComponentError } from './errors';

function check(setting: string, value: number, problem: string | undefined): void {
  if (problem !== undefined) throw new SecretsComponentError(`${setting} ${problem}, got ${value}`);
}

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
  check('rotationDays', rotationDays, rotationDaysProblem(rotationDays));
  check('rotationReservedConcurrency', reservedConcurrency, reservedConcurrencyProblem(reservedConcurrency));
  check('logRetentionDays', logRetentionDays, logRetentionProblem(logRetentionDays));
  // PostgreSQL identifiers are at most 63 bytes; anything longer is silently truncated, so the secret would lie.
  if (username.length === 0 || Buffer.byteLength(username) > 63) {
    throw new SecretsComponentError(`username must be 1 to 63 bytes (a PostgreSQL role name), got "${username}"`);
  }
}
