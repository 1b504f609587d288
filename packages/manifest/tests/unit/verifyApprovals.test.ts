import { join } from 'node:path';
import { verifyApprovals } from '../../src';
import { renderVerify } from '../../src/approvals/render';
import type { RequirementsReport } from '../../src';
import { runCli } from '../../src/cli/main';
import { removeDir, tempDir, writeJson } from './support';

/*
 * verify-approvals counts only reviews that can vouch for the code under review: given on the pull request's head,
 * by neither its author nor anyone who pushed commits to it, each person once per requirement. Every review it does
 * not count is listed with its reason.
 */

const HEAD = '5d6e7f8a9b0c1d2e3f405162738495a6b7c8d9e0';
const OLDER = '1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d';

/** A prod encryption change: two platform leads and one security engineer. */
const REPORT: RequirementsReport = {
  rulesFile: 'apps/tap-stack/approval-rules.json',
  changedEnvironments: ['prod'],
  changeCount: 1,
  requirements: [
    { rule: 'prod-any-change', group: 'platform-leads', approvals: 2, reason: 'four eyes', environments: ['prod'], triggeredBy: ['prod: encryption.keyRotation true -> false'] },
    { rule: 'encryption', group: 'security', approvals: 1, reason: 'keys', environments: ['prod'], triggeredBy: ['prod: encryption.keyRotation true -> false'] },
  ],
  exempt: [],
  unmatched: [],
};

/** Carol (security) and two platform leads, all on the head. */
const good = () => [
  { approver: 'carol', groups: ['security'], reviewId: 80, commitId: HEAD },
  { approver: 'bob', groups: ['platform-leads'], reviewId: 82, commitId: HEAD },
  { approver: 'dave', groups: ['platform-leads'], reviewId: 83, commitId: HEAD },
];

describe('verifyApprovals with the pull request (author, head, pushers)', () => {
  it('counts reviews on the head by people who neither wrote nor pushed the change', () => {
    // Act
    const result = verifyApprovals(REPORT, good(), undefined, { author: 'alice', head: HEAD, pushers: ['alice', 'web-flow'] });

    // Assess
    expect(result.met).toBe(true);
    expect(result.notCounted).toEqual([]);
    expect(result.requirements.map((r) => r.approvedBy)).toEqual([['bob', 'dave'], ['carol']]);
  });

  it.each([
    ['a review on an older commit', { commitId: OLDER }, {}, 'given on an older commit 1a2b3c4, not on the head 5d6e7f8'],
    ['a review that records no commit', { commitId: undefined }, {}, 'records no commit, so it cannot be on the head 5d6e7f8'],
    ["the author's own review", {}, { author: 'BOB' }, "the pull request's author"],
    ['a review by a pusher', {}, { pushers: ['alice', 'Bob'] }, 'pushed commits to this pull request'],
  ])('does not count %s, and says why', (_what, edit, pullRequest, reason) => {
    // Prepare
    const given = good().map((g) => (g.approver === 'bob' ? { ...g, ...edit } : g));

    // Act
    const result = verifyApprovals(REPORT, given, undefined, { author: 'alice', head: HEAD, pushers: ['alice'], ...pullRequest });

    // Assess
    expect(result.met).toBe(false);
    expect(result.requirements[0]).toMatchObject({ rule: 'prod-any-change', approvedBy: ['dave'], missing: 1 });
    expect(result.notCounted).toEqual([{ approver: 'bob', reviewId: 82, reason }]);
  });

  it('counts a person once per requirement, however often (and in whichever case) they are given', () => {
    // Prepare
    const given = [good()[0], good()[1], { approver: 'BOB', groups: ['platform-leads'], reviewId: 84, commitId: HEAD }];

    // Act
    const result = verifyApprovals(REPORT, given, undefined, { head: HEAD });

    // Assess
    expect(result.requirements[0]).toMatchObject({ approvedBy: ['bob'], missing: 1, met: false });
    expect(result.notCounted).toEqual([{ approver: 'BOB', reviewId: 84, reason: 'bob is given already (review 82): each person counts once' }]);
  });

  it('without the pull request, counts as before (a review without a commit too)', () => {
    // Act
    const result = verifyApprovals(REPORT, [{ approver: 'carol', groups: ['security'] }, ...good().slice(1)]);

    // Assess
    expect(result.met).toBe(true);
    expect(result.notCounted).toEqual([]);
  });

  it('lists every review not counted in text, Markdown and JSON', () => {
    // Prepare
    const given = [...good().slice(0, 2), { approver: 'dave', groups: ['platform-leads'], reviewId: 83, commitId: OLDER }];
    const result = verifyApprovals(REPORT, given, 'given.json', { author: 'alice', head: HEAD });

    // Act
    const text = renderVerify(result, 'text');
    const markdown = renderVerify(result, 'markdown');
    const json = JSON.parse(renderVerify(result, 'json'));

    // Assess
    expect(text).toContain('  not counted: dave (review 83): given on an older commit 1a2b3c4, not on the head 5d6e7f8\n');
    expect(markdown).toContain('Not counted (1):');
    expect(markdown).toContain('- dave (review 83): given on an older commit `1a2b3c4`, not on the head `5d6e7f8`');
    expect(json.notCounted).toEqual([{ approver: 'dave', reviewId: 83, reason: 'given on an older commit 1a2b3c4, not on the head 5d6e7f8' }]);
  });
});

