import { firstSettingProblem } from '@tap/blocks';
import {
  componentNameProblem,
  componentNames,
  lambdaMemoryProblem,
  lambdaTimeoutProblem,
  logRetentionProblem,
  reservedConcurrencyProblem,
  type EnvironmentName,
} from '@tap/validation';
import { LambdaComponentError } from './errors';
import { lambdaPhysicalNames } from './names';

/**
 * Checks the scalar settings of LambdaComponent with the platform's shared setting rules.
 *
 * @example
 * assertLambdaSettings({ memoryMb: 512, timeoutSeconds: 30, reservedConcurrency: 5, logRetentionDays: 30, maxImageCount: 10 });
 */
export function assertLambdaSettings(settings: {
  memoryMb: number;
  timeoutSeconds: number;
  reservedConcurrency?: number;
  logRetentionDays: number;
  maxImageCount: number;
}): void {
  const { memoryMb, timeoutSeconds, reservedConcurrency, logRetentionDays, maxImageCount } = settings;
  const problem = firstSettingProblem([
    ['memoryMb', memoryMb, lambdaMemoryProblem(memoryMb)],
    ['timeoutSeconds', timeoutSeconds, lambdaTimeoutProblem(timeoutSeconds)],
    ['reservedConcurrency', String(reservedConcurrency), reservedConcurrency === undefined ? undefined : reservedConcurrencyProblem(reservedConcurrency)],
    ['logging.retentionDays', logRetentionDays, logRetentionProblem(logRetentionDays)],
    ['maxImageCount', maxImageCount, Number.isInteger(maxImageCount) && maxImageCount >= 1 ? undefined : 'must be a positive integer'],
  ]);
  if (problem !== undefined) throw new LambdaComponentError(problem);
}

/**
 * Checks the settings of the migration function.
 *
 * @example
 * assertMigrationSettings({ timeoutSeconds: 300, handler: 'migrate.handler' });
 */
export function assertMigrationSettings(settings: { timeoutSeconds: number; handler: string }): void {
  const problem = firstSettingProblem([['migrations.timeoutSeconds', settings.timeoutSeconds, lambdaTimeoutProblem(settings.timeoutSeconds)]]);
  if (problem !== undefined) throw new LambdaComponentError(problem);
  if (!/^[A-Za-z0-9_./-]+\.[A-Za-z0-9_]+$/.test(settings.handler)) {
    throw new LambdaComponentError(`migrations.handler "${settings.handler}" must look like <file>.<export>, e.g. migrate.handler`);
  }
}

/**
 * Every physical name LambdaComponent `name` would create (the migration function's too, when it has one), checked
 * against AWS's limits; throws one `LambdaComponentError` naming the first name over its limit and the longest
 * environmentSuffix with which every name fits.
 *
 * @example
 * assertLambdaNames('pay', 'prod', '001', { serviceName: 'payment-processor', migrations: true }); // ok
 */
export function assertLambdaNames(
  name: string,
  environment: EnvironmentName,
  suffix: string,
  options: { serviceName: string; migrations: boolean },
): void {
  const names = componentNames(lambdaPhysicalNames(options), environment, suffix, 1);
  const problem = componentNameProblem('LambdaComponent', name, suffix, names);
  if (problem !== undefined) throw new LambdaComponentError(problem);
}
