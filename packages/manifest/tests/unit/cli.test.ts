import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { canonicalJson } from '../../src';
import { FIXED_TIME, linkBuiltPackages, manifestFor, removeDir, runBin, tempDir, writeJson } from './support';

/*
 * Runs the BUILT bin (dist/packages/manifest/src/cli/main.js; the test target depends on build) in a separate
 * node process, as a user would, and checks stdout, stderr and the exit code.
 */
describe('tap-drift (built bin)', () => {
  let dir: string;
  let bin: string;
  let linkRoot: string;
  const run = (...args: string[]) => runBin(bin, args, dir);

  beforeAll(() => {
    ({ root: linkRoot, bin } = linkBuiltPackages());
  });
  afterAll(() => removeDir(linkRoot));
  beforeEach(() => {
    dir = tempDir('tap-drift-cli');
    writeJson(join(dir, 'envs', 'dev.json'), manifestFor('dev'));
    writeJson(join(dir, 'envs', 'staging.json'), manifestFor('staging'));
    writeJson(join(dir, 'envs', 'prod.json'), manifestFor('prod'));
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
    it('exits 0 when only expected differences exist and prints the side-by-side table', () => {
      // Act
      const result = run('compare', 'envs/dev.json', 'envs/staging.json', 'envs/prod.json');

      // Assess
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/^path\s+dev\s+staging\s+prod\s+status$/m);
      expect(result.stdout).toMatch(/^lambda\.memory\s+1024\s+2048\s+4096\s+expected$/m);
      expect(result.stdout).toMatch(/^database\.engineVersion\s+15\.4\s+15\.4\s+15\.4\s+same$/m);
      expect(result.stdout).toMatch(/^in sync: 0 drift/m);
    });

    it('exits 1 on drift and renders markdown for a pull request', () => {
      // Prepare
      writeJson(join(dir, 'envs', 'prod.json'), manifestFor('prod', (c) => (c.logging.retentionDays = 90)));

      // Act
      const result = run('compare', 'envs', '--format', 'markdown');

      // Assess
      expect(result.code).toBe(1);
      expect(result.stdout).toContain('### tap-drift compare: drift found');
      expect(result.stdout).toContain('| path | dev | staging | prod | status |');
      expect(result.stdout).toContain('| `logging.retentionDays` | 30 | 30 | 90 | **drift** |');
      expect(result.stdout).toContain('- logging.retentionDays: prod: All environments must keep logs for 30 days, got 90');
    });

    it('reports drift as JSON', () => {
      // Prepare
      writeJson(join(dir, 'envs', 'dev.json'), manifestFor('dev', (c) => (c.monitoring.errorThreshold = 50)));

      // Act
      const result = run('compare', 'envs', '--format', 'json');

      // Assess
      expect(result.code).toBe(1);
      const report = JSON.parse(result.stdout);
      expect(report.drift).toBe(true);
      expect(report.rows.filter((r: { status: string }) => r.status === 'drift').map((r: { path: string }) => r.path)).toEqual(['monitoring.errorThreshold']);
    });
  });

  describe('check', () => {
    it('exits 0 when every environment matches its baseline', () => {
      // Act
      const result = run('check', '--baseline', 'envs', '--current', 'envs');

      // Assess
      expect(result.code).toBe(0);
      expect(result.stdout).toBe('dev: unchanged\nstaging: unchanged\nprod: unchanged\nin sync: all 3 environments match the approved baseline\n');
    });

    it('exits 1 and lists every changed path old -> new, and one-sided environments', () => {
      // Prepare
      writeJson(join(dir, 'cur', 'prod.json'), manifestFor('prod', (c) => ((c.database.instanceCount = 1), (c.region = 'us-west-1'))));
      writeJson(join(dir, 'cur', 'staging.json'), manifestFor('staging'));

      // Act
      const result = run('check', '--baseline', 'envs', '--current', 'cur');

      // Assess
      expect(result.code).toBe(1);
      expect(result.stdout).toMatch(/^dev: baseline only, no current manifest$/m);
      expect(result.stdout).toMatch(/^staging: unchanged$/m);
      expect(result.stdout).toMatch(/^prod: changed \([0-9a-f]{12} -> [0-9a-f]{12}\)\n {2}database\.instanceCount: 2 -> 1\n {2}region: us-east-1 -> us-west-1$/m);
      expect(result.stdout).toMatch(/^changed: 2 of 3 environments differ from the approved baseline$/m);
    });

    it('accepts single files and renders markdown', () => {
      // Prepare
      writeJson(join(dir, 'new-prod.json'), manifestFor('prod', (c) => (c.lambda.timeoutSeconds = 60)));

      // Act
      const result = run('check', '--baseline', 'envs/prod.json', '--current', 'new-prod.json', '--format', 'markdown');

      // Assess
      expect(result.code).toBe(1);
      expect(result.stdout).toContain('### tap-drift check: changes need approval');
      expect(result.stdout).toContain('| `lambda.timeoutSeconds` | 30 | 60 |');
    });

    it('exits 2 when the baseline directory is missing', () => {
      // Act
      const result = run('check', '--baseline', 'nowhere', '--current', 'envs');

      // Assess
      expect(result).toEqual({ code: 2, stdout: '', stderr: 'tap-drift: nowhere: file or directory not found\n' });
    });
  });

  describe('approve', () => {
    it('writes the new baselines, appends history, and check is in sync afterwards', () => {
      // Prepare
      writeJson(join(dir, 'cur', 'prod.json'), manifestFor('prod', (c) => (c.monitoring.latencyThresholdMs = 1500)));
      writeJson(join(dir, 'cur', 'dev.json'), { ...manifestFor('dev'), timestamp: '2030-01-01T00:00:00.000Z' });

      // Act
      const approve = run('approve', '--baseline', 'envs', '--current', 'cur', '--history', 'audit/history.jsonl', '--format', 'json');
      const check = run('check', '--baseline', 'envs', '--current', 'cur');

      // Assess
      expect(approve.code).toBe(0);
      expect(JSON.parse(approve.stdout).approved).toHaveLength(1);
      const lines = readFileSync(join(dir, 'audit', 'history.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
      expect(lines).toEqual([
        expect.objectContaining({ environment: 'prod', oldHash: manifestFor('prod').configHash, newHash: expect.stringMatching(/^[0-9a-f]{64}$/), changedPaths: ['monitoring.latencyThresholdMs'] }),
      ]);
      expect(Date.parse(lines[0].time)).not.toBeNaN();
      // staging has no current manifest: its baseline is kept, and check still says so.
      expect(check.code).toBe(1);
      expect(check.stdout).toBe(
        'dev: unchanged\nstaging: baseline only, no current manifest\nprod: unchanged\nchanged: 1 of 3 environments differ from the approved baseline\n',
      );
      // dev's configuration did not change, so its approved file (and timestamp) stays as it was.
      expect(JSON.parse(readFileSync(join(dir, 'envs', 'dev.json'), 'utf8')).timestamp).toBe(FIXED_TIME);
      expect(JSON.parse(readFileSync(join(dir, 'envs', 'staging.json'), 'utf8')).environment).toBe('staging');
    });

    it('exits 2 without writing when the current manifest is tampered with', () => {
      // Prepare
      const m = manifestFor('prod');
      m.configuration.encryption.kmsEnabled = false;
      writeJson(join(dir, 'cur', 'prod.json'), m);
      const before = readFileSync(join(dir, 'envs', 'prod.json'), 'utf8');

      // Act
      const result = run('approve', '--baseline', 'envs', '--current', 'cur');

      // Assess
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/^tap-drift: cur\/prod\.json: configHash .* does not match/);
      expect(readFileSync(join(dir, 'envs', 'prod.json'), 'utf8')).toBe(before);
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
