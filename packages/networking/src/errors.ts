/** The networking stack reference is missing an output, or an output has the wrong shape or too few entries. */
export class NetworkingStackError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NetworkingStackError';
  }
}
