import { createHash } from 'node:crypto';
import { closeSync, copyFileSync, existsSync, mkdirSync, openSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { canonicalJson, computeConfigHash, historyLineHash, owedApprovals, verifyAuditTrail, type ConfigManifest, type ResourceInventory } from '../../src';
import { computeInventoryHash } from '../../src/inventory';
import { WORKSPACE, record, removeDir, runCliIn, tempDir, writeJson, writeSynth } from './support';

/*
 * The approval history as a hash chain: each line carries prevHash (SHA-256 of the canonical JSON of the line before),
 * a chain-start line covers the legacy lines by the SHA-256 of their bytes, and `tap-drift audit verify` finds the
 * first broken line, or a baseline history did not approve.
 */
const COMMITTED = join(WORKSPACE, 'apps', 'tap-stack', 'manifests');
const sha256 = (text: string | Buffer) => createHash('sha256').update(text).digest('hex');

const cli = runCliIn;

const lines = (file: string) => readFileSync(file, 'utf8').split('\n').filter((l) => l !== '');
const writeLines = (file: string, content: string[]) => writeFileSync(file, content.map((l) => `${l}\n`).join(''));

/** Three legacy lines (no prevHash), as the history had before the chain. */
function legacyLines(): string[] {
  return lines(join(COMMITTED, 'history.jsonl')).slice(0, 3);
}

describe('tap-drift audit: a tamper-evident approval history', () => {
  let dir: string;
  let history: string;
  beforeEach(() => {
    // Prepare: 3 legacy lines, a chain-start, the fixtures approved (lines 5-7), then a prod change approved (line 8).
    dir = tempDir('audit');
    history = join(dir, 'base', 'history.jsonl');
    mkdirSync(join(dir, 'base'));
    writeLines(history, legacyLines());
    for (const env of ['dev', 'staging', 'prod'] as const) writeSynth(join(dir, 'synth'), env);
    expect(cli(dir, ['audit', 'start-chain', '--baseline', 'base', '--reason', 'start the hash chain'])).toMatchObject({ code: 0, stderr: '' });
    const approve = ['approve', '--baseline', 'base', '--current', 'synth', '--no-policy-check', '--approver', 'test'];
    expect(cli(dir, [...approve, '--reason', 'first baselines'])).toMatchObject({ code: 0, stderr: '' });
    writeSynth(join(dir, 'synth'), 'prod', { config: (c) => (c.lambda.memoryMb = 8192), records: (r) => (record(r, 'tap-payments-function').inputs['memorySize'] = 8192) });
    expect(cli(dir, [...approve, '--reason', 'more prod memory'])).toMatchObject({ code: 0, stderr: '' });
  });
  afterEach(() => removeDir(dir));

  it('chains every new line to the one before it, and starts the chain with one documented line', () => {
    // Act
    const text = readFileSync(history, 'utf8');
    const all = lines(history).map((l) => JSON.parse(l));

    // Assess
    expect(all).toHaveLength(8);
    const legacyBytes = legacyLines().map((l) => `${l}\n`).join('');
    expect(text.startsWith(legacyBytes)).toBe(true);
    expect(all[3]).toEqual({
      kind: 'chain-start',
      time: expect.any(String),
      legacyLines: 3,
      legacySha256: sha256(legacyBytes),
      prevHash: sha256(canonicalJson(all[2])),
      reason: 'start the hash chain',
      baselines: {},
    });
    for (let i = 4; i < 8; i++) expect(all[i].prevHash).toBe(sha256(canonicalJson(all[i - 1])));
    expect(historyLineHash(all[6])).toBe(all[7].prevHash);
  });

  it('passes (exit 0) an intact chain whose baselines are the ones history approved', () => {
    // Act
    const run = cli(dir, ['audit', 'verify', '--baseline', 'base']);
    const json = cli(dir, ['audit', 'verify', '--history', 'base/history.jsonl', '--format', 'json']);

    // Assess
    expect(run).toEqual({ code: 0, stdout: expect.stringContaining('intact'), stderr: '' });
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: true, lines: 8, legacyLines: 3, chainStart: 4, problems: [] });
  });

  it.each([
    [
      'a chained line edited',
      (l: string[]) => (l[5] = l[5].replace('first baselines', 'first baselines, edited')),
      'base/history.jsonl:7: prevHash does not match line 6 (edited, removed or reordered)',
    ],
    ['a chained line removed', (l: string[]) => l.splice(5, 1), 'base/history.jsonl:6: prevHash does not match line 5 (edited, removed or reordered)'],
    ['two chained lines swapped', (l: string[]) => ([l[5], l[6]] = [l[6], l[5]]), 'base/history.jsonl:6: prevHash does not match line 5 (edited, removed or reordered)'],
    ['a legacy line edited', (l: string[]) => (l[1] = l[1].replace('"staging"', '"prod"')), 'base/history.jsonl:4: the 3 legacy line(s) before the chain-start do not match its legacySha256'],
    ['a legacy line removed', (l: string[]) => l.splice(0, 1), 'base/history.jsonl:3: the 2 legacy line(s) before the chain-start do not match its legacySha256'],
    ['a line appended without prevHash', (l: string[]) => l.push(JSON.stringify({ ...JSON.parse(l[7]), prevHash: undefined })), 'base/history.jsonl:9: no prevHash'],
    ['a second chain-start', (l: string[]) => l.push(JSON.stringify({ ...JSON.parse(l[3]), prevHash: historyLineHash(JSON.parse(l[7])) })), 'base/history.jsonl:9: a second chain-start'],
  ])('exits 1 naming the first broken line: %s', (_what, tamper, message) => {
    // Prepare
    const content = lines(history);
    tamper(content);
    writeLines(history, content);

    // Act
    const run = cli(dir, ['audit', 'verify', '--baseline', 'base']);

    // Assess
    expect(run.code).toBe(1);
    expect(run.stderr.split('\n')[0]).toContain(`tap-drift: ${message}`);
  });

  it('exits 1 when a baseline was edited and its hash recomputed (configuration or inventory)', () => {
    // Prepare
    const prodFile = join(dir, 'base', 'prod.json');
    const prod = JSON.parse(readFileSync(prodFile, 'utf8')) as ConfigManifest;
    const approved = prod.configHash;
    prod.configuration.lambda.memory = 10240;
    prod.configHash = computeConfigHash(prod.configuration);
    writeJson(prodFile, prod);
    const devFile = join(dir, 'base', 'dev.resources.json');
    const dev = JSON.parse(readFileSync(devFile, 'utf8')) as ResourceInventory;
    const [first] = Object.keys(dev.resources);
    delete dev.resources[first];
    dev.inventoryHash = computeInventoryHash(dev);
    writeJson(devFile, dev);

    // Act
    const run = cli(dir, ['audit', 'verify', '--baseline', 'base']);

    // Assess
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`tap-drift: base/dev.resources.json: hash ${dev.inventoryHash.slice(0, 12)}… is not the one history approved (`);
    expect(run.stderr).toContain(`tap-drift: base/prod.json: hash ${prod.configHash.slice(0, 12)}… is not the one history approved (${approved.slice(0, 12)}…, base/history.jsonl:8): edited by hand?`);
  });

  it('exits 1 when a baseline no longer matches its own stored hash (edited without recomputing it)', () => {
    // Prepare
    const prodFile = join(dir, 'base', 'prod.json');
    const prod = JSON.parse(readFileSync(prodFile, 'utf8')) as ConfigManifest;
    prod.configuration.lambda.memory = 10240;
    writeJson(prodFile, prod);

    // Act
    const run = cli(dir, ['audit', 'verify', '--baseline', 'base']);

    // Assess
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^tap-drift: base\/prod\.json: configHash .* does not match the configuration/);
  });

  it.each([
    ['no history file', ['audit', 'verify', '--history', 'nowhere.jsonl'], /^tap-drift: nowhere\.jsonl: file not found/],
    ['neither --baseline nor --history', ['audit', 'verify'], /^tap-drift: --baseline: give the baseline directory/],
  ])('exits 2 with one line on bad input: %s', (_what, args, message) => {
    // Act
    const run = cli(dir, args);

    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('exits 2 with one line on a history line that is not JSON', () => {
    // Prepare
    writeFileSync(history, `${readFileSync(history, 'utf8')}{not json\n`);

    // Act
    const run = cli(dir, ['audit', 'verify', '--baseline', 'base']);

    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^tap-drift: base\/history\.jsonl:9: invalid JSON/);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('refuses a second start-chain (exit 2), and an approve while another holds the history lock', () => {
    // Prepare: a change to approve, and the lock held (as by an approve running now).
    writeSynth(join(dir, 'synth'), 'dev', { config: (c) => (c.lambda.memoryMb = 3008), records: (r) => (record(r, 'tap-payments-function').inputs['memorySize'] = 3008) });
    closeSync(openSync(`${history}.lock`, 'wx'));

    // Act
    const again = cli(dir, ['audit', 'start-chain', '--baseline', 'base', '--reason', 'again']);
    const locked = cli(dir, ['approve', '--baseline', 'base', '--current', 'synth', '--no-policy-check', '--approver', 'test', '--reason', 'while locked']);

    // Assess
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/^tap-drift: base\/history\.jsonl: already chained/);
    expect(locked.code).toBe(2);
    expect(locked.stderr).toMatch(/^tap-drift: base\/history\.jsonl\.lock: held by another approve/);
    expect(lines(history)).toHaveLength(8);
  });

  it('removes its lock when the approve is done, and when it fails', () => {
    // Prepare
    writeSynth(join(dir, 'synth'), 'dev', { config: (c) => (c.lambda.memoryMb = 3008), records: (r) => (record(r, 'tap-payments-function').inputs['memorySize'] = 3008) });

    // Act
    const ok = cli(dir, ['approve', '--baseline', 'base', '--current', 'synth', '--no-policy-check', '--approver', 'test', '--reason', 'dev memory']);
    const failed = cli(dir, ['approve', '--baseline', 'base', '--current', 'synth', '--policy-report', 'missing.json', '--approver', 'test', '--reason', 'r']);

    // Assess
    expect(ok.code).toBe(0);
    expect(failed.code).toBe(2);
    expect(readdirSync(join(dir, 'base'))).not.toContain('history.jsonl.lock');
    expect(cli(dir, ['audit', 'verify', '--baseline', 'base']).code).toBe(0);
  });
});

