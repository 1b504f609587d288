import type * as pulumi from '@pulumi/pulumi';
import type { EnvironmentName, LoggingSettings, MonitoringSettings } from '@tap/validation';

/**
 * Arguments of {@link MonitoringComponent}. Its thresholds are the fields of `MonitoringSettings` of @tap/validation
 * (`errorThreshold`, `latencyThresholdMs`, `dbCpuThresholdPercent`, `dbConnectionsThreshold`), by the same names and
 * documented there, so an environment's `monitoring` block passes as it is (`...config.monitoring`); each one left out
 * takes `MONITORING_DEFAULTS`.
 */
export interface MonitoringComponentArgs extends Partial<MonitoringSettings> {
  /** Environment name, part of every physical name. Required. */
  environment: EnvironmentName;
  /** Suffix of every physical name. Required. */
  environmentSuffix: string;
  /** Lambda function watched by the Errors and Duration alarms. Required. */
  functionName: pulumi.Input<string>;
  /** Aurora cluster watched by the CPU and connections alarms. Required. */
  clusterIdentifier: pulumi.Input<string>;
  /** Email subscribed to the alarm topic (needs confirming by its owner). Default: no subscription. */
  alarmEmail?: string;
  /**
   * KMS key of the alarm topic. Its policy must let `cloudwatch.amazonaws.com` use `kms:GenerateDataKey*` and
   * `kms:Decrypt`, or alarms cannot publish. Default: a key created here with that policy.
   */
  kmsKeyArn?: pulumi.Input<string>;
  /**
   * The environment's logging settings (`LoggingSettings`): `retentionDays` of the application log group. Default:
   * `MONITORING_DEFAULTS.logging` (30 days).
   */
  logging?: Partial<LoggingSettings>;
  /**
   * Other Lambda functions of the environment that get the same Errors and Duration alarms on the same topic
   * (e.g. the secret rotation function). Default: none.
   */
  additionalFunctions?: MonitoredFunction[];
  /**
   * What the Aurora alarms wait for: the cluster's instances. Aurora publishes metrics only while an instance runs, and
   * its alarms treat missing data as breaching (an outage must page): created before the instances, they would page
   * for the 5–15 minutes of a first deploy. Default: none.
   */
  databaseInstances?: pulumi.Resource[];
}

/** A further Lambda function watched by {@link MonitoringComponent}. */
export interface MonitoredFunction {
  /** Short lowercase type for the alarm names, e.g. `rotation` gives `rotation-errors-alarm-{env}-{suffix}`. */
  key: string;
  /** The function's name (the `FunctionName` dimension). */
  functionName: pulumi.Input<string>;
  /** Errors (Sum over 5 minutes) above which the alarm fires. Default: the component's `errorThreshold`. */
  errorThreshold?: number;
  /** Average Duration in ms above which the alarm fires. Default: the component's `latencyThresholdMs`. */
  latencyThresholdMs?: number;
}
