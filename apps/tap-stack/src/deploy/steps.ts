import { DEPLOY_EXIT, DEPLOY_OUTCOME, DEPLOY_STEPS, type DeployStepName } from './constants';
import { GateError } from './errors';

/** How one step of a gated deploy ended. */
export interface DeployStep {
  name: DeployStepName;
  status: 'passed' | 'failed' | 'skipped';
  /** Why it failed (its first line) or was skipped. */
  detail?: string;
  /** Where its full report is (workspace-relative). */
  report?: string;
}

const MARK: Record<DeployStep['status'], string> = { passed: '✓', failed: '✗', skipped: '-' };
const NAME_WIDTH = Math.max(...DEPLOY_STEPS.map((name) => name.length)) + 1;

/**
 * The record of a gated deploy's steps: what passed, what failed (first line and report), and, by omission, what was
 * skipped. Printed at the end of every run as one short block, and kept in the status file.
 *
 * @example
 * const steps = new DeploySteps();
 * const dir = steps.run('synth', () => synthesize(root, spec, 'dev'));
 * steps.list(); // [{ name: 'synth', status: 'passed' }, { name: 'policies', status: 'skipped' }, ...]
 */
export class DeploySteps {
  private readonly done = new Map<DeployStepName, DeployStep>();

  constructor(private readonly names: readonly DeployStepName[] = DEPLOY_STEPS) {}

  /** Records `name`'s outcome (the first record of a step stands). */
  record(name: DeployStepName, status: DeployStep['status'], detail?: string, report?: string): void {
    if (this.done.has(name)) return;
    this.done.set(name, { name, status, ...(detail === undefined ? {} : { detail: detail.split('\n')[0] }), ...(report === undefined ? {} : { report }) });
  }

  /**
   * Runs `body` as step `name`: passed when it returns (skipped when `skippedBecause` gives a reason for its result),
   * failed (with the GateError's message and report) when it throws.
   */
  run<T>(name: DeployStepName, body: () => T, skippedBecause: (result: T) => string | undefined = () => undefined): T {
    try {
      const result = body();
      const reason = skippedBecause(result);
      this.record(name, reason === undefined ? 'passed' : 'skipped', reason);
      return result;
    } catch (err) {
      if (err instanceof GateError) this.record(name, 'failed', err.message, err.report);
      else this.record(name, 'failed', `internal error: ${(err as Error).message}`);
      throw err;
    }
  }

  /** Every step in order; one never reached is skipped. */
  list(): DeployStep[] {
    return this.names.map((name) => this.done.get(name) ?? { name, status: 'skipped' });
  }

  /**
   * The closing block: the verdict, each step with its mark, a failure's first line and report, the status file.
   *
   * @example
   * process.stderr.write(steps.summary('tap-stack prod', 1, 'dist/apps/tap-stack/status/deploy-prod.json'));
   */
  summary(what: string, exitCode: number, statusFile: string): string {
    // Every stop before `pulumi up` deployed nothing; a failed up may have changed part of the stack.
    const deployed = exitCode === DEPLOY_EXIT.ok ? '' : exitCode === DEPLOY_EXIT.upFailed ? ', the stack may be partly updated' : ', nothing deployed';
    const lines = [`tap-deploy summary: ${what}: ${DEPLOY_OUTCOME[exitCode] ?? 'STOPPED'} (exit ${exitCode})${deployed}`];
    for (const step of this.list()) {
      const detail = step.status === 'failed' ? (step.detail ?? 'failed') : step.status === 'skipped' && step.detail ? `skipped (${step.detail})` : step.status;
      lines.push(`  ${MARK[step.status]} ${step.name.padEnd(NAME_WIDTH)} ${detail}`);
      if (step.status === 'failed' && step.report) lines.push(`${' '.repeat(NAME_WIDTH + 5)}full report: ${step.report}`);
    }
    lines.push(`  status file: ${statusFile}`);
    return `${lines.join('\n')}\n`;
  }
}
