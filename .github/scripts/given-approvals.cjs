// The approvals a pull request has, as `tap-drift verify-approvals --given` reads them: each reviewer whose latest
// decisive review (APPROVED, CHANGES_REQUESTED or DISMISSED; comments change nothing) approves, never the author, with
// the review's id, the commit it was given on, and the approval groups of the rules file (GitHub teams of the same
// slug) the reviewer is an active member of. A second file describes the pull request (author, head, base, and who
// authored or committed its commits), so verify-approvals can refuse a review on an older commit or by a pusher.
// Run by actions/github-script from the BASE branch's checkout, in a job that runs none of the pull request's code:
// team membership needs a token that can read the organization's teams.
const { existsSync, readFileSync, writeFileSync } = require('node:fs');
const { dirname, join } = require('node:path');

/** Review states that decide a reviewer's standing; COMMENTED (and PENDING, never submitted) do not. */
const DECISIVE = new Set(['APPROVED', 'CHANGES_REQUESTED', 'DISMISSED']);

/**
 * Each reviewer's latest decisive review (logins compared case-insensitively), in the order of those reviews (GitHub
 * lists reviews chronologically; sorted by `submitted_at`, then `id`, to be sure).
 *
 * @param {Array<{ id: number, user: { login: string } | null, state: string, commit_id?: string | null, submitted_at?: string | null }>} reviews
 * @returns {Map<string, { id: number, login: string, state: string, commitId: string | null }>}
 * @example
 * latestReviews([{ id: 1, user: { login: 'bob' }, state: 'APPROVED', commit_id: 'a', submitted_at: '2026-01-01T00:00:00Z' }]).get('bob').state; // 'APPROVED'
 */
function latestReviews(reviews) {
  const ordered = reviews
    .filter((review) => review.user && DECISIVE.has(review.state))
    .sort((a, b) => String(a.submitted_at ?? '').localeCompare(String(b.submitted_at ?? '')) || a.id - b.id);
  const latest = new Map();
  for (const review of ordered) {
    // Deleted first, so the map lists reviewers in the order of their latest review.
    latest.delete(review.user.login.toLowerCase());
    latest.set(review.user.login.toLowerCase(), { id: review.id, login: review.user.login, state: review.state, commitId: review.commit_id ?? null });
  }
  return latest;
}

/**
 * Who authored or committed the pull request's commits: distinct GitHub logins (`pushers`, sorted), and the git names
 * of authors/committers that are no GitHub user (`unlinkedCommitters`, sorted).
 *
 * @param {Array<{ sha: string, author: { login: string } | null, committer: { login: string } | null, commit: { author: { name: string } | null, committer: { name: string } | null } }>} commits
 * @returns {{ pushers: string[], unlinkedCommitters: string[] }}
 * @example
 * pushersOf([{ sha: 'a', author: { login: 'alice' }, committer: null, commit: { author: { name: 'Alice' }, committer: { name: 'CI' } } }]);
 * // { pushers: ['alice'], unlinkedCommitters: ['CI'] }
 */
function pushersOf(commits) {
  const pushers = new Map();
  const unlinked = new Set();
  for (const commit of commits) {
    for (const role of ['author', 'committer']) {
      const user = commit[role];
      if (user && user.login) {
        if (!pushers.has(user.login.toLowerCase())) pushers.set(user.login.toLowerCase(), user.login);
      } else {
        unlinked.add(commit.commit?.[role]?.name || `(no ${role}, commit ${String(commit.sha).slice(0, 7)})`);
      }
    }
  }
  const sorted = (values) => [...values].sort((a, b) => a.localeCompare(b));
  return { pushers: sorted(pushers.values()), unlinkedCommitters: sorted(unlinked) };
}

/**
 * Lists the pull request's approvals and describes the pull request; writes both as JSON.
 *
 * @param {{ github: any, context: any, core: any, rulesFile: string, out: string, pullRequestOut?: string }} args
 *   `pullRequestOut` defaults to `pull-request.json` beside `out`.
 * @returns {Promise<{ given: Array<{ approver: string, groups: string[], reviewId: number, commitId?: string }>, pullRequest: { number: number, author: string, head: string, base: string, pushers: string[], unlinkedCommitters: string[] } }>}
 * @throws when GitHub answers anything but 404 to a team-membership question (the token cannot read teams), or when
 *   the commits cannot all be listed: the job fails, it never reads as "no groups" or "no pushers".
 * @example
 * const { given } = await givenApprovals({ github, context, core, rulesFile: 'apps/tap-stack/approval-rules.json', out: 'given-approvals.json', pullRequestOut: 'pull-request.json' });
 */
