import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/*
 * What another team does: `npm pack` the packages (each package folder with its build in dist/), install the tarballs (and the Pulumi peers) into an
 * empty project outside the workspace, compile a strict TypeScript stack importing `@tap/components` against the
 * published .d.ts files, and run it under the published mocks (`@tap/components/testing`). Nothing resolves into the workspace.
 * Third-party packages come from the npm cache that `npm ci` filled.
 */
const WORKSPACE = resolve(__dirname, '..', '..', '..', '..');
const PACKAGES = ['validation', 'blocks', 'networking', 'secrets', 'database', 'lambda', 'monitoring', 'components'];
const FIXTURE = join(__dirname, '..', 'fixtures', 'consumer');

const peerVersion = (name: string): string => require(join(WORKSPACE, 'node_modules', name, 'package.json')).version as string;

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

describe('the published @tap/components in a consumer project', () => {
  let dir: string;
  let compile: Run;
  const run = (...args: string[]): Run => {
    const result = spawnSync(process.execPath, ['out/main.js', ...args], { cwd: dir, encoding: 'utf8', timeout: 60_000 });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
  };
  const npm = (args: string[]): void => {
    execFileSync('npm', args, { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 240_000 });
  };

  beforeAll(() => {
    // Prepare: tarballs, a fresh project, the peers at the workspace's versions, TypeScript.
    dir = mkdtempSync(join(tmpdir(), 'tap-consumer-'));
    // One npm for all eight: each npm start costs about a second of CPU.
    npm(['pack', ...PACKAGES.map((name) => join(WORKSPACE, 'packages', name)), '--pack-destination', dir, '--silent']);
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'consumer-stack', version: '1.0.0', private: true }));
    const tarballs = readdirSync(dir).filter((f) => f.endsWith('.tgz')).map((f) => `./${f}`);
    const peers = ['@pulumi/pulumi', '@pulumi/aws', '@pulumi/docker', 'typescript', '@types/node'].map((p) => `${p}@${peerVersion(p)}`);
    npm(['install', ...tarballs, ...peers, '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts']);
    for (const file of readdirSync(FIXTURE)) copyFileSync(join(FIXTURE, file), join(dir, file));
    mkdirSync(join(dir, 'image'));
    writeFileSync(join(dir, 'image', 'Dockerfile'), 'FROM public.ecr.aws/lambda/nodejs:22\n');
    // Act (shared): strict compile against the published declarations, library checks on.
    const tsc = spawnSync(process.execPath, [join(dir, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'], {
      cwd: dir,
      encoding: 'utf8',
      // Library checks read all of @pulumi/aws's declarations: slow on a busy 2-core machine.
      timeout: 480_000,
    });
    compile = { status: tsc.status, stdout: tsc.stdout, stderr: tsc.stderr };
  }, 900_000);

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('installs every package from its tarball, not from the workspace', () => {
    // Assess
    expect(readdirSync(dir).filter((f) => f.endsWith('.tgz')).sort()).toEqual(PACKAGES.map((p) => `tap-${p}-0.1.0.tgz`).sort());
    for (const name of PACKAGES) {
      const installed = realpathSync(join(dir, 'node_modules', '@tap', name));
      expect(installed.startsWith(realpathSync(dir))).toBe(true);
      // The build, not the TypeScript sources or the tests.
      expect(existsSync(join(installed, 'dist', 'index.js'))).toBe(true);
      expect(existsSync(join(installed, 'dist', 'index.d.ts'))).toBe(true);
      expect(readdirSync(installed).filter((f) => f !== 'node_modules').sort()).toEqual(['README.md', 'dist', 'package.json']);
    }
  });

  it('compiles a strict stack against the published type declarations', () => {
    // Assess
    expect(compile.stdout + compile.stderr).toBe('');
    expect(compile.status).toBe(0);
  });

  it.each([
    ['dev', '007'],
    ['prod', 'blue-2'],
  ])('runs the %s stack under mocks: names follow {type}-{environment}-{suffix}, rotation code ships in the package', (environment, suffix) => {
    // Act
    const result = run(environment, suffix, 'image');
    // Assess
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const report = JSON.parse(result.stdout) as {
      outputs: string[];
      types: string[];
      physicalNames: string[];
      rotationCodePath: string;
    };
    const [functionName, secretName, rotationFunctionName] = report.outputs;
    expect(functionName).toBe(`payment-processor-${environment}-${suffix}`);
    expect(secretName).toBe(`${environment}-db-credentials-${suffix}`);
    expect(rotationFunctionName).toBe(`db-rotation-${environment}-${suffix}`);
    expect(report.types).toEqual(
      expect.arrayContaining([
        'tap:networking:NetworkingStack',
        'tap:database:DatabaseComponent',
        'tap:secrets:SecretsComponent',
        'tap:lambda:LambdaComponent',
        'tap:monitoring:MonitoringComponent',
        'aws:secretsmanager/secretRotation:SecretRotation',
      ]),
    );
    // Names that are not paths (log groups) or references carry the environment and the suffix; the secret's
    // name is the one the issue fixes differently, asserted above.
    const plain = report.physicalNames.filter((n) => !n.includes('/') && n !== secretName);
    expect(plain.length).toBeGreaterThan(10);
    for (const name of plain) expect(name).toMatch(new RegExp(`(^|-)${environment}-${suffix}$`));
    // The default rotation code is the bundle inside the installed @tap/secrets.
    expect(realpathSync(report.rotationCodePath)).toBe(realpathSync(join(dir, 'node_modules', '@tap', 'secrets', 'dist', 'rotation-bundle')));
    expect(existsSync(join(report.rotationCodePath, 'index.js'))).toBe(true);
  });

  it.each([
    ['qa', '001', 'consumer stack failed: environment "qa" must be one of dev, staging, prod\n'],
    ['dev', 'BAD', 'consumer stack failed: environment suffix "BAD" must be lowercase letters, digits and single hyphens (e.g. "001")\n'],
  ])('rejects environment %s / suffix %s with one line from the published validation', (environment, suffix, line) => {
    // Act
    const result = run(environment, suffix, 'image');
    // Assess
    expect(result.status).toBe(1);
    expect(result.stderr).toBe(line);
    expect(result.stdout).toBe('');
  });
});
