import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { pulumiStacks, pulumiTargets } from '../../src/pulumi';

const WORKSPACE = resolve(__dirname, '..', '..', '..', '..');
const created: string[] = [];
afterAll(() => created.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  created.push(dir);
  return dir;
}

/** A stand-in `pulumi` on PATH that records argv and cwd; `whoami` fails when PULUMI_STANDIN_LOGGED_OUT is set. */
function standInPulumi(): { bin: string; log: string } {
  const bin = tempDir('pulumi-standin-');
  const log = join(bin, 'calls.jsonl');
  const script = join(bin, 'pulumi');
  writeFileSync(
    script,
    `#!${process.execPath}
const fs = require('node:fs');
const args = process.argv.slice(2);
fs.appendFileSync(${JSON.stringify(log)}, JSON.stringify({ args, cwd: process.cwd() }) + '\\n');
if (args[0] === 'whoami' && process.env.PULUMI_STANDIN_LOGGED_OUT) { console.error('error: not logged in'); process.exit(255); }
if (args[0] === 'version' || args[0] === 'whoami') process.exit(0);
process.exit(Number(process.env.PULUMI_STANDIN_EXIT ?? 0));
`,
  );
  chmodSync(script, 0o755);
  return { bin, log };
}

function calls(log: string): { args: string[]; cwd: string }[] {
  return readFileSync(log, 'utf8').trim().split('\n').map((line) => JSON.parse(line));
}

/** PATH with only node's folder and, optionally, the stand-in: no real pulumi can be found. */
function pathWith(bin?: string): string {
  return [bin, dirname(process.execPath), '/usr/bin', '/bin'].filter(Boolean).join(delimiter);
}

