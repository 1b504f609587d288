import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { deployCreatesNetworkingFirst } from '../../src/preflight';
import { committedInventory, unchangedPlan } from '../planHelper';
import { APP, ROOT, tempDir } from '../synthHelper';
import { checkoutBuilds, cleanEnv, worktree } from '../workspaceCopy';

/*
 * The tap-stack targets through Nx itself, as automation runs them (`nx run ...` with NX_DAEMON=false), because what
 * Nx does around a command (exit codes, configurations, dependencies) is the point. Nx is slow to start, so these are
 * few. The drift and drift-check runs use --exclude-task-dependencies: their only dependencies are builds (`build`,
 * and `policy:build` for drift-check), which this test target's own dependsOn has just run, so rebuilding them here
 * would test nothing. The deploy runs keep theirs: they ARE the gate under test.
 *
 * All of it in a worktree of this repository (tests/workspaceCopy.ts), never in this checkout: Nx without its daemon
 * copies every cached output back into place, so a run here would rewrite the builds that other tests are loading, and
 * these tests clear the status folder that others read.
 */
let workspace: string;
let STATUS: string;
let buildsBefore: Record<string, string>;
const NX = join(ROOT, 'node_modules', 'nx', 'dist', 'bin', 'nx.js');
const NODE_ONLY_PATH = [dirname(process.execPath), '/usr/bin', '/bin'].join(delimiter);

interface NxRun {
  code: number | null;
  output: string;
}

function nx(args: string[], env: Record<string, string> = {}): NxRun {
  const run = spawnSync(process.execPath, [NX, ...args], { cwd: workspace, encoding: 'utf8', env: cleanEnv(env), maxBuffer: 64 * 1024 * 1024 });
  return { code: run.status, output: `${run.stdout}${run.stderr}` };
}

beforeAll(() => {
  buildsBefore = checkoutBuilds();
  // Prepare: the copy, and the builds the runs with --exclude-task-dependencies start from (the repository's Nx cache
  // serves them).
  workspace = worktree('nx-targets', 'packages');
  STATUS = join(workspace, 'dist', 'apps', 'tap-stack', 'status');
  const build = nx(['run-many', '-t', 'build', '-p', 'tap-stack', 'policy']);
  expect({ code: build.code, output: build.code === 0 ? '' : build.output.slice(-2000) }).toEqual({ code: 0, output: '' });
}, 600_000);

const status = (name: string) => {
  const file = join(STATUS, `${name}.json`);
  return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : undefined;
};

