import { ACCOUNT_ID, REGION, flush, installMocks, ofType, one, valueOf } from '@tap/pulumi-testing';
import { environmentProfile } from '@tap/validation';
import { MonitoringComponent, MonitoringComponentError, type MonitoringComponentArgs } from '../../src';

const mocks = installMocks();
const ALARM = 'aws:cloudwatch/metricAlarm:MetricAlarm';

const alarmsOf = (prefix: string) =>
  Object.fromEntries(ofType(mocks, prefix, ALARM).map((a) => [a.inputs.metricName as string, a.inputs]));

describe.each([
  ['dev', '001', 5, 3000, 100],
  ['staging', 'stg', 5, 3000, 100],
  ['prod', 'p01', 2, 1500, 200],
] as const)('MonitoringComponent in %s', (environment, suffix, errorThreshold, latencyThresholdMs, dbConnectionsThreshold) => {
  const prefix = `mon-${environment}`;
  let mon: MonitoringComponent;

  beforeAll(async () => {
    mon = new MonitoringComponent(prefix, {
      environment,
      environmentSuffix: suffix,
      functionName: `payment-processor-${environment}-${suffix}`,
      clusterIdentifier: `aurora-cluster-${environment}-${suffix}`,
      errorThreshold,
      latencyThresholdMs,
      dbConnectionsThreshold,
      alarmEmail: `oncall-${environment}@example.com`,
    });
    await valueOf(mon.topicArn);
    await flush(mocks);
  });

  it('encrypts the topic with its own rotating key that CloudWatch may use', async () => {
    // Prepare
    const key = one(mocks, prefix, 'aws:kms/key:Key').inputs;
    const topic = one(mocks, prefix, 'aws:sns/topic:Topic').inputs;
    const policy = JSON.parse(key.policy);
    const cloudwatch = policy.Statement.find((s: { Sid: string }) => s.Sid === 'CloudWatchAlarmsPublish');

    // Assess
    expect(topic.name).toBe(`alarms-topic-${environment}-${suffix}`);
    expect(topic.kmsMasterKeyId).toBe(`arn:aws:kms:${REGION}:${ACCOUNT_ID}:key/${prefix}-key`);
    expect(key.enableKeyRotation).toBe(true);
    expect(key.deletionWindowInDays).toBe(7);
    expect(cloudwatch.Principal).toEqual({ Service: 'cloudwatch.amazonaws.com' });
    expect(cloudwatch.Action).toEqual(['kms:Decrypt', 'kms:GenerateDataKey*']);
    expect(cloudwatch.Condition.StringEquals['aws:SourceAccount']).toBe(ACCOUNT_ID);
    expect(await valueOf(mon.kmsKeyArn)).toBe(topic.kmsMasterKeyId);
    // Administration without kms:Create* (which includes kms:CreateGrant: a grant is use of the key).
    const admin = policy.Statement.find((s: { Sid: string }) => s.Sid === 'AccountRootAdministersKey');
    expect(admin.Action).not.toContain('kms:Create*');
    expect(admin.Action).not.toContain('kms:CreateGrant');
    expect(admin.Action.some((a: string) => a.includes('*'))).toBe(false);
  });

  it('subscribes the alarm email', () => {
    const subscription = one(mocks, prefix, 'aws:sns/topicSubscription:TopicSubscription').inputs;
    expect(subscription).toEqual(
      expect.objectContaining({ protocol: 'email', endpoint: `oncall-${environment}@example.com`, topic: `arn:aws:sns:${REGION}:${ACCOUNT_ID}:alarms-topic-${environment}-${suffix}` }),
    );
  });

  it('creates the payment Lambda and Aurora alarms with the given thresholds, each sending alarm and OK to the topic', () => {
    // Prepare
    const alarms = alarmsOf(prefix);
    const topicArn = `arn:aws:sns:${REGION}:${ACCOUNT_ID}:alarms-topic-${environment}-${suffix}`;

    // Assess
    // The alarms the settings drive; any other alarm of the component is held to the same rules below.
    expect(Object.keys(alarms)).toEqual(expect.arrayContaining(['CPUUtilization', 'DatabaseConnections', 'Duration', 'Errors']));
    expect(alarms.Errors).toEqual(expect.objectContaining({ namespace: 'AWS/Lambda', statistic: 'Sum', threshold: errorThreshold, treatMissingData: 'notBreaching' }));
    expect(alarms.Duration).toEqual(expect.objectContaining({ namespace: 'AWS/Lambda', statistic: 'Average', threshold: latencyThresholdMs, treatMissingData: 'notBreaching' }));
    expect(alarms.CPUUtilization).toEqual(expect.objectContaining({ namespace: 'AWS/RDS', statistic: 'Average', threshold: 80, treatMissingData: 'breaching' }));
    expect(alarms.DatabaseConnections).toEqual(expect.objectContaining({ namespace: 'AWS/RDS', threshold: dbConnectionsThreshold, treatMissingData: 'breaching' }));
    for (const alarm of Object.values(alarms)) {
      expect(alarm.comparisonOperator).toBe('GreaterThanThreshold');
      expect(alarm.alarmActions).toEqual([topicArn]);
      expect(alarm.okActions).toEqual([topicArn]);
      expect(alarm.evaluationPeriods).toBeGreaterThanOrEqual(alarm.datapointsToAlarm);
      expect(alarm.name).toMatch(new RegExp(`-alarm-${environment}-${suffix}$`));
    }
    expect(alarms.Errors.dimensions).toEqual({ FunctionName: `payment-processor-${environment}-${suffix}` });
    // The writer's CPU, not an average with an idle reader.
    expect(alarms.CPUUtilization.dimensions).toEqual({ DBClusterIdentifier: `aurora-cluster-${environment}-${suffix}`, Role: 'WRITER' });
  });

  it('creates the application log group with 30-day retention', async () => {
    const logGroup = one(mocks, prefix, 'aws:cloudwatch/logGroup:LogGroup').inputs;
    expect(logGroup.name).toBe(`/aws/application/${environment}-${suffix}`);
    expect(logGroup.retentionInDays).toBe(30);
    expect(await valueOf(mon.applicationLogGroupName)).toBe(`/aws/application/${environment}-${suffix}`);
  });
});

