import { ManifestError } from '../errors';

/**
 * A rules file, a given-approvals file or a requirements report that cannot be used (exit 2). A `ManifestError`, so
 * the CLI prints it as one line naming the file; `issues` lists each schema problem.
 */
export class ApprovalInputError extends ManifestError {
  constructor(
    source: string,
    problem: string,
    readonly issues: readonly string[] = [],
  ) {
    super('schema', source, problem);
    this.name = 'ApprovalInputError';
  }
}
