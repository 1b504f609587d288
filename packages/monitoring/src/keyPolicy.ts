import { customerManagedKeyPolicy } from '@tap/blocks';

/**
 * Key policy of the alarm topic's key: the account root administers it; CloudWatch (alarms of this account) and
 * account principals through SNS may use it. Without the CloudWatch grant, alarms cannot publish to an encrypted
 * topic (AWS SNS developer guide, "compatibility between event sources from AWS services and encrypted topics").
 *
 * @example
 * alarmTopicKeyPolicy('123456789012', 'aws', 'us-east-1');
 */
export function alarmTopicKeyPolicy(accountId: string, partition: string, region: string): string {
  const root = `arn:${partition}:iam::${accountId}:root`;
  return customerManagedKeyPolicy({ accountId, partition, region }, [
    {
      Sid: 'CloudWatchAlarmsPublish',
      Effect: 'Allow',
      Principal: { Service: 'cloudwatch.amazonaws.com' },
      Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      Resource: '*',
      Condition: { StringEquals: { 'aws:SourceAccount': accountId } },
    },
    {
      Sid: 'UseThroughSns',
      Effect: 'Allow',
      Principal: { AWS: root },
      Action: ['kms:Decrypt', 'kms:GenerateDataKey*', 'kms:DescribeKey'],
      Resource: '*',
      Condition: { StringEquals: { 'kms:CallerAccount': accountId, 'kms:ViaService': `sns.${region}.amazonaws.com` } },
    },
  ]);
}
