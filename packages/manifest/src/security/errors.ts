/** Why a value is not a policy document the security diff can read (it becomes an `unjudged`, broadening grant). */
export class PolicyShapeError extends Error {
  constructor(readonly problem: string) {
    super(problem);
    this.name = 'PolicyShapeError';
  }
}