describe('tap-stack targets as Nx resolves them', () => {
  it('runs both deploys through the gated runner (the gate in the same process as pulumi up), after the Nx gate targets', () => {
    // Act
    const tap = JSON.parse(nx(['show', 'project', 'tap-stack', '--json']).output.replace(/^[^{]*/, ''));
    const net = JSON.parse(nx(['show', 'project', 'networking-stack', '--json']).output.replace(/^[^{]*/, ''));
    // Assess
    expect(tap.targets.deploy.dependsOn).toEqual(['^build', 'build', { projects: ['policy'], target: 'build' }, '^deploy', 'drift-check', 'policy', { target: 'preflight', params: 'forward' }]);
    expect(tap.targets.deploy.options).toMatchObject({ cwd: '.', command: 'node dist/apps/tap-stack/tap-deploy.js deploy --project tap-stack' });
    expect(Object.keys(tap.targets.deploy.configurations).sort()).toEqual(['dev', 'prod', 'staging']);
    expect(tap.targets.deploy.configurations.prod.command).toBe('node dist/apps/tap-stack/tap-deploy.js deploy --project tap-stack --environment prod');
    // The gate's policy run covers the deployed environment (deploy --configuration=prod -> policy:prod -> synth:prod).
    expect(tap.targets.policy.configurations.prod.command).toContain('dist/apps/tap-stack/synth/prod/resources.json');
    expect(tap.targets.policy.configurations.prod.command).not.toContain('/dev/');
    // networking-stack: its own gate, in the same runner; no command of either deploy reaches pulumi-run.mjs (which refuses `up`).
    expect(net.targets.deploy.dependsOn).toEqual(expect.arrayContaining(['^build', 'build', { projects: ['tap-stack'], target: 'build' }, { projects: ['policy'], target: 'build' }]));
    expect(net.targets.deploy.configurations.prod.command).toBe('node dist/apps/tap-stack/tap-deploy.js deploy --project networking-stack --environment prod');
    for (const target of [tap.targets.deploy, net.targets.deploy]) {
      expect([target.options.command, ...Object.values(target.configurations as Record<string, { command: string }>).map((c) => c.command)].join('\n')).not.toContain('pulumi-run.mjs');
    }
  }, 120_000);

  it.each(['synth', 'drift', 'deploy'])('fails %s --configuration=qa before running anything, listing the valid ones', (target) => {
    // Prepare
    rmSync(join(STATUS, `${target}.json`), { force: true });
    // Act
    const run = nx(['run', `tap-stack:${target}`, '--configuration=qa'], { PATH: NODE_ONLY_PATH });
    // Assess
    expect(run.code).not.toBe(0);
    expect(run.output).toMatch(new RegExp(`unknown configuration "qa" for tap-stack:${target}: use --configuration=(dev\\|staging\\|prod|dev\\|prod\\|staging), or none for the default`));
    // Without the guard Nx would have run the default options (every environment, or pulumi without a stack).
    expect(status(target)).toBeUndefined();
  }, 120_000);
});

describe('the first deploy: networking-stack before the tap-stack, preflight before either', () => {
  /** Every task `task` waits for, directly or through others. */
  const reach = (deps: Record<string, string[]>, task: string): Set<string> => {
    const seen = new Set<string>();
    const walk = (id: string) => (deps[id] ?? []).forEach((dep) => !seen.has(dep) && (seen.add(dep), walk(dep)));
    walk(task);
    return seen;
  };

  it('orders nx run tap-stack:deploy --configuration=prod as preflight assumes: networking-stack:deploy first, preflight beside it', () => {
    // Prepare
    const file = join(tempDir('deploy-graph'), 'graph.json');

    // Act: --graph=<file> writes the task graph and runs nothing.
    const run = nx(['run', 'tap-stack:deploy', '--configuration=prod', `--graph=${file}`]);
    const deps = (JSON.parse(readFileSync(file, 'utf8')) as { tasks: { dependencies: Record<string, string[]> } }).tasks.dependencies;

    // Assess: the tap-stack's deploy waits for networking-stack's deploy and for preflight...
    expect(run.code).toBe(0);
    expect(deps['tap-stack:deploy']).toEqual(expect.arrayContaining(['networking-stack:deploy', 'tap-stack:preflight']));
    // ...but preflight does not wait for networking-stack's deploy: it checks the account before anything is created,
    // so on an empty account the networking stack it reads does not exist yet, by plan.
    expect(reach(deps, 'tap-stack:preflight').has('networking-stack:deploy')).toBe(false);
    expect(reach(deps, 'networking-stack:deploy').has('tap-stack:preflight')).toBe(false);
    // Preflight reads that plan from the same project files, and says "will be created by networking-stack".
    expect(deployCreatesNetworkingFirst(workspace, 'apps/tap-stack', 'prod')).toBe(true);
  }, 120_000);

  it('knows a networking stack is missing by plan only while the deploy really deploys networking-stack first', () => {
    // Prepare: copies of the two project files, one without ^deploy, one without the environment.
    const root = tempDir('deploy-plan');
    for (const project of ['apps/tap-stack', 'apps/networking-stack']) {
      mkdirSync(join(root, project), { recursive: true });
      cpSync(join(ROOT, project, 'project.json'), join(root, project, 'project.json'));
    }
    const tapFile = join(root, 'apps/tap-stack/project.json');
    const tap = JSON.parse(readFileSync(tapFile, 'utf8'));

    // Act
    const asShipped = deployCreatesNetworkingFirst(root, 'apps/tap-stack', 'staging');
    const unknownEnvironment = deployCreatesNetworkingFirst(root, 'apps/tap-stack', 'qa');
    tap.targets.deploy.dependsOn = tap.targets.deploy.dependsOn.filter((dep: unknown) => dep !== '^deploy');
    writeFileSync(tapFile, JSON.stringify(tap));
    const withoutNetworkingDeploy = deployCreatesNetworkingFirst(root, 'apps/tap-stack', 'staging');

    // Assess
    expect([asShipped, unknownEnvironment, withoutNetworkingDeploy]).toEqual([true, false, false]);
  });
});

describe('the nightly job: npx nx run tap-stack:drift --configuration=dev, then the status file', () => {
  it('tells a missing Pulumi CLI (error) from live drift (drift), though Nx exits 1 for both', () => {
    // Prepare: the stand-in pulumi replays console drift (refresh exit 7); the deployed stack has no configManifest.
    const scenario = tempDir('nightly-scenario');
    writeFileSync(join(scenario, 'refresh.json'), readFileSync(join(APP, 'tests', 'fixtures', 'refresh', 'drift.json')));
    writeFileSync(join(scenario, 'refresh.exit'), '7');
    const args = ['run', 'tap-stack:drift', '--configuration=dev', '--exclude-task-dependencies'];
    // Act: as the nightly job does, clear the status folder first, run, read the status.
    rmSync(STATUS, { recursive: true, force: true });
    const missing = nx(args, { PATH: NODE_ONLY_PATH });
    const missingStatus = status('drift-dev');
    rmSync(STATUS, { recursive: true, force: true });
    const drift = nx(args, { PATH: [join(APP, 'tests', 'fixtures', 'pulumi'), NODE_ONLY_PATH].join(delimiter), FAKE_PULUMI_SCENARIO: scenario });
    const driftStatus = status('drift-dev');
    // Assess
    expect([missing.code, drift.code]).toEqual([1, 1]);
    expect(missingStatus).toMatchObject({ target: 'drift', configuration: 'dev', status: 'error', exitCode: 2 });
    expect(missingStatus.message).toContain('the Pulumi CLI was not found');
    expect(driftStatus).toMatchObject({ target: 'drift', configuration: 'dev', status: 'drift', exitCode: 1 });
    expect(drift.output).not.toMatch(/^\s+at /m);
  }, 300_000);

  it('runs drift-check --format=json through Nx: JSON, no stack trace, a final status', () => {
    // Act
    rmSync(STATUS, { recursive: true, force: true });
    const run = nx(['run', 'tap-stack:drift-check', '--format=json', '--exclude-task-dependencies']);
    // Assess
    expect(run.output).not.toMatch(/^\s+at /m);
    expect(run.output).toMatch(/"status": "(in-sync|drift|error)"/);
    expect(['in-sync', 'drift', 'error']).toContain(status('drift-check').status);
  }, 300_000);
});

describe('nx run tap-stack:deploy --configuration=prod: the gate', () => {
  it('builds, passes both gates against the committed baselines, deploys networking-stack prod first, then tap-stack prod', () => {
    // Prepare: the code as committed is approved (apps/*/manifests), so both gates pass; the stand-in pulumi saves the
    // plan of a deploy that changes nothing, each stack its own, and its refresh preview finds the cloud as the state
    // has it (the JSON digest without a step: pulumi/pulumi pkg/backend/display/json.go). The account checks
    // (preflight) need AWS credentials this test has not: --skip-preflight bypasses them with a warning.
    const scenario = tempDir('deploy-scenario');
    const record = join(scenario, 'calls.jsonl');
    for (const project of ['networking-stack', 'tap-stack']) {
      writeFileSync(join(scenario, `${project}.prod.plan.json`), JSON.stringify(unchangedPlan(committedInventory(project, 'prod'))));
    }
    writeFileSync(join(scenario, 'refresh.json'), JSON.stringify({ steps: [], changeSummary: {} }));
    rmSync(STATUS, { recursive: true, force: true });

    // Act
    const run = nx(['run', 'tap-stack:deploy', '--configuration=prod', '--skip-preflight'], {
      PATH: [join(APP, 'tests', 'fixtures', 'pulumi'), NODE_ONLY_PATH].join(delimiter),
      FAKE_PULUMI_SCENARIO: scenario,
      FAKE_PULUMI_RECORD: record,
    });

    // Assess
    // On failure the output's tail shows in the diff (an `expect.any(String)` would hide it).
    expect({ code: run.code, output: run.code === 0 ? '' : run.output.slice(-3000) }).toEqual({ code: 0, output: '' });
    const calls = readFileSync(record, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { argv: string[]; cwd: string });
    const ups = calls.filter((c) => c.argv[0] === 'up');
    expect(ups.map((c) => [c.cwd, c.argv.slice(-2).join(' ')])).toEqual([
      [join(workspace, 'apps', 'networking-stack'), '--stack prod'],
      [join(workspace, 'apps', 'tap-stack'), '--stack prod'],
    ]);
    // Each `up` came after its own gate, which says so with the synth it checked.
    expect(run.output).toMatch(/tap-deploy: the gate passed for networking-stack prod \(synth sha256 [0-9a-f]{64}\)/);
    expect(run.output).toMatch(/tap-deploy: the gate passed for tap-stack prod \(synth sha256 [0-9a-f]{64}\)/);
    expect(status('deploy-prod')).toMatchObject({ status: 'ok', exitCode: 0 });
    // The flag reached preflight (a warning) and never Pulumi.
    expect(run.output).toContain('WARNING: preflight skipped (--skip-preflight)');
    expect(ups.flatMap((c) => c.argv)).not.toContain('--skip-preflight');
  }, 600_000);

  it('never runs pulumi up for tap-stack when the drift check fails', () => {
    // Prepare: a stand-in pulumi that records every call; a drift check that cannot pass (a broken approval rules
    // file in the copy: an error of the gate). No environment variable moves the baselines or the rules it judges by.
    const bin = tempDir('deploy-pulumi');
    const log = join(bin, 'calls.jsonl');
    writeFileSync(
      join(bin, 'pulumi'),
      `#!${process.execPath}\nrequire('fs').appendFileSync(${JSON.stringify(log)}, JSON.stringify({ args: process.argv.slice(2), cwd: process.cwd() }) + '\\n');\n`,
    );
    chmodSync(join(bin, 'pulumi'), 0o755);
    const rules = join(workspace, 'apps', 'tap-stack', 'approval-rules.json');
    const committedRules = readFileSync(rules, 'utf8');
    writeFileSync(rules, JSON.stringify({ version: 1, groups: {}, rules: [] }));
    rmSync(STATUS, { recursive: true, force: true });
    // Act
    const run = (() => {
      try {
        return nx(['run', 'tap-stack:deploy', '--configuration=prod'], { PATH: [bin, NODE_ONLY_PATH].join(delimiter) });
      } finally {
        writeFileSync(rules, committedRules);
      }
    })();
    // Assess
    const calls = existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { args: string[]; cwd: string }) : [];
    expect(run.code).not.toBe(0);
    expect(calls.filter((c) => c.cwd === join(workspace, 'apps', 'tap-stack'))).toEqual([]);
    expect(status('drift-check')).toMatchObject({ status: 'error', exitCode: 2 });
    expect(status('deploy-prod')).toBeUndefined();
  }, 600_000);
});

describe('this checkout, after the runs above', () => {
  it("still has the very builds it had: every run resolved its dependencies' builds in the copy, none here", () => {
    // Assess (runs last: Jest runs a file's tests in order)
    expect(checkoutBuilds()).toEqual(buildsBefore);
  });
});
