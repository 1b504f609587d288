import { ENVIRONMENT_NAMES } from './constants';
import { ResourceNameError } from './errors';
import type { EnvironmentName } from './types';

/** One part of a physical name: lowercase letters, digits and single hyphens. */
export const NAME_PART = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/**
 * The physical name of a resource: `{type}-{environment}-{suffix}`.
 * Parts are lowercase letters, digits and single hyphens, so the name is valid for every AWS service we use.
 *
 * @example
 * resourceName('aurora-cluster', 'dev', '001'); // 'aurora-cluster-dev-001'
 */
export function resourceName(type: string, environment: EnvironmentName, suffix: string): string {
  if (!NAME_PART.test(type)) {
    throw new ResourceNameError(
      `resource type "${type}" must be lowercase letters, digits and single hyphens (e.g. "aurora-cluster")`,
    );
  }
  if (!(ENVIRONMENT_NAMES as readonly string[]).includes(environment)) {
    throw new ResourceNameError(`environment "${environment}" must be one of ${ENVIRONMENT_NAMES.join(', ')}`);
  }
  if (!NAME_PART.test(suffix)) {
    throw new ResourceNameError(
      `environment suffix "${suffix}" must be lowercase letters, digits and single hyphens (e.g. "001")`,
    );
  }
  return `${type}-${environment}-${suffix}`;
}
