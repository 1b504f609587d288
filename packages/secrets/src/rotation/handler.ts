import { Logger } from '@aws-lambda-powertools/logger';
import {
  DescribeSecretCommand,
  GetRandomPasswordCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  SecretsManagerClient,
  UpdateSecretVersionStageCommand,
  type DescribeSecretCommandOutput,
} from '@aws-sdk/client-secrets-manager';
import type { ConnectionOptions } from 'node:tls';
import { SECRETS_DEFAULTS } from '../constants';
import { RotationError } from '../errors';
import { ROTATION_DEFAULTS, ROTATION_ENV, ROTATION_STEPS, STAGES } from './constants';
import { alterPasswordStatement, canLogin, login, type ConnectSettings } from './postgres';
import type { DatabaseCredentials, DatabaseSsl, RotationEvent, RotationHandler, RotationHandlerOptions } from './types';

/**
 * A single-user PostgreSQL rotation function implementing Secrets Manager's four-step protocol. Every step is safe to
 * retry, and a failure at any step leaves AWSCURRENT as it was.
 *
 * @example
 * // The Lambda entry point of the bundle is `handler`; tests build their own:
 * const rotate = createRotationHandler({ client: new SecretsManagerClient({}), ssl: 'disable' });
 * await rotate({ SecretId: arn, ClientRequestToken: token, Step: 'createSecret' });
 */
