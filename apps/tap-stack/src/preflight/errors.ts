/** Why a preflight could not check the account (exit 2): no credentials, throttled, a quota reached, bad input. */
export type PreflightFailure = 'credentials' | 'throttled' | 'quota' | 'input' | 'aws';

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
