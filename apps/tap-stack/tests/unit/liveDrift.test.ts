import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { APP, ROOT, committedSynth, tempDir } from '../synthHelper';

/*
 * End to end, without AWS or Pulumi: the real `drift` target command of project.json, with a stand-in `pulumi`
 * (tests/fixtures/pulumi/pulumi) first on PATH replaying refresh fixtures and recording its arguments. Synth and
 * reports go to temp folders through the options Nx forwards (`nx run tap-stack:drift -- --synth <dir> ...`).
 */
const STAND_IN = join(APP, 'tests', 'fixtures', 'pulumi');
const REFRESH = join(APP, 'tests', 'fixtures', 'refresh');
const ENVIRONMENTS = ['dev', 'staging', 'prod'] as const;
type Env = (typeof ENVIRONMENTS)[number];
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- a manifest as free-form JSON

interface DriftTarget {
  dependsOn: string[];
  options: { command: string; forwardAllArgs?: boolean };
  configurations: Record<string, { command: string }>;
}
const target = (JSON.parse(readFileSync(join(APP, 'project.json'), 'utf8')) as { targets: Record<string, DriftTarget> }).targets['drift'];

interface Scenario {
  /** Refresh fixture per stack (`*` for all), its exit code and stderr. */
  refresh: Partial<Record<Env | '*', { fixture: string; exit?: number; stderr?: string }>>;
  /** Deployed configManifest per stack; `missing`: no such output. Default: the synth with a real account id. */
  output?: Partial<Record<Env, 'missing' | ((manifest: Json) => void)>>;
}

