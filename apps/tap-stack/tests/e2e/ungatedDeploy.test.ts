import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { edit, NODE_PATH, type Call } from '../deployHelper';
import { APP, tempDir } from '../synthHelper';
import { cleanEnv, worktree } from '../workspaceCopy';

/*
 * `nx run tap-stack:deploy --configuration=prod` must never reach `pulumi up` (of either stack) unless the gate passed
 * in that run for that synth. Three ways around the old gate, each run through Nx as a person would type it:
 *   1. plain: `^deploy` ran networking-stack's `pulumi up` before (and whatever) tap-stack's gate said;
 *   2. --excludeTaskDependencies: drift-check and policy are dependencies, so they simply did not run;
 *   3. TAP_DRIFT_BASELINE=<the synth folder>: drift-check compared the synth with itself.
 *
 * The unapproved change is a real source edit, in a copy of this workspace (a worktree of this repository,
 * tests/workspaceCopy.ts: the working tree as it is, node_modules linked): prod's Pulumi.prod.yaml of each stack
 * gets a value nobody approved. Nothing tells the gate where the baselines are (no option, no variable): it reads the
 * committed ones, which no longer match. A copy and not this checkout, because other tests read these files at the same
 * time; beforeAll builds it (the repository's Nx cache serves what the edit leaves as it was).
 * `--skip-preflight` everywhere: offline, the AWS checks could not pass, and the point is what happens when they do.
 * The stand-in pulumi (tests/fixtures/pulumi) answers version and whoami, and records every call with its folder.
 */
const PULUMI_BIN = join(APP, 'tests', 'fixtures', 'pulumi');
describe('nx run tap-stack:deploy --configuration=prod with an unapproved change: no pulumi up, ever', () => {
  let workspace: string;

  function nx(args: string[], env: Record<string, string> = {}) {
    const scenario = tempDir('ungated-scenario');
    const record = join(scenario, 'calls.jsonl');
    const childEnv = cleanEnv({ PATH: [PULUMI_BIN, NODE_PATH].join(delimiter), FAKE_PULUMI_SCENARIO: scenario, FAKE_PULUMI_RECORD: record, ...env });
    if (!('TAP_DRIFT_BASELINE' in env)) delete childEnv['TAP_DRIFT_BASELINE'];
    // Each run's status files are its own: what an earlier run left must not answer for this one.
    for (const project of ['tap-stack', 'networking-stack']) rmSync(join(workspace, 'dist', 'apps', project, 'status'), { recursive: true, force: true });
    const run = spawnSync(process.execPath, [join(workspace, 'node_modules', 'nx', 'dist', 'bin', 'nx.js'), ...args], {
      cwd: workspace,
      encoding: 'utf8',
      env: childEnv,
      maxBuffer: 64 * 1024 * 1024,
    });
    const calls: Call[] = existsSync(record) ? readFileSync(record, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Call) : [];
    return { code: run.status, output: `${run.stdout}${run.stderr}`, calls };
  }

  const status = (project: string, name: string) => {
    const file = join(workspace, 'dist', 'apps', project, 'status', `${name}.json`);
    return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { status: string; message: string }) : undefined;
  };
  const ups = (calls: Call[]) => calls.filter((call) => call.argv.includes('up'));
  const stackDir = (project: string) => join(workspace, 'apps', project);

  beforeAll(() => {
    // Prepare: the copy, then the unapproved change to prod of both stacks, then one build (later runs hit its cache).
    workspace = worktree('ungated', 'folder');
    edit(join(workspace, 'apps', 'tap-stack', 'Pulumi.prod.yaml'), 'TapStack:latencyThresholdMs: "2000"', 'TapStack:latencyThresholdMs: "1500"');
    edit(join(workspace, 'apps', 'networking-stack', 'Pulumi.prod.yaml'), 'networking-stack:natGateways: "3"', 'networking-stack:natGateways: "1"');
    const build = nx(['run-many', '-t', 'build', '-p', 'tap-stack', 'networking-stack', 'policy', 'manifest']);
    expect({ code: build.code, output: build.code === 0 ? '' : build.output.slice(-2000) }).toEqual({ code: 0, output: '' });
  }, 900_000);

  it('with its dependencies: neither stack is deployed (networking-stack:deploy is gated too)', () => {
    // Act
    const run = nx(['run', 'tap-stack:deploy', '--configuration=prod', '--skip-preflight']);

    // Assess
    expect(ups(run.calls)).toEqual([]);
    expect(run.code).not.toBe(0);
    expect(run.output).toMatch(/^tap-deploy: refusing pulumi up of networking-stack prod: [^\n]+$/m);
    expect(status('networking-stack', 'deploy-prod')).toMatchObject({ status: 'error', message: expect.stringMatching(/^refusing pulumi up of networking-stack prod: [^\n]+$/) });
    expect(status('tap-stack', 'deploy-prod')?.status ?? 'never started').not.toBe('ok');
  }, 900_000);

  it('with --excludeTaskDependencies: the runner runs the gate itself and refuses', () => {
    // Act
    const run = nx(['run', 'tap-stack:deploy', '--configuration=prod', '--skip-preflight', '--excludeTaskDependencies']);

    // Assess
    expect(ups(run.calls)).toEqual([]);
    expect(run.calls.filter((call) => call.cwd === stackDir('networking-stack'))).toEqual([]);
    expect(run.code).not.toBe(0);
    expect(run.output).toMatch(/^tap-deploy: refusing pulumi up of tap-stack prod: [^\n]*apps\/tap-stack\/manifests\/prod\.json[^\n]*$/m);
    expect(status('tap-stack', 'deploy-prod')).toMatchObject({ status: 'error', message: expect.stringMatching(/^refusing pulumi up of tap-stack prod: [^\n]+$/) });
  }, 900_000);

  it('with TAP_DRIFT_BASELINE=<the synth folder>: the runner ignores it and compares with the committed baselines', () => {
    // Prepare: what drift-check synthesizes into, offered as "the approved baselines".
    const synthDir = join(workspace, 'dist', 'apps', 'tap-stack', 'drift-check', 'synth');

    // Act
    const run = nx(['run', 'tap-stack:deploy', '--configuration=prod', '--skip-preflight'], { TAP_DRIFT_BASELINE: synthDir });

    // Assess: whether drift-check honours the variable or not, nothing is deployed; the tap-stack runner, when it runs,
    // refuses on its own.
    expect(ups(run.calls)).toEqual([]);
    expect(run.code).not.toBe(0);
    expect(run.output).toMatch(/^tap-deploy: refusing pulumi up of networking-stack prod: [^\n]+$/m);
    const tap = status('tap-stack', 'deploy-prod') ?? { status: 'never started', message: 'refusing pulumi up of tap-stack prod: its dependencies failed' };
    expect(tap).toMatchObject({ status: expect.stringMatching(/^(error|never started)$/), message: expect.stringMatching(/^refusing pulumi up of tap-stack prod: [^\n]+$/) });
  }, 900_000);
});
