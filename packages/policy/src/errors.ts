/** The records or options given to the offline evaluator (or the CLI) are not usable. */
export class PolicyInputError extends Error {
  override readonly name = 'PolicyInputError';
}

/** A policy threw something other than "not applicable" or "unknown during preview": a bug in the policy. */
export class PolicyEvaluationError extends Error {
  override readonly name = 'PolicyEvaluationError';
}

/** Thrown by `notApplicable()` in hand-built args, the way the engine's analyzer does. */
export class NotApplicableError extends Error {
  override readonly name = 'NotApplicableError';
  constructor(readonly reason?: string) {
    super(reason ?? 'not applicable');
  }
}
