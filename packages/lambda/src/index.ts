export { ARCHITECTURE_PLATFORMS, LAMBDA_DEFAULTS, MIGRATION_DEFAULTS, VPC_NETWORK_INTERFACE_ACTIONS } from './constants';
export { contentTag } from './contentTag';
export { LambdaComponentError } from './errors';
export { LambdaComponent, assertLambdaSettings, lambdaRolePolicy } from './lambdaComponent';
export type { LambdaComponentArgs, LambdaMigrationArgs } from './types';
