import { LAMBDA_LIMITS } from './constants';

/**
 * The rules one setting obeys wherever it is checked: by `validateEnvironmentConfig` for a stack's config and by the
 * components (which other teams call with their own values). Each returns what the value must be (`"must be …"`), or
 * undefined when it is fine; the caller names the setting and the value, so messages read the same everywhere.
 */

/** Retention periods CloudWatch Logs accepts (`PutRetentionPolicy`); any other number is refused by the API. */
export const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] as const;

/** Aurora keeps automated backups for 1 to 35 days. */
export const BACKUP_RETENTION_DAYS_RANGE = { min: 1, max: 35 } as const;

/** Secrets Manager rotates every 1 to 1000 days (`RotationRules.AutomaticallyAfterDays`). */
export const ROTATION_DAYS_RANGE = { min: 1, max: 1000 } as const;

/** An Aurora cluster has one writer and at most 15 readers. */
export const CLUSTER_INSTANCE_COUNT_RANGE = { min: 1, max: 16 } as const;

function integerIn(value: number, min: number, max: number, unit = ''): string | undefined {
  return Number.isInteger(value) && value >= min && value <= max ? undefined : `must be an integer from ${min} to ${max}${unit}`;
}

/**
 * Lambda memory: 128 to 10,240 MB.
 *
 * @example
 * lambdaMemoryProblem(64); // 'must be an integer from 128 to 10240 MB'
 */
export function lambdaMemoryProblem(memoryMb: number): string | undefined {
  return integerIn(memoryMb, LAMBDA_LIMITS.minMemoryMb, LAMBDA_LIMITS.maxMemoryMb, ' MB');
}

/**
 * Lambda timeout: 1 to 900 seconds.
 *
 * @example
 * lambdaTimeoutProblem(901); // 'must be an integer from 1 to 900 seconds'
 */
export function lambdaTimeoutProblem(timeoutSeconds: number): string | undefined {
  return integerIn(timeoutSeconds, 1, LAMBDA_LIMITS.maxTimeoutSeconds, ' seconds');
}

/**
 * Reserved concurrency: at least 1, because 0 throttles every invocation (the function is switched off).
 *
 * @example
 * reservedConcurrencyProblem(0); // 'must be a positive integer (0 would throttle every invocation)'
 */
export function reservedConcurrencyProblem(reservedConcurrency: number): string | undefined {
  return Number.isInteger(reservedConcurrency) && reservedConcurrency >= 1 ? undefined : 'must be a positive integer (0 would throttle every invocation)';
}

/**
 * A latency alarm must fire before the function times out: an invocation that times out never reports a duration
 * above the timeout, so a threshold at or above it would never see the slow calls it is for.
 *
 * @example
 * latencyBelowTimeoutProblem(30_000, 30); // 'must be below the Lambda timeout (30000ms), or slow invocations time out before the alarm sees them'
 */
export function latencyBelowTimeoutProblem(latencyThresholdMs: number, timeoutSeconds: number): string | undefined {
  const timeoutMs = timeoutSeconds * 1000;
  return latencyThresholdMs < timeoutMs ? undefined : `must be below the Lambda timeout (${timeoutMs}ms), or slow invocations time out before the alarm sees them`;
}

/**
 * An error-count alarm threshold: a non-negative integer; 0 pages on any error.
 *
 * @example
 * errorThresholdProblem(-1); // 'must be a non-negative integer (0 alarms on any error)'
 */
export function errorThresholdProblem(threshold: number): string | undefined {
  return Number.isInteger(threshold) && threshold >= 0 ? undefined : 'must be a non-negative integer (0 alarms on any error)';
}

/**
 * A latency or connection-count alarm threshold: a positive integer (0 would alarm all the time).
 *
 * @example
 * positiveThresholdProblem(0); // 'must be a positive integer'
 */
export function positiveThresholdProblem(threshold: number): string | undefined {
  return Number.isInteger(threshold) && threshold >= 1 ? undefined : 'must be a positive integer';
}

/**
 * A CPU alarm threshold in percent: an integer from 1 to 99 (at 100 it could never be exceeded).
 *
 * @example
 * percentThresholdProblem(100); // 'must be an integer from 1 to 99 (percent)'
 */
export function percentThresholdProblem(percent: number): string | undefined {
  return integerIn(percent, 1, 99, ' (percent)');
}

/**
 * Log retention: one of the periods CloudWatch Logs accepts.
 *
 * @example
 * logRetentionProblem(31); // 'must be one of 1, 3, 5, 7, 14, 30, … days (the periods CloudWatch Logs accepts)'
 */
export function logRetentionProblem(days: number): string | undefined {
  return (LOG_RETENTION_DAYS as readonly number[]).includes(days)
    ? undefined
    : `must be one of ${LOG_RETENTION_DAYS.join(', ')} days (the periods CloudWatch Logs accepts)`;
}

/**
 * Automated backup retention: 1 to 35 days.
 *
 * @example
 * backupRetentionProblem(0); // 'must be an integer from 1 to 35 days'
 */
export function backupRetentionProblem(days: number): string | undefined {
  return integerIn(days, BACKUP_RETENTION_DAYS_RANGE.min, BACKUP_RETENTION_DAYS_RANGE.max, ' days');
}

/**
 * Secret rotation interval: 1 to 1000 days.
 *
 * @example
 * rotationDaysProblem(0); // 'must be an integer from 1 to 1000 days'
 */
export function rotationDaysProblem(days: number): string | undefined {
  return integerIn(days, ROTATION_DAYS_RANGE.min, ROTATION_DAYS_RANGE.max, ' days');
}

/**
 * Cluster instances: a writer and up to 15 readers.
 *
 * @example
 * clusterInstanceCountProblem(17); // 'must be an integer from 1 to 16'
 */
export function clusterInstanceCountProblem(count: number): string | undefined {
  return integerIn(count, CLUSTER_INSTANCE_COUNT_RANGE.min, CLUSTER_INSTANCE_COUNT_RANGE.max);
}
