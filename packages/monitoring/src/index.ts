export { ALARM_SETTINGS, MONITORING_DEFAULTS, TREAT_MISSING_DATA } from './constants';
export { MonitoringComponentError } from './errors';
export { alarmTopicKeyPolicy } from './keyPolicy';
export { MonitoringComponent } from './monitoringComponent';
export { assertMonitoringSettings } from './validate';
export type { MonitoredFunction, MonitoringComponentArgs } from './types';
