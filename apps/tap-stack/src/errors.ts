/** The stack config could not become an `EnvironmentConfig` (unknown environment, unreadable value). */
export class StackConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StackConfigError';
  }
}