describe('nx run tap-stack:drift (stand-in pulumi)', () => {
  const synthDir = tempDir('live-synth');

  beforeAll(() => {
    // Prepare: the offline synth of every environment, as the target's dependsOn does.
    for (const env of ENVIRONMENTS) expect(committedSynth(env, synthDir).code).toBe(0);
  });

  function scenario(spec: Scenario): string {
    const dir = tempDir('pulumi-scenario');
    for (const [stack, refresh] of Object.entries(spec.refresh)) {
      const prefix = stack === '*' ? '' : `${stack}.`;
      copyFileSync(join(REFRESH, `${refresh.fixture}.json`), join(dir, `${prefix}refresh.json`));
      writeFileSync(join(dir, `${prefix}refresh.exit`), String(refresh.exit ?? 0));
      if (refresh.stderr) writeFileSync(join(dir, `${prefix}refresh.stderr`), refresh.stderr);
    }
    for (const env of ENVIRONMENTS) {
      const edit = spec.output?.[env];
      if (edit === 'missing') continue;
      // The deployed manifest is the code's, pushed to a real registry account (the synth uses a mock one).
      const manifest = JSON.parse(readFileSync(join(synthDir, env, 'manifest.json'), 'utf8'));
      manifest.configuration.docker.imageUri = manifest.configuration.docker.imageUri.replace(/^\d{12}\./, '111122223333.');
      manifest.timestamp = '2026-11-28T22:00:00.000Z';
      edit?.(manifest);
      writeFileSync(join(dir, `${env}.output.json`), JSON.stringify(manifest));
    }
    return dir;
  }

  /** The target's command (with configuration or without), forwarded args appended as Nx does, run from the root. */
  function drift(env: Env | undefined, spec: Scenario | undefined, args: string[] = [], path?: string) {
    const out = tempDir('live-out');
    const record = join(tempDir('record'), 'calls.jsonl');
    const command = env ? target.configurations[env].command : target.options.command;
    const forwarded = ['--synth', synthDir, '--out-dir', out, ...args].map((a) => `'${a}'`).join(' ');
    const run = spawnSync('/bin/sh', ['-c', `${command} ${forwarded}`], {
      cwd: ROOT,
      encoding: 'utf8',
      env: {
        ...process.env,
        PATH: path ?? [STAND_IN, dirname(process.execPath), '/usr/bin', '/bin'].join(delimiter),
        FAKE_PULUMI_SCENARIO: spec ? scenario(spec) : '',
        FAKE_PULUMI_RECORD: record,
      },
    });
    const calls = existsSync(record)
      ? readFileSync(record, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { argv: string[]; cwd: string })
      : [];
    const report = (e: Env) => (existsSync(join(out, `${e}.json`)) ? JSON.parse(readFileSync(join(out, `${e}.json`), 'utf8')) : undefined);
    return { code: run.status, stdout: run.stdout, stderr: run.stderr, calls, report, out };
  }

  it('is a project.json target after the build (it runs its own synth) that forwards --format and has one configuration per environment', () => {
    // Assess
    expect(target.dependsOn).toEqual(['build']);
    expect(target.options.forwardAllArgs).toBe(true);
    expect(Object.keys(target.configurations).sort()).toEqual(['dev', 'prod', 'staging']);
  });

  it('exits 0 in sync, after asking pulumi exactly the documented questions in the app folder', () => {
    // Act
    const run = drift('dev', { refresh: { '*': { fixture: 'in-sync' } } });
    // Assess
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.calls).toEqual([
      { argv: ['refresh', '--preview-only', '--expect-no-changes', '--json', '--non-interactive', '--stack', 'dev'], cwd: APP },
      { argv: ['stack', 'output', 'configManifest', '--json', '--non-interactive', '--stack', 'dev'], cwd: APP },
    ]);
    expect(run.report('dev')).toMatchObject({ environment: 'dev', stack: 'dev', status: 'in-sync', exitCode: 0, deployed: { status: 'in-sync' } });
    expect(run.report('staging')).toBeUndefined();
    expect(run.stdout).toContain('live drift: dev in sync');
  });

  it('exits 1 on a console edit and a deleted alarm, lists the Aurora upgrade as ignored, never prints a secret', () => {
    // Act
    const run = drift('dev', { refresh: { '*': { fixture: 'drift', exit: 7 } } }, ['--format=markdown']);
    const report = run.report('dev');
    // Assess
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^# Live drift: DRIFT\n\n- dev: \*\*DRIFT\*\*/);
    expect(readFileSync(join(run.out, 'report.md'), 'utf8')).toBe(run.stdout);
    expect(run.stdout).toContain('| **changed** | `aws:cloudwatch/metricAlarm:MetricAlarm` | tap-monitoring-lambda-errors |');
    expect(run.stdout).toContain('| `threshold` | 10 | 500 |');
    expect(run.stdout).toContain('| **missing** | `aws:cloudwatch/metricAlarm:MetricAlarm` | tap-monitoring-aurora-cpu |');
    expect(run.stdout).toMatch(/\| ignored \| `aws:rds\/cluster:Cluster` \| tap-db-cluster \|.*ignored: Aurora minor-version upgrade by AWS/);
    expect(report.cloud.resources.find((r: { name: string }) => r.name === 'tap-db-cluster').ignored.reason).toMatch(/^Aurora minor-version upgrade/);
    expect(report.cloud.resources.find((r: { name: string }) => r.name === 'tap-secrets-app-version').properties[0]).toMatchObject({ old: '[secret]', new: '[secret]' });
    for (const text of [run.stdout, run.stderr, JSON.stringify(report)]) expect(text).not.toMatch(/do-not-print/);
  });

  it('exits 0 when the only drift is ignored, and still reports it', () => {
    // Act
    const run = drift('dev', { refresh: { '*': { fixture: 'ignored-only', exit: 7 } } });
    // Assess
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('ignored aws:rds/clusterInstance:ClusterInstance tap-db-instance-0 (update): ignored: Aurora minor-version upgrade');
    expect(run.report('dev').cloud.resources).toHaveLength(1);
  });

  /*
   * ~30 days after the first deploy Secrets Manager rotates the database secret: the version the stack created keeps
   * TAP_INITIAL and loses AWSCURRENT to the new version (AWS CLI reference, update-secret-version-stage: "Whenever you
   * move AWSCURRENT, Secrets Manager automatically moves the label AWSPREVIOUS to the version that AWSCURRENT was
   * removed from"; hashicorp/terraform-provider-aws#25168: refresh reads the moved label). The refresh fixtures replay
   * that `pulumi refresh --preview-only --json` document (exit 7: it found changes).
   */
  it('exits 0 after a secret rotation, listing the moved staging label as expected with its reason', () => {
    // Act
    const run = drift('dev', { refresh: { '*': { fixture: 'rotated', exit: 7 } } });
    const version = run.report('dev').cloud.resources.find((r: { name: string }) => r.name === 'tap-secrets-secret-version');
    // Assess
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.report('dev')).toMatchObject({ status: 'in-sync', exitCode: 0 });
    expect(version.ignored).toMatchObject({ builtin: 'secretsmanager-rotation-stages', reason: expect.stringMatching(/rotation/) });
    expect(run.stdout).toMatch(/ignored aws:secretsmanager\/secretVersion:SecretVersion tap-secrets-secret-version \(update\): expected: Secrets Manager rotation/);
    expect(run.stdout).toContain('versionStages[0]: AWSCURRENT -> AWSPREVIOUS');
    expect(run.stdout).not.toMatch(/do-not-print/);
  });

  it('exits 1 when the rotated secret also changed its KMS key: that is drift, the rotation stays expected', () => {
    // Act
    const run = drift('dev', { refresh: { '*': { fixture: 'rotated-kms', exit: 7 } } });
    const byName = (name: string) => run.report('dev').cloud.resources.find((r: { name: string }) => r.name === name);
    // Assess
    expect(run.code).toBe(1);
    expect(byName('tap-secrets-secret')).toMatchObject({ kind: 'changed', properties: [{ path: 'kmsKeyId' }] });
    expect(byName('tap-secrets-secret').ignored).toBeUndefined();
    expect(byName('tap-secrets-secret-version').ignored).toMatchObject({ builtin: 'secretsmanager-rotation-stages' });
    expect(run.stdout).toContain('CHANGED aws:secretsmanager/secret:Secret tap-secrets-secret (update)');
  });

  it('exits 1 for code merged but not deployed, and for a stack without a configManifest output', () => {
    // Act
    const run = drift(undefined, {
      refresh: { '*': { fixture: 'in-sync' } },
      output: { dev: (m) => (m.configuration.monitoring.errorThreshold = 99), staging: 'missing' },
    });
    // Assess
    expect(run.code).toBe(1);
    expect(run.report('dev').deployed.changes).toEqual([
      { path: 'monitoring.errorThreshold', kind: 'not-deployed', label: 'in code (approved) but not deployed', deployed: 99, code: expect.any(Number) },
    ]);
    expect(run.report('staging').deployed.status).toBe('missing');
    expect(run.report('prod').status).toBe('in-sync');
    expect(run.stdout).toContain('live drift: dev DRIFT, staging DRIFT, prod in sync');
  });

  it('without a configuration checks every environment, writes every report and exits with the worst (2 on error)', () => {
    // Act
    const run = drift(undefined, {
      refresh: {
        dev: { fixture: 'in-sync' },
        staging: { fixture: 'drift', exit: 7 },
        prod: { fixture: 'error', exit: 255, stderr: 'error: unable to validate AWS credentials\n' },
      },
    }, ['--format', 'json']);
    // Assess
    expect(run.code).toBe(2);
    expect(run.calls.filter((c) => c.argv[0] === 'refresh').map((c) => c.argv.at(-1))).toEqual(['dev', 'staging', 'prod']);
    expect(ENVIRONMENTS.map((e) => run.report(e).status)).toEqual(['in-sync', 'drift', 'error']);
    expect(run.report('prod').errors).toEqual(['TapStack-prod: unable to validate AWS credentials: no valid credential sources found']);
    expect((JSON.parse(run.stdout) as Array<{ environment: string }>).map((r) => r.environment)).toEqual(['dev', 'staging', 'prod']);
  });

  it('exits 2 with one line naming the fix when pulumi is not on PATH', () => {
    // Act
    const run = drift('dev', undefined, [], [dirname(process.execPath), '/nonexistent'].join(delimiter));
    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^tap-drift: pulumi: the Pulumi CLI was not found .*install it \(https:\/\/www\.pulumi\.com\/docs\/install\/\) and put it on PATH, or pass --pulumi <path>\n$/);
    expect(run.calls).toEqual([]);
  });

  it('exits 2 with one line on a bad ignore file, before asking pulumi', () => {
    // Prepare
    const ignore = join(tempDir('ignore'), 'drift-ignore.json');
    mkdirSync(dirname(ignore), { recursive: true });
    writeFileSync(ignore, JSON.stringify({ rules: [{ type: 'aws:rds/cluster:Cluster', property: 'engineVersion' }] }));
    // Act
    const run = drift('dev', { refresh: { '*': { fixture: 'in-sync' } } }, ['--ignore', ignore]);
    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^tap-drift: .*drift-ignore\.json: invalid ignore rules: rules\.0\.reason Required .*\n$/);
    expect(run.calls).toEqual([]);
  });
});
