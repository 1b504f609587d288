export {
  HTTPS_PORT,
  POSTGRES_PORT,
  ROTATION_DAYS_RANGE,
  ROTATION_KMS_ACTIONS,
  ROTATION_SECRET_ACTIONS,
  SECRETS_DEFAULTS,
  VPC_NETWORK_INTERFACE_ACTIONS,
} from './constants';
export { RotationError, SecretsComponentError } from './errors';
export {
  SecretsComponent,
  assertSecretsSettings,
  defaultRotationCodeDir,
  rotationRolePolicy,
  secretsResourceNames,
} from './secretsComponent';
export type { SecretsComponentArgs } from './types';
