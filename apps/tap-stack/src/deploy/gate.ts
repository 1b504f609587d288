import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { createInventory, diffInventories, loadInventory, ManifestError, readFileBytes, readJsonFile, renderRequirements, type ResourceInventory } from '@tap/manifest';
import type { EnvironmentName } from '@tap/validation';
import { DEPLOY_EXIT, MAX_PROBLEMS, TAP_DRIFT_CLI, TAP_POLICY_CLI, type DeployStepName, type StackGateSpec } from './constants';
import { GateError } from './errors';
import { inventoryRequirements, requirementLines } from './inventoryApprovals';
import { DeploySteps } from './steps';

/** What a passed gate vouches for: this synth of this program bundle, checked in this run. */
export interface GateResult {
  project: StackGateSpec['project'];
  environment: EnvironmentName;
  /** The fresh folder the gate synthesized into (`<dir>/<env>/resources.json`, ...). */
  synthDir: string;
  /** SHA-256 over the synth's files (name and content of each, sorted): what the checks below judged. */
  synthSha256: string;
  /** SHA-256 of the program bundle the synth ran and `pulumi up` will run. */
  programSha256: string;
  checks: {
    policy: 'passed';
    baseline: 'in-sync';
    /** `verified`, or why it was not run. */
    audit: string;
  };
}

interface ChildRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** The environment of every gate child: nothing that could point a check somewhere else than the committed baselines. */
function gateEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  // drift-gate.mjs once read another baseline folder from this variable; the gate never does, nor do its children.
  delete env['TAP_DRIFT_BASELINE'];
  return env;
}

/**
 * `node <script> args` in the workspace; its output goes to stderr (for people), to `log` when given (the full report
 * the summary points to), and is returned (for the verdict).
 */
function node(root: string, script: string, args: string[], { quiet = false, log }: { quiet?: boolean; log?: string } = {}): ChildRun {
  const run = spawnSync(process.execPath, [join(root, script), ...args], { cwd: root, encoding: 'utf8', env: gateEnv(), maxBuffer: 512 * 1024 * 1024 });
  if (!quiet) {
    process.stderr.write(run.stdout ?? '');
    process.stderr.write(run.stderr ?? '');
  }
  if (log) writeReport(log, `${run.stdout ?? ''}${run.stderr ?? ''}`);
  return { code: run.status ?? DEPLOY_EXIT.couldNotGate, stdout: run.stdout ?? '', stderr: run.stderr ?? '' };
}

function writeReport(file: string, text: string): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
}

/** Where a gate step's full output goes: dist/apps/<project>/deploy/<env>/<step>.log. */
export function stepReport(root: string, spec: StackGateSpec, environment: EnvironmentName, step: DeployStepName): string {
  return join(root, 'dist', 'apps', spec.project, 'deploy', environment, `${step.replaceAll(' ', '-')}.log`);
}

/** The non-empty lines of a check's output, at most MAX_PROBLEMS (the report has them all). */
function problemLines(text: string, drop: (line: string) => boolean = () => false): string[] {
  const lines = text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !drop(line));
  return lines.length > MAX_PROBLEMS ? [...lines.slice(0, MAX_PROBLEMS), `... ${lines.length - MAX_PROBLEMS} more in the full report`] : lines;
}

const firstLine = (text: string, fallback: string): string =>
  text
    .split('\n')
    .map((line) => line.trim())
    .find((line) => line !== '') ?? fallback;

/**
 * `read()`, with a file the gate cannot use (a FIFO or device that would block or never end, over 64 MiB, outside its
 * folder, missing) as a one-line refusal: nothing was gated.
 */
function gateRead<T>(read: () => T): T {
  try {
    return read();
  } catch (err) {
    if (err instanceof ManifestError) throw new GateError(`${err.message}; nothing was deployed`, DEPLOY_EXIT.couldNotGate);
    throw err;
  }
}

/** Lowercase hex SHA-256 of a file's bytes (a regular file of at most 64 MiB). */
export function sha256File(file: string): string {
  return createHash('sha256').update(gateRead(() => readFileBytes(file))).digest('hex');
}

