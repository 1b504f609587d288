import { databasePhysicalNames } from '@tap/database';
import { LAMBDA_DEFAULTS, lambdaPhysicalNames } from '@tap/lambda';
import { monitoringPhysicalNames } from '@tap/monitoring';
import { SECRETS_PHYSICAL_NAMES } from '@tap/secrets';
import { resourceName, type EnvironmentName, type StackPhysicalName } from '@tap/validation';

/**
 * Names of what the TAP stack composes itself: its shared key's alias, and the `additionalFunctions` keys of its
 * monitoring (the rotation and migration functions' alarms). The stack builds with these, so the list below matches.
 *
 * @example
 * STACK_NAMES.keyAlias('dev', '001'); // 'alias/tap-key-dev-001'
 */
export const STACK_NAMES = {
  keyAlias: (environment: EnvironmentName, suffix: string) => `alias/${resourceName('tap-key', environment, suffix)}`,
  rotationAlarmKey: 'rotation',
  migrationAlarmKey: 'migrate',
} as const;

/**
 * Every physical name the TAP stack creates, from the components that create them (each exports its own, built by
 * the functions its resources are named with): the stack key alias, the database (the stack's key, so no key of its
 * own), the secret and its rotation, the payment and migration functions, the monitoring. The stack's config
 * validation refuses a suffix that pushes one past its AWS limit (`validateEnvironmentConfig(…, { physicalNames })`).
 *
 * @example
 * maxEnvironmentSuffixLength(STACK_PHYSICAL_NAMES, 'staging', 2); // 25: the migration function role must fit IAM's 64
 */
export const STACK_PHYSICAL_NAMES: readonly StackPhysicalName[] = [
  { resource: 'stack key alias', type: 'aws:kms/alias:Alias', name: STACK_NAMES.keyAlias },
  ...databasePhysicalNames({ createsKey: false }),
  ...SECRETS_PHYSICAL_NAMES,
  ...lambdaPhysicalNames({ serviceName: LAMBDA_DEFAULTS.serviceName, migrations: true }),
  ...monitoringPhysicalNames([STACK_NAMES.rotationAlarmKey, STACK_NAMES.migrationAlarmKey]),
];
