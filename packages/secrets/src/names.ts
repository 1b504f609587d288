import { resourceName, type StackPhysicalName } from '@tap/validation';
import type { SecretsComponentArgs } from './types';

/**
 * Physical names of the component's resources: its resources and its name check both read these. Validates
 * environment and suffix through `resourceName`.
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
    // Created before the function: otherwise Lambda creates it on first write, with no retention.
    logGroup: `/aws/lambda/${fn}`,
    securityGroup: resourceName('rotation-sg', environment, suffix),
    role: resourceName('db-rotation-role', environment, suffix),
    policy: resourceName('db-rotation-policy', environment, suffix),
  };
}

/**
 * Every physical name SecretsComponent creates (see {@link secretsResourceNames}), the secret first.
 *
 * @example
 * SECRETS_PHYSICAL_NAMES[0].name('dev', '001', 1); // 'dev-db-credentials-001'
 */
export const SECRETS_PHYSICAL_NAMES: readonly StackPhysicalName[] = [
  { resource: 'database credentials secret', type: 'aws:secretsmanager/secret:Secret', name: (e, s) => secretsResourceNames(e, s).secret },
  { resource: 'rotation function', type: 'aws:lambda/function:Function', name: (e, s) => secretsResourceNames(e, s).function },
  { resource: 'rotation function log group', type: 'aws:cloudwatch/logGroup:LogGroup', name: (e, s) => secretsResourceNames(e, s).logGroup },
  { resource: 'rotation function role', type: 'aws:iam/role:Role', name: (e, s) => secretsResourceNames(e, s).role },
  { resource: 'rotation function policy', type: 'aws:iam/rolePolicy:RolePolicy', name: (e, s) => secretsResourceNames(e, s).policy },
  { resource: 'rotation function security group', type: 'aws:ec2/securityGroup:SecurityGroup', name: (e, s) => secretsResourceNames(e, s).securityGroup },
];
