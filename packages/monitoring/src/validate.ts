import { firstSettingProblem } from '@tap/blocks';
import {
  componentNameProblem,
  componentNames,
  errorThresholdProblem,
  logRetentionProblem,
  percentThresholdProblem,
  positiveThresholdProblem,
  type EnvironmentName,
} from '@tap/validation';
import { monitoringPhysicalNames } from './alarms';
import { MonitoringComponentError } from './errors';

/**
 * Checks the thresholds, the log retention and the email of MonitoringComponent with the platform's shared setting rules.
 *
 * @example
 * assertMonitoringSettings({ errorThreshold: 5, latencyThresholdMs: 3000, dbCpuThresholdPercent: 80, dbConnectionsThreshold: 100, logRetentionDays: 30 });
 */
export function assertMonitoringSettings(settings: {
  errorThreshold: number;
  latencyThresholdMs: number;
  dbCpuThresholdPercent: number;
  dbConnectionsThreshold: number;
  logRetentionDays: number;
  alarmEmail?: string;
}): void {
  const problem = firstSettingProblem([
    ['errorThreshold', settings.errorThreshold, errorThresholdProblem(settings.errorThreshold)],
    ['latencyThresholdMs', settings.latencyThresholdMs, positiveThresholdProblem(settings.latencyThresholdMs)],
    ['dbCpuThresholdPercent', settings.dbCpuThresholdPercent, percentThresholdProblem(settings.dbCpuThresholdPercent)],
    ['dbConnectionsThreshold', settings.dbConnectionsThreshold, positiveThresholdProblem(settings.dbConnectionsThreshold)],
    ['logging.retentionDays', settings.logRetentionDays, logRetentionProblem(settings.logRetentionDays)],
  ]);
  if (problem !== undefined) throw new MonitoringComponentError(problem);
  if (settings.alarmEmail !== undefined && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(settings.alarmEmail)) {
    throw new MonitoringComponentError(`alarmEmail "${settings.alarmEmail}" is not an email address`);
  }
}

/**
 * Every physical name MonitoringComponent `name` would create (`monitoringPhysicalNames`: the topic, the alarms of the
 * payment Lambda, of each additional function and of Aurora, the application log group) against AWS's limits; throws
 * one `MonitoringComponentError` naming the first name over its limit and the longest environmentSuffix that fits.
 *
 * @example
 * assertMonitoringNames('mon', 'dev', '001', ['rotation']); // ok
 */
export function assertMonitoringNames(name: string, environment: EnvironmentName, suffix: string, functionKeys: readonly string[]): void {
  const problem = componentNameProblem('MonitoringComponent', name, suffix, componentNames(monitoringPhysicalNames(functionKeys), environment, suffix, 1));
  if (problem !== undefined) throw new MonitoringComponentError(problem);
}
