import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { APP, ROOT, committedSynth, imageContext, stackConfigFile, synth, tempDir } from '../synthHelper';

function gate(mode: 'check' | 'approve', baseline: string, current: string, history?: string) {
  const args = [join(APP, 'scripts', 'drift-gate.mjs'), mode, '--baseline', baseline, '--current', current];
  if (history) args.push('--history', history);
  // Approvals need a reason and an approver (explicit, so the test does not depend on CI's or git's identity); the
  // policy check before them has its own test (statusFiles.test.ts).
  if (mode === 'approve') args.push('--no-policy-check', '--reason', 'drift-gate test', '--approver', 'test');
  // Not in CI, explicitly: in CI (CI=true) approve refuses --approver, --history and --no-policy-check.
  const env: NodeJS.ProcessEnv = { ...process.env, CI: '' };
  delete env['GITHUB_ACTOR'];
  const run = spawnSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8', env });
  return { code: run.status ?? -1, stdout: run.stdout, stderr: run.stderr };
}

describe('tap-stack drift gate (on temporary baselines, never the committed ones)', () => {
  const context = imageContext();
  const current = tempDir('current');
  const baseline = join(tempDir('baseline'), 'manifests');
  const history = join(baseline, 'history.jsonl');

  beforeAll(() => {
    // Prepare: synthesize every environment, as `nx run tap-stack:synth` does.
    for (const env of ['dev', 'staging', 'prod']) expect(committedSynth(env, current).code).toBe(0);
  });

  it('approves the synth as baselines with one history line per environment, then passes', () => {
    // Act
    const approve = gate('approve', baseline, current, history);
    const check = gate('check', baseline, current);
    // Assess
    expect(approve.code).toBe(0);
    expect(['dev', 'staging', 'prod'].every((env) => existsSync(join(baseline, `${env}.json`)))).toBe(true);
    expect(readFileSync(history, 'utf8').trim().split('\n')).toHaveLength(3);
    expect(check.stderr).toBe('');
    expect(check.code).toBe(0);
    expect(check.stdout).toContain('Approved baselines (`tap-drift check`): **pass**');
    expect(check.stdout).toContain('Environment parity (`tap-drift compare`): **pass**');
  });

  it('fails after a configuration change until it is approved', () => {
    // Prepare: a stricter (still valid) dev error threshold.
    const changed = stackConfigFile('dev', context, ['  TapStack:errorThreshold: "8"']);
    expect(synth('dev', { config: changed, out: current }).code).toBe(0);
    // Act
    const blocked = gate('check', baseline, current);
    const approve = gate('approve', baseline, current, history);
    const after = gate('check', baseline, current);
    // Assess
    expect(blocked.code).toBe(1);
    expect(blocked.stdout).toContain('Approved baselines (`tap-drift check`): **FAIL**');
    expect(blocked.stdout).toContain('monitoring.errorThreshold');
    expect(blocked.stdout).toContain('npx nx run tap-stack:drift-approve');
    expect(approve.code).toBe(0);
    expect(after.code).toBe(0);
    expect(JSON.parse(readFileSync(join(baseline, 'dev.json'), 'utf8')).configuration.monitoring.errorThreshold).toBe(8);
    expect(readFileSync(history, 'utf8').trim().split('\n').length).toBeGreaterThan(3);
  });

  it('exits 2 with one line when the baselines do not exist', () => {
    // Act
    const run = gate('check', join(tempDir('empty'), 'missing'), current);
    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^tap-drift: .*missing.*\n$/);
  });
});
