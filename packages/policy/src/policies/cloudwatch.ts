import * as cloudwatch from '@pulumi/aws/cloudwatch';
import * as sns from '@pulumi/aws/sns';
import type { ResourceValidationPolicy } from '@pulumi/policy';
import { validateResourceOfType } from '@pulumi/policy';
import { LIMITS } from '../constants';
import { reportUnlessCustomerManagedKey } from '../customerManagedKey';
import { bool, describe, num, str, strings, type Props } from '../values';

export const logGroupRetention: ResourceValidationPolicy = {
  name: 'log-group-retention',
  description: `CloudWatch log groups keep logs for a set period of at least ${LIMITS.minLogRetentionDays} days (never "forever").`,
  enforcementLevel: 'mandatory',
  severity: 'medium',
  validateResource: validateResourceOfType(cloudwatch.LogGroup, (group, args, report) => {
    const days = num(group.retentionInDays);
    if (days === undefined || days === 0) {
      report(`Log group ${describe(args.name, group as Props)} keeps logs forever. Fix: set retentionInDays: ${LIMITS.minLogRetentionDays}.`);
    } else if (days < LIMITS.minLogRetentionDays) {
      report(`Log group ${describe(args.name, group as Props)} keeps logs for ${days} days only. Fix: set retentionInDays to ${LIMITS.minLogRetentionDays} or more.`);
    }
  }),
};

export const alarmHasActions: ResourceValidationPolicy = {
  name: 'alarm-has-actions',
  description: 'Every CloudWatch alarm notifies someone: enabled actions with at least one alarm action.',
  enforcementLevel: 'mandatory',
  severity: 'medium',
  validateResource: validateResourceOfType(cloudwatch.MetricAlarm, (alarm, args, report) => {
    const who = `Alarm ${describe(args.name, alarm as Props)}`;
    if (strings(alarm.alarmActions).length === 0) {
      report(`${who} has no alarm action, so nobody hears it. Fix: set alarmActions (and okActions) to the environment's SNS alarm topic.`);
    }
    if (bool(alarm.actionsEnabled) === false) {
      report(`${who} has its actions disabled. Fix: remove actionsEnabled: false.`);
    }
  }),
};

export const snsTopicEncrypted: ResourceValidationPolicy = {
  name: 'sns-topic-encrypted',
  description: 'SNS topics are encrypted with a customer-managed KMS key.',
  enforcementLevel: 'mandatory',
  severity: 'medium',
  validateResource: validateResourceOfType(sns.Topic, (topic, args, report) => {
    const who = `SNS topic ${describe(args.name, topic as Props)}`;
    reportUnlessCustomerManagedKey(
      str(topic.kmsMasterKeyId),
      {
        unset: `${who} is not encrypted. Fix: set kmsMasterKeyId to a customer-managed KMS key whose policy lets CloudWatch use it.`,
        awsManaged: (key) => `${who} uses the AWS-managed key ${key}, which CloudWatch alarms cannot publish through. Fix: set kmsMasterKeyId to a customer-managed KMS key.`,
      },
      report,
    );
  }),
};

export const cloudwatchPolicies = [logGroupRetention, alarmHasActions, snsTopicEncrypted] as const;
