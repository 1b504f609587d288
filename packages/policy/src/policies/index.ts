import type { TapPolicy } from '../types';
import { cloudwatchPolicies } from './cloudwatch';
import { databasePolicies } from './database';
import { iamPolicies } from './iam';
import { kmsPolicies } from './kms';
import { kmsKeyUsePolicies } from './kmsKeyUse';
import { lambdaPolicies } from './lambda';
import { nameLimitsPolicies } from './nameLimits';
import { namingPolicies } from './naming';
import { networkPolicies } from './network';
import { orderingPolicies } from './ordering';
import { secretsPolicies } from './secrets';

/**
 * Every policy of the `tap-security` pack, in the order the README lists them. Give this array to `new PolicyPack`
 * (tools/policy-pack does) or to {@link evaluatePolicies} offline.
 *
 * @example
 * import { PolicyPack } from '@pulumi/policy';
 * import { policies } from '@tap/policy';
 * new PolicyPack('tap-security', { policies: [...policies], enforcementLevel: 'mandatory' });
 */
export const policies: ReadonlyArray<TapPolicy> = Object.freeze([
  ...databasePolicies,
  ...kmsPolicies,
  ...kmsKeyUsePolicies,
  ...secretsPolicies,
  ...lambdaPolicies,
  ...iamPolicies,
  ...networkPolicies,
  ...cloudwatchPolicies,
  ...namingPolicies,
  ...nameLimitsPolicies,
  ...orderingPolicies,
]);
