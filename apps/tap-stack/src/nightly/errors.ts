/** A failed GitHub call, or a repository that is not `owner/name`: one line (method, path, status, GitHub's message). */
export class GithubApiError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GithubApiError';
  }
}

/** The nightly results cannot be read or the options are wrong: one line, exit 2. */
export class NightlyInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NightlyInputError';
  }
}
