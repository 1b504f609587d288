import type * as cloudwatch from '@pulumi/aws/cloudwatch';
import type * as pulumi from '@pulumi/pulumi';
import { resourceName, type EnvironmentName, type StackPhysicalName } from '@tap/validation';
import { ALARM_SETTINGS, PAYMENT_FUNCTION_KEY, TREAT_MISSING_DATA } from './constants';

/** A Lambda function an alarm of {@link FUNCTION_ALARMS} watches, its thresholds resolved. */
export interface WatchedFunction {
  functionName: pulumi.Input<string>;
  errorThreshold: number;
  latencyThresholdMs: number;
}

/** The Aurora cluster an alarm of {@link CLUSTER_ALARMS} watches, its thresholds resolved. */
export interface WatchedCluster {
  clusterIdentifier: pulumi.Input<string>;
  dbCpuThresholdPercent: number;
  dbConnectionsThreshold: number;
}

/** What an alarm row sets of `aws.cloudwatch.MetricAlarm` (name, operator and actions are the component's). */
export type AlarmMetric = Pick<
  cloudwatch.MetricAlarmArgs,
  'namespace' | 'metricName' | 'statistic' | 'threshold' | 'dimensions' | 'treatMissingData' | 'alarmDescription' | 'unit'
>;

/** One alarm of the table: its label, its periods and its metric for what it watches. */
export interface AlarmRow<Target> {
  /** For messages, e.g. `errors` gives `lambda errors alarm`. */
  what: string;
  settings: { period: number; evaluationPeriods: number; datapointsToAlarm: number };
  /** Only on the payment Lambda, not on `additionalFunctions`. Default: every watched function. */
  paymentOnly?: boolean;
  metric: (target: Target) => AlarmMetric;
}

/**
 * The alarms of each watched Lambda (the payment function, key `lambda`, and each `additionalFunctions` key), named
 * `{key}-{row}-alarm-{env}-{suffix}`. A new row is a new alarm, its name checked and listed with the rest.
 */
export const FUNCTION_ALARMS = {
  errors: {
    what: 'errors',
    settings: ALARM_SETTINGS.lambdaErrors,
    metric: (fn) => ({
      namespace: 'AWS/Lambda',
      metricName: 'Errors',
      statistic: 'Sum',
      threshold: fn.errorThreshold,
      dimensions: { FunctionName: fn.functionName },
      treatMissingData: TREAT_MISSING_DATA.lambda,
      alarmDescription: `More than ${fn.errorThreshold} Lambda errors in 5 minutes`,
    }),
  },
  duration: {
    what: 'duration',
    settings: ALARM_SETTINGS.lambdaDuration,
    metric: (fn) => ({
      namespace: 'AWS/Lambda',
      metricName: 'Duration',
      statistic: 'Average',
      threshold: fn.latencyThresholdMs,
      unit: 'Milliseconds',
      dimensions: { FunctionName: fn.functionName },
      treatMissingData: TREAT_MISSING_DATA.lambda,
      alarmDescription: `Average Lambda duration above ${fn.latencyThresholdMs} ms`,
    }),
  },
} as const satisfies Record<string, AlarmRow<WatchedFunction>>;

/** The alarms of the Aurora cluster, named `aurora-{row}-alarm-{env}-{suffix}`, created once its instances exist. */
export const CLUSTER_ALARMS = {
  cpu: {
    what: 'CPU',
    settings: ALARM_SETTINGS.auroraCpu,
    metric: (db) => ({
      namespace: 'AWS/RDS',
      metricName: 'CPUUtilization',
      statistic: 'Average',
      threshold: db.dbCpuThresholdPercent,
      // The writer's CPU: a cluster-wide average would halve a saturated writer's figure with an idle reader, and
      // after a failover the WRITER role moves with the new writer, so the series continues.
      dimensions: { DBClusterIdentifier: db.clusterIdentifier, Role: 'WRITER' },
      treatMissingData: TREAT_MISSING_DATA.aurora,
      alarmDescription: `Aurora writer CPU above ${db.dbCpuThresholdPercent} % for 15 minutes`,
    }),
  },
  connections: {
    what: 'connections',
    settings: ALARM_SETTINGS.auroraConnections,
    metric: (db) => ({
      namespace: 'AWS/RDS',
      metricName: 'DatabaseConnections',
      // Exhaustion is about the peak, which an average would hide.
      statistic: 'Maximum',
      threshold: db.dbConnectionsThreshold,
      dimensions: { DBClusterIdentifier: db.clusterIdentifier },
      treatMissingData: TREAT_MISSING_DATA.aurora,
      alarmDescription: `More than ${db.dbConnectionsThreshold} database connections`,
    }),
  },
} as const satisfies Record<string, AlarmRow<WatchedCluster>>;

