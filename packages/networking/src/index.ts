export { NETWORKING_DEFAULTS, NETWORKING_OUTPUT_KEYS } from './constants';
export { NetworkingStackError } from './errors';
export { NetworkingStack } from './networkingStack';
export type { NetworkingOutputs, NetworkingStackArgs } from './types';
export { validateNetworkingOutputs } from './validate';
