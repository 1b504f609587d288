import { createHash } from 'node:crypto';
import { Client, type ClientConfig } from 'pg';
import { DEFAULTS } from './constants';
import { MigrationError } from './errors';
import { type Migration, MIGRATIONS } from './migrations';
import type { LoggerLike } from './types';

/** Key of the session advisory lock serialising concurrent migration runs (per database). */
export const MIGRATION_LOCK_KEY = 7_401_190_044;

/** The least-privilege role the payment handler connects as. */
export interface AppRoleOptions {
  /** Default: `payment_app`. */
  name?: string;
  /** Set (or reset) the role's password; omitted keeps the current one (e.g. after a rotation). */
  password?: string;
}

export interface MigrateOptions {
  /** Default: the built-in {@link MIGRATIONS}. */
  migrations?: readonly Migration[];
  /** Default: `{ name: 'payment_app' }`. */
  appRole?: AppRoleOptions;
  logger?: LoggerLike;
}

export interface MigrateResult {
  /** Versions applied by this run (empty when already up to date). */
  applied: number[];
  /** Highest applied version afterwards. */
  version: number;
  appRole: string;
}

const checksum = (migration: Migration): string => createHash('sha256').update(migration.sql).digest('hex');

const quietLogger: LoggerLike = { info: () => undefined, warn: () => undefined, error: () => undefined, debug: () => undefined };

/**
 * Applies pending migrations in one transaction each, under an advisory lock, then ensures the
 * application role and its grants. Safe to run twice and concurrently.
 *
 * @example
 * await runMigrations({ connectionString: process.env.DATABASE_URL }, { appRole: { password: 's3cret' } });
 */
export async function runMigrations(connection: ClientConfig | Client, options: MigrateOptions = {}): Promise<MigrateResult> {
  // Duck-typed: a caller's Client may come from another copy of pg than the bundled one.
  const owned = typeof (connection as Client).query !== 'function';
  const client = owned ? new Client(connection as ClientConfig) : (connection as Client);
  if (owned) await client.connect();
  const logger = options.logger ?? quietLogger;
  const migrations = [...(options.migrations ?? MIGRATIONS)].sort((a, b) => a.version - b.version);
  const roleName = options.appRole?.name ?? DEFAULTS.appRoleName;
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
        version    integer     PRIMARY KEY,
        name       text        NOT NULL,
        checksum   char(64)    NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now())`);
      const done = await client.query<{ version: number; checksum: string }>('SELECT version, checksum FROM schema_migrations');
      const appliedSums = new Map(done.rows.map((r) => [r.version, r.checksum]));
      const applied: number[] = [];
      for (const migration of migrations) {
        const known = appliedSums.get(migration.version);
        if (known !== undefined) {
          if (known !== checksum(migration)) {
            throw new MigrationError(`Migration ${migration.version} (${migration.name}) was changed after it was applied.`);
          }
          continue;
        }
        await inTransaction(client, async () => {
          await client.query(migration.sql);
          await client.query('INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)', [
            migration.version,
            migration.name,
            checksum(migration),
          ]);
        }).catch((error: unknown) => {
          throw new MigrationError(
            `Migration ${migration.version} (${migration.name}) failed: ${error instanceof Error ? error.message : String(error)}`,
            { cause: error },
          );
        });
        logger.info('migration applied', { version: migration.version, name: migration.name });
        applied.push(migration.version);
      }
      await inTransaction(client, () => ensureAppRole(client, roleName, options.appRole?.password));
      const version = Math.max(0, ...migrations.map((m) => m.version));
      return { applied, version, appRole: roleName };
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    }
  } finally {
    if (owned) await client.end().catch(() => undefined);
  }
}

async function inTransaction(client: Client, work: () => Promise<unknown>): Promise<void> {
  await client.query('BEGIN');
  try {
    await work();
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

/**
 * Creates the login role if missing (roles are cluster-wide, so a run on another database may
 * race us: duplicate_object is fine) and grants exactly what the handler does: INSERT and SELECT
 * on payments. No UPDATE/DELETE, no DDL, no access to schema_migrations.
 */
async function ensureAppRole(client: Client, name: string, password: string | undefined): Promise<void> {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) {
    throw new MigrationError(`Invalid application role name "${name}": use lower-case letters, digits and _.`);
  }
  const role = client.escapeIdentifier(name);
  const attributes = 'LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS INHERIT';
  await client.query(`DO $$ BEGIN
      CREATE ROLE ${role} ${attributes};
    EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
    END $$`);
  await client.query(`ALTER ROLE ${role} ${attributes}`);
  if (password !== undefined) await client.query(`ALTER ROLE ${role} PASSWORD ${client.escapeLiteral(password)}`);
  const database = client.escapeIdentifier(
    (await client.query<{ db: string }>('SELECT current_database() AS db')).rows[0].db,
  );
  await client.query(`GRANT CONNECT ON DATABASE ${database} TO ${role}`);
  await client.query(`GRANT USAGE ON SCHEMA public TO ${role}`);
  await client.query(`REVOKE ALL ON TABLE payments, schema_migrations FROM ${role}`);
  await client.query(`GRANT SELECT, INSERT ON TABLE payments TO ${role}`);
}
