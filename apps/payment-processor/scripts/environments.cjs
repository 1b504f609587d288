'use strict';
// Simulated Lambda execution environments for the local server. Lambda never sends a second request
// to an environment that is still busy: each concurrent request gets its own environment (a new one
// is initialised when none is free, up to the function's concurrency), and each environment holds its
// own database connection. A request here takes a free environment, else initialises a new one up to
// `max`, else waits in a FIFO queue. Lambda instead fails a synchronous request beyond the function's
// reserved concurrency with a throttling error (429 TooManyRequestsException); a local queue keeps
// curl and load scripts simple, and the README says so.

/**
 * @typedef {{ handler: (event: unknown, context?: unknown) => Promise<unknown>, close: () => Promise<void> }} SimulatedEnvironment
 * @typedef {{ size: number, busy: number, waiting: number, max: number }} PoolStats
 */

/**
 * A bounded pool of execution environments, created on demand by `create` (an environment's init).
 *
 * @param {{ create: () => SimulatedEnvironment, max: number }} options `create` builds one environment
 *   (a fresh module instance of the bundle); `max` is the most that ever exist at once (an integer ≥ 1).
 * @returns {{ invoke: (event: unknown, context?: unknown) => Promise<unknown>, stats: () => PoolStats, close: () => Promise<void> }}
 * @example
 * const pool = createEnvironmentPool({ create: () => loadFreshBundle(), max: 4 });
 * const result = await pool.invoke(event, { awsRequestId: randomUUID() });
 * await pool.close();
 */
function createEnvironmentPool({ create, max }) {
  if (!Number.isInteger(max) || max < 1) throw new RangeError(`max must be an integer ≥ 1, got ${max}`);
  /** @type {SimulatedEnvironment[]} */
  const all = [];
  /** @type {SimulatedEnvironment[]} */
  const free = [];
  /** @type {((environment: SimulatedEnvironment) => void)[]} */
  const waiting = [];
  let closed = false;

  /** @returns {Promise<SimulatedEnvironment>} */
  function acquire() {
    if (closed) return Promise.reject(new Error('the environment pool is closed'));
    // Most recently used first, as Lambda prefers warm environments.
    const warm = free.pop();
    if (warm) return Promise.resolve(warm);
    if (all.length < max) {
      try {
        const environment = create();
        all.push(environment);
        return Promise.resolve(environment);
      } catch (error) {
        return Promise.reject(error);
      }
    }
    return new Promise((resolve) => waiting.push(resolve));
  }

  /** @param {SimulatedEnvironment} environment */
  function release(environment) {
    const next = waiting.shift();
    if (next) next(environment);
    else free.push(environment);
  }

  return {
    async invoke(event, context) {
      const environment = await acquire();
      try {
        return await environment.handler(event, context);
      } finally {
        release(environment);
      }
    },
    stats: () => ({ size: all.length, busy: all.length - free.length, waiting: waiting.length, max }),
    async close() {
      closed = true;
      await Promise.all(all.map((environment) => environment.close().catch(() => undefined)));
    },
  };
}

/**
 * Parses the environment bound (e.g. `PAYMENT_PROCESSOR_ENVIRONMENTS`): an integer from 1 to 1000.
 *
 * @param {string} raw
 * @returns {number | undefined} the bound, or `undefined` when `raw` is not one
 * @example
 * parseEnvironmentCount('4'); // 4
 * parseEnvironmentCount('0'); // undefined
 */
function parseEnvironmentCount(raw) {
  if (!/^\d{1,4}$/.test(raw)) return undefined;
  const count = Number(raw);
  return count >= 1 && count <= 1000 ? count : undefined;
}

module.exports = { createEnvironmentPool, parseEnvironmentCount };
