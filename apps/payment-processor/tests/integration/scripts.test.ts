import { createTestDatabase, embeddedPg, type TestDatabase, withAdmin } from '@tap/embedded-pg';
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';

const scripts = path.resolve(__dirname, '../../scripts');

interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

function runScript(script: string, env: Record<string, string | undefined>): Promise<Outcome> {
  return new Promise((resolve) => {
    execFile(process.execPath, [path.join(scripts, script)], { env: { PATH: process.env.PATH, ...env } }, (error, stdout, stderr) =>
      resolve({ code: error ? ((error as { code?: number }).code ?? null) : 0, stdout, stderr }),
    );
  });
}

const freePort = (): Promise<number> =>
  new Promise((resolve) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });

/** One line on stderr, naming the problem, no stack trace. */
const expectOneClearLine = (outcome: Outcome, pattern: RegExp): void => {
  expect(outcome.stderr.trim().split('\n')).toHaveLength(1);
  expect(outcome.stderr).toMatch(pattern);
  expect(outcome.stderr).not.toMatch(/\n\s+at /);
};

describe('scripts/migrate.mjs', () => {
  let db: TestDatabase;
  const role = `pp_cli_app_${process.pid}`;

  beforeAll(async () => {
    db = await createTestDatabase('pp_cli');
  });

  afterAll(async () => {
    await db.drop();
    await withAdmin((c) => c.query(`DROP ROLE IF EXISTS ${role}`));
  });

  it('migrates DATABASE_URL, then reports "already up to date" on a second run', async () => {
    // Act
    const first = await runScript('migrate.mjs', { DATABASE_URL: db.url, APP_DB_USERNAME: role, APP_DB_PASSWORD: 'cli-pw' });
    const second = await runScript('migrate.mjs', { DATABASE_URL: db.url, APP_DB_USERNAME: role, APP_DB_PASSWORD: 'other-pw' });
    // Assess
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(new RegExp(`applied 1; schema version 1; role ${role} \\(created\\)`));
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/already up to date; schema version 1; role .* \(exists, password unchanged\)/);
    expect(first.stdout + second.stdout).not.toContain('cli-pw');
  });

  const info = () => embeddedPg();
  it.each([
    { name: 'missing DATABASE_URL', url: () => undefined, code: 2, message: /DATABASE_URL is not set/ },
    { name: 'not a URL', url: () => 'just words', code: 2, message: /DATABASE_URL is not a URL/ },
    { name: 'wrong scheme', url: () => 'mysql://u:p@127.0.0.1/db', code: 2, message: /scheme "mysql"/ },
    { name: 'no database', url: () => 'postgres://u:p@127.0.0.1:5432', code: 2, message: /names no database/ },
    { name: 'unreachable server', url: () => 'postgres://u:p@127.0.0.1:1/payments', code: 3, message: /cannot reach PostgreSQL at 127\.0\.0\.1:1\/payments \(ECONNREFUSED\)/ },
    { name: 'wrong password', url: () => `postgres://${info().user}:wrong-secret@${info().host}:${info().port}/postgres`, code: 4, message: /rejected the credentials \(28P01\)/ },
    { name: 'missing database', url: () => `postgres://${info().user}:${info().password}@${info().host}:${info().port}/no_such_db`, code: 4, message: /database no_such_db does not exist/ },
  ])('answers $name with one line and exit code $code', async ({ url, code, message }) => {
    // Act
    const outcome = await runScript('migrate.mjs', { DATABASE_URL: url() });
    // Assess
    expect(outcome.code).toBe(code);
    expectOneClearLine(outcome, message);
    expect(outcome.stderr).not.toContain('wrong-secret');
  });

  it('rejects an APP_DB_USERNAME that is not a plain role name (exit 2)', async () => {
    // Act
    const outcome = await runScript('migrate.mjs', { DATABASE_URL: db.url, APP_DB_USERNAME: 'Robert"; DROP' });
    // Assess
    expect(outcome.code).toBe(2);
    expectOneClearLine(outcome, /APP_DB_USERNAME .* is not a plain role name/);
  });
});

