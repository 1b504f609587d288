import * as secretsmanager from '@pulumi/aws/secretsmanager';
import type { PolicyResource, ResourceValidationPolicy, StackValidationPolicy } from '@pulumi/policy';
import { validateResourceOfType } from '@pulumi/policy';
import { DATABASE_SECRET_PATTERN, LIMITS, TYPES } from '../constants';
import { reportUnlessCustomerManagedKey } from '../customerManagedKey';
import { ofType, ofTypeOrNotApplicable, refersTo } from '../references';
import { bool, describe, num, record, str, type Props } from '../values';

export const secretEncryptedCmk: ResourceValidationPolicy = {
  name: 'secret-encrypted-cmk',
  description: 'Secrets Manager secrets are encrypted with a customer-managed KMS key.',
  enforcementLevel: 'mandatory',
  severity: 'high',
  validateResource: validateResourceOfType(secretsmanager.Secret, (secret, args, report) => {
    const who = `Secret ${describe(args.name, secret as Props)}`;
    reportUnlessCustomerManagedKey(
      str(secret.kmsKeyId),
      {
        unset: `${who} has no kmsKeyId, so Secrets Manager uses the AWS-managed key. Fix: set kmsKeyId to a customer-managed KMS key.`,
        awsManaged: (key) => `${who} uses the AWS-managed key ${key}. Fix: set kmsKeyId to a customer-managed KMS key.`,
      },
      report,
    );
  }),
};

/** Database credentials secrets, recognised by name, description or a tag value (see DATABASE_SECRET_PATTERN). */
export function isDatabaseSecret(secret: PolicyResource): boolean {
  const tags = record(secret.props['tags']) ?? {};
  const texts = [secret.props['name'], secret.props['namePrefix'], secret.props['description'], ...Object.values(tags)];
  return texts.some((text) => typeof text === 'string' && DATABASE_SECRET_PATTERN.test(text));
}

/**
 * Days between rotations, or undefined when the schedule cannot be read: `automaticallyAfterDays`,
 * `rate(N days|hours)`, or a cron that runs at least every day of the month (`*` / `?` day-of-month).
 */
export function rotationIntervalDays(rules: Props | undefined): number | undefined {
  if (!rules) return undefined;
  const days = num(rules['automaticallyAfterDays']);
  if (days !== undefined) return days;
  const expression = str(rules['scheduleExpression']);
  if (!expression) return undefined;
  const rate = /^rate\(\s*(\d+)\s+(day|days|hour|hours)\s*\)$/.exec(expression);
  if (rate) return rate[2].startsWith('hour') ? Number(rate[1]) / 24 : Number(rate[1]);
  const cron = /^cron\((.+)\)$/.exec(expression);
  if (cron) {
    const fields = cron[1].trim().split(/\s+/);
    // Secrets Manager cron: minutes hours day-of-month month day-of-week [year]
    // Every month, on every day of the month or on plain weekdays (not `#n` / `L`, which run once a month).
    if (fields.length >= 5 && ['*', '?'].includes(fields[2]) && ['*', '?'].includes(fields[3]) && !/[#L]/.test(fields[4])) {
      return fields[4] === '*' || fields[4] === '?' ? 1 : 7;
    }
  }
  return undefined;
}

export const databaseSecretRotation: StackValidationPolicy = {
  name: 'database-secret-rotation',
  description: `Every database credentials secret has an enabled rotation at most every ${LIMITS.maxRotationDays} days.`,
  enforcementLevel: 'mandatory',
  severity: 'critical',
  validateStack: (args, report) => {
    const secrets = ofTypeOrNotApplicable(args, TYPES.secret, 'no database credentials secret in the stack', isDatabaseSecret);
    const rotations = ofType(args.resources, TYPES.secretRotation);
    for (const secret of secrets) {
      const who = `Database credentials secret ${describe(secret.name, secret.props)}`;
      const mine = rotations.filter((r) => refersTo(r.props['secretId'], secret, r, 'secretId'));
      if (mine.length === 0) {
        report(
          `${who} has no rotation. Fix: add an aws.secretsmanager.SecretRotation for it with rotationRules.automaticallyAfterDays ≤ ${LIMITS.maxRotationDays} and a rotation Lambda.`,
          secret.urn,
        );
        continue;
      }
      for (const rotation of mine) {
        if (bool(rotation.props['rotationEnabled']) === false) {
          report(`${who}: rotation '${rotation.name}' is disabled. Fix: remove rotationEnabled: false.`, rotation.urn);
          continue;
        }
        const days = rotationIntervalDays(record(rotation.props['rotationRules']));
        if (days === undefined || days > LIMITS.maxRotationDays) {
          report(
            `${who}: rotation '${rotation.name}' runs ${days === undefined ? 'on a schedule that cannot be read' : `every ${days} days`}. ` +
              `Fix: set rotationRules.automaticallyAfterDays (or scheduleExpression rate(N days)) to ${LIMITS.maxRotationDays} or less.`,
            rotation.urn,
          );
        }
      }
    }
  },
};

export const rotationFunctionPermission: StackValidationPolicy = {
  name: 'rotation-function-invoke-permission',
  description:
    'Every secret rotation uses a rotation Lambda of this stack that Secrets Manager may invoke, conditioned on the account or the secret.',
  enforcementLevel: 'mandatory',
  severity: 'high',
  validateStack: (args, report) => {
    const rotations = ofTypeOrNotApplicable(args, TYPES.secretRotation, 'no secret rotation in the stack');
    const functions = ofType(args.resources, TYPES.lambdaFunction);
    const permissions = ofType(args.resources, TYPES.lambdaPermission);
    for (const rotation of rotations) {
      const who = `Secret rotation '${rotation.name}'`;
      const arn = rotation.props['rotationLambdaArn'];
      if (!str(arn)) {
        report(`${who} names no rotationLambdaArn. Fix: point it at the rotation Lambda (SecretsComponent creates one).`, rotation.urn);
        continue;
      }
      const fn = functions.find((f) => refersTo(arn, f, rotation, 'rotationLambdaArn'));
      if (!fn) {
        report(`${who} uses rotation Lambda ${String(arn)}, which this stack does not declare, so its invoke permission cannot be checked. Fix: declare the rotation Lambda in this stack.`, rotation.urn);
        continue;
      }
      const granted = permissions.filter(
        (p) =>
          refersTo(p.props['function'], fn, p, 'function') &&
          str(p.props['principal']) === 'secretsmanager.amazonaws.com' &&
          ['lambda:InvokeFunction', 'lambda:*'].includes(str(p.props['action']) ?? ''),
      );
      if (granted.length === 0) {
        report(
          `${who}: rotation Lambda ${describe(fn.name, fn.props)} has no permission for Secrets Manager to invoke it. ` +
            `Fix: add an aws.lambda.Permission with action lambda:InvokeFunction, principal secretsmanager.amazonaws.com and sourceAccount.`,
          rotation.urn,
        );
      } else if (!granted.some((p) => str(p.props['sourceAccount']) || str(p.props['sourceArn']))) {
        report(
          `${who}: the Secrets Manager invoke permission of ${describe(fn.name, fn.props)} is not conditioned on the account or the secret (confused deputy). ` +
            `Fix: set sourceAccount (or sourceArn) on the aws.lambda.Permission.`,
          rotation.urn,
        );
      }
    }
  },
};

export const secretsPolicies = [secretEncryptedCmk, databaseSecretRotation, rotationFunctionPermission] as const;
