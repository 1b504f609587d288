import type { SynthRun } from './engine';

/**
 * The human summary of one synth: resources per type, the validation result and the config hash.
 *
 * @example
 * process.stdout.write(summarize('dev', 'us-east-2', run, 'dist/apps/tap-stack/synth/dev'));
 */
export function summarize(env: string, region: string, run: SynthRun, outDir: string): string {
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
    `  wrote ${outDir}/manifest.json and ${outDir}/resources.json`,
    '',
  ].join('\n');
}