async function givenApprovals({ github, context, core, rulesFile, out, pullRequestOut = join(dirname(out), 'pull-request.json') }) {
  const pr = context.payload.pull_request;
  const author = pr.user.login;
  const reviews = await github.paginate(github.rest.pulls.listReviews, { ...context.repo, pull_number: pr.number, per_page: 100 });
  const commits = await github.paginate(github.rest.pulls.listCommits, { ...context.repo, pull_number: pr.number, per_page: 100 });
  // GitHub lists at most 250 commits of a pull request: with more, some pushers would be unknown.
  if (typeof pr.commits === 'number' && commits.length < pr.commits) {
    throw new Error(`pull request #${pr.number}: GitHub listed ${commits.length} of its ${pr.commits} commits, so not every pusher is known; squash or split it`);
  }

  const approvals = [...latestReviews(reviews).values()].filter((review) => review.state === 'APPROVED');
  const own = approvals.find((review) => review.login.toLowerCase() === author.toLowerCase());
  if (own) core.info(`review ${own.id} by ${own.login} is not counted: the pull request's author`);
  // The pull request that introduces the rules finds none on its base branch: no groups (nothing can be required yet).
  if (!existsSync(rulesFile)) core.warning(`${rulesFile} is not on the base branch: approvers are listed without groups`);
  const groups = existsSync(rulesFile) ? Object.keys(JSON.parse(readFileSync(rulesFile, 'utf8')).groups ?? {}) : [];

  const given = [];
  for (const review of approvals.filter((candidate) => candidate !== own)) {
    const member = [];
    for (const team of groups) {
      try {
        const { data } = await github.rest.teams.getMembershipForUserInOrg({ org: context.repo.owner, team_slug: team, username: review.login });
        if (data.state === 'active') member.push(team);
      } catch (error) {
        // 404: not a member (or no such team). Anything else (401/403: the token cannot read teams) is an error.
        if (error.status !== 404) throw error;
      }
    }
    given.push({ approver: review.login, groups: member, reviewId: review.id, ...(review.commitId ? { commitId: review.commitId } : {}) });
  }

  const pullRequest = { number: pr.number, author, head: pr.head.sha, base: pr.base.sha, ...pushersOf(commits) };
  if (pullRequest.unlinkedCommitters.length > 0) {
    core.warning(`commits by no GitHub user (not matched to reviewers): ${pullRequest.unlinkedCommitters.join(', ')}`);
  }
  writeFileSync(out, `${JSON.stringify(given, null, 2)}\n`);
  writeFileSync(pullRequestOut, `${JSON.stringify(pullRequest, null, 2)}\n`);
  core.info(`approvals: ${JSON.stringify(given)}`);
  core.info(`pull request: ${JSON.stringify(pullRequest)}`);
  return { given, pullRequest };
}

/**
 * The pull request whose merge produced `context.sha` on `main` (a deploy's commit), from GET
 * /repos/{owner}/{repo}/commits/{commit_sha}/pulls; then its approvals and description as `givenApprovals` writes them.
 * The deploy records who approved from GitHub, never from a flag, and `verify-approvals.sh` judges them again.
 *
 * @param {{ github: any, context: any, core: any, rulesFile: string, out: string, pullRequestOut?: string }} args
 * @returns {Promise<ReturnType<typeof givenApprovals>>}
 * @throws when no merged pull request to `main` has `context.sha` as its merge commit: main changes only through
 *   reviewed pull requests, so a deploy of anything else is refused.
 * @example
 * await mergedPullRequestApprovals({ github, context, core, rulesFile: 'apps/tap-stack/approval-rules.json', out: 'given-approvals.json' });
 */
async function mergedPullRequestApprovals({ github, context, core, ...rest }) {
  const { data: pulls } = await github.rest.repos.listPullRequestsAssociatedWithCommit({ ...context.repo, commit_sha: context.sha });
  const merged = pulls.find((pull) => pull.merged_at && pull.merge_commit_sha === context.sha && pull.base.ref === 'main');
  if (!merged) {
    throw new Error(`${context.sha} is the merge commit of no pull request to main: main changes only through reviewed pull requests, so it is not deployed`);
  }
  // The pulls list omits the commit count that givenApprovals checks the listed commits against.
  const { data: pull } = await github.rest.pulls.get({ ...context.repo, pull_number: merged.number });
  core.info(`deploying ${context.sha}, the merge of pull request #${pull.number} (head ${pull.head.sha})`);
  return givenApprovals({ github, context: { repo: context.repo, payload: { pull_request: pull } }, core, ...rest });
}

module.exports = givenApprovals;
module.exports.mergedPullRequestApprovals = mergedPullRequestApprovals;
module.exports.givenApprovals = givenApprovals;
module.exports.latestReviews = latestReviews;
module.exports.pushersOf = pushersOf;
