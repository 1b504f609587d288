import { createTestDatabase, embeddedPg, type TestDatabase, withAdmin } from '@tap/embedded-pg';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import { builtinModules } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { payment, post } from '../helpers';

const run = promisify(execFile);
const dist = path.resolve(__dirname, '../../../../dist/apps/payment-processor');
let db: TestDatabase;
let taskRoot: string;

beforeAll(async () => {
  db = await createTestDatabase('pp_bundle');
  // Like ${LAMBDA_TASK_ROOT}: the bundle alone, far from any node_modules.
  taskRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'pp-task-root-'));
  for (const file of ['index.js', 'index.js.map', 'migrate.js', 'migrate.js.map']) {
    fs.copyFileSync(path.join(dist, file), path.join(taskRoot, file));
  }
});

afterAll(async () => {
  await db.drop();
  await withAdmin((c) => c.query(`DROP ROLE IF EXISTS ${db.name}_app`));
  fs.rmSync(taskRoot, { recursive: true, force: true });
});

/** Loads `file` in a fresh node process as the Lambda runtime would and invokes `handler(event)`. */
async function invoke(
  file: string,
  event: unknown,
  env: Record<string, string>,
): Promise<{ result: unknown; stdout: string; builtins: string[] }> {
  // BUILTINS: the Node modules the process loaded, to tell whether the AWS SDK was evaluated.
  const script = `require(${JSON.stringify(path.join(taskRoot, file))}).handler(${JSON.stringify(event)}, { awsRequestId: 'req-1' })
    .then((r) => { process.stdout.write('\\nRESULT ' + JSON.stringify(r) + '\\nBUILTINS ' + JSON.stringify(process.moduleLoadList) + '\\n'); process.exit(0); },
          (e) => { process.stdout.write('\\nFAILED ' + e.name + '\\n'); process.exit(1); });`;
  const { stdout } = await run(process.execPath, ['-e', script], {
    cwd: taskRoot,
    env: { PATH: process.env.PATH ?? '', NODE_OPTIONS: '--enable-source-maps', ...env },
  });
  const line = stdout.split('\n').find((l) => l.startsWith('RESULT '));
  const builtins = stdout.split('\n').find((l) => l.startsWith('BUILTINS '));
  return {
    result: line ? JSON.parse(line.slice(7)) : undefined,
    stdout,
    builtins: builtins ? (JSON.parse(builtins.slice(9)) as string[]).map((m) => m.replace(/^NativeModule /, '')) : [],
  };
}

