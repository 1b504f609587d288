import type { ConnectionOptions } from 'node:tls';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import { Pool, type PoolClient, type PoolConfig } from 'pg';
import { z } from 'zod';
import { CONNECTION_ERROR_CODES, SQLSTATE } from './constants';
import { ConfigurationError, DatabaseUnavailableError } from './errors';
import { isTlsError } from './tls';
import { createSecretsProvider } from './secrets';
import type { EnvironmentStats, LoggerLike } from './types';

/** Where the credentials come from: a Secrets Manager secret (production) or a URL (local). */
export type CredentialSource =
  | { kind: 'secret'; secretArn: string; secretsClient?: SecretsManagerClient; maxAgeSeconds: number; ssl: false | ConnectionOptions }
  | { kind: 'url'; databaseUrl: string };

export interface DatabaseSettings {
  source: () => CredentialSource;
  logger: LoggerLike;
  stats: EnvironmentStats;
  onSecretRefetch: () => void;
  connectionTimeoutMillis: number;
  statementTimeoutMillis: number;
  applicationName: string;
}

const credentialsSchema = z.object({
  host: z.string().min(1).optional(),
  port: z.union([z.number().int(), z.string().regex(/^\d+$/)]).optional(),
  dbname: z.string().min(1).optional(),
  username: z.string().min(1),
  password: z.string().min(1),
});
const secretSchema = credentialsSchema.extend({ host: z.string().min(1) });

/** The fields of an RDS-style database secret; `host` is optional only where {@link parseDatabaseSecret} allows it. */
export type DatabaseSecret = z.infer<typeof credentialsSchema>;

/**
 * Parses the RDS-style secret JSON; the message never contains the secret's content.
 * `hostOptional` accepts a secret with only `username`/`password`, as the RDS-managed master user
 * secret is: the caller then takes the endpoint from elsewhere.
 */
export function parseDatabaseSecret(raw: unknown): z.infer<typeof secretSchema>;
export function parseDatabaseSecret(raw: unknown, options: { hostOptional: true }): DatabaseSecret;
export function parseDatabaseSecret(raw: unknown, options: { hostOptional?: boolean } = {}): DatabaseSecret {
  let value: unknown = raw;
  if (typeof raw === 'string') {
    try {
      value = JSON.parse(raw);
    } catch {
      throw new ConfigurationError('The database secret is not JSON.');
    }
  }
  const result = (options.hostOptional ? credentialsSchema : secretSchema).safeParse(value);
  if (!result.success) {
    const fields = [...new Set(result.error.issues.map((i) => i.path.join('.')))].join(', ');
    throw new ConfigurationError(`The database secret lacks valid fields: ${fields}.`);
  }
  return result.data;
}

const errorCode = (error: unknown): string | undefined =>
  typeof error === 'object' && error !== null && 'code' in error ? String((error as { code: unknown }).code) : undefined;

/** True for errors after which a fresh connection may succeed (server restart, killed backend, network). */
export function isConnectionError(error: unknown): boolean {
  const code = errorCode(error);
  if (code !== undefined) {
    if ((CONNECTION_ERROR_CODES as readonly string[]).includes(code)) return true;
    if (code === SQLSTATE.adminShutdown || code === SQLSTATE.crashShutdown || code === SQLSTATE.cannotConnectNow) {
      return true;
    }
    if (code.startsWith('08')) return true;
  }
  const message = error instanceof Error ? error.message : '';
  return /Connection terminated|connection error|timeout exceeded when trying to connect|Client was closed|not queryable/i.test(
    message,
  );
}

export const isInvalidPassword = (error: unknown): boolean => errorCode(error) === SQLSTATE.invalidPassword;

/**
 * The database side of one execution environment: one pool of max 1 connection, created lazily,
 * with the secret cached across invocations and refetched (bypassing the cache) on 28P01.
 */
export class Database {
  private pool?: Promise<Pool>;
  private provider?: Promise<SecretsProvider>;
  private closed = false;

  constructor(private readonly settings: DatabaseSettings) {}

  /**
   * Runs `work` on the environment's connection. After a connection failure it retries once on a
   * new connection; after a rejected password (28P01) it refetches the secret bypassing the cache,
   * reconnects and retries once. Then it gives up with {@link DatabaseUnavailableError}.
   * `work` must be safe to repeat (ours is idempotent by key).
   */
  async run<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
    let reconnected = false;
    let refetched = false;
    for (;;) {
      try {
        return await this.attempt(work);
      } catch (error) {
        if (isInvalidPassword(error) && this.isSecretSource() && !refetched) {
          refetched = true;
          this.settings.logger.warn('Database rejected the password; refetching the secret', { code: errorCode(error) });
          await this.reset(true);
        } else if (isConnectionError(error) && !reconnected) {
          reconnected = true;
          this.settings.logger.warn('Database connection failed; retrying once on a new connection', {
            code: errorCode(error),
            reason: error instanceof Error ? error.message : String(error),
          });
          await this.reset(false);
        } else if (isTlsError(error)) {
          // A server without TLS or an unverifiable certificate: a retry cannot fix configuration.
          throw new DatabaseUnavailableError(
            `TLS to the database failed (${error instanceof Error ? error.message : String(error)}): check NODE_EXTRA_CA_CERTS, or DB_SSL=disable for a local database only.`,
            { cause: error },
          );
        } else if (isInvalidPassword(error) || isConnectionError(error)) {
          throw new DatabaseUnavailableError('The database is unavailable.', { cause: error });
        } else {
          throw error;
        }
      }
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    const pool = this.pool;
    this.pool = undefined;
    await (await pool?.catch(() => undefined))?.end();
  }

