import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { canonicalJson } from '../../src';
import { WORKSPACE, manifestFor, removeDir, writeJson } from './support';

/*
 * `npm pack` both packages (each folder with its build in dist/) and install the tarballs in an empty folder outside the workspace, then use
 * them as a consumer would. Third-party deps come from the npm cache (they were installed for the workspace).
 */
describe('published tarballs', () => {
  let dir: string;
  const npm = (args: string[], cwd: string): string => execFileSync('npm', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 90_000 });

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'tap-pack-'));
    for (const name of ['validation', 'manifest']) {
      npm(['pack', join(WORKSPACE, 'packages', name), '--pack-destination', dir, '--silent'], dir);
    }
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }));
    const tarballs = readdirSync(dir).filter((file) => file.endsWith('.tgz')).map((file) => `./${file}`);
    try {
      npm(['install', ...tarballs, '--offline', '--no-audit', '--no-fund'], dir);
    } catch {
      npm(['install', ...tarballs, '--prefer-offline', '--no-audit', '--no-fund'], dir);
    }
  }, 120_000);
  afterAll(() => removeDir(dir));

  it('packs both packages as tarballs', () => {
    // Act + Assess
    expect(readdirSync(dir).filter((file) => file.endsWith('.tgz')).sort()).toEqual(['tap-manifest-0.1.0.tgz', 'tap-validation-0.1.0.tgz']);
  });

  it('installs a working tap-drift bin', () => {
    // Prepare
    const manifest = manifestFor('staging');
    writeJson(join(dir, 'staging.json'), manifest);
    const expected = createHash('sha256').update(canonicalJson(manifest.configuration)).digest('hex');

    // Act
    const output = execFileSync('npx', ['--no-install', 'tap-drift', 'hash', 'staging.json'], { cwd: dir, encoding: 'utf8' });

    // Assess
    expect(output).toBe(`${expected}\n`);
  });

  it('installs a working @tap/validation', () => {
    // Act
    const output = execFileSync(
      process.execPath,
      [
        '-e',
        "const v = require('@tap/validation'); const dev = v.environmentProfile('dev'); const prod = v.environmentProfile('prod'); " +
          "const differ = v.SETTING_PATHS.filter((p) => JSON.stringify(v.settingValue(dev, p)) !== JSON.stringify(v.settingValue(prod, p))); " +
          "console.log(JSON.stringify([v.resourceName('aurora-cluster', 'prod', '001'), v.validateEnvironmentConfig('prod', dev).map((i) => i.path), differ, v.PROFILES.prod.database.instanceCount]))",
      ],
      { cwd: dir, encoding: 'utf8' },
    );

    // Assess: dev's profile is refused for prod, each issue on a setting where the two profiles differ.
    const [name, issues, differ, instances] = JSON.parse(output) as [string, string[], string[], number];
    expect([name, instances]).toEqual(['aurora-cluster-prod-001', 2]);
    expect(issues).toEqual(expect.arrayContaining(['lambda.memoryMb', 'database.instanceCount']));
    expect(issues.filter((path) => !differ.includes(path))).toEqual([]);
  });

  it('installs a working @tap/manifest library without the optional Pulumi peer', () => {
    // Act
    const output = execFileSync(
      process.execPath,
      ['-e', "const m = require('@tap/manifest'); const v = require('@tap/validation'); const x = m.createConfigManifest(v.environmentProfile('dev'), { imageUri: 'img:1', timestamp: '2025-01-01T00:00:00Z' }); console.log(JSON.stringify([m.verifyManifest(JSON.parse(JSON.stringify(x))).configHash === x.configHash, Object.keys(require('./node_modules/@tap/manifest/package.json').bin)]))"],
      { cwd: dir, encoding: 'utf8' },
    );

    // Assess
    expect(JSON.parse(output)).toEqual([true, ['tap-drift']]);
  });
});
