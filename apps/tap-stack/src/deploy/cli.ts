// tap-deploy: the gated deploy runner, the command of `nx run tap-stack:deploy` and `nx run networking-stack:deploy`.
// `pulumi up` runs only after the gate passed in this very process, for this very synth (see gate.ts): the Nx
// dependencies (drift-check, policy, preflight) are reports and early stops, never the trust, so
// --excludeTaskDependencies cannot skip the gate, and no variable or option points it at other baselines.
//   tap-deploy.js [deploy] --project <tap-stack|networking-stack> --environment <env>   gate, pulumi preview --save-plan,
//                                                                                       drift guard, the plan against
//                                                                                       the approved inventory,
//                                                                                       pulumi up --plan
//       [--revert-drift --reason="..."]  tap-stack: overwrite out-of-band changes of resources this deploy touches
//                                        (the drift guard stops otherwise; driftGuard.ts), recorded in history.jsonl
//   tap-deploy.js check    --project <...> --environment <env>                          the gate only
//   tap-deploy.js approve  --project networking-stack --environment <env>               synth + policies, then write the
//                                                                                       approved inventory (commit it)
// Exit codes: constants.ts DEPLOY_EXIT. Status: dist/apps/<project>/status/<deploy|drift-check|drift-approve>-<env>.json.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { renderRequirements, serializeInventory, type RequirementsReport } from '@tap/manifest';
import { ENVIRONMENT_NAMES, type EnvironmentName } from '@tap/validation';
import { DEPLOY_EXIT, POLICY_PACKS, PULUMI_UP_FLAGS, STACK_GATES, type DeployStepName, type StackGateSpec } from './constants';
import { runDriftGuard, type DriftGuardResult, type RevertDrift } from './driftGuard';
import { GateError } from './errors';
import { checkSavedPlan, savePlan } from './approvedPlan';
import { readDeploymentPlan, touchedUrns } from './plan';
import { assertUnchanged, currentInventory, optionalApprovedInventory, runGate, type GateResult } from './gate';
import { inventoryRequirements, requirementLines } from './inventoryApprovals';
import { startDeployStatus, workspaceRoot, type DeployStatus } from './status';
import { DeploySteps } from './steps';

const MODES = ['deploy', 'check', 'approve'] as const;
type Mode = (typeof MODES)[number];
const TARGET_OF: Record<Mode, string> = { deploy: 'deploy', check: 'drift-check', approve: 'drift-approve' };

interface Invocation {
  mode: Mode;
  spec: StackGateSpec;
  environment?: EnvironmentName;
  revert?: RevertDrift;
}

/** `nx run <app>:deploy --skip-preflight` forwards the flag (meant for preflight) to this command too: dropped. */
const FORWARDED_BY_NX = ['--skip-preflight', '--skip-preflight=true'];

function parse(argv: string[]): Invocation {
  const { values, positionals } = parseArgs({
    args: argv.filter((arg) => !FORWARDED_BY_NX.includes(arg)),
    options: { project: { type: 'string' }, environment: { type: 'string' }, 'revert-drift': { type: 'boolean' }, reason: { type: 'string' } },
    allowPositionals: true,
  });
  const mode = (positionals[0] ?? 'deploy') as Mode;
  if (!MODES.includes(mode) || positionals.length > 1) throw new GateError(`unknown mode "${positionals.join(' ')}": use deploy, check or approve`, DEPLOY_EXIT.couldNotGate);
  const spec = STACK_GATES[values.project as StackGateSpec['project']];
  if (!spec) throw new GateError(`--project must be one of ${Object.keys(STACK_GATES).join(', ')}, got "${values.project ?? ''}"`, DEPLOY_EXIT.couldNotGate);
  const environment = values.environment;
  if (environment !== undefined && !(ENVIRONMENT_NAMES as readonly string[]).includes(environment)) {
    throw new GateError(`unknown environment "${environment}": use --configuration=<${ENVIRONMENT_NAMES.join('|')}>`, DEPLOY_EXIT.couldNotGate);
  }
  return { mode, spec, environment: environment as EnvironmentName | undefined, revert: revertDrift(mode, spec, values) };
}