describe('tap-drift audit verify on the committed history and baselines', () => {
  it('passes: the chain is intact and every baseline is the one history approved last', () => {
    // Act
    const report = verifyAuditTrail({ baseline: COMMITTED });

    // Assess
    expect(report.problems).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.legacyLines).toBe(30);
    expect(report.environments.map((e) => e.environment).sort()).toEqual(['dev', 'prod', 'staging']);
  });

  it('fails when a committed baseline is edited and its hash recomputed (on a copy)', () => {
    // Prepare
    const dir = tempDir('audit-committed');
    try {
      for (const file of readdirSync(COMMITTED)) copyFileSync(join(COMMITTED, file), join(dir, file));
      const prod = JSON.parse(readFileSync(join(dir, 'prod.json'), 'utf8')) as ConfigManifest;
      prod.configuration.encryption.keyRotation = false;
      prod.configHash = computeConfigHash(prod.configuration);
      writeJson(join(dir, 'prod.json'), prod);

      // Act
      const report = verifyAuditTrail({ baseline: dir });

      // Assess
      expect(report.ok).toBe(false);
      // The line of prod's last approval in the committed history (it moves with every drift-approve).
      const lastProd = readFileSync(join(COMMITTED, 'history.jsonl'), 'utf8').trim().split('\n').map((line) => JSON.parse(line).environment).lastIndexOf('prod') + 1;
      expect(report.problems[0].message).toMatch(new RegExp(`prod\\.json: hash [0-9a-f]{12}… is not the one history approved \\([0-9a-f]{12}…, .*history\\.jsonl:${lastProd}\\): edited by hand\\?`));
    } finally {
      removeDir(dir);
    }
  });
});

