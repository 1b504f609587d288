import { ENVIRONMENT_NAMES, FIELD_POLICIES, validateEnvironmentConfig, type EnvironmentName, type FieldPolicy } from '@tap/validation';
import { CONFIG_PATHS } from './constants';
import { flattenConfiguration } from './diff';
import { ManifestError } from './errors';
import { manifestToEnvironmentConfig } from './manifest';
import type { CompareReport, CompareRow, LoadedManifest } from './types';

/** Manifest path -> its validation policy; the image is set per deployment. */
function policyOf(path: string): FieldPolicy {
  const configPath = (CONFIG_PATHS as Record<string, string | undefined>)[path];
  return configPath === undefined ? 'deployment' : FIELD_POLICIES[configPath as keyof typeof FIELD_POLICIES];
}

/**
 * Lines up every configuration path across environments. A difference is `expected` when the profiles say the
 * environments differ there; `drift` when a parity field differs or a value breaks its environment's profile
 * (even when all environments agree on it).
 *
 * @throws ManifestError when two manifests describe the same environment.
 * @example
 * const report = compareManifests([loadManifest('dev.json'), loadManifest('prod.json')]);
 * report.drift; // false when only expected differences exist
 */
export function compareManifests(manifests: readonly LoadedManifest[]): CompareReport {
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
  return {
    environments,
    files: Object.fromEntries(environments.map((env) => [env, loadedByEnv[env].file])),
    rows,
    drift: rows.some((row) => row.status === 'drift'),
  };
}
