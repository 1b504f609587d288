import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BUILT_BIN, WORKSPACE, removeDir, tempDir } from './support';

/*
 * `bin` of @tap/manifest is a committed launcher, so `npm ci` links node_modules/.bin/tap-drift inside the workspace
 * before any build (npm skips a bin whose file is missing, and `npx tap-drift` then asks the public registry for that
 * name). The launcher runs the build, dist/cli/main.js, or says in one line how to make it.
 */
const PACKAGE = join(WORKSPACE, 'packages', 'manifest');
const LAUNCHER = join(PACKAGE, 'bin', 'tap-drift.cjs');
const NOT_BUILT = 'tap-drift: not built yet: run `npx nx build manifest` first\n';

describe('the tap-drift launcher (bin of @tap/manifest)', () => {
  let dir: string;
  beforeEach(() => (dir = tempDir('launcher')));
  afterEach(() => removeDir(dir));

  it('is the bin of the package: a file committed to the repository, not a build output', () => {
    // Act
    const pkg = JSON.parse(readFileSync(join(PACKAGE, 'package.json'), 'utf8')) as { bin: Record<string, string> };
    const tracked = execFileSync('git', ['ls-files', '--', 'bin/tap-drift.cjs'], { cwd: PACKAGE, encoding: 'utf8' });
    // Assess
    expect(pkg.bin).toEqual({ 'tap-drift': './bin/tap-drift.cjs' });
    expect(tracked.trim()).toBe('bin/tap-drift.cjs');
    expect(readFileSync(LAUNCHER, 'utf8')).toMatch(/^#!\/usr\/bin\/env node\n/);
  });

  it('is the bin the lockfile records, which is what npm ci links', () => {
    // Act
    const lock = JSON.parse(readFileSync(join(WORKSPACE, 'package-lock.json'), 'utf8')) as { packages: Record<string, { bin?: Record<string, string> }> };
    // Assess
    expect(lock.packages['packages/manifest'].bin).toEqual({ 'tap-drift': 'bin/tap-drift.cjs' });
  });

  it('is in the published files, beside the build it runs', () => {
    // Act
    const [packed] = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--silent'], { cwd: PACKAGE, encoding: 'utf8' })) as Array<{ files: Array<{ path: string }> }>;
    const files = packed.files.map((f) => f.path);
    // Assess
    expect(files).toContain('bin/tap-drift.cjs');
    expect(files).toContain('dist/cli/main.js');
  });

  it('prints one line and exits 2 in a package without its build', () => {
    // Prepare: the launcher alone in a package folder, as in a fresh checkout after npm ci
    mkdirSync(join(dir, 'bin'));
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: '@tap/manifest', bin: { 'tap-drift': './bin/tap-drift.cjs' } }));
    copyFileSync(LAUNCHER, join(dir, 'bin', 'tap-drift.cjs'));
    // Act
    const run = spawnSync(process.execPath, [join(dir, 'bin', 'tap-drift.cjs'), 'hash', 'x.json'], { cwd: dir, encoding: 'utf8' });
    // Assess
    expect(run.status).toBe(2);
    expect(run.stderr).toBe(NOT_BUILT);
    expect(run.stdout).toBe('');
  });

  it('runs the build with the arguments and passes its exit code on', () => {
    // Act
    const help = spawnSync(process.execPath, [LAUNCHER, '--help'], { cwd: dir, encoding: 'utf8' });
    const missing = spawnSync(process.execPath, [LAUNCHER, 'hash', 'no-such.json'], { cwd: dir, encoding: 'utf8' });
    // Assess
    expect(realpathSync(BUILT_BIN)).toBe(join(PACKAGE, 'dist', 'cli', 'main.js'));
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^Usage: tap-drift/);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/^tap-drift: no-such\.json: file not found[^\n]*\n$/);
  });

  it('is linked by the workspace install: node_modules/.bin/tap-drift is the launcher', () => {
    // Act
    const linked = realpathSync(join(WORKSPACE, 'node_modules', '.bin', 'tap-drift'));
    // Assess
    expect(linked).toBe(LAUNCHER);
  });
});
