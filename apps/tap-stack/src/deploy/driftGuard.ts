// The drift guard of a gated deploy: right before `pulumi up`, what changed in the cloud outside the stack (pulumi
// refresh --preview-only) is set against what this deploy is about to touch (every resource
// of the saved plan `up --plan` applies with a step other than same or read). `up` writes the stack's state to those resources, so an out-of-band change there (an incident fix, a console
// edit) would be reverted without a word: the deploy stops and lists them, unless the user chose to revert them with
// --revert-drift --reason="..." (recorded in the approval history). Drift elsewhere is left as it is, with a warning.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import {
  appendRevertDrift,
  applyIgnoreRules,
  LiveDriftError,
  loadIgnoreRules,
  ManifestError,
  parseRefreshPreview,
  type RefreshPreview,
  type ResourceDrift,
  type RevertDriftRecord,
} from '@tap/manifest';
import type { EnvironmentName } from '@tap/validation';
import { DEPLOY_EXIT, type StackGateSpec } from './constants';
import { GateError } from './errors';

/** A drifted resource as the guard reports it: no values, only which properties differ (values may be secrets). */
export interface DriftedResource {
  urn: string;
  type: string;
  /** How it drifted: changed, missing (deleted outside the stack), unmanaged, replaced, unknown. */
  kind: ResourceDrift['kind'];
  /** The property paths that differ between the cloud and the state (not ignored). */
  properties: string[];
}

/** What the guard found, for the status file and the evidence bundle. */
export interface DriftGuardResult {
  /** Drifted resources this deploy updates, replaces or deletes: `up` reverts their out-of-band changes. */
  touched: DriftedResource[];
  /** Drifted resources this deploy leaves alone: the drift stays (a warning). */
  untouched: DriftedResource[];
  /** The history line written when the user chose to revert `touched` (`--revert-drift --reason`). */
  revert?: RevertDriftRecord;
  /** The guard's report (workspace-relative): dist/apps/<project>/deploy/<env>/drift-guard.json. */
  report: string;
}

/** `--revert-drift --reason="..."`: overwrite the out-of-band changes of the resources this deploy touches, knowingly. */
export interface RevertDrift {
  reason: string;
}

/** The stack's ignore rules (benign drift, e.g. an Aurora minor-version upgrade by AWS), beside its Pulumi.yaml. */
const IGNORE_FILE = 'drift-ignore.json';

/** Pulumi's colour markup and line breaks do not belong in a one-line refusal. */
const plain = (text: string): string => text.replace(/<\{%[^%]*%\}>/g, '').replace(/\s+/g, ' ').trim();

const firstLine = (text: string): string | undefined =>
  text
    .split('\n')
    .map((line) => plain(line))
    .find((line) => line !== '');

/** `pulumi <args> --json`'s document, or a one-line "cannot judge" (exit 2): a failed or unreadable run is never "no drift". */
function pulumiJson(spec: StackGateSpec, root: string, args: string[]): unknown {
  const command = `pulumi ${args.join(' ')}`;
  const run = spawnSync('pulumi', args, { cwd: join(root, spec.appDir), encoding: 'utf8', maxBuffer: 512 * 1024 * 1024 });
  const cannotJudge = (why: string) =>
    new GateError(`the drift guard cannot judge: ${command} ${why}; nothing was deployed (fix it and deploy again)`, DEPLOY_EXIT.couldNotGate);
  if (run.error) throw cannotJudge(`could not start (${run.error.message})`);
  if (run.status !== 0) throw cannotJudge(`exited ${run.status ?? `by ${run.signal}`}: ${firstLine(run.stderr ?? '') ?? 'no message'}`);
  try {
    return JSON.parse(run.stdout ?? '');
  } catch {
    throw cannotJudge(`printed no JSON document (${(run.stdout ?? '').trim() === '' ? 'empty output' : 'not JSON'})`);
  }
}

/**
 * The cloud-vs-state drift that counts, from `pulumi refresh --preview-only --json`'s document: the stack's ignore
 * rules and the changes services make by design (secret rotation) applied, each entry with the properties that count.
 *
 * @throws GateError (exit 2) when `document` is not that JSON, or the refresh reported an error.
 * @example
 * countedDrift(JSON.parse(stdout), []); // [{ urn, type: 'aws:cloudwatch/metricAlarm:MetricAlarm', kind: 'changed', properties: ['threshold'] }]
 */
export function countedDrift(document: unknown, rules: Parameters<typeof applyIgnoreRules>[1], source = 'pulumi refresh --preview-only --json'): DriftedResource[] {
  let preview: RefreshPreview;
  try {
    preview = applyIgnoreRules(parseRefreshPreview(document, source), rules);
  } catch (err) {
    if (err instanceof LiveDriftError) throw new GateError(`the drift guard cannot judge: ${plain(err.message)}; nothing was deployed`, DEPLOY_EXIT.couldNotGate);
    throw err;
  }
  if (preview.errors.length > 0) {
    throw new GateError(`the drift guard cannot judge: ${source} reported an error: ${preview.errors[0]}; nothing was deployed`, DEPLOY_EXIT.couldNotGate);
  }
  return preview.resources
    .filter((resource) => !resource.ignored)
    .map((resource) => ({ urn: resource.urn, type: resource.type, kind: resource.kind, properties: resource.properties.filter((p) => !p.ignored).map((p) => p.path) }));
}

