import { alarmHasActions, logGroupRetention, snsTopicEncrypted, TYPES } from '../../src';
import { record, runResource } from '../helpers';

describe('log-group-retention', () => {
  const group = (retentionInDays: unknown) => record(TYPES.logGroup, 'app-logs', { name: '/aws/application/dev-001', retentionInDays });

  it.each([[30], [365]])('passes %i days', (days) => {
    expect(runResource(logGroupRetention, group(days)).messages).toEqual([]);
  });

  it('reports no retention, 0 (never expire) and 7 days', () => {
    // Act
    const unset = runResource(logGroupRetention, group(undefined)).messages;
    const never = runResource(logGroupRetention, group(0)).messages;
    const short = runResource(logGroupRetention, group(7)).messages;
    // Assess
    expect(unset).toEqual(["Log group 'app-logs' (/aws/application/dev-001) keeps logs forever. Fix: set retentionInDays: 30."]);
    expect(never).toEqual(unset);
    expect(short).toEqual(["Log group 'app-logs' (/aws/application/dev-001) keeps logs for 7 days only. Fix: set retentionInDays to 30 or more."]);
  });
});

describe('alarm-has-actions', () => {
  const alarm = (inputs: Record<string, unknown>) => record(TYPES.metricAlarm, 'cpu', { name: 'aurora-cpu-alarm-dev-001', ...inputs });

  it('passes an alarm notifying a topic', () => {
    expect(runResource(alarmHasActions, alarm({ alarmActions: ['arn:aws:sns:us-east-1:1:t'] })).messages).toEqual([]);
  });

  it('reports an alarm without actions and one with actions disabled', () => {
    // Act
    const none = runResource(alarmHasActions, alarm({ alarmActions: [] })).messages;
    const disabled = runResource(alarmHasActions, alarm({ alarmActions: ['arn:aws:sns:us-east-1:1:t'], actionsEnabled: false })).messages;
    // Assess
    expect(none).toEqual([
      "Alarm 'cpu' (aurora-cpu-alarm-dev-001) has no alarm action, so nobody hears it. Fix: set alarmActions (and okActions) to the environment's SNS alarm topic.",
    ]);
    expect(disabled).toEqual(["Alarm 'cpu' (aurora-cpu-alarm-dev-001) has its actions disabled. Fix: remove actionsEnabled: false."]);
  });
});

describe('sns-topic-encrypted', () => {
  const topic = (inputs: Record<string, unknown>) => record(TYPES.topic, 'alarms', { name: 'alarms-topic-dev-001', ...inputs });

  it('passes a topic on a customer-managed key', () => {
    expect(runResource(snsTopicEncrypted, topic({ kmsMasterKeyId: 'arn:aws:kms:us-east-1:1:key/k' })).messages).toEqual([]);
  });

  it('reports an unencrypted topic and alias/aws/sns', () => {
    // Act
    const none = runResource(snsTopicEncrypted, topic({})).messages;
    const managed = runResource(snsTopicEncrypted, topic({ kmsMasterKeyId: 'alias/aws/sns' })).messages;
    // Assess
    expect(none).toEqual([
      "SNS topic 'alarms' (alarms-topic-dev-001) is not encrypted. Fix: set kmsMasterKeyId to a customer-managed KMS key whose policy lets CloudWatch use it.",
    ]);
    expect(managed[0]).toContain('uses the AWS-managed key alias/aws/sns, which CloudWatch alarms cannot publish through');
  });
});
