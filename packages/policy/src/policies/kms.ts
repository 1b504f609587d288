import * as aws from '@pulumi/aws';
import type { ResourceValidationPolicy } from '@pulumi/policy';
import { validateResourceOfType } from '@pulumi/policy';
import { LIMITS } from '../constants';
import { bool, num, str } from '../values';

export const kmsKeyRotation: ResourceValidationPolicy = {
  name: 'kms-key-rotation',
  description: 'Symmetric KMS keys have automatic key rotation enabled.',
  enforcementLevel: 'mandatory',
  severity: 'high',
  validateResource: validateResourceOfType(aws.kms.Key, (key, args, report) => {
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
  validateResource: validateResourceOfType(aws.kms.Key, (key, args, report) => {
    const days = num(key.deletionWindowInDays) ?? LIMITS.defaultKmsDeletionWindowDays;
    if (days < LIMITS.minKmsDeletionWindowDays || days > LIMITS.maxKmsDeletionWindowDays) {
      report(
        `KMS key '${args.name}' has a deletion window of ${days} days. ` +
          `Fix: set deletionWindowInDays between ${LIMITS.minKmsDeletionWindowDays} and ${LIMITS.maxKmsDeletionWindowDays}.`,
      );
    }
  }),
};

export const kmsPolicies = [kmsKeyRotation, kmsDeletionWindow] as const;
