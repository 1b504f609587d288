import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ROOT } from '../synthHelper';

interface Step {
  id?: string;
  name?: string;
  uses?: string;
  if?: string;
  run?: string;
  with?: Record<string, string>;
}

const deploy = parse(readFileSync(join(ROOT, '.github', 'workflows', 'deploy.yml'), 'utf8')) as { jobs: Record<string, { steps: Step[] }> };

describe.each(['dev', 'staging', 'prod'])('deploy.yml keeps the evidence of each change it deploys to %s', (env) => {
  const steps = deploy.jobs[env].steps;
  const at = (find: (step: Step) => boolean): number => steps.findIndex(find);

  it('writes the bundle after a successful gated deploy, from the approvals the deploy verified', () => {
    // Prepare
    const deployed = at((s) => s.id === 'deploy');
    const download = at((s) => (s.uses ?? '').startsWith('actions/download-artifact@') && s.with?.['name'] === 'deploy-approvals');
    const evidence = at((s) => s.id === 'evidence');

    // Assess
    expect(deployed).toBeGreaterThanOrEqual(0);
    expect(download).toBeGreaterThan(deployed);
    expect(evidence).toBeGreaterThan(download);
    const run = (steps[evidence].run ?? '').replace(/\\\n\s*/g, '');
    expect(run).toMatch(new RegExp(`tap-drift evidence --environment ${env} `));
    for (const file of ['requirements.json', 'given-approvals.json', 'pull-request.json']) expect(run).toContain(`$APPROVALS/${file}`);
    expect(steps[evidence].if).toMatch(/steps\.deploy\.outcome == 'success'/);
    // The index digest leaves the bundle: the job summary is where an auditor compares it.
    expect(run).toContain('GITHUB_STEP_SUMMARY');
  });

  it('uploads the bundle folder (with its .tar.gz) as the artifact evidence-<env>, failing when there is none', () => {
    // Prepare
    const evidence = at((s) => s.id === 'evidence');
    const upload = steps.findIndex((s, i) => i > evidence && (s.uses ?? '').startsWith('actions/upload-artifact@') && s.with?.['name'] === `evidence-${env}`);

    // Assess
    expect(upload).toBeGreaterThan(evidence);
    expect(steps[upload].with).toMatchObject({ path: 'dist/evidence/', 'if-no-files-found': 'error' });
    expect(steps[upload].if).toMatch(/steps\.evidence\.outcome != 'skipped'/);
  });
});
