import { z } from 'zod';
import { ENVIRONMENT_NAMES } from '@tap/validation';
import { ApprovalInputError } from './errors';
import { readJsonFile } from './rules';
import { givenApprovalsSchema } from './schema';
import type { GivenApprovals, NotCounted, PullRequestFacts, RequirementsReport, VerifyReport } from './types';

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
      `not a list of approvals: ${issuesOf(parsed.error).join('; ')} (expected [{"approver": "<login>", "groups": ["<group>", ...], "reviewId": <n>, "commitId": "<sha>"}, ...])`,
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

const short = (sha: string): string => sha.slice(0, 7).toLowerCase();

/** Why `approval` cannot vouch for the pull request's code, or undefined when it can (duplicates aside). */
function refusal(approval: GivenApprovals[number], pullRequest: PullRequestFacts): string | undefined {
  const login = approval.approver.toLowerCase();
  if (pullRequest.author !== undefined && login === pullRequest.author.toLowerCase()) return "the pull request's author";
  if (pullRequest.pushers?.some((pusher) => pusher.toLowerCase() === login)) return 'pushed commits to this pull request';
  if (pullRequest.head === undefined) return undefined;
  if (approval.commitId === undefined) return `records no commit, so it cannot be on the head ${short(pullRequest.head)}`;
  if (approval.commitId.toLowerCase() !== pullRequest.head.toLowerCase()) {
    return `given on an older commit ${short(approval.commitId)}, not on the head ${short(pullRequest.head)}`;
  }
  return undefined;
}

/**
 * Each requirement against the given approvals: met when at least `approvals` distinct approvers (names compared
 * case-insensitively, as code hosts compare logins) belong to its group. One person may meet requirements of several
 * groups they belong to, but counts once per requirement: only the first approval given for a person counts.
 *
 * With `pullRequest`, an approval counts only when it vouches for the code under review: not by the author, not by
 * anyone who pushed commits (`pushers`), and given on the `head` commit. Every approval not counted is listed in
 * `notCounted` with its reason.
 *
 * @example
 * const result = verifyApprovals(report, [{ approver: 'alice', groups: ['platform-leads'], reviewId: 80, commitId: head }], 'given.json', { author: 'bob', head, pushers: ['bob'] });
 * result.met; // false when two platform leads are required
 * result.requirements[0].missing; // 1
 * result.notCounted; // [] (alice's review is on the head, and she pushed nothing)
 */
export function verifyApprovals(
  report: Pick<RequirementsReport, 'requirements'>,
  given: GivenApprovals,
  givenFile?: string,
  pullRequest: PullRequestFacts = {},
): VerifyReport {
  const counted = new Map<string, GivenApprovals[number]>();
  const notCounted: NotCounted[] = [];
  for (const approval of given) {
    const key = approval.approver.toLowerCase();
    const first = counted.get(key);
    const reason =
      refusal(approval, pullRequest) ??
      (first ? `${first.approver} is given already${first.reviewId === undefined ? '' : ` (review ${first.reviewId})`}: each person counts once` : undefined);
    if (reason === undefined) counted.set(key, approval);
    else notCounted.push({ approver: approval.approver, ...(approval.reviewId === undefined ? {} : { reviewId: approval.reviewId }), reason });
  }
  const requirements = report.requirements.map((requirement) => {
    const approvedBy = [...counted.values()]
      .filter((approval) => approval.groups.includes(requirement.group))
      .map((approval) => approval.approver)
      .sort();
    const missing = Math.max(0, requirement.approvals - approvedBy.length);
    return { ...requirement, approvedBy, met: missing === 0, missing };
  });
  const facts = Object.values(pullRequest).some((value) => value !== undefined);
  return {
    met: requirements.every((r) => r.met),
    requirements,
    notCounted,
    ...(facts ? { pullRequest } : {}),
    ...(givenFile ? { givenFile } : {}),
  };
}
