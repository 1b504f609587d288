import { ENVIRONMENT_NAMES, type EnvironmentName } from '@tap/validation';
import { diffManifests } from './diff';
import type { CheckReport, EnvironmentCheck, LoadedManifest } from './types';

/**
 * Each environment against its approved baseline: unchanged, changed (with every path old -> new), added (no
 * baseline yet) or removed (baseline without a current manifest).
 *
 * @example
 * const report = checkManifests(loadManifestSet('manifests'), loadManifestSet('dist/synth'));
 * report.changed; // true when anything needs approval
 */
export function checkManifests(
  baseline: ReadonlyMap<EnvironmentName, LoadedManifest>,
  current: ReadonlyMap<EnvironmentName, LoadedManifest>,
): CheckReport {
  const environments: EnvironmentCheck[] = [];
  for (const environment of ENVIRONMENT_NAMES) {
    const before = baseline.get(environment);
    const after = current.get(environment);
    if (!before && !after) continue;
    const entry: EnvironmentCheck = {
      environment,
      status: 'unchanged',
      baselineFile: before?.file,
      currentFile: after?.file,
      baselineHash: before?.manifest.configHash,
      currentHash: after?.manifest.configHash,
      changes: [],
    };
    if (before && after) {
      entry.changes = diffManifests(before.manifest, after.manifest);
      entry.status = entry.changes.length > 0 ? 'changed' : 'unchanged';
    } else {
      entry.status = after ? 'added' : 'removed';
    }
    environments.push(entry);
  }
  return { environments, changed: environments.some((entry) => entry.status !== 'unchanged') };
}
