import { FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { InvokeCommand } from '@aws-sdk/client-lambda';
import { DescribeSecretCommand, GetSecretValueCommand, RotateSecretCommand } from '@aws-sdk/client-secrets-manager';
import { STACK_PHYSICAL_NAMES } from '@tap/components';
import { AWS_NAME_LIMITS, maxEnvironmentSuffixLength, nameLimitBreach, type EnvironmentName } from '@tap/validation';
import { spawn, spawnSync } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { copyFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, delimiter, join, relative } from 'node:path';
import { stringify, parse } from 'yaml';
import { environmentOfStack } from '../../src/config';
import type { PreflightReport } from '../../src/preflight';
import { paymentRequests, runSmoke, smokeStackName, smokeSuffix, type SmokeOptions, type SmokeReport } from '../../src/smoke';
import { awsMocks } from '../preflightHelper';
import { APP, ROOT, tempDir } from '../synthHelper';

const aws = awsMocks();
const FAKE_BIN = join(APP, 'tests', 'fixtures', 'smoke');
const SUFFIX = 'smktest01';
const STACK = `dev-smoke-${SUFFIX}`;
const PASSWORD = 'Xq7-very-secret-pw-0042';
const ready: PreflightReport = { environment: 'dev', stack: STACK, region: 'us-east-2', checks: [{ id: 'credentials', title: 'AWS credentials resolve', status: 'pass', detail: 'ok' }], exitCode: 0 };

/** The stack outputs a real `pulumi up` of the copy would give: the offline synth of the same config. */
function copyOutputs(): Record<string, unknown> {
  const dir = tempDir('smoke-outputs');
  const values = parse(readFileSync(join(APP, 'Pulumi.dev.yaml'), 'utf8')) as { config: Record<string, string> };
  values.config['TapStack:environmentSuffix'] = SUFFIX;
  writeFileSync(join(dir, 'copy.yaml'), stringify(values));
  const synth = spawnSync(process.execPath, [join(ROOT, 'dist', 'apps', 'tap-stack', 'tap-synth.js'), '--environment', 'dev', '--config', join(dir, 'copy.yaml'), '--out', join(dir, 'synth')], { cwd: ROOT, encoding: 'utf8' });
  if (synth.status !== 0) throw new Error(synth.stderr);
  return JSON.parse(readFileSync(join(dir, 'synth', 'dev', 'outputs.json'), 'utf8'));
}
let OUTPUTS: Record<string, unknown>;
beforeAll(() => {
  OUTPUTS = copyOutputs();
});

/** A payment function behind Lambda Invoke that keeps payments in memory and answers as the handler does. */
function fakePaymentFunction(misbehave: { replayStatus?: number; logSecret?: boolean; silent?: boolean } = {}) {
  const payments = new Map<string, { body: string; payment: Record<string, unknown> }>();
  const byId = new Map<string, Record<string, unknown>>();
  const lines: string[] = [];
  let n = 0;
  aws.lambda.on(InvokeCommand).callsFake((input: { Payload: Uint8Array }) => {
    n += 1;
    const requestId = `lambda-request-${n}`;
    const event = JSON.parse(new TextDecoder().decode(input.Payload));
    const answer = (statusCode: number, body: unknown) => {
      // The platform's own records (JSON log format) name the request too; only the handler's line proves it ran.
      lines.push(JSON.stringify({ time: '2026-11-29T19:20:55.000Z', type: 'platform.start', record: { requestId, version: '$LATEST' } }));
      if (!misbehave.silent) lines.push(JSON.stringify({ level: 'INFO', requestId, statusCode, ...(misbehave.logSecret ? { password: PASSWORD } : {}) }));
      return { StatusCode: 200, Payload: new TextEncoder().encode(JSON.stringify({ statusCode, headers: {}, body: JSON.stringify(body) })), $metadata: { requestId } };
    };
    if (event.requestContext.http.method === 'GET') {
      const payment = byId.get(event.rawPath.split('/').pop());
      return payment ? answer(200, payment) : answer(404, {});
    }
    let body: unknown;
    try {
      body = JSON.parse(event.body);
    } catch {
      return answer(400, { error: { code: 'invalid_json' } });
    }
    const key = event.headers['idempotency-key'];
    const canonical = JSON.stringify(body);
    const known = payments.get(key);
    if (known) return known.body === canonical ? answer(misbehave.replayStatus ?? 200, known.payment) : answer(422, {});
    const payment = { id: `00000000-0000-4000-8000-00000000000${n}`, ...(body as object), status: 'accepted' };
    payments.set(key, { body: canonical, payment });
    byId.set(payment.id, payment);
    return answer(201, payment);
  });
  aws.logs.on(FilterLogEventsCommand).callsFake(() => ({ events: lines.map((message) => ({ message })) }));
  aws.secrets.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify({ username: 'tap_app', password: PASSWORD, host: 'h' }) });
  aws.secrets.on(RotateSecretCommand).resolves({ VersionId: 'v-rotated' });
  aws.secrets
    .on(DescribeSecretCommand)
    .resolvesOnce({ VersionIdsToStages: { 'v-rotated': ['AWSPENDING'] } })
    .resolves({ VersionIdsToStages: { 'v-rotated': ['AWSCURRENT'], 'v-old': ['AWSPREVIOUS'] } });
}