/** SHA-256 over every file of a synth folder: `<name> <sha256 of its bytes>` per file, sorted by name. */
export function synthHash(dir: string): string {
  const lines = readdirSync(dir)
    .sort()
    .map((name) => `${name} ${sha256File(join(dir, name))}\n`);
  return createHash('sha256').update(lines.join('')).digest('hex');
}

function requireBuilt(root: string, file: string, build: string): void {
  if (!existsSync(join(root, file))) {
    throw new GateError(`${file} is missing: build it with "npx nx run ${build}" (nx run <app>:deploy builds it first)`, DEPLOY_EXIT.couldNotGate);
  }
}

/** The synth of `environment` into a fresh folder under dist/<app>/deploy/. */
function synthesize(root: string, spec: StackGateSpec, environment: EnvironmentName): string {
  const out = join(root, 'dist', 'apps', spec.project, 'deploy', environment, 'synth');
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const log = stepReport(root, spec, environment, 'synth');
  const run = node(root, spec.synth, ['--environment', environment, '--out', out], { log });
  if (run.code !== 0) {
    // The program's messages (config problems come as a list under a heading) on one line: the refusal is one line.
    const lines = run.stderr
      .split('\n')
      .map((line) => line.trim().replace(/^net-synth: synth of [\w-]+ \w+ failed: /, ''))
      .filter((line) => line !== '' && !/^error: synth \w+ failed:$/.test(line) && !/^\(\d+ resources/.test(line));
    const reason = lines.join(' ') || `the synth exited ${run.code}`;
    // The status file gets the problems one by one: each invalid value ("- key: why"), else the whole reason.
    const listed = lines.filter((line) => line.startsWith('- ')).map((line) => line.slice(2));
    // A program that fails offline fails `pulumi up` too: a refusal. A synth that cannot start is the gate's problem.
    throw new GateError(`the offline synth failed: ${reason}`, run.code === 1 ? DEPLOY_EXIT.refused : DEPLOY_EXIT.couldNotGate, {
      problems: listed.length > 0 ? listed : [reason],
      report: relative(root, log),
    });
  }
  const envDir = join(out, environment);
  if (!existsSync(join(envDir, 'resources.json'))) {
    throw new GateError(`the offline synth wrote no ${relative(root, join(envDir, 'resources.json'))}`, DEPLOY_EXIT.couldNotGate);
  }
  return envDir;
}

function checkPolicies(root: string, spec: StackGateSpec, environment: EnvironmentName, envDir: string): void {
  const file = relative(root, join(envDir, 'resources.json'));
  const log = stepReport(root, spec, environment, 'policies');
  const run = node(root, TAP_POLICY_CLI, ['check', file], { log });
  const details = { problems: problemLines(`${run.stdout}\n${run.stderr}`), report: relative(root, log) };
  if (run.code === 1) throw new GateError(`the tap-security policies found mandatory violations in ${file} (listed above): fix the code, then deploy again`, DEPLOY_EXIT.refused, details);
  if (run.code !== 0) {
    throw new GateError(`the policy check could not run (tap-policy exited ${run.code}: ${firstLine(run.stderr, 'no message')})`, DEPLOY_EXIT.couldNotGate, details);
  }
}

/** tap-stack: `tap-drift check` of this environment's synth against its committed baseline file. */
function checkManifestBaseline(root: string, spec: StackGateSpec, environment: EnvironmentName, envDir: string): void {
  const baseline = `${spec.baselines}/${environment}.json`;
  const log = stepReport(root, spec, environment, 'baseline check');
  const run = node(root, TAP_DRIFT_CLI, ['check', '--baseline', baseline, '--current', relative(root, join(envDir, 'manifest.json')), '--format', 'text'], { log });
  const report = relative(root, log);
  if (run.code === 1) {
    throw new GateError(
      `the synth differs from the approved baseline ${baseline} (tap-drift check, listed above): if the change is intended, run ${spec.approveCommand} and commit ${spec.baselines}/`,
      DEPLOY_EXIT.refused,
      // The changes themselves, without tap-drift's headings and verdict lines.
      { problems: problemLines(run.stdout, (line) => /^\w+: (changed|unchanged|added|removed)\b|^(changed|in sync|added|removed): /.test(line)), report },
    );
  }
  if (run.code !== 0) {
    throw new GateError(`the check against ${baseline} could not run (tap-drift exited ${run.code}: ${firstLine(run.stderr, 'no message')})`, DEPLOY_EXIT.couldNotGate, { report });
  }
}

/** The approved inventory of `environment`, or a one-line gate error. */
export function approvedInventory(root: string, spec: StackGateSpec, environment: EnvironmentName): ResourceInventory {
  const file = `${spec.baselines}/${environment}.resources.json`;
  try {
    // The committed folder is the boundary: a symlink or `..` out of it is not an approved baseline.
    return loadInventory(join(root, file), environment, { within: join(root, spec.baselines) }).inventory;
  } catch (err) {
    if (!(err instanceof ManifestError)) throw err;
    const approve = spec.approveCommand.replace('<env>', environment);
    throw new GateError(`${file}: no usable approved inventory (${err.message.split('\n')[0]}); run ${approve}, review and commit it`, DEPLOY_EXIT.couldNotGate);
  }
}

/** The approved inventory of `environment`, or `undefined` when there is none usable yet (a new environment). */
export function optionalApprovedInventory(root: string, spec: StackGateSpec, environment: EnvironmentName): ResourceInventory | undefined {
  try {
    return approvedInventory(root, spec, environment);
  } catch (err) {
    if (err instanceof GateError) return undefined;
    throw err;
  }
}

/** The synth's inventory (as `tap-drift` builds one from resources.json). */
export function currentInventory(envDir: string, environment: EnvironmentName): ResourceInventory {
  const file = join(envDir, 'resources.json');
  return createInventory(gateRead(() => readJsonFile(file, { within: envDir })), environment, file);
}

/** networking-stack: the synth's resource inventory against the committed `<env>.resources.json`. */
function checkInventoryBaseline(root: string, spec: StackGateSpec, environment: EnvironmentName, envDir: string): void {
  const approved = approvedInventory(root, spec, environment);
  const current = currentInventory(envDir, environment);
  if (approved.inventoryHash === current.inventoryHash) return;
  const diff = diffInventories(approved, current);
  const changes: string[] = [];
  for (const component of diff.components) {
    for (const resource of component.resources) {
      const properties = resource.properties.map((p) => ` ${p.path}`).join(',');
      changes.push(`${resource.kind} ${resource.type} ${resource.name}${properties ? `:${properties}` : ''}`);
    }
  }
  for (const change of changes) process.stderr.write(`  ${change}\n`);
  // The approvals the change needs, with the changes: what the pull request that approves it must collect.
  const requirements = inventoryRequirements(root, spec, environment, approved, current);
  const needs = requirements ? renderRequirements(requirements, 'text') : '';
  process.stderr.write(needs);
  const log = stepReport(root, spec, environment, 'baseline check');
  writeReport(log, `${changes.map((change) => `${change}\n`).join('')}${needs}`);
  const { added, removed, changed } = diff.counts;
  const approve = spec.approveCommand.replace('<env>', environment);
  throw new GateError(
    `the synth differs from the approved baseline ${spec.baselines}/${environment}.resources.json (${added} added, ${removed} removed, ${changed} changed, listed above): if the change is intended, run ${approve} and commit ${spec.baselines}/`,
    DEPLOY_EXIT.refused,
    { problems: problemLines([...changes, ...requirementLines(requirements)].join('\n')), report: relative(root, log) },
  );
}

/**
 * Whether this build of tap-drift has `audit verify` (the approval history's hash chain). It arrives with another
 * change to @tap/manifest; until then there is no chain to verify, and the gate says so in the status file instead of
 * failing every deploy. Asked of the CLI itself, so the gate starts verifying the moment the command exists.
 */
function hasAuditVerify(root: string): boolean {
  const help = node(root, TAP_DRIFT_CLI, ['audit', 'verify', '--help'], { quiet: true });
  // An unknown command with --help makes commander print the root usage and exit 0: only the command's own usage counts.
  return help.code === 0 && /^Usage: tap-drift audit verify\b/m.test(help.stdout);
}

function verifyAudit(root: string, spec: StackGateSpec, environment: EnvironmentName): string {
  if (spec.baselineKind !== 'manifest') return 'not applicable: no approval history for this stack';
  if (!hasAuditVerify(root)) return 'not available: this tap-drift has no audit verify';
  const history = `${spec.baselines}/history.jsonl`;
  const log = stepReport(root, spec, environment, 'audit verify');
  const run = node(root, TAP_DRIFT_CLI, ['audit', 'verify', '--history', history, '--baseline', spec.baselines], { log });
  const details = { problems: problemLines(run.stderr), report: relative(root, log) };
  if (run.code === 1) throw new GateError(`the approval history ${history} does not verify (${firstLine(run.stderr, 'tap-drift audit verify exited 1')}): restore it from main`, DEPLOY_EXIT.refused, details);
  if (run.code !== 0) {
    throw new GateError(`the audit check of ${history} could not run (tap-drift exited ${run.code}: ${firstLine(run.stderr, 'no message')})`, DEPLOY_EXIT.couldNotGate, details);
  }
  return 'verified';
}

/**
 * The whole gate for one stack and environment, in this process, against the committed baselines: a fresh offline
 * synth of the program bundle, the tap-security policies over it, the check against the approved baseline, the audit
 * history (when tap-drift can verify it). Nothing here reads an option or a variable that names other baselines.
 *
 * Each check is recorded in `steps` (passed, or failed with its first line and report) for the run's summary.
 *
 * @throws GateError (one line) when the deploy must not go ahead.
 * @example
 * const passed = runGate(root, STACK_GATES['tap-stack'], 'prod');
 * passed.synthSha256; // what `pulumi up` is about to deploy was checked as this
 */
export function runGate(root: string, spec: StackGateSpec, environment: EnvironmentName, steps: DeploySteps = new DeploySteps()): GateResult {
  const { envDir, programSha256 } = steps.run('synth', () => {
    requireBuilt(root, spec.program, `${spec.project}:build`);
    requireBuilt(root, spec.synth, 'tap-stack:build');
    requireBuilt(root, TAP_POLICY_CLI, 'policy:build');
    requireBuilt(root, TAP_DRIFT_CLI, 'manifest:build');
    return { programSha256: sha256File(join(root, spec.program)), envDir: synthesize(root, spec, environment) };
  });
  const synthSha256 = synthHash(envDir);
  steps.run('policies', () => checkPolicies(root, spec, environment, envDir));
  steps.run('baseline check', () => (spec.baselineKind === 'manifest' ? checkManifestBaseline(root, spec, environment, envDir) : checkInventoryBaseline(root, spec, environment, envDir)));
  // Not applicable or not available: skipped, and the summary says why.
  const audit = steps.run('audit verify', () => verifyAudit(root, spec, environment), (result) => (result === 'verified' ? undefined : result));
  return { project: spec.project, environment, synthDir: envDir, synthSha256, programSha256, checks: { policy: 'passed', baseline: 'in-sync', audit } };
}

/**
 * Right before `pulumi up`: the program bundle and the synth are still the ones the gate judged (nothing rebuilt or
 * rewrote them while the checks ran).
 *
 * @throws GateError when either changed.
 */
export function assertUnchanged(root: string, spec: StackGateSpec, passed: GateResult): void {
  if (sha256File(join(root, spec.program)) !== passed.programSha256) {
    throw new GateError(`${spec.program} changed while the gate ran: deploy again (nothing was deployed)`);
  }
  if (synthHash(passed.synthDir) !== passed.synthSha256) {
    throw new GateError(`${relative(root, passed.synthDir)} changed while the gate ran: deploy again (nothing was deployed)`);
  }
}