  private isSecretSource(): boolean {
    return this.settings.source().kind === 'secret';
  }

  private async attempt<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
    const pool = await this.getPool(false);
    const opening = pool.totalCount === 0;
    const started = performance.now();
    const client = await pool.connect();
    if (opening) this.settings.stats.lastConnectMillis = performance.now() - started;
    // pg-pool listens for errors only on idle clients. A backend killed while this client is checked
    // out (between two queries of `work`) emits 'error' on the client; unheard, that crashes the
    // process. The failing query rejects too, so `work` sees the failure and the retry handles it.
    let broken: Error | undefined;
    const onError = (error: Error): void => {
      broken = error;
      this.settings.logger.warn('Database connection failed while in use', { code: errorCode(error), reason: error.message });
    };
    client.on('error', onError);
    let failure: unknown;
    try {
      return await work(client);
    } catch (error) {
      failure = error;
      throw error;
    } finally {
      client.off('error', onError);
      // A broken connection is destroyed rather than returned to the pool.
      const destroy = broken ?? (failure !== undefined && isConnectionError(failure) ? (failure as Error) : undefined);
      client.release(destroy);
    }
  }

  private async reset(refetchSecret: boolean): Promise<void> {
    const old = this.pool;
    this.pool = undefined;
    const pool = await old?.catch(() => undefined);
    if (pool) await pool.end().catch(() => undefined);
    if (refetchSecret) await this.getPool(true);
  }

  /**
   * Single-flight: concurrent callers (the local HTTP server, not Lambda, which runs one request per
   * environment) share one pool and one secret read instead of racing to create several.
   */
  private getPool(forceFetch: boolean): Promise<Pool> {
    if (this.closed) return Promise.reject(new DatabaseUnavailableError('This execution environment was closed.'));
    if (this.pool && !forceFetch) return this.pool;
    const creating = this.createPool(forceFetch);
    this.pool = creating;
    // A failed creation (secret unreadable) must not stick: the next call tries again.
    creating.catch(() => {
      if (this.pool === creating) this.pool = undefined;
    });
    return creating;
  }

  private async createPool(forceFetch: boolean): Promise<Pool> {
    const config = await this.poolConfig(forceFetch);
    const pool = new Pool(config);
    // Without this listener an idle connection killed by the server crashes the process.
    pool.on('error', (error) => {
      this.settings.logger.warn('Idle database connection failed; it will be replaced', {
        code: errorCode(error),
        reason: error.message,
      });
    });
    pool.on('connect', () => {
      this.settings.stats.connections += 1;
    });
    return pool;
  }

  private async poolConfig(forceFetch: boolean): Promise<PoolConfig> {
    const { connectionTimeoutMillis, statementTimeoutMillis, applicationName } = this.settings;
    const base: PoolConfig = {
      max: 1,
      // Lambda freezes the environment between invocations; keep the connection for the next one.
      idleTimeoutMillis: 0,
      allowExitOnIdle: true,
      connectionTimeoutMillis,
      statement_timeout: statementTimeoutMillis,
      application_name: applicationName,
    };
    const source = this.settings.source();
    if (source.kind === 'url') return { ...base, connectionString: source.databaseUrl };
    const secret = parseDatabaseSecret(await this.fetchSecret(source, forceFetch));
    return {
      ...base,
      host: secret.host,
      port: secret.port === undefined ? 5432 : Number(secret.port),
      database: secret.dbname ?? 'postgres',
      user: secret.username,
      password: secret.password,
      ssl: source.ssl,
    };
  }

  private async fetchSecret(
    source: Extract<CredentialSource, { kind: 'secret' }>,
    forceFetch: boolean,
  ): Promise<unknown> {
    // Created once per environment (its cache lives in it); the default client only now, on first use.
    this.provider ??= createSecretsProvider(source.secretsClient);
    if (forceFetch) {
      this.settings.stats.secretRefetches += 1;
      this.settings.onSecretRefetch();
    }
    try {
      // Powertools' cache key ignores VersionStage; we only ever read AWSCURRENT, so that is fine.
      return await (await this.provider).get(source.secretArn, { maxAge: source.maxAgeSeconds, forceFetch });
    } catch (error) {
      this.settings.logger.error('Could not read the database secret', {
        errorName: error instanceof Error ? error.name : 'unknown',
      });
      throw new DatabaseUnavailableError('The database secret could not be read.', { cause: error });
    }
  }
}
