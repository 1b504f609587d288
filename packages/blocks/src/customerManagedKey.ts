import * as kms from '@pulumi/aws/kms';
import { getCallerIdentityOutput } from '@pulumi/aws/getCallerIdentity';
import { getPartitionOutput } from '@pulumi/aws/getPartition';
import { getRegionOutput } from '@pulumi/aws/getRegion';
import * as pulumi from '@pulumi/pulumi';
import { keyAdministrationStatement } from '@tap/validation';
import { assertNamesFit } from './nameLimits';

/** Where a key policy is evaluated: the account, partition and region of the deployment. */
export interface KeyPolicyContext {
  accountId: string;
  partition: string;
  region: string;
}

/** A statement of a key policy that lets a principal use the key (`Resource: "*"` means "this key"). */
export interface KeyUseStatement {
  Sid: string;
  Effect: 'Allow';
  Principal: { AWS: string } | { Service: string };
  Action: string[];
  Resource: '*';
  Condition?: Record<string, Record<string, string | string[]>>;
}

/**
 * A key policy: the account root administers the key (and may not use it: no grants, no decrypt), so the key can never
 * be orphaned; then the statements that say who may use it, and through which service.
 *
 * @example
 * customerManagedKeyPolicy({ accountId: '123456789012', partition: 'aws', region: 'us-east-1' }, [
 *   { Sid: 'UseThroughSns', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::123456789012:root' }, Action: ['kms:Decrypt'], Resource: '*' },
 * ]);
 */
export function customerManagedKeyPolicy(context: KeyPolicyContext, useStatements: KeyUseStatement[]): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [keyAdministrationStatement(context.accountId, context.partition), ...useStatements],
  });
}

/** Arguments of {@link createCustomerManagedKey}. */
export interface CustomerManagedKeyArgs {
  /** Description of the key. Required. */
  description: string;
  /** The key policy (see {@link customerManagedKeyPolicy}) for the deployment's account, partition and region. Required. */
  policy: (context: KeyPolicyContext) => string;
  /** Yearly rotation of the key material. Default: true. */
  enableKeyRotation?: pulumi.Input<boolean>;
  /** Days between scheduling deletion and deleting (7–30). Default: 7, so a destroyed environment frees its key soon. */
  deletionWindowInDays?: number;
  /** Alias name (`alias/…`) created for the key as `{name}-alias`. Default: no alias. */
  aliasName?: string;
  /** Tags of the key. Default: none. */
  tags?: Record<string, string>;
}

/** What {@link createCustomerManagedKey} creates. */
export interface CustomerManagedKey {
  key: kms.Key;
  /** Only with `aliasName`. */
  alias: kms.Alias | undefined;
}

/**
 * A customer-managed KMS key with its key policy, and optionally an alias. Plain resources under `parent` (default: the
 * stack; the key is `name`, the alias `{name}-alias`), not a component: a replaced key would make everything encrypted
 * with it unreadable, so the URNs stay those the callers always had.
 *
 * @example
 * const { key } = createCustomerManagedKey('db-key', {
 *   description: 'Aurora storage of aurora-cluster-dev-001',
 *   policy: (context) => customerManagedKeyPolicy(context, []),
 *   aliasName: 'alias/aurora-key-dev-001',
 * }, component);
 */
export function createCustomerManagedKey(name: string, args: CustomerManagedKeyArgs, parent?: pulumi.Resource): CustomerManagedKey {
  if (args.aliasName !== undefined) assertNamesFit('createCustomerManagedKey', name, [{ what: 'key alias', type: 'aws:kms/alias:Alias', name: args.aliasName }]);
  const identity = getCallerIdentityOutput({}, { parent });
  const partition = getPartitionOutput({}, { parent });
  const region = getRegionOutput({}, { parent });
  const key = new kms.Key(
    name,
    {
      description: args.description,
      enableKeyRotation: args.enableKeyRotation ?? true,
      deletionWindowInDays: args.deletionWindowInDays ?? 7,
      policy: pulumi
        .all([identity.accountId, partition.partition, region.region])
        .apply(([accountId, part, regionName]) => args.policy({ accountId, partition: part, region: regionName })),
      ...(args.tags === undefined ? {} : { tags: args.tags }),
    },
    { parent },
  );
  const alias =
    args.aliasName === undefined ? undefined : new kms.Alias(`${name}-alias`, { name: args.aliasName, targetKeyId: key.keyId }, { parent });
  return { key, alias };
}
