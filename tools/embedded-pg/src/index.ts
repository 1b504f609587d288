import { randomBytes } from 'node:crypto';
import { Client, type ClientConfig } from 'pg';
import { startServer, stopServer } from './pg-ctl';
import type { EmbeddedPgInfo } from './types';

export type { EmbeddedPgInfo } from './types';

/**
 * The PostgreSQL that this project's Jest globalSetup started (one per test run).
 *
 * @example
 * // jest.config.ts
 * export default { globalSetup: '../../tools/embedded-pg/src/global-setup.mjs',
 *                  globalTeardown: '../../tools/embedded-pg/src/global-teardown.mjs' };
 * // in a test
 * const info = embeddedPg();
 */
export function embeddedPg(): EmbeddedPgInfo {
  const raw = process.env.TAP_EMBEDDED_PG;
  if (!raw) {
    throw new Error(
      'TAP_EMBEDDED_PG is not set: add tools/embedded-pg/src/global-setup.mjs as globalSetup in this project\'s jest.config.ts',
    );
  }
  return JSON.parse(raw) as EmbeddedPgInfo;
}

/** Connection settings for the server's superuser on `database`. */
export function adminConfig(database = 'postgres'): ClientConfig {
  const info = embeddedPg();
  return { host: info.host, port: info.port, user: info.user, password: info.password, database };
}

export interface TestDatabase {
  name: string;
  config: ClientConfig;
  url: string;
  drop(): Promise<void>;
}

/**
 * A fresh database on the shared server, so test files stay isolated without a server each.
 *
 * @example
 * const db = await createTestDatabase('payments');
 * process.env.DATABASE_URL = db.url;
 * afterAll(() => db.drop());
 */
export async function createTestDatabase(prefix = 'test'): Promise<TestDatabase> {
  const name = `${prefix.replace(/[^a-z0-9_]/gi, '_').toLowerCase()}_${randomBytes(4).toString('hex')}`;
  await withAdmin((client) => client.query(`CREATE DATABASE ${name}`));
  const config = adminConfig(name);
  const info = embeddedPg();
  return {
    name,
    config,
    url: `postgres://${encodeURIComponent(info.user)}:${encodeURIComponent(info.password)}@${info.host}:${info.port}/${name}`,
    drop: () => withAdmin((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
  };
}

/** Runs `fn` with a short-lived superuser connection. */
export async function withAdmin<T>(fn: (client: Client) => Promise<T>, database = 'postgres'): Promise<T> {
  const client = new Client(adminConfig(database));
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Stops the shared server (fault injection). `startPostgres` brings it back on the same port and data. */
export async function stopPostgres(mode: 'smart' | 'fast' | 'immediate' = 'fast'): Promise<void> {
  await stopServer(embeddedPg(), mode);
}

export async function startPostgres(): Promise<void> {
  await startServer(embeddedPg());
}
