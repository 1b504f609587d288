import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { delimiter, dirname, join, relative } from 'node:path';
import { APP, ROOT, committedSynth, tempDir } from '../synthHelper';

/*
 * The scripts behind drift-check and drift, run directly (fast): what they leave for automation when they cannot do
 * their job. Nx collapses every failure to exit 1, so the status file and the report are what a workflow reads.
 * (tests/e2e/nxTargets.test.ts runs the same through `npx nx run`.)
 */
const STATUS = join(ROOT, 'dist', 'apps', 'tap-stack', 'status');
const GATE = join(APP, 'scripts', 'drift-gate.mjs');
const LIVE = join(APP, 'scripts', 'live-drift.mjs');
const readStatus = (name: string) => JSON.parse(readFileSync(join(STATUS, `${name}.json`), 'utf8'));

/** Runs `script`, not in CI (explicitly: in CI the gate's approve refuses --approver, --history, --policy-cli and --no-policy-check). */
function node(script: string, args: string[], env: Record<string, string> = {}) {
  const merged: NodeJS.ProcessEnv = { ...process.env, CI: '', ...env };
  delete merged['GITHUB_ACTOR'];
  const run = spawnSync(process.execPath, [script, ...args], { cwd: ROOT, encoding: 'utf8', env: merged });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe('drift-gate.mjs check: status file and report', () => {
  const current = tempDir('gate-current');
  const baseline = join(tempDir('gate-baseline'), 'manifests');

  beforeAll(() => {
    // Prepare: a synth of every environment, approved as the baselines (temporary, never the committed ones).
    for (const env of ['dev', 'staging', 'prod']) expect(committedSynth(env, current).code).toBe(0);
    expect(node(GATE, ['approve', '--baseline', baseline, '--current', current, '--no-policy-check', '--reason', 'test baselines', '--approver', 'test']).code).toBe(0);
  });

  it('writes in-sync, the report, and prints JSON with --format=json', () => {
    // Prepare
    const report = join(tempDir('gate-report'), 'drift-report.md');
    // Act
    const run = node(GATE, ['check', '--baseline', baseline, '--current', current, '--report', report, '--format=json']);
    // Assess
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ status: 'in-sync', exitCode: 0, check: expect.any(Object), compare: expect.any(Object) });
    expect(readFileSync(report, 'utf8')).toContain('Approved baselines (`tap-drift check`): **pass**');
    expect(readStatus('drift-check')).toMatchObject({ target: 'drift-check', status: 'in-sync', exitCode: 0 });
  });

  it('replaces a stale "pass" report with an ERROR report when it cannot check, and says error in the status', () => {
    // Prepare: yesterday's passing report.
    const report = join(tempDir('gate-stale'), 'drift-report.md');
    writeFileSync(report, '# Drift gate\n\n- Approved baselines (`tap-drift check`): **pass**\n');
    // Act: the synth folder does not exist (what a failed synth leaves).
    const run = node(GATE, ['check', '--baseline', baseline, '--current', join(current, 'missing'), '--report', report]);
    // Assess
    expect(run.code).toBe(2);
    expect(readFileSync(report, 'utf8')).not.toContain('**pass**');
    expect(readFileSync(report, 'utf8')).toContain('**ERROR**');
    expect(readStatus('drift-check')).toMatchObject({ status: 'error', exitCode: 2, message: expect.stringContaining('missing') });
  });

  it('refuses an unknown option or format in one line, exit 2, without a stack trace', () => {
    // Act
    const format = node(GATE, ['check', '--baseline', baseline, '--current', current, '--format=xml']);
    const option = node(GATE, ['check', '--baseline', baseline, '--current', current, '--colour']);
    // Assess
    expect(format.code).toBe(2);
    expect(format.stderr).toBe('drift-gate: unknown format "xml": use one of markdown, text, json\n');
    expect(option.code).toBe(2);
    expect(option.stderr).toMatch(/^drift-gate: unknown option --colour: .*\n$/);
    expect(readStatus('drift-check').status).toBe('error');
  });

  it('prints its usage for --help, exit 0', () => {
    // Act
    const run = node(GATE, ['--help']);
    // Assess
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^usage: drift-gate\.mjs check/);
  });
});

