import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ManifestError } from '../../src';
import { readApprovalHistory, resolveApprover, resolveIdentity } from '../../src/audit';
import { runCli } from '../../src/cli/main';
import { WORKSPACE, policyReport, record, removeDir, tempDir, writeJson, writeSynth } from './support';

/** Runs tap-drift in-process with a fixed environment (no CI) and git identity, in `dir`. */
function cli(dir: string, args: string[], options: { env?: NodeJS.ProcessEnv; git?: { name?: string; email?: string } } = {}) {
  let stdout = '';
  let stderr = '';
  const cwd = process.cwd();
  process.chdir(dir);
  try {
    const code = runCli(args, {
      out: (t) => (stdout += t),
      err: (t) => (stderr += t),
      env: options.env ?? {},
      git: () => options.git ?? { name: 'Git User', email: 'git@example.com' },
    });
    return { code, stdout, stderr };
  } finally {
    process.chdir(cwd);
  }
}

const history = (dir: string) => readFileSync(join(dir, 'base', 'history.jsonl'), 'utf8').trim().split('\n').map((line) => JSON.parse(line));
const approve = (...extra: string[]) => ['approve', '--baseline', 'base', '--current', 'synth', '--history', 'base/history.jsonl', ...extra];

describe('tap-drift approve: approvals that stand up in an audit', () => {
  let dir: string;
  beforeEach(() => {
    dir = tempDir('approve');
    for (const env of ['dev', 'staging', 'prod'] as const) writeSynth(join(dir, 'synth'), env);
  });
  afterEach(() => removeDir(dir));

  const counts = () =>
    (['dev', 'staging', 'prod'] as const).map((environment) => ({
      environment,
      resourceCount: (JSON.parse(readFileSync(join(dir, 'synth', environment, 'resources.json'), 'utf8')) as unknown[]).length,
    }));

  it.each([
    ['no --reason', [], /^tap-drift: --reason: is required: say why this change is approved/],
    ['an empty --reason', ['--reason', '  '], /^tap-drift: --reason: is required/],
    ['neither --policy-report nor --no-policy-check', ['--reason', 'r'], /^tap-drift: --policy-report: is required: pass the JSON report of `tap-policy check --format json`/],
    ['both --policy-report and --no-policy-check', ['--reason', 'r', '--policy-report', 'p.json', '--no-policy-check'], /^tap-drift: --no-policy-check: contradicts --policy-report/],
  ])('refuses %s: one line, exit 2, nothing written', (_what, extra, message) => {
    // Act
    const result = cli(dir, approve(...extra));

    // Assess
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(existsSync(join(dir, 'base'))).toBe(false);
  });

  it('refuses with exit 1 and lists each mandatory violation when the policy report fails', () => {
    // Prepare
    const report = counts().map((c) =>
      c.environment === 'prod'
        ? {
            ...c,
            violations: [
              { policyName: 'alarms-notify', enforcementLevel: 'mandatory', message: 'errors alarm evaluates 24 h', resourceName: 'tap-monitoring-lambda-errors', resourceType: 'aws:cloudwatch/metricAlarm:MetricAlarm' },
              { policyName: 'tags', enforcementLevel: 'advisory', message: 'no owner tag', resourceName: 'tap-key', resourceType: 'aws:kms/key:Key' },
            ],
          }
        : c,
    );
    writeJson(join(dir, 'policy.json'), policyReport(report));

    // Act
    const result = cli(dir, approve('--reason', 'r', '--policy-report', 'policy.json'));

    // Assess
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      'tap-drift: policy.json: approval refused, 1 mandatory policy violation(s); fix them (or the policy) and synth again:\n' +
        "  prod: alarms-notify on MetricAlarm 'tap-monitoring-lambda-errors': errors alarm evaluates 24 h\n",
    );
    expect(existsSync(join(dir, 'base'))).toBe(false);
  });

  it('refuses a policy report that does not cover an environment, or was made from another synth (exit 2)', () => {
    // Prepare
    writeJson(join(dir, 'partial.json'), policyReport(counts().filter((c) => c.environment !== 'staging')));
    writeJson(join(dir, 'stale.json'), policyReport(counts().map((c) => (c.environment === 'dev' ? { ...c, resourceCount: c.resourceCount - 1 } : c))));
    writeFileSync(join(dir, 'junk.json'), '{"hello": 1}');

    // Act
    const partial = cli(dir, approve('--reason', 'r', '--policy-report', 'partial.json'));
    const stale = cli(dir, approve('--reason', 'r', '--policy-report', 'stale.json'));
    const junk = cli(dir, approve('--reason', 'r', '--policy-report', 'junk.json'));

    // Assess
    expect(partial).toMatchObject({ code: 2, stderr: expect.stringMatching(/^tap-drift: partial\.json: does not cover staging, which is being approved;/) });
    expect(stale).toMatchObject({ code: 2, stderr: expect.stringMatching(/^tap-drift: stale\.json: was made from another synth of dev \(\d+ resources, the current synth has \d+\)/) });
    expect(junk).toMatchObject({ code: 2, stderr: expect.stringMatching(/^tap-drift: junk\.json: not a tap-policy JSON report/) });
    expect(existsSync(join(dir, 'base'))).toBe(false);
  });

  it('records approver, reason, changed paths and resources, policy result and hashes in each history line', () => {
    // Prepare: approved baselines, then prod's errors alarm and memory change.
    expect(cli(dir, approve('--reason', 'first baselines', '--no-policy-check')).code).toBe(0);
    writeSynth(join(dir, 'synth'), 'prod', {
      config: (c) => (c.lambda.memoryMb = 8192),
      records: (r) => {
        record(r, 'tap-payments-function').inputs['memorySize'] = 8192;
        Object.assign(record(r, 'tap-monitoring-lambda-errors').inputs, { period: 3600, evaluationPeriods: 24, datapointsToAlarm: 24 });
      },
    });
    writeJson(join(dir, 'policy.json'), policyReport(counts()));

    // Act
    const result = cli(dir, ['approve', '--baseline', 'base', '--current', 'synth', '--reason', 'Black Friday sizing (CHG-42)', '--policy-report', 'policy.json'], {
      env: { CI: 'true', GITHUB_ACTOR: 'octocat' },
    });

    // Assess
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('proposer: octocat (ci)');
    expect(result.stdout).toContain('policy: passed (policy.json: 0 advisory violations)');
    const lines = history(dir);
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatchObject({ environment: 'dev', approver: { name: 'Git User', email: 'git@example.com', source: 'git' }, policy: { result: 'not checked' }, oldInventoryHash: null });
    expect(lines[3]).toEqual({
      time: expect.any(String),
      environment: 'prod',
      oldHash: lines[2].newHash,
      newHash: expect.stringMatching(/^[0-9a-f]{64}$/),
      changedPaths: ['lambda.memory'],
      baselineFile: join('base', 'prod.json'),
      currentFile: join('synth', 'prod', 'manifest.json'),
      proposer: { name: 'octocat', source: 'ci' },
      reason: 'Black Friday sizing (CHG-42)',
      oldInventoryHash: lines[2].newInventoryHash,
      newInventoryHash: expect.stringMatching(/^[0-9a-f]{64}$/),
      inventoryFile: join('base', 'prod.resources.json'),
      changedResources: {
        added: 0,
        removed: 0,
        changed: 2,
        properties: 4,
        list: [
          '~ tap-payments-function (aws:lambda/function:Function): memorySize',
          '~ tap-monitoring-lambda-errors (aws:cloudwatch/metricAlarm:MetricAlarm): datapointsToAlarm, evaluationPeriods, period',
        ],
      },
      policy: { result: 'passed', report: 'policy.json', violations: 0, policies: 28 },
      prevHash: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(lines[3].newInventoryHash).not.toBe(lines[3].oldInventoryHash);
    expect(readApprovalHistory(join(dir, 'base', 'history.jsonl'))).toEqual(lines);
    expect(cli(dir, ['check', '--baseline', 'base', '--current', 'synth']).code).toBe(0);
  });

  it('turns an old-format baseline (configuration only) into one with an inventory, and check passes after', () => {
    // Prepare: baselines as they were before inventories, from the same synth.
    for (const env of ['dev', 'staging', 'prod']) writeJson(join(dir, 'base', `${env}.json`), JSON.parse(readFileSync(join(dir, 'synth', env, 'manifest.json'), 'utf8')));
    const before = cli(dir, ['check', '--baseline', 'base', '--current', 'synth']);

    // Act
    const result = cli(dir, approve('--reason', 'record resource inventories', '--no-policy-check', '--approver', 'lead'));
    const after = cli(dir, ['check', '--baseline', 'base', '--current', 'synth']);

    // Assess
    expect(before.code).toBe(2);
    expect(result.code).toBe(0);
    expect(readdirSync(join(dir, 'base')).sort()).toEqual(['dev.json', 'dev.resources.json', 'history.jsonl', 'prod.json', 'prod.resources.json', 'staging.json', 'staging.resources.json']);
    expect(history(dir).map((l) => [l.environment, l.changedPaths, l.oldInventoryHash, l.changedResources.list[0]])).toEqual([
      ['dev', [], null, expect.stringMatching(/^\* \d+ resources \(first approved inventory\)$/)],
      ['staging', [], null, expect.stringMatching(/^\* \d+ resources/)],
      ['prod', [], null, expect.stringMatching(/^\* \d+ resources/)],
    ]);
    expect(after).toEqual({ code: 0, stdout: expect.stringMatching(/in sync: all 3 environments match/), stderr: '' });
  });
});

describe('resolveApprover / resolveIdentity', () => {
  it('takes --approver first, then the git identity; GITHUB_ACTOR outside CI is never an approver', () => {
    // Prepare
    const git = () => ({ name: 'Git User', email: 'git@example.com' });

    // Act + Assess
    expect(resolveApprover({ flag: 'Jane Doe <jane@example.com>', env: { GITHUB_ACTOR: 'octocat' }, git })).toEqual({ name: 'Jane Doe', email: 'jane@example.com', source: 'flag' });
    expect(resolveApprover({ flag: 'jdoe', env: {}, git })).toEqual({ name: 'jdoe', source: 'flag' });
    expect(resolveApprover({ env: { GITHUB_ACTOR: 'octocat' }, git })).toEqual({ name: 'Git User', email: 'git@example.com', source: 'git' });
    expect(resolveApprover({ env: { CI: 'false', GITHUB_ACTOR: 'octocat' }, git })).toEqual({ name: 'Git User', email: 'git@example.com', source: 'git' });
    expect(resolveApprover({ env: {}, git: () => ({ email: 'only@example.com' }) })).toEqual({ name: 'only@example.com', email: 'only@example.com', source: 'git' });
  });

  it('in CI records GITHUB_ACTOR as the proposer (source ci), and names no approver', () => {
    // Act + Assess
    expect(resolveIdentity({ env: { GITHUB_ACTOR: 'octocat', CI: 'true' } })).toEqual({ proposer: { name: 'octocat', source: 'ci' } });
    expect(resolveIdentity({ env: { GITHUB_ACTOR: 'octocat', CI: '' }, git: () => ({ name: 'Git User' }) })).toEqual({ approver: { name: 'Git User', source: 'git' } });
    expect(() => resolveApprover({ env: { CI: 'true', GITHUB_ACTOR: 'octocat' }, git: () => ({ name: 'runner' }) })).toThrow(/no approver is recorded in CI/);
  });

  it('refuses in CI without an actor (the git identity would be the runner), and when nobody can be named', () => {
    // Act + Assess
    expect(() => resolveIdentity({ env: { CI: 'true' }, git: () => ({ name: 'runner' }) })).toThrow(/running in CI without GITHUB_ACTOR/);
    expect(() => resolveApprover({ env: {}, git: () => ({}) })).toThrow(ManifestError);
    expect(() => resolveApprover({ flag: ' ', env: {} })).toThrow('--approver: is empty');
  });
});

describe('readApprovalHistory', () => {
  it('reads the committed history (lines from before audited approvals, without approver or reason)', () => {
    // Prepare
    const file = join(WORKSPACE, 'apps', 'tap-stack', 'manifests', 'history.jsonl');
    const lines = readFileSync(file, 'utf8').split('\n').filter((line) => line.trim() !== '' && !line.includes('"kind":"chain-start"'));

    // Act
    const records = readApprovalHistory(file);

    // Assess
    expect(records).toHaveLength(lines.length);
    expect(records[0]).toMatchObject({ environment: 'dev', oldHash: null, changedPaths: ['*'] });
    expect(records[0].approver).toBeUndefined();
    expect(records[0].reason).toBeUndefined();
  });

  it('names the file and line of a record it cannot read', () => {
    // Prepare
    const dir = tempDir('history');
    const file = join(dir, 'history.jsonl');
    const good = readFileSync(join(WORKSPACE, 'apps', 'tap-stack', 'manifests', 'history.jsonl'), 'utf8').split('\n')[0];
    writeFileSync(file, `${good}\n\n${JSON.stringify({ ...JSON.parse(good), approver: { name: '' } })}\n`);

    // Act + Assess
    try {
      expect(() => readApprovalHistory(file)).toThrow(`${file}:3: not an approval record (approver.name:`);
    } finally {
      removeDir(dir);
    }
  });
});
