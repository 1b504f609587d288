import { checkManifests } from '../check';
import { loadInventorySet } from '../inventory';
import { loadManifestSet } from '../io';
import { securityDiffs, securityReport } from '../security/report';
import { ApprovalInputError } from './errors';
import { gateChangeRequirements, readChangedFiles } from './gateChange';
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
  /**
   * The pull request's changed files (one repository-relative path per line, as `git diff --name-only` prints): a
   * change of the code that judges adds the rules' `gateChange` requirements. Absent: the synth's change alone.
   */
  changedFiles?: string;
}

/**
 * The approvals the change from `baseline` to `current` needs: the drift gate's check (configuration and resources),
 * then the rules; with `changedFiles`, the `gateChange` requirements too when a changed file is part of the judge. A check that cannot see everything (an old-format baseline without a resource inventory, a synth
 * without one) is refused rather than answered from half the change.
 *
 * @throws ManifestError / ApprovalInputError on bad input (exit 2 in the CLI).
 * @example
 * const report = requirementsFor({ baseline: 'apps/tap-stack/manifests', current: 'dist/apps/tap-stack/synth', rules: 'apps/tap-stack/approval-rules.json' });
 * report.requirements; // [{ rule: 'prod-any-change', group: 'platform-leads', approvals: 2, ... }]
 * requirementsFor({ ...input, changedFiles: 'dist/pr/changed-files.txt' }).requirements.at(-1)?.rule; // 'gate-change' (a judge's file changed)
 */
export function requirementsFor(input: RequirementsInput): RequirementsReport {
  const rules = loadApprovalRules(input.rules);
  if (input.changedFiles !== undefined && !rules.gateChange) {
    throw new ApprovalInputError(
      input.rules,
      'has no gateChange section, so changed files cannot be judged (add one, see approval-rules.schema.json, or leave out --changed-files)',
    );
  }
  const changedFiles = input.changedFiles === undefined ? undefined : readChangedFiles(input.changedFiles);
  const baseline = loadManifestSet(input.baseline);
  const current = loadManifestSet(input.current);
  const inventories = { baseline: loadInventorySet(baseline), current: loadInventorySet(current) };
  const check = checkManifests(baseline, current, inventories);
  if (check.errors.length > 0) {
    throw new ApprovalInputError(input.baseline, `cannot tell what changed, so not which approvals it needs: ${check.errors[0]}`);
  }
  // Rules with "when": "broadening" read each environment's security diff (an environment it cannot judge counts).
  const security = securityDiffs(securityReport({ baseline, current, inventories }));
  const report = computeRequirements(collectChanges(check, { manifests: current, inventories: inventories.current }), rules, input.rules, security);
  if (changedFiles === undefined) return report;
  return { ...report, requirements: [...report.requirements, ...gateChangeRequirements(changedFiles, rules)], changedFiles: changedFiles.length };
}