interface Scenario {
  dir: string;
  app: string;
  /** The command printed to finish a teardown by hand. */
  byHand: string;
  calls: () => string[][];
  options: (extra?: Partial<SmokeOptions>) => SmokeOptions;
  lines: string[];
}

/** A copy of the Pulumi project folder: the temporary stack's config file is written there, never into the checkout. */
function projectCopy(): string {
  const app = tempDir('smoke-app');
  // Each file named whole, so tools/nx-plugin's input check sees exactly these reads, not all of apps/tap-stack.
  for (const file of [join(APP, 'Pulumi.yaml'), join(APP, 'Pulumi.dev.yaml'), join(APP, 'drift-ignore.json')]) copyFileSync(file, join(app, basename(file)));
  return app;
}

function scenario(env: Record<string, string> = {}): Scenario {
  const dir = tempDir('smoke-scenario');
  const app = projectCopy();
  writeFileSync(join(dir, 'outputs.json'), JSON.stringify(OUTPUTS));
  const lines: string[] = [];
  return {
    dir,
    app,
    byHand: `cd ${relative(process.cwd(), app)} && pulumi destroy --yes --skip-preview --stack ${STACK} && pulumi stack rm --yes --stack ${STACK}`,
    lines,
    calls: () =>
      existsSync(join(dir, 'calls.jsonl'))
        ? readFileSync(join(dir, 'calls.jsonl'), 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as { argv: string[] }).argv)
        : [],
    options: (extra = {}) => ({
      environment: 'dev',
      root: ROOT,
      app,
      suffix: SUFFIX,
      env: { PATH: [FAKE_BIN, process.env['PATH']].join(delimiter), FAKE_SMOKE_DIR: dir, ...env },
      preflight: async () => ready,
      sleep: async () => undefined,
      log: (line) => lines.push(line),
      tee: () => undefined,
      out: join(dir, 'report', 'dev.json'),
      ...extra,
    }),
  };
}

/** Resolves once `ready()` holds (polled): tests wait on files and output, never on a duration. */
const until = (ready: () => boolean) =>
  new Promise<void>((resolve) => {
    const poll = setInterval(() => {
      if (!ready()) return;
      clearInterval(poll);
      resolve();
    }, 20);
  });

const verbs = (calls: string[][]) => calls.map((argv) => (argv[0] === 'stack' ? argv.slice(0, 2).join(' ') : argv[0]));
const statuses = (report: SmokeReport) => Object.fromEntries(report.steps.map((s) => [s.name, s.status]));

beforeEach(() => aws.reset());
afterAll(() => aws.reset());