describe('owed approvals: requirements recorded as unmet since the last fully met approval', () => {
  it('lists what the committed prod baseline still owes', () => {
    // Act
    const owed = owedApprovals({ history: join(COMMITTED, 'history.jsonl') });

    // Assess
    const prod = owed.environments.find((e) => e.environment === 'prod');
    expect(prod?.owed).toContainEqual(expect.objectContaining({ rule: 'prod-any-change', group: 'platform-leads', approvals: 2, line: 30 }));
    expect(owed.owed).toBe(true);
  });

  it('forgets what a later fully met approval of the same environment settled, and never what another environment owes', () => {
    // Prepare
    const dir = tempDir('owed');
    try {
      const base = { time: '2026-01-01T00:00:00.000Z', oldHash: null, newHash: 'a'.repeat(64), changedPaths: [], baselineFile: 'x.json', currentFile: 'y.json' };
      const req = (met: boolean) => ({ rules: 'rules.json', requirements: [{ rule: 'prod-any-change', group: 'platform-leads', approvals: 2, approvedBy: [], met }] });
      const file = join(dir, 'history.jsonl');
      let prev: unknown = null;
      const out: string[] = [];
      for (const entry of [
        { ...base, environment: 'prod', approvals: req(false) },
        { ...base, environment: 'prod', approvals: req(true) },
        { ...base, environment: 'prod', approvals: req(false), reason: 'owed 1' },
        { ...base, environment: 'dev', approvals: { rules: 'rules.json', requirements: [] } },
        { ...base, environment: 'prod', approvals: req(false), reason: 'owed 2' },
      ]) {
        const line = { ...entry, prevHash: prev === null ? null : historyLineHash(prev) };
        out.push(JSON.stringify(line));
        prev = line;
      }
      writeLines(file, out);

      // Act
      const owed = owedApprovals({ history: file });
      const json = cli(dir, ['audit', 'owed', '--history', 'history.jsonl', '--environment', 'prod']);

      // Assess
      expect(owed.environments.find((e) => e.environment === 'prod')?.owed.map((o) => o.line)).toEqual([3, 5]);
      expect(owed.environments.find((e) => e.environment === 'dev')?.owed).toEqual([]);
      expect(json.code).toBe(0);
      expect(JSON.parse(json.stdout)).toMatchObject({ owed: true, environments: [{ environment: 'prod', owed: [{ line: 3 }, { line: 5 }] }] });
    } finally {
      removeDir(dir);
    }
  });
});

