import type { PaymentEnvironment } from '../../src';
import { environment, migratedDatabase, payment, post, type PaymentsDatabase } from '../helpers';

let pdb: PaymentsDatabase;
let envs: PaymentEnvironment[] = [];

beforeAll(async () => {
  pdb = await migratedDatabase('pp_conc');
});

afterEach(async () => {
  await Promise.all(envs.map((e) => e.close()));
  envs = [];
});

afterAll(async () => {
  await pdb.drop();
});

/** Simulated execution environments: each has its own single connection, like separate Lambdas. */
const environments = (n: number): PaymentEnvironment[] => {
  envs = Array.from({ length: n }, () => environment({ databaseUrl: pdb.appUrl }));
  return envs;
};

describe('exactly-once under concurrency', () => {
  it('50 concurrent requests with one key: one row, one 201, 49 identical 200 replays', async () => {
    // Prepare
    const pool = environments(50);
    const body = payment({ merchantId: 'm_race', amount: 4242, reference: 'race' });
    // Act
    const results = await Promise.all(pool.map((env) => env.handler(post(body, 'race-key'))));
    // Assess
    const statuses = results.map((r) => r.statusCode).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 200)).toHaveLength(49);
    expect(new Set(results.map((r) => r.body)).size).toBe(1);
    expect(results.filter((r) => r.headers['idempotent-replayed'] === 'true')).toHaveLength(49);
    expect(await pdb.count("merchant_id = 'm_race'")).toBe(1);
  });

  it('50 concurrent requests with one key but two bodies: one row, the losers of the other body get 422', async () => {
    // Prepare
    const pool = environments(50);
    // Act
    const results = await Promise.all(
      pool.map((env, i) => env.handler(post(payment({ merchantId: 'm_split', amount: i % 2 === 0 ? 100 : 200 }), 'split-key'))),
    );
    // Assess
    const created = results.filter((r) => r.statusCode === 201);
    expect(created).toHaveLength(1);
    const winnerAmount = JSON.parse(created[0].body).amount;
    const sameBody = results.filter((_, i) => (i % 2 === 0 ? 100 : 200) === winnerAmount);
    const otherBody = results.filter((_, i) => (i % 2 === 0 ? 100 : 200) !== winnerAmount);
    expect(sameBody.filter((r) => r.statusCode === 200)).toHaveLength(24);
    expect(otherBody.map((r) => r.statusCode)).toEqual(Array(25).fill(422));
    expect(await pdb.count("merchant_id = 'm_split'")).toBe(1);
  });

  it('3000 mixed requests with duplicates over 8 environments: rows = distinct keys, every answer consistent', async () => {
    // Prepare: 1200 distinct (merchant, key) pairs, each sent 2-3 times in a shuffled order
    const pool = environments(8);
    const distinct = 1200;
    const requests: Array<{ merchantId: string; key: string; amount: number }> = [];
    for (let i = 0; requests.length < 3000; i = (i + 1) % distinct) {
      requests.push({ merchantId: `m_mix_${i % 7}`, key: `mix-${i}`, amount: 1000 + i });
    }
    let seed = 42;
    const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
    for (let i = requests.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [requests[i], requests[j]] = [requests[j], requests[i]];
    }
    const queues = pool.map((_, w) => requests.filter((_, i) => i % pool.length === w));
    // Act
    const answers = await Promise.all(
      pool.map(async (env, w) => {
        const out: Array<{ id: string; key: string; status: number }> = [];
        for (const r of queues[w]) {
          const res = await env.handler(post(payment({ merchantId: r.merchantId, amount: r.amount }), r.key));
          out.push({ id: JSON.parse(res.body).id, key: `${r.merchantId}/${r.key}`, status: res.statusCode });
        }
        return out;
      }),
    );
    // Assess
    const flat = answers.flat();
    expect(flat.every((a) => a.status === 201 || a.status === 200)).toBe(true);
    expect(flat.filter((a) => a.status === 201)).toHaveLength(distinct);
    const idsByKey = new Map<string, Set<string>>();
    for (const a of flat) idsByKey.set(a.key, (idsByKey.get(a.key) ?? new Set()).add(a.id));
    expect(idsByKey.size).toBe(distinct);
    expect([...idsByKey.values()].every((ids) => ids.size === 1)).toBe(true);
    expect(await pdb.count("merchant_id LIKE 'm\\_mix\\_%'")).toBe(distinct);
    const stored = await pdb.admin((c) =>
      c.query<{ n: number }>("SELECT count(*)::int AS n FROM payments WHERE merchant_id LIKE 'm\\_mix\\_%' AND amount = 1000 + substr(idempotency_key, 5)::int"),
    );
    expect(stored.rows[0].n).toBe(distinct);
  });
});
