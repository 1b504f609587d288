// The GitHub REST calls of the nightly drift issues, with plain fetch (no client library in the workspace):
//   GET   /repos/{owner}/{repo}/issues?labels=<l>&state=open&per_page=100   list (pages followed by the Link header's
//         rel="next"; pull requests are in this list too and carry a `pull_request` key)
//         https://docs.github.com/en/rest/issues/issues#list-repository-issues
//         https://docs.github.com/en/rest/using-the-rest-api/using-pagination-in-the-rest-api
//   POST  /repos/{owner}/{repo}/issues {title, body, labels}                 https://docs.github.com/en/rest/issues/issues#create-an-issue
//   POST  /repos/{owner}/{repo}/issues/{n}/comments {body}                   https://docs.github.com/en/rest/issues/comments#create-an-issue-comment
//   PATCH /repos/{owner}/{repo}/issues/{n} {body} | {state: closed, state_reason: completed}
//         https://docs.github.com/en/rest/issues/issues#update-an-issue
import { GithubApiError } from './errors';
import type { GithubIssue, IssueAction } from './issues';

/** Where and as whom the runner talks to GitHub. */
export interface GithubOptions {
  /** `owner/name`. */
  repository: string;
  /** A token with `issues: read` (listing) or `issues: write` (applying). Never printed. */
  token: string;
  /** Default: https://api.github.com (GITHUB_API_URL on GitHub Actions). */
  apiUrl?: string;
  /** Default: the global fetch. */
  fetch?: typeof fetch;
}

/** A guard against a Link header that never ends. */
const MAX_PAGES = 50;

/** The URL of the Link header's `rel="next"`, if any. */
function nextPage(link: string | null): string | undefined {
  for (const part of (link ?? '').split(',')) {
    const match = /<([^>]+)>\s*;\s*rel="next"/.exec(part);
    if (match) return match[1];
  }
  return undefined;
}

/**
 * The REST calls the nightly issues need.
 *
 * @example
 * const github = githubRest({ repository: 'tap/platform', token: process.env.GITHUB_TOKEN ?? '' });
 * const open = await github.listOpenIssues('live-drift');
 * for (const action of decideIssueActions(result, open)) await github.apply(action);
 */
export function githubRest(options: GithubOptions) {
  if (!/^[\w.-]+\/[\w.-]+$/.test(options.repository)) throw new GithubApiError(`--repository must be owner/name, got "${options.repository}"`);
  const api = (options.apiUrl ?? 'https://api.github.com').replace(/\/+$/, '');
  const doFetch = options.fetch ?? fetch;
  const base = `${api}/repos/${options.repository}`;

  async function call(method: string, url: string, body?: unknown): Promise<Response> {
    const response = await doFetch(url, {
      method,
      headers: {
        accept: 'application/vnd.github+json',
        authorization: `Bearer ${options.token}`,
        'x-github-api-version': '2022-11-28',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (!response.ok) {
      let message = '';
      try {
        message = String(((await response.json()) as { message?: unknown }).message ?? '');
      } catch {
        message = '';
      }
      throw new GithubApiError(`${method} ${url.replace(api, '')} answered ${response.status}${message ? `: ${message}` : ''}`);
    }
    return response;
  }

  return {
    /** Every open issue (and pull request) with `label`, all pages. */
    async listOpenIssues(label: string): Promise<GithubIssue[]> {
      const issues: GithubIssue[] = [];
      let url: string | undefined = `${base}/issues?labels=${encodeURIComponent(label)}&state=open&per_page=100`;
      for (let page = 0; url !== undefined; page++) {
        if (page === MAX_PAGES) throw new GithubApiError(`GET ${base.replace(api, '')}/issues: more than ${MAX_PAGES} pages`);
        const response = await call('GET', url);
        const items: unknown = await response.json();
        if (!Array.isArray(items)) throw new GithubApiError(`GET ${url.replace(api, '')} did not answer a list of issues`);
        issues.push(...(items as GithubIssue[]));
        url = nextPage(response.headers.get('link'));
      }
      return issues;
    },

    /** Carries out one decided action. */
    async apply(action: IssueAction): Promise<void> {
      if (action.kind === 'create') await call('POST', `${base}/issues`, { title: action.title, body: action.body, labels: action.labels });
      else if (action.kind === 'comment') await call('POST', `${base}/issues/${action.issue}/comments`, { body: action.body });
      else if (action.kind === 'update') await call('PATCH', `${base}/issues/${action.issue}`, { body: action.body });
      else await call('PATCH', `${base}/issues/${action.issue}`, { state: 'closed', state_reason: 'completed' });
    },
  };
}
