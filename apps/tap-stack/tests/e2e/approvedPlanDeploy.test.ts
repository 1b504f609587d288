import { join } from 'node:path';
import type { DeploymentPlan } from '../../src/deploy/plan';
import { editableWorkspace, planScenario, runner } from '../deployHelper';
import { committedInventory, firstDeployPlan } from '../planHelper';

/*
 * The gated deploy runner (dist/apps/tap-stack/tap-deploy.js) with the stand-in pulumi answering `preview
 * --save-plan` with a plan the test writes: what the engine would do when it runs the program for real, where a
 * program can behave differently than in the offline synth the gate approved. The plan must hold nothing the approved
 * inventory does not (https://www.pulumi.com/docs/iac/guides/basics/update-plans/), and `up` must run with
 * `--plan <that file>` so the engine itself refuses anything beyond it. The networking stack's dev (its approved
 * inventory apps/networking-stack/manifests/dev.resources.json), deployed in a workspace of its own
 * (tests/deployHelper.ts): other tests deploy this checkout's networking stack at the same time.
 */
const INVENTORY = committedInventory('networking-stack', 'dev');
const urnOf = (type: string) => Object.keys(INVENTORY.resources).find((urn) => INVENTORY.resources[urn].type === type) ?? '';
const TAPVPC_URN = urnOf('tap:networking-stack:TapVpc');

let workspace: string;
beforeAll(() => {
  workspace = editableWorkspace();
});

/** A networking-stack dev deploy whose `pulumi preview --save-plan` writes `plan` (raw text when a string). */
function deployWithPlan(plan: DeploymentPlan | string) {
  const run = runner(['deploy', '--project', 'networking-stack', '--environment', 'dev'], {}, workspace, planScenario(plan));
  const calls = run.calls;
  const lines = run.stderr.split('\n').filter((line) => line.startsWith('tap-deploy: refusing'));
  return { code: run.code, stderr: run.stderr, refusal: lines, calls, ups: calls.filter((c) => c.argv[0] === 'up') };
}

const valueAfter = (argv: string[], flag: string) => argv[argv.indexOf(flag) + 1];

describe('tap-deploy deploy: the engine\'s saved plan against the approved inventory, then pulumi up --plan', () => {
  it('refuses a plan that creates a resource the approved inventory lacks: no up, exit 1, the URN named', () => {
    // Prepare: the program, run for real, also creates a security group the synth never registered.
    const extra = 'urn:pulumi:dev::networking-stack::tap:networking-stack:TapVpc$aws:ec2/securityGroup:SecurityGroup::network-open-sg';
    const plan = firstDeployPlan(INVENTORY, (plans) => {
      plans[extra] = {
        goal: { type: 'aws:ec2/securityGroup:SecurityGroup', name: 'network-open-sg', custom: true, parent: TAPVPC_URN, inputDiff: { adds: { ingress: [{ cidrBlocks: ['0.0.0.0/0'] }] } }, protect: false },
        steps: ['create'],
        state: {},
      };
    });

    // Act
    const run = deployWithPlan(plan);

    // Assess: today's runner (no preview) called `up --skip-preview` without --plan whatever the engine would do.
    expect(run.ups).toEqual([]);
    expect(run.code).toBe(1);
    expect(run.refusal).toEqual([expect.stringContaining(`does not have: ${extra}`)]);
    expect(run.calls.map((c) => c.argv[0])).toEqual(['version', 'whoami', 'preview']);
  }, 120_000);

  it('runs pulumi up --plan <the file the preview saved> when the plan matches the approved inventory', () => {
    // Act
    const run = deployWithPlan(firstDeployPlan(INVENTORY));

    // Assess
    expect(run.code).toBe(0);
    const [preview, up] = [run.calls.find((c) => c.argv[0] === 'preview'), run.ups[0]];
    const netDir = join(workspace, 'apps', 'networking-stack');
    expect(preview).toMatchObject({ cwd: netDir, argv: expect.arrayContaining(['--save-plan', '--stack', 'dev']) });
    expect(up).toMatchObject({ cwd: netDir, argv: expect.arrayContaining(['--plan', '--stack', 'dev']) });
    expect(valueAfter(up.argv, '--plan')).toBe(valueAfter(preview?.argv ?? [], '--save-plan'));
    expect(run.calls.map((c) => c.argv[0])).toEqual(['version', 'whoami', 'preview', 'up']);
  }, 120_000);

  it('refuses a plan where a known input has another value, naming the URN and the property', () => {
    // Prepare: the VPC's CIDR differs under the engine (a program reading something only the real run sees).
    const vpc = urnOf('aws:ec2/vpc:Vpc');
    const plan = firstDeployPlan(INVENTORY, (plans) => {
      const adds = plans[vpc].goal?.inputDiff?.adds ?? {};
      adds['cidrBlock'] = '172.31.0.0/16';
    });

    // Act
    const run = deployWithPlan(plan);

    // Assess
    expect(run.ups).toEqual([]);
    expect(run.code).toBe(1);
    expect(run.refusal).toEqual([expect.stringContaining(`${vpc}: cidrBlock is "172.31.0.0/16" in the plan, "${INVENTORY.resources[vpc].inputs['cidrBlock']}" in the approved inventory`)]);
  }, 120_000);

  it('a malformed plan file: exit 2, one line, no up', () => {
    // Act
    const truncated = deployWithPlan('{"manifest": {"time": "2026-12-06T19:00:00Z"}, "resourcePlans": {');
    const notAPlan = deployWithPlan('{"resourcePlans": []}');

    // Assess
    for (const run of [truncated, notAPlan]) {
      expect(run.ups).toEqual([]);
      expect(run.code).toBe(2);
      expect(run.refusal).toEqual([expect.stringMatching(/^tap-deploy: refusing pulumi up of networking-stack dev: the update plan \S+plan\.json cannot be used \(.+\): nothing was deployed; run the deploy again$/)]);
      expect(run.stderr).not.toMatch(/^\s+at /m);
    }
    expect(truncated.refusal[0]).toContain('invalid JSON');
    expect(notAPlan.refusal[0]).toContain('not a Pulumi update plan');
  }, 120_000);
});
