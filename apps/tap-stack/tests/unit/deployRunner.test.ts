import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { editableWorkspace, edit, NODE_PATH, planScenario, runner, summaryOf } from '../deployHelper';
import { committedInventory, firstDeployPlan } from '../planHelper';
import { ROOT, tempDir } from '../synthHelper';

/*
 * The gated deploy runner (dist/apps/tap-stack/tap-deploy.js) run directly, fast, on the committed code and baselines
 * (which are in sync: `nx run tap-stack:drift-check` passes on main). The networking stack is used where a run writes
 * a status file, so these runs leave tap-stack's deploy status alone.
 * tests/e2e/ungatedDeploy.test.ts covers the refusals through Nx.
 */
const NET = join(ROOT, 'apps', 'networking-stack');
const netStatus = (name: string) => JSON.parse(readFileSync(join(ROOT, 'dist', 'apps', 'networking-stack', 'status', `${name}.json`), 'utf8'));

describe('tap-deploy.js (the gated deploy runner)', () => {
  it('deploys networking-stack dev only after its gate: synth, policies, inventory, then version, whoami, preview, up --plan in its folder', () => {
    // Act
    const plan = firstDeployPlan(committedInventory('networking-stack', 'dev'));
    const run = runner(['deploy', '--project', 'networking-stack', '--environment', 'dev', '--skip-preflight'], {}, ROOT, planScenario(plan));

    // Assess
    expect(run.code).toBe(0);
    expect(run.calls.map((c) => c.argv[0])).toEqual(['version', 'whoami', 'preview', 'up']);
    const saved = join(ROOT, 'dist', 'apps', 'networking-stack', 'deploy', 'dev', 'update-plan.json');
    expect(run.calls[2]).toEqual({ argv: ['preview', '--non-interactive', '--save-plan', saved, '--policy-pack', '../../tools/policy-pack', '--stack', 'dev'], cwd: NET });
    expect(run.calls[3]).toEqual({ argv: ['up', '--yes', '--non-interactive', '--skip-preview', '--plan', saved, '--policy-pack', '../../tools/policy-pack', '--stack', 'dev'], cwd: NET });
    expect(run.stderr).toMatch(/^tap-deploy: the gate passed for networking-stack dev \(synth sha256 [0-9a-f]{64}\)$/m);
    expect(netStatus('deploy-dev')).toMatchObject({
      status: 'ok',
      exitCode: 0,
      synthSha256: expect.stringMatching(/^[0-9a-f]{64}$/),
      programSha256: expect.stringMatching(/^[0-9a-f]{64}$/),
      gate: { policy: 'passed', baseline: 'in-sync', audit: 'not applicable: no approval history for this stack' },
    });
  }, 120_000);

  it('checks tap-stack against the committed baselines even when TAP_DRIFT_BASELINE names another folder', () => {
    // Prepare: an empty folder offered as "the baselines" (the old drift-gate.mjs would have failed, or passed a copy).
    const elsewhere = tempDir('runner-elsewhere');

    // Act
    const run = runner(['check', '--project', 'tap-stack', '--environment', 'dev'], { TAP_DRIFT_BASELINE: elsewhere });

    // Assess
    expect(run.stderr).not.toContain(elsewhere);
    expect(run.stdout).toMatch(/^tap-stack dev: the gate passed \(synth sha256 [0-9a-f]{64}\)\n$/);
    expect(run.code).toBe(0);
    expect(run.calls).toEqual([]);
  }, 120_000);

  it('stops after a passed gate with exit 3, one line, when the Pulumi CLI is missing; the status keeps the synth hash', () => {
    // Act
    const run = runner(['deploy', '--project', 'networking-stack', '--environment', 'staging'], { PATH: NODE_PATH });

    // Assess
    expect(run.code).toBe(3);
    const line = 'The Pulumi CLI is not installed or not on PATH: install it (see https://www.pulumi.com/docs/install/) and retry.';
    expect(run.stderr).toContain(`\ntap-deploy: ${line}\n`);
    expect(summaryOf(run.stderr)).toEqual(
      expect.arrayContaining(['tap-deploy summary: networking-stack staging: NO PULUMI CLI (exit 3), nothing deployed', '  ✓ baseline check  passed', `  ✗ pulumi version  ${line}`, '  - pulumi up       skipped']),
    );
    expect(netStatus('deploy-staging')).toMatchObject({ status: 'error', exitCode: 3, synthSha256: expect.stringMatching(/^[0-9a-f]{64}$/), problems: [line] });
  }, 120_000);

  it('refuses without an environment or with an unknown project or option: exit 2, one line, nothing run', () => {
    // Act
    const bare = runner(['deploy', '--project', 'networking-stack']);
    const project = runner(['deploy', '--project', 'payments', '--environment', 'dev']);
    const option = runner(['deploy', '--project', 'networking-stack', '--environment', 'dev', '--baseline', '/tmp']);

    // Assess
    expect([bare.code, project.code, option.code]).toEqual([2, 2, 2]);
    expect(bare.stderr).toBe('tap-deploy: No stack chosen for deploy of networking-stack: add --configuration=<dev|staging|prod> to the nx command.\n');
    expect(netStatus('deploy')).toMatchObject({ status: 'error', exitCode: 2 });
    expect(project.stderr).toMatch(/^tap-deploy: --project must be one of tap-stack, networking-stack, got "payments" \(tap-deploy\.js .*\)\n$/);
    expect(option.stderr).toMatch(/^tap-deploy: Unknown option '--baseline'[^\n]*\n$/);
    expect([...bare.calls, ...project.calls, ...option.calls]).toEqual([]);
  });

  it('checks every environment when none is chosen (nx run networking-stack:drift-check), and never deploys', () => {
    // Act
    const run = runner(['check', '--project', 'networking-stack']);

    // Assess
    expect(run.code).toBe(0);
    expect(run.stdout.trim().split('\n').map((line) => line.replace(/ \(synth sha256 [0-9a-f]{64}\)$/, ''))).toEqual(
      ['dev', 'staging', 'prod'].map((env) => `networking-stack ${env}: the gate passed`),
    );
    for (const env of ['dev', 'staging', 'prod']) expect(netStatus(`drift-check-${env}`)).toMatchObject({ status: 'ok', exitCode: 0 });
    expect(run.calls).toEqual([]);
  }, 180_000);

  it('a refused deploy (an unapproved change) ends with one screen: each gate step, the failing one with its first line and its report; the status file lists the changes', () => {
    // Prepare: a committed config value nobody approved (dev's error alarm threshold 10 -> 5)
    const workspace = editableWorkspace();
    edit(join(workspace, 'apps', 'tap-stack', 'Pulumi.dev.yaml'), 'TapStack:errorThreshold: "10"', 'TapStack:errorThreshold: "5"');

    // Act
    const run = runner(['deploy', '--project', 'tap-stack', '--environment', 'dev'], {}, workspace);

    // Assess
    expect(run.code).toBe(1);
    expect(run.calls).toEqual([]);
    const refusal = 'the synth differs from the approved baseline apps/tap-stack/manifests/dev.json (tap-drift check, listed above): if the change is intended, run npx nx run tap-stack:drift-approve --reason="..." and commit apps/tap-stack/manifests/';
    expect(summaryOf(run.stderr)).toEqual([
      'tap-deploy summary: tap-stack dev: REFUSED (exit 1), nothing deployed',
      '  ✓ synth           passed',
      '  ✓ policies        passed',
      `  ✗ baseline check  ${refusal}`,
      '                    full report: dist/apps/tap-stack/deploy/dev/baseline-check.log',
      '  - audit verify    skipped',
      '  - pulumi version  skipped',
      '  - pulumi whoami   skipped',
      '  - pulumi preview  skipped',
      '  - plan check      skipped',
      '  - drift guard     skipped',
      '  - pulumi up       skipped',
      '  status file: dist/apps/tap-stack/status/deploy-dev.json',
    ]);
    expect(readFileSync(join(workspace, 'dist', 'apps', 'tap-stack', 'deploy', 'dev', 'baseline-check.log'), 'utf8')).toContain('monitoring.errorThreshold: 10 -> 5');
    const status = JSON.parse(readFileSync(join(workspace, 'dist', 'apps', 'tap-stack', 'status', 'deploy-dev.json'), 'utf8'));
    expect(status).toMatchObject({ status: 'error', exitCode: 1, message: `refusing pulumi up of tap-stack dev: ${refusal}` });
    expect(status.problems).toEqual(expect.arrayContaining(['monitoring.errorThreshold: 10 -> 5', 'threshold: 10 -> 5']));
    expect(status.steps.map((step: { name: string; status: string }) => `${step.name} ${step.status}`)).toEqual([
      'synth passed',
      'policies passed',
      'baseline check failed',
      'audit verify skipped',
      'pulumi version skipped',
      'pulumi whoami skipped',
      'pulumi preview skipped',
      'plan check skipped',
      'drift guard skipped',
      'pulumi up skipped',
    ]);
  }, 120_000);

  it('an invalid configuration: the summary names the synth, the status file holds each validation problem', () => {
    // Prepare: two values out of range
    const workspace = editableWorkspace();
    const config = join(workspace, 'apps', 'tap-stack', 'Pulumi.dev.yaml');
    edit(config, 'TapStack:errorThreshold: "10"', 'TapStack:errorThreshold: "-3"');
    edit(config, 'TapStack:dbConnectionsThreshold: "100"', 'TapStack:dbConnectionsThreshold: "0"');

    // Act
    const run = runner(['deploy', '--project', 'tap-stack', '--environment', 'dev'], {}, workspace);

    // Assess
    expect(run.code).toBe(1);
    const summary = summaryOf(run.stderr);
    expect(summary.slice(0, 3)).toEqual([
      'tap-deploy summary: tap-stack dev: REFUSED (exit 1), nothing deployed',
      expect.stringMatching(/^ {2}✗ synth {11}the offline synth failed: Invalid configuration for environment "dev" \(2 problems\)/),
      '                    full report: dist/apps/tap-stack/deploy/dev/synth.log',
    ]);
    expect(summary.slice(3, 12)).toEqual(
      ['policies', 'baseline check', 'audit verify', 'pulumi version', 'pulumi whoami', 'pulumi preview', 'plan check', 'drift guard', 'pulumi up'].map((step) => `  - ${step.padEnd(15)} skipped`),
    );
    const status = JSON.parse(readFileSync(join(workspace, 'dist', 'apps', 'tap-stack', 'status', 'deploy-dev.json'), 'utf8'));
    expect(status).toMatchObject({ status: 'error', exitCode: 1 });
    expect(status.problems).toEqual([
      expect.stringMatching(/^monitoring\.errorThreshold: .*got -3 \(set by TapStack:errorThreshold\)$/),
      expect.stringMatching(/^monitoring\.dbConnectionsThreshold: .*got 0 \(set by TapStack:dbConnectionsThreshold\)$/),
    ]);
  }, 120_000);
});
