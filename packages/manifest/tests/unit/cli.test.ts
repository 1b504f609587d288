import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { canonicalJson } from '../../src';
import { environmentProfile } from '@tap/validation';
import { BUILT_BIN, manifestFor, record, removeDir, runBin, tempDir, writeJson, writeSynth } from './support';

/*
 * Runs the BUILT bin (packages/manifest/dist/cli/main.js; the test target depends on build) in a separate
 * node process, as a user would, and checks stdout, stderr and the exit code.
 */
describe('tap-drift (built bin)', () => {
  let dir: string;
  // Not in CI, explicitly: approve's --approver, --history and --no-policy-check are refused in CI (CI=true).
  const run = (...args: string[]) => runBin(BUILT_BIN, args, dir, { CI: '', GITHUB_ACTOR: undefined });

  beforeEach(() => {
    dir = tempDir('tap-drift-cli');
    writeJson(join(dir, 'envs', 'dev.json'), manifestFor('dev'));
    writeJson(join(dir, 'envs', 'staging.json'), manifestFor('staging'));
    writeJson(join(dir, 'envs', 'prod.json'), manifestFor('prod'));
    // The offline synth layout: <env>/manifest.json with the resources beside it.
    for (const env of ['dev', 'staging', 'prod'] as const) writeSynth(join(dir, 'synth'), env);
  });
  afterEach(() => removeDir(dir));

  describe('hash', () => {
    it('prints the recomputed hash (exit 0)', () => {
      // Prepare
      const manifest = JSON.parse(readFileSync(join(dir, 'envs', 'prod.json'), 'utf8'));
      const expected = createHash('sha256').update(canonicalJson(manifest.configuration)).digest('hex');

      // Act
      const result = run('hash', 'envs/prod.json');

      // Assess
      expect(result).toEqual({ code: 0, stdout: `${expected}\n`, stderr: '' });
    });

    it('prints JSON with --format json', () => {
      // Act
      const result = run('hash', 'envs/dev.json', '--format', 'json');

      // Assess
      expect(result.code).toBe(0);
      expect(JSON.parse(result.stdout)).toEqual({ file: 'envs/dev.json', environment: 'dev', configHash: manifestFor('dev').configHash });
    });

    it.each([
      ['a missing file', () => 'envs/qa.json', /^tap-drift: envs\/qa\.json: file not found\n$/],
      ['invalid JSON', () => (writeFileSync(join(dir, 'bad.json'), '{"environment": '), 'bad.json'), /^tap-drift: bad\.json: invalid JSON \(.+\)\n$/],
      ['a schema mismatch', () => writeJson(join(dir, 'x.json'), { hello: 'world' }) && 'x.json', /^tap-drift: x\.json: not a valid configuration manifest: .*environment: Required; timestamp: Required/],
      [
        'a hand-edited manifest',
        () => {
          const m = manifestFor('prod');
          m.configuration.database.instanceCount = 1;
          writeJson(join(dir, 'edited.json'), m);
          return 'edited.json';
        },
        /^tap-drift: edited\.json: configHash [0-9a-f]{64} does not match the configuration \(recomputed [0-9a-f]{64}\)/,
      ],
    ])('refuses %s with exit 2 and one line on stderr', (_what, prepare, message) => {
      // Prepare
      const file = (prepare as () => string)();

      // Act
      const result = run('hash', file);

      // Assess
      expect(result.code).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr).toMatch(message);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(result.stderr).not.toMatch(/\bat .+:\d+:\d+/);
    });
  });

  describe('compare', () => {
    it('exits 0 when only expected differences exist and prints the side-by-side table and the resource parity', () => {
      // Act
      const result = run('compare', 'synth/dev/manifest.json', 'synth/staging/manifest.json', 'synth/prod/manifest.json');

      // Assess
      expect(result.code).toBe(0);
      const engine = environmentProfile('dev').database.engineVersion.replace(/\./g, '\\.');
      expect(result.stdout).toMatch(/^path\s+dev\s+staging\s+prod\s+status$/m);
      expect(result.stdout).toMatch(/^lambda\.memory\s+1024\s+2048\s+4096\s+expected$/m);
      expect(result.stdout).toMatch(new RegExp(`^database\\.engineVersion\\s+${engine}\\s+${engine}\\s+${engine}\\s+same$`, 'm'));
      expect(result.stdout).toMatch(/^ {2}expected tap-payments-function \(aws:lambda\/function:Function\) memorySize: dev=1024, staging=2048, prod=4096 \(lambda\.memoryMb\)$/m);
      expect(result.stdout).toMatch(/^in sync: 0 drift, \d+ expected differences across dev, staging, prod; \d+ resources: 0 drift, \d+ expected differences$/m);
    });

    it('exits 1 on drift and renders markdown for a pull request', () => {
      // Prepare
      writeSynth(join(dir, 'synth'), 'prod', { config: (c) => (c.logging.retentionDays = 90) });

      // Act
      const result = run('compare', 'synth', '--format', 'markdown');

      // Assess
      expect(result.code).toBe(1);
      expect(result.stdout).toContain('### tap-drift compare: drift found');
      expect(result.stdout).toContain('| path | dev | staging | prod | status |');
      expect(result.stdout).toContain('| `logging.retentionDays` | 30 | 30 | 90 | **drift** |');
      expect(result.stdout).toContain('- logging.retentionDays: prod: All environments must keep logs for 30 days, got 90');
      expect(result.stdout).toContain('#### Resources');
    });

    it('exits 1 when one environment changes a resource setting no profile field explains', () => {
      // Prepare: staging's payment function logs as text; nothing in the profiles says it may.
      writeSynth(join(dir, 'synth'), 'staging', { records: (r) => ((record(r, 'tap-payments-function').inputs['loggingConfig'] as Record<string, unknown>)['logFormat'] = 'Text') });

      // Act
      const result = run('compare', 'synth', '--format', 'json');

      // Assess
      expect(result.code).toBe(1);
      const report = JSON.parse(result.stdout);
      expect(report.rows.filter((r: { status: string }) => r.status === 'drift')).toEqual([]);
      expect(report.resources.rows.filter((r: { status: string }) => r.status === 'drift')).toEqual([
        expect.objectContaining({ name: 'tap-payments-function', path: 'loggingConfig.logFormat', values: { dev: 'JSON', staging: 'Text', prod: 'JSON' } }),
      ]);
    });

    it('reports configuration drift as JSON', () => {
      // Prepare
      writeSynth(join(dir, 'synth'), 'dev', { config: (c) => (c.monitoring.errorThreshold = 50) });

      // Act
      const result = run('compare', 'synth', '--format', 'json');

      // Assess
      expect(result.code).toBe(1);
      const report = JSON.parse(result.stdout);
      expect(report.drift).toBe(true);
      expect(report.rows.filter((r: { status: string }) => r.status === 'drift').map((r: { path: string }) => r.path)).toEqual(['monitoring.errorThreshold']);
    });

    it('exits 2 with the fix when manifests have no inventory beside them', () => {
      // Act
      const result = run('compare', 'envs/dev.json', 'envs/staging.json');

      // Assess
      expect(result).toEqual({
        code: 2,
        stdout: '',
        stderr: expect.stringMatching(/^tap-drift: envs\/dev\.json: dev, staging have no resource inventory beside the manifest, so resource parity cannot be checked; .*\n$/),
      });
    });
  });

  describe('check', () => {
    beforeEach(() => {
      // Approved baselines: <env>.json and <env>.resources.json, as drift-approve writes them.
      for (const env of ['dev', 'staging', 'prod'] as const) writeSynth(join(dir, 'approved'), env);
      expect(run('approve', '--baseline', 'base', '--current', 'approved', '--reason', 'baseline', '--approver', 'test', '--no-policy-check').code).toBe(0);
    });

    it('exits 0 when every environment matches its baseline', () => {
      // Act
      const result = run('check', '--baseline', 'base', '--current', 'synth');

      // Assess
      expect(result).toEqual({ code: 0, stdout: 'dev: unchanged\nstaging: unchanged\nprod: unchanged\nin sync: all 3 environments match the approved baseline\n', stderr: '' });
    });

    it('exits 1 and lists every changed path old -> new, and one-sided environments', () => {
      // Prepare
      writeSynth(join(dir, 'cur'), 'prod', { config: (c) => ((c.database.instanceCount = 1), (c.region = 'us-west-1')) });
      writeSynth(join(dir, 'cur'), 'staging');

      // Act
      const result = run('check', '--baseline', 'base', '--current', 'cur');

      // Assess
      expect(result.code).toBe(1);
      expect(result.stdout).toMatch(/^dev: baseline only, no current manifest$/m);
      expect(result.stdout).toMatch(/^staging: unchanged$/m);
      expect(result.stdout).toMatch(/^prod: changed \([0-9a-f]{12} -> [0-9a-f]{12}\)\n {2}database\.instanceCount: 2 -> 1\n {2}region: us-east-1 -> us-west-1\n {2}resources: unchanged$/m);
      expect(result.stdout).toMatch(/^changed: 2 of 3 environments differ from the approved baseline$/m);
    });

    it('exits 1 on a resource change the configuration manifest does not mention', () => {
      // Prepare: the migration function's timeout, which no configuration field reaches.
      writeSynth(join(dir, 'synth'), 'dev', { records: (r) => (record(r, 'tap-payments-migrate-function').inputs['timeout'] = 900) });

      // Act
      const result = run('check', '--baseline', 'base', '--current', 'synth');

      // Assess
      expect(result.code).toBe(1);
      expect(result.stdout).toMatch(/^dev: changed\n {2}resources: 1 changed \(1 property\), 0 added, 0 removed \([0-9a-f]{12} -> [0-9a-f]{12}\)$/m);
      expect(result.stdout).toMatch(/^ {4}tap-payments \(tap:lambda:LambdaComponent\)\n {6}~ tap-payments-migrate-function \(aws:lambda\/function:Function\)\n {10}timeout: 300 -> 900$/m);
    });

    it('accepts single files and renders markdown', () => {
      // Prepare
      writeSynth(join(dir, 'new'), 'prod', { config: (c) => (c.lambda.timeoutSeconds = 60) });

      // Act
      const result = run('check', '--baseline', 'base/prod.json', '--current', 'new/prod/manifest.json', '--format', 'markdown');

      // Assess
      expect(result.code).toBe(1);
      expect(result.stdout).toContain('### tap-drift check: changes need approval');
      expect(result.stdout).toContain('| `lambda.timeoutSeconds` | 30 | 60 |');
    });

    it('exits 2 with the fix when the baseline is in the old format (no inventory), and still shows the report', () => {
      // Prepare: a baseline directory as it was before resource inventories.
      writeJson(join(dir, 'old', 'dev.json'), JSON.parse(readFileSync(join(dir, 'base', 'dev.json'), 'utf8')));

      // Act
      const result = run('check', '--baseline', 'old', '--current', 'synth/dev/manifest.json');

      // Assess
      expect(result.code).toBe(2);
      expect(result.stdout).toMatch(/^dev: unchanged$/m);
      expect(result.stdout).toMatch(/^ERROR old\/dev\.resources\.json: the approved baseline of dev has no resource inventory \(old format: configuration only\)/m);
      expect(result.stderr).toBe(
        'tap-drift: old/dev.resources.json: the approved baseline of dev has no resource inventory (old format: configuration only), so its resources cannot be checked; run `npx nx run tap-stack:drift-approve` (tap-drift approve) to record it, review and commit it\n',
      );
    });

    it('exits 2 when the baseline directory is missing', () => {
      // Act
      const result = run('check', '--baseline', 'nowhere', '--current', 'synth');

      // Assess
      expect(result).toEqual({ code: 2, stdout: '', stderr: 'tap-drift: nowhere: file or directory not found\n' });
    });
  });

  describe('approve', () => {
    const audit = ['--reason', 'tighten the prod latency alarm (CHG-7)', '--approver', 'Jane Doe <jane@example.com>', '--no-policy-check'];

    it('writes the new baselines, appends audited history, and check is in sync afterwards', () => {
      // Prepare
      writeSynth(join(dir, 'envs2'), 'dev');
      writeSynth(join(dir, 'envs2'), 'staging');
      writeSynth(join(dir, 'envs2'), 'prod');
      expect(run('approve', '--baseline', 'base', '--current', 'envs2', ...audit).code).toBe(0);
      rmSync(join(dir, 'envs2', 'staging'), { recursive: true });
      // The alarm follows the setting (as the program makes it): check holds the resources to their configuration.
      writeSynth(join(dir, 'envs2'), 'prod', {
        config: (c) => (c.monitoring.latencyThresholdMs = 1500),
        records: (r) => Object.assign(record(r, 'tap-monitoring-lambda-duration').inputs, { threshold: 1500, alarmDescription: 'Average Lambda duration above 1500 ms' }),
      });
      const devBefore = readFileSync(join(dir, 'base', 'dev.json'), 'utf8');

      // Act
      const approve = run('approve', '--baseline', 'base', '--current', 'envs2', '--history', 'audit/history.jsonl', '--format', 'json', ...audit);
      const check = run('check', '--baseline', 'base', '--current', 'envs2');

      // Assess
      expect(approve.code).toBe(0);
      expect(JSON.parse(approve.stdout).approved).toHaveLength(1);
      const lines = readFileSync(join(dir, 'audit', 'history.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
      expect(lines).toEqual([
        expect.objectContaining({
          environment: 'prod',
          newHash: expect.stringMatching(/^[0-9a-f]{64}$/),
          changedPaths: ['monitoring.latencyThresholdMs'],
          approver: { name: 'Jane Doe', email: 'jane@example.com', source: 'flag' },
          reason: 'tighten the prod latency alarm (CHG-7)',
          policy: { result: 'not checked' },
          newInventoryHash: expect.stringMatching(/^[0-9a-f]{64}$/),
        }),
      ]);
      expect(Date.parse(lines[0].time)).not.toBeNaN();
      // staging has no current manifest: its baseline is kept, and check still says so.
      expect(check.code).toBe(1);
      expect(check.stdout).toBe(
        'dev: unchanged\nstaging: baseline only, no current manifest\nprod: unchanged\nchanged: 1 of 3 environments differ from the approved baseline\n',
      );
      // dev did not change, so its approved file stays byte for byte as it was.
      expect(readFileSync(join(dir, 'base', 'dev.json'), 'utf8')).toBe(devBefore);
      expect(JSON.parse(readFileSync(join(dir, 'base', 'staging.json'), 'utf8')).environment).toBe('staging');
    });

    it('exits 2 without writing when the current manifest is tampered with', () => {
      // Prepare
      const m = manifestFor('prod');
      m.configuration.encryption.keyRotation = false;
      writeJson(join(dir, 'synth', 'prod', 'manifest.json'), m);

      // Act
      const result = run('approve', '--baseline', 'base', '--current', 'synth', ...audit);

      // Assess
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/^tap-drift: synth\/prod\/manifest\.json: configHash .* does not match/);
      expect(existsSync(join(dir, 'base'))).toBe(false);
    });
  });

  describe('usage errors', () => {
    it.each([
      [['hash', 'envs/dev.json', '--colour'], /^tap-drift: error: unknown option '--colour'/],
      [['compare', 'envs', '--format', 'html'], /^tap-drift: error: option '--format <format>' argument 'html' is invalid/],
      [['check', '--current', 'envs'], /^tap-drift: error: required option '--baseline <path>' not specified/],
      [['frobnicate'], /^tap-drift: error: unknown command 'frobnicate'/],
    ])('%j exits 2 with one line on stderr', (args, message) => {
      // Act
      const result = run(...args);

      // Assess
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(message);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
    });

    it('prints help with exit 0', () => {
      // Act
      const result = run('--help');

      // Assess
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('Usage: tap-drift');
    });
  });
});
