import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import type { EnvironmentName } from '@tap/validation';
import { DEPLOY_EXIT, MAX_PROBLEMS, PLAN_FILE, PULUMI_PREVIEW_FLAGS, type StackGateSpec } from './constants';
import { GateError } from './errors';
import { approvedInventory, stepReport } from './gate';
import { readDeploymentPlan } from './plan';
import { comparePlanWithInventory, type PlanComparison, type PlanFinding } from './planCheck';

/** Where the deploy of `environment` saves its update plan (absolute). */
export function planFile(root: string, spec: StackGateSpec, environment: EnvironmentName): string {
  return join(root, 'dist', 'apps', spec.project, 'deploy', environment, PLAN_FILE);
}

/**
 * `pulumi preview --save-plan <file>` of the stack, in its folder (its output goes to the terminal): the engine's own
 * plan of what `up` would do, written fresh (an earlier run's file is removed first, so it is never judged instead).
 *
 * @throws GateError (could not gate) when the preview fails or writes no plan.
 * @example
 * const file = savePlan(root, STACK_GATES['tap-stack'], 'prod', ['--policy-pack', '../../tools/policy-pack']);
 */
export function savePlan(root: string, spec: StackGateSpec, environment: EnvironmentName, policyPackFlags: string[]): string {
  const file = planFile(root, spec, environment);
  rmSync(file, { force: true });
  mkdirSync(dirname(file), { recursive: true });
  const args = ['preview', ...PULUMI_PREVIEW_FLAGS, '--save-plan', file, ...policyPackFlags, '--stack', environment];
  const run = spawnSync('pulumi', args, { cwd: join(root, spec.appDir), stdio: 'inherit' });
  if (run.error) throw new GateError(`The Pulumi CLI could not be started for the preview: ${run.error.message}.`, DEPLOY_EXIT.couldNotGate);
  if (run.status !== 0) {
    throw new GateError(
      `pulumi preview --save-plan --stack ${environment} of ${spec.project} exited ${run.status ?? run.signal}: see its output above (nothing was deployed)`,
      DEPLOY_EXIT.couldNotGate,
    );
  }
  return file;
}

const findingLine = (finding: PlanFinding) => finding.message;

/**
 * The saved plan against the committed approved inventory (`<baselines>/<env>.resources.json`). Every refusal and
 * every unproven value (unknown until deploy, a secret, an unresolved reference) goes to the step's report.
 *
 * @throws GateError (refused, exit 1) naming the first refused URN and property; (could not gate, exit 2) when the
 * plan file or the inventory cannot be read.
 * @example
 * const verdict = checkSavedPlan(root, STACK_GATES['tap-stack'], 'prod', file);
 * verdict.unproven.length; // what the plan could not prove, listed in dist/apps/tap-stack/deploy/prod/plan-check.log
 */
export function checkSavedPlan(root: string, spec: StackGateSpec, environment: EnvironmentName, file: string): PlanComparison {
  const plan = readDeploymentPlan(file);
  const inventory = approvedInventory(root, spec, environment);
  const verdict = comparePlanWithInventory(plan, inventory);
  const log = stepReport(root, spec, environment, 'plan check');
  mkdirSync(dirname(log), { recursive: true });
  writeFileSync(
    log,
    [
      `update plan ${relative(root, file)} against ${spec.baselines}/${environment}.resources.json: ${verdict.resources} resource plans`,
      ...verdict.refusals.map((f) => `REFUSED  ${findingLine(f)}`),
      ...verdict.unproven.map((f) => `UNPROVEN ${f.urn}: ${findingLine(f)}`),
      '',
    ].join('\n'),
  );
  if (verdict.refusals.length > 0) {
    const first = verdict.refusals[0];
    const more = verdict.refusals.length > 1 ? ` (and ${verdict.refusals.length - 1} more in the report)` : '';
    const problems = verdict.refusals.map(findingLine);
    throw new GateError(
      `the engine's plan does what the approved inventory does not hold: ${first.message}${more}: the program behaves differently under the engine than in the synth; fix the program (nothing was deployed)`,
      DEPLOY_EXIT.refused,
      { problems: problems.length > MAX_PROBLEMS ? [...problems.slice(0, MAX_PROBLEMS), `... ${problems.length - MAX_PROBLEMS} more in the full report`] : problems, report: relative(root, log) },
    );
  }
  return verdict;
}
