import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

// The build (a dependency of this project's test target) writes these.
const DIST = resolve(__dirname, '..', '..', 'dist');
const BUNDLE = join(DIST, 'rotation-bundle', 'index.js');

describe('the built rotation bundle', () => {
  let isolated: string;

  beforeAll(() => {
    // Copied away from the workspace, so nothing can be resolved from its node_modules.
    isolated = mkdtempSync(join(tmpdir(), 'tap-rotation-bundle-'));
    copyFileSync(BUNDLE, join(isolated, 'index.js'));
  });
  afterAll(() => rmSync(isolated, { recursive: true, force: true }));

  it('loads in a fresh Node process on its own and exports handler', () => {
    // Act
    const script = `
      const m = require('./index.js');
      m.handler({ SecretId: 'arn:x', ClientRequestToken: 't', Step: 'bogus' }).then(
        () => console.log(JSON.stringify({ resolved: true })),
        (e) => console.log(JSON.stringify({ handler: typeof m.handler, factory: typeof m.createRotationHandler, name: e.name, message: e.message })),
      );`;
    const out = execFileSync(process.execPath, ['-e', script], { cwd: isolated, encoding: 'utf8', env: { PATH: process.env.PATH ?? '' }, stdio: ['ignore', 'pipe', 'pipe'] });

    // Assess: the handler ran its input check, so the bundle is complete, not just parseable
    expect(JSON.parse(out.trim())).toEqual({
      handler: 'function',
      factory: 'function',
      name: 'RotationError',
      message: 'rotation event has invalid Step "bogus"; expected one of createSecret, setSecret, testSecret, finishSecret',
    });
  });

  it('needs no package from node_modules to load; only the optional pg-native stays external', () => {
    // Act
    const out = execFileSync(
      process.execPath,
      ['-e', `const Module = require('module'); const seen = new Set(); const load = Module._load;
              Module._load = function (r, ...a) { if (!r.startsWith('node:') && !Module.isBuiltin(r) && !r.startsWith('.') && !r.startsWith('/')) seen.add(r); return load.call(this, r, ...a); };
              require('./index.js'); console.log(JSON.stringify([...seen]));`],
      { cwd: isolated, encoding: 'utf8', env: { PATH: process.env.PATH ?? '' }, stdio: ['ignore', 'pipe', 'pipe'] },
    );

    // Assess: loading requires no package from node_modules; pg would only ask for pg-native if told to use it
    expect(JSON.parse(out.trim())).toEqual([]);
    expect(readFileSync(BUNDLE, 'utf8')).toContain('require("pg-native")');
  });
});

describe('the package tarball', () => {
  it('carries the rotation bundle next to the compiled sources', () => {
    // Act
    const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: resolve(DIST, '..'), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    const files = (JSON.parse(out) as { files: { path: string }[] }[])[0].files.map((f) => f.path);

    // Assess
    expect(files).toEqual(expect.arrayContaining(['dist/rotation-bundle/index.js', 'dist/index.js', 'dist/rotation/index.js', 'dist/rotation/index.d.ts', 'package.json', 'README.md']));
    expect(files.some((f) => f.startsWith('tests/') || f.startsWith('src/') || f.startsWith('scripts/') || (f.endsWith('.ts') && !f.endsWith('.d.ts')))).toBe(false);
    expect(existsSync(BUNDLE)).toBe(true);
  });
});
