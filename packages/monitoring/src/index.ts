export { CLUSTER_ALARMS, FUNCTION_ALARMS, MONITORING_NAMES, monitoringPhysicalNames } from './alarms';
export type { AlarmMetric, AlarmRow, ClusterAlarm, FunctionAlarm, WatchedCluster, WatchedFunction } from './alarms';
export { ALARM_SETTINGS, MONITORING_DEFAULTS, PAYMENT_FUNCTION_KEY, TREAT_MISSING_DATA } from './constants';
export { MonitoringComponentError } from './errors';
export { alarmTopicKeyPolicy } from './keyPolicy';
export { MonitoringComponent } from './monitoringComponent';
export { assertMonitoringSettings } from './validate';
export type { MonitoredFunction, MonitoringComponentArgs } from './types';