describe('the built bundle, run as the Lambda image runs it', () => {
  it('has both entry points with source maps and nothing else to install', () => {
    // Assess
    expect(fs.readdirSync(dist).sort()).toEqual(['Dockerfile', 'index.js', 'index.js.map', 'migrate.js', 'migrate.js.map']);
    for (const file of ['index.js', 'migrate.js']) {
      const source = fs.readFileSync(path.join(dist, file), 'utf8');
      const external = [...source.matchAll(/require\("([^"]+)"\)/g)]
        .map((m) => m[1])
        .filter((name) => !builtinModules.includes(name.replace(/^node:/, '')));
      // Only optional requires guarded by try/catch in pg and the AWS SDK remain.
      expect(external.every((name) => name === 'pg-native' || name === '@aws-sdk/signature-v4-crt')).toBe(true);
    }
    expect(fs.readFileSync(path.join(dist, 'Dockerfile'), 'utf8')).toMatch(/^FROM public\.ecr\.aws\/lambda\/nodejs:(22|24)/m);
  });

  it('migrate.js then index.js: migrations apply, a POST answers 201 and logs JSON without the body', async () => {
    // Prepare
    const info = embeddedPg();
    const role = `${db.name}_app`;
    // Act
    const migrated = await invoke('migrate.js', {}, { DATABASE_URL: db.url, APP_DB_USERNAME: role, APP_DB_PASSWORD: 'bundle-pw' });
    const created = await invoke('index.js', post(payment({ reference: 'from-the-bundle' }), 'bundle-1'), {
      DATABASE_URL: `postgres://${role}:bundle-pw@${info.host}:${info.port}/${db.name}`,
    });
    // Assess
    expect(migrated.result).toEqual({ applied: [1], version: 1, appRole: role, appRoleCreated: true });
    const res = created.result as { statusCode: number; body: string };
    expect(res.statusCode).toBe(201);
    expect(JSON.parse(res.body)).toMatchObject({ merchantId: 'merchant_1', reference: 'from-the-bundle', status: 'accepted' });
    const logLine = created.stdout.split('\n').find((l) => l.includes('"request completed"'));
    expect(JSON.parse(logLine ?? '{}')).toMatchObject({ level: 'INFO', service: 'payment-processor', statusCode: 201, requestId: 'req-1' });
    // The AWS SDK (its HTTP handler loads https and http2) is only evaluated when DB_SECRET_ARN is set.
    expect(created.builtins).toContain('net');
    expect(created.builtins).not.toContain('https');
    expect(created.builtins).not.toContain('http2');
    const logs = created.stdout.split('\n').filter((l) => !l.startsWith('RESULT ') && !l.startsWith('BUILTINS '));
    expect(logs.join('\n')).not.toContain('from-the-bundle');
    expect(logs.join('\n')).not.toContain('bundle-pw');
    const rows = await withAdmin((c) => c.query("SELECT reference FROM payments WHERE idempotency_key = 'bundle-1'"), db.name);
    expect(rows.rows).toEqual([{ reference: 'from-the-bundle' }]);
  });

  it('keeps one connection across invocations, and an idle environment lets the process end by itself', async () => {
    // Prepare: no process.exit and no close(): a socket left referenced would keep node alive until the timeout
    const info = embeddedPg();
    const role = `${db.name}_app`;
    await invoke('migrate.js', {}, { DATABASE_URL: db.url, APP_DB_USERNAME: role, APP_DB_PASSWORD: 'bundle-pw' });
    const events = ['held-1', 'held-2', 'held-3'].map((key) => post(payment({ reference: key }), key));
    const script = `const m = require(${JSON.stringify(path.join(taskRoot, 'index.js'))});
      (async () => {
        const codes = [];
        for (const event of ${JSON.stringify(events)}) codes.push((await m.handler(event)).statusCode);
        process.stdout.write('\\nCODES ' + JSON.stringify(codes) + '\\nSTATS ' + JSON.stringify(m.environment.stats()) + '\\n');
      })();`;
    // Act
    const { stdout } = await run(process.execPath, ['-e', script], {
      cwd: taskRoot,
      timeout: 20_000,
      env: { PATH: process.env.PATH ?? '', DATABASE_URL: `postgres://${role}:bundle-pw@${info.host}:${info.port}/${db.name}` },
    });
    // Assess
    const field = (name: string): unknown => JSON.parse(stdout.split('\n').find((l) => l.startsWith(`${name} `))?.slice(name.length + 1) ?? 'null');
    expect(field('CODES')).toEqual([201, 201, 201]);
    expect(field('STATS')).toMatchObject({ connections: 1, invocations: 3 });
  });

  it('loads the AWS SDK on the first invocation when DB_SECRET_ARN is set: Secrets Manager down → 503, not a crash', async () => {
    // Act: a closed port as the Secrets Manager endpoint, static credentials, no retries
    const { result, builtins } = await invoke('index.js', post(payment()), {
      DB_SECRET_ARN: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:app',
      AWS_REGION: 'eu-west-1',
      AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'not-a-secret',
      AWS_ENDPOINT_URL_SECRETS_MANAGER: 'http://127.0.0.1:1',
      AWS_MAX_ATTEMPTS: '1',
    });
    // Assess
    expect(result).toMatchObject({ statusCode: 503, headers: { 'retry-after': '1' } });
    expect(builtins).toContain('https');
  });

  it('answers 503 (not a crash) when the bundle cannot reach the database', async () => {
    // Act
    const { result } = await invoke('index.js', post(payment()), { DATABASE_URL: 'postgres://nobody:x@127.0.0.1:1/none' });
    // Assess
    expect(result).toMatchObject({ statusCode: 503, headers: { 'retry-after': '1' } });
  });
});
