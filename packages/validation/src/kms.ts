/**
 * What the account root may do to administer a customer-managed key, listed one by one. Not `kms:Create*`: that
 * includes `kms:CreateGrant`, and a grant is use of the key — any principal of the account allowed CreateGrant in IAM
 * could grant itself Decrypt and bypass the `kms:ViaService` conditions of the use statements. Grants are made by the
 * services themselves (RDS, Secrets Manager, Lambda) through those use statements. `kms:PutKeyPolicy` stays, so the key
 * can never be orphaned.
 */
export const KMS_KEY_ADMINISTRATION_ACTIONS = [
  'kms:CreateAlias',
  'kms:DescribeKey',
  'kms:EnableKey',
  'kms:EnableKeyRotation',
  'kms:ListAliases',
  'kms:ListGrants',
  'kms:ListKeyPolicies',
  'kms:ListKeyRotations',
  'kms:ListResourceTags',
  'kms:PutKeyPolicy',
  'kms:UpdateAlias',
  'kms:UpdateKeyDescription',
  'kms:RevokeGrant',
  'kms:DisableKey',
  'kms:DisableKeyRotation',
  'kms:GetKeyPolicy',
  'kms:GetKeyRotationStatus',
  'kms:DeleteAlias',
  'kms:TagResource',
  'kms:UntagResource',
  'kms:ScheduleKeyDeletion',
  'kms:CancelKeyDeletion',
  'kms:RotateKeyOnDemand',
] as const;

/**
 * The key-policy statement that lets the account root administer a key (and nothing more).
 * In a key policy `Resource: "*"` means "this key".
 *
 * @example
 * keyAdministrationStatement('123456789012', 'aws').Action.includes('kms:CreateGrant'); // false
 */
export function keyAdministrationStatement(accountId: string, partition: string) {
  return {
    Sid: 'AccountRootAdministersKey',
    Effect: 'Allow',
    Principal: { AWS: `arn:${partition}:iam::${accountId}:root` },
    Action: [...KMS_KEY_ADMINISTRATION_ACTIONS],
    Resource: '*',
  };
}
