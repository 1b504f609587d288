export { VPC_NETWORK_INTERFACE_ACTIONS } from '@tap/blocks';
export { ARCHITECTURE_PLATFORMS, LAMBDA_DEFAULTS, MIGRATION_DEFAULTS } from './constants';
export { contentTag } from './contentTag';
export { LambdaComponentError } from './errors';
export { LambdaComponent } from './lambdaComponent';
export { LAMBDA_NAMES, lambdaPhysicalNames } from './names';
export { lambdaRolePolicy } from './policies';
export type { LambdaComponentArgs, LambdaMigrationArgs } from './types';
export { assertLambdaSettings, assertMigrationSettings } from './validate';
