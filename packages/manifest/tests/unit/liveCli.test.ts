import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../../src/cli/main';
import type { SpawnFn, SpawnResult } from '../../src';
import { manifestFor, removeDir, tempDir, writeJson } from './support';

const FIXTURES = join(__dirname, '..', 'fixtures', 'refresh');
const refreshFixture = (name: string): string => readFileSync(join(FIXTURES, `${name}.json`), 'utf8');

interface Call {
  command: string;
  args: readonly string[];
  cwd: string;
}

/** A stand-in Pulumi: answers `refresh` and `stack output` with the given results and records every call. */
function fakePulumi(refresh: Partial<SpawnResult>, output: Partial<SpawnResult>): { spawn: SpawnFn; calls: Call[] } {
  const calls: Call[] = [];
  const spawn: SpawnFn = (command, args, options) => {
    calls.push({ command, args, cwd: options.cwd });
    const answer = args[0] === 'refresh' ? refresh : output;
    return { status: 0, stdout: '', stderr: '', ...answer };
  };
  return { spawn, calls };
}

describe('tap-drift live', () => {
  let dir: string;
  let code: string;
  let ignore: string;
  let out: string;
  let stderr: string;

  beforeEach(() => {
    dir = tempDir('tap-drift-live');
    code = writeJson(join(dir, 'synth', 'dev', 'manifest.json'), manifestFor('dev'));
    ignore = writeJson(join(dir, 'drift-ignore.json'), {
      rules: [{ type: 'aws:rds/cluster:Cluster', property: 'engineVersion*', reason: 'Aurora minor-version upgrade' }],
    });
    out = join(dir, 'reports', 'nested', 'dev.json');
    stderr = '';
  });
  afterEach(() => removeDir(dir));

  function live(spawn: SpawnFn | undefined, ...extra: string[]): { code: number; stdout: string } {
    let stdout = '';
    const exit = runCli(['live', '--stack', 'dev', '--cwd', dir, '--code', code, '--ignore', ignore, '--out', out, ...extra], {
      out: (t) => (stdout += t),
      err: (t) => (stderr += t),
      spawn,
    });
    return { code: exit, stdout };
  }

  const deployedOutput = { stdout: JSON.stringify(manifestFor('dev')) };

  it('exits 0 on an empty preview and a matching deployed manifest, and runs the documented Pulumi commands', () => {
    // Prepare
    const pulumi = fakePulumi({ status: 0, stdout: refreshFixture('empty') }, deployedOutput);
    // Act
    const result = live(pulumi.spawn, '--pulumi', '/opt/pulumi/bin/pulumi');
    // Assess
    expect(result.code).toBe(0);
    expect(stderr).toBe('');
    expect(pulumi.calls).toEqual([
      { command: '/opt/pulumi/bin/pulumi', args: ['refresh', '--preview-only', '--expect-no-changes', '--json', '--non-interactive', '--stack', 'dev'], cwd: dir },
      { command: '/opt/pulumi/bin/pulumi', args: ['stack', 'output', 'configManifest', '--json', '--non-interactive', '--stack', 'dev'], cwd: dir },
    ]);
    expect(JSON.parse(readFileSync(out, 'utf8'))).toMatchObject({ environment: 'dev', status: 'in-sync', exitCode: 0 });
  });

  it('exits 1 on changes (exit 7), prints the chosen format and writes the JSON report', () => {
    // Prepare
    const pulumi = fakePulumi({ status: 7, stdout: refreshFixture('update') }, deployedOutput);
    // Act
    const result = live(pulumi.spawn, '--format', 'markdown');
    const report = JSON.parse(readFileSync(out, 'utf8'));
    // Assess
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^### tap-drift live: dev drift found/);
    expect(report.cloud.resources.map((r: { name: string; ignored?: unknown }) => [r.name, r.ignored !== undefined])).toEqual([
      ['tap-dev-cluster', true],
      ['tap-dev-lambda-errors', false],
    ]);
  });

  it('reads the JSON of an older CLI that exits 255 for changes', () => {
    // Prepare
    const pulumi = fakePulumi({ status: 255, stdout: refreshFixture('delete'), stderr: 'error: no changes were expected' }, deployedOutput);
    // Act
    const result = live(pulumi.spawn);
    // Assess
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('MISSING aws:cloudwatch/logGroup:LogGroup tap-dev-fn-logs (delete)');
  });

  it('exits 2 with the report written when the refresh has error diagnostics', () => {
    // Prepare
    const pulumi = fakePulumi({ status: 255, stdout: refreshFixture('error') }, deployedOutput);
    // Act
    const result = live(pulumi.spawn);
    // Assess
    expect(result.code).toBe(2);
    expect(JSON.parse(readFileSync(out, 'utf8')).errors[0]).toContain('ExpiredToken');
  });

  it('exits 2 with the first stderr line when a failed refresh prints no usable JSON', () => {
    // Prepare
    const pulumi = fakePulumi({ status: 255, stdout: '', stderr: '\nerror: no stack named "dev" found\nmore detail\n' }, deployedOutput);
    // Act
    const result = live(pulumi.spawn, '--format', 'json');
    // Assess
    expect(result.code).toBe(2);
    expect(JSON.parse(result.stdout).errors).toEqual(['pulumi refresh --stack dev: exited 255: error: no stack named "dev" found']);
  });

  it('exits 1 and explains a stack without configManifest output', () => {
    // Prepare
    const pulumi = fakePulumi(
      { status: 0, stdout: refreshFixture('no-steps') },
      { status: 255, stderr: "error: current stack does not have output property 'configManifest'\n" },
    );
    // Act
    const result = live(pulumi.spawn);
    // Assess
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('never deployed, or was deployed before configuration manifests existed');
  });

  it('exits 1 when the deployed configuration differs from the code', () => {
    // Prepare
    const older = manifestFor('dev', (c) => (c.monitoring.errorThreshold = 25));
    const pulumi = fakePulumi({ status: 0, stdout: '{}' }, { stdout: JSON.stringify(older) });
    // Act
    const result = live(pulumi.spawn);
    // Assess
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/monitoring\.errorThreshold: deployed 25 -> code \d+ \(in code \(approved\) but not deployed\)/);
  });

  it('exits 2 with one line naming the fix when Pulumi is not installed', () => {
    // Prepare
    const missing: SpawnFn = () => ({ status: null, stdout: '', stderr: '', error: Object.assign(new Error('spawn pulumi ENOENT'), { code: 'ENOENT' }) });
    // Act
    const result = live(missing);
    // Assess
    expect(result.code).toBe(2);
    expect(stderr).toMatch(/^tap-drift: pulumi: the Pulumi CLI was not found .*install it .* and put it on PATH, or pass --pulumi <path>\n$/);
  });

  it('replaces an earlier report with an error report when the check cannot run', () => {
    // Prepare: yesterday's in-sync report at the --out path, and no Pulumi today
    writeJson(out, { environment: 'dev', stack: 'dev', status: 'in-sync', exitCode: 0, errors: [] });
    const missing: SpawnFn = () => ({ status: null, stdout: '', stderr: '', error: Object.assign(new Error('spawn pulumi ENOENT'), { code: 'ENOENT' }) });
    // Act
    const result = live(missing);
    // Assess
    const report = JSON.parse(readFileSync(out, 'utf8'));
    expect(result.code).toBe(2);
    expect(report).toMatchObject({ stack: 'dev', status: 'error', exitCode: 2 });
    expect(report.errors).toEqual([expect.stringContaining('the Pulumi CLI was not found')]);
    expect(report.checkedAt).not.toBeUndefined();
  });

  it('finds no pulumi on an empty PATH with the real spawn (no stand-in)', () => {
    // Prepare
    const path = process.env['PATH'];
    process.env['PATH'] = dir;
    // Act
    let result: { code: number; stdout: string };
    try {
      result = live(undefined);
    } finally {
      process.env['PATH'] = path;
    }
    // Assess
    expect(result.code).toBe(2);
    expect(stderr).toContain('the Pulumi CLI was not found');
  });

  it.each([
    ['a bad ignore file', () => writeFileSync(ignore, '{"rules":[{"type":"*"}]}'), /drift-ignore\.json: invalid ignore rules: rules\.0\.reason Required/],
    ['a missing code manifest', () => removeDir(join(dir, 'synth')), /manifest\.json: code manifest not found; run the offline synth first/],
  ])('exits 2 with one line and never calls Pulumi on %s', (_, breakIt, message) => {
    // Prepare
    breakIt();
    const pulumi = fakePulumi({ stdout: '{}' }, deployedOutput);
    // Act
    const result = live(pulumi.spawn);
    // Assess
    expect(result.code).toBe(2);
    expect(stderr).toMatch(message);
    expect(stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(pulumi.calls).toEqual([]);
    expect(JSON.parse(readFileSync(out, 'utf8'))).toMatchObject({ status: 'error', exitCode: 2, errors: [expect.stringMatching(message)] });
  });

  it('exits 2 on a refresh document that is not the Pulumi shape', () => {
    // Prepare
    const pulumi = fakePulumi({ status: 7, stdout: '{"steps": "everything"}' }, deployedOutput);
    // Act
    const result = live(pulumi.spawn);
    // Assess
    expect(result.code).toBe(2);
    expect(JSON.parse(readFileSync(out, 'utf8')).errors[0]).toMatch(/not the JSON of "pulumi refresh --preview-only --json": steps: Expected array/);
  });

  it('exits 2 on a missing required flag', () => {
    // Act
    const exit = runCli(['live', '--stack', 'dev'], { out: () => undefined, err: (t) => (stderr += t) });
    // Assess
    expect(exit).toBe(2);
    expect(stderr).toMatch(/^tap-drift: error: required option '--cwd <dir>' not specified\n$/);
  });
});
