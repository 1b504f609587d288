import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { computeConfigHash, type ConfigManifest } from '@tap/manifest';
import { APP, ROOT, tempDir } from '../synthHelper';

/*
 * The approval requirements section of the drift gate's report, on the synth fixtures of @tap/manifest (no synth
 * needed): approved baselines in a temporary folder, then a prod encryption change in the current synth.
 */
const GATE = join(APP, 'scripts', 'drift-gate.mjs');
const TAP_DRIFT = join(ROOT, 'packages', 'manifest', 'dist', 'cli', 'main.js');
const FIXTURES = join(ROOT, 'packages', 'manifest', 'tests', 'fixtures', 'synth');

function gate(baseline: string, current: string, format: string, env: Record<string, string> = {}, extra: string[] = []) {
  const run = spawnSync(process.execPath, [GATE, 'check', '--baseline', baseline, '--current', current, '--format', format, ...extra], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, ...env },
    // A gate that never returns is a failure of its own, not a stuck test run.
    timeout: 60_000,
  });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe('drift gate: the approvals a change needs', () => {
  const current = tempDir('approvals-current');
  const baseline = join(tempDir('approvals-baseline'), 'manifests');

  beforeAll(() => {
    // Prepare: the fixtures as the synth, approved as they are, then prod's KMS switch turned off in the synth.
    expect(existsSync(TAP_DRIFT)).toBe(true);
    cpSync(FIXTURES, current, { recursive: true });
    // Not in CI, explicitly: in CI (CI=true) approve refuses --approver and --no-policy-check.
    const env: NodeJS.ProcessEnv = { ...process.env, CI: '' };
    delete env['GITHUB_ACTOR'];
    const approve = spawnSync(process.execPath, [TAP_DRIFT, 'approve', '--baseline', baseline, '--current', current, '--reason', 'fixtures', '--approver', 'test', '--no-policy-check'], {
      encoding: 'utf8',
      env,
    });
    expect(approve.stderr).toBe('');
    const file = join(current, 'prod', 'manifest.json');
    const manifest = JSON.parse(readFileSync(file, 'utf8')) as ConfigManifest;
    manifest.configuration.encryption.keyRotation = false;
    manifest.configHash = computeConfigHash(manifest.configuration);
    writeFileSync(file, `${JSON.stringify(manifest, null, 2)}\n`);
  });

  it('lists security and two platform leads for a prod encryption change in the Markdown report', () => {
    // Act
    const run = gate(baseline, current, 'markdown');

    // Assess
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('## Approval requirements');
    expect(run.stdout).toContain('| 2 | **platform-leads** | `prod-any-change` | prod |');
    expect(run.stdout).toContain('| 1 | **security** | `encryption` | prod |');
    expect(run.stdout).toContain('`prod: encryption.keyRotation true -> false`');
    expect(run.stdout).toContain('rules `apps/tap-stack/approval-rules.json`');
  });

  it('carries the requirements in the JSON report', () => {
    // Act
    const run = gate(baseline, current, 'json');

    // Assess
    const report = JSON.parse(run.stdout);
    expect(report.requirements.requirements.map((r: { rule: string; group: string }) => `${r.rule}:${r.group}`)).toEqual(['prod-any-change:platform-leads', 'encryption:security']);
  });

  it('judges by the committed rules whatever the environment says: no variable swaps the rules', () => {
    // Prepare: valid rules that ask nothing of a prod encryption change, offered the way an old shell might.
    const rules = join(tempDir('approvals-lenient'), 'rules.json');
    writeFileSync(rules, JSON.stringify({ version: 1, groups: { nobody: 'no one' }, rules: [{ id: 'none', match: { config: ['no.such.setting'] }, group: 'nobody', approvals: 1, reason: 'asks nothing' }] }));

    // Act
    const run = gate(baseline, current, 'json', { TAP_APPROVAL_RULES: rules, CI: '' });

    // Assess: the committed rules' verdict, and the report names the committed file.
    const report = JSON.parse(run.stdout);
    expect(report.requirements.requirements.map((r: { rule: string; group: string }) => `${r.rule}:${r.group}`)).toEqual(['prod-any-change:platform-leads', 'encryption:security']);
    expect(report.requirements.rulesFile).toBe('apps/tap-stack/approval-rules.json');
  });

  it('refuses --rules in CI (exit 2, one line): CI judges by the committed rules only', () => {
    // Act
    const run = gate(baseline, current, 'markdown', { CI: 'true' }, ['--rules', join(APP, 'approval-rules.json')]);

    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('drift-gate: --rules is refused in CI: the approval rules are the committed apps/tap-stack/approval-rules.json, not a flag\n');
    expect(JSON.parse(readFileSync(join(ROOT, 'dist', 'apps', 'tap-stack', 'status', 'drift-check.json'), 'utf8'))).toMatchObject({ status: 'error', exitCode: 2 });
  });

  it('refuses --rules without a file (exit 2, one line) rather than judging by the default', () => {
    // Act
    const run = gate(baseline, current, 'markdown', { CI: '' }, ['--rules']);

    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('drift-gate: --rules needs a value (drift-gate.mjs --help)\n');
  });

  it('refuses --rules=--x (an option where the file goes) in one line, and returns', () => {
    // Act
    const run = gate(baseline, current, 'markdown', { CI: '' }, ['--rules=--x']);

    // Assess
    expect([run.code, run.stderr]).toEqual([2, 'drift-gate: --rules needs a value (drift-gate.mjs --help)\n']);
  });

  it('is an error (exit 2, one line, status "error") when the rules file is bad', () => {
    // Prepare
    const rules = join(tempDir('approvals-rules'), 'rules.json');
    writeFileSync(rules, JSON.stringify({ version: 1, groups: {}, rules: [] }));

    // Act: outside CI, --rules names another file (what a rules change is tried with).
    const run = gate(baseline, current, 'markdown', { CI: '' }, ['--rules', rules]);

    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^tap-drift: .*rules\.json: not a valid approval rules file: rules: must hold at least one rule/);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(JSON.parse(readFileSync(join(ROOT, 'dist', 'apps', 'tap-stack', 'status', 'drift-check.json'), 'utf8'))).toMatchObject({ status: 'error', exitCode: 2 });
  });
});
