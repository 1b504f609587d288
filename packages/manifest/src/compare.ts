import { ENVIRONMENT_NAMES, FIELD_POLICIES, validateEnvironmentConfig, type EnvironmentName, type FieldPolicy } from '@tap/validation';
import { CONFIG_PATHS } from './constants';
import { flattenConfiguration } from './diff';
import { ManifestError } from './errors';
import { manifestToEnvironmentConfig } from './manifest';
import { compareInventories } from './parity';
import { unrecordedFields } from './schema';
import type { CompareReport, CompareRow, LoadedInventory, LoadedManifest } from './types';

/** Manifest path -> its validation policy; the image is set per deployment. */
function policyOf(path: string): FieldPolicy {
  const configPath = CONFIG_PATHS[path];
  return configPath === undefined ? 'deployment' : FIELD_POLICIES[configPath];
}

/**
 * Lines up every configuration path across environments. A difference is `expected` when the profiles say the
 * environments differ there; `drift` when a parity field differs or a value breaks its environment's profile
 * (even when all environments agree on it). With `inventories` (one per environment), the resources are compared too
 * (`compareInventories`: the same resources with the same inputs, except where `RESOURCE_PARITY_RULES` says otherwise).
 *
 * @throws ManifestError when two manifests describe the same environment, a manifest does not record every setting (an
 * older baseline), or an environment has no inventory while others have one.
 * @example
 * const report = compareManifests([loadManifest('dev.json'), loadManifest('prod.json')]);
 * report.drift; // false when only expected differences exist
 */
export function compareManifests(manifests: readonly LoadedManifest[], inventories?: ReadonlyMap<EnvironmentName, LoadedInventory>): CompareReport {
  const byEnv = new Map<EnvironmentName, LoadedManifest>();
  for (const loaded of manifests) {
    const seen = byEnv.get(loaded.manifest.environment);
    if (seen) {
      throw new ManifestError(
        'duplicate-environment',
        loaded.file,
        `describes environment ${loaded.manifest.environment}, like ${seen.file}; give one manifest per environment`,
      );
    }
    const unrecorded = unrecordedFields(loaded.manifest);
    if (unrecorded.length > 0) {
      throw new ManifestError('schema', loaded.file, `does not record ${unrecorded.join(', ')} (written before ${unrecorded.length === 1 ? 'that setting' : 'those settings'} existed); compare the current synth, or approve the baselines first`);
    }
    byEnv.set(loaded.manifest.environment, loaded);
  }
  const environments = ENVIRONMENT_NAMES.filter((env) => byEnv.has(env));
  // Records rather than Maps from here on: every key is one of `environments`, so lookups are total.
  const loadedByEnv = Object.fromEntries(byEnv) as Record<EnvironmentName, LoadedManifest>;
  const flat = Object.fromEntries(
    environments.map((env) => [env, flattenConfiguration(loadedByEnv[env].manifest.configuration)]),
  ) as Record<EnvironmentName, ReturnType<typeof flattenConfiguration>>;
  // Profile violations per environment, keyed by manifest path.
  const toManifestPath = new Map<string, string>(
    Object.entries(CONFIG_PATHS).flatMap(([manifestPath, configPath]) => (configPath ? [[configPath, manifestPath]] : [])),
  );
  const violations = new Map<string, string[]>();
  for (const env of environments) {
    for (const issue of validateEnvironmentConfig(env, manifestToEnvironmentConfig(loadedByEnv[env].manifest))) {
      const path = toManifestPath.get(issue.path) ?? issue.path;
      violations.set(path, [...(violations.get(path) ?? []), `${env}: ${issue.message}`]);
    }
  }

  const paths = [...new Set([...Object.keys(CONFIG_PATHS), ...environments.flatMap((env) => Object.keys(flat[env]))])];
  const rows: CompareRow[] = [];
  for (const path of paths) {
    const values = Object.fromEntries(environments.filter((env) => path in flat[env]).map((env) => [env, flat[env][path]]));
    if (Object.keys(values).length === 0) continue;
    const policy = policyOf(path);
    const distinct = new Set(environments.map((env) => JSON.stringify(values[env] ?? null))).size;
    const reasons = [...(violations.get(path) ?? [])];
    if (policy === 'parity' && distinct > 1) {
      reasons.unshift(`must be identical in every environment, got ${environments.map((env) => `${env}=${String(values[env])}`).join(', ')}`);
    }
    const status = reasons.length > 0 ? 'drift' : distinct > 1 ? 'expected' : 'same';
    rows.push({ path, policy, values, status, reasons });
  }
  let resources: CompareReport['resources'];
  if (inventories) {
    const missing = environments.filter((env) => !inventories.has(env));
    if (missing.length > 0) {
      throw new ManifestError(
        'no-inventory',
        loadedByEnv[missing[0]].file,
        `${missing.join(', ')} ${missing.length === 1 ? 'has' : 'have'} no resource inventory beside the manifest, so resource parity cannot be checked; compare the synth output (dist/apps/tap-stack/synth) or baselines approved with drift-approve`,
      );
    }
    resources = compareInventories(
      environments.map((env) => ({ environment: env, config: manifestToEnvironmentConfig(loadedByEnv[env].manifest), loaded: inventories.get(env) as LoadedInventory })),
    );
  }
  return {
    environments,
    files: Object.fromEntries(environments.map((env) => [env, loadedByEnv[env].file])),
    rows,
    ...(resources ? { resources } : {}),
    drift: rows.some((row) => row.status === 'drift') || (resources?.drift ?? false),
  };
}
