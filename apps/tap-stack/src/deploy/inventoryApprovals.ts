import { join } from 'node:path';
import {
  ApprovalInputError,
  collectChanges,
  computeRequirements,
  diffInventories,
  loadApprovalRules,
  type CheckReport,
  type RequirementsReport,
  type ResourceInventory,
} from '@tap/manifest';
import type { EnvironmentName } from '@tap/validation';
import { DEPLOY_EXIT, type StackGateSpec } from './constants';
import { GateError } from './errors';

/**
 * The approvals a change of an inventory-only stack (networking-stack) needs: its resource changes against the
 * approved inventory (every resource, for a new environment), matched against the stack's approval rules as tap-drift
 * matches tap-stack's. `undefined` when the stack has no rules.
 *
 * @throws GateError (could not gate) when the rules file is missing or invalid.
 * @example
 * const report = inventoryRequirements(root, STACK_GATES['networking-stack'], 'prod', approved, current);
 * report?.requirements.map((r) => `${r.approvals} x ${r.group}`); // ['2 x platform-leads', '1 x security', ...]
 */
export function inventoryRequirements(
  root: string,
  spec: StackGateSpec,
  environment: EnvironmentName,
  approved: ResourceInventory | undefined,
  current: ResourceInventory,
): RequirementsReport | undefined {
  if (!spec.approvalRules) return undefined;
  const diff = diffInventories(approved ?? { ...current, resources: {} }, current);
  const check: CheckReport = { environments: [{ environment, status: 'changed', changes: [], resources: { status: 'changed', diff } }], bindings: [], changed: true, errors: [] };
  try {
    return computeRequirements(collectChanges(check), loadApprovalRules(join(root, spec.approvalRules)), spec.approvalRules);
  } catch (err) {
    if (err instanceof ApprovalInputError) throw new GateError(`${err.message.split('\n')[0]}; nothing was checked`, DEPLOY_EXIT.couldNotGate);
    throw err;
  }
}

/**
 * One line per required approval, as the status file and the refusal list them.
 *
 * @example
 * requirementLines(report); // ['needs 1 x security [networking-foundation] (prod)', ...]
 */
export function requirementLines(report: RequirementsReport | undefined): string[] {
  return (report?.requirements ?? []).map((r) => `needs ${r.approvals} x ${r.group} [${r.rule}] (${r.environments.join(', ')})`);
}
