import { randomBytes } from 'node:crypto';
import { quietMetrics, SecretsManagerStore, silentLogger } from '@tap/aws-testing';
import { createTestDatabase, embeddedPg, withAdmin, type TestDatabase } from '@tap/embedded-pg';
import { createPaymentHandler, runMigrations, type PaymentEnvironment } from '@tap/payment-processor';
import { createRotationHandler, ROTATION_STEPS, type RotationHandler } from '@tap/secrets/rotation';
import { Client, escapeIdentifier } from 'pg';
import { postPayment, waitFor } from './helpers';

/**
 * Rotation under load: the payment processor serves a continuous stream of payments from several execution
 * environments while the rotation function runs all four steps against the same database and secret. The
 * environments' connections are then dropped, as Lambda recycles them: each reconnects with its cached (now
 * rejected) password, gets 28P01, refetches the secret once and retries — no payment fails, none is duplicated.
 */

const ENVIRONMENTS = 4;

interface Outcome {
  key: string;
  status: number;
  id?: string;
  replayed: boolean;
}

let db: TestDatabase;
let role: string;
let initialPassword: string;
let store: SecretsManagerStore;

beforeAll(async () => {
  db = await createTestDatabase('rotload');
  role = `app_${db.name}`;
  initialPassword = randomBytes(12).toString('hex');
  await runMigrations(db.config, { appRole: { name: role, password: initialPassword } });
  const { host, port } = embeddedPg();
  store = new SecretsManagerStore({ engine: 'postgres', host, port, dbname: db.name, username: role, password: initialPassword });
});

afterAll(async () => {
  await db.drop();
  await withAdmin((c) => c.query(`DROP ROLE IF EXISTS ${escapeIdentifier(role)}`));
});

async function login(password: string): Promise<string> {
  const { host, port } = embeddedPg();
  const client = new Client({ host, port, user: role, password, database: db.name });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return 'ok';
  } catch (error) {
    return (error as { code?: string }).code ?? 'unknown';
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Sends payments until told to stop; every key goes out twice (a client retry), the second time must replay. */
function streamPayments(env: PaymentEnvironment, name: string, outcomes: Outcome[]): { stop: () => Promise<void> } {
  let running = true;
  const done = (async () => {
    for (let i = 0; running; i++) {
      const key = `${name}-${Math.floor(i / 2)}`;
      const amount = 100 + (Math.floor(i / 2) % 997);
      const result = await env.handler(postPayment(key, { merchantId: 'merchant_load', amount, currency: 'EUR', reference: key }));
      const body = JSON.parse(result.body) as { id?: string };
      outcomes.push({ key, status: result.statusCode, id: body.id, replayed: result.headers['idempotent-replayed'] === 'true' });
    }
  })();
  return {
    stop: async () => {
      running = false;
      await done;
    },
  };
}

describe('payments during a full credential rotation', () => {
  let outcomes: Outcome[];
  let environments: PaymentEnvironment[];
  let latecomer: PaymentEnvironment;
  let rotate: RotationHandler;
  let terminated: number;

  beforeAll(async () => {
    // Prepare: one Secrets Manager (mocked client, in-memory versions) shared by the payment environments and the
    // rotation function, as in AWS.
    const client = store.install();
    const environment = () =>
      createPaymentHandler({
        secretArn: store.arn,
        secretsClient: client,
        // The embedded PostgreSQL has no TLS; in AWS the default (verified TLS) applies.
        ssl: 'disable',
        logger: silentLogger('payment-processor-e2e'),
        metrics: quietMetrics('payment-processor-e2e'),
      });
    environments = Array.from({ length: ENVIRONMENTS }, environment);
    rotate = createRotationHandler({ client, ssl: 'disable', logger: silentLogger('db-rotation-e2e') });
    outcomes = [];
    const streams = environments.map((env, i) => streamPayments(env, `env${i}`, outcomes));
    const progress = (n: number) => {
      const target = outcomes.length + n;
      return waitFor(`${n} more payments`, () => outcomes.length >= target);
    };

    // Act: rotate while payments flow, a little traffic between every step.
    await progress(40);
    const token = store.startRotation();
    for (const step of ROTATION_STEPS) {
      await rotate({ SecretId: store.arn, ClientRequestToken: token, Step: step });
      await progress(20);
    }
    store.completeRotation();
    // Lambda recycles connections (idle timeouts, new execution environments): drop every session of the role.
    terminated = await withAdmin(async (c) => {
      const result = await c.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = $1', [role]);
      return result.rowCount ?? 0;
    });
    await progress(80);
    // A cold start after the rotation reads the new AWSCURRENT directly.
    latecomer = environment();
    const late = streamPayments(latecomer, 'late', outcomes);
    await progress(20);
    await Promise.all([...streams, late].map((s) => s.stop()));
  });

  afterAll(async () => {
    await Promise.all([...environments, latecomer].map((env) => env.close()));
  });

  it('fails no payment: every first request is 201, every retry a 200 replay of the same payment', () => {
    // Assess
    expect(outcomes.length).toBeGreaterThan(160);
    expect(outcomes.filter((o) => o.status !== 201 && o.status !== 200)).toEqual([]);
    const byKey = new Map<string, Outcome[]>();
    for (const o of outcomes) byKey.set(o.key, [...(byKey.get(o.key) ?? []), o]);
    for (const [, sent] of byKey) {
      expect(sent[0]).toMatchObject({ status: 201, replayed: false });
      for (const retry of sent.slice(1)) expect(retry).toMatchObject({ status: 200, replayed: true, id: sent[0].id });
    }
  });

  it('stores exactly one row per idempotency key', async () => {
    // Act
    const keys = new Set(outcomes.map((o) => o.key));
    const client = new Client(db.config);
    await client.connect();
    const rows = await client
      .query<{ idempotency_key: string }>('SELECT idempotency_key FROM payments')
      .then((r) => r.rows.map((row) => row.idempotency_key))
      .finally(() => client.end());
    // Assess
    expect(rows).toHaveLength(keys.size);
    expect(new Set(rows)).toEqual(keys);
  });

  it('recovers through exactly one secret refetch per dropped environment, none for the cold start', () => {
    // Assess
    expect(terminated).toBeGreaterThanOrEqual(ENVIRONMENTS);
    expect(environments.map((env) => env.stats().secretRefetches)).toEqual(Array(ENVIRONMENTS).fill(1));
    expect(latecomer.stats().secretRefetches).toBe(0);
  });

  it('leaves the new password current and the old one refused', async () => {
    // Act
    const current = store.valueAt('AWSCURRENT');
    const previous = store.valueAt('AWSPREVIOUS');
    // Assess
    expect(previous['password']).toBe(initialPassword);
    expect(current['password']).not.toBe(initialPassword);
    expect(await login(String(current['password']))).toBe('ok');
    expect(await login(initialPassword)).toBe('28P01');
    expect(store.versionWith('AWSPENDING')).toBeUndefined();
  });
});
