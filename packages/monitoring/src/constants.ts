import type { MonitoringComponentArgs } from './types';

/**
 * Defaults of {@link MonitoringComponent}, resolved at the top of its constructor; keyed by the argument names (a
 * misspelt or renamed key does not compile).
 */
export const MONITORING_DEFAULTS = {
  errorThreshold: 5,
  latencyThresholdMs: 3000,
  dbCpuThresholdPercent: 80,
  /** 100 suits dev/staging instance classes; prod passes 200. */
  dbConnectionsThreshold: 100,
  logging: { retentionDays: 30 },
} as const satisfies Partial<MonitoringComponentArgs>;

/** Alarm periods: 5-minute windows; latency and CPU need several in a row so one spike does not page anyone. */
export const ALARM_SETTINGS = {
  lambdaErrors: { period: 300, evaluationPeriods: 1, datapointsToAlarm: 1 },
  lambdaDuration: { period: 300, evaluationPeriods: 3, datapointsToAlarm: 2 },
  auroraCpu: { period: 300, evaluationPeriods: 3, datapointsToAlarm: 3 },
  auroraConnections: { period: 300, evaluationPeriods: 2, datapointsToAlarm: 2 },
} as const;

/**
 * treatMissingData, chosen per metric:
 * - Lambda metrics are only emitted when the function runs: no data means no traffic, which is healthy.
 * - Aurora emits CPU and connections every minute while the cluster is up: a gap means it is not, which is an alarm.
 *   The Aurora alarms are created only once the instances exist (`databaseInstances`), so a first deploy does not
 *   page, and the CPU alarm follows the WRITER role, which moves with a failover during an instance replacement.
 */
export const TREAT_MISSING_DATA = {
  lambda: 'notBreaching',
  aurora: 'breaching',
} as const;

/** Alarm-name key of the payment Lambda (`lambda-errors-alarm-…`); an `additionalFunctions` key may not take it. */
export const PAYMENT_FUNCTION_KEY = 'lambda';
