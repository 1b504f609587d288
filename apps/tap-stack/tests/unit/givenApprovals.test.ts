import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, tempDir } from '../synthHelper';

/*
 * .github/scripts/given-approvals.cjs, as actions/github-script runs it: against a stand-in for Octokit that answers
 * with the field layout of GitHub's REST API (GET /repos/{owner}/{repo}/pulls/{n}/reviews, GET .../pulls/{n}/commits,
 * GET /orgs/{org}/teams/{team_slug}/memberships/{username}).
 */

interface GivenApproval {
  approver: string;
  groups: string[];
  reviewId?: number;
  commitId?: string;
}
interface PullRequestFile {
  number: number;
  author: string;
  head: string;
  base: string;
  pushers: string[];
  unlinkedCommitters: string[];
}
type GivenApprovalsScript = (args: object) => Promise<{ given: GivenApproval[]; pullRequest: PullRequestFile }>;

// eslint-disable-next-line @typescript-eslint/no-require-imports
const givenApprovals = require(join(ROOT, '.github', 'scripts', 'given-approvals.cjs')) as GivenApprovalsScript;
const rulesFile = join(ROOT, 'apps', 'tap-stack', 'approval-rules.json');

const HEAD = '5d6e7f8a9b0c1d2e3f405162738495a6b7c8d9e0';
const OLDER = '1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d';
const BASE = '0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c';

/** A GitHub user object as the REST API embeds it (`simple-user`). */
const user = (login: string, id = login.length * 1000) => ({
  login,
  id,
  node_id: `MDQ6VXNlcj${id}`,
  avatar_url: `https://avatars.githubusercontent.com/u/${id}?v=4`,
  url: `https://api.github.com/users/${login}`,
  html_url: `https://github.com/${login}`,
  type: 'User',
  site_admin: false,
});

/** One item of GET /repos/{owner}/{repo}/pulls/{n}/reviews. */
const review = (id: number, login: string, state: string, commitId: string | null, submittedAt: string) => ({
  id,
  node_id: `MDE3OlB1bGxSZXF1ZXN0UmV2aWV3${id}`,
  user: user(login),
  body: '',
  state,
  html_url: `https://github.com/tap/infra/pull/12#pullrequestreview-${id}`,
  pull_request_url: 'https://api.github.com/repos/tap/infra/pulls/12',
  author_association: 'MEMBER',
  _links: { html: { href: `https://github.com/tap/infra/pull/12#pullrequestreview-${id}` }, pull_request: { href: 'https://api.github.com/repos/tap/infra/pulls/12' } },
  submitted_at: submittedAt,
  commit_id: commitId,
});

/** One item of GET /repos/{owner}/{repo}/pulls/{n}/commits: `author`/`committer` are GitHub users or null. */
const commit = (sha: string, author: { login?: string; name: string }, committer: { login?: string; name: string }) => ({
  url: `https://api.github.com/repos/tap/infra/commits/${sha}`,
  sha,
  node_id: `MDY6Q29tbWl0${sha.slice(0, 8)}`,
  html_url: `https://github.com/tap/infra/commit/${sha}`,
  comments_url: `https://api.github.com/repos/tap/infra/commits/${sha}/comments`,
  commit: {
    url: `https://api.github.com/repos/tap/infra/git/commits/${sha}`,
    author: { name: author.name, email: `${author.name.toLowerCase()}@example.com`, date: '2026-12-01T10:00:00Z' },
    committer: { name: committer.name, email: `${committer.name.toLowerCase()}@example.com`, date: '2026-12-01T10:00:00Z' },
    message: 'feat: a change',
    tree: { url: 'https://api.github.com/repos/tap/infra/tree/6dcb09b', sha: '6dcb09b5b57875f334f61aebed695e2e4193db5e' },
    comment_count: 0,
    verification: { verified: false, reason: 'unsigned', signature: null, payload: null },
  },
  author: author.login ? user(author.login) : null,
  committer: committer.login ? user(committer.login) : null,
  parents: [{ url: `https://api.github.com/repos/tap/infra/commits/${BASE}`, sha: BASE }],
});

type Review = ReturnType<typeof review>;
type Commit = ReturnType<typeof commit>;

/** A stand-in for github-script's Octokit: `paginate` answers each endpoint; team memberships by `team/login` → HTTP status. */
function fakeGithub(reviews: Review[], commits: Commit[], members: Record<string, number>) {
  const listReviews = { endpoint: 'GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews' };
  const listCommits = { endpoint: 'GET /repos/{owner}/{repo}/pulls/{pull_number}/commits' };
  const asked: Array<{ team_slug: string; username: string }> = [];
  return {
    asked,
    paginate: async (method: unknown, params: { owner: string; repo: string; pull_number: number }) => {
      expect(params).toMatchObject({ owner: 'tap', repo: 'infra', pull_number: 12 });
      if (method === listReviews) return reviews;
      if (method === listCommits) return commits;
      throw new Error('unexpected endpoint');
    },
    rest: {
      pulls: { listReviews, listCommits },
      teams: {
        getMembershipForUserInOrg: async ({ org, team_slug, username }: { org: string; team_slug: string; username: string }) => {
          expect(org).toBe('tap');
          asked.push({ team_slug, username });
          const status = members[`${team_slug}/${username}`] ?? 404;
          if (status === 200) {
            return { status, data: { url: `https://api.github.com/teams/1/memberships/${username}`, role: 'member', state: 'active' } };
          }
          throw Object.assign(new Error(status === 404 ? 'Not Found' : `HTTP ${status}: Bad credentials`), { status, response: { status, data: { message: 'x' } } });
        },
      },
    },
  };
}

