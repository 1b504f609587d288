import { firstSettingProblem } from '@tap/blocks';
import { errorThresholdProblem, logRetentionProblem, percentThresholdProblem, positiveThresholdProblem } from '@tap/validation';
import { MonitoringComponentError } from './errors';

/**
 * Checks the thresholds, the log retention and the email of MonitoringComponent with the platform's shared setting rules.
 *
 * @example
 * assertMonitoringSettings({ errorThreshold: 5, latencyThresholdMs: 3000, cpuThresholdPercent: 80, dbConnectionsThreshold: 100, logRetentionDays: 30 });
 */
export function assertMonitoringSettings(settings: {
  errorThreshold: number;
  latencyThresholdMs: number;
  cpuThresholdPercent: number;
  dbConnectionsThreshold: number;
  logRetentionDays: number;
  alarmEmail?: string;
}): void {
  const problem = firstSettingProblem([
    ['errorThreshold', settings.errorThreshold, errorThresholdProblem(settings.errorThreshold)],
    ['latencyThresholdMs', settings.latencyThresholdMs, positiveThresholdProblem(settings.latencyThresholdMs)],
    ['cpuThresholdPercent', settings.cpuThresholdPercent, percentThresholdProblem(settings.cpuThresholdPercent)],
    ['dbConnectionsThreshold', settings.dbConnectionsThreshold, positiveThresholdProblem(settings.dbConnectionsThreshold)],
    ['logRetentionDays', settings.logRetentionDays, logRetentionProblem(settings.logRetentionDays)],
  ]);
  if (problem !== undefined) throw new MonitoringComponentError(problem);
  if (settings.alarmEmail !== undefined && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(settings.alarmEmail)) {
    throw new MonitoringComponentError(`alarmEmail "${settings.alarmEmail}" is not an email address`);
  }
}
