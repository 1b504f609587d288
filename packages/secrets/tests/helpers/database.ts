import { Client, escapeIdentifier, escapeLiteral } from 'pg';
import { embeddedPg, withAdmin } from '@tap/embedded-pg';

/** Creates a login role with `password` (names and passwords may hold quotes and backslashes). */
export async function createRole(username: string, password: string): Promise<void> {
  await withAdmin((c) => c.query(`CREATE ROLE ${escapeIdentifier(username)} LOGIN PASSWORD ${escapeLiteral(password)}`));
}

export async function dropRole(username: string): Promise<void> {
  await withAdmin((c) => c.query(`DROP ROLE IF EXISTS ${escapeIdentifier(username)}`));
}

/** Sets a role's password behind the secret's back (an out-of-band change). */
export async function setRolePassword(username: string, password: string): Promise<void> {
  await withAdmin((c) => c.query(`ALTER ROLE ${escapeIdentifier(username)} PASSWORD ${escapeLiteral(password)}`));
}

/** Tries to log in; resolves 'ok' or the SQLSTATE / errno code of the refusal. */
export async function tryLogin(username: string, password: string, database: string): Promise<string> {
  const info = embeddedPg();
  const client = new Client({ host: info.host, port: info.port, user: username, password, database });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
    return 'ok';
  } catch (error) {
    return (error as { code?: string }).code ?? 'unknown';
  } finally {
    await client.end().catch(() => undefined);
  }
}
