import { execFileSync } from 'node:child_process';
import { appendFileSync, cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { create as createTar } from 'tar';
import { historyLineHash } from '../../src/history/chain';
import { WORKSPACE, record, removeDir, runCliIn, tempDir, writeJson, writeSynth } from './support';

// PCI DSS v4.0 requirement 6.5.1 (https://ce.prod.cloudaware.com/frameworks/pci-dss-v4.0/06/05/01): production
// changes follow procedures that include the reason for the change, documentation of its security impact, documented
// approval by authorized parties, testing, and procedures to return to a secure state. Assessors take a sample of
// changes and trace each back to that documentation (the testing procedure of its predecessor 6.4.5.b,
// https://forum.pcinetwork.org/t/pci-dss-3-0-6-4-5-change-control-procedures-for-the-implementation-of-security-patches-and-software-modification/1086):
// the bundle holds all of it for one change, and must show when anything in it changed since it was made.

const COMMITTED = join(WORKSPACE, 'apps', 'tap-stack', 'manifests');

const cli = runCliIn;
const readJson = (file: string): any => JSON.parse(readFileSync(file, 'utf8')); // eslint-disable-line @typescript-eslint/no-explicit-any
const historyLines = (file: string): any[] => readFileSync(file, 'utf8').split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l)); // eslint-disable-line @typescript-eslint/no-explicit-any

/** Every file of a folder, relative, with forward slashes. */
function filesOf(dir: string, prefix = ''): string[] {
  return readdirSync(dir).flatMap((name) => (statSync(join(dir, name)).isDirectory() ? filesOf(join(dir, name), `${prefix}${name}/`) : [`${prefix}${name}`]));
}

function git(dir: string, ...args: string[]): string {
  return execFileSync('git', ['-C', dir, '-c', 'user.name=Test', '-c', 'user.email=test@example.com', '-c', 'commit.gpgsign=false', ...args], { encoding: 'utf8' }).trim();
}

