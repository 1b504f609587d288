import { ENVIRONMENT_NAMES, type EnvironmentName } from '@tap/validation';
import { checkBindings, type BindingFinding } from './binding';
import { diffManifests } from './diff';
import { canonicalJson } from './hash';
import { inventoryFileFor } from './inventory';
import { manifestToEnvironmentConfig } from './manifest';
import { diffInventories, emptyInventoryDiff } from './resourceDiff';
import type { CheckReport, EnvironmentCheck, InventoryCheck, LoadedInventory, LoadedManifest } from './types';

/** The inventories of both sides of a check, by environment (see `loadInventorySet`). */
export interface CheckInventories {
  baseline: ReadonlyMap<EnvironmentName, LoadedInventory>;
  current: ReadonlyMap<EnvironmentName, LoadedInventory>;
}

const same = (a: unknown, b: unknown): boolean => canonicalJson(a) === canonicalJson(b);

/** The fix for a baseline without an inventory, in the words the drift gate uses. */
const APPROVE_FIX = 'run `npx nx run tap-stack:drift-approve` (tap-drift approve) to record it, review and commit it';

/**
 * Each environment against its approved baseline: unchanged, changed (with every path old -> new), added (no
 * baseline yet) or removed (baseline without a current manifest). With `inventories`, each environment's resources
 * are checked too (every resource added, removed or changed, grouped by component); a baseline without an inventory
 * (the old, configuration-only format) or a current manifest without one is an error in `errors` (exit 2), never a pass.
 * With inventories, each current environment's resources are also held to its own configuration (`bindings`, see
 * `checkBindings`): a setting its resources do not follow fails the check even when every baseline matches.
 *
 * @example
 * const baseline = loadManifestSet('manifests');
 * const current = loadManifestSet('dist/synth');
 * const report = checkManifests(baseline, current, { baseline: loadInventorySet(baseline), current: loadInventorySet(current) });
 * report.changed; // true when anything needs approval
 */
export function checkManifests(
  baseline: ReadonlyMap<EnvironmentName, LoadedManifest>,
  current: ReadonlyMap<EnvironmentName, LoadedManifest>,
  inventories?: CheckInventories,
): CheckReport {
  const environments: EnvironmentCheck[] = [];
  const errors: string[] = [];
  const bindings: BindingFinding[] = [];
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
    if (inventories && after) {
      entry.resources = checkInventory(environment, before, after, inventories, errors);
      if (entry.status === 'unchanged' && entry.resources.status === 'changed') entry.status = 'changed';
      // Whatever was approved: the synth's resources must hold the values its own configuration manifest records.
      const current = inventories.current.get(environment);
      if (current) bindings.push(...checkBindings(environment, manifestToEnvironmentConfig(after.manifest), current.inventory));
    }
    environments.push(entry);
  }
  return { environments, changed: environments.some((entry) => entry.status !== 'unchanged'), bindings, errors };
}

function checkInventory(
  environment: EnvironmentName,
  before: LoadedManifest | undefined,
  after: LoadedManifest,
  inventories: CheckInventories,
  errors: string[],
): InventoryCheck {
  const a = inventories.baseline.get(environment);
  const b = inventories.current.get(environment);
  const check: InventoryCheck = {
    status: 'unchanged',
    baselineFile: a?.file ?? (before ? inventoryFileFor(before.file) : undefined),
    currentFile: b?.file ?? inventoryFileFor(after.file),
    baselineHash: a?.inventory.inventoryHash,
    currentHash: b?.inventory.inventoryHash,
    diff: emptyInventoryDiff(),
  };
  if (!b) {
    errors.push(`${check.currentFile}: ${environment} has no resource inventory beside ${after.file}; run the synth (npx nx run tap-stack:synth) so resources are checked too`);
    return { ...check, status: 'no-current' };
  }
  if (!before) return { ...check, status: 'added' };
  if (!a) {
    errors.push(
      `${check.baselineFile}: the approved baseline of ${environment} has no resource inventory (old format: configuration only), so its resources cannot be checked; ${APPROVE_FIX}`,
    );
    return { ...check, status: 'no-baseline' };
  }
  check.diff = diffInventories(a.inventory, b.inventory);
  // The hash also covers the normalisation record (which values were replaced or parsed): a change there alone is a
  // change too, shown as such, so the approved hash always equals the current one after approval.
  if (!same(a.inventory.normalisation, b.inventory.normalisation)) check.normalisationChanged = true;
  return { ...check, status: a.inventory.inventoryHash === b.inventory.inventoryHash ? 'unchanged' : 'changed' };
}