/** `--revert-drift --reason="..."`: a tap-stack deploy only, and never without a reason (it is recorded). */
function revertDrift(mode: Mode, spec: StackGateSpec, values: { 'revert-drift'?: boolean; reason?: string }): RevertDrift | undefined {
  const reason = values.reason?.trim();
  if (!values['revert-drift']) {
    if (values.reason !== undefined) throw new GateError('--reason goes with --revert-drift (the reason a deploy overwrites out-of-band changes); drop it, or add --revert-drift', DEPLOY_EXIT.couldNotGate);
    return undefined;
  }
  if (mode !== 'deploy' || spec.baselineKind !== 'manifest') {
    throw new GateError(`--revert-drift is for deploy --project tap-stack only (its history records the revert), not ${mode} --project ${spec.project}`, DEPLOY_EXIT.couldNotGate);
  }
  if (!reason) throw new GateError('--revert-drift needs --reason="<why the out-of-band changes are overwritten>" (recorded in the approval history)', DEPLOY_EXIT.couldNotGate);
  return { reason };
}

/** `--policy-pack <dir>` for each pack that exists, relative to the stack folder (where pulumi runs). */
function policyPackFlags(root: string, spec: StackGateSpec): string[] {
  return POLICY_PACKS.filter((pack) => existsSync(join(root, pack, 'PulumiPolicy.yaml'))).flatMap((pack) => [
    '--policy-pack',
    relative(join(root, spec.appDir), join(root, pack)).split('\\').join('/'),
  ]);
}

/** deploy, then its summary block: the last thing every gated deploy prints, whatever stopped it. */
function deploy(root: string, spec: StackGateSpec, environment: EnvironmentName, status: DeployStatus, revert?: RevertDrift): number {
  const steps = new DeploySteps();
  const code = deploySteps(root, spec, environment, status, steps, revert);
  process.stderr.write(steps.summary(`${spec.project} ${environment}`, code, relative(root, status.file)));
  return code;
}

