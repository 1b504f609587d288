import {
  lambdaMemoryProblem,
  lambdaTimeoutProblem,
  logRetentionProblem,
  reservedConcurrencyProblem,
} from '@tap/validation';
import { LambdaComponentError } from './errors';

function check(setting: string, value: number | string, problem: string | undefined): void {
  if (problem !== undefined) throw new LambdaComponentError(`${setting} ${problem}, got ${value}`);
}

/**
 * Checks the scalar settings of LambdaComponent with the platform's shared setting rules.
 *
 * @example
 * assertLambdaSettings({ memorySize: 512, timeoutSeconds: 30, reservedConcurrency: 5, logRetentionDays: 30, maxImageCount: 10 });
 */
export function assertLambdaSettings(settings: {
  memorySize: number;
  timeoutSeconds: number;
  reservedConcurrency?: number;
  logRetentionDays: number;
  maxImageCount: number;
}): void {
  const { memorySize, timeoutSeconds, reservedConcurrency, logRetentionDays, maxImageCount } = settings;
  check('memorySize', memorySize, lambdaMemoryProblem(memorySize));
  check('timeoutSeconds', timeoutSeconds, lambdaTimeoutProblem(timeoutSeconds));
  if (reservedConcurrency !== undefined) check('reservedConcurrency', reservedConcurrency, reservedConcurrencyProblem(reservedConcurrency));
  check('logRetentionDays', logRetentionDays, logRetentionProblem(logRetentionDays));
  check('maxImageCount', maxImageCount, Number.isInteger(maxImageCount) && maxImageCount >= 1 ? undefined : 'must be a positive integer');
}

/**
 * Checks the settings of the migration function.
 *
 * @example
 * assertMigrationSettings({ timeoutSeconds: 300, handler: 'migrate.handler' });
 */
export function assertMigrationSettings(settings: { timeoutSeconds: number; handler: string }): void {
  check('migrations.timeoutSeconds', settings.timeoutSeconds, lambdaTimeoutProblem(settings.timeoutSeconds));
  if (!/^[A-Za-z0-9_./-]+\.[A-Za-z0-9_]+$/.test(settings.handler)) {
    throw new LambdaComponentError(`migrations.handler "${settings.handler}" must look like <file>.<export>, e.g. migrate.handler`);
  }
}
