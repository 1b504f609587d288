import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { createTestDatabase, embeddedPg, type TestDatabase, withAdmin } from '@tap/embedded-pg';
import { mockClient } from 'aws-sdk-client-mock';
import { Client } from 'pg';
import { ConfigurationError, createMigrateHandler, MIGRATIONS, MigrationError, runMigrations } from '../../src';
import { silentLogger } from '../helpers';

let db: TestDatabase;
const roles: string[] = [];

beforeAll(async () => {
  db = await createTestDatabase('pp_migrate');
});

afterAll(async () => {
  await db.drop();
  await withAdmin(async (c) => {
    for (const role of roles) await c.query(`DROP ROLE IF EXISTS ${role}`);
  });
});

const roleName = (suffix: string): string => {
  const name = `${db.name}_${suffix}`;
  roles.push(name);
  return name;
};

async function canLogin(role: string, password: string): Promise<string | undefined> {
  const info = embeddedPg();
  const client = new Client({ host: info.host, port: info.port, database: db.name, user: role, password });
  try {
    await client.connect();
    await client.end();
    return undefined;
  } catch (error) {
    return (error as { code?: string }).code;
  }
}

async function asRole<T>(role: string, password: string, fn: (c: Client) => Promise<T>): Promise<T> {
  const info = embeddedPg();
  const client = new Client({ host: info.host, port: info.port, database: db.name, user: role, password });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

const sqlState = (promise: Promise<unknown>): Promise<string | undefined> =>
  promise.then(
    () => undefined,
    (e: { code?: string }) => e.code,
  );

describe('runMigrations', () => {
  it('applies the schema once; a second run applies nothing and changes nothing', async () => {
    // Prepare
    const role = roleName('twice');
    // Act
    const first = await runMigrations(db.config, { appRole: { name: role, password: 'first-pw' } });
    const second = await runMigrations(db.config, { appRole: { name: role, password: 'first-pw' } });
    // Assess
    expect(first).toEqual({ applied: [1], version: 1, appRole: role, appRoleCreated: true });
    expect(second).toEqual({ applied: [], version: 1, appRole: role, appRoleCreated: false });
    const rows = await withAdmin((c) => c.query('SELECT version, name FROM schema_migrations ORDER BY version'), db.name);
    expect(rows.rows).toEqual([{ version: 1, name: 'create-payments' }]);
  });

  it('is safe to run concurrently: the advisory lock lets exactly one run apply each migration', async () => {
    // Prepare
    const fresh = await createTestDatabase('pp_migrate_conc');
    const role = roleName('conc');
    try {
      // Act
      const results = await Promise.all(
        Array.from({ length: 6 }, () => runMigrations(fresh.config, { appRole: { name: role, password: 'pw' } })),
      );
      // Assess
      expect(results.filter((r) => r.applied.length === 1)).toHaveLength(1);
      expect(results.filter((r) => r.applied.length === 0)).toHaveLength(5);
      expect(results.filter((r) => r.appRoleCreated)).toHaveLength(1);
      const count = await withAdmin((c) => c.query('SELECT count(*)::int AS n FROM schema_migrations'), fresh.name);
      expect(count.rows[0].n).toBe(1);
    } finally {
      await fresh.drop();
    }
  });

  it('never resets the password of an existing role (the rotation Lambda owns it after creation)', async () => {
    // Prepare
    const role = roleName('rotated');
    await runMigrations(db.config, { appRole: { name: role, password: 'initial-pw' } });
    await withAdmin((c) => c.query(`ALTER ROLE ${role} PASSWORD 'rotated-pw'`));
    // Act
    const result = await runMigrations(db.config, { appRole: { name: role, password: 'initial-pw' } });
    // Assess
    expect(result.appRoleCreated).toBe(false);
    expect(await canLogin(role, 'rotated-pw')).toBeUndefined();
    expect(await canLogin(role, 'initial-pw')).toBe('28P01');
  });

  it('gives the application role INSERT and SELECT on payments and nothing else', async () => {
    // Prepare
    const role = roleName('least');
    await runMigrations(db.config, { appRole: { name: role, password: 'least-pw' } });
    // Act
    const outcome = await asRole(role, 'least-pw', async (c) => {
      const inserted = await c.query(
        "INSERT INTO payments (merchant_id, idempotency_key, request_hash, amount, currency) VALUES ('m', 'k', repeat('0', 64), 1, 'EUR') RETURNING id",
      );
      return {
        selected: (await c.query('SELECT count(*)::int AS n FROM payments')).rows[0].n,
        inserted: inserted.rowCount,
        update: await sqlState(c.query('UPDATE payments SET amount = 2')),
        delete: await sqlState(c.query('DELETE FROM payments')),
        truncate: await sqlState(c.query('TRUNCATE payments')),
        ddl: await sqlState(c.query('CREATE TABLE intruder (x int)')),
        drop: await sqlState(c.query('DROP TABLE payments')),
        migrations: await sqlState(c.query('SELECT * FROM schema_migrations')),
      };
    });
    const attributes = await withAdmin((c) =>
      c.query('SELECT rolsuper, rolcreatedb, rolcreaterole, rolreplication, rolbypassrls, rolcanlogin FROM pg_roles WHERE rolname = $1', [role]),
    );
    // Assess
    expect(outcome).toEqual({
      selected: 1,
      inserted: 1,
      update: '42501',
      delete: '42501',
      truncate: '42501',
      ddl: '42501',
      drop: '42501',
      migrations: '42501',
    });
    expect(attributes.rows[0]).toEqual({
      rolsuper: false,
      rolcreatedb: false,
      rolcreaterole: false,
      rolreplication: false,
      rolbypassrls: false,
      rolcanlogin: true,
    });
  });

  it('refuses a migration whose SQL changed after it was applied', async () => {
    // Prepare
    const edited = [{ ...MIGRATIONS[0], sql: `${MIGRATIONS[0].sql}\n-- edited` }];
    // Act
    const error = await runMigrations(db.config, { migrations: edited, appRole: { name: roleName('edited') } }).catch((e: unknown) => e);
    // Assess
    expect(error).toBeInstanceOf(MigrationError);
    expect((error as Error).message).toMatch(/Migration 1 \(create-payments\) was changed/);
  });

  it('rolls a failing migration back completely and releases the lock for the next run', async () => {
    // Prepare
    const broken = [...MIGRATIONS, { version: 2, name: 'broken', sql: 'CREATE TABLE half_done (x int); SELECT * FROM missing_table;' }];
    // Act
    const error = await runMigrations(db.config, { migrations: broken, appRole: { name: roleName('broken') } }).catch((e: unknown) => e);
    const after = await runMigrations(db.config, { appRole: { name: roleName('after') } });
    // Assess
    expect(error).toBeInstanceOf(MigrationError);
    expect((error as Error).message).toMatch(/Migration 2 \(broken\) failed: .*missing_table/);
    const tables = await withAdmin((c) => c.query("SELECT to_regclass('half_done') AS t"), db.name);
    expect(tables.rows[0].t).toBeNull();
    expect(after.version).toBe(1);
  });

  it('rejects a role name that is not a plain identifier', async () => {
    // Act
    const error = await runMigrations(db.config, { appRole: { name: 'x"; DROP TABLE payments; --' } }).catch((e: unknown) => e);
    // Assess
    expect(error).toBeInstanceOf(MigrationError);
    expect((error as Error).message).toMatch(/Invalid application role name/);
  });
});

describe('createMigrateHandler (the migrate Lambda)', () => {
  const OWNER_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:rds!cluster-owner-AbCdEf';
  const APP_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:dev-db-credentials-001-AbCdEf';
  const secrets = mockClient(SecretsManagerClient);
  const saved = { ...process.env };

  beforeEach(() => {
    secrets.reset();
    process.env.AWS_REGION ??= 'eu-west-1';
    delete process.env.DB_HOST;
    delete process.env.DB_PORT;
    delete process.env.DB_NAME;
  });

  afterAll(() => {
    secrets.restore();
    process.env = saved;
  });

  /** The RDS-managed master user secret holds only the username and password. */
  const serveOwnerSecret = (): void => {
    const info = embeddedPg();
    secrets.on(GetSecretValueCommand, { SecretId: OWNER_ARN }).resolves({
      SecretString: JSON.stringify({ username: info.user, password: info.password }),
    });
  };

  it('takes the endpoint from DB_HOST/DB_PORT/DB_NAME when the owner secret has none, and the app role from the app secret', async () => {
    // Prepare
    const info = embeddedPg();
    const role = roleName('lambda');
    serveOwnerSecret();
    secrets.on(GetSecretValueCommand, { SecretId: APP_ARN }).resolves({
      SecretString: JSON.stringify({ engine: 'postgres', host: info.host, port: info.port, dbname: db.name, username: role, password: 'from-app-secret' }),
    });
    process.env.DB_HOST = info.host;
    process.env.DB_PORT = String(info.port);
    process.env.DB_NAME = db.name;
    const { handler } = createMigrateHandler({ secretArn: OWNER_ARN, appSecretArn: APP_ARN, ssl: 'disable', logger: silentLogger() });
    // Act
    const result = await handler();
    // Assess
    expect(result).toMatchObject({ appRole: role, appRoleCreated: true });
    expect(await canLogin(role, 'from-app-secret')).toBeUndefined();
    // The schema went into DB_NAME, not the default `postgres` database.
    const tables = await withAdmin((c) => c.query("SELECT to_regclass('payments') AS t"), db.name);
    expect(tables.rows[0].t).toBe('payments');
  });

  it('connects with verified TLS by default, so a database without TLS is refused before any SQL runs', async () => {
    // Prepare
    const info = embeddedPg();
    const role = roleName('tls');
    serveOwnerSecret();
    process.env.DB_HOST = info.host;
    process.env.DB_PORT = String(info.port);
    process.env.DB_NAME = db.name;
    const { handler } = createMigrateHandler({ secretArn: OWNER_ARN, appUsername: role, appPassword: 'never-used', logger: silentLogger() });
    // Act
    const error = await handler().catch((e: unknown) => e);
    // Assess
    expect((error as Error).message).toMatch(/does not support SSL connections/);
    const roles = await withAdmin((c) => c.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role]));
    expect(roles.rowCount).toBe(0);
  });

  it('fails with one clear line when neither the owner secret nor DB_HOST names a host', async () => {
    // Prepare
    serveOwnerSecret();
    const { handler } = createMigrateHandler({ secretArn: OWNER_ARN, appUsername: roleName('nohost'), logger: silentLogger() });
    // Act
    const error = await handler().catch((e: unknown) => e);
    // Assess
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as Error).message).toBe('The owner secret has no host: set DB_HOST to the cluster endpoint.');
  });

  it('rejects a DB_PORT that is not a number, naming the variable', async () => {
    // Prepare
    serveOwnerSecret();
    process.env.DB_HOST = embeddedPg().host;
    process.env.DB_PORT = '54x2';
    const { handler } = createMigrateHandler({ secretArn: OWNER_ARN, appUsername: roleName('badport'), logger: silentLogger() });
    // Act
    const error = await handler().catch((e: unknown) => e);
    // Assess
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as Error).message).toBe('DB_PORT must be a port number, got "54x2".');
  });
});
