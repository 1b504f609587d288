export { INVALID_PASSWORD, ROTATION_DEFAULTS, ROTATION_ENV, ROTATION_STEPS, STAGES } from './constants';
export { assertRotationEvent, createRotationHandler, handler, parseCredentials, resolveSsl } from './handler';
export { alterPasswordStatement } from './postgres';
export type {
  DatabaseCredentials,
  DatabaseSsl,
  RotationEvent,
  RotationHandler,
  RotationHandlerOptions,
  RotationStep,
} from './types';
export { RotationError } from '../errors';
