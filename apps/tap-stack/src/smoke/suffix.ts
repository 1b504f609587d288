import { STACK_PHYSICAL_NAMES } from '@tap/components';
import { maxEnvironmentSuffixLength, NAME_PART, nameLimitBreach, type EnvironmentName } from '@tap/validation';
import { randomBytes } from 'node:crypto';
import { SMOKE_SUFFIX } from './constants';
import { SmokeError } from './errors';

/**
 * A random suffix for an ephemeral copy of `environment`: `smk` and six base-36 characters, which fits every AWS
 * name limit of the stack (the longest suffix allowed is 25 characters, staging). Checked, not assumed.
 *
 * @example
 * smokeSuffix('prod', 2); // 'smk4k9x0q'
 */
export function smokeSuffix(environment: EnvironmentName, instanceCount: number, random: (bytes: number) => Buffer = randomBytes): string {
  const alphabet = '0123456789abcdefghijklmnopqrstuvwxyz';
  const chars = [...random(SMOKE_SUFFIX.randomLength)].map((byte) => alphabet[byte % alphabet.length]).join('');
  const suffix = `${SMOKE_SUFFIX.prefix}${chars}`;
  const max = maxEnvironmentSuffixLength(STACK_PHYSICAL_NAMES, environment, instanceCount);
  if (!NAME_PART.test(suffix) || suffix.length > max || nameLimitBreach(STACK_PHYSICAL_NAMES, environment, suffix, instanceCount)) {
    throw new SmokeError(`generated suffix "${suffix}" does not fit ${environment}'s names (at most ${max} characters)`);
  }
  return suffix;
}

/**
 * The temporary stack of a smoke run: `<env>-smoke-<suffix>`, which the program reads as environment `<env>`.
 *
 * @example
 * smokeStackName('dev', 'smk4k9x0q'); // 'dev-smoke-smk4k9x0q'
 */
export function smokeStackName(environment: EnvironmentName, suffix: string): string {
  return `${environment}-smoke-${suffix}`;
}
