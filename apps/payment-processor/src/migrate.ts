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
  /** Password given to the role when this run creates it; never applied to an existing role (rotation owns it). */
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
  /** True when this run created the role (and set its password); an existing role keeps its password. */
  appRoleCreated: boolean;
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
      let appRoleCreated = false;
      await inTransaction(client, async () => {
        appRoleCreated = await ensureAppRole(client, roleName, options.appRole?.password);
      });
      const version = Math.max(0, ...migrations.map((m) => m.version));
      return { applied, version, appRole: roleName, appRoleCreated };
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
 * Creates the login role if missing and grants exactly what the handler does: INSERT and SELECT on
 * payments. No UPDATE/DELETE, no DDL, no access to schema_migrations. The password is set only when
 * the role is created: afterwards the rotation Lambda owns it, and resetting it here would lock the
 * running handlers out until their next secret refetch. Returns whether the role was created.
 */
async function ensureAppRole(client: Client, name: string, password: string | undefined): Promise<boolean> {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) {
    throw new MigrationError(`Invalid application role name "${name}": use lower-case letters, digits and _.`);
  }
  const role = client.escapeIdentifier(name);
  const attributes = 'LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS INHERIT';
  const exists = await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [name]);
  let created = false;
  if (exists.rowCount === 0) {
    // Roles are cluster-wide, so a run on another database may create it between our check and
    // CREATE ROLE: a savepoint turns that race into "exists already".
    await client.query('SAVEPOINT create_role');
    try {
      // ALTER/CREATE ROLE take no bind parameters: the literal is escaped by pg.
      const passwordClause = password === undefined ? '' : ` PASSWORD ${client.escapeLiteral(password)}`;
      await client.query(`CREATE ROLE ${role} ${attributes}${passwordClause}`);
      created = true;
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code !== '42710' && code !== '23505') throw error;
      await client.query('ROLLBACK TO SAVEPOINT create_role');
    }
  }
  if (!created) await client.query(`ALTER ROLE ${role} ${attributes}`);
  const database = client.escapeIdentifier(
    (await client.query<{ db: string }>('SELECT current_database() AS db')).rows[0].db,
  );
  await client.query(`GRANT CONNECT ON DATABASE ${database} TO ${role}`);
  await client.query(`GRANT USAGE ON SCHEMA public TO ${role}`);
  await client.query(`REVOKE ALL ON TABLE payments, schema_migrations FROM ${role}`);
  await client.query(`GRANT SELECT, INSERT ON TABLE payments TO ${role}`);
  return created;
}
