import { resourceName } from '@tap/validation';
import type { SecretsComponentArgs } from './types';

/**
 * Physical names of the component's resources. Validates environment and suffix through `resourceName`.
 *
 * @example
 * secretsResourceNames('dev', '001').secret; // 'dev-db-credentials-001'
 */
export function secretsResourceNames(environment: SecretsComponentArgs['environment'], suffix: string) {
  const fn = resourceName('db-rotation', environment, suffix);
  // The secret keeps the platform's documented name `{environment}-db-credentials-{suffix}`; resourceName above has
  // already checked both parts.
  return {
    secret: `${environment}-db-credentials-${suffix}`,
    function: fn,
    securityGroup: resourceName('rotation-sg', environment, suffix),
    role: resourceName('db-rotation-role', environment, suffix),
    policy: resourceName('db-rotation-policy', environment, suffix),
  };
}
