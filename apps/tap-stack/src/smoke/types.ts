import type { EnvironmentName } from '@tap/validation';

/** How a step ended. */
export type StepStatus = 'passed' | 'failed' | 'error' | 'skipped';

/** One step of the run, as printed and recorded. */
export interface SmokeStep {
  name: string;
  status: StepStatus;
  durationMs: number;
  detail: string;
}

/** What `dist/apps/tap-stack/smoke/<env>.json` holds. */
export interface SmokeReport {
  environment: EnvironmentName;
  stack: string;
  suffix: string;
  outcome: 'passed' | 'failed' | 'error';
  /** 0 passed, 1 a check failed, 2 could not run or could not tear down. */
  exitCode: number;
  steps: SmokeStep[];
  /** Resources of the temporary stack after `pulumi up`. */
  resourceCount?: number;
  /** True once `pulumi destroy` and `pulumi stack rm` both succeeded (or nothing was created). */
  tornDown: boolean;
  /** Commands to finish the teardown by hand, when it did not finish. */
  finishByHand?: string[];
  startedAt: string;
  finishedAt: string;
  durationMs: number;
}
