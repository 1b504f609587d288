// The local server's simulated execution environments (scripts/environments.cjs, plain JS so that
// scripts/serve.mjs runs without a build): Lambda never gives one environment two requests at once.

// A module, not a script: a script's top-level names would be globals in the type-check it shares with the sources.
export {};

interface FakeEnvironment {
  id: number;
  handler: (event: unknown) => Promise<unknown>;
  close: () => Promise<void>;
}
interface Pool {
  invoke: (event: unknown, context?: unknown) => Promise<unknown>;
  stats: () => { size: number; busy: number; waiting: number; max: number };
  close: () => Promise<void>;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const scripts = require('../../scripts/environments.cjs') as {
  createEnvironmentPool: (options: { create: () => FakeEnvironment; max: number }) => Pool;
  parseEnvironmentCount: (raw: string) => number | undefined;
};
const { createEnvironmentPool, parseEnvironmentCount } = scripts;

/** Environments whose invocations stay open until the test lets them finish; records overlap per environment. */
function fakeEnvironments() {
  const created: FakeEnvironment[] = [];
  const closed: number[] = [];
  const served: { event: unknown; environment: number }[] = [];
  const pending: (() => void)[] = [];
  let overlap = 0;
  const create = (): FakeEnvironment => {
    const id = created.length + 1;
    let active = 0;
    const environment = {
      id,
      handler: async (event: unknown) => {
        active++;
        if (active > 1) overlap++;
        served.push({ event, environment: id });
        await new Promise<void>((resolve) => pending.push(resolve));
        active--;
        return { statusCode: 200, environment: id, event };
      },
      close: async () => void closed.push(id),
    };
    created.push(environment);
    return environment;
  };
  const finishAll = async (): Promise<void> => {
    while (pending.length) pending.shift()?.();
    await new Promise((r) => setImmediate(r));
  };
  return { create, created, closed, served, pending, finishAll, overlap: () => overlap };
}

const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('createEnvironmentPool', () => {
  it('gives each concurrent invocation its own environment up to max, queues the rest in order and never overlaps two in one', async () => {
    // Prepare
    const fake = fakeEnvironments();
    const pool = createEnvironmentPool({ create: fake.create, max: 3 });
    // Act
    const results = Array.from({ length: 10 }, (_, i) => pool.invoke(i));
    await tick();
    const whileBusy = pool.stats();
    const firstServed = fake.served.map((s) => s.event);
    while (fake.pending.length || fake.served.length < 10) await fake.finishAll();
    const all = (await Promise.all(results)) as { environment: number; event: number }[];
    // Assess
    expect(whileBusy).toEqual({ size: 3, busy: 3, waiting: 7, max: 3 });
    expect(firstServed).toEqual([0, 1, 2]);
    expect(fake.served.map((s) => s.event)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(fake.created).toHaveLength(3);
    expect(fake.overlap()).toBe(0);
    expect(all.map((r) => r.event)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(pool.stats()).toEqual({ size: 3, busy: 0, waiting: 0, max: 3 });
  });

  it('creates environments only on demand and reuses a free (warm) one', async () => {
    // Prepare
    const fake = fakeEnvironments();
    const pool = createEnvironmentPool({ create: fake.create, max: 5 });
    // Act
    for (let i = 0; i < 4; i++) {
      const result = pool.invoke(i);
      await tick();
      await fake.finishAll();
      await result;
    }
    // Assess: sequential requests never need a second environment.
    expect(fake.created).toHaveLength(1);
    expect(new Set(fake.served.map((s) => s.environment))).toEqual(new Set([1]));
    expect(pool.stats()).toEqual({ size: 1, busy: 0, waiting: 0, max: 5 });
  });

  it('releases an environment whose handler throws, and passes the error on', async () => {
    // Prepare
    let calls = 0;
    const pool = createEnvironmentPool({
      max: 1,
      create: () => ({
        id: 1,
        handler: async () => {
          calls++;
          if (calls === 1) throw new Error('boom');
          return 'ok';
        },
        close: async () => undefined,
      }),
    });
    // Act
    const first = pool.invoke('a');
    const second = pool.invoke('b');
    // Assess
    await expect(first).rejects.toThrow('boom');
    await expect(second).resolves.toBe('ok');
    expect(pool.stats()).toEqual({ size: 1, busy: 0, waiting: 0, max: 1 });
  });

  it('rejects the invocation when an environment fails to initialise, counting no environment for it', async () => {
    // Prepare
    const fake = fakeEnvironments();
    let failNext = true;
    const pool = createEnvironmentPool({
      max: 1,
      create: () => {
        if (failNext) {
          failNext = false;
          throw new Error('init failed');
        }
        return fake.create();
      },
    });
    // Act
    const failed = pool.invoke('a');
    await expect(failed).rejects.toThrow('init failed');
    const retried = pool.invoke('b');
    await tick();
    await fake.finishAll();
    // Assess
    await expect(retried).resolves.toMatchObject({ environment: 1, event: 'b' });
    expect(pool.stats().size).toBe(1);
  });

  it('closes every environment it created and refuses invocations afterwards', async () => {
    // Prepare
    const fake = fakeEnvironments();
    const pool = createEnvironmentPool({ create: fake.create, max: 4 });
    const running = [pool.invoke(1), pool.invoke(2)];
    await tick();
    await fake.finishAll();
    await Promise.all(running);
    // Act
    await pool.close();
    // Assess
    expect(fake.closed.sort()).toEqual([1, 2]);
    await expect(pool.invoke(3)).rejects.toThrow(/closed/);
  });

  it.each([0, -1, 1.5, Number.NaN])('refuses max = %s', (max) => {
    // Act / Assess
    expect(() => createEnvironmentPool({ create: fakeEnvironments().create, max })).toThrow(RangeError);
  });
});

describe('parseEnvironmentCount', () => {
  it.each([
    ['1', 1],
    ['5', 5],
    ['1000', 1000],
    ['007', 7],
  ])('reads %s as %s', (raw, count) => {
    // Act / Assess
    expect(parseEnvironmentCount(raw)).toBe(count);
  });

  it.each(['', '0', '1001', '-1', '2x', ' 2', '1.5', '1e3', 'abc', '99999'])('refuses %j', (raw) => {
    // Act / Assess
    expect(parseEnvironmentCount(raw)).toBeUndefined();
  });
});
