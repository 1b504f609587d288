import * as kms from '@pulumi/aws/kms';
import type { ResourceValidationPolicy } from '@pulumi/policy';
import { validateResourceOfType } from '@pulumi/policy';
import { LIMITS } from '../constants';
import { bool, num, str } from '../values';
import { coveringPatterns, grantIsForAwsResource, grantsAction, parseKeyPolicy, restrictedToServices, type KeyStatement } from './keyPolicy';

export const kmsKeyRotation: ResourceValidationPolicy = {
  name: 'kms-key-rotation',
  description: 'Symmetric KMS keys have automatic key rotation enabled.',
  enforcementLevel: 'mandatory',
  severity: 'high',
  validateResource: validateResourceOfType(kms.Key, (key, args, report) => {
    const spec = str(key.customerMasterKeySpec) ?? 'SYMMETRIC_DEFAULT';
    // AWS rotates symmetric encryption keys only; asymmetric and HMAC keys cannot have rotation enabled.
    if (spec !== 'SYMMETRIC_DEFAULT') args.notApplicable(`key spec ${spec} does not support rotation`);
    if (bool(key.enableKeyRotation) !== true) {
      report(`KMS key '${args.name}' does not rotate its key material. Fix: set enableKeyRotation: true.`);
    }
  }),
};

export const kmsDeletionWindow: ResourceValidationPolicy = {
  name: 'kms-deletion-window',
  description: `KMS keys have a deletion window of ${LIMITS.minKmsDeletionWindowDays} to ${LIMITS.maxKmsDeletionWindowDays} days.`,
  enforcementLevel: 'mandatory',
  severity: 'medium',
  validateResource: validateResourceOfType(kms.Key, (key, args, report) => {
    const days = num(key.deletionWindowInDays) ?? LIMITS.defaultKmsDeletionWindowDays;
    if (days < LIMITS.minKmsDeletionWindowDays || days > LIMITS.maxKmsDeletionWindowDays) {
      report(
        `KMS key '${args.name}' has a deletion window of ${days} days. ` +
          `Fix: set deletionWindowInDays between ${LIMITS.minKmsDeletionWindowDays} and ${LIMITS.maxKmsDeletionWindowDays}.`,
      );
    }
  }),
};

/** Who a statement applies to, for messages. */
function principalsOf(statement: KeyStatement): string {
  const all = [...(statement.anyone ? ['*'] : []), ...statement.awsPrincipals, ...statement.servicePrincipals];
  return all.length > 0 ? all.join(', ') : 'its principals';
}

/** `kms:*`, `*` or an Allow `NotAction`: every KMS action, administration and use alike. */
function grantsEverything(statement: KeyStatement): boolean {
  return statement.notActions.length > 0 || statement.actions.some((a) => a === '*' || a.toLowerCase() === 'kms:*');
}

export const kmsKeyAdminNoGrants: ResourceValidationPolicy = {
  name: 'kms-key-admin-no-grants',
  description:
    'No KMS key-policy statement gives kms:CreateGrant (also through kms:Create*, kms:*, *) without a kms:GrantIsForAWSResource or kms:ViaService condition, nor kms:* / *.',
  enforcementLevel: 'mandatory',
  severity: 'high',
  validateResource: validateResourceOfType(kms.Key, (key, args, report) => {
    const parsed = parseKeyPolicy(key.policy);
    if (!parsed.ok) {
      report(`KMS key '${args.name}' has a policy that cannot be reviewed: ${parsed.reason}. Fix: give the key a JSON key policy.`);
      return;
    }
    const steps =
      'list the administration actions one by one (kms:CreateAlias instead of kms:Create*, never kms:*), and allow kms:CreateGrant only ' +
      'with "Bool": { "kms:GrantIsForAWSResource": "true" } or a kms:ViaService condition.';
    if (parsed.isDefault) {
      report(
        `KMS key '${args.name}' sets no policy, so AWS gives it the default key policy: kms:* for the account root, which lets any principal of the ` +
          `account that IAM allows kms:CreateGrant grant itself decryption. Fix: set a key policy; ${steps}`,
      );
      return;
    }
    for (const statement of parsed.statements) {
      if (statement.effect !== 'Allow') continue;
      const who = `KMS key '${args.name}': ${statement.label} (for ${principalsOf(statement)})`;
      if (grantsEverything(statement)) {
        const what = statement.notActions.length > 0 ? 'every action but its NotAction list' : statement.actions.find((a) => a === '*' || a.toLowerCase() === 'kms:*');
        report(`${who} grants ${what}: key administration, kms:CreateGrant and use of the key alike, whatever else the policy restricts. Fix: ${steps}`);
        continue;
      }
      if (!grantsAction(statement, 'kms:CreateGrant') || grantIsForAwsResource(statement) || restrictedToServices(statement)) continue;
      const through = coveringPatterns(statement, 'kms:CreateGrant').filter((p) => p !== 'kms:CreateGrant');
      report(
        `${who} gives kms:CreateGrant${through.length > 0 ? ` (through ${through.join(', ')})` : ''} without a kms:GrantIsForAWSResource or ` +
          `kms:ViaService condition: any principal of the account allowed kms:CreateGrant can grant itself kms:Decrypt, bypassing the statements ` +
          `that allow use of the key only through AWS services. Fix: ${steps}`,
      );
    }
  }),
};

export const kmsPolicies = [kmsKeyRotation, kmsDeletionWindow, kmsKeyAdminNoGrants] as const;
