import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, delimiter, dirname, join, resolve } from 'node:path';
import { pulumiTargets } from '../../src/pulumi';

// RDS DeleteDBCluster refuses a cluster with deletion protection ("the DB cluster can't be deleted when deletion
// protection is enabled"): `pulumi destroy` of prod would delete everything around the cluster first and then fail.
// The destroy runner refuses up front when the environment's approved baseline says the database is protected.

const WORKSPACE = resolve(__dirname, '..', '..', '..', '..');
const RUNNER = join(WORKSPACE, 'tools', 'nx-plugin', 'bin', 'pulumi-run.mjs');
const created: string[] = [];
afterAll(() => created.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  created.push(dir);
  return dir;
}

/** A stand-in `pulumi` that records its argv and succeeds. */
function standInPulumi(): { bin: string; log: string } {
  const bin = tempDir('pulumi-standin-');
  const log = join(bin, 'calls.jsonl');
  writeFileSync(join(bin, 'pulumi'), `#!${process.execPath}\nrequire('node:fs').appendFileSync(${JSON.stringify(log)}, JSON.stringify(process.argv.slice(2)) + '\\n');\n`);
  chmodSync(join(bin, 'pulumi'), 0o755);
  return { bin, log };
}

/** A Pulumi project with an approved baseline `manifests/<stack>.json` whose database has `deletionProtection`. */
function project(stack: string, deletionProtection: boolean | undefined): string {
  const dir = tempDir('stack-');
  writeFileSync(join(dir, 'Pulumi.yaml'), 'name: p\nruntime: nodejs\n');
  writeFileSync(join(dir, `Pulumi.${stack}.yaml`), 'config: {}\n');
  mkdirSync(join(dir, 'manifests'));
  const database = deletionProtection === undefined ? { instanceCount: 1 } : { instanceCount: 1, deletionProtection };
  writeFileSync(join(dir, 'manifests', `${stack}.json`), JSON.stringify({ environment: stack, configuration: { database } }));
  return dir;
}

function destroy(cwd: string, stack: string, bin: string) {
  const run = spawnSync(process.execPath, [RUNNER, 'destroy', '--yes', '--non-interactive', '--stack', stack], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NX_WORKSPACE_ROOT: cwd, PATH: [bin, dirname(process.execPath), '/usr/bin', '/bin'].join(delimiter) },
  });
  return { code: run.status, stderr: run.stderr };
}

const calls = (log: string): string[][] => (existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n').map((l) => JSON.parse(l)) : []);

describe('nx run <stack>:destroy against a protected database', () => {
  it('refuses when the approved baseline protects the database: exit 1, one line and the two steps, pulumi never called', () => {
    // Prepare
    const { bin, log } = standInPulumi();
    const cwd = project('prod', true);

    // Act
    const run = destroy(cwd, 'prod', bin);

    // Assess
    expect(run.code).toBe(1);
    const [line, ...steps] = run.stderr.trim().split('\n');
    expect(line).toBe(
      `Refusing "pulumi destroy --stack prod": the approved baseline manifests/prod.json has database.deletionProtection true, so RDS would refuse to delete the cluster after everything around it is gone. Two steps:`,
    );
    const name = basename(cwd);
    expect(steps).toEqual([
      `  1. an approved change that lifts it (database.deletionProtection false for prod in packages/validation/src/profiles.ts, CI= npx nx run ${name}:drift-approve --reason="...", reviewed by security), deployed with nx run ${name}:deploy --configuration=prod;`,
      `  2. then nx run ${name}:destroy --configuration=prod (a final snapshot is still taken while database.finalSnapshot is true).`,
    ]);
    expect(calls(log)).toEqual([]);
    const status = JSON.parse(readFileSync(join(cwd, 'dist', 'status', 'destroy-prod.json'), 'utf8'));
    expect(status).toMatchObject({ status: 'error', exitCode: 1 });
  });

  it('runs pulumi destroy when the baseline leaves the database deletable, or has no database protection at all', () => {
    // Prepare
    const { bin, log } = standInPulumi();
    const dev = project('dev', false);
    const older = project('staging', undefined);

    // Act
    const devRun = destroy(dev, 'dev', bin);
    const olderRun = destroy(older, 'staging', bin);

    // Assess
    expect([devRun.code, olderRun.code]).toEqual([0, 0]);
    expect(calls(log).filter((args) => args[0] === 'destroy').map((args) => args.at(-1))).toEqual(['dev', 'staging']);
  });

  it('refuses, in one line, a baseline it cannot read: protection unknown is not protection off', () => {
    // Prepare
    const { bin, log } = standInPulumi();
    const cwd = project('prod', true);
    writeFileSync(join(cwd, 'manifests', 'prod.json'), '{ not json');

    // Act
    const run = destroy(cwd, 'prod', bin);

    // Assess
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/^Refusing "pulumi destroy --stack prod": the approved baseline manifests\/prod\.json cannot be read \(.+\); restore it from git \(git checkout -- manifests\/prod\.json\) and retry\.$/m);
    expect(calls(log)).toEqual([]);
  });
});

describe('nx run tap-stack:destroy (the inferred target) against the committed baselines', () => {
  const app = join(WORKSPACE, 'apps', 'tap-stack');
  const command = (stack: string) => pulumiTargets('apps/tap-stack', WORKSPACE)['destroy'].configurations?.[stack]['command'] as string;

  it('refuses prod (protected in manifests/prod.json) and runs dev and staging', () => {
    // Prepare
    const { bin, log } = standInPulumi();
    const run = (stack: string) =>
      spawnSync('/bin/sh', ['-c', command(stack)], { cwd: app, encoding: 'utf8', env: { ...process.env, PATH: [bin, dirname(process.execPath), '/usr/bin', '/bin'].join(delimiter) } });

    // Act
    const prod = run('prod');
    const dev = run('dev');
    const staging = run('staging');

    // Assess
    expect(prod.status).toBe(1);
    expect(prod.stderr).toMatch(/^Refusing "pulumi destroy --stack prod": the approved baseline manifests\/prod\.json has database\.deletionProtection true/);
    expect(prod.stderr).toContain('nx run tap-stack:deploy --configuration=prod;');
    expect([dev.status, staging.status]).toEqual([0, 0]);
    expect(calls(log).filter((args) => args[0] === 'destroy').map((args) => args.at(-1))).toEqual(['dev', 'staging']);
  });
});
