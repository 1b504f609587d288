import { checkManifests } from '../check';
import { loadInventorySet } from '../inventory';
import { loadManifestSet } from '../io';
import { ApprovalInputError } from './errors';
import { collectChanges, computeRequirements } from './requirements';
import { loadApprovalRules } from './rules';
import type { RequirementsReport } from './types';

/** Where `requirementsFor` reads the change and the rules. */
export interface RequirementsInput {
  /** Approved baselines: the same as `tap-drift check --baseline` (`<env>.json` with `<env>.resources.json`). */
  baseline: string;
  /** The current synth: the same as `tap-drift check --current` (`<env>/manifest.json` with `<env>/resources.json`). */
  current: string;
  /** The approval rules file, e.g. `apps/tap-stack/approval-rules.json`. */
  rules: string;
}

/**
 * The approvals the change from `baseline` to `current` needs: the drift gate's check (configuration and resources),
 * then the rules. A check that cannot see everything (an old-format baseline without a resource inventory, a synth
 * without one) is refused rather than answered from half the change.
 *
 * @throws ManifestError / ApprovalInputError on bad input (exit 2 in the CLI).
 * @example
 * const report = requirementsFor({ baseline: 'apps/tap-stack/manifests', current: 'dist/apps/tap-stack/synth', rules: 'apps/tap-stack/approval-rules.json' });
 * report.requirements; // [{ rule: 'prod-any-change', group: 'platform-leads', approvals: 2, ... }]
 */
export function requirementsFor(input: RequirementsInput): RequirementsReport {
  const rules = loadApprovalRules(input.rules);
  const baseline = loadManifestSet(input.baseline);
  const current = loadManifestSet(input.current);
  const inventories = { baseline: loadInventorySet(baseline), current: loadInventorySet(current) };
  const check = checkManifests(baseline, current, inventories);
  if (check.errors.length > 0) {
    throw new ApprovalInputError(input.baseline, `cannot tell what changed, so not which approvals it needs: ${check.errors[0]}`);
  }
  return computeRequirements(collectChanges(check, { manifests: current, inventories: inventories.current }), rules, input.rules);
}