function runCommand(command: string, cwd: string, env: Record<string, string>) {
  const run = spawnSync('/bin/sh', ['-c', command], { cwd, encoding: 'utf8', env: { ...process.env, ...env } });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe('pulumiTargets', () => {
  it('infers the four Pulumi targets with one configuration per Pulumi.<stack>.yaml for tap-stack', () => {
    // Act
    const targets = pulumiTargets('apps/tap-stack', WORKSPACE);
    // Assess
    // No inferred drift target: tap-stack's project.json `drift` (tap-drift live) is the only one.
    expect(Object.keys(targets).sort()).toEqual(['deploy', 'destroy', 'preview', 'refresh']);
    for (const target of Object.values(targets)) {
      expect(Object.keys(target.configurations ?? {}).sort()).toEqual(['dev', 'prod', 'staging']);
      expect(target.cache).toBe(false);
      expect(target.options.cwd).toBe('apps/tap-stack');
    }
    expect(targets['deploy'].configurations?.['prod']['command']).toMatch(
      /^node \.\.\/\.\.\/tools\/nx-plugin\/bin\/pulumi-run\.mjs up --yes --non-interactive --skip-preview( --policy-pack \.\.\/\.\.\/tools\/policy-pack)? --stack prod$/,
    );
    expect(targets['refresh'].configurations?.['dev']['command']).toContain('refresh --yes --non-interactive --stack dev');
    // deploy builds first and deploys the stacks it references first; destroy never cascades upstream.
    expect(targets['deploy'].dependsOn).toEqual(['^build', 'build', '^deploy']);
    expect(targets['destroy'].dependsOn).not.toContain('^destroy');
  });

  it('passes a policy pack to preview and deploy only, and only when it exists', () => {
    // Prepare
    const ws = tempDir('ws-');
    mkdirSync(join(ws, 'apps', 'a'), { recursive: true });
    writeFileSync(join(ws, 'apps', 'a', 'Pulumi.yaml'), 'name: a\nruntime: nodejs\n');
    writeFileSync(join(ws, 'apps', 'a', 'Pulumi.qa.yaml'), 'config: {}\n');
    // Act
    const without = pulumiTargets('apps/a', ws);
    mkdirSync(join(ws, 'tools', 'policy-pack'), { recursive: true });
    writeFileSync(join(ws, 'tools', 'policy-pack', 'PulumiPolicy.yaml'), 'runtime: nodejs\n');
    const withPack = pulumiTargets('apps/a', ws);
    // Assess
    expect(without['deploy'].configurations?.['qa']['command']).not.toContain('--policy-pack');
    expect(withPack['deploy'].configurations?.['qa']['command']).toContain('--policy-pack ../../tools/policy-pack --stack qa');
    expect(withPack['preview'].configurations?.['qa']['command']).toContain('--policy-pack ../../tools/policy-pack');
    expect(withPack['refresh'].configurations?.['qa']['command']).not.toContain('--policy-pack');
    // No project.json build target: only upstream builds.
    expect(withPack['preview'].dependsOn).toEqual(['^build']);
  });

  it('infers nothing for a project without Pulumi.yaml, and lists stacks in order', () => {
    // Act / Assess
    expect(pulumiTargets('packages/validation', WORKSPACE)).toEqual({});
    expect(pulumiStacks(join(WORKSPACE, 'apps', 'networking-stack'))).toEqual(['dev', 'prod', 'staging']);
  });
});

describe('the inferred deploy command against a stand-in pulumi', () => {
  const cwd = join(WORKSPACE, 'apps', 'tap-stack');
  const command = (target: string, stack: string) =>
    pulumiTargets('apps/tap-stack', WORKSPACE)[target].configurations?.[stack]['command'] as string;

  it('refuses `pulumi up` in one line, exit 5, without calling pulumi: a deploy goes through a gated runner', () => {
    // Prepare
    const { bin, log } = standInPulumi();
    // Act
    const run = runCommand(command('deploy', 'prod'), cwd, { PATH: pathWith(bin) });
    // Assess
    expect(run.code).toBe(5);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toContain(`Refusing "pulumi up" in ${cwd}: this wrapper runs no ungated deploy`);
    expect(() => calls(log)).toThrow();
  });

  it('runs preview with --stack dev and passes pulumi\'s exit code through', () => {
    // Prepare
    const { bin, log } = standInPulumi();
    // Act
    const run = runCommand(command('preview', 'dev'), cwd, { PATH: pathWith(bin), PULUMI_STANDIN_EXIT: '7' });
    // Assess
    expect(run.code).toBe(7);
    const [, , preview] = calls(log);
    expect(preview.args).toEqual(expect.arrayContaining(['preview', '--non-interactive', '--diff', '--stack', 'dev']));
    expect(preview.cwd).toBe(cwd);
  });

  it('drops --skip-preflight (meant for the preflight dependency, forwarded by Nx to every command of a target)', () => {
    // Prepare
    const { bin, log } = standInPulumi();
    // Act
    const run = runCommand(`${command('preview', 'prod')} --skip-preflight`, cwd, { PATH: pathWith(bin) });
    // Assess
    expect(run.code).toBe(0);
    const preview = calls(log).find((c) => c.args[0] === 'preview');
    expect(preview?.args).not.toContain('--skip-preflight');
    expect(preview?.args.slice(-2)).toEqual(['--stack', 'prod']);
  });

  it('fails with one sentence and exit 3 when the Pulumi CLI is missing', () => {
    // Act
    const run = runCommand(command('preview', 'prod'), cwd, { PATH: pathWith() });
    // Assess
    expect(run.code).toBe(3);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toContain('The Pulumi CLI is not installed or not on PATH: install it');
  });

  it('fails with one sentence and exit 4 when nobody is logged in, without running refresh', () => {
    // Prepare
    const { bin, log } = standInPulumi();
    // Act
    const run = runCommand(command('refresh', 'staging'), cwd, { PATH: pathWith(bin), PULUMI_STANDIN_LOGGED_OUT: '1' });
    // Assess
    expect(run.code).toBe(4);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toContain('Pulumi is not logged in to a backend: run "pulumi login"');
    expect(calls(log).map((c) => c.args[0])).toEqual(['version', 'whoami']);
  });

  it('refuses to run without a stack (no --configuration), exit 2, naming the choices', () => {
    // Prepare
    const { bin, log } = standInPulumi();
    const bare = pulumiTargets('apps/tap-stack', WORKSPACE)['preview'].options.command as string;
    // Act
    const run = runCommand(bare, cwd, { PATH: pathWith(bin) });
    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('add --configuration=<dev|prod|staging> to the nx command');
    expect(() => calls(log)).toThrow();
  });
});

describe('status files of the Pulumi targets', () => {
  const cwd = join(WORKSPACE, 'apps', 'tap-stack');
  const command = (target: string, stack: string) =>
    pulumiTargets('apps/tap-stack', WORKSPACE)[target].configurations?.[stack]['command'] as string;
  const status = (name: string) => JSON.parse(readFileSync(join(WORKSPACE, 'dist', 'apps', 'tap-stack', 'status', `${name}.json`), 'utf8'));

  it('says error with the reason when the CLI is missing, ok when pulumi succeeds, whatever exit code Nx reports', () => {
    // Prepare
    const { bin } = standInPulumi();
    // Act
    // Inside another Nx task (this test), the inherited NX_TASK_TARGET_TARGET must not rename the file.
    const missing = runCommand(command('preview', 'prod'), cwd, { PATH: pathWith(), NX_TASK_TARGET_TARGET: 'test' });
    const missingStatus = status('preview-prod');
    const ok = runCommand(command('preview', 'dev'), cwd, { PATH: pathWith(bin) });
    const failed = runCommand(command('refresh', 'staging'), cwd, { PATH: pathWith(bin), PULUMI_STANDIN_EXIT: '255' });
    // Assess
    expect(missing.code).toBe(3);
    expect(missingStatus).toMatchObject({ project: 'tap-stack', target: 'preview', configuration: 'prod', status: 'error', exitCode: 3 });
    expect(missingStatus.message).toMatch(/^The Pulumi CLI is not installed or not on PATH/);
    expect(ok.code).toBe(0);
    expect(status('preview-dev')).toMatchObject({ target: 'preview', status: 'ok', exitCode: 0 });
    expect(failed.code).toBe(255);
    expect(status('refresh-staging')).toMatchObject({ target: 'refresh', status: 'error', exitCode: 255 });
  });
});