export function createRotationHandler(options: RotationHandlerOptions = {}): RotationHandler {
  const logger = options.logger ?? new Logger({ serviceName: ROTATION_DEFAULTS.serviceName });
  const endpoint = process.env[ROTATION_ENV.endpoint];
  const client = options.client ?? new SecretsManagerClient(endpoint ? { endpoint } : {});
  const excludeCharacters = options.excludeCharacters ?? process.env[ROTATION_ENV.excludeCharacters] ?? SECRETS_DEFAULTS.excludeCharacters;
  const settings: ConnectSettings = {
    ssl: resolveSsl(options.ssl ?? process.env[ROTATION_ENV.ssl] ?? ROTATION_DEFAULTS.ssl),
    connectTimeoutMillis: options.connectTimeoutMillis ?? ROTATION_DEFAULTS.connectTimeoutMillis,
  };

  async function credentials(secretId: string, stage: string, versionId?: string): Promise<DatabaseCredentials> {
    const value = await client.send(new GetSecretValueCommand({ SecretId: secretId, VersionStage: stage, VersionId: versionId }));
    return parseCredentials(value.SecretString, `${stage} of ${secretId}`);
  }

  async function optionalCredentials(secretId: string, stage: string, versionId?: string): Promise<DatabaseCredentials | undefined> {
    try {
      return await credentials(secretId, stage, versionId);
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  async function createSecret(secretId: string, token: string): Promise<void> {
    const current = await credentials(secretId, STAGES.current);
    if ((await optionalCredentials(secretId, STAGES.pending, token)) !== undefined) {
      logger.info('createSecret: pending version already exists', { secretId, token });
      return;
    }
    const generated = await client.send(
      new GetRandomPasswordCommand({
        PasswordLength: ROTATION_DEFAULTS.passwordLength,
        ExcludeCharacters: excludeCharacters || undefined,
        RequireEachIncludedType: true,
      }),
    );
    if (!generated.RandomPassword) throw new RotationError(`createSecret: GetRandomPassword returned no password for ${secretId}`);
    await client.send(
      new PutSecretValueCommand({
        SecretId: secretId,
        ClientRequestToken: token,
        SecretString: JSON.stringify({ ...current, password: generated.RandomPassword }),
        VersionStages: [STAGES.pending],
      }),
    );
    logger.info('createSecret: stored a new pending version', { secretId, token });
  }

  async function setSecret(secretId: string, token: string): Promise<void> {
    const pending = await credentials(secretId, STAGES.pending, token);
    const pendingLogin = await canLogin(pending, settings);
    if (pendingLogin.ok) {
      logger.info('setSecret: the pending password already works', { secretId, token });
      return;
    }
    const current = await credentials(secretId, STAGES.current);
    assertSameUser(current, pending, 'AWSCURRENT', secretId);
    let session = await login(current, settings);
    const failures = [`AWSCURRENT: ${session.ok ? '' : session.reason}`];
    if (!session.ok) {
      // The current password may have been changed out of band or by a half-finished rotation: try the previous one.
      const previous = await optionalCredentials(secretId, STAGES.previous);
      if (previous !== undefined) {
        assertSameUser(previous, pending, 'AWSPREVIOUS', secretId);
        session = await login(previous, settings);
        failures.push(`AWSPREVIOUS: ${session.ok ? '' : session.reason}`);
        if (session.ok) logger.warn('setSecret: logged in with AWSPREVIOUS; AWSCURRENT no longer works', { secretId, token });
      }
    }
    if (!session.ok) {
      throw new RotationError(
        `setSecret: cannot log in to ${pending.host} as ${pending.username} with the current or previous password of ${secretId} (${failures.join('; ')})`,
      );
    }
    try {
      await session.client.query(alterPasswordStatement(pending.username, pending.password));
    } finally {
      await session.client.end().catch(() => undefined);
    }
    logger.info('setSecret: database password set to the pending version', { secretId, token });
  }

  async function testSecret(secretId: string, token: string): Promise<void> {
    const pending = await credentials(secretId, STAGES.pending, token);
    // RotateSecret without immediate rotation runs testSecret alone on an AWSPENDING copy of AWSCURRENT: a failure
    // then means the current credentials do not work (typically: the database user does not exist yet).
    const current = await optionalCredentials(secretId, STAGES.current).catch(() => undefined);
    const configurationTest =
      current !== undefined && current.password === pending.password && current.username === pending.username && current.host === pending.host;
    const result = await canLogin(pending, settings);
    if (!result.ok) {
      const hint = configurationTest
        ? "; AWSPENDING is a copy of AWSCURRENT, so this is Secrets Manager's rotation-configuration test and the credentials in AWSCURRENT do not work: create the database user (run the migration) before configuring rotation"
        : '';
      throw new RotationError(`testSecret: the pending password of ${secretId} does not log in to ${pending.host} as ${pending.username} (${result.reason})${hint}`);
    }
    logger.info(
      configurationTest
        ? "testSecret: the pending password logs in (AWSPENDING is a copy of AWSCURRENT: Secrets Manager's rotation-configuration test)"
        : 'testSecret: the pending password logs in',
      { secretId, token },
    );
  }

  async function finishSecret(secretId: string, token: string, description: DescribeSecretCommandOutput): Promise<void> {
    const currentVersion = Object.entries(description.VersionIdsToStages ?? {}).find(([, stages]) => stages.includes(STAGES.current))?.[0];
    await client.send(
      new UpdateSecretVersionStageCommand({
        SecretId: secretId,
        VersionStage: STAGES.current,
        MoveToVersionId: token,
        RemoveFromVersionId: currentVersion,
      }),
    );
    logger.info('finishSecret: AWSCURRENT moved to the new version', { secretId, token, previousVersion: currentVersion });
  }

  return async (event: RotationEvent): Promise<void> => {
    const { SecretId: secretId, ClientRequestToken: token, Step: step } = assertRotationEvent(event);
    const description = await client.send(new DescribeSecretCommand({ SecretId: secretId }));
    if (description.RotationEnabled === false) {
      throw new RotationError(`secret ${secretId} is not enabled for rotation; enable rotation on it first`);
    }
    const stages = description.VersionIdsToStages ?? {};
    if (!Object.prototype.hasOwnProperty.call(stages, token)) {
      throw new RotationError(`secret version ${token} has no stage for rotation of secret ${secretId}`);
    }
    if (stages[token].includes(STAGES.current)) {
      // Already finished: this is what makes a retried step harmless.
      logger.info(`${step}: version is already AWSCURRENT, nothing to do`, { secretId, token });
      return;
    }
    if (!stages[token].includes(STAGES.pending)) {
      throw new RotationError(`secret version ${token} is not set as AWSPENDING for rotation of secret ${secretId}`);
    }
    switch (step) {
      case 'createSecret':
        return createSecret(secretId, token);
      case 'setSecret':
        return setSecret(secretId, token);
      case 'testSecret':
        return testSecret(secretId, token);
      case 'finishSecret':
        return finishSecret(secretId, token, description);
    }
  };
}

let defaultHandler: RotationHandler | undefined;

/**
 * The Lambda entry point (`index.handler`), configured from the environment on first use.
 *
 * @example
 * // Lambda: runtime nodejs22.x, handler index.handler, code: the package's rotation/ folder.
 */
export const handler: RotationHandler = (event) => {
  defaultHandler ??= createRotationHandler();
  return defaultHandler(event);
};

/** `require` → verify the server certificate; `disable` → plaintext (local tests); TLS options as given. */
export function resolveSsl(ssl: DatabaseSsl | string): false | ConnectionOptions {
  if (typeof ssl === 'object') return ssl;
  if (ssl === 'require') return { rejectUnauthorized: true };
  if (ssl === 'disable') return false;
  throw new RotationError(`${ROTATION_ENV.ssl} must be "require" or "disable", got "${ssl}"; set it on the rotation function`);
}

/** Checks the event's shape; names the bad field. */
export function assertRotationEvent(event: unknown): RotationEvent {
  const e = (event ?? {}) as Partial<Record<keyof RotationEvent, unknown>>;
  for (const field of ['SecretId', 'ClientRequestToken'] as const) {
    if (typeof e[field] !== 'string' || e[field] === '') {
      throw new RotationError(`rotation event lacks ${field}; Secrets Manager sends { SecretId, ClientRequestToken, Step }`);
    }
  }
  if (!(ROTATION_STEPS as readonly unknown[]).includes(e.Step)) {
    throw new RotationError(`rotation event has invalid Step ${JSON.stringify(e.Step)}; expected one of ${ROTATION_STEPS.join(', ')}`);
  }
  return e as RotationEvent;
}

/** Parses a secret's JSON; names the missing field, never echoes the value. */
export function parseCredentials(secretString: string | undefined, where: string): DatabaseCredentials {
  let parsed: unknown;
  try {
    parsed = JSON.parse(secretString ?? '');
  } catch {
    throw new RotationError(`secret ${where} is not a JSON object`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new RotationError(`secret ${where} is not a JSON object`);
  }
  const record = parsed as Record<string, unknown>;
  for (const field of ['host', 'username', 'password'] as const) {
    if (typeof record[field] !== 'string' || record[field] === '') {
      throw new RotationError(`secret ${where} lacks a non-empty string "${field}"`);
    }
  }
  if (record['engine'] !== undefined && !['postgres', 'aurora-postgresql'].includes(String(record['engine']))) {
    throw new RotationError(`secret ${where} has engine "${String(record['engine'])}"; this function rotates postgres and aurora-postgresql only`);
  }
  return record as DatabaseCredentials;
}

function assertSameUser(other: DatabaseCredentials, pending: DatabaseCredentials, stage: string, secretId: string): void {
  if (other.username !== pending.username || other.host !== pending.host) {
    throw new RotationError(`setSecret: ${stage} and AWSPENDING of ${secretId} differ in username or host; single-user rotation changes the password only`);
  }
}

function isNotFound(error: unknown): boolean {
  return (error as { name?: string } | undefined)?.name === 'ResourceNotFoundException';
}
