/** Bad input or a missing build: the gate prints the one line and exits 2. */
export class GateUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GateUsageError';
  }
}

/** A run that the CLI ends with `code` after it printed its lines (e.g. the CI refusals). */
export class GateExit extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
    this.name = 'GateExit';
  }
}

/** A problem that ends a live drift run with exit 2; `usage` also prints the usage first. */
export class LiveDriftFailure extends GateUsageError {
  constructor(
    message: string,
    readonly usage = false,
  ) {
    super(message);
    this.name = 'LiveDriftFailure';
  }
}
