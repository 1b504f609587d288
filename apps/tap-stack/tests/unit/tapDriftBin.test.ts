import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readlinkSync, realpathSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { APP, ROOT, tempDir } from '../synthHelper';

/*
 * `npx tap-drift` must never ask the registry: inside the workspace npm links node_modules/.bin/tap-drift to the
 * committed launcher of @tap/manifest, which runs the TypeScript source when nothing is built.
 */
const LAUNCHER = join(ROOT, 'packages', 'manifest', 'bin', 'tap-drift.js');

describe('tap-drift inside the workspace', () => {
  it('is linked in node_modules/.bin to the committed launcher', () => {
    // Act
    const target = realpathSync(join(ROOT, 'node_modules', '.bin', 'tap-drift'));
    // Assess
    expect(readlinkSync(join(ROOT, 'node_modules', '.bin', 'tap-drift'))).toBe('../@tap/manifest/bin/tap-drift.js');
    expect(target).toBe(LAUNCHER);
  });

  it('answers `npx --no-install tap-drift --help` and hashes a baseline, from the app folder, without the registry', () => {
    // Act: an unreachable registry proves nothing is fetched.
    const env = { ...process.env, npm_config_registry: 'http://127.0.0.1:9/', npm_config_offline: 'true' };
    const help = spawnSync('npx', ['--no-install', 'tap-drift', '--help'], { cwd: APP, encoding: 'utf8', env });
    const hash = spawnSync('npx', ['--no-install', 'tap-drift', 'hash', 'manifests/dev.json'], { cwd: APP, encoding: 'utf8', env });
    // Assess
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^Usage: tap-drift/);
    expect(hash.stderr).toBe('');
    expect(hash.stdout).toMatch(/^[0-9a-f]{64}\n$/);
  });

  it('runs the compiled CLI next to it when there is one (the published package)', () => {
    // Prepare: the published layout, bin/tap-drift.js beside src/cli/main.js (a stand-in CLI).
    const pkg = tempDir('published-manifest');
    mkdirSync(join(pkg, 'bin'));
    mkdirSync(join(pkg, 'src', 'cli'), { recursive: true });
    copyFileSync(LAUNCHER, join(pkg, 'bin', 'tap-drift.js'));
    writeFileSync(join(pkg, 'src', 'cli', 'main.js'), "exports.runCli = (argv) => { process.stdout.write('compiled ' + argv.join(' ')); return 3; };");
    // Act
    const run = spawnSync(process.execPath, [join(pkg, 'bin', 'tap-drift.js'), 'check', '--x'], { encoding: 'utf8' });
    // Assess
    expect(run.stdout).toBe('compiled check --x');
    expect(run.status).toBe(3);
  });
});
