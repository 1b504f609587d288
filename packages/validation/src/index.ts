export { ENVIRONMENT_NAMES } from './constants';
export { ResourceNameError } from './errors';
export { resourceName } from './naming';
export type { EnvironmentConfig, EnvironmentName } from './types';