/**
 * Splits the drift into what this deploy touches (`up` would revert it) and what it leaves alone.
 *
 * @example
 * judgeDrift(drifted, ['urn:pulumi:prod::TapStack::...::tap-monitoring-lambda-errors']); // { touched: [alarm], untouched: [...] }
 */
export function judgeDrift(drifted: readonly DriftedResource[], touchedUrns: readonly string[]): Pick<DriftGuardResult, 'touched' | 'untouched'> {
  const touching = new Set(touchedUrns);
  return { touched: drifted.filter((d) => touching.has(d.urn)), untouched: drifted.filter((d) => !touching.has(d.urn)) };
}

/** `  ~ <urn> (<type>, <kind>): <properties>`, one line per resource. */
export function driftLines(resources: readonly DriftedResource[]): string[] {
  return resources.map((r) => `  ~ ${r.urn} (${r.type}, ${r.kind}): ${r.properties.length > 0 ? r.properties.join(', ') : 'the whole resource'}`);
}

const nameOf = (urn: string): string => urn.split('::').slice(3).join('::') || urn;

/**
 * The drift guard of a deploy of `spec` to `environment`: asks Pulumi what drifted (refresh preview) and what this
 * deploy touches (preview), writes its report, then refuses (exit 1) when a touched resource drifted, unless `revert`
 * is given: then a `revert-drift` line (environment, reason, resources, who) is appended to the stack's history and the
 * deploy goes on. Drift on resources the deploy leaves alone is printed as a warning.
 *
 * @throws GateError exit 1 (touched drift, no --revert-drift) or exit 2 (cannot judge: a Pulumi run failed or printed
 *   something else than its JSON, or the history cannot take the record).
 * @example
 * const guard = runDriftGuard(root, STACK_GATES['tap-stack'], 'prod', { reason: 'undo the incident hotfix' });
 * guard.revert?.resources; // what the deploy reverts, as recorded in apps/tap-stack/manifests/history.jsonl
 */
export function runDriftGuard(root: string, spec: StackGateSpec, environment: EnvironmentName, touchedUrns: readonly string[], revert?: RevertDrift): DriftGuardResult {
  const ignoreFile = join(root, spec.appDir, IGNORE_FILE);
  let rules: Parameters<typeof applyIgnoreRules>[1] = [];
  try {
    rules = existsSync(ignoreFile) ? loadIgnoreRules(ignoreFile) : [];
  } catch (err) {
    if (err instanceof LiveDriftError) throw new GateError(`the drift guard cannot judge: ${plain(err.message)}`, DEPLOY_EXIT.couldNotGate);
    throw err;
  }
  const refreshArgs = ['refresh', '--preview-only', '--json', '--non-interactive', '--stack', environment];
  const drifted = countedDrift(pulumiJson(spec, root, refreshArgs), rules, `pulumi ${refreshArgs.join(' ')}`);
  // Nothing drifted: nothing to revert, whatever the deploy touches.
  const { touched, untouched } = drifted.length === 0 ? { touched: [], untouched: [] } : judgeDrift(drifted, touchedUrns);
  const reportFile = join(root, 'dist', 'apps', spec.project, 'deploy', environment, 'drift-guard.json');
  const report = relative(root, reportFile);
  const write = (result: Omit<DriftGuardResult, 'report'>) => {
    mkdirSync(dirname(reportFile), { recursive: true });
    writeFileSync(reportFile, `${JSON.stringify({ environment, ...result }, null, 2)}\n`);
    return { ...result, report };
  };
  if (untouched.length > 0) {
    process.stderr.write(
      `tap-deploy: WARNING: ${untouched.length} resource(s) of ${spec.project} ${environment} changed outside the stack; this deploy leaves them as they are (adopt or revert them later; report ${report}):\n${driftLines(untouched).join('\n')}\n`,
    );
  }
  if (touched.length === 0) {
    if (revert) process.stderr.write(`tap-deploy: --revert-drift: this deploy reverts no out-of-band change; nothing recorded\n`);
    return write({ touched, untouched });
  }
  const listed = `${touched.length} resource(s) this deploy would update, replace or delete changed outside the stack, and pulumi up would revert them (${touched.map((r) => nameOf(r.urn)).join(', ')})`;
  if (!revert) {
    process.stderr.write(`tap-deploy: out-of-band changes this deploy would revert:\n${driftLines(touched).join('\n')}\n`);
    write({ touched, untouched });
    throw new GateError(
      `${listed}: adopt the changes in the code, or deploy again with --revert-drift --reason="<why>" to overwrite them (recorded in ${spec.baselines}/history.jsonl)`,
      DEPLOY_EXIT.refused,
      { problems: driftLines(touched).map((line) => line.trim()), report },
    );
  }
  const history = join(root, spec.baselines, 'history.jsonl');
  let record: RevertDriftRecord;
  try {
    record = appendRevertDrift({ history, environment, reason: revert.reason, resources: touched.map(({ urn, type, properties }) => ({ urn, type, properties })) });
  } catch (err) {
    if (err instanceof ManifestError) throw new GateError(`the revert of out-of-band changes could not be recorded (${err.message}); nothing was deployed`, DEPLOY_EXIT.couldNotGate);
    throw err;
  }
  process.stderr.write(`tap-deploy: --revert-drift: ${listed}; recorded in ${relative(root, history)} (reason: ${record.reason}):\n${driftLines(touched).join('\n')}\n`);
  return write({ touched, untouched, revert: record });
}