describe('drift-gate.mjs approve: policies first, options forwarded to tap-drift approve', () => {
  it('runs the policy check and hands its JSON report and --reason to tap-drift approve', () => {
    // Prepare: the current synth of dev; a stand-in tap-policy that records its arguments and passes every file.
    const current = join(tempDir('approve-current'), 'synth');
    expect(committedSynth('dev', current).code).toBe(0);
    const baseline = join(tempDir('approve-baseline'), 'manifests');
    const policy = join(tempDir('approve-policy'), 'tap-policy.js');
    writeFileSync(
      policy,
      `const fs = require('fs'); const files = process.argv.slice(3, -2);
fs.writeFileSync(${JSON.stringify(`${policy}.argv`)}, JSON.stringify(process.argv.slice(2)));
const report = { ok: true, policyCount: 1, files: files.map((file) => ({ file, stackName: 'dev', environment: file.split('/').at(-2), resourceCount: JSON.parse(fs.readFileSync(file, 'utf8')).length, violations: [] })) };
process.stdout.write(JSON.stringify(report));`,
    );
    // Act
    const run = node(GATE, ['approve', '--baseline', baseline, '--current', current, '--history', join(baseline, 'history.jsonl'), '--policy-cli', policy, '--reason=tighter dev alarm', '--approver', 'Jane Doe <jane@example.com>']);
    // Assess: the policy report sits beside the synth, and the audit line carries the reason and that report.
    const reportFile = join(dirname(current), 'policy-report.json');
    expect(JSON.parse(readFileSync(`${policy}.argv`, 'utf8'))).toEqual(['check', join(current, 'dev', 'resources.json'), '--format', 'json']);
    expect(JSON.parse(readFileSync(reportFile, 'utf8')).files.map((f: { environment: string }) => f.environment)).toEqual(['dev']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const [line] = readFileSync(join(baseline, 'history.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    // Recorded relative to the workspace (where the gate runs): history must not depend on the checkout's location.
    expect(line).toMatchObject({ environment: 'dev', reason: 'tighter dev alarm', approver: { name: 'Jane Doe', email: 'jane@example.com', source: 'flag' }, policy: { result: 'passed', report: relative(ROOT, reportFile) } });
  });

  it('approves nothing when the policy check cannot run', () => {
    // Prepare
    const current = tempDir('approve-broken');
    mkdirSync(join(current, 'dev'), { recursive: true });
    writeFileSync(join(current, 'dev', 'resources.json'), '[]');
    const policy = join(tempDir('approve-broken-policy'), 'tap-policy.js');
    writeFileSync(policy, "process.stderr.write('tap-policy: boom\\n'); process.exit(2);");
    const baseline = join(tempDir('approve-broken-baseline'), 'manifests');
    // Act
    const run = node(GATE, ['approve', '--baseline', baseline, '--current', current, '--policy-cli', policy, '--reason', 'x', '--approver', 'test']);
    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('drift-gate: the policy check could not run (tap-policy exited 2); nothing was approved');
    expect(existsSync(baseline)).toBe(false);
  });
});

describe('live-drift.mjs: status file', () => {
  it('says error, naming the fix, when pulumi is not on PATH; drift when the stand-in reports drift', () => {
    // Prepare: a synth of dev and a stand-in pulumi scenario with console drift (refresh exit 7).
    const synthDir = tempDir('live-status-synth');
    expect(committedSynth('dev', synthDir).code).toBe(0);
    const scenario = tempDir('live-status-scenario');
    writeFileSync(join(scenario, 'refresh.json'), readFileSync(join(APP, 'tests', 'fixtures', 'refresh', 'drift.json')));
    writeFileSync(join(scenario, 'refresh.exit'), '7');
    const out = tempDir('live-status-out');
    const args = ['--environment', 'dev', '--synth', synthDir, '--out-dir', out];
    // Act
    const missing = node(LIVE, args, { PATH: [dirname(process.execPath), '/nonexistent'].join(delimiter) });
    const missingStatus = readStatus('drift-dev');
    const drift = node(LIVE, args, {
      PATH: [join(APP, 'tests', 'fixtures', 'pulumi'), dirname(process.execPath), '/usr/bin', '/bin'].join(delimiter),
      FAKE_PULUMI_SCENARIO: scenario,
    });
    const driftStatus = readStatus('drift-dev');
    // Assess
    expect(missing.code).toBe(2);
    expect(missingStatus).toMatchObject({ target: 'drift', configuration: 'dev', status: 'error', exitCode: 2 });
    expect(missingStatus.message).toMatch(/^dev: tap-drift: pulumi: the Pulumi CLI was not found/);
    expect(drift.code).toBe(1);
    expect(driftStatus).toMatchObject({ status: 'drift', exitCode: 1, environments: { dev: 'drift' } });
    expect(Date.parse(driftStatus.finishedAt)).toBeGreaterThanOrEqual(Date.parse(driftStatus.startedAt));
  });

  it('refuses a bad option in one line with exit 2 and an error status; --help exits 0', () => {
    // Act
    const bad = node(LIVE, ['--environment', 'dev', '--colour']);
    const help = node(LIVE, ['--help']);
    // Assess
    expect(bad.code).toBe(2);
    expect(bad.stderr).not.toMatch(/^\s+at /m);
    expect(bad.stderr.trim().split('\n').at(-1)).toMatch(/^live-drift: Unknown option '--colour'/);
    expect(readStatus('drift-dev')).toMatchObject({ status: 'error', exitCode: 2 });
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^usage: live-drift\.mjs/);
  });
});