describe('tap-drift approve in CI: the identity comes from GitHub, not from flags', () => {
  let dir: string;
  beforeEach(() => {
    dir = tempDir('audit-ci');
    for (const env of ['dev', 'staging', 'prod'] as const) writeSynth(join(dir, 'synth'), env);
  });
  afterEach(() => removeDir(dir));

  it.each([
    [['--approver', 'me'], '--approver is refused in CI: the approver is the pull request'],
    [['--history', 'h.jsonl'], '--history is refused in CI'],
    [['--approvals', 'given.json'], '--approvals is refused in CI'],
    [['--no-policy-check'], '--no-policy-check is refused in CI'],
  ])('refuses %j with one line, exit 2, nothing written', (extra, message) => {
    // Act
    const run = cli(dir, ['approve', '--baseline', 'base', '--current', 'synth', '--reason', 'r', ...extra], { CI: 'true', GITHUB_ACTOR: 'octocat' });

    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(new RegExp(`^tap-drift: ${message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(existsSync(join(dir, 'base'))).toBe(false);
  });

  it('refuses every refused flag, one line each', () => {
    // Act
    const run = cli(dir, ['approve', '--baseline', 'base', '--current', 'synth', '--reason', 'r', '--approver', 'me', '--no-policy-check'], { CI: '1' });

    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^tap-drift: --approver is refused in CI/), expect.stringMatching(/^tap-drift: --no-policy-check is refused in CI/)]);
  });

  it('records GITHUB_ACTOR as the proposer (source ci), never as the approver', () => {
    // Prepare
    const counts = (['dev', 'staging', 'prod'] as const).map((environment) => ({
      file: `synth/${environment}/resources.json`,
      stackName: environment,
      environment,
      resourceCount: (JSON.parse(readFileSync(join(dir, 'synth', environment, 'resources.json'), 'utf8')) as unknown[]).length,
      violations: [],
    }));
    writeJson(join(dir, 'policy.json'), { ok: true, policyCount: 3, files: counts });

    // Act
    const run = cli(dir, ['approve', '--baseline', 'base', '--current', 'synth', '--reason', 'r', '--policy-report', 'policy.json'], { CI: 'true', GITHUB_ACTOR: 'octocat' });
    const outsideCi = cli(dir, ['audit', 'verify', '--baseline', 'base'], { GITHUB_ACTOR: 'octocat' });

    // Assess
    expect(run).toMatchObject({ code: 0, stderr: '' });
    const [first] = lines(join(dir, 'base', 'history.jsonl')).map((l) => JSON.parse(l));
    expect(first.proposer).toEqual({ name: 'octocat', source: 'ci' });
    expect(first.approver).toBeUndefined();
    expect(first.prevHash).toBeNull();
    expect(run.stdout).toContain('proposer: octocat (ci)');
    expect(outsideCi.code).toBe(0);
  });

  it('refuses in CI without GITHUB_ACTOR (nobody to record)', () => {
    // Act
    const run = cli(dir, ['approve', '--baseline', 'base', '--current', 'synth', '--reason', 'r', '--policy-report', 'p.json'], { CI: 'true' });

    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^tap-drift: CI: running in CI without GITHUB_ACTOR/);
  });
});

describe('the audit helpers as a library', () => {
  it('hashes a history line as the SHA-256 of its canonical JSON, whatever its key order', () => {
    // Act + Assess
    expect(historyLineHash({ b: 1, a: 'x' })).toBe(sha256('{"a":"x","b":1}'));
    expect(historyLineHash({ a: 'x', b: 1 })).toBe(historyLineHash({ b: 1, a: 'x' }));
  });
});
