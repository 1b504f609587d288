import { ENVIRONMENT_NAMES, type EnvironmentName } from '@tap/validation';
import { INVENTORY_VERSION } from '../constants';
import type { LoadedInventory, LoadedManifest } from '../types';
import { securityDiff } from './diff';
import type { Inventory, SecurityDiff } from './types';

/** The security diff of each environment, and what kept an environment from being judged. */
export interface SecurityReport {
  environments: Array<{ environment: EnvironmentName; diff: SecurityDiff }>;
  /** Any environment has a row. */
  changed: boolean;
  /** Any row broadens access. */
  broadening: boolean;
  /** Environments that cannot be judged (no inventory on a side that has a manifest), one line each with the fix. */
  errors: string[];
}

/** Both sides of a comparison: manifests by environment and the inventories beside them. */
export interface SecuritySides {
  baseline: ReadonlyMap<EnvironmentName, LoadedManifest>;
  current: ReadonlyMap<EnvironmentName, LoadedManifest>;
  inventories: { baseline: ReadonlyMap<EnvironmentName, LoadedInventory>; current: ReadonlyMap<EnvironmentName, LoadedInventory> };
}

/** An inventory without resources, for an environment the current side removes (everything it granted goes). */
function emptyInventory(environment: EnvironmentName): Inventory {
  return { inventoryVersion: INVENTORY_VERSION, environment, normalisation: { volatile: [], jsonStrings: [] }, resources: {}, inventoryHash: '' };
}

/**
 * The security diff of every environment of either side (or only `environment`): a new environment against nothing,
 * a removed one against an empty inventory. A side that has an environment's manifest but not its inventory (an
 * old-format baseline, a synth without resources.json) cannot be judged: an error, not a silent "no change".
 *
 * @example
 * const report = securityReport({ baseline, current, inventories: { baseline: loadInventorySet(baseline), current: loadInventorySet(current) } });
 * report.broadening; // true
 */
export function securityReport(sides: SecuritySides, environment?: EnvironmentName): SecurityReport {
  const environments: SecurityReport['environments'] = [];
  const errors: string[] = [];
  for (const env of ENVIRONMENT_NAMES) {
    if (environment && env !== environment) continue;
    const [baseline, current] = [sides.baseline.get(env), sides.current.get(env)];
    if (!baseline && !current) continue;
    const before = sides.inventories.baseline.get(env);
    const after = sides.inventories.current.get(env);
    if (baseline && !before) {
      errors.push(`${baseline.file}: no approved resource inventory beside it, so ${env}'s grants cannot be compared; approve a synth with inventories (drift-approve)`);
      continue;
    }
    if (current && !after) {
      errors.push(`${current.file}: no resources.json beside it, so ${env}'s grants cannot be judged; synthesize again (tap-synth writes both)`);
      continue;
    }
    environments.push({ environment: env, diff: securityDiff(before?.inventory, after?.inventory ?? emptyInventory(env)) });
  }
  if (environment && environments.length === 0 && errors.length === 0) {
    errors.push(`--environment ${environment}: neither side has it; leave the option out or name an environment they hold`);
  }
  return {
    environments,
    changed: environments.some((e) => e.diff.rows.length > 0),
    broadening: environments.some((e) => e.diff.broadening),
    errors,
  };
}

/**
 * Each environment's security diff, for the approval rules' `"when": "broadening"`.
 *
 * @example
 * securityDiffs(report).get('dev')?.broadening; // false: dev's IAM change only removes an action
 */
export function securityDiffs(report: SecurityReport): Map<EnvironmentName, SecurityDiff> {
  return new Map(report.environments.map((entry) => [entry.environment, entry.diff]));
}