describe('tap-drift verify-approvals --author --head --pushers', () => {
  let dir: string;
  beforeAll(() => {
    dir = tempDir('verify-approvals');
    writeJson(join(dir, 'requirements.json'), REPORT);
  });
  afterAll(() => removeDir(dir));

  const cli = (given: unknown, ...extra: string[]) => {
    let stdout = '';
    let stderr = '';
    const file = writeJson(join(dir, 'given.json'), given);
    const code = runCli(['verify-approvals', '--given', file, '--requirements', join(dir, 'requirements.json'), ...extra], {
      out: (t) => (stdout += t),
      err: (t) => (stderr += t),
    });
    return { code, stdout, stderr };
  };
  const pr = ['--author', 'alice', '--head', HEAD, '--pushers', 'alice,web-flow'];

  it('every requirement met by reviews on the head: exit 0', () => {
    // Act
    const run = cli(good(), ...pr);

    // Assess
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('approvals: all 2 approval requirement(s) met');
    expect(run.stdout).not.toContain('not counted');
    expect(run.stderr).toBe('');
  });

  it.each([
    ['a review on an older commit', (g: ReturnType<typeof good>) => (g[1].commitId = OLDER), pr, 'bob (review 82): given on an older commit 1a2b3c4, not on the head 5d6e7f8'],
    ['a review by a pusher', () => undefined, ['--author', 'alice', '--head', HEAD, '--pushers', 'alice, bob'], 'bob (review 82): pushed commits to this pull request'],
    ["the author's own review", () => undefined, ['--author', 'bob', '--head', HEAD], "bob (review 82): the pull request's author"],
    ['one person given twice', (g: ReturnType<typeof good>) => (g[2] = { ...g[1], reviewId: 84 }), pr, 'bob (review 84): bob is given already (review 82): each person counts once'],
  ])('%s: exit 1, the reason printed', (_what, edit, extra, reason) => {
    // Prepare
    const given = good();
    edit(given);

    // Act
    const run = cli(given, ...extra);
    const json = cli(given, ...extra, '--format', 'json');
    const markdown = cli(given, ...extra, '--format', 'markdown');

    // Assess
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(`  not counted: ${reason}\n`);
    expect(run.stdout).toContain('MISSING 1 of 2 approvals from platform-leads [prod-any-change]');
    expect(run.stderr).toBe('tap-drift: missing 1 approval(s) from platform-leads (prod-any-change: 2 required, 1 given)\n');
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout).notCounted).toHaveLength(1);
    expect(markdown.stdout).toContain('Not counted (1):');
  });

  it.each([
    ['a --head that is no commit id', ['--head', 'main'], /^tap-drift: --head: "main" is not a full commit id \(40 hex digits\)/],
    ['an empty --author', ['--author', ' '], /^tap-drift: --author: must name a login/],
    ['a --pushers without a login', ['--pushers', ' , '], /^tap-drift: --pushers: must list logins/],
  ])('refuses %s: exit 2, one line', (_what, extra, message) => {
    // Act
    const run = cli(good(), ...extra);

    // Assess
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(message);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('refuses a given file whose reviewId or commitId is malformed (exit 2)', () => {
    // Act
    const run = cli([{ approver: 'bob', groups: ['platform-leads'], reviewId: '82', commitId: 'abc' }]);

    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/not a list of approvals: 0\.reviewId: Expected number, received string; 0\.commitId: /);
  });
});
