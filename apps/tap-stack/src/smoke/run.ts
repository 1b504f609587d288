import { CloudWatchLogsClient, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { DescribeSecretCommand, GetSecretValueCommand, RotateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { compareDeployed, loadManifest } from '@tap/manifest';
import { LAMBDA_DEFAULTS, LAMBDA_NAMES } from '@tap/components';
import type { EnvironmentName } from '@tap/validation';
import type { ChildProcess } from 'node:child_process';
import type { EventEmitter } from 'node:events';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { stringify } from 'yaml';
import { realSleep, withThrottleRetry, type Sleep } from '../preflight/aws';
import { PreflightError } from '../preflight/errors';
import { runPreflight } from '../preflight/run';
import { preflightTargetFromValues } from '../preflight/target';
import type { PreflightReport, PreflightTarget } from '../preflight/types';
import { readStackConfigFile } from '../synth/stackConfig';
import { SDK_RETRY } from '../preflight/constants';
import { SMOKE_EXIT, SMOKE_WAITS, STACK_OUTPUTS } from './constants';
import { SmokeCheckError, SmokeError } from './errors';
import { afterRotationRequest, getPaymentRequest, paymentRequests, type SmokeRequest } from './paymentEvents';
import { runCommand, type CommandResult } from './process';
import { smokeCopyValues } from './copyConfig';
import { smokeStackName, smokeSuffix } from './suffix';
import type { SmokeReport, SmokeStep, StepStatus } from './types';

/** The SDK clients the smoke run talks to the deployed copy with. */
export interface SmokeClients {
  lambda: LambdaClient;
  logs: CloudWatchLogsClient;
  secrets: SecretsManagerClient;
}

/** Options of {@link runSmoke}. */
export interface SmokeOptions {
  environment: EnvironmentName;
  /** The workspace root (holds nx.json and dist/). */
  root: string;
  /** The Pulumi project folder. Default `<root>/apps/tap-stack`. */
  app?: string;
  /** The suffix of the copy. Default: a generated one ({@link smokeSuffix}). */
  suffix?: string;
  /** Also rotate the secret and pay again. */
  rotate?: boolean;
  /** Skip step 1 (prints a warning). */
  skipPreflight?: boolean;
  /** The Pulumi executable. Default `pulumi`. */
  pulumi?: string;
  /** Extra environment of every child process (e.g. PATH). */
  env?: NodeJS.ProcessEnv;
  clients?: SmokeClients;
  /** Step 1; default: {@link runPreflight} of the copy. */
  preflight?: (target: PreflightTarget) => Promise<PreflightReport>;
  /**
   * Emits `interrupt` (with the signal's name, default SIGINT) on Ctrl-C or a CI cancel's SIGTERM: the first stops the
   * current step and starts the teardown; any later one, and every one during the teardown, is acknowledged and ignored.
   */
  interrupts?: EventEmitter;
  sleep?: Sleep;
  waits?: { logs: { attempts: number; delayMs: number }; rotation: { attempts: number; delayMs: number } };
  /** Step lines (default: stdout). */
  log?: (line: string) => void;
  /** Pulumi's own output during up and destroy (default: stderr). */
  tee?: (chunk: string) => void;
  /** The report file. Default `<root>/dist/apps/tap-stack/smoke/<env>.json`. */
  out?: string;
}

const seconds = (ms: number) => (ms < 60_000 ? `${(ms / 1000).toFixed(1)}s` : `${Math.floor(ms / 60_000)}m ${Math.round((ms % 60_000) / 1000)}s`);
const MARK: Record<StepStatus, string> = { passed: '✓', failed: '✗', error: '✗', skipped: '-' };
const lastLine = (text: string) =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.length > 0)
    .reverse()
    .find((l) => /error|fail/i.test(l)) ??
  text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .at(-1);

/**
 * An ephemeral copy of `environment` under a generated suffix: preflight, `pulumi up` of a temporary stack, outputs
 * and configManifest against the offline synth, payments through Lambda Invoke, the log group, optionally a
 * rotation, live drift; then `pulumi destroy` and `pulumi stack rm`, always (after a failed step, an exception or the
 * first interrupt). Never throws: the report says what happened, `exitCode` 0 passed, 1 a check failed, 2 could not
 * run or could not tear down (then `finishByHand` holds the commands).
 *
 * @example
 * const report = await runSmoke({ environment: 'dev', root: process.cwd(), rotate: true });
 */
export async function runSmoke(options: SmokeOptions): Promise<SmokeReport> {
  const started = Date.now();
  const root = options.root;
  const app = options.app ?? join(root, 'apps', 'tap-stack');
  const env = options.environment;
  const log = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const tee = options.tee ?? ((chunk: string) => process.stderr.write(chunk));
  const pulumi = options.pulumi ?? 'pulumi';
  const sleep = options.sleep ?? realSleep;
  const waits = options.waits ?? SMOKE_WAITS;
  const out = options.out ?? join(root, 'dist', 'apps', 'tap-stack', 'smoke', `${env}.json`);
  const steps: SmokeStep[] = [];
  const state: { child?: ChildProcess; interrupts: number; created: boolean; stopped: boolean; tearingDown: boolean } = { interrupts: 0, created: false, stopped: false, tearingDown: false };
  const report: SmokeReport = { environment: env, stack: '', suffix: '', outcome: 'error', exitCode: SMOKE_EXIT.couldNotRun, steps, tornDown: true, startedAt: new Date(started).toISOString(), finishedAt: '', durationMs: 0 };

  // A CI cancel sends SIGINT, SIGTERM ~7.5 s later, then SIGKILL: a teardown that a second signal could abandon would
  // leave an Aurora cluster running. So the teardown ignores them; the destroy child (own process group, output to a
  // file) never receives one and outlives a SIGKILL of this process; `--cleanup <suffix>` finishes what is left.
  const onInterrupt = (signal: NodeJS.Signals = 'SIGINT') => {
    if (state.tearingDown) {
      log(`${signal} ignored: tearing down ${report.stack}, which must finish (a run killed now leaves it to: nx run tap-stack:smoke --configuration=${env} --cleanup ${report.suffix})`);
      return;
    }
    state.interrupts += 1;
    if (state.interrupts > 1) {
      log(`${signal} ignored: the current step is stopping; the teardown follows and cannot be interrupted`);
      return;
    }
    log(`interrupted (${signal}): stopping the current step, then tearing down (the teardown ignores further SIGINT/SIGTERM)`);
    // Pulumi cancels gracefully on one SIGINT and aborts on a second: only this one, only before the teardown.
    state.child?.kill('SIGINT');
  };
  options.interrupts?.on('interrupt', onInterrupt);

  const pulumiRun = (args: string[], teeOutput = false, outputFile?: string): Promise<CommandResult> =>
    runCommand(pulumi, args, { cwd: app, env: options.env, tee: teeOutput ? tee : undefined, onChild: (c) => (state.child = c), outputFile });
  const requirePulumi = (result: CommandResult): CommandResult => {
    if (result.error?.code === 'ENOENT') {
      throw new SmokeError(`the Pulumi CLI was not found ("${pulumi}" on PATH): install it (https://www.pulumi.com/docs/install/) and retry`);
    }
    return result;
  };

  /** Runs one step unless the run already stopped; records and prints its name, duration and result. */
  async function step(name: string, body: () => Promise<string>, always = false): Promise<boolean> {
    if (!always && (state.stopped || state.interrupts > 0)) {
      steps.push({ name, status: 'skipped', durationMs: 0, detail: state.interrupts > 0 ? 'interrupted' : 'an earlier step did not pass' });
      log(`${MARK.skipped} ${name}: skipped`);
      return false;
    }
    const t0 = Date.now();
    let status: StepStatus = 'passed';
    let detail: string;
    try {
      detail = await body();
      if (!always && state.interrupts > 0) throw new SmokeError('interrupted');
    } catch (error) {
      status = error instanceof SmokeCheckError ? 'failed' : 'error';
      detail = error instanceof SmokeCheckError || error instanceof SmokeError || error instanceof PreflightError ? error.message : `${(error as Error).name}: ${(error as Error).message}`;
      if (!always) state.stopped = true;
    }
    const durationMs = Date.now() - t0;
    steps.push({ name, status, durationMs, detail });
    log(`${MARK[status]} ${name} (${seconds(durationMs)}): ${detail}`);
    return status === 'passed';
  }

  let configFile: string | undefined;
  let synthManifest: string | undefined;
  const finishByHand = (stack: string) => [
    `cd ${relative(process.cwd(), app) || '.'} && ${pulumi} destroy --yes --skip-preview --stack ${stack} && ${pulumi} stack rm --yes --stack ${stack}`,
  ];

  try {
    // The copy: the environment's config with a generated suffix. Its secret values could not be decrypted by
    // another stack's secrets provider, so an environment with `secure:` values cannot be copied this way.
    const source = readStackConfigOrThrow(join(app, `Pulumi.${env}.yaml`));
    if (source.secretKeys.length > 0) {
      throw new SmokeError(`Pulumi.${env}.yaml has secret values (${source.secretKeys.join(', ')}) a temporary stack cannot decrypt: set them on the smoke stack by hand or remove them`);
    }
    const base = preflightTargetFromValues(env, source.values);
    const suffix = options.suffix ?? smokeSuffix(env, base.instanceCount);
    const stack = smokeStackName(env, suffix);
    // A copy is always destroyable, a copy of prod included (no deletion protection, no final snapshot).
    const values = smokeCopyValues(source.values, suffix);
    const target = preflightTargetFromValues(stack, values);
    Object.assign(report, { stack, suffix });
    log(`smoke ${env}: temporary stack ${stack} in ${target.region}`);
    const clients = options.clients ?? smokeClients(target.region);
    const call = <T>(what: string, fn: () => Promise<T>) => withThrottleRetry(what, fn, sleep);

    await step('preflight', async () => {
      if (options.skipPreflight) return 'WARNING: skipped (--skip-preflight)';
      const result = await (options.preflight ?? ((t) => runPreflight({ target: t, cwd: app, sleep })))(target);
      if (result.exitCode === 2) throw new SmokeError(`could not check: ${result.error}`);
      const failed = result.checks.filter((c) => c.status === 'fail');
      if (failed.length > 0) throw new SmokeCheckError(`not ready: ${failed.map((c) => `${c.title} (${c.detail})${c.fix ? ` → ${c.fix}` : ''}`).join('; ')}`);
      return `ready (${result.checks.length} checks)`;
    });

    let outputs: Record<string, unknown> = {};
    await step('up', async () => {
      configFile = join(app, `Pulumi.${stack}.yaml`);
      writeFileSync(configFile, stringify({ config: values }));
      const init = requirePulumi(await pulumiRun(['stack', 'init', stack, '--non-interactive']));
      if (init.code !== 0) throw new SmokeError(`pulumi stack init ${stack} exited ${init.code}: ${lastLine(init.stderr) ?? 'no reason given'}`);
      state.created = true;
      if (state.interrupts > 0) throw new SmokeError('interrupted before pulumi up');
      const up = await pulumiRun(['up', '--yes', '--non-interactive', '--skip-preview', '--stack', stack], true);
      if (state.interrupts > 0) throw new SmokeError('interrupted during pulumi up');
      if (up.code !== 0) throw new SmokeCheckError(`pulumi up exited ${up.code}: ${lastLine(up.stderr + up.stdout) ?? 'no reason given'}`);
      const exported = await pulumiRun(['stack', 'export', '--stack', stack]);
      const resources = exported.code === 0 ? (JSON.parse(exported.stdout) as { deployment?: { resources?: unknown[] } }).deployment?.resources : undefined;
      report.resourceCount = resources?.length;
      return `${resources?.length ?? 'unknown number of'} resources`;
    });

    await step('outputs', async () => {
      const result = await pulumiRun(['stack', 'output', '--json', '--show-secrets', '--non-interactive', '--stack', stack]);
      if (result.code !== 0) throw new SmokeError(`pulumi stack output exited ${result.code}: ${lastLine(result.stderr) ?? 'no reason given'}`);
      outputs = JSON.parse(result.stdout) as Record<string, unknown>;
      const missing = STACK_OUTPUTS.filter((key) => outputs[key] === undefined || outputs[key] === null || outputs[key] === '');
      if (missing.length > 0) throw new SmokeCheckError(`missing stack outputs: ${missing.join(', ')}`);
      synthManifest = await synthesizeCopy(root, env, stack, configFile as string, join(dirname(out), 'synth', stack), options.env);
      const deployed = typeof outputs['configManifest'] === 'string' ? JSON.parse(outputs['configManifest'] as string) : outputs['configManifest'];
      const comparison = compareDeployed(deployed, loadManifest(synthManifest));
      if (comparison.status !== 'in-sync') {
        const changes = comparison.changes.map((c) => `${c.path} deployed ${JSON.stringify(c.deployed)} vs synth ${JSON.stringify(c.code)}`);
        throw new SmokeCheckError(`deployed configManifest differs from the offline synth: ${changes.join('; ') || comparison.note || comparison.status}`);
      }
      return `${STACK_OUTPUTS.length} outputs; configManifest equals the offline synth (${String(outputs['configHash']).slice(0, 12)})`;
    });

    const lambdaRequestIds: string[] = [];
    const invoke = async (request: SmokeRequest): Promise<Record<string, unknown>> => {
      const response = await call('lambda:Invoke', () =>
        clients.lambda.send(new InvokeCommand({ FunctionName: String(outputs['lambdaFunctionArn']), Payload: new TextEncoder().encode(JSON.stringify(request.event)) })),
      );
      if (response?.$metadata?.requestId) lambdaRequestIds.push(response.$metadata.requestId);
      const text = response?.Payload ? new TextDecoder().decode(response.Payload) : '';
      if (response?.FunctionError) throw new SmokeCheckError(`${request.name}: the function failed (${response.FunctionError}): ${text.slice(0, 300)}`);
      let result: { statusCode?: number; body?: string };
      try {
        result = JSON.parse(text) as { statusCode?: number; body?: string };
      } catch {
        throw new SmokeCheckError(`${request.name}: the function answered no JSON: ${text.slice(0, 200)}`);
      }
      if (result.statusCode !== request.expectedStatus) {
        throw new SmokeCheckError(`${request.name}: expected ${request.expectedStatus}, got ${result.statusCode ?? 'no status'}: ${String(result.body ?? '').slice(0, 200)}`);
      }
      try {
        return JSON.parse(result.body ?? '{}') as Record<string, unknown>;
      } catch {
        return {};
      }
    };

    const invokeStarted = Date.now();
    await step('invoke', async () => {
      const [create, ...rest] = paymentRequests(suffix);
      const created = await invoke(create);
      for (const request of rest) await invoke(request);
      if (typeof created['id'] !== 'string') throw new SmokeCheckError('create: the 201 body has no payment id');
      await invoke(getPaymentRequest(suffix, created['id']));
      return 'POST 201, replay 200, same key other body 422, malformed 400, GET 200';
    });

    await step('logs', async () => {
      const group = LAMBDA_NAMES.logGroup(LAMBDA_DEFAULTS.serviceName, env, suffix);
      const secret = await call('secretsmanager:GetSecretValue', () => clients.secrets.send(new GetSecretValueCommand({ SecretId: String(outputs['secretArn']) })));
      const password = secretPassword(secret?.SecretString);
      for (let attempt = 1; ; attempt++) {
        const messages = await logMessages(clients.logs, group, invokeStarted - 60_000, call);
        const leaked = messages.filter((m) => (password !== undefined && m.includes(password)) || (secret?.SecretString !== undefined && m.includes(secret.SecretString)));
        if (leaked.length > 0) throw new SmokeCheckError(`${group} holds the secret's value in ${leaked.length} line(s)`);
        // Request lines: the handler's own lines carry Lambda's request id; the platform's lines (START/END/REPORT, or
        // platform.* records with the JSON log format the functions use) carry it too, and prove nothing.
        const own = messages.filter((m) => !isPlatformLine(m));
        const missing = lambdaRequestIds.filter((id) => !own.some((m) => m.includes(id)));
        if (missing.length === 0) return `${group}: request lines of all ${lambdaRequestIds.length} invocations, no secret value`;
        if (attempt >= waits.logs.attempts) throw new SmokeCheckError(`${group}: no request line for ${missing.length} of ${lambdaRequestIds.length} invocations (${missing.join(', ')})`);
        await sleep(waits.logs.delayMs);
      }
    });

    if (options.rotate) {
      await step('rotate', async () => {
        const secretId = String(outputs['secretArn']);
        const rotation = await call('secretsmanager:RotateSecret', () => clients.secrets.send(new RotateSecretCommand({ SecretId: secretId })));
        const version = rotation?.VersionId;
        if (!version) throw new SmokeError('RotateSecret returned no VersionId');
        // Rotation is done when the new version carries AWSCURRENT (finishSecret moved the label).
        for (let attempt = 1; ; attempt++) {
          const described = await call('secretsmanager:DescribeSecret', () => clients.secrets.send(new DescribeSecretCommand({ SecretId: secretId })));
          if ((described?.VersionIdsToStages?.[version] ?? []).includes('AWSCURRENT')) break;
          if (attempt >= waits.rotation.attempts) throw new SmokeCheckError(`rotation to version ${version} did not finish (labels: ${JSON.stringify(described?.VersionIdsToStages?.[version] ?? [])})`);
          await sleep(waits.rotation.delayMs);
        }
        await invoke(afterRotationRequest(suffix));
        return `rotated to ${version}; a payment after the rotation: 201`;
      });
    } else {
      steps.push({ name: 'rotate', status: 'skipped', durationMs: 0, detail: 'not asked (--rotate)' });
      log(`${MARK.skipped} rotate: skipped (not asked: --rotate)`);
    }

    await step('drift', async () => {
      const drift = await runCommand(process.execPath, [tapDriftCli(root), 'live', '--stack', stack, '--cwd', app, '--code', synthManifest as string, '--ignore', join(app, 'drift-ignore.json'), '--pulumi', pulumi, '--format', 'text'], { cwd: root, env: options.env });
      if (drift.code === 0) return 'in sync';
      if (drift.code === 1) throw new SmokeCheckError(`live drift: ${lastLine(drift.stdout) ?? 'drift'}`);
      throw new SmokeError(`live drift could not check: ${lastLine(drift.stderr) ?? `exit ${drift.code}`}`);
    });
  } catch (error) {
    // Bad input before any step: nothing was created.
    const message = error instanceof SmokeError || error instanceof PreflightError ? error.message : `${(error as Error).name}: ${(error as Error).message}`;
    steps.push({ name: 'setup', status: 'error', durationMs: 0, detail: message });
    log(`✗ setup: ${message}`);
  } finally {
    // Teardown, always: after a pass, a failed step, an exception or the first interrupt.
    if (state.created) {
      const stack = report.stack;
      state.tearingDown = true;
      const destroyLog = join(dirname(out), `${stack}.destroy.log`);
      const destroyed = await step(
        'destroy',
        async () => {
          const destroy = await pulumiRun(['destroy', '--yes', '--non-interactive', '--skip-preview', '--stack', stack], true, destroyLog);
          if (destroy.code !== 0) {
            throw new SmokeError(`pulumi destroy exited ${destroy.code}: ${lastLine(destroy.stderr + destroy.stdout) ?? 'no reason given'} (full output: ${relative(process.cwd(), destroyLog)})`);
          }
          return 'every resource deleted';
        },
        true,
      );
      const removed =
        destroyed &&
        (await step(
          'stack rm',
          async () => {
            const rm = await pulumiRun(['stack', 'rm', '--yes', '--non-interactive', '--stack', stack]);
            if (rm.code !== 0) throw new SmokeError(`pulumi stack rm exited ${rm.code}: ${lastLine(rm.stderr) ?? 'no reason given'}`);
            return `stack ${stack} removed`;
          },
          true,
        ));
      report.tornDown = removed;
      if (!removed) {
        report.finishByHand = destroyed ? [`cd ${relative(process.cwd(), app) || '.'} && ${pulumi} stack rm --yes --stack ${stack}`] : finishByHand(stack);
        log(`teardown did not finish: the temporary stack ${stack} still exists. Finish it by hand:`);
        for (const line of report.finishByHand) log(`  ${line}`);
        log(`  or: nx run tap-stack:smoke --configuration=${env} --cleanup ${report.suffix}`);
      }
    }
    // `pulumi stack rm` deletes the stack's config file; a run that never created the stack leaves it to us.
    if (configFile && existsSync(configFile) && (report.tornDown || !state.created)) rmSync(configFile, { force: true });
    options.interrupts?.off('interrupt', onInterrupt);
  }

  const worst = steps.some((s) => s.status === 'error') || !report.tornDown ? SMOKE_EXIT.couldNotRun : steps.some((s) => s.status === 'failed') ? SMOKE_EXIT.failed : SMOKE_EXIT.passed;
  report.exitCode = state.interrupts > 0 ? SMOKE_EXIT.couldNotRun : worst;
  report.outcome = report.exitCode === 0 ? 'passed' : report.exitCode === 1 ? 'failed' : 'error';
  report.finishedAt = new Date().toISOString();
  report.durationMs = Date.now() - started;
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
  log(`smoke ${env}: ${report.outcome.toUpperCase()} in ${seconds(report.durationMs)}; report ${relative(process.cwd(), out)}`);
  return report;
}

/** The built tap-drift CLI of @tap/manifest, resolved from the workspace as Node resolves the package. */
function tapDriftCli(root: string): string {
  return join(dirname(createRequire(join(root, 'package.json')).resolve('@tap/manifest/package.json')), 'dist', 'cli', 'main.js');
}

function readStackConfigOrThrow(file: string) {
  try {
    return readStackConfigFile(file);
  } catch (error) {
    throw new SmokeError((error as Error).message);
  }
}

/**
 * The SDK clients of a smoke run in `region`, with the SDK's adaptive retry.
 *
 * @example
 * const clients = smokeClients('us-east-2');
 */
export function smokeClients(region: string): SmokeClients {
  const config = { region, ...SDK_RETRY };
  return { lambda: new LambdaClient(config), logs: new CloudWatchLogsClient(config), secrets: new SecretsManagerClient(config) };
}

/** A line Lambda itself writes for every invocation, in the text or the JSON log format. */
function isPlatformLine(message: string): boolean {
  if (/^(INIT_START|START|END|REPORT) RequestId:/.test(message)) return true;
  try {
    return String((JSON.parse(message) as { type?: unknown }).type ?? '').startsWith('platform.');
  } catch {
    return false;
  }
}

/** The password field of the credentials secret, if it is JSON with one. */
function secretPassword(secretString: string | undefined): string | undefined {
  if (!secretString) return undefined;
  try {
    const password = (JSON.parse(secretString) as { password?: unknown }).password;
    return typeof password === 'string' && password.length > 0 ? password : undefined;
  } catch {
    return undefined;
  }
}

/** Every log message of `group` since `startTime` (all pages). */
async function logMessages(
  logs: CloudWatchLogsClient,
  group: string,
  startTime: number,
  call: <T>(what: string, fn: () => Promise<T>) => Promise<T>,
): Promise<string[]> {
  const messages: string[] = [];
  let nextToken: string | undefined;
  do {
    const page = await call('logs:FilterLogEvents', () => logs.send(new FilterLogEventsCommand({ logGroupName: group, startTime, nextToken })));
    messages.push(...(page?.events ?? []).map((e) => e.message ?? ''));
    nextToken = page?.nextToken;
  } while (nextToken);
  return messages;
}

/** The offline synth of the copy's config under its stack name (the same program, under mocks): its manifest.json. */
async function synthesizeCopy(root: string, env: EnvironmentName, stack: string, configFile: string, outDir: string, childEnv?: NodeJS.ProcessEnv): Promise<string> {
  // Under the copy's own stack name, as `pulumi up` ran it: the program accepts a copy's overrides only there.
  const synth = await runCommand(process.execPath, [join(root, 'dist', 'apps', 'tap-stack', 'tap-synth.js'), '--environment', env, '--stack', stack, '--config', configFile, '--out', outDir], { cwd: root, env: childEnv });
  const manifest = join(outDir, env, 'manifest.json');
  if (synth.code !== 0 || !existsSync(manifest)) throw new SmokeError(`the offline synth of the copy failed: ${lastLine(synth.stderr) ?? `exit ${synth.code}`}`);
  return manifest;
}
