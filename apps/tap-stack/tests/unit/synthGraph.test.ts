import { evaluatePolicies, orderingPolicies, type SynthResource } from '@tap/policy';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { DeploymentPlan } from '../../src/synth/plan';
import { shortName } from '../../src/synth/plan';
import { imageContext, ROOT, stackConfigFile, synth, tempDir, type SynthResult } from '../synthHelper';

const readPlan = (run: SynthResult): DeploymentPlan => JSON.parse(readFileSync(join(run.outDir, 'plan.json'), 'utf8')) as DeploymentPlan;

describe('synth: dependencies and plan.json of the tap-stack program', () => {
  let config: string;
  let run: SynthResult;
  let plan: DeploymentPlan;

  beforeAll(() => {
    // Prepare / Act
    config = stackConfigFile('dev', imageContext());
    run = synth('dev', { config });
    plan = readPlan(run);
  });

  it('records every resource\'s dependencies, sorted, each a registered resource', () => {
    // Assess
    expect(run.code).toBe(0);
    const urns = new Set(run.resources.map((r) => r.urn));
    for (const r of run.resources as unknown as SynthResource[]) {
      expect(Array.isArray(r.dependencies)).toBe(true);
      expect(r.dependencies).toEqual([...(r.dependencies ?? [])].sort());
      for (const d of r.dependencies ?? []) expect(urns.has(d)).toBe(true);
    }
    // The SDK never lists a component (it expands one into its custom children).
    const components = new Set(run.resources.filter((r) => !r.custom).map((r) => r.urn));
    expect((run.resources as unknown as SynthResource[]).flatMap((r) => r.dependencies ?? []).filter((d) => components.has(d))).toEqual([]);
  });

  it('writes a plan where every custom resource is in one wave, after all its dependencies', () => {
    // Prepare
    const waveOf = new Map(plan.waves.flatMap((wave, i) => wave.map((urn) => [urn, i] as const)));
    const custom = run.resources.filter((r) => r.custom) as unknown as SynthResource[];
    // Assess
    expect(plan.waves.flat()).toHaveLength(custom.length);
    expect(new Set(plan.waves.flat()).size).toBe(custom.length);
    for (const r of custom) {
      for (const d of r.dependencies ?? []) expect(waveOf.get(d)).toBeLessThan(waveOf.get(r.urn) as number);
    }
    expect(plan.counts).toMatchObject({ resources: custom.length, waves: plan.waves.length, longestChain: plan.waves.length, excluded: run.resources.length - custom.length });
  });

  it('gives a longest chain in which each resource depends on the one before, and prints it', () => {
    // Prepare
    const depsOf = new Map((run.resources as unknown as SynthResource[]).map((r) => [r.urn, r.dependencies ?? []]));
    // Assess
    plan.longestChain.slice(1).forEach((urn, i) => expect(depsOf.get(urn)).toContain(plan.longestChain[i]));
    expect(run.stdout).toContain(`plan: ${plan.counts.resources} resources in ${plan.counts.waves} waves; longest chain: ${plan.counts.longestChain} resources`);
    expect(run.stdout).toContain(plan.longestChain.map(shortName).join(' → '));
    expect(run.stdout).toContain(`${relative(ROOT, run.outDir)}/plan.json`);
  });

  it('writes the same resources.json and plan.json for the same code', () => {
    // Act
    const again = synth('dev', { config, out: tempDir('again') });
    // Assess
    for (const file of ['resources.json', 'plan.json']) {
      expect(readFileSync(join(again.outDir, file), 'utf8')).toBe(readFileSync(join(run.outDir, file), 'utf8'));
    }
  });
});

describe('synth of a program with the old deploy order', () => {
  it('is flagged by every ordering rule, with the dependsOn that fixes it', () => {
    // Prepare
    const out = tempDir('todays-wiring');
    const program = join(__dirname, '..', 'fixtures', 'programs', 'todays-wiring.js');
    const config = stackConfigFile('dev', imageContext());
    // Act
    const child = spawnSync(process.execPath, [join(ROOT, 'dist', 'apps', 'tap-stack', 'tap-synth.js'), '--environment', 'dev', '--config', config, '--program', program, '--out', out], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    const resources = JSON.parse(readFileSync(join(out, 'dev', 'resources.json'), 'utf8')) as SynthResource[];
    const violations = evaluatePolicies(resources, { stackName: 'dev', environment: 'dev', policies: orderingPolicies });
    // Assess
    expect(child.stderr).toBe('');
    expect(child.status).toBe(0);
    expect(violations.map((v) => `${v.policyName} ${v.resourceName}`)).toEqual([
      'migration-after-database tap-payments-migrate-invocation',
      'rotation-after-migration tap-secrets-rotation',
      'function-after-migration tap-payments-function',
    ]);
    expect(violations.map((v) => v.message.split('Fix: ')[1])).toEqual([
      'add dependsOn: [tap-db-instance-0, tap-payments-db-ingress, tap-secrets-secret-version] on the invocation.',
      'add dependsOn: [tap-payments-migrate-invocation, tap-db-instance-0] on the rotation.',
      'add dependsOn: [tap-payments-migrate-invocation] on the function.',
    ]);
  });
});