function deploySteps(root: string, spec: StackGateSpec, environment: EnvironmentName, status: DeployStatus, steps: DeploySteps, revert?: RevertDrift): number {
  const refused = (err: GateError, passed?: GateResult) => {
    const line = `refusing pulumi up of ${spec.project} ${environment}: ${err.message}`;
    process.stderr.write(`tap-deploy: ${line}\n`);
    const evidence = passed ? { synthSha256: passed.synthSha256, programSha256: passed.programSha256, gate: passed.checks } : {};
    status.finish('error', err.exitCode, line, { ...evidence, problems: err.problems, ...(err.report ? { report: err.report } : {}), steps: steps.list() });
    return err.exitCode;
  };
  let passed: GateResult;
  try {
    passed = runGate(root, spec, environment, steps);
  } catch (err) {
    if (err instanceof GateError) return refused(err);
    throw err;
  }
  const evidence = { synthSha256: passed.synthSha256, programSha256: passed.programSha256, gate: passed.checks };
  process.stderr.write(`tap-deploy: the gate passed for ${spec.project} ${environment} (synth sha256 ${passed.synthSha256})\n`);

  const fail = (step: DeployStepName, exitCode: number, line: string, extra: Record<string, unknown> = {}) => {
    steps.record(step, 'failed', line, step === 'pulumi up' ? `pulumi's output above; pulumi stack history --stack ${environment} in ${spec.appDir}` : undefined);
    process.stderr.write(`tap-deploy: ${line}\n`);
    status.finish('error', exitCode, line, { ...evidence, ...extra, problems: [line], steps: steps.list() });
    return exitCode;
  };
  if (spawnSync('pulumi', ['version'], { encoding: 'utf8' }).error) {
    return fail('pulumi version', DEPLOY_EXIT.cliMissing, 'The Pulumi CLI is not installed or not on PATH: install it (see https://www.pulumi.com/docs/install/) and retry.');
  }
  steps.record('pulumi version', 'passed');
  if (spawnSync('pulumi', ['whoami', '--non-interactive'], { encoding: 'utf8' }).status !== 0) {
    return fail('pulumi whoami', DEPLOY_EXIT.notLoggedIn, 'Pulumi is not logged in to a backend: run "pulumi login" (or "pulumi login --local", see apps/tap-stack/README.md) and retry.');
  }
  steps.record('pulumi whoami', 'passed');
  let plan: string;
  try {
    // The engine's own plan of this run, judged against the approved inventory: what the synth cannot see.
    plan = steps.run('pulumi preview', () => savePlan(root, spec, environment, policyPackFlags(root, spec)));
    steps.run('plan check', () => checkSavedPlan(root, spec, environment, plan));
  } catch (err) {
    if (!(err instanceof GateError)) throw err;
    return refused(err, passed);
  }
  let driftGuard: DriftGuardResult | undefined;
  try {
    // Out-of-band changes on what this very plan touches would be reverted by `up`: stop unless asked to revert. Last
    // of the checks, so a revert is recorded only for a deploy that goes on.
    if (spec.baselineKind === 'manifest') driftGuard = steps.run('drift guard', () => runDriftGuard(root, spec, environment, touchedUrns(readDeploymentPlan(plan)), revert));
    else steps.record('drift guard', 'skipped', 'not applicable: no approval history to record a revert in');
    // Last thing before `up`: the bundle and the synth are still what the gate judged.
    assertUnchanged(root, spec, passed);
  } catch (err) {
    if (!(err instanceof GateError)) throw err;
    // The drift guard's refusal is its own step's; a changed bundle or synth fails `up`.
    if (!steps.list().some((step) => step.status === 'failed')) steps.record('pulumi up', 'failed', err.message);
    return refused(err, passed);
  }
  // `--plan`: the engine refuses any operation beyond the plan that was just checked.
  const args = ['up', ...PULUMI_UP_FLAGS, '--plan', plan, ...policyPackFlags(root, spec), '--stack', environment];
  const up = spawnSync('pulumi', args, { cwd: join(root, spec.appDir), stdio: 'inherit' });
  if (up.error) return fail('pulumi up', DEPLOY_EXIT.cliMissing, `The Pulumi CLI could not be started: ${up.error.message}.`);
  const code = up.status ?? 1;
  if (code !== 0) {
    return fail('pulumi up', DEPLOY_EXIT.upFailed, `pulumi up --stack ${environment} of ${spec.project} exited ${code}${up.signal ? ` (${up.signal})` : ''}: see its output above`, { pulumiExitCode: code });
  }
  steps.record('pulumi up', 'passed');
  status.finish('ok', DEPLOY_EXIT.ok, `pulumi up --stack ${environment} of ${spec.project} succeeded after the gate (synth sha256 ${passed.synthSha256})`, {
    ...evidence,
    ...(driftGuard ? { driftGuard } : {}),
    pulumiExitCode: 0,
    problems: [],
    steps: steps.list(),
  });
  return DEPLOY_EXIT.ok;
}

function check(root: string, spec: StackGateSpec, environment: EnvironmentName, status: DeployStatus): number {
  try {
    const passed = runGate(root, spec, environment);
    const line = `${spec.project} ${environment}: the gate passed (synth sha256 ${passed.synthSha256})`;
    process.stdout.write(`${line}\n`);
    status.finish('ok', DEPLOY_EXIT.ok, line, { synthSha256: passed.synthSha256, programSha256: passed.programSha256, gate: passed.checks });
    return DEPLOY_EXIT.ok;
  } catch (err) {
    if (!(err instanceof GateError)) throw err;
    const line = `${spec.project} ${environment}: ${err.message}`;
    process.stderr.write(`tap-deploy: ${line}\n`);
    status.finish('error', err.exitCode, line, { problems: err.problems, ...(err.report ? { report: err.report } : {}) });
    return err.exitCode;
  }
}

