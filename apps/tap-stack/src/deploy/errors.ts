import { DEPLOY_EXIT } from './constants';

/**
 * The gate did not let the deploy through. `exitCode` says why: {@link DEPLOY_EXIT.refused} (it checked and said no)
 * or {@link DEPLOY_EXIT.couldNotGate} (it could not check). The message is one line: what, where, how to fix.
 */
export class GateError extends Error {
  readonly exitCode: number;
  /** The problems themselves (each change, violation or invalid value), for the status file. Default: the message. */
  readonly problems: string[];
  /** Where the full report of the failed check is (workspace-relative), if it wrote one. */
  readonly report?: string;

  constructor(message: string, exitCode: number = DEPLOY_EXIT.refused, details: { problems?: string[]; report?: string } = {}) {
    super(message);
    this.name = 'GateError';
    this.exitCode = exitCode;
    this.problems = details.problems && details.problems.length > 0 ? details.problems : [message];
    this.report = details.report;
  }
}

/** A plan file `pulumi preview --save-plan` should have written is missing or is not a Pulumi update plan. */
export class PlanFileError extends GateError {
  constructor(file: string, reason: string) {
    super(`the update plan ${file} cannot be used (${reason}): nothing was deployed; run the deploy again`, DEPLOY_EXIT.couldNotGate);
    this.name = 'PlanFileError';
  }
}