describe('MonitoringComponent options', () => {
  it('uses a given key, applies defaults and subscribes no one without an email', async () => {
    // Act
    const mon = new MonitoringComponent('mon-byok', {
      environment: 'dev',
      environmentSuffix: 'byok',
      functionName: 'fn',
      clusterIdentifier: 'cluster',
      kmsKeyArn: 'arn:aws:kms:us-east-1:123456789012:key/shared',
    });
    await valueOf(mon.topicArn);
    await flush(mocks);

    // Assess
    expect(ofType(mocks, 'mon-byok', 'aws:kms/key:Key')).toHaveLength(0);
    expect(one(mocks, 'mon-byok', 'aws:sns/topic:Topic').inputs.kmsMasterKeyId).toBe('arn:aws:kms:us-east-1:123456789012:key/shared');
    expect(ofType(mocks, 'mon-byok', 'aws:sns/topicSubscription:TopicSubscription')).toHaveLength(0);
    const alarms = alarmsOf('mon-byok');
    expect([alarms.Errors.threshold, alarms.Duration.threshold, alarms.CPUUtilization.threshold, alarms.DatabaseConnections.threshold]).toEqual([5, 3000, 80, 100]);
  });

  it.each([
    [{ errorThreshold: -1 }, 'errorThreshold must be a non-negative integer (0 alarms on any error), got -1'],
    // The shared rules want whole numbers, and a latency or connections threshold of 0 (alarm all the time) is refused.
    [{ errorThreshold: 2.5 }, 'errorThreshold must be a non-negative integer (0 alarms on any error), got 2.5'],
    [{ latencyThresholdMs: Number.NaN }, 'latencyThresholdMs must be a positive integer, got NaN'],
    [{ latencyThresholdMs: 0 }, 'latencyThresholdMs must be a positive integer, got 0'],
    [{ dbConnectionsThreshold: 0 }, 'dbConnectionsThreshold must be a positive integer, got 0'],
    [{ dbCpuThresholdPercent: 120 }, 'dbCpuThresholdPercent must be an integer from 1 to 99 (percent), got 120'],
    [{ dbCpuThresholdPercent: 100 }, 'dbCpuThresholdPercent must be an integer from 1 to 99 (percent), got 100'],
    [{ logging: { retentionDays: 31 } }, 'logging.retentionDays must be one of 1, 3, 5, 7, 14, 30, 60'],
    [{ alarmEmail: 'not-an-email' }, 'alarmEmail "not-an-email" is not an email address'],
  ])('rejects %j', (extra, message) => {
    const make = () =>
      new MonitoringComponent('mon-bad', { environment: 'dev', environmentSuffix: 'bad', functionName: 'f', clusterIdentifier: 'c', ...extra });
    expect(make).toThrow(MonitoringComponentError);
    expect(make).toThrow(message);
  });
});

