import { ENVIRONMENT_NAMES, type EnvironmentName } from '@tap/validation';
import { flattenConfiguration } from '../diff';
import { isSecretDigest } from '../inventory';
import type { CheckReport, LoadedInventory, LoadedManifest } from '../types';
import type { SecurityDiff } from '../security/types';
import { isExempt, matches, triggers } from './rules';
import type { ApprovalRequirement, ApprovalRules, ChangedItem, ExemptChange, RequirementsReport } from './types';

/** The current side of a check, for environments that have no baseline yet (everything in them is new). */
export interface CurrentSide {
  manifests: ReadonlyMap<EnvironmentName, LoadedManifest>;
  inventories: ReadonlyMap<EnvironmentName, LoadedInventory>;
}

/**
 * Every changed configuration path and every changed resource (added, removed, or each changed property) of a check,
 * as the items approval rules are matched against. An environment without a baseline counts as every path and every
 * resource added (from `current`); a removed environment as its configuration removed.
 *
 * @example
 * const items = collectChanges(checkManifests(baseline, current, inventories), { manifests: current, inventories: inventories.current });
 * items.filter((item) => item.environment === 'prod').length;
 */
export function collectChanges(check: CheckReport, current?: CurrentSide): ChangedItem[] {
  const items: ChangedItem[] = [];
  for (const entry of check.environments) {
    const environment = entry.environment;
    if (entry.status === 'added') {
      const manifest = current?.manifests.get(environment);
      const flat = manifest ? flattenConfiguration(manifest.manifest.configuration) : { '(environment)': undefined };
      for (const [path, after] of Object.entries(flat)) items.push({ kind: 'config', environment, path, change: 'added', after });
    } else if (entry.status === 'removed') {
      items.push({ kind: 'config', environment, path: '(environment)', change: 'removed' });
    } else {
      for (const change of entry.changes) {
        items.push({ kind: 'config', environment, path: change.path, change: change.kind, before: change.before, after: change.after });
      }
    }
    const resources = entry.resources;
    // No approved inventory (a new environment, or a baseline from before inventories): every resource is unapproved.
    if (resources?.status === 'added' || resources?.status === 'no-baseline') {
      const inventory = current?.inventories.get(environment)?.inventory;
      for (const [urn, resource] of Object.entries(inventory?.resources ?? {})) {
        items.push({ kind: 'resource', environment, urn, type: resource.type, name: resource.name, change: 'added' });
      }
    }
    for (const component of resources?.diff.components ?? []) {
      for (const resource of component.resources) {
        const base = { kind: 'resource' as const, environment, urn: resource.urn, type: resource.type, name: resource.name };
        if (resource.kind !== 'changed') {
          items.push({ ...base, change: resource.kind });
          continue;
        }
        for (const property of resource.properties) {
          items.push({ ...base, change: 'changed', property: property.path, propertyChange: property.kind, before: property.before, after: property.after });
        }
      }
    }
  }
  return items;
}

/** A value short enough for a report line (an image reference fits); larger objects (policies) are left out. */
function shortValue(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length <= 160 ? text : undefined;
}

/**
 * One line for a changed item, as reports list what triggered a rule.
 *
 * @example
 * describeChange({ kind: 'config', environment: 'prod', path: 'lambda.memory', change: 'changed', before: 2048, after: 4096 }); // 'prod: lambda.memory 2048 -> 4096'
 */
export function describeChange(item: ChangedItem): string {
  const values = (): string => {
    const kind = item.kind === 'resource' && item.propertyChange ? item.propertyChange : item.change;
    if (isSecretDigest(item.before) || isSecretDigest(item.after)) return ` ${kind} (secret)`;
    const before = shortValue(item.before);
    const after = shortValue(item.after);
    if (kind === 'changed' && before !== undefined && after !== undefined) return ` ${before} -> ${after}`;
    return kind === 'changed' ? '' : ` (${kind})`;
  };
  if (item.kind === 'config') return `${item.environment}: ${item.path}${values()}`;
  const resource = `${item.environment}: ${item.name} (${item.type})`;
  return item.property === undefined ? `${resource} (${item.change})` : `${resource} ${item.property}${values()}`;
}

/**
 * The approvals a change needs: every rule whose environments and `match` select at least one changed item that no
 * `codeReviewOnly` entry exempts, with the items that triggered it. Requirements are listed in the rules file's order.
 * `security` (each environment's security diff) decides rules with `"when": "broadening"`; without it they fail closed.
 *
 * @example
 * const report = computeRequirements(collectChanges(check, currentSide), loadApprovalRules(file), file);
 * report.requirements.map((r) => `${r.approvals} x ${r.group}`); // ['2 x platform-leads', '1 x security']
 */
export function computeRequirements(
  items: readonly ChangedItem[],
  rules: ApprovalRules,
  rulesFile: string,
  security?: ReadonlyMap<EnvironmentName, SecurityDiff>,
): RequirementsReport {
  const exempt: ExemptChange[] = [];
  const considered: ChangedItem[] = [];
  for (const item of items) {
    const entry = rules.codeReviewOnly.find((candidate) => isExempt(candidate, item));
    if (entry) exempt.push({ exemption: entry.id, change: describeChange(item) });
    else considered.push(item);
  }
  const matched = new Set<ChangedItem>();
  const requirements: ApprovalRequirement[] = [];
  for (const rule of rules.rules) {
    const environments: readonly EnvironmentName[] = rule.environments ?? ENVIRONMENT_NAMES;
    const hits = considered.filter((item) => environments.includes(item.environment) && matches(rule.match, item) && triggers(rule, item, security));
    if (hits.length === 0) continue;
    for (const hit of hits) matched.add(hit);
    requirements.push({
      rule: rule.id,
      group: rule.group,
      approvals: rule.approvals,
      reason: rule.reason,
      environments: ENVIRONMENT_NAMES.filter((env) => hits.some((hit) => hit.environment === env)),
      triggeredBy: [...new Set(hits.map(describeChange))],
    });
  }
  return {
    rulesFile,
    changedEnvironments: ENVIRONMENT_NAMES.filter((env) => items.some((item) => item.environment === env)),
    changeCount: items.length,
    requirements,
    exempt,
    unmatched: [...new Set(considered.filter((item) => !matched.has(item)).map(describeChange))],
  };
}
