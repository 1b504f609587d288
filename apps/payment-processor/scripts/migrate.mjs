#!/usr/bin/env node
// `npx nx run payment-processor:migrate`: applies the migrations of the BUILT bundle (the code the
// image runs) to DATABASE_URL. APP_DB_USERNAME / APP_DB_PASSWORD name the application role and the
// password it gets when this run creates it. Bad input answers with one line and a distinct code.
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const EXIT = { ok: 0, unexpected: 1, usage: 2, unreachable: 3, rejected: 4, migration: 5, notBuilt: 6 };

const workspaceRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const bundle = path.join(workspaceRoot, 'dist/apps/payment-processor/migrate.js');

function fail(code, message) {
  process.stderr.write(`payment-processor migrate: ${message}\n`);
  process.exit(code);
}

/** Returns an error line for a DATABASE_URL that cannot work, or undefined. Never echoes the password. */
export function checkDatabaseUrl(value) {
  if (!value) return 'DATABASE_URL is not set: export DATABASE_URL=postgres://owner:password@127.0.0.1:5432/payments';
  let url;
  try {
    url = new URL(value);
  } catch {
    return 'DATABASE_URL is not a URL: use postgres://owner:password@host:5432/database';
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    return `DATABASE_URL has scheme "${url.protocol.slice(0, -1)}": use postgres:// or postgresql://`;
  }
  if (!url.hostname) return 'DATABASE_URL has no host: use postgres://owner:password@host:5432/database';
  if (url.pathname.length <= 1) return 'DATABASE_URL names no database: add it as the path, e.g. .../payments';
  return undefined;
}

const target = (value) => {
  const url = new URL(value);
  return `${url.hostname}:${url.port || 5432}${url.pathname}`;
};

async function main() {
  const databaseUrl = process.env.DATABASE_URL;
  const problem = checkDatabaseUrl(databaseUrl);
  if (problem) fail(EXIT.usage, problem);
  const role = process.env.APP_DB_USERNAME;
  if (role !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(role)) {
    fail(EXIT.usage, `APP_DB_USERNAME "${role}" is not a plain role name: use lower-case letters, digits and _`);
  }
  let migrate;
  try {
    // Powertools JSON logs stay for warnings; this CLI prints its own summary line.
    process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';
    migrate = createRequire(import.meta.url)(bundle);
  } catch {
    fail(EXIT.notBuilt, `${path.relative(process.cwd(), bundle)} is missing: run npx nx run payment-processor:build first`);
  }
  try {
    const result = await migrate.handler();
    const applied = result.applied.length ? `applied ${result.applied.join(', ')}` : 'already up to date';
    const roleNote = result.appRoleCreated ? 'created' : 'exists, password unchanged';
    process.stdout.write(`payment-processor migrate: ${target(databaseUrl)} ${applied}; schema version ${result.version}; role ${result.appRole} (${roleNote})\n`);
  } catch (error) {
    const code = error?.code;
    const where = target(databaseUrl);
    if (['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ECONNRESET'].includes(code) || /timeout/i.test(error?.message ?? '')) {
      fail(EXIT.unreachable, `cannot reach PostgreSQL at ${where} (${code ?? 'timeout'}): start the database or fix DATABASE_URL`);
    }
    if (code === '28P01' || code === '28000') {
      fail(EXIT.rejected, `PostgreSQL at ${where} rejected the credentials (${code}): fix the user/password in DATABASE_URL`);
    }
    if (code === '3D000') fail(EXIT.rejected, `database ${new URL(databaseUrl).pathname.slice(1)} does not exist at ${where}: create it first`);
    if (code === '42501') fail(EXIT.rejected, `the DATABASE_URL user lacks privileges at ${where} (42501): use the database owner`);
    if (error?.name === 'MigrationError') fail(EXIT.migration, `${error.message.split('\n')[0]} (nothing of it was applied)`);
    fail(EXIT.unexpected, `unexpected failure: ${error?.message?.split('\n')[0] ?? String(error)}`);
  }
}

await main();
