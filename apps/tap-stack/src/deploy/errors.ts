import { DEPLOY_EXIT } from './constants';

/**
 * The gate did not let the deploy through. `exitCode` says why: {@link DEPLOY_EXIT.refused} (it checked and said no)
 * or {@link DEPLOY_EXIT.couldNotGate} (it could not check). The message is one line: what, where, how to fix.
 */
export class GateError extends Error {
  readonly exitCode: number;

  constructor(message: string, exitCode: number = DEPLOY_EXIT.refused) {
    super(message);
    this.name = 'GateError';
    this.exitCode = exitCode;
  }
}