/** Row key of {@link FUNCTION_ALARMS}. */
export type FunctionAlarm = keyof typeof FUNCTION_ALARMS;
/** Row key of {@link CLUSTER_ALARMS}. */
export type ClusterAlarm = keyof typeof CLUSTER_ALARMS;

/** The rows of {@link FUNCTION_ALARMS} the function `key` gets (the payment Lambda all, the others all but paymentOnly). */
export function functionAlarmsOf(key: string): FunctionAlarm[] {
  return (Object.keys(FUNCTION_ALARMS) as FunctionAlarm[]).filter(
    (alarm) => key === PAYMENT_FUNCTION_KEY || (FUNCTION_ALARMS[alarm] as AlarmRow<WatchedFunction>).paymentOnly !== true,
  );
}

/**
 * The physical names MonitoringComponent gives its resources: its resources and its name check both read these.
 *
 * @example
 * MONITORING_NAMES.functionAlarm('rotation', 'errors', 'dev', '001'); // 'rotation-errors-alarm-dev-001'
 */
export const MONITORING_NAMES = {
  topic: (environment: EnvironmentName, suffix: string) => resourceName('alarms-topic', environment, suffix),
  functionAlarm: (key: string, alarm: FunctionAlarm, environment: EnvironmentName, suffix: string) =>
    resourceName(`${key}-${alarm}-alarm`, environment, suffix),
  clusterAlarm: (alarm: ClusterAlarm, environment: EnvironmentName, suffix: string) => resourceName(`aurora-${alarm}-alarm`, environment, suffix),
  // Checked by resourceName in the topic's name; the log group keeps the platform's documented shape.
  applicationLogGroup: (environment: EnvironmentName, suffix: string) => `/aws/application/${environment}-${suffix}`,
} as const;

const METRIC_ALARM = 'aws:cloudwatch/metricAlarm:MetricAlarm';

/**
 * Every physical name MonitoringComponent creates, `functionKeys` being the keys of its `additionalFunctions`: the
 * topic first, then each alarm of the table, then the application log group.
 *
 * @example
 * monitoringPhysicalNames(['rotation']).map((n) => n.name('dev', '001', 1)); // ['alarms-topic-dev-001', 'lambda-errors-alarm-dev-001', …]
 */
export function monitoringPhysicalNames(functionKeys: readonly string[]): StackPhysicalName[] {
  return [
    { resource: 'alarm topic', type: 'aws:sns/topic:Topic', name: MONITORING_NAMES.topic },
    ...[PAYMENT_FUNCTION_KEY, ...functionKeys].flatMap((key) =>
      functionAlarmsOf(key).map(
        (alarm): StackPhysicalName => ({
          resource: `${key} ${FUNCTION_ALARMS[alarm].what} alarm`,
          type: METRIC_ALARM,
          name: (environment, suffix) => MONITORING_NAMES.functionAlarm(key, alarm, environment, suffix),
        }),
      ),
    ),
    ...(Object.keys(CLUSTER_ALARMS) as ClusterAlarm[]).map(
      (alarm): StackPhysicalName => ({
        resource: `Aurora ${CLUSTER_ALARMS[alarm].what} alarm`,
        type: METRIC_ALARM,
        name: (environment, suffix) => MONITORING_NAMES.clusterAlarm(alarm, environment, suffix),
      }),
    ),
    { resource: 'application log group', type: 'aws:cloudwatch/logGroup:LogGroup', name: MONITORING_NAMES.applicationLogGroup },
  ];
}
