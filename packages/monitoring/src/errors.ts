/** Invalid arguments to {@link MonitoringComponent}. */
export class MonitoringComponentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MonitoringComponentError';
  }
}
