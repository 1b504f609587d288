import { quietMetrics, silentLogger } from '@tap/aws-testing';
import { createTestDatabase, embeddedPg, type TestDatabase, withAdmin } from '@tap/embedded-pg';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { createPaymentHandler, type PaymentEnvironment, type PaymentHandlerOptions, runMigrations } from '../src';
import type { HttpEventV2 } from '../src/types';

/** A migrated database plus the URL of its least-privilege application role. */
export interface PaymentsDatabase {
  db: TestDatabase;
  role: string;
  appPassword: string;
  appUrl: string;
  appSecret: (password?: string) => string;
  count: (where?: string, values?: unknown[]) => Promise<number>;
  admin: <T>(fn: (client: Client) => Promise<T>) => Promise<T>;
  drop: () => Promise<void>;
}

export async function migratedDatabase(prefix: string): Promise<PaymentsDatabase> {
  const db = await createTestDatabase(prefix);
  // Roles are cluster-wide: one per test database keeps test files independent.
  const role = `app_${db.name}`;
  const appPassword = randomBytes(12).toString('hex');
  await runMigrations(db.config, { appRole: { name: role, password: appPassword } });
  const info = embeddedPg();
  const admin = async <T>(fn: (client: Client) => Promise<T>): Promise<T> => {
    const client = new Client(db.config);
    await client.connect();
    try {
      return await fn(client);
    } finally {
      await client.end();
    }
  };
  return {
    db,
    role,
    appPassword,
    appUrl: `postgres://${role}:${appPassword}@${info.host}:${info.port}/${db.name}`,
    appSecret: (password = appPassword) =>
      JSON.stringify({ host: info.host, port: info.port, dbname: db.name, username: role, password }),
    count: (where = 'true', values = []) =>
      admin(async (c) => Number((await c.query(`SELECT count(*) AS n FROM payments WHERE ${where}`, values)).rows[0].n)),
    admin,
    drop: async () => {
      await db.drop();
      await withAdmin((c) => c.query(`DROP ROLE IF EXISTS ${role}`));
    },
  };
}

export { quietMetrics, silentLogger };

export function environment(options: PaymentHandlerOptions): PaymentEnvironment {
  // The embedded PostgreSQL has no TLS: secret-based environments disable it unless a test says otherwise.
  return createPaymentHandler({ logger: silentLogger('payment-processor-test'), metrics: quietMetrics('payment-processor-test'), ssl: 'disable', ...options });
}

/** A POST /payments event; `key` null sends no Idempotency-Key header (undefined picks a random key). */
export function post(body: unknown, key: string | null = randomBytes(8).toString('hex'), extra: Partial<HttpEventV2> = {}): HttpEventV2 {
  return {
    version: '2.0',
    rawPath: '/payments',
    headers: { 'content-type': 'application/json', ...(key === null ? {} : { 'idempotency-key': key }) },
    body: typeof body === 'string' ? body : JSON.stringify(body),
    isBase64Encoded: false,
    requestContext: { requestId: 'r', http: { method: 'POST', path: '/payments' } },
    ...extra,
  };
}

export function get(path: string, method = 'GET'): HttpEventV2 {
  return { version: '2.0', rawPath: path, headers: {}, requestContext: { http: { method, path } } };
}

export const payment = (overrides: Record<string, unknown> = {}) => ({
  merchantId: 'merchant_1',
  amount: 1250,
  currency: 'EUR',
  ...overrides,
});
