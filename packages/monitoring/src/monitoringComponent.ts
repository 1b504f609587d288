import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { createCustomerManagedKey } from '@tap/blocks';
import { resourceName } from '@tap/validation';
import { ALARM_SETTINGS, MONITORING_DEFAULTS, TREAT_MISSING_DATA } from './constants';
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
    const cpuThresholdPercent = args.cpuThresholdPercent ?? MONITORING_DEFAULTS.cpuThresholdPercent;
    const dbConnectionsThreshold = args.dbConnectionsThreshold ?? MONITORING_DEFAULTS.dbConnectionsThreshold;
    const logRetentionDays = args.logRetentionDays ?? MONITORING_DEFAULTS.logRetentionDays;
    assertMonitoringSettings({ errorThreshold, latencyThresholdMs, cpuThresholdPercent, dbConnectionsThreshold, logRetentionDays, alarmEmail: args.alarmEmail });
    // Every name against its AWS limit before any resource exists: a name over it fails the deploy halfway.
    assertMonitoringNames(name, environment, suffix, (args.additionalFunctions ?? []).map((fn) => fn.key));
    const topicName = resourceName('alarms-topic', environment, suffix);

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

    const topic = new aws.sns.Topic(`${name}-topic`, { name: topicName, kmsMasterKeyId: this.kmsKeyArn }, { parent: this });
    if (args.alarmEmail !== undefined) {
      new aws.sns.TopicSubscription(
        `${name}-email`,
        { topic: topic.arn, protocol: 'email', endpoint: args.alarmEmail },
        { parent: this },
      );
    }

    const actions = [topic.arn];
    const alarm = (
      key: string,
      type: string,
      settings: { period: number; evaluationPeriods: number; datapointsToAlarm: number },
      metric: Pick<aws.cloudwatch.MetricAlarmArgs, 'namespace' | 'metricName' | 'statistic' | 'threshold' | 'dimensions' | 'treatMissingData' | 'alarmDescription' | 'unit'>,
      dependsOn: pulumi.Resource[] = [],
    ) =>
      new aws.cloudwatch.MetricAlarm(
        `${name}-${key}`,
        {
          name: resourceName(type, environment, suffix),
          comparisonOperator: 'GreaterThanThreshold',
          ...settings,
          ...metric,
          alarmActions: actions,
          okActions: actions,
        },
        { parent: this, dependsOn },
      );
    const lambdaAlarms = (key: string, type: string, functionName: pulumi.Input<string>, errors: number, latencyMs: number) => ({
      errors: alarm(`${key}-errors`, `${type}-errors-alarm`, ALARM_SETTINGS.lambdaErrors, {
        namespace: 'AWS/Lambda',
        metricName: 'Errors',
        statistic: 'Sum',
        threshold: errors,
        dimensions: { FunctionName: functionName },
        treatMissingData: TREAT_MISSING_DATA.lambda,
        alarmDescription: `More than ${errors} Lambda errors in 5 minutes`,
      }),
      duration: alarm(`${key}-duration`, `${type}-duration-alarm`, ALARM_SETTINGS.lambdaDuration, {
        namespace: 'AWS/Lambda',
        metricName: 'Duration',
        statistic: 'Average',
        threshold: latencyMs,
        unit: 'Milliseconds',
        dimensions: { FunctionName: functionName },
        treatMissingData: TREAT_MISSING_DATA.lambda,
        alarmDescription: `Average Lambda duration above ${latencyMs} ms`,
      }),
    });

    const { errors: lambdaErrors, duration: lambdaDuration } = lambdaAlarms('lambda', 'lambda', args.functionName, errorThreshold, latencyThresholdMs);
    const keys = (args.additionalFunctions ?? []).map((fn) => fn.key);
    const clash = keys.find((key, i) => key === 'lambda' || keys.indexOf(key) !== i);
    if (clash !== undefined) {
      throw new MonitoringComponentError(`additionalFunctions key "${clash}" is used twice or by the payment Lambda's alarms; give each function its own key`);
    }
    const additionalAlarms = (args.additionalFunctions ?? []).map((fn) => {
      assertMonitoringSettings({
        errorThreshold: fn.errorThreshold ?? errorThreshold,
        latencyThresholdMs: fn.latencyThresholdMs ?? latencyThresholdMs,
        cpuThresholdPercent,
        dbConnectionsThreshold,
        logRetentionDays,
      });
      return lambdaAlarms(fn.key, fn.key, fn.functionName, fn.errorThreshold ?? errorThreshold, fn.latencyThresholdMs ?? latencyThresholdMs);
    });
    const auroraCpu = alarm('aurora-cpu', 'aurora-cpu-alarm', ALARM_SETTINGS.auroraCpu, {
      namespace: 'AWS/RDS',
      metricName: 'CPUUtilization',
      statistic: 'Average',
      threshold: cpuThresholdPercent,
      // The writer's CPU: a cluster-wide average would halve a saturated writer's figure with an idle reader, and
      // after a failover the WRITER role moves with the new writer, so the series continues.
      dimensions: { DBClusterIdentifier: args.clusterIdentifier, Role: 'WRITER' },
      treatMissingData: TREAT_MISSING_DATA.aurora,
      alarmDescription: `Aurora writer CPU above ${cpuThresholdPercent} % for 15 minutes`,
    }, args.databaseInstances);
    const auroraConnections = alarm('aurora-connections', 'aurora-connections-alarm', ALARM_SETTINGS.auroraConnections, {
      namespace: 'AWS/RDS',
      metricName: 'DatabaseConnections',
      // Exhaustion is about the peak, which an average would hide.
      statistic: 'Maximum',
      threshold: dbConnectionsThreshold,
      dimensions: { DBClusterIdentifier: args.clusterIdentifier },
      treatMissingData: TREAT_MISSING_DATA.aurora,
      alarmDescription: `More than ${dbConnectionsThreshold} database connections`,
    }, args.databaseInstances);

    const appLogs = new aws.cloudwatch.LogGroup(
      `${name}-app-logs`,
      { name: `/aws/application/${environment}-${suffix}`, retentionInDays: logRetentionDays },
      { parent: this },
    );

    this.topicArn = topic.arn;
    this.applicationLogGroupName = appLogs.name;
    this.alarmArns = {
      lambdaErrors: lambdaErrors.arn,
      lambdaDuration: lambdaDuration.arn,
      auroraCpu: auroraCpu.arn,
      auroraConnections: auroraConnections.arn,
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

