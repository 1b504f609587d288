// One import for a stack: every TAP component, its Args type, errors and helpers.
export {
  NETWORKING_DEFAULTS,
  NETWORKING_OUTPUT_KEYS,
  NetworkingStack,
  NetworkingStackError,
  validateNetworkingOutputs,
} from '@tap/networking';
export type { NetworkingOutputs, NetworkingStackArgs } from '@tap/networking';

export {
  AURORA_POSTGRES_ENGINE,
  DATABASE_DEFAULTS,
  DATABASE_PARAMETERS,
  DatabaseComponent,
  DatabaseComponentError,
  OPEN_CIDR_BLOCKS,
  POSTGRES_PORT,
  DATABASE_NAMES,
  assertDatabaseSettings,
  assertNotOpenCidr,
  databaseKeyPolicy,
  databasePhysicalNames,
} from '@tap/database';
export type { DatabaseComponentArgs } from '@tap/database';

export {
  ARCHITECTURE_PLATFORMS,
  LAMBDA_DEFAULTS,
  LAMBDA_NAMES,
  LambdaComponent,
  LambdaComponentError,
  MIGRATION_DEFAULTS,
  VPC_NETWORK_INTERFACE_ACTIONS,
  assertLambdaSettings,
  contentTag,
  lambdaPhysicalNames,
  lambdaRolePolicy,
} from '@tap/lambda';
export type { LambdaComponentArgs, LambdaMigrationArgs } from '@tap/lambda';

export {
  ALARM_SETTINGS,
  CLUSTER_ALARMS,
  FUNCTION_ALARMS,
  MONITORING_DEFAULTS,
  MONITORING_NAMES,
  MonitoringComponent,
  MonitoringComponentError,
  TREAT_MISSING_DATA,
  alarmTopicKeyPolicy,
  assertMonitoringSettings,
  monitoringPhysicalNames,
} from '@tap/monitoring';
export type { MonitoringComponentArgs } from '@tap/monitoring';

// SecretsComponent, SecretsComponentArgs and the rest of @tap/secrets' public API.
export * from '@tap/secrets';

// The key block, for a stack's own keys (shared by several components) with the same policy helpers.
export { createCustomerManagedKey, customerManagedKeyPolicy } from '@tap/blocks';
export type { CustomerManagedKey, CustomerManagedKeyArgs, KeyPolicyContext, KeyUseStatement } from '@tap/blocks';

// Every physical name the TAP stack creates, composed from the components' own lists.
export { STACK_NAMES, STACK_PHYSICAL_NAMES } from './stackNames';

export { ENVIRONMENT_NAMES, resourceName } from '@tap/validation';
export type { EnvironmentConfig, EnvironmentName, StackPhysicalName } from '@tap/validation';
