import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { computeConfigHash, type ConfigManifest } from '@tap/manifest';
import { APP, ROOT, committedSynth, tempDir } from '../synthHelper';

/*
 * The drift gate remembers: it verifies the audit record (tap-drift audit verify: the history's hash chain and the
 * baselines history approved), runs the tap-security policies over the synth it checks (an approval made with
 * --no-policy-check does not waive them), lists the approvals the baselines still owe, and takes no environment
 * variable that moves its baselines. In CI its approve refuses the flags that would let a run choose its own identity.
 */
const GATE = join(APP, 'scripts', 'drift-gate.mjs');
const OWED_HEADING = "## Owed approvals (to be met by the pull request's reviews; the deploy checks them again)";

/** Runs the gate; not in CI unless `env` says so (CI: '' and no GITHUB_ACTOR, explicitly). */
function gate(args: string[], env: Record<string, string | undefined> = {}) {
  const merged: NodeJS.ProcessEnv = { ...process.env, CI: '', ...env };
  if (!('GITHUB_ACTOR' in env)) delete merged['GITHUB_ACTOR'];
  for (const [key, value] of Object.entries(env)) if (value === undefined) delete merged[key];
  const run = spawnSync(process.execPath, [GATE, ...args], { cwd: ROOT, encoding: 'utf8', env: merged });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

const approveArgs = (baseline: string, current: string) => ['approve', '--baseline', baseline, '--current', current, '--no-policy-check', '--reason', 'audit test', '--approver', 'test'];

describe('drift-gate.mjs check: the audit record, the policies, the owed approvals', () => {
  const current = tempDir('audit-current');
  const baseline = join(tempDir('audit-baseline'), 'manifests');

  beforeAll(() => {
    // Prepare: a synth of every environment, approved (no approvals given) into temporary baselines.
    for (const env of ['dev', 'staging', 'prod']) expect(committedSynth(env, current).code).toBe(0);
    expect(gate(approveArgs(baseline, current))).toMatchObject({ code: 0, stderr: '' });
  });

  /** A copy of the approved baselines (with their history), to tamper with. */
  const copyOfBaselines = (): string => {
    const copy = join(tempDir('audit-copy'), 'manifests');
    cpSync(baseline, copy, { recursive: true });
    return copy;
  };

  it('passes with the audit record intact and the policies clean, and lists what the baselines owe', () => {
    // Act
    const run = gate(['check', '--baseline', baseline, '--current', current]);

    // Assess
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('- Audit record (`tap-drift audit verify`): **pass**');
    expect(run.stdout).toContain('- Security policies (`tap-policy check`): **pass**');
    expect(run.stdout).toContain('**Audit record intact**');
    expect(run.stdout).toContain(OWED_HEADING);
    expect(run.stdout).toMatch(/- \*\*prod\*\*: 2 approval\(s\) from platform-leads \(prod-any-change\), recorded unmet on `.*history\.jsonl:3`/);
    expect(run.stdout).not.toContain('No approval required');
    expect(run.stdout).toContain('**No new approval required** by this change; the owed approvals below still stand.');
  });

  it('lists the owed approvals in the JSON report too', () => {
    // Act
    const run = gate(['check', '--baseline', baseline, '--current', current, '--format', 'json']);

    // Assess
    const report = JSON.parse(run.stdout);
    expect(report).toMatchObject({ status: 'in-sync', audit: { ok: true }, policies: { status: 'pass', violations: [] }, owed: { owed: true } });
    expect(report.owed.environments.find((e: { environment: string }) => e.environment === 'prod').owed[0]).toMatchObject({ rule: 'prod-any-change', group: 'platform-leads' });
  });

  it('fails (exit 1) naming the first broken line when a history line was edited', () => {
    // Prepare
    const copy = copyOfBaselines();
    const history = join(copy, 'history.jsonl');
    const lines = readFileSync(history, 'utf8').split('\n');
    lines[1] = lines[1].replace('"audit test"', '"audit test, edited"');
    writeFileSync(history, lines.join('\n'));

    // Act
    const run = gate(['check', '--baseline', copy, '--current', current]);

    // Assess
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('- Audit record (`tap-drift audit verify`): **FAIL**');
    expect(run.stdout).toContain('history.jsonl:3: prevHash does not match line 2 (edited, removed or reordered)');
    expect(run.stderr).toContain('history.jsonl:3: prevHash does not match line 2');
  });

  it('fails (exit 1) when a baseline was edited with its hash recomputed, even with the synth edited to match', () => {
    // Prepare: prod's baseline and the synth both record another Lambda vCPU (derived: no resource holds it, so the
    // setting binding has nothing to refuse); check alone would pass.
    const copy = copyOfBaselines();
    const synthCopy = tempDir('audit-synth-copy');
    cpSync(current, synthCopy, { recursive: true });
    for (const file of [join(copy, 'prod.json'), join(synthCopy, 'prod', 'manifest.json')]) {
      const manifest = JSON.parse(readFileSync(file, 'utf8')) as ConfigManifest;
      manifest.configuration.lambda.cpu = 4;
      manifest.configHash = computeConfigHash(manifest.configuration);
      writeFileSync(file, `${JSON.stringify(manifest, null, 2)}\n`);
    }

    // Act
    const run = gate(['check', '--baseline', copy, '--current', synthCopy]);

    // Assess
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('- Approved baselines (`tap-drift check`): **pass**');
    expect(run.stdout).toContain('- Audit record (`tap-drift audit verify`): **FAIL**');
    expect(run.stderr).toMatch(/prod\.json: hash [0-9a-f]{12}… is not the one history approved \([0-9a-f]{12}…, .*history\.jsonl:\d+\): edited by hand\?/);
  });

  it('fails naming each mandatory policy when the synth breaks one, although it was approved with --no-policy-check', () => {
    // Prepare: the prod Aurora cluster unencrypted in the synth, approved without a policy check.
    const unsafe = tempDir('audit-unsafe');
    cpSync(current, unsafe, { recursive: true });
    const resourcesFile = join(unsafe, 'prod', 'resources.json');
    const resources = JSON.parse(readFileSync(resourcesFile, 'utf8')) as Array<{ type: string; inputs: Record<string, unknown> }>;
    const cluster = resources.find((r) => r.type === 'aws:rds/cluster:Cluster');
    expect(cluster).toBeDefined();
    (cluster as { inputs: Record<string, unknown> }).inputs['storageEncrypted'] = false;
    writeFileSync(resourcesFile, JSON.stringify(resources, null, 2));
    const approved = join(tempDir('audit-unsafe-baseline'), 'manifests');
    expect(gate(approveArgs(approved, unsafe))).toMatchObject({ code: 0, stderr: '' });

    // Act
    const run = gate(['check', '--baseline', approved, '--current', unsafe]);

    // Assess
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('- Approved baselines (`tap-drift check`): **pass**');
    expect(run.stdout).toContain('- Audit record (`tap-drift audit verify`): **pass**');
    expect(run.stdout).toContain('- Security policies (`tap-policy check`): **FAIL**');
    expect(run.stdout).toMatch(/- aurora-storage-encrypted-cmk \(mandatory\) in prod: .*does not encrypt its storage/);
    expect(JSON.parse(readFileSync(join(ROOT, 'dist', 'apps', 'tap-stack', 'status', 'drift-check.json'), 'utf8'))).toMatchObject({
      status: 'drift',
      exitCode: 1,
      message: expect.stringContaining('policies FAIL (aurora-storage-encrypted-cmk)'),
    });
  });

  it('takes no TAP_DRIFT_BASELINE: without --baseline it checks the committed baselines, never the synth against itself', () => {
    // Act: the variable points at a copy of the synth (what would compare the synth with itself).
    const run = gate(['check', '--current', current], { TAP_DRIFT_BASELINE: current });

    // Assess: the test synth (a stand-in image) is not what the committed baselines approved.
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('- Approved baselines (`tap-drift check`): **FAIL**');
    expect(readFileSync(GATE, 'utf8')).not.toContain('TAP_DRIFT_BASELINE');
  });
});

describe('drift-gate.mjs approve in CI: identity and approvals from GitHub, not flags', () => {
  const current = tempDir('ci-current');

  beforeAll(() => {
    // Prepare
    expect(committedSynth('dev', current).code).toBe(0);
  });

  it.each([
    [['--approver', 'me'], "drift-gate: --approver is refused in CI: the approver is the pull request's author, recorded from GitHub, not a flag"],
    [['--approver=me'], "drift-gate: --approver is refused in CI: the approver is the pull request's author, recorded from GitHub, not a flag"],
    [['--history', 'h.jsonl'], 'drift-gate: --history is refused in CI: the history is history.jsonl beside the baselines, not a flag'],
    [['--approvals', 'given.json'], "drift-gate: --approvals is refused in CI: the approvals are the pull request's reviews, recorded from GitHub by the deploy, not a file"],
    [['--policy-cli', 'fake.js'], "drift-gate: --policy-cli is refused in CI: the policies are the workspace's own @tap/policy build, not a flag"],
    [['--no-policy-check'], 'drift-gate: --no-policy-check is refused in CI: every approval in CI is judged by the tap-security policies'],
    [['--rules', 'lenient.json'], 'drift-gate: --rules is refused in CI: the approval rules are the committed apps/tap-stack/approval-rules.json, not a flag'],
    [['--rules=lenient.json'], 'drift-gate: --rules is refused in CI: the approval rules are the committed apps/tap-stack/approval-rules.json, not a flag'],
  ])('refuses %j with one line, exit 2, nothing written', (extra, line) => {
    // Prepare
    const baseline = join(tempDir('ci-baseline'), 'manifests');

    // Act
    const run = gate(['approve', '--baseline', baseline, '--current', current, '--reason', 'r', ...extra], { CI: 'true', GITHUB_ACTOR: 'octocat' });

    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(`${line}\n`);
    expect(existsSync(baseline)).toBe(false);
  });

  it('records GITHUB_ACTOR as the proposer, with the policies run', () => {
    // Prepare
    const baseline = join(tempDir('ci-baseline'), 'manifests');

    // Act
    const run = gate(['approve', '--baseline', baseline, '--current', current, '--reason', 'r'], { CI: 'true', GITHUB_ACTOR: 'octocat' });

    // Assess
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const [line] = readFileSync(join(baseline, 'history.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(line).toMatchObject({ environment: 'dev', proposer: { name: 'octocat', source: 'ci' }, policy: { result: 'passed' }, prevHash: null });
    expect(line.approver).toBeUndefined();
  });
});
