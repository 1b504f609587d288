/** The networking stack's configuration is unusable (bad CIDR, NAT count, environment). */
export class NetworkConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NetworkConfigError';
  }
}
