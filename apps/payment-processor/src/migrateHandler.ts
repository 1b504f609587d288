import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { Logger } from '@aws-lambda-powertools/logger';
import type { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import type { ClientConfig } from 'pg';
import { DEFAULTS } from './constants';
import { parseDatabaseSecret } from './database';
import { ConfigurationError } from './errors';
import { type DatabaseSsl, resolveSsl } from './tls';
import { createSecretsProvider } from './secrets';
import { type AppRoleOptions, type MigrateResult, runMigrations } from './migrate';

export interface MigrateHandlerOptions {
  /** Owner/admin credentials secret. Default: `process.env.DB_SECRET_ARN`. */
  secretArn?: string;
  /** Used when no secret ARN is set. Default: `process.env.DATABASE_URL`. */
  databaseUrl?: string;
  /** Secret holding the application role's `username`/`password`. Default: `process.env.APP_DB_SECRET_ARN`. */
  appSecretArn?: string;
  /** Default: `process.env.APP_DB_USERNAME`, else `payment_app`. */
  appUsername?: string;
  /** Password for a role this run creates. Default: `process.env.APP_DB_PASSWORD`. An existing role keeps its password. */
  appPassword?: string;
  /**
   * Endpoint for an owner secret that holds only `username`/`password` (the RDS-managed master user
   * secret does). Fields the secret has win. Defaults: `process.env.DB_HOST`, `DB_PORT` (else 5432),
   * `DB_NAME` (else `postgres`).
   */
  endpoint?: { host?: string; port?: number; dbname?: string };
  /** TLS to the database when connecting from the owner secret. Default: `process.env.DB_SSL`, else `require`. */
  ssl?: DatabaseSsl;
  secretsClient?: SecretsManagerClient;
  logger?: Logger;
}

/**
 * Builds the `migrate` Lambda handler (same image, CMD overridden to `migrate.handler`).
 *
 * @example
 * const { handler } = createMigrateHandler({ databaseUrl: 'postgres://postgres:pw@127.0.0.1:5432/payments' });
 * await handler(); // { applied: [1], version: 1, appRole: 'payment_app', appRoleCreated: true }
 */
export function createMigrateHandler(options: MigrateHandlerOptions = {}): { handler: () => Promise<MigrateResult> } {
  const logger = options.logger ?? new Logger({ serviceName: `${DEFAULTS.serviceName}-migrate` });
  let provider: Promise<SecretsProvider> | undefined;
  const readSecret = async (arn: string) => {
    provider ??= createSecretsProvider(options.secretsClient);
    return parseDatabaseSecret(await (await provider).get(arn, { forceFetch: true }), { hostOptional: true });
  };

  function endpoint(): { host?: string; port?: number; dbname?: string } {
    const port = process.env.DB_PORT;
    if (options.endpoint === undefined && port !== undefined && !/^\d+$/.test(port)) {
      throw new ConfigurationError(`DB_PORT must be a port number, got "${port}".`);
    }
    return options.endpoint ?? {
      host: process.env.DB_HOST || undefined,
      port: port ? Number(port) : undefined,
      dbname: process.env.DB_NAME || undefined,
    };
  }

  async function connection(): Promise<ClientConfig> {
    const secretArn = options.secretArn ?? process.env.DB_SECRET_ARN;
    if (secretArn) {
      const s = await readSecret(secretArn);
      const fallback = endpoint();
      const host = s.host ?? fallback.host;
      if (!host) {
        throw new ConfigurationError('The owner secret has no host: set DB_HOST to the cluster endpoint.');
      }
      const port = s.port !== undefined ? Number(s.port) : (fallback.port ?? 5432);
      const ssl = resolveSsl(options.ssl ?? process.env.DB_SSL);
      return { host, port, database: s.dbname ?? fallback.dbname ?? 'postgres', user: s.username, password: s.password, ssl };
    }
    const databaseUrl = options.databaseUrl ?? process.env.DATABASE_URL;
    if (databaseUrl) return { connectionString: databaseUrl };
    throw new ConfigurationError('Set DB_SECRET_ARN (or DATABASE_URL for local use) to the database owner credentials.');
  }

  async function appRole(): Promise<AppRoleOptions> {
    const appSecretArn = options.appSecretArn ?? process.env.APP_DB_SECRET_ARN;
    if (appSecretArn) {
      const s = await readSecret(appSecretArn);
      return { name: s.username, password: s.password };
    }
    return {
      name: options.appUsername ?? process.env.APP_DB_USERNAME ?? DEFAULTS.appRoleName,
      password: options.appPassword ?? process.env.APP_DB_PASSWORD,
    };
  }

  async function handler(): Promise<MigrateResult> {
    const result = await runMigrations({ ...(await connection()), connectionTimeoutMillis: 10_000 }, { appRole: await appRole(), logger });
    logger.info('migrations complete', { applied: result.applied, version: result.version, appRole: result.appRole, appRoleCreated: result.appRoleCreated });
    return result;
  }

  return { handler };
}
