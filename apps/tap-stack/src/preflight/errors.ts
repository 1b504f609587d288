/** Why a preflight could not check the account (exit 2): no credentials, throttled, bad input. */
export type PreflightFailure = 'credentials' | 'throttled' | 'input' | 'aws';

/** The preflight could not check the account: one line says why and what to do. */
export class PreflightError extends Error {
  constructor(
    message: string,
    readonly reason: PreflightFailure,
  ) {
    super(message);
    this.name = 'PreflightError';
  }
}
