import * as cloudwatch from '@pulumi/aws/cloudwatch';
import * as sns from '@pulumi/aws/sns';
import * as pulumi from '@pulumi/pulumi';
import { createCustomerManagedKey } from '@tap/blocks';
import {
  CLUSTER_ALARMS,
  FUNCTION_ALARMS,
  MONITORING_NAMES,
  functionAlarmsOf,
  type AlarmMetric,
  type AlarmRow,
  type ClusterAlarm,
  type FunctionAlarm,
  type WatchedCluster,
  type WatchedFunction,
} from './alarms';
import { MONITORING_DEFAULTS, PAYMENT_FUNCTION_KEY } from './constants';
import { MonitoringComponentError } from './errors';
import { alarmTopicKeyPolicy } from './keyPolicy';
import type { MonitoringComponentArgs } from './types';
import { assertMonitoringNames, assertMonitoringSettings } from './validate';

/**
 * CloudWatch alarms on the payment Lambda and the Aurora cluster, all sending alarm and OK notifications to one
 * KMS-encrypted SNS topic per environment, plus the application log group.
 *
 * @example
 * new MonitoringComponent('monitoring', {
 *   environment: 'prod',
 *   environmentSuffix: '001',
 *   functionName: fn.functionName,
 *   clusterIdentifier: db.clusterIdentifier,
 *   dbConnectionsThreshold: 200,
 *   alarmEmail: 'oncall@example.com',
 * });
 */
export class MonitoringComponent extends pulumi.ComponentResource {
  public readonly topicArn: pulumi.Output<string>;
  public readonly kmsKeyArn: pulumi.Output<string>;
  public readonly applicationLogGroupName: pulumi.Output<string>;
  public readonly alarmArns: {
    lambdaErrors: pulumi.Output<string>;
    lambdaDuration: pulumi.Output<string>;
    auroraCpu: pulumi.Output<string>;
    auroraConnections: pulumi.Output<string>;
  };
  /** Errors and Duration alarms of each `additionalFunctions` entry, by its key. */
  public readonly additionalAlarmArns: Record<string, { errors: pulumi.Output<string>; duration: pulumi.Output<string> }>;

