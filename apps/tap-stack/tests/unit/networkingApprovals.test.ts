import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { edit, editableWorkspace } from '../deployHelper';

/*
 * The networking stack has no approval history: its drift-check and drift-approve (tap-deploy check|approve --project
 * networking-stack) judge its resource inventory alone. A change of it must say which approvals the pull request needs,
 * from the same rules file as tap-stack (apps/tap-stack/approval-rules.json): security (what can reach what) and a
 * platform lead (every stack deploys into it), in every environment.
 */
function runner(workspace: string, args: string[]) {
  const run = spawnSync(process.execPath, [join(workspace, 'dist', 'apps', 'tap-stack', 'tap-deploy.js'), ...args], { cwd: workspace, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe('networking-stack drift-check and drift-approve list the approvals a change needs', () => {
  it('three NAT gateways in dev (one per zone): the check refuses and names security and platform leads; approve says the same', () => {
    // Prepare: an unapproved change of dev's networking configuration
    const workspace = editableWorkspace();
    edit(join(workspace, 'apps', 'networking-stack', 'Pulumi.dev.yaml'), 'networking-stack:natGateways: "1"', 'networking-stack:natGateways: "3"');

    // Act
    const check = runner(workspace, ['check', '--project', 'networking-stack', '--environment', 'dev']);
    const checkStatus = JSON.parse(readFileSync(join(workspace, 'dist', 'apps', 'networking-stack', 'status', 'drift-check-dev.json'), 'utf8'));
    const approve = runner(workspace, ['approve', '--project', 'networking-stack', '--environment', 'dev']);
    const approveStatus = JSON.parse(readFileSync(join(workspace, 'dist', 'apps', 'networking-stack', 'status', 'drift-approve-dev.json'), 'utf8'));

    // Assess
    expect(check.code).toBe(1);
    expect(check.stderr).toMatch(/^ {2}REQUIRED 1 approval from security \[networking-exposure\] \(dev\): /m);
    expect(check.stderr).toMatch(/^ {2}REQUIRED 1 approval from platform-leads \[networking-foundation\] \(dev\): /m);
    expect(check.stderr).toMatch(/^ {4}- dev: network-nat-1 \(aws:ec2\/natGateway:NatGateway\) \(added\)$/m);
    expect(checkStatus.problems).toEqual(expect.arrayContaining(['needs 1 x security [networking-exposure] (dev)', 'needs 1 x platform-leads [networking-foundation] (dev)']));
    expect(approve.code).toBe(0);
    expect(approve.stdout).toMatch(/^ {2}REQUIRED 1 approval from security \[networking-exposure\] \(dev\): /m);
    expect(approve.stdout).toMatch(
      /^networking-stack dev: apps\/networking-stack\/manifests\/dev\.resources\.json written from the synth \(policies passed\): review and commit it; the pull request needs: 1 x security \[networking-exposure\] \(dev\), 1 x platform-leads \[networking-foundation\] \(dev\)$/m,
    );
    expect(approveStatus.requirements.map((r: { rule: string }) => r.rule)).toEqual(['networking-exposure', 'networking-foundation']);
  }, 180_000);
});