describe('scripts/serve.mjs', () => {
  let dataDir: string;

  beforeAll(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pp-serve-'));
    // The embedded server drops root privileges to `postgres`, which must be able to reach the folder.
    fs.chmodSync(dataDir, 0o777);
  });

  afterAll(() => {
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  function start(port: string, env: Record<string, string> = {}): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
    let output = '';
    const child = spawn(process.execPath, [path.join(scripts, 'serve.mjs')], {
      env: { PATH: process.env.PATH, PORT: port, PAYMENT_PROCESSOR_DATA_DIR: path.join(dataDir, 'pg'), ...env },
    });
    child.stdout?.on('data', (chunk) => (output += chunk));
    child.stderr?.on('data', (chunk) => (output += chunk));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    return { child, output: () => output, exited };
  }

  async function waitFor(output: () => string, pattern: RegExp, exited: Promise<unknown>): Promise<void> {
    let done = false;
    void exited.then(() => (done = true));
    for (let i = 0; i < 600 && !pattern.test(output()) && !done; i++) await new Promise((r) => setTimeout(r, 50));
    if (!pattern.test(output())) throw new Error(`serve did not print ${pattern}: ${output()}`);
  }

  it('serves POST and GET over HTTP on the embedded database; SIGINT stops HTTP and PostgreSQL cleanly', async () => {
    // Prepare
    const port = await freePort();
    const server = start(String(port));
    try {
      await waitFor(server.output, /listening on http:\/\/127\.0\.0\.1:\d+/, server.exited);
      const pgPort = Number(/PostgreSQL 15 on 127\.0\.0\.1:(\d+)/.exec(server.output())?.[1]);
      const base = `http://127.0.0.1:${port}`;
      const request = { merchantId: 'm_local', amount: 1999, currency: 'USD', reference: 'Straße 🇩🇪' };
      // Act
      const created = await fetch(`${base}/payments`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': 'serve-1' },
        body: JSON.stringify(request),
      });
      const createdBody = (await created.json()) as { id: string };
      const replay = await fetch(`${base}/payments`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'Idempotency-Key': 'serve-1' },
        body: JSON.stringify(request),
      });
      const fetched = await fetch(`${base}/payments/${createdBody.id}`);
      const wrongMethod = await fetch(`${base}/payments/${createdBody.id}`, { method: 'DELETE' });
      server.child.kill('SIGINT');
      const code = await server.exited;
      // Assess
      expect(created.status).toBe(201);
      expect(created.headers.get('location')).toBe(`/payments/${createdBody.id}`);
      expect(createdBody).toMatchObject({ merchantId: 'm_local', amount: 1999, reference: 'Straße 🇩🇪' });
      expect(replay.status).toBe(200);
      expect(replay.headers.get('idempotent-replayed')).toBe('true');
      expect(await replay.json()).toEqual(createdBody);
      expect(fetched.status).toBe(200);
      expect(await fetched.json()).toEqual(createdBody);
      expect(wrongMethod.status).toBe(405);
      expect(code).toBe(0);
      expect(server.output()).toMatch(/SIGINT: stopping HTTP and PostgreSQL\n[\s\S]*stopped/);
      expect(fs.existsSync(path.join(dataDir, 'pg', 'postmaster.pid'))).toBe(false);
      const refused = await new Client({ host: '127.0.0.1', port: pgPort, user: 'postgres', password: 'postgres' })
        .connect()
        .then(
          () => 'connected',
          (e: { code?: string }) => e.code,
        );
      expect(refused).toBe('ECONNREFUSED');
    } finally {
      if (server.child.exitCode === null) server.child.kill('SIGKILL');
    }
  });

  it('never runs two requests in one execution environment: 24 concurrent requests over at most 3 environments, each with its own connection', async () => {
    // Prepare: Lambda gives each concurrent request its own environment; one environment's one held
    // connection must never see two queries at once (pg warns "client already executing a query").
    const port = await freePort();
    const server = start(String(port), { PAYMENT_PROCESSOR_ENVIRONMENTS: '3' });
    try {
      await waitFor(server.output, /listening on http:\/\/127\.0\.0\.1:\d+/, server.exited);
      const pgPort = Number(/PostgreSQL 15 on 127\.0\.0\.1:(\d+)/.exec(server.output())?.[1]);
      const base = `http://127.0.0.1:${port}`;
      const post = (i: number): Promise<Response> =>
        fetch(`${base}/payments`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'idempotency-key': `concurrent-${i % 12}` },
          body: JSON.stringify({ merchantId: 'm_concurrent', amount: 100 + (i % 12), currency: 'EUR' }),
        });
      // Act
      const responses = await Promise.all(Array.from({ length: 24 }, (_, i) => post(i)));
      const statuses = responses.map((r) => r.status).sort();
      const bodies = (await Promise.all(responses.map((r) => r.json()))) as { id: string }[];
      const reads = await Promise.all(bodies.map((b) => fetch(`${base}/payments/${b.id}`).then((r) => r.status)));
      const admin = new Client({ host: '127.0.0.1', port: pgPort, user: 'postgres', password: 'postgres', database: 'payments' });
      await admin.connect();
      const held = await admin.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_stat_activity WHERE usename = 'payment_app'");
      const rows = await admin.query<{ n: number }>("SELECT count(*)::int AS n FROM payments WHERE merchant_id = 'm_concurrent'");
      await admin.end();
      server.child.kill('SIGINT');
      const code = await server.exited;
      // Assess
      const warnings = server.output().split('\n').filter((line) => /already executing a query|Warning:/.test(line));
      expect(warnings).toEqual([]);
      expect(statuses).toEqual([...Array(12).fill(200), ...Array(12).fill(201)]);
      expect(new Set(bodies.map((b) => b.id)).size).toBe(12);
      expect(reads.every((s) => s === 200)).toBe(true);
      expect(rows.rows[0].n).toBe(12);
      // One held connection per environment, never more environments than the bound.
      expect(held.rows[0].n).toBeGreaterThanOrEqual(2);
      expect(held.rows[0].n).toBeLessThanOrEqual(3);
      expect(server.output()).toMatch(/up to 3 execution environments/);
      expect(code).toBe(0);
    } finally {
      if (server.child.exitCode === null) server.child.kill('SIGKILL');
    }
  });

  it.each(['abc', '0', '-1', '2x', '1001'])('answers PAYMENT_PROCESSOR_ENVIRONMENTS=%s with one line and exit code 2, starting nothing', async (value) => {
    // Act
    const outcome = await runScript('serve.mjs', { PORT: '3000', PAYMENT_PROCESSOR_ENVIRONMENTS: value, PAYMENT_PROCESSOR_DATA_DIR: path.join(dataDir, 'never') });
    // Assess
    expect(outcome.code).toBe(2);
    expectOneClearLine(outcome, new RegExp(`PAYMENT_PROCESSOR_ENVIRONMENTS "${value}" is not a number of execution environments: use an integer from 1 to 1000`));
    expect(fs.existsSync(path.join(dataDir, 'never'))).toBe(false);
  });

  it.each(['abc', '0', '70000', '-1', '3000x'])('answers PORT=%s with one line and exit code 2, starting nothing', async (port) => {
    // Act
    const outcome = await runScript('serve.mjs', { PORT: port, PAYMENT_PROCESSOR_DATA_DIR: path.join(dataDir, 'never') });
    // Assess
    expect(outcome.code).toBe(2);
    expectOneClearLine(outcome, new RegExp(`PORT "${port}" is not a TCP port: use an integer from 1 to 65535`));
    expect(fs.existsSync(path.join(dataDir, 'never'))).toBe(false);
  });

  it('answers a port in use with one line and exit code 3, and leaves no PostgreSQL running', async () => {
    // Prepare
    const blocker = net.createServer();
    const port = await new Promise<number>((resolve) => blocker.listen(0, '127.0.0.1', () => resolve((blocker.address() as net.AddressInfo).port)));
    try {
      // Act
      const outcome = await runScript('serve.mjs', { PORT: String(port), PAYMENT_PROCESSOR_DATA_DIR: path.join(dataDir, 'pg') });
      // Assess
      expect(outcome.code).toBe(3);
      expectOneClearLine(outcome, new RegExp(`port ${port} on 127\\.0\\.0\\.1 is in use`));
      expect(fs.existsSync(path.join(dataDir, 'pg', 'postmaster.pid'))).toBe(false);
    } finally {
      blocker.close();
    }
  });
});