  constructor(name: string, args: MonitoringComponentArgs, opts?: pulumi.ComponentResourceOptions) {
    super('tap:monitoring:MonitoringComponent', name, {}, opts);

    const { environment, environmentSuffix: suffix } = args;
    const errorThreshold = args.errorThreshold ?? MONITORING_DEFAULTS.errorThreshold;
    const latencyThresholdMs = args.latencyThresholdMs ?? MONITORING_DEFAULTS.latencyThresholdMs;
    const dbCpuThresholdPercent = args.dbCpuThresholdPercent ?? MONITORING_DEFAULTS.dbCpuThresholdPercent;
    const dbConnectionsThreshold = args.dbConnectionsThreshold ?? MONITORING_DEFAULTS.dbConnectionsThreshold;
    const logRetentionDays = args.logging?.retentionDays ?? MONITORING_DEFAULTS.logging.retentionDays;
    assertMonitoringSettings({ errorThreshold, latencyThresholdMs, dbCpuThresholdPercent, dbConnectionsThreshold, logRetentionDays, alarmEmail: args.alarmEmail });
    // Every name against its AWS limit before any resource exists: a name over it fails the deploy halfway.
    assertMonitoringNames(name, environment, suffix, (args.additionalFunctions ?? []).map((fn) => fn.key));
    const topicName = MONITORING_NAMES.topic(environment, suffix);

    if (args.kmsKeyArn !== undefined) {
      this.kmsKeyArn = pulumi.output(args.kmsKeyArn);
    } else {
      const { key } = createCustomerManagedKey(
        `${name}-key`,
        {
          description: `SNS topic ${topicName}`,
          policy: ({ accountId, partition, region }) => alarmTopicKeyPolicy(accountId, partition, region),
        },
        this,
      );
      this.kmsKeyArn = key.arn;
    }

    const topic = new sns.Topic(`${name}-topic`, { name: topicName, kmsMasterKeyId: this.kmsKeyArn }, { parent: this });
    if (args.alarmEmail !== undefined) {
      new sns.TopicSubscription(
        `${name}-email`,
        { topic: topic.arn, protocol: 'email', endpoint: args.alarmEmail },
        { parent: this },
      );
    }

    const actions = [topic.arn];
    const alarm = (key: string, alarmName: string, row: Pick<AlarmRow<unknown>, 'settings'>, metric: AlarmMetric, dependsOn: pulumi.Resource[] = []) =>
      new cloudwatch.MetricAlarm(
        `${name}-${key}`,
        { name: alarmName, comparisonOperator: 'GreaterThanThreshold', ...row.settings, ...metric, alarmActions: actions, okActions: actions },
        { parent: this, dependsOn },
      );
    // Every row of the alarm tables; the names are the ones assertMonitoringNames checked above.
    const functionAlarms = (key: string, fn: WatchedFunction) =>
      Object.fromEntries(
        functionAlarmsOf(key).map((row) => [
          row,
          alarm(`${key}-${row}`, MONITORING_NAMES.functionAlarm(key, row, environment, suffix), FUNCTION_ALARMS[row], FUNCTION_ALARMS[row].metric(fn)),
        ]),
      ) as Partial<Record<FunctionAlarm, cloudwatch.MetricAlarm>> & Record<'errors' | 'duration', cloudwatch.MetricAlarm>;

    const payment = functionAlarms(PAYMENT_FUNCTION_KEY, { functionName: args.functionName, errorThreshold, latencyThresholdMs });
    const keys = (args.additionalFunctions ?? []).map((fn) => fn.key);
    const clash = keys.find((key, i) => key === PAYMENT_FUNCTION_KEY || keys.indexOf(key) !== i);
    if (clash !== undefined) {
      throw new MonitoringComponentError(`additionalFunctions key "${clash}" is used twice or by the payment Lambda's alarms; give each function its own key`);
    }
    const additionalAlarms = (args.additionalFunctions ?? []).map((fn) => {
      assertMonitoringSettings({
        errorThreshold: fn.errorThreshold ?? errorThreshold,
        latencyThresholdMs: fn.latencyThresholdMs ?? latencyThresholdMs,
        dbCpuThresholdPercent,
        dbConnectionsThreshold,
        logRetentionDays,
      });
      return functionAlarms(fn.key, {
        functionName: fn.functionName,
        errorThreshold: fn.errorThreshold ?? errorThreshold,
        latencyThresholdMs: fn.latencyThresholdMs ?? latencyThresholdMs,
      });
    });
    const cluster: WatchedCluster = { clusterIdentifier: args.clusterIdentifier, dbCpuThresholdPercent, dbConnectionsThreshold };
    const clusterAlarms = Object.fromEntries(
      (Object.keys(CLUSTER_ALARMS) as ClusterAlarm[]).map((row) => [
        row,
        alarm(`aurora-${row}`, MONITORING_NAMES.clusterAlarm(row, environment, suffix), CLUSTER_ALARMS[row], CLUSTER_ALARMS[row].metric(cluster), args.databaseInstances),
      ]),
    ) as Record<ClusterAlarm, cloudwatch.MetricAlarm>;

    const appLogs = new cloudwatch.LogGroup(
      `${name}-app-logs`,
      { name: MONITORING_NAMES.applicationLogGroup(environment, suffix), retentionInDays: logRetentionDays },
      { parent: this },
    );

    this.topicArn = topic.arn;
    this.applicationLogGroupName = appLogs.name;
    this.alarmArns = {
      lambdaErrors: payment.errors.arn,
      lambdaDuration: payment.duration.arn,
      auroraCpu: clusterAlarms.cpu.arn,
      auroraConnections: clusterAlarms.connections.arn,
    };
    this.additionalAlarmArns = Object.fromEntries(
      (args.additionalFunctions ?? []).map((fn, i) => [fn.key, { errors: additionalAlarms[i].errors.arn, duration: additionalAlarms[i].duration.arn }]),
    );
    this.registerOutputs({
      topicArn: this.topicArn,
      kmsKeyArn: this.kmsKeyArn,
      applicationLogGroupName: this.applicationLogGroupName,
      alarmArns: this.alarmArns,
      additionalAlarmArns: this.additionalAlarmArns,
    });
  }
}

