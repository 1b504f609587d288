import { customerManagedKeyPolicy } from '@tap/blocks';
import { KMS_USE_ACTIONS } from './constants';

/**
 * Key policy of the database key: the account root administers it (so the key can never be orphaned); use of the key
 * is allowed to account principals only through RDS (storage) and Secrets Manager (the master user secret).
 * In a key policy `Resource: "*"` means "this key".
 *
 * @example
 * databaseKeyPolicy('123456789012', 'aws', 'us-east-1');
 */
export function databaseKeyPolicy(accountId: string, partition: string, region: string): string {
  return customerManagedKeyPolicy({ accountId, partition, region }, [
    {
      Sid: 'UseThroughRdsAndSecretsManager',
      Effect: 'Allow',
      Principal: { AWS: `arn:${partition}:iam::${accountId}:root` },
      Action: [...KMS_USE_ACTIONS],
      Resource: '*',
      Condition: {
        StringEquals: {
          'kms:CallerAccount': accountId,
          'kms:ViaService': [`rds.${region}.amazonaws.com`, `secretsmanager.${region}.amazonaws.com`],
        },
      },
    },
  ]);
}