describe('the smoke copy: suffix and stack name', () => {
  it.each([
    ['dev', 1],
    ['staging', 1],
    ['prod', 2],
  ] as const)('a generated %s suffix fits every physical name of the stack', (env: EnvironmentName, count: number) => {
    // Act: many draws, including the bytes that map to the last letters
    const suffixes = [smokeSuffix(env, count), smokeSuffix(env, count, (n) => Buffer.alloc(n, 255)), smokeSuffix(env, count, (n) => Buffer.alloc(n, 0))];
    // Assess
    for (const suffix of suffixes) {
      expect(suffix).toMatch(/^smk[a-z0-9]{6}$/);
      expect(nameLimitBreach(STACK_PHYSICAL_NAMES, env, suffix, count)).toBeUndefined();
      for (const entry of STACK_PHYSICAL_NAMES) expect(entry.name(env, suffix, count).length).toBeLessThanOrEqual(AWS_NAME_LIMITS[entry.type].max);
      expect(suffix.length).toBeLessThanOrEqual(maxEnvironmentSuffixLength(STACK_PHYSICAL_NAMES, env, count));
    }
    expect(new Set(Array.from({ length: 20 }, () => smokeSuffix(env, count))).size).toBeGreaterThan(1);
  });

  it('names the temporary stack so the program reads it as the environment', () => {
    // Act
    const stack = smokeStackName('prod', 'smkabc123');
    // Assess
    expect(stack).toBe('prod-smoke-smkabc123');
    expect(environmentOfStack(stack)).toBe('prod');
  });

  it('builds the request sequence with one Idempotency-Key for create, replay and conflict', () => {
    // Act
    const [create, replay, conflict, malformed] = paymentRequests('r1', new Date(Date.UTC(2026, 10, 29, 19, 20, 55)));
    // Assess
    expect([create, replay, conflict, malformed].map((r) => r.expectedStatus)).toEqual([201, 200, 422, 400]);
    expect(create.event.headers['idempotency-key']).toBe(replay.event.headers['idempotency-key']);
    expect(conflict.event.headers['idempotency-key']).toBe(create.event.headers['idempotency-key']);
    expect(conflict.event.body).not.toBe(create.event.body);
    expect(replay.event.body).toBe(create.event.body);
    expect(() => JSON.parse(malformed.event.body as string)).toThrow();
    expect(create.event).toMatchObject({ version: '2.0', rawPath: '/payments', isBase64Encoded: false, requestContext: { http: { method: 'POST', path: '/payments' }, time: '29/Nov/2026:19:20:55 +0000' } });
  });
});

