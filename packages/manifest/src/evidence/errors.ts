import { ManifestError } from '../errors';

/**
 * An evidence bundle that cannot be written or read at all (exit 2): a missing path, a folder that is not a bundle in
 * the way, a value of a secret environment variable found in what would be written. A `ManifestError`, so the CLI
 * prints it as one line naming the path.
 */
export class EvidenceError extends ManifestError {
  constructor(source: string, problem: string) {
    super('bad-argument', source, problem);
    this.name = 'EvidenceError';
  }
}
