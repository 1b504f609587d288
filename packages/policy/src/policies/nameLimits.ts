import type { PolicyResource, StackValidationPolicy } from '@pulumi/policy';
import { AWS_NAME_LIMITS } from '@tap/validation';
import { TYPES } from '../constants';
import { inferEnvironmentSuffix, resolveStackContext } from '../context';
import { checkEach } from './keyPolicy';
import { physicalNames } from './naming';

/**
 * Characters the provider appends to a `…Prefix` name (a timestamp and a counter: terraform-plugin-sdk's
 * `id.PrefixedUniqueId`), so the prefix may be this much shorter than the limit.
 */
export const NAME_PREFIX_UNIQUE_SUFFIX_LENGTH = 26;

type Limit = { property: string; max: number; what: string };

/** The AWS limit on `property` of a resource of `type`, if any (`namePrefix` counts against the `name` limit). */
function limitFor(type: string, property: string): Limit | undefined {
  const limit = (AWS_NAME_LIMITS as Readonly<Record<string, Limit>>)[type];
  if (!limit) return undefined;
  return property === limit.property || property === `${limit.property}Prefix` ? limit : undefined;
}

/**
 * What an RDS identifier breaks of AWS's rules: 1–63 lowercase letters, digits and hyphens, first a letter, no two
 * hyphens in a row, no hyphen at the end (the AWS provider's validateRdsIdentifier enforces the same on plan).
 * A prefix is only checked for what the appended suffix cannot repair.
 *
 * @example
 * rdsIdentifierProblems('aurora--dev-', false); // ['has two hyphens in a row', 'ends with a hyphen']
 */
export function rdsIdentifierProblems(value: string, isPrefix: boolean): string[] {
  const problems: string[] = [];
  if (!/^[0-9a-z-]*$/.test(value)) problems.push('has characters other than lowercase letters, digits and hyphens');
  if (!/^[a-z]/.test(value)) problems.push('does not start with a letter');
  if (value.includes('--')) problems.push('has two hyphens in a row');
  if (!isPrefix && value.endsWith('-')) problems.push('ends with a hyphen');
  return problems;
}

const RDS_IDENTIFIER_TYPES: readonly string[] = [TYPES.cluster, TYPES.clusterInstance];

export const awsNameLimits: StackValidationPolicy = {
  name: 'aws-name-limits',
  description:
    "Every physical name is within AWS's length limit for its resource type, and RDS cluster and instance identifiers follow RDS's identifier rules.",
  enforcementLevel: 'mandatory',
  severity: 'high',
  validateStack: (args, report) => {
    const limited = args.resources.filter((r) => r.type in AWS_NAME_LIMITS);
    if (limited.length === 0) args.notApplicable('no resource type with an AWS name limit');
    const context = resolveStackContext(args.resources[0]?.urn, args.stackTags);
    let suffix = context.environmentSuffix;
    const suffixFor = (): string | undefined => {
      // Inferred lazily: only a violation needs it, and reading names can meet unknowns.
      if (suffix === undefined && context.environment) {
        const names = limited.flatMap((r) => {
          try {
            return physicalNames(r).map((n) => n.value);
          } catch {
            return [];
          }
        });
        suffix = inferEnvironmentSuffix(names, context.environment);
      }
      return suffix;
    };
    const shorten = (excess: number): string => {
      const current = suffixFor();
      return current
        ? `Fix: shorten the stack config TapStack:environmentSuffix ("${current}", ${current.length} characters) by at least ${excess}, or the name's fixed part.`
        : `Fix: shorten the stack config TapStack:environmentSuffix by at least ${excess}, or the name's fixed part.`;
    };
    checkEach(limited, (resource: PolicyResource) => {
      const kind = resource.type.split(':').pop();
      for (const { property, value } of physicalNames(resource)) {
        const limit = limitFor(resource.type, property);
        if (!limit) continue;
        const isPrefix = property.endsWith('Prefix');
        const length = value.length + (isPrefix ? NAME_PREFIX_UNIQUE_SUFFIX_LENGTH : 0);
        if (length > limit.max) {
          const counted = isPrefix ? `${value.length} characters + ${NAME_PREFIX_UNIQUE_SUFFIX_LENGTH} the provider appends = ${length}` : `${length} characters`;
          report(
            `${kind} '${resource.name}' has ${property} "${value}" (${counted}); the ${limit.what} may be at most ${limit.max}, so the deploy ` +
              `would fail on this resource after the ones before it were created. ${shorten(length - limit.max)}`,
            resource.urn,
          );
        }
        if (RDS_IDENTIFIER_TYPES.includes(resource.type)) {
          const problems = rdsIdentifierProblems(value, isPrefix);
          if (problems.length > 0) {
            report(
              `${kind} '${resource.name}' has ${property} "${value}", which ${problems.join(', ')}; an ${limit.what} is lowercase letters, ` +
                `digits and single hyphens, starts with a letter and does not end with a hyphen. Fix: name it resourceName(type, environment, suffix) ` +
                `with a suffix of lowercase letters and digits.`,
              resource.urn,
            );
          }
        }
      }
    });
  },
};

export const nameLimitsPolicies = [awsNameLimits] as const;
