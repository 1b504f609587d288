/** A physical resource name that breaks the `{type}-{environment}-{suffix}` rule. */
export class ResourceNameError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ResourceNameError';
  }
}
