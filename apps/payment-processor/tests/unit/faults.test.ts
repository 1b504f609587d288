import { startPostgres, stopPostgres } from '@tap/embedded-pg';
import type { Client } from 'pg';
import type { PaymentEnvironment } from '../../src';
import { Database } from '../../src/database';
import type { EnvironmentStats } from '../../src/types';
import { environment, migratedDatabase, payment, post, silentLogger, type PaymentsDatabase } from '../helpers';

let pdb: PaymentsDatabase;
let env: PaymentEnvironment;

beforeAll(async () => {
  pdb = await migratedDatabase('pp_faults');
});

beforeEach(() => {
  env = environment({ databaseUrl: pdb.appUrl, connectionTimeoutMillis: 1_000 });
});

afterEach(async () => {
  await env.close();
});

afterAll(async () => {
  await pdb.drop();
});

/** Terminates the handler's backends in this test database; returns how many were killed. */
const terminateHandlerBackends = (): Promise<number> =>
  pdb.admin(async (c) => {
    const res = await c.query(
      "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND application_name = 'payment-processor'",
      [pdb.db.name],
    );
    return res.rowCount ?? 0;
  });

/** Polls (up to 2 s) until a handler backend waits on a lock; returns how many do. */
async function lockWaiters(c: Client): Promise<number> {
  for (let i = 0; i < 200; i++) {
    const res = await c.query(
      "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND application_name = 'payment-processor' AND wait_event_type = 'Lock'",
      [pdb.db.name],
    );
    if (res.rows[0].n > 0) return res.rows[0].n;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return 0;
}

describe('faults', () => {
  it('recovers on the next invocation after its idle connection is killed between invocations', async () => {
    // Prepare
    expect((await env.handler(post(payment(), 'between-1'))).statusCode).toBe(201);
    expect(await terminateHandlerBackends()).toBe(1);
    // Act
    const res = await env.handler(post(payment(), 'between-2'));
    // Assess
    expect(res.statusCode).toBe(201);
    expect(env.stats().connections).toBe(2);
    expect(await pdb.count("idempotency_key LIKE 'between-%'")).toBe(2);
  });

  it('answers every one of 40 concurrent requests on one environment (the local server) when their shared connection is killed', async () => {
    // Prepare: a lock makes the first INSERT wait and the other 39 queue behind it on the same connection
    expect((await env.handler(post(payment(), 'shared-warm'))).statusCode).toBe(201);
    const keys = Array.from({ length: 40 }, (_, i) => `shared-${i}`);
    const outcome = await pdb.admin(async (c) => {
      await c.query('BEGIN');
      await c.query('LOCK TABLE payments IN ACCESS EXCLUSIVE MODE');
      const pending = keys.map((key) => env.handler(post(payment({ reference: key }), key)));
      const waiting = await lockWaiters(c);
      // Act: kill the shared connection; every request retries once on a new one, which waits for the lock too
      const killed = await terminateHandlerBackends();
      await new Promise((resolve) => setTimeout(resolve, 100));
      await c.query('COMMIT');
      return { waiting, killed, results: await Promise.all(pending) };
    });
    // Assess
    expect(outcome.waiting).toBe(1);
    expect(outcome.killed).toBe(1);
    expect(outcome.results.map((r) => r.statusCode)).toEqual(keys.map(() => 201));
    expect(await pdb.count("idempotency_key LIKE 'shared-%' AND idempotency_key <> 'shared-warm'")).toBe(40);
    expect(env.stats().connections).toBe(2);
  });

  it('recovers within the same invocation when its connection is killed while the INSERT waits', async () => {
    // Prepare: warm connection, then a lock that makes the next INSERT wait
    expect((await env.handler(post(payment(), 'during-warm'))).statusCode).toBe(201);
    const locker = await pdb.admin(async (c) => {
      await c.query('BEGIN');
      await c.query('LOCK TABLE payments IN ACCESS EXCLUSIVE MODE');
      // Act: the request blocks on the lock; kill its backend while it waits
      const pending = env.handler(post(payment({ reference: 'during' }), 'during-1'));
      const waiting = await lockWaiters(c);
      const killed = await c.query(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND application_name = 'payment-processor'",
        [pdb.db.name],
      );
      await c.query('COMMIT');
      return { waiting, killed: killed.rowCount, res: await pending };
    });
    // Assess
    expect(locker.waiting).toBe(1);
    expect(locker.killed).toBe(1);
    expect(locker.res.statusCode).toBe(201);
    expect(JSON.parse(locker.res.body).reference).toBe('during');
    expect(await pdb.count("idempotency_key = 'during-1'")).toBe(1);
  });

  it('answers 503 with Retry-After while the database is down, writes nothing, and recovers when it returns', async () => {
    // Prepare
    expect((await env.handler(post(payment(), 'outage-warm'))).statusCode).toBe(201);
    await stopPostgres('fast');
    let down;
    let get;
    try {
      // Act
      down = await env.handler(post(payment({ amount: 777 }), 'outage-1'));
      get = await env.handler({ rawPath: '/payments/00000000-0000-4000-8000-000000000000', requestContext: { http: { method: 'GET' } } });
    } finally {
      await startPostgres();
    }
    const up = await env.handler(post(payment({ amount: 777 }), 'outage-1'));
    // Assess
    expect(down.statusCode).toBe(503);
    expect(down.headers['retry-after']).toBe('1');
    expect(JSON.parse(down.body).error.code).toBe('service_unavailable');
    expect(get.statusCode).toBe(503);
    expect(up.statusCode).toBe(201);
    expect(await pdb.count("idempotency_key = 'outage-1'")).toBe(1);
  });

  it('answers 503 after close() instead of reconnecting', async () => {
    // Prepare
    await env.close();
    // Act
    const res = await env.handler(post(payment(), 'after-close'));
    // Assess
    expect(res.statusCode).toBe(503);
    expect(await pdb.count("idempotency_key = 'after-close'")).toBe(0);
  });

  it('answers 503 when the configured password is wrong and there is no secret to refetch', async () => {
    // Prepare
    const wrong = environment({ databaseUrl: pdb.appUrl.replace(pdb.appPassword, 'wrong-password') });
    // Act
    const res = await wrong.handler(post(payment(), 'wrong-pw'));
    await wrong.close();
    // Assess
    expect(res.statusCode).toBe(503);
    expect(wrong.stats().secretRefetches).toBe(0);
  });

  it('survives its backend being killed between two queries of one unit of work, and retries on a new connection', async () => {
    // Prepare: a Database whose work kills its own backend after the first query, then waits for
    // the FATAL message to arrive while the client is checked out (no query active, so pg emits
    // 'error' on the client: without a listener that is an uncaught exception that fails this test).
    const stats: EnvironmentStats = { secretRefetches: 0, connections: 0, lastConnectMillis: 0, invocations: 0 };
    const logger = silentLogger();
    const warn = jest.spyOn(logger, 'warn');
    const database = new Database({
      source: () => ({ kind: 'url', databaseUrl: pdb.appUrl }),
      logger,
      stats,
      onSecretRefetch: () => undefined,
      connectionTimeoutMillis: 1_000,
      statementTimeoutMillis: 5_000,
      applicationName: 'payment-processor',
    });
    const pids: number[] = [];
    let attempts = 0;
    // Act
    const result = await database.run(async (client) => {
      attempts += 1;
      const pid = Number((await client.query('SELECT pg_backend_pid() AS pid')).rows[0].pid);
      pids.push(pid);
      if (attempts === 1) {
        const failed = new Promise<void>((resolve) => client.once('error', () => resolve()));
        await pdb.admin((c) => c.query('SELECT pg_terminate_backend($1)', [pid]));
        await failed;
      }
      return (await client.query('SELECT 42 AS answer')).rows[0].answer as number;
    });
    await database.close();
    // Assess
    expect(result).toBe(42);
    expect(attempts).toBe(2);
    expect(new Set(pids).size).toBe(2);
    expect(stats.connections).toBe(2);
    expect(warn).toHaveBeenCalledWith('Database connection failed while in use', expect.objectContaining({ code: '57P01' }));
  });
});
