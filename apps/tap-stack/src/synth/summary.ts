import type { SynthRun } from '@tap/synth';
import { shortName, type DeploymentPlan } from './plan';

/**
 * The plan in a few lines: how many waves, and the longest chain by short type and name
 * (`kms Key tap-key → rds Cluster tap-db-cluster → …`).
 *
 * @example
 * summarizePlan(planDeployment(run.resources)); // '  plan: 40 resources in 7 waves, …'
 */
export function summarizePlan(plan: DeploymentPlan): string[] {
  const { resources, waves, longestChain } = plan.counts;
  return [
    `  plan: ${resources} resources in ${waves} wave${waves === 1 ? '' : 's'}; longest chain: ${longestChain} resource${longestChain === 1 ? '' : 's'}`,
    ...(longestChain > 0 ? [`    ${plan.longestChain.map(shortName).join(' → ')}`] : []),
  ];
}

/**
 * The human summary of one synth: resources per type, the validation result, the config hash and the plan.
 *
 * @example
 * process.stdout.write(summarize('dev', 'us-east-2', run, 'dist/apps/tap-stack/synth/dev', planDeployment(run.resources)));
 */
export function summarize(env: string, region: string, run: SynthRun, outDir: string, plan: DeploymentPlan): string {
  const counts = new Map<string, number>();
  for (const r of run.resources) counts.set(r.type, (counts.get(r.type) ?? 0) + 1);
  const types = [...counts.entries()].sort(([a], [b]) => a.localeCompare(b));
  const width = Math.max(...types.map(([t]) => t.length));
  const hash = run.outputs['configHash'] ?? (run.outputs['configManifest'] as { configHash?: string } | undefined)?.configHash;
  return [
    `synth ${env} (${region}): ${run.resources.length} resources`,
    ...types.map(([type, n]) => `  ${type.padEnd(width)}  ${n}`),
    `  validation: passed (configuration matches the ${env} profile)`,
    `  configHash: ${String(hash)}`,
    ...summarizePlan(plan),
    `  wrote ${outDir}/manifest.json, ${outDir}/resources.json and ${outDir}/plan.json`,
    '',
  ].join('\n');
}
