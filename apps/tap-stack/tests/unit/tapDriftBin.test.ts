import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { APP, ROOT } from '../synthHelper';

/*
 * tap-drift inside the workspace is the package's own build, as when installed: `bin` of @tap/manifest is the
 * committed launcher bin/tap-drift.cjs (so npm ci links it before any build), which runs dist/cli/main.js, compiled
 * before these tests (tap-stack:test depends on its build, whose ^build builds @tap/manifest); Node resolves the package through the workspace's node_modules link. The scripts, the
 * smoke test and the workflows run dist/cli/main.js directly.
 */
const PACKAGE_DIR = dirname(require.resolve('@tap/manifest/package.json', { paths: [ROOT] }));
const BIN = join(PACKAGE_DIR, 'dist', 'cli', 'main.js');

describe('tap-drift inside the workspace', () => {
  it('is the compiled CLI of @tap/manifest behind its bin, resolved from the workspace to packages/manifest', () => {
    // Act
    const pkg = JSON.parse(readFileSync(join(PACKAGE_DIR, 'package.json'), 'utf8')) as { bin: Record<string, string> };

    // Assess
    expect(PACKAGE_DIR).toBe(join(ROOT, 'packages', 'manifest'));
    expect(pkg.bin).toEqual({ 'tap-drift': './bin/tap-drift.cjs' });
    expect(existsSync(BIN)).toBe(true);
    expect(readFileSync(BIN, 'utf8')).toMatch(/^#!\/usr\/bin\/env node\n/);
  });

  it('answers --help and hashes a baseline from the app folder', () => {
    // Act
    const help = spawnSync(process.execPath, [BIN, '--help'], { cwd: APP, encoding: 'utf8' });
    const hash = spawnSync(process.execPath, [BIN, 'hash', 'manifests/dev.json'], { cwd: APP, encoding: 'utf8' });

    // Assess
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^Usage: tap-drift/);
    expect(hash.stderr).toBe('');
    expect(hash.stdout).toMatch(/^[0-9a-f]{64}\n$/);
  });
});