const context = {
  repo: { owner: 'tap', repo: 'infra' },
  payload: { pull_request: { number: 12, user: user('alice'), head: { sha: HEAD, ref: 'feature' }, base: { sha: BASE, ref: 'main' }, commits: 2 } },
};
const core = { info: () => undefined, warning: jest.fn() };

/** The pull request's two commits: alice's, and one bob pushed through GitHub's web editor (committer web-flow). */
const twoCommits = (): Commit[] => [
  commit(OLDER, { login: 'alice', name: 'Alice' }, { login: 'alice', name: 'Alice' }),
  commit(HEAD, { login: 'bob', name: 'Bob' }, { login: 'web-flow', name: 'GitHub' }),
];

async function run(reviews: Review[], members: Record<string, number>, commits = twoCommits()) {
  const dir = tempDir('given');
  const github = fakeGithub(reviews, commits, members);
  const result = await givenApprovals({ github, context, core, rulesFile, out: join(dir, 'given.json'), pullRequestOut: join(dir, 'pull-request.json') });
  return {
    ...result,
    github,
    givenFile: JSON.parse(readFileSync(join(dir, 'given.json'), 'utf8')) as GivenApproval[],
    pullRequestFile: JSON.parse(readFileSync(join(dir, 'pull-request.json'), 'utf8')) as PullRequestFile,
  };
}

describe('.github/scripts/given-approvals.cjs: the approvals a pull request has', () => {
  it('records each approval with its review id and the commit it was given on, an older commit too', async () => {
    // Prepare
    const reviews = [review(80, 'carol', 'APPROVED', OLDER, '2026-12-01T11:00:00Z'), review(81, 'dave', 'APPROVED', HEAD, '2026-12-01T12:00:00Z')];

    // Act
    const { given, givenFile } = await run(reviews, { 'security/carol': 200, 'platform-leads/dave': 200 });

    // Assess
    expect(given).toEqual([
      { approver: 'carol', groups: ['security'], reviewId: 80, commitId: OLDER },
      { approver: 'dave', groups: ['platform-leads'], reviewId: 81, commitId: HEAD },
    ]);
    expect(givenFile).toEqual(given);
  });

  it("counts each reviewer's latest decisive review: dismissed or changes requested is no approval, comments change nothing", async () => {
    // Prepare
    const reviews = [
      review(90, 'carol', 'APPROVED', OLDER, '2026-12-01T11:00:00Z'),
      review(91, 'carol', 'CHANGES_REQUESTED', HEAD, '2026-12-01T12:00:00Z'),
      review(92, 'dave', 'DISMISSED', OLDER, '2026-12-01T11:30:00Z'),
      review(93, 'erin', 'CHANGES_REQUESTED', OLDER, '2026-12-01T11:00:00Z'),
      review(94, 'erin', 'APPROVED', HEAD, '2026-12-01T12:00:00Z'),
      review(95, 'erin', 'COMMENTED', HEAD, '2026-12-01T13:00:00Z'),
      // Listed out of order: the later submission decides.
      review(97, 'frank', 'APPROVED', HEAD, '2026-12-01T14:00:00Z'),
      review(96, 'frank', 'DISMISSED', OLDER, '2026-12-01T10:00:00Z'),
    ];

    // Act
    const { given } = await run(reviews, { 'security/carol': 200, 'security/dave': 200, 'platform-leads/erin': 200 });

    // Assess
    expect(given).toEqual([
      { approver: 'erin', groups: ['platform-leads'], reviewId: 94, commitId: HEAD },
      { approver: 'frank', groups: [], reviewId: 97, commitId: HEAD },
    ]);
  });

  it("never lists the author's own approval, nor asks for the author's teams", async () => {
    // Prepare
    const reviews = [review(81, 'Alice', 'APPROVED', HEAD, '2026-12-01T12:00:00Z'), review(82, 'carol', 'APPROVED', HEAD, '2026-12-01T12:00:00Z')];

    // Act
    const { given, github } = await run(reviews, { 'platform-leads/Alice': 200, 'security/carol': 200 });

    // Assess
    expect(given.map((g) => g.approver)).toEqual(['carol']);
    expect(github.asked.map((a) => a.username)).not.toContain('Alice');
  });

  it('describes the pull request: author, head, base, and the logins that authored or committed its commits', async () => {
    // Prepare
    const commits = [...twoCommits(), commit('9'.repeat(40), { name: 'Build Bot' }, { login: 'bob', name: 'Bob' })];
    const pr = { ...context.payload.pull_request, commits: 3 };

    // Act
    const dir = tempDir('given');
    const { pullRequest } = await givenApprovals({
      github: fakeGithub([], commits, {}),
      context: { ...context, payload: { pull_request: pr } },
      core,
      rulesFile,
      out: join(dir, 'given.json'),
    });

    // Assess
    expect(pullRequest).toEqual({ number: 12, author: 'alice', head: HEAD, base: BASE, pushers: ['alice', 'bob', 'web-flow'], unlinkedCommitters: ['Build Bot'] });
    expect(JSON.parse(readFileSync(join(dir, 'pull-request.json'), 'utf8'))).toEqual(pullRequest);
    expect(core.warning).toHaveBeenCalledWith(expect.stringContaining('Build Bot'));
  });

  it('lists a pusher who approved (verify-approvals refuses it, with the reason)', async () => {
    // Act
    const { given, pullRequestFile } = await run([review(83, 'bob', 'APPROVED', HEAD, '2026-12-01T12:00:00Z')], { 'platform-leads/bob': 200 });

    // Assess
    expect(given).toEqual([{ approver: 'bob', groups: ['platform-leads'], reviewId: 83, commitId: HEAD }]);
    expect(pullRequestFile.pushers).toContain('bob');
  });

  it.each([401, 403, 500])('fails (never "no groups") when the teams API answers %d', async (status) => {
    // Prepare
    const reviews = [review(80, 'carol', 'APPROVED', HEAD, '2026-12-01T12:00:00Z')];

    // Act + Assess
    await expect(run(reviews, { 'platform-leads/carol': status })).rejects.toMatchObject({ status });
  });

  it('fails when GitHub lists fewer commits than the pull request has (pushers would be missing)', async () => {
    // Prepare
    const dir = tempDir('given');
    const pr = { ...context.payload.pull_request, commits: 300 };

    // Act + Assess
    await expect(
      givenApprovals({ github: fakeGithub([], twoCommits(), {}), context: { ...context, payload: { pull_request: pr } }, core, rulesFile, out: join(dir, 'given.json') }),
    ).rejects.toThrow(/listed 2 of its 300 commits/);
  });
});

