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

/** pg's Client has `ref`/`unref` (pg-pool uses them for `allowExitOnIdle`); @types/pg omits them. */
type RefClient = PoolClient & { ref(): void; unref(): void };

/** The connection an environment keeps checked out of its pool between invocations. */
interface HeldConnection {
  client: RefClient;
  /** Set by the client's 'error' event: the connection is gone and is replaced before its next use. */
  broken?: Error;
  released: boolean;
}

/**
 * The database side of one execution environment: a pool of max 1 connection, created lazily, whose one
 * connection stays checked out across invocations (Lambda runs one request at a time per environment, so
 * there is nothing to share it with; a checkout and release per request only cost time). The secret is
 * cached across invocations and refetched (bypassing the cache) on 28P01.
 */
export class Database {
  private pool?: Promise<Pool>;
  private provider?: Promise<SecretsProvider>;
  private held?: Promise<HeldConnection>;
  private current?: HeldConnection;
  private inUse = 0;
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
    // The held connection goes first: a pool ends only once every client is back.
    const held = await this.held?.catch(() => undefined);
    if (held) this.discard(held, new Error('The execution environment was closed.'));
    const pool = this.pool;
    this.pool = undefined;
    await (await pool?.catch(() => undefined))?.end();
  }

  private isSecretSource(): boolean {
    return this.settings.source().kind === 'secret';
  }

  private async attempt<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
    const held = await this.checkout();
    // Like pg-pool with allowExitOnIdle: the socket keeps the process alive only while in use, so a
    // local script or test can end without closing the environment.
    if (this.inUse++ === 0) held.client.ref();
    try {
      const result = await work(held.client);
      if (held.broken) this.discard(held, held.broken);
      return result;
    } catch (error) {
      // A broken connection is destroyed; the retry in `run` opens a new one.
      if (held.broken || isConnectionError(error)) this.discard(held, held.broken ?? error);
      throw error;
    } finally {
      if (--this.inUse === 0 && !held.released) held.client.unref();
    }
  }

  /** The held connection, replaced first if it broke while idle (e.g. the server killed it between invocations). */
  private async checkout(): Promise<HeldConnection> {
    for (;;) {
      const held = await (this.held ?? this.open());
      if (!held.broken) return held;
      this.discard(held, held.broken);
    }
  }

  /** Single-flight: concurrent callers (the local HTTP server, not Lambda) share one connection. */
  private open(): Promise<HeldConnection> {
    const opening = (async (): Promise<HeldConnection> => {
      const pool = await this.getPool(false);
      const started = performance.now();
      const client = (await pool.connect()) as RefClient;
      this.settings.stats.lastConnectMillis = performance.now() - started;
      const held: HeldConnection = { client, released: false };
      // pg-pool listens for errors only on idle clients, and this one is never idle in the pool. A backend
      // killed while nobody listens is an uncaught 'error' that crashes the process; a failing query
      // rejects as well, so the work sees the failure and `run` retries.
      client.on('error', (error: Error) => {
        held.broken = error;
        const message = this.inUse > 0 ? 'Database connection failed while in use' : 'Idle database connection failed; it will be replaced';
        this.settings.logger.warn(message, { code: errorCode(error), reason: error.message });
      });
      this.current = held;
      return held;
    })();
    this.held = opening;
    // A failed open (server down, password rejected) must not stick: the next call tries again.
    opening.catch(() => {
      if (this.held === opening) this.held = undefined;
    });
    return opening;
  }

  /** Destroys `held` (once, however many callers saw it fail) and forgets it if it is still the current one. */
  private discard(held: HeldConnection, reason: unknown): void {
    if (held.released) return;
    held.released = true;
    if (this.current === held) {
      this.current = undefined;
      this.held = undefined;
    }
    held.client.release(reason instanceof Error ? reason : new Error(String(reason)));
  }

  /**
   * A new pool (and, after 28P01, a fresh secret) for the connections opened from now on. The held connection is
   * left alone: the attempt that saw it fail has discarded it already, and on the local server a concurrent
   * request may have opened a healthy one meanwhile.
   */
  private async reset(refetchSecret: boolean): Promise<void> {
    const old = this.pool;
    this.pool = undefined;
    const pool = await old?.catch(() => undefined);
    // Not awaited: a pool ends once every client is back, and on the local server a concurrent request may
    // hold a connection from it for a while yet.
    if (pool) void pool.end().catch(() => undefined);
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
    // pg-pool emits this for idle clients only. Ours stays checked out (its listener is in `open`), but an
    // unheard 'error' would crash the process, so the pool is never left without one.
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
      // The one connection the environment holds (see `open`); it is never idle in the pool.
      max: 1,
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