describe('runSmoke with a stand-in pulumi on PATH and mocked AWS', () => {
  it('a full run passes: up, outputs vs synth, payments, logs, rotation, drift, then destroy and stack rm', async () => {
    // Prepare
    const s = scenario();
    fakePaymentFunction();
    // Act
    const report = await runSmoke(s.options({ rotate: true }));
    // Assess
    expect(statuses(report)).toEqual({ preflight: 'passed', up: 'passed', outputs: 'passed', invoke: 'passed', logs: 'passed', rotate: 'passed', drift: 'passed', destroy: 'passed', 'stack rm': 'passed' });
    expect(report).toMatchObject({ exitCode: 0, outcome: 'passed', stack: STACK, suffix: SUFFIX, resourceCount: 49, tornDown: true });
    expect(verbs(s.calls())).toEqual(['stack init', 'up', 'stack export', 'stack output', 'refresh', 'stack output', 'destroy', 'stack rm']);
    expect(s.calls().every((argv) => argv.includes(STACK))).toBe(true);
    // The config of the copy: the environment's, with the generated suffix, removed with the stack.
    expect(existsSync(join(s.app, `Pulumi.${STACK}.yaml`))).toBe(false);
    // Six invocations (five requests + one after the rotation), each a payload 2.0 event to the stack's function.
    const invokes = aws.lambda.commandCalls(InvokeCommand).map((c) => c.args[0].input);
    expect(invokes).toHaveLength(6);
    expect(invokes.every((i) => i.FunctionName === OUTPUTS['lambdaFunctionArn'])).toBe(true);
    expect(aws.logs.commandCalls(FilterLogEventsCommand)[0].args[0].input.logGroupName).toBe(`/aws/lambda/payment-processor-${SUFFIX}`);
    expect(aws.secrets.commandCalls(DescribeSecretCommand)).toHaveLength(2);
    // Each step printed its name, duration and result; the report file says the same.
    expect(s.lines).toEqual(expect.arrayContaining([expect.stringMatching(/^✓ up \(\d+\.\ds\): 49 resources$/), expect.stringMatching(/^✓ outputs \(.*\): 7 outputs; configManifest equals the offline synth/)]));
    const file = JSON.parse(readFileSync(join(s.dir, 'report', 'dev.json'), 'utf8'));
    expect(file).toMatchObject({ outcome: 'passed', exitCode: 0, resourceCount: 49 });
    expect(file.steps.map((x: { name: string }) => x.name)).toEqual(['preflight', 'up', 'outputs', 'invoke', 'logs', 'rotate', 'drift', 'destroy', 'stack rm']);
  }, 60_000);

  it('an invoke check that fails still destroys and removes the stack: exit 1', async () => {
    // Prepare: the function answers a replay with 201 (a second payment) instead of 200
    const s = scenario();
    fakePaymentFunction({ replayStatus: 201 });
    // Act
    const report = await runSmoke(s.options());
    // Assess
    expect(report.exitCode).toBe(1);
    expect(report.steps.find((x) => x.name === 'invoke')).toMatchObject({ status: 'failed', detail: expect.stringMatching(/^replay: expected 200, got 201/) });
    expect(statuses(report)).toMatchObject({ logs: 'skipped', drift: 'skipped', destroy: 'passed', 'stack rm': 'passed' });
    expect(verbs(s.calls()).slice(-2)).toEqual(['destroy', 'stack rm']);
  }, 60_000);

  it('a log line holding the secret fails the logs step', async () => {
    // Prepare
    const s = scenario();
    fakePaymentFunction({ logSecret: true });
    // Act
    const report = await runSmoke(s.options());
    // Assess
    expect(report.exitCode).toBe(1);
    expect(report.steps.find((x) => x.name === 'logs')?.detail).toMatch(/holds the secret's value in 5 line\(s\)/);
    expect(report.tornDown).toBe(true);
  }, 60_000);

  it('a log group with only the platform\'s lines fails the logs step after polling', async () => {
    // Prepare: the function answers but its own request lines never arrive
    const s = scenario();
    fakePaymentFunction({ silent: true });
    // Act
    const report = await runSmoke(s.options({ waits: { logs: { attempts: 3, delayMs: 0 }, rotation: { attempts: 1, delayMs: 0 } } }));
    // Assess
    expect(report.exitCode).toBe(1);
    expect(report.steps.find((x) => x.name === 'logs')?.detail).toMatch(/^\/aws\/lambda\/payment-processor-smktest01: no request line for 5 of 5 invocations/);
    expect(aws.logs.commandCalls(FilterLogEventsCommand)).toHaveLength(3);
    expect(report.tornDown).toBe(true);
  }, 60_000);

  it('SIGINT during up: Pulumi is cancelled, then the stack is still destroyed and removed', async () => {
    // Prepare
    const s = scenario({ FAKE_UP_WAIT: '1' });
    const interrupts = new EventEmitter();
    const started = new Promise<void>((resolve) => {
      const poll = setInterval(() => {
        if (existsSync(join(s.dir, 'up-started'))) {
          clearInterval(poll);
          resolve();
        }
      }, 20);
    });
    // Act
    const running = runSmoke(s.options({ interrupts }));
    await started;
    interrupts.emit('interrupt');
    const report = await running;
    // Assess
    expect(report.exitCode).toBe(2);
    expect(report.steps.find((x) => x.name === 'up')).toMatchObject({ status: 'error', detail: 'interrupted during pulumi up' });
    expect(statuses(report)).toMatchObject({ outputs: 'skipped', destroy: 'passed', 'stack rm': 'passed' });
    expect(verbs(s.calls())).toEqual(['stack init', 'up', 'destroy', 'stack rm']);
    expect(s.lines).toContain('interrupted (SIGINT): stopping the current step, then tearing down (the teardown ignores further SIGINT/SIGTERM)');
  }, 60_000);

  it('interrupts during the teardown are acknowledged and ignored: the destroy is not signalled, completes, and stack rm runs', async () => {
    // Prepare: a CI cancel's SIGTERM during up starts the teardown; a Ctrl-C and another SIGTERM arrive during a slow destroy
    const s = scenario({ FAKE_UP_WAIT: '1', FAKE_DESTROY_WAIT: 'release' });
    const interrupts = new EventEmitter();
    // Act
    const running = runSmoke(s.options({ interrupts }));
    await until(() => existsSync(join(s.dir, 'up-started')));
    interrupts.emit('interrupt', 'SIGTERM');
    await until(() => existsSync(join(s.dir, 'destroy-started')));
    interrupts.emit('interrupt', 'SIGINT');
    interrupts.emit('interrupt', 'SIGTERM');
    writeFileSync(join(s.dir, 'destroy-release'), '');
    const report = await running;
    // Assess
    expect(report.exitCode).toBe(2);
    expect(report.tornDown).toBe(true);
    expect(statuses(report)).toMatchObject({ up: 'error', destroy: 'passed', 'stack rm': 'passed' });
    expect(verbs(s.calls())).toEqual(['stack init', 'up', 'destroy', 'stack rm']);
    expect(readdirSync(s.dir).filter((f) => f.startsWith('destroy-got-'))).toEqual([]);
    expect(s.lines).toEqual(
      expect.arrayContaining([
        'interrupted (SIGTERM): stopping the current step, then tearing down (the teardown ignores further SIGINT/SIGTERM)',
        `SIGINT ignored: tearing down ${STACK}, which must finish (a run killed now leaves it to: nx run tap-stack:smoke --configuration=dev --cleanup ${SUFFIX})`,
        `SIGTERM ignored: tearing down ${STACK}, which must finish (a run killed now leaves it to: nx run tap-stack:smoke --configuration=dev --cleanup ${SUFFIX})`,
      ]),
    );
  }, 60_000);

  it('a destroy that fails prints the command to finish by hand and exits 2, keeping the stack config', async () => {
    // Prepare
    const s = scenario({ FAKE_DESTROY_EXIT: '255', FAKE_DESTROY_STDERR: 'error: deleting urn:...:Cluster::tap-db-cluster: DBClusterSnapshotAlreadyExistsFault\n' });
    fakePaymentFunction();
    // Act
    const report = await runSmoke(s.options());
    // Assess
    expect(report.exitCode).toBe(2);
    expect(report.steps.find((x) => x.name === 'destroy')).toMatchObject({ status: 'error', detail: expect.stringContaining('pulumi destroy exited 255: error: deleting') });
    expect(verbs(s.calls())).not.toContain('stack rm');
    expect(s.lines).toEqual(expect.arrayContaining([`teardown did not finish: the temporary stack ${STACK} still exists. Finish it by hand:`, `  ${s.byHand}`]));
    // The stack still exists, so its config stays for the commands above.
    expect(existsSync(join(s.app, `Pulumi.${STACK}.yaml`))).toBe(true);
  }, 60_000);

  it('a copy that is not ready: exit 1, and nothing is created', async () => {
    // Prepare
    const s = scenario();
    const notReady: PreflightReport = { ...ready, exitCode: 1, checks: [{ id: 'instance-class', title: 'db.t4g.medium orderable', status: 'fail', detail: 'not orderable', fix: 'pick another' }] };
    // Act
    const report = await runSmoke(s.options({ preflight: async () => notReady }));
    // Assess
    expect(report.exitCode).toBe(1);
    expect(report.steps[0]).toMatchObject({ name: 'preflight', status: 'failed', detail: 'not ready: db.t4g.medium orderable (not orderable) → pick another' });
    expect(s.calls()).toEqual([]);
    expect(existsSync(join(s.app, `Pulumi.${STACK}.yaml`))).toBe(false);
  });
});

const TAP_SMOKE = join(ROOT, 'dist', 'apps', 'tap-stack', 'tap-smoke.js');

describe('tap-smoke (the built CLI) and a real SIGINT', () => {
  it('Ctrl-C during up: tears down, exit 2, status file error', async () => {
    // Prepare
    const s = scenario({ FAKE_UP_WAIT: '1' });
    const out = join(s.dir, 'cli-report.json');
    // Act
    const child = spawn(process.execPath, [join(ROOT, 'dist', 'apps', 'tap-stack', 'tap-smoke.js'), '--environment', 'dev', '--suffix', 'smktest02', '--skip-preflight', '--app', s.app, '--out', out], {
      cwd: ROOT,
      env: { ...process.env, PATH: [FAKE_BIN, process.env['PATH']].join(delimiter), FAKE_SMOKE_DIR: s.dir, FAKE_UP_WAIT: '1', AWS_EC2_METADATA_DISABLED: 'true' },
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    await new Promise<void>((resolve) => {
      const poll = setInterval(() => {
        if (existsSync(join(s.dir, 'up-started'))) {
          clearInterval(poll);
          resolve();
        }
      }, 20);
    });
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    // Assess
    expect(code).toBe(2);
    expect(verbs(s.calls())).toEqual(['stack init', 'up', 'destroy', 'stack rm']);
    expect(output).toContain('WARNING: preflight skipped');
    expect(JSON.parse(readFileSync(out, 'utf8'))).toMatchObject({ outcome: 'error', tornDown: true, stack: 'dev-smoke-smktest02' });
    expect(JSON.parse(readFileSync(join(ROOT, 'dist', 'apps', 'tap-stack', 'status', 'smoke-dev.json'), 'utf8'))).toMatchObject({ target: 'smoke', status: 'error', exitCode: 2 });
  }, 60_000);

  it('a Ctrl-C to the terminal\'s process group, then SIGTERM: the teardown goes on, the destroy never sees a signal, stack rm runs', async () => {
    // Prepare: the smoke run leads its own process group, as a terminal's foreground job does
    const s = scenario();
    const out = join(s.dir, 'cli-report.json');
    const child = spawn(process.execPath, [TAP_SMOKE, '--environment', 'dev', '--suffix', 'smktest03', '--skip-preflight', '--app', s.app, '--out', out], {
      cwd: ROOT,
      detached: true,
      env: { ...process.env, PATH: [FAKE_BIN, process.env['PATH']].join(delimiter), FAKE_SMOKE_DIR: s.dir, FAKE_UP_WAIT: '1', FAKE_DESTROY_WAIT: 'release', AWS_EC2_METADATA_DISABLED: 'true' },
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
    // Act: Ctrl-C during up (to the whole group), then Ctrl-C and GitHub's SIGTERM during the destroy
    await until(() => existsSync(join(s.dir, 'up-started')));
    process.kill(-(child.pid as number), 'SIGINT');
    await until(() => existsSync(join(s.dir, 'destroy-started')));
    process.kill(-(child.pid as number), 'SIGINT');
    await until(() => output.includes('SIGINT ignored'));
    process.kill(child.pid as number, 'SIGTERM');
    await until(() => output.includes('SIGTERM ignored'));
    writeFileSync(join(s.dir, 'destroy-release'), '');
    const code = await closed;
    // Assess
    expect(code).toBe(2);
    expect(verbs(s.calls())).toEqual(['stack init', 'up', 'destroy', 'stack rm']);
    expect(readdirSync(s.dir).filter((f) => f.startsWith('destroy-got-'))).toEqual([]);
    expect(JSON.parse(readFileSync(out, 'utf8'))).toMatchObject({ outcome: 'error', tornDown: true, stack: 'dev-smoke-smktest03' });
  }, 60_000);
});

describe('tap-smoke --cleanup: what an abandoned run left', () => {
  const STACKS = [
    { name: 'dev-smoke-smkleft01', resourceCount: 31, updateInProgress: false, lastUpdate: '2026-12-06T10:00:00.000Z' },
    { name: 'organization/tap-stack/dev-smoke-smkleft02', resourceCount: 49, updateInProgress: false, lastUpdate: '2026-12-06T11:00:00.000Z' },
    { name: 'dev', resourceCount: 49, updateInProgress: false },
    { name: 'prod-smoke-smkleft03', resourceCount: 49, updateInProgress: false },
    { name: 'dev-smoke-smkbusy04', resourceCount: 12, updateInProgress: true },
  ];

  function cleanup(args: string[]) {
    const s = scenario();
    writeFileSync(join(s.dir, 'stacks.json'), JSON.stringify(STACKS));
    const run = spawnSync(process.execPath, [TAP_SMOKE, '--environment', 'dev', '--app', s.app, ...args], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, PATH: [FAKE_BIN, process.env['PATH']].join(delimiter), FAKE_SMOKE_DIR: s.dir, AWS_EC2_METADATA_DISABLED: 'true' },
    });
    return { ...run, calls: s.calls(), app: s.app };
  }
  const smokeStatus = () => JSON.parse(readFileSync(join(ROOT, 'dist', 'apps', 'tap-stack', 'status', 'smoke-dev.json'), 'utf8'));

  it('--cleanup <suffix> destroys and removes that one stack, found by name in pulumi stack ls', () => {
    // Act
    const run = cleanup(['--cleanup', 'smkleft02']);
    // Assess
    expect(run.status).toBe(0);
    expect(run.calls).toEqual([
      ['stack', 'ls', '--json'],
      // The config file left with the abandoned run (this one ran elsewhere): taken from the last deployment.
      ['config', 'refresh', '--force', '--stack', 'organization/tap-stack/dev-smoke-smkleft02'],
      ['destroy', '--yes', '--non-interactive', '--skip-preview', '--stack', 'organization/tap-stack/dev-smoke-smkleft02'],
      ['stack', 'rm', '--yes', '--non-interactive', '--stack', 'organization/tap-stack/dev-smoke-smkleft02'],
    ]);
    expect(run.stdout).toContain('✓ organization/tap-stack/dev-smoke-smkleft02: destroyed (49 resources) and removed');
    expect(smokeStatus()).toMatchObject({ target: 'smoke', status: 'ok', exitCode: 0, cleaned: ['organization/tap-stack/dev-smoke-smkleft02'] });
  });

  it('--cleanup all destroys every smoke stack of the environment, skips one still being updated, and exits 2 for it', () => {
    // Act
    const run = cleanup(['--cleanup', 'all']);
    // Assess: never dev itself nor another environment's copy
    const destroyed = run.calls.filter((c) => c[0] === 'destroy').map((c) => c.at(-1));
    expect(destroyed).toEqual(['dev-smoke-smkleft01', 'organization/tap-stack/dev-smoke-smkleft02']);
    expect(run.calls.filter((c) => c[1] === 'rm').map((c) => c.at(-1))).toEqual(destroyed);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('smoke: dev-smoke-smkbusy04 has an update in progress (the abandoned run\'s destroy may still be running): wait for it, or run "pulumi cancel --stack dev-smoke-smkbusy04" if nothing runs, then clean up again');
    expect(smokeStatus()).toMatchObject({ status: 'error', exitCode: 2, cleaned: destroyed, left: ['dev-smoke-smkbusy04'] });
  });

  it('--leftovers lists the smoke stacks of the environment and destroys nothing', () => {
    // Act
    const run = cleanup(['--leftovers']);
    // Assess
    expect(run.status).toBe(0);
    expect(run.calls).toEqual([['stack', 'ls', '--json']]);
    expect(run.stdout.trim().split('\n')).toEqual([
      'smoke stacks of dev (3): nx run tap-stack:smoke --configuration=dev --cleanup <suffix|all> destroys them',
      '  dev-smoke-smkleft01  suffix smkleft01  31 resources  last update 2026-12-06T10:00:00.000Z',
      '  organization/tap-stack/dev-smoke-smkleft02  suffix smkleft02  49 resources  last update 2026-12-06T11:00:00.000Z',
      '  dev-smoke-smkbusy04  suffix smkbusy04  12 resources  update in progress',
    ]);
  });
});