describe('tap-drift evidence on the committed baselines', () => {
  let dir: string;
  let bundle: string;
  let indexSha256: string;
  beforeAll(() => {
    // Prepare: the committed baselines are both the approved state and the synth (the synth equals them after a merge).
    dir = tempDir('evidence');
    bundle = join(dir, 'prod-bundle');

    // Act
    const result = cli(WORKSPACE, ['evidence', '--environment', 'prod', '--baseline', relative(WORKSPACE, COMMITTED), '--current', relative(WORKSPACE, COMMITTED), '--out', bundle, '--status', join(dir, 'no-status')]);

    // Assess
    expect(result).toMatchObject({ code: 0, stderr: '' });
    indexSha256 = /index\.json sha256 ([0-9a-f]{64})/.exec(result.stdout)?.[1] ?? '';
    expect(indexSha256).toMatch(/^[0-9a-f]{64}$/);
  });
  afterAll(() => removeDir(dir));

  it('records the approved hashes old -> new as the history and the baselines hold them, and the proposer and reason', () => {
    // Prepare
    const baseline = readJson(join(COMMITTED, 'prod.json'));
    const inventory = readJson(join(COMMITTED, 'prod.resources.json'));
    const latest = historyLines(join(COMMITTED, 'history.jsonl')).filter((l) => l.environment === 'prod' && l.kind === undefined).at(-1);

    // Act
    const change = readJson(join(bundle, 'change.json'));

    // Assess
    expect(change.hashes.new).toEqual({ configHash: baseline.configHash, inventoryHash: inventory.inventoryHash });
    expect(change.hashes.old).toEqual({ configHash: latest.oldHash, inventoryHash: latest.oldInventoryHash });
    expect(change.reason).toBe(latest.reason);
    expect(change.proposer).toEqual(latest.proposer ?? latest.approver);
    expect(readJson(join(bundle, 'backout.json')).hashes).toEqual(change.hashes.old);
    expect(readFileSync(join(bundle, 'baseline', 'prod.json'))).toEqual(readFileSync(join(COMMITTED, 'prod.json')));
  });

  it('lists every file with its SHA-256 in index.json, and nothing else is in the bundle', () => {
    // Act
    const index = readJson(join(bundle, 'index.json'));

    // Assess: the digests are recomputed here, not copied from the command's output.
    const files = filesOf(bundle).filter((f) => f !== 'index.json');
    expect(Object.keys(index.files).sort()).toEqual(files.sort());
    for (const file of files) {
      expect(index.files[file]).toBe(execFileSync('sha256sum', [join(bundle, file)], { encoding: 'utf8' }).split(' ')[0]);
    }
  });

  it('verifies intact, as a folder and as its .tar.gz, with the index digest pinned', () => {
    for (const target of [bundle, `${bundle}.tar.gz`]) {
      // Act
      const result = cli(WORKSPACE, ['evidence', 'verify', target, '--index-sha256', indexSha256]);

      // Assess
      expect(result).toMatchObject({ code: 0, stderr: '' });
      expect(result.stdout).toMatch(/intact/);
    }
  });

  it('fails verification when any byte of any file changes, naming that file (exit 1)', () => {
    // Prepare
    const files = filesOf(bundle);
    expect(files).toContain('index.json');
    for (const file of files) {
      const copy = join(dir, `flip-${file.replace(/\//g, '_')}`);
      cpSync(bundle, copy, { recursive: true });
      const bytes = readFileSync(join(copy, file));
      for (const at of [0, Math.floor(bytes.length / 2), bytes.length - 1]) {
        const changed = Buffer.from(bytes);
        changed[at] ^= 0x01;
        writeFileSync(join(copy, file), changed);

        // Act
        const result = cli(WORKSPACE, ['evidence', 'verify', copy]);

        // Assess
        expect({ file, at, code: result.code }).toEqual({ file, at, code: 1 });
        expect(result.stderr).toContain(file === 'index.json' ? 'index' : file);
      }
      removeDir(copy);
    }
  });

  it('fails verification for a missing file, an extra file, a symlink, or an edited index (exit 1)', () => {
    const cases: Array<[string, (copy: string) => void, RegExp]> = [
      ['a missing file', (copy) => rmSync(join(copy, 'approvals.json')), /approvals\.json: missing/],
      ['an extra file', (copy) => writeFileSync(join(copy, 'extra.txt'), 'x'), /extra\.txt: not listed in index\.json/],
      ['a symlink', (copy) => symlinkSync('/etc/hostname', join(copy, 'link')), /link: not a regular file/],
      ['an index without an entry', (copy) => editIndex(copy, (index) => delete index.files['backout.json']), /backout\.json: not listed/],
      ['an index with an entry too many', (copy) => editIndex(copy, (index) => (index.files['ghost.json'] = '0'.repeat(64))), /ghost\.json: missing/],
      ['an index with another digest', (copy) => editIndex(copy, (index) => (index.files['change.json'] = 'f'.repeat(64))), /change\.json: changed/],
      ['an index of another format', (copy) => editIndex(copy, (index) => (index.format = 'other/9')), /not a tap-evidence\/1 index/],
      ['an index that is not JSON', (copy) => writeFileSync(join(copy, 'index.json'), '{'), /index\.json: not valid JSON/],
      ['no index', (copy) => rmSync(join(copy, 'index.json')), /index\.json: missing/],
    ];
    for (const [what, edit, message] of cases) {
      // Prepare
      const copy = join(dir, `case-${what.replace(/\W+/g, '-')}`);
      cpSync(bundle, copy, { recursive: true });
      edit(copy);

      // Act
      const result = cli(WORKSPACE, ['evidence', 'verify', copy]);

      // Assess
      expect({ what, code: result.code }).toEqual({ what, code: 1 });
      expect(result.stderr).toMatch(message);
      removeDir(copy);
    }
  });

  it('refuses a consistently rewritten bundle only against the index digest recorded when it was made', () => {
    // Prepare: a file changed and the index recomputed to match, as a forger would.
    const copy = join(dir, 'forged');
    cpSync(bundle, copy, { recursive: true });
    writeFileSync(join(copy, 'change-summary.txt'), 'nothing changed\n');
    editIndex(copy, (index) => (index.files['change-summary.txt'] = execFileSync('sha256sum', [join(copy, 'change-summary.txt')], { encoding: 'utf8' }).split(' ')[0]));

    // Act
    const unpinned = cli(WORKSPACE, ['evidence', 'verify', copy]);
    const pinned = cli(WORKSPACE, ['evidence', 'verify', copy, '--index-sha256', indexSha256]);

    // Assess: the bundle alone cannot prove who wrote it; the digest printed at creation (CI log) can.
    expect(unpinned.code).toBe(0);
    expect(pinned.code).toBe(1);
    expect(pinned.stderr).toMatch(/index\.json: sha256 [0-9a-f]{64} is not the recorded/);
  });

  it('fails verification of an archive whose bytes or content changed, or that holds a symlink (exit 1)', () => {
    // Prepare: one byte flipped in the compressed data, and an archive rebuilt around one changed file.
    const archive = readFileSync(`${bundle}.tar.gz`);
    const flipped = Buffer.from(archive);
    flipped[Math.floor(archive.length / 2)] ^= 0x01;
    writeFileSync(join(dir, 'flipped.tar.gz'), flipped);
    const work = join(dir, 'rebuilt');
    cpSync(bundle, join(work, 'prod-bundle'), { recursive: true });
    writeFileSync(join(work, 'prod-bundle', 'gate-check.txt'), 'in sync\n');
    createTar({ file: join(dir, 'rebuilt.tar.gz'), cwd: work, gzip: true, sync: true }, ['prod-bundle']);
    const linked = join(dir, 'linked');
    cpSync(bundle, join(linked, 'prod-bundle'), { recursive: true });
    symlinkSync('index.json', join(linked, 'prod-bundle', 'alias.json'));
    createTar({ file: join(dir, 'linked.tar.gz'), cwd: linked, gzip: true, sync: true }, ['prod-bundle']);

    // Act
    const damaged = cli(WORKSPACE, ['evidence', 'verify', join(dir, 'flipped.tar.gz')]);
    const rebuilt = cli(WORKSPACE, ['evidence', 'verify', join(dir, 'rebuilt.tar.gz')]);
    const withLink = cli(WORKSPACE, ['evidence', 'verify', join(dir, 'linked.tar.gz')]);

    // Assess
    expect(damaged.code).toBe(1);
    expect(damaged.stderr).toMatch(/archive is damaged/);
    expect(rebuilt.code).toBe(1);
    expect(rebuilt.stderr).toMatch(/gate-check\.txt: changed/);
    expect(withLink.code).toBe(1);
    expect(withLink.stderr).toMatch(/alias\.json: not a regular file/);
  });

  it.each([
    ['a path that does not exist', (d: string) => join(d, 'nothing-here'), [], /not found/],
    ['a file that is no archive', (d: string) => writeJson(join(d, 'plain.json'), {}), [], /neither an evidence folder nor a \.tar\.gz/],
    ['a malformed --index-sha256', (d: string) => join(d, 'prod-bundle'), ['--index-sha256', 'abc'], /not a SHA-256 digest/],
  ])('cannot verify %s: one line, exit 2', (_what, target, extra, message) => {
    // Act
    const result = cli(WORKSPACE, ['evidence', 'verify', target(dir), ...extra]);

    // Assess
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('refuses to write a bundle holding the value of a secret environment variable, without printing it (exit 2)', () => {
    // Prepare: a status file that (wrongly) carries the state passphrase.
    const passphrase = 'correct-horse-battery-staple-42';
    const status = join(dir, 'status');
    writeJson(join(status, 'deploy-prod.json'), { target: 'deploy', configuration: 'prod', status: 'ok', message: `passphrase ${passphrase}` });
    const out = join(dir, 'leaky');

    // Act
    const result = cli(
      WORKSPACE,
      ['evidence', '--environment', 'prod', '--baseline', COMMITTED, '--current', COMMITTED, '--status', status, '--out', out],
      { PULUMI_CONFIG_PASSPHRASE: passphrase },
    );

    // Assess
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^tap-drift: status\.json: would hold the value of the environment variable PULUMI_CONFIG_PASSPHRASE/);
    expect(result.stderr + result.stdout).not.toContain(passphrase);
    expect(() => statSync(out)).toThrow();
  });

  it.each([
    ['no --environment', [], /--environment: required/],
    ['an unknown environment', ['--environment', 'qa'], /--environment.*invalid/i],
    ['a baseline folder without the environment', ['--environment', 'prod', '--baseline', 'packages'], /packages: no manifests found|holds no approved baseline of prod/],
    ['an --out that is another folder', ['--environment', 'prod', '--baseline', relative(WORKSPACE, COMMITTED), '--current', relative(WORKSPACE, COMMITTED), '--out', 'packages/manifest/src'], /exists and is not an evidence bundle/],
  ])('refuses %s: one line, exit 2', (_what, args, message) => {
    // Act
    const result = cli(WORKSPACE, ['evidence', ...args]);

    // Assess
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });
});

/** Edits a bundle's index.json (parsed) and writes it back. */
function editIndex(bundle: string, edit: (index: any) => void): void { // eslint-disable-line @typescript-eslint/no-explicit-any
  const index = readJson(join(bundle, 'index.json'));
  edit(index);
  writeFileSync(join(bundle, 'index.json'), `${JSON.stringify(index, null, 2)}\n`);
}

describe('tap-drift evidence: the change, its approvals and its back-out target', () => {
  let repo: string;
  let firstCommit: string;
  let firstHashes: { configHash: string; inventoryHash: string };
  const RULES = join(WORKSPACE, 'apps', 'tap-stack', 'approval-rules.json');
  const approve = (synth: string, reason: string) =>
    cli(repo, ['approve', '--baseline', 'manifests', '--current', synth, '--reason', reason, '--no-policy-check', '--rules', RULES]);

  beforeAll(() => {
    // Prepare: a repository whose prod baseline was approved twice, each approval committed.
    repo = tempDir('evidence-git');
    git(repo, 'init', '-q');
    writeSynth(join(repo, 'synth-1'), 'prod');
    expect(approve('synth-1', 'first prod baseline').code).toBe(0);
    git(repo, 'add', '-A');
    git(repo, 'commit', '-qm', 'chore: first prod baseline');
    firstCommit = git(repo, 'rev-parse', 'HEAD');
    firstHashes = { configHash: readJson(join(repo, 'manifests', 'prod.json')).configHash, inventoryHash: readJson(join(repo, 'manifests', 'prod.resources.json')).inventoryHash };
    writeSynth(join(repo, 'synth-2'), 'prod', {
      config: (c) => (c.lambda.memoryMb = 3008),
      records: (records) => (record(records, 'tap-payments-function').inputs['memorySize'] = 3008),
    });
    expect(approve('synth-2', 'prod payments need 3008 MB').code).toBe(0);
    git(repo, 'add', '-A');
    git(repo, 'commit', '-qm', 'chore: prod payments memory');
  });
  afterAll(() => removeDir(repo));

  it('names the commit holding the previous baseline as the back-out target, and the change from it', () => {
    // Act
    const result = cli(repo, ['evidence', '--environment', 'prod', '--current', 'synth-2', '--baseline', 'manifests', '--rules', RULES, '--out', 'out/prod']);

    // Assess
    expect(result).toMatchObject({ code: 0, stderr: '' });
    const backOut = readJson(join(repo, 'out', 'prod', 'backout.json'));
    expect(backOut).toMatchObject({ commit: firstCommit, hashes: firstHashes, unchanged: false });
    expect(readFileSync(join(repo, 'out', 'prod', 'change-summary.txt'), 'utf8')).toMatch(/lambda\.memory: \d+ -> 3008/);
    const change = readJson(join(repo, 'out', 'prod', 'change.json'));
    expect(change).toMatchObject({ reason: 'prod payments need 3008 MB', proposer: { name: 'Git User' }, approved: true });
    expect(change.commit.head).toBe(git(repo, 'rev-parse', 'HEAD'));
    expect(readJson(join(repo, 'out', 'prod', 'requirements.json')).report.requirements.map((r: { rule: string }) => r.rule)).toContain('prod-any-change');
  });

  it('records the reviews that met the requirements: logins, review ids, commit ids; missing ones make it exit 1', () => {
    // Prepare: the files the deploy workflow has (given-approvals.cjs and verify-approvals.sh outputs).
    const head = 'a'.repeat(40);
    const requirements = join(repo, 'pr', 'requirements.json');
    git(repo, 'worktree', 'add', '-q', join(repo, 'first'), firstCommit);
    const computed = cli(repo, ['requirements', '--baseline', join(repo, 'first', 'manifests'), '--current', 'synth-2', '--rules', RULES, '--out', requirements]);
    expect(computed.code).toBe(0);
    const needed = readJson(requirements).requirements as Array<{ group: string; approvals: number }>;
    const reviewers = needed.flatMap((r, i) => Array.from({ length: r.approvals }, (_, n) => ({ approver: `${r.group}-${i}-${n}`, groups: [r.group], reviewId: 1000 + 10 * i + n, commitId: head })));
    writeJson(join(repo, 'pr', 'given-approvals.json'), reviewers);
    writeJson(join(repo, 'pr', 'pull-request.json'), { number: 7, author: 'author', head, base: 'b'.repeat(40), pushers: ['author'], unlinkedCommitters: [] });
    writeJson(join(repo, 'pr', 'one-short.json'), reviewers.slice(1));
    const run = (given: string, out: string) =>
      cli(repo, ['evidence', '--environment', 'prod', '--current', 'synth-2', '--baseline', 'manifests', '--requirements', requirements, '--given', given, '--pull-request', 'pr/pull-request.json', '--out', out]);

    // Act
    const met = run('pr/given-approvals.json', 'out/met');
    const short = run('pr/one-short.json', 'out/short');

    // Assess
    expect(met).toMatchObject({ code: 0, stderr: '' });
    const approvals = readJson(join(repo, 'out', 'met', 'approvals.json'));
    expect(approvals.given).toEqual(reviewers);
    expect(approvals.verification.met).toBe(true);
    for (const requirement of approvals.verification.requirements) expect(requirement.approvedBy.length).toBeGreaterThanOrEqual(requirement.approvals);
    expect(short.code).toBe(1);
    expect(short.stderr).toMatch(/not an approved state: the approvals given do not meet every requirement/);
    expect(readJson(join(repo, 'out', 'short', 'change.json')).approved).toBe(false);
    expect(cli(repo, ['evidence', 'verify', 'out/short']).code).toBe(0);
  });

  it('says so (exit 1, bundle written) when the synth is not the approved baseline', () => {
    // Act
    const result = cli(repo, ['evidence', '--environment', 'prod', '--current', 'synth-1', '--baseline', 'manifests', '--out', 'out/drifted']);

    // Assess
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/not an approved state: the synth .* is not the approved baseline of prod/);
    expect(readFileSync(join(repo, 'out', 'drifted', 'gate-check.txt'), 'utf8')).toMatch(/lambda\.memory: 3008 -> \d+/);
  });

  it('includes the revert-drift records written after the approval', () => {
    // Prepare: a copy of the repository whose history gets a revert-drift line, hash-chained like every line.
    const copy = tempDir('evidence-revert');
    cpSync(repo, copy, { recursive: true });
    const historyFile = join(copy, 'manifests', 'history.jsonl');
    const last = historyLines(historyFile).at(-1);
    // The shape the drift-aware deploy appends (tap-deploy --revert-drift --reason).
    const revert = {
      kind: 'revert-drift',
      time: '2026-01-01T00:00:00.000Z',
      environment: 'prod',
      reason: 'console edit of the alarm reverted',
      proposer: { name: 'octocat', source: 'ci' },
      resources: [{ urn: 'urn:pulumi:prod::TapStack::aws:cloudwatch/metricAlarm:MetricAlarm::tap-monitoring-lambda-errors', type: 'aws:cloudwatch/metricAlarm:MetricAlarm', properties: ['threshold'] }],
      prevHash: historyLineHash(last),
    };
    appendFileSync(historyFile, `${JSON.stringify(revert)}\n`);

    // Act
    const result = cli(copy, ['evidence', '--environment', 'prod', '--current', 'synth-2', '--baseline', 'manifests', '--out', 'out/revert']);

    // Assess: the audit accepts the record (it approves no baseline), and the record is in the bundle.
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(readJson(join(copy, 'out', 'revert', 'change.json')).revertDrift).toEqual([revert]);
    expect(readFileSync(join(copy, 'out', 'revert', 'history.jsonl'), 'utf8')).toContain('"kind":"revert-drift"');
    removeDir(copy);
  });

  it('without git, takes the change from the history record and says the back-out commit is unknown', () => {
    // Prepare: the same baselines outside any git checkout.
    const bare = mkdtempSync(join(tmpdir(), 'tap-evidence-nogit-'));
    cpSync(join(repo, 'manifests'), join(bare, 'manifests'), { recursive: true });
    cpSync(join(repo, 'synth-2'), join(bare, 'synth-2'), { recursive: true });

    try {
      // Act
      const result = cli(bare, ['evidence', '--environment', 'prod', '--current', 'synth-2', '--baseline', 'manifests', '--out', 'out/prod']);

      // Assess
      expect(result).toMatchObject({ code: 0, stderr: '' });
      const backOut = readJson(join(bare, 'out', 'prod', 'backout.json'));
      expect(backOut).toMatchObject({ commit: null, hashes: firstHashes });
      expect(backOut.commitNote).toMatch(/not in a git checkout/);
      expect(readFileSync(join(bare, 'out', 'prod', 'change-summary.txt'), 'utf8')).toMatch(/configuration paths changed: .*lambda\.memory\b/);
      expect(cli(bare, ['evidence', 'verify', 'out/prod.tar.gz']).code).toBe(0);
    } finally {
      rmSync(bare, { recursive: true, force: true });
    }
  });
});
