import { z } from 'zod';
import { ENVIRONMENT_NAMES } from '@tap/validation';
import { ApprovalInputError } from './errors';
import { readJsonFile } from './rules';
import { givenApprovalsSchema } from './schema';
import type { GivenApprovals, RequirementsReport, VerifyReport } from './types';

const issuesOf = (error: z.ZodError): string[] =>
  error.issues.slice(0, 5).map((issue) => `${issue.path.length ? issue.path.join('.') : '(root)'}: ${issue.message}`);

/**
 * Validates given approvals (`[{"approver": "alice", "groups": ["security"]}]`).
 *
 * @throws ApprovalInputError naming `source` (exit 2 in the CLI).
 * @example
 * const given = parseGivenApprovals([{ approver: 'alice', groups: ['platform-leads'] }]);
 */
export function parseGivenApprovals(value: unknown, source = 'given approvals'): GivenApprovals {
  const parsed = givenApprovalsSchema.safeParse(value);
  if (!parsed.success) {
    throw new ApprovalInputError(
      source,
      `not a list of approvals: ${issuesOf(parsed.error).join('; ')} (expected [{"approver": "<login>", "groups": ["<group>", ...]}, ...])`,
    );
  }
  return parsed.data;
}

/**
 * Reads and validates a given-approvals file.
 *
 * @throws ApprovalInputError when it is missing, not JSON, or not the approvals shape.
 * @example
 * const given = loadGivenApprovals('dist/approvals.json');
 */
export function loadGivenApprovals(file: string): GivenApprovals {
  return parseGivenApprovals(readJsonFile(file, 'given approvals'), file);
}

const requirementSchema = z
  .object({
    rule: z.string().min(1),
    group: z.string().min(1),
    approvals: z.number().int().min(1),
    reason: z.string(),
    environments: z.array(z.enum(ENVIRONMENT_NAMES)),
    triggeredBy: z.array(z.string()),
  })
  .passthrough();

/**
 * Reads the JSON of `tap-drift requirements --format json` (so a workflow can compute the requirements once and verify
 * them as approvals arrive).
 *
 * @throws ApprovalInputError when it is missing, not JSON, or has no valid `requirements` list.
 * @example
 * const report = loadRequirementsReport('dist/apps/tap-stack/requirements.json');
 */
export function loadRequirementsReport(file: string): RequirementsReport {
  const value = readJsonFile(file, 'requirements report');
  const parsed = z.object({ requirements: z.array(requirementSchema) }).passthrough().safeParse(value);
  if (!parsed.success) {
    throw new ApprovalInputError(file, `not a requirements report (tap-drift requirements --format json): ${issuesOf(parsed.error).join('; ')}`);
  }
  return value as RequirementsReport;
}

/**
 * Each requirement against the given approvals: met when at least `approvals` distinct approvers (names compared
 * case-insensitively, as code hosts compare logins) belong to its group. One person may meet requirements of several
 * groups they belong to, but counts once per requirement.
 *
 * @example
 * const result = verifyApprovals(report, [{ approver: 'alice', groups: ['platform-leads'] }]);
 * result.met; // false when two platform leads are required
 * result.requirements[0].missing; // 1
 */
export function verifyApprovals(report: Pick<RequirementsReport, 'requirements'>, given: GivenApprovals, givenFile?: string): VerifyReport {
  const requirements = report.requirements.map((requirement) => {
    const approvers = new Map<string, string>();
    for (const approval of given) {
      if (!approval.groups.includes(requirement.group)) continue;
      const key = approval.approver.toLowerCase();
      if (!approvers.has(key)) approvers.set(key, approval.approver);
    }
    const approvedBy = [...approvers.values()].sort();
    const missing = Math.max(0, requirement.approvals - approvedBy.length);
    return { ...requirement, approvedBy, met: missing === 0, missing };
  });
  return { met: requirements.every((r) => r.met), requirements, ...(givenFile ? { givenFile } : {}) };
}
