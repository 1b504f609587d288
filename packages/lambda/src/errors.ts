/** Invalid arguments to {@link LambdaComponent} or an unusable build context. */
export class LambdaComponentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LambdaComponentError';
  }
}