describe('.github/scripts/given-approvals.cjs: the approvals of the pull request a deploy merged', () => {
  const MERGE = 'c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00';
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { mergedPullRequestApprovals } = require(join(ROOT, '.github', 'scripts', 'given-approvals.cjs')) as { mergedPullRequestApprovals: GivenApprovalsScript };

  /** One item of GET /repos/{owner}/{repo}/commits/{commit_sha}/pulls (`pull-request-simple`), and GET /pulls/{n}. */
  const pull = (number: number, mergeCommit: string | null, mergedAt: string | null, baseRef = 'main') => ({
    url: `https://api.github.com/repos/tap/infra/pulls/${number}`,
    id: number * 7,
    number,
    state: mergedAt ? 'closed' : 'open',
    user: user('alice'),
    head: { ref: 'feature', sha: HEAD, label: 'tap:feature' },
    base: { ref: baseRef, sha: BASE, label: `tap:${baseRef}` },
    merged_at: mergedAt,
    merge_commit_sha: mergeCommit,
    commits: 2,
  });

  function withPulls(pulls: ReturnType<typeof pull>[]) {
    const github = fakeGithub([review(81, 'dave', 'APPROVED', HEAD, '2026-12-01T12:00:00Z')], twoCommits(), { 'platform-leads/dave': 200 });
    return Object.assign(github, {
      rest: {
        ...github.rest,
        repos: { listPullRequestsAssociatedWithCommit: async ({ commit_sha }: { commit_sha: string }) => ({ data: commit_sha === MERGE ? pulls : [] }) },
        pulls: { ...github.rest.pulls, get: async ({ pull_number }: { pull_number: number }) => ({ data: pulls.find((p) => p.number === pull_number) }) },
      },
    });
  }

  it('finds the merged pull request of the deployed commit and records its approvals from GitHub', async () => {
    // Prepare: an open pull request that merely contains the commit, and the one whose merge it is.
    const github = withPulls([pull(11, null, null), pull(12, MERGE, '2026-12-01T13:00:00Z')]);
    const dir = tempDir('merged');

    // Act
    const result = await mergedPullRequestApprovals({ github, context: { ...context, sha: MERGE }, core, rulesFile, out: join(dir, 'given.json') });

    // Assess
    expect(result.pullRequest).toMatchObject({ number: 12, author: 'alice', head: HEAD, base: BASE });
    expect(result.given).toEqual([{ approver: 'dave', groups: ['platform-leads'], reviewId: 81, commitId: HEAD }]);
  });

  it('refuses a commit that no pull request to main merged (a direct push)', async () => {
    // Prepare: the commit is only part of an open pull request, and of one merged into another branch.
    const github = withPulls([pull(11, null, null), pull(13, MERGE, '2026-12-01T13:00:00Z', 'release')]);

    // Act
    const attempt = mergedPullRequestApprovals({ github, context: { ...context, sha: MERGE }, core, rulesFile, out: join(tempDir('direct'), 'given.json') });

    // Assess
    await expect(attempt).rejects.toThrow(`${MERGE} is the merge commit of no pull request to main`);
  });
});
