import { AWS_NAME_LIMITS, type NamedResourceType } from './limits';
import type { ComponentName } from './componentNames';
import type { EnvironmentName } from './types';

/**
 * One physical name a stack creates, as a function of the environment, the suffix and the instance count. The component
 * that creates the resource exports it, built by the function its resource is named with (e.g. `@tap/monitoring`'s
 * alarm table); `@tap/components` composes the stack's list. This package only checks a list it is given.
 */
export interface StackPhysicalName {
  /** What carries the name, for messages, e.g. `migration function role`. */
  resource: string;
  /** Pulumi type token; its AWS limit is `AWS_NAME_LIMITS[type]`. */
  type: NamedResourceType;
  /** The name the stack gives it. */
  name: (environment: EnvironmentName, suffix: string, instanceCount: number) => string;
}

/** The name that breaks its AWS limit furthest with a suffix (see {@link nameLimitBreach}). */
export interface NameLimitBreach {
  resource: string;
  type: NamedResourceType;
  name: string;
  limit: number;
  /** The longest suffix with which every name of this environment fits. */
  maxSuffixLength: number;
}

/**
 * The longest environment suffix with which every name of `names` for `environment` stays within AWS's limits.
 *
 * @example
 * const role: StackPhysicalName = { resource: 'migration function role', type: 'aws:iam/role:Role', name: (e, s) => `payment-processor-migrate-role-${e}-${s}` };
 * maxEnvironmentSuffixLength([role], 'staging', 2); // 25: the role name must fit IAM's 64
 */
export function maxEnvironmentSuffixLength(names: readonly StackPhysicalName[], environment: EnvironmentName, instanceCount: number): number {
  // One-letter probe suffix: the name functions build with `resourceName`, which refuses an empty part.
  return Math.min(...names.map((entry) => AWS_NAME_LIMITS[entry.type].max - (entry.name(environment, 'x', instanceCount).length - 1)));
}

/**
 * `names` as one component's names for `componentNameProblem`, each labelled with its resource.
 *
 * @example
 * componentNameProblem('LambdaComponent', 'pay', '001', componentNames([role], 'dev', '001', 1)); // undefined: it fits
 */
export function componentNames(names: readonly StackPhysicalName[], environment: EnvironmentName, suffix: string, instanceCount: number): ComponentName[] {
  return names.map((entry) => ({ what: entry.resource, type: entry.type, name: entry.name(environment, suffix, instanceCount) }));
}

/**
 * The name of `names` that `suffix` pushes furthest past its AWS limit, or `undefined` when every name fits.
 *
 * @example
 * nameLimitBreach([role], 'staging', 'a'.repeat(26), 2)?.resource; // 'migration function role'
 */
export function nameLimitBreach(
  names: readonly StackPhysicalName[],
  environment: EnvironmentName,
  suffix: string,
  instanceCount: number,
): NameLimitBreach | undefined {
  const over = names.map((entry) => {
    const name = entry.name(environment, suffix, instanceCount);
    return { entry, name, excess: name.length - AWS_NAME_LIMITS[entry.type].max };
  })
    .filter((x) => x.excess > 0)
    .sort((a, b) => b.excess - a.excess)[0];
  if (!over) return undefined;
  return {
    resource: over.entry.resource,
    type: over.entry.type,
    name: over.name,
    limit: AWS_NAME_LIMITS[over.entry.type].max,
    maxSuffixLength: maxEnvironmentSuffixLength(names, environment, instanceCount),
  };
}
