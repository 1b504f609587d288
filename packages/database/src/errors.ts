/** Invalid arguments to {@link DatabaseComponent} (open ingress, bad engine version, counts out of range…). */
export class DatabaseComponentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DatabaseComponentError';
  }
}
