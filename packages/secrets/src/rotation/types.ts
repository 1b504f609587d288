import type { Logger } from '@aws-lambda-powertools/logger';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { ConnectionOptions } from 'node:tls';
import type { ROTATION_STEPS } from './constants';

/** One of the four steps Secrets Manager invokes the function with, in this order. */
export type RotationStep = (typeof ROTATION_STEPS)[number];

/** The event Secrets Manager sends to a rotation function. */
export interface RotationEvent {
  SecretId: string;
  ClientRequestToken: string;
  Step: RotationStep;
  /** Only for cross-account rotation; not used by this function. */
  RotationToken?: string;
}

/** The secret's JSON (AWS's single-user PostgreSQL shape). Other fields are kept as they are. */
export interface DatabaseCredentials {
  engine?: string;
  host: string;
  /** Default 5432. */
  port?: number;
  /** Default `postgres`. */
  dbname?: string;
  username: string;
  password: string;
  [field: string]: unknown;
}

/**
 * TLS to the database: `require` verifies the server certificate (the default, and what AWS needs),
 * `disable` is for local tests only, or give Node's TLS options directly (e.g. a `ca`).
 */
export type DatabaseSsl = 'require' | 'disable' | ConnectionOptions;

/** Options of {@link createRotationHandler}. Precedence: option > environment variable > default. */
export interface RotationHandlerOptions {
  /** Secrets Manager client. Default: a client on `SECRETS_MANAGER_ENDPOINT` when set, else the SDK's default endpoint. */
  client?: SecretsManagerClient;
  /** TLS to the database. Default: `DB_SSL`, else `require`. */
  ssl?: DatabaseSsl;
  /** Powertools logger. Default: a Logger with service name `db-rotation`. */
  logger?: Logger;
  /** Characters new passwords must not contain. Default: `EXCLUDE_CHARACTERS`, else space, `"`, `'`, `\`, `/`, `@`, `:`. */
  excludeCharacters?: string;
  /** Database connect timeout in milliseconds. Default: 5000 (a rotation step has about a minute). */
  connectTimeoutMillis?: number;
}

/** A rotation function: resolves when the step is done (or nothing was to do), rejects to make Secrets Manager retry. */
export type RotationHandler = (event: RotationEvent) => Promise<void>;
