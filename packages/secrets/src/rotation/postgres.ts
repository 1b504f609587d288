import { Client, escapeIdentifier, escapeLiteral } from 'pg';
import type { ConnectionOptions } from 'node:tls';
import { ROTATION_DEFAULTS } from './constants';
import type { DatabaseCredentials } from './types';

/** How to reach the database, apart from the credentials. */
export interface ConnectSettings {
  ssl: false | ConnectionOptions;
  connectTimeoutMillis: number;
}

/** A login attempt: an open client, or why there is none (never the password). */
export type LoginResult = { ok: true; client: Client } | { ok: false; code?: string; reason: string };

/** Opens a connection with `credentials`; never throws. The caller ends the client. */
export async function login(credentials: DatabaseCredentials, settings: ConnectSettings): Promise<LoginResult> {
  const client = new Client({
    host: credentials.host,
    port: Number(credentials.port ?? ROTATION_DEFAULTS.port),
    database: credentials.dbname ?? ROTATION_DEFAULTS.dbname,
    user: credentials.username,
    password: credentials.password,
    ssl: settings.ssl,
    connectionTimeoutMillis: settings.connectTimeoutMillis,
  });
  // An idle client whose server goes away emits 'error'; unhandled, that would crash the function.
  client.on('error', () => undefined);
  try {
    await client.connect();
    return { ok: true, client };
  } catch (error) {
    await client.end().catch(() => undefined);
    const e = error as { code?: string; message?: string };
    return { ok: false, code: e.code, reason: e.message ?? String(error) };
  }
}

/** Logs in, runs `SELECT 1` and disconnects. */
export async function canLogin(credentials: DatabaseCredentials, settings: ConnectSettings): Promise<LoginResult & { ok: boolean }> {
  const result = await login(credentials, settings);
  if (!result.ok) return result;
  try {
    await result.client.query('SELECT 1');
    return result;
  } finally {
    await result.client.end().catch(() => undefined);
  }
}

/**
 * `ALTER USER <name> WITH PASSWORD <literal>`. PostgreSQL takes no bind parameters in ALTER ROLE … PASSWORD, so the
 * statement is built with pg's own escaping of identifiers and literals (quotes doubled, backslashes handled).
 */
export function alterPasswordStatement(username: string, password: string): string {
  return `ALTER USER ${escapeIdentifier(username)} WITH PASSWORD ${escapeLiteral(password)}`;
}
