import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { APP, ROOT, tempDir } from '../synthHelper';

/*
 * The gated deploy runner (dist/apps/tap-stack/tap-deploy.js) run directly, fast, on the committed code and baselines
 * (which are in sync: `nx run tap-stack:drift-check` passes on main). The networking stack is used where a run writes
 * a status file, so these runs never touch tap-stack's deploy status that tests/unit/nxTargets.test.ts reads.
 * tests/unit/ungatedDeploy.test.ts covers the refusals through Nx.
 */
const RUNNER = join(ROOT, 'dist', 'apps', 'tap-stack', 'tap-deploy.js');
const NET = join(ROOT, 'apps', 'networking-stack');
const NODE_PATH = [dirname(process.execPath), '/usr/bin', '/bin'].join(delimiter);

interface Call {
  argv: string[];
  cwd: string;
}

function runner(args: string[], env: Record<string, string> = {}) {
  const scenario = tempDir('runner-scenario');
  const record = join(scenario, 'calls.jsonl');
  const run = spawnSync(process.execPath, [RUNNER, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, PATH: [join(APP, 'tests', 'fixtures', 'pulumi'), NODE_PATH].join(delimiter), FAKE_PULUMI_SCENARIO: scenario, FAKE_PULUMI_RECORD: record, ...env },
    maxBuffer: 64 * 1024 * 1024,
  });
  const calls: Call[] = existsSync(record) ? readFileSync(record, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Call) : [];
  return { code: run.status, stdout: run.stdout, stderr: run.stderr, calls };
}

const netStatus = (name: string) => JSON.parse(readFileSync(join(ROOT, 'dist', 'apps', 'networking-stack', 'status', `${name}.json`), 'utf8'));

describe('tap-deploy.js (the gated deploy runner)', () => {
  it('deploys networking-stack dev only after its gate: synth, policies, inventory, then version, whoami, up in its folder', () => {
    // Act
    const run = runner(['deploy', '--project', 'networking-stack', '--environment', 'dev', '--skip-preflight']);

    // Assess
    expect(run.code).toBe(0);
    expect(run.calls.map((c) => c.argv[0])).toEqual(['version', 'whoami', 'up']);
    expect(run.calls[2]).toEqual({ argv: ['up', '--yes', '--non-interactive', '--skip-preview', '--policy-pack', '../../tools/policy-pack', '--stack', 'dev'], cwd: NET });
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
    expect(run.stderr.trim().split('\n').at(-1)).toBe('tap-deploy: The Pulumi CLI is not installed or not on PATH: install it (see https://www.pulumi.com/docs/install/) and retry.');
    expect(netStatus('deploy-staging')).toMatchObject({ status: 'error', exitCode: 3, synthSha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
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
});
