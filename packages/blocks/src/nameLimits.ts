import { componentNameProblem, type ComponentName } from '@tap/validation';

/** A physical name over its AWS length limit, refused before any resource is created. */
export class NameLimitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NameLimitError';
  }
}

/**
 * Throws one `NameLimitError` when a name `block` (called `name`) was given is over its AWS limit: a name over it would
 * fail the deploy halfway, after the resources before it were created. A block is given whole names, so the message
 * says how many characters to cut; components check first and name the longest environmentSuffix that fits.
 *
 * @example
 * assertNamesFit('createVpcFunction', 'worker', [{ what: 'function name', type: 'aws:lambda/function:Function', name: 'worker-dev-001' }]);
 */
export function assertNamesFit(block: string, name: string, names: readonly ComponentName[]): void {
  const problem = componentNameProblem(block, name, undefined, names);
  if (problem !== undefined) throw new NameLimitError(problem);
}