describe('MonitoringComponent takes an environment\'s monitoring and logging blocks as they are', () => {
  const watched = { environment: 'prod', environmentSuffix: 'blk', functionName: 'fn', clusterIdentifier: 'cluster' } as const;

  it('sets each threshold of MonitoringSettings on its alarm, by the setting\'s own name, and the log retention', async () => {
    // Prepare: prod's block, the CPU threshold moved off the default so it must come from here
    const monitoring = { ...environmentProfile('prod', 'blk').monitoring, dbCpuThresholdPercent: 70 };

    // Act
    const mon = new MonitoringComponent('mon-block', { ...watched, ...monitoring, logging: { retentionDays: 60 } });
    await valueOf(mon.topicArn);
    await flush(mocks);

    // Assess
    const alarms = alarmsOf('mon-block');
    expect([alarms.Errors.threshold, alarms.Duration.threshold, alarms.CPUUtilization.threshold, alarms.DatabaseConnections.threshold]).toEqual([3, 2000, 70, 200]);
    expect(one(mocks, 'mon-block', 'aws:cloudwatch/logGroup:LogGroup').inputs.retentionInDays).toBe(60);
  });

  it('does not compile with a setting under another name, which it would ignore at run time', async () => {
    // Prepare: one literal each (TypeScript names only the first excess property of a literal; the typecheck target
    // compiles this file with tsc)
    // @ts-expect-error the setting is dbCpuThresholdPercent
    const cpu = { cpuThresholdPercent: 70 } satisfies Partial<MonitoringComponentArgs>;
    // @ts-expect-error log retention comes in the logging block, as `logging.retentionDays`
    const logs = { logRetentionDays: 60 } satisfies Partial<MonitoringComponentArgs>;

    // Act
    const mon = new MonitoringComponent('mon-old', { ...watched, environmentSuffix: 'old', ...cpu, ...logs });
    await valueOf(mon.topicArn);
    await flush(mocks);

    // Assess: the defaults, not the misnamed values
    expect(alarmsOf('mon-old').CPUUtilization.threshold).toBe(80);
    expect(one(mocks, 'mon-old', 'aws:cloudwatch/logGroup:LogGroup').inputs.retentionInDays).toBe(30);
  });
});

describe('MonitoringComponent additional functions', () => {
  it('gives each additional function its own Errors and Duration alarms on the same topic', async () => {
    // Prepare
    const prefix = 'mon-extra';

    // Act
    const mon = new MonitoringComponent(prefix, {
      environment: 'staging',
      environmentSuffix: 'x1',
      functionName: 'payment-processor-staging-x1',
      clusterIdentifier: 'aurora-cluster-staging-x1',
      errorThreshold: 4,
      latencyThresholdMs: 2500,
      additionalFunctions: [{ key: 'rotation', functionName: 'rotation-fn-staging-x1', latencyThresholdMs: 60000 }],
    });
    await valueOf(mon.topicArn);
    await flush(mocks);

    // Assess
    const topicArn = await valueOf(mon.topicArn);
    const rotation = ofType(mocks, prefix, ALARM).filter((a) => a.inputs.dimensions?.FunctionName === 'rotation-fn-staging-x1');
    const byMetric = Object.fromEntries(rotation.map((a) => [a.inputs.metricName as string, a.inputs]));
    expect(rotation).toHaveLength(2);
    expect(byMetric.Errors).toEqual(expect.objectContaining({ name: 'rotation-errors-alarm-staging-x1', threshold: 4, statistic: 'Sum' }));
    expect(byMetric.Duration).toEqual(expect.objectContaining({ name: 'rotation-duration-alarm-staging-x1', threshold: 60000 }));
    for (const alarm of rotation) {
      expect(alarm.inputs.alarmActions).toEqual([topicArn]);
      expect(alarm.inputs.okActions).toEqual([topicArn]);
    }
    // Every alarm of the component, the payment Lambda's and Aurora's too, notifies the same topic.
    for (const alarm of ofType(mocks, prefix, ALARM)) expect(alarm.inputs.alarmActions).toEqual([topicArn]);
    expect(await valueOf(mon.additionalAlarmArns.rotation.errors)).toContain('rotation-errors-alarm-staging-x1');
  });

  it.each([
    [[{ key: 'lambda', functionName: 'f2' }], 'additionalFunctions key "lambda" is used twice'],
    [[{ key: 'a', functionName: 'f2' }, { key: 'a', functionName: 'f3' }], 'additionalFunctions key "a" is used twice'],
    [[{ key: 'rot', functionName: 'f2', errorThreshold: -2 }], 'errorThreshold must be a non-negative integer (0 alarms on any error), got -2'],
  ])('rejects additional functions %j', (additionalFunctions, message) => {
    const make = () =>
      new MonitoringComponent('mon-bad-extra', {
        environment: 'dev',
        environmentSuffix: 'bad',
        functionName: 'f',
        clusterIdentifier: 'c',
        additionalFunctions,
      });
    expect(make).toThrow(message);
  });
});
