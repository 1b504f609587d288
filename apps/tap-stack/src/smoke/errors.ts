/** The smoke run could not go on: bad input, no Pulumi CLI, a stack that cannot be created. */
export class SmokeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SmokeError';
  }
}

/** A check of a step failed: the message says what was expected and what came back. */
export class SmokeCheckError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SmokeCheckError';
  }
}
