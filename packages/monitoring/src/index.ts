export { ALARM_SETTINGS, MONITORING_DEFAULTS, TREAT_MISSING_DATA } from './constants';
export { MonitoringComponentError } from './errors';
export { MonitoringComponent, alarmTopicKeyPolicy, assertMonitoringSettings } from './monitoringComponent';
export type { MonitoredFunction, MonitoringComponentArgs } from './types';
