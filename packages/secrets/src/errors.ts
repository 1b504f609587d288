/** Invalid arguments to {@link SecretsComponent}. */
export class SecretsComponentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecretsComponentError';
  }
}

/**
 * A rotation step refused to go on (disabled rotation, unknown token, unusable secret, no working credentials).
 * Secrets Manager sees the failed invocation and retries the rotation later; AWSCURRENT is left as it was.
 */
export class RotationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RotationError';
  }
}