/** networking-stack only: the synth and the policies, then the synth's inventory becomes the approved baseline file. */
function approve(root: string, spec: StackGateSpec, environment: EnvironmentName, status: DeployStatus): number {
  const fail = (err: GateError) => {
    const line = `${spec.project} ${environment}: nothing approved: ${err.message}`;
    process.stderr.write(`tap-deploy: ${line}\n`);
    status.finish('error', err.exitCode, line);
    return err.exitCode;
  };
  if (spec.baselineKind !== 'inventory') {
    return fail(new GateError(`${spec.project} is approved with ${spec.approveCommand} (its history and approval rules)`, DEPLOY_EXIT.couldNotGate));
  }
  let passed: GateResult | undefined;
  try {
    passed = runGate(root, spec, environment);
  } catch (err) {
    if (!(err instanceof GateError)) throw err;
    // Only a difference from the baseline is what approving is for; any other refusal stands.
    if (!/^the synth differs from the approved baseline|no usable approved inventory/.test(err.message)) return fail(err);
  }
  const synthDir = passed?.synthDir ?? join(root, 'dist', 'apps', spec.project, 'deploy', environment, 'synth', environment);
  const file = join(root, spec.baselines, `${environment}.resources.json`);
  const current = currentInventory(synthDir, environment);
  let requirements: RequirementsReport | undefined;
  try {
    // What the approving pull request must collect: the change against the inventory it replaces (none: all new).
    requirements = inventoryRequirements(root, spec, environment, passed ? current : optionalApprovedInventory(root, spec, environment), current);
  } catch (err) {
    if (!(err instanceof GateError)) throw err;
    return fail(err);
  }
  mkdirSync(dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, serializeInventory(current));
  renameSync(temp, file);
  if (requirements) process.stdout.write(renderRequirements(requirements, 'text'));
  const line = `${spec.project} ${environment}: ${relative(root, file)} written from the synth (policies passed): review and commit it${requirementLines(requirements).length > 0 ? `; the pull request needs: ${requirementLines(requirements).map((l) => l.replace(/^needs /, '')).join(', ')}` : ''}`;
  process.stdout.write(`${line}\n`);
  status.finish('ok', DEPLOY_EXIT.ok, line, requirements ? { requirements: requirements.requirements } : {});
  return DEPLOY_EXIT.ok;
}

function main(argv: string[]): number {
  const root = workspaceRoot();
  let invocation: Invocation;
  try {
    invocation = parse(argv);
  } catch (err) {
    const message = err instanceof GateError ? err.message : (err as Error).message.split('\n')[0];
    process.stderr.write(`tap-deploy: ${message} (tap-deploy.js [deploy|check|approve] --project <tap-stack|networking-stack> --environment <env>)\n`);
    return DEPLOY_EXIT.couldNotGate;
  }
  const { mode, spec, environment } = invocation;
  if (mode === 'check' && environment === undefined) {
    // No configuration: every environment, as tap-stack:drift-check does; the worst exit code wins.
    return Math.max(...ENVIRONMENT_NAMES.map((env) => check(root, spec, env, startDeployStatus(root, spec.appDir, TARGET_OF[mode], env))));
  }
  const status = startDeployStatus(root, spec.appDir, TARGET_OF[mode], environment);
  if (environment === undefined) {
    const line = `No stack chosen for ${mode} of ${spec.project}: add --configuration=<${ENVIRONMENT_NAMES.join('|')}> to the nx command.`;
    process.stderr.write(`tap-deploy: ${line}\n`);
    status.finish('error', DEPLOY_EXIT.couldNotGate, line);
    return DEPLOY_EXIT.couldNotGate;
  }
  if (mode === 'check') return check(root, spec, environment, status);
  if (mode === 'approve') return approve(root, spec, environment, status);
  return deploy(root, spec, environment, status, invocation.revert);
}

try {
  process.exit(main(process.argv.slice(2)));
} catch (err) {
  // A bug in the runner itself: exit 2 like a gate that could not run; one line here, the stack trace in a file.
  const file = join(workspaceRoot(), 'dist', 'apps', 'tap-stack', 'deploy', 'internal-error.log');
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  const message = err instanceof Error ? err.message.split('\n')[0] : String(err);
  process.stderr.write(`tap-deploy: internal error of the deploy runner: ${message} (stack trace in ${relative(process.cwd(), file)}; if pulumi up's output is above, check the stack with pulumi stack history)\n`);
  process.exit(DEPLOY_EXIT.couldNotGate);
}
