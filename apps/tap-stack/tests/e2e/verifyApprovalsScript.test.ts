import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, tempDir } from '../synthHelper';
import { git, run, worktree } from '../workspaceCopy';

/*
 * .github/scripts/verify-approvals.sh judges a pull request with the base commit's own tap-drift, rules and baselines.
 * The attack it stops: a head that broadens IAM and also patches the gate's code so that no rule matches. Judged by the
 * head's own code that change needs nothing; judged by the base it needs security, platform leads and gate-change.
 * Everything runs in a git worktree of this repository (tests/workspaceCopy.ts: the workspace as it is, its last
 * commit the base), with the workspace's installed packages linked in (.github/scripts/link-node-modules.sh), so
 * no network and no `npm ci`. The script builds the base's judge itself, without any cache.
 */
const SCRIPT = join(ROOT, '.github', 'scripts', 'verify-approvals.sh');
const PAYMENT_POLICIES = 'packages/lambda/src/policies.ts';
const GLOB = 'packages/manifest/src/approvals/rules.ts';

/** Replaces `from` by `to` in a file of the repository; fails when `from` is not there (the patch must bite). */
function edit(repo: string, file: string, from: string, to: string): void {
  const path = join(repo, file);
  const text = readFileSync(path, 'utf8');
  if (!text.includes(from)) throw new Error(`${file} no longer contains ${JSON.stringify(from)}: update this test's patch`);
  writeFileSync(path, text.replace(from, to));
}

interface Requirement {
  rule: string;
  group: string;
}

describe('verify-approvals.sh: the base judges the head', () => {
  let repo = '';
  const work = tempDir('verify-work');
  const given = join(tempDir('verify-given'), 'given.json');
  let base = '';

  beforeAll(() => {
    // Prepare: the base commit is the workspace's files as they are (tracked and new), with its packages linked.
    repo = worktree('verify', 'packages');
    base = git(repo, 'rev-parse', 'HEAD');
    writeFileSync(given, '[]\n');
  }, 900_000);

  const judge = (out: string, ...more: string[]) => run('bash', [SCRIPT, '--base', base, '--given', given, '--work', work, '--out', out, ...more], repo);
  const requirementsOf = (out: string): Requirement[] => JSON.parse(readFileSync(join(out, 'requirements.json'), 'utf8')).requirements;
  const groupsOf = (requirements: Requirement[]) => [...new Set(requirements.map((r) => r.group))].sort();

  it('a head that only broadens IAM needs security and two platform leads, not gate-change', () => {
    // Prepare: the payment function's role may now write the database secret.
    edit(repo, PAYMENT_POLICIES, "'secretsmanager:GetSecretValue',", "'secretsmanager:GetSecretValue', 'secretsmanager:PutSecretValue',");
    git(repo, 'commit', '--quiet', '-am', 'payment role writes the secret');
    const out = tempDir('verify-out-iam');

    // Act
    const verdict = judge(out);

    // Assess
    expect(verdict.stderr).not.toMatch(/could not judge|^\s+at /m);
    expect(verdict.code).toBe(1);
    const requirements = requirementsOf(out);
    expect(groupsOf(requirements)).toEqual(['platform-leads', 'security']);
    expect(requirements.map((r) => r.rule)).toEqual(expect.arrayContaining(['iam', 'prod-any-change']));
    expect(requirements.map((r) => r.rule)).not.toContain('gate-change');
    expect(verdict.stderr).toMatch(/missing 1 approval\(s\) from security/);
    // The base's security diff, for the top of the pull-request comment: the new action is a broadening grant.
    expect(readFileSync(join(out, 'security-diff.md'), 'utf8')).toMatch(/### Security diff: broadening[\s\S]*\| `\+` \| \*\*broadening\*\* \| `tap-payments-role-policy \(RolePolicy\)`/);
  }, 600_000);

  it('the same head that also patches the gate so that no rule matches still needs them, and gate-change too', () => {
    // Prepare: every glob of the rules now matches nothing, in the head's own tap-drift.
    edit(repo, GLOB, 'return new RegExp(`^${globBody(glob)}$`);', "return glob === '\\0' ? new RegExp(globBody(glob)) : /(?!)/;");
    git(repo, 'commit', '--quiet', '-am', 'gate: no rule matches');
    const out = tempDir('verify-out-patched');

    // Act: the patch touches the gate's code, not the program, so the head's synth is the first test's (reading it
    // saves a synth); the head's own tap-drift is built from the patched sources.
    const verdict = judge(out, '--synth', join(work, 'head-synth'));
    const build = run(process.execPath, [join(repo, 'node_modules', 'nx', 'dist', 'bin', 'nx.js'), 'run', 'manifest:build', '--outputStyle=static'], repo);
    expect(build.code).toBe(0);
    // The head's own tap-drift is fooled by its patch: it asks for nothing.
    const own = run(
      process.execPath,
      ['packages/manifest/dist/cli/main.js', 'requirements', '--baseline', 'apps/tap-stack/manifests', '--current', join(work, 'head-synth'), '--rules', 'apps/tap-stack/approval-rules.json', '--format', 'json'],
      repo,
    );

    // Assess
    expect(own.code).toBe(0);
    expect(JSON.parse(own.stdout).requirements).toEqual([]);
    expect(verdict.code).toBe(1);
    const requirements = requirementsOf(out);
    expect(requirements.map((r) => r.rule)).toEqual(expect.arrayContaining(['iam', 'prod-any-change', 'gate-change']));
    expect(groupsOf(requirements.filter((r) => r.rule === 'gate-change'))).toEqual(['platform-leads', 'security']);
    expect(readFileSync(join(out, 'changed-files.txt'), 'utf8').split('\n')).toEqual(expect.arrayContaining([PAYMENT_POLICIES, GLOB]));
  }, 600_000);

  it('refuses a head whose history does not begin with the base history', () => {
    // Prepare: the first history line is dropped (a rewrite, not an append).
    const history = join(repo, 'apps/tap-stack/manifests/history.jsonl');
    writeFileSync(history, readFileSync(history, 'utf8').split('\n').slice(1).join('\n'));
    git(repo, 'commit', '--quiet', '-am', 'history: drop a line');
    const out = tempDir('verify-out-history');

    // Act: the synth of the previous head is the same program; reading it saves a build.
    const verdict = judge(out, '--synth', join(work, 'head-synth'));

    // Assess
    expect(verdict.code).toBe(1);
    expect(verdict.stderr).toContain("apps/tap-stack/manifests/history.jsonl: does not begin with the base's history byte for byte");
  }, 600_000);

  it('answers bad arguments in one line with exit 2', () => {
    // Act
    const noBase = run('bash', [SCRIPT, '--given', given], repo);
    const unknownBase = run('bash', [SCRIPT, '--base', '0123456789abcdef0123456789abcdef01234567', '--given', given], repo);
    const unknownOption = run('bash', [SCRIPT, '--base', base, '--given', given, '--colour'], repo);

    // Assess
    for (const result of [noBase, unknownBase, unknownOption]) {
      expect(result.code).toBe(2);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(result.stderr).toMatch(/^verify-approvals: /);
    }
  });
});
