export { ApprovalInputError } from './errors';
export { GATE_TRIGGER_CAP, gateChangeRequirements, readChangedFiles } from './gateChange';
export { renderRequirements, renderVerify, TRIGGER_CAP } from './render';
export { requirementsFor } from './load';
export type { RequirementsInput } from './load';
export { collectChanges, computeRequirements, describeChange } from './requirements';
export type { CurrentSide } from './requirements';
export { globToRegExp, isExempt, loadApprovalRules, matches, parseApprovalRules, pathAndParents, readJsonFile, triggers } from './rules';
export { approvalRulesSchema, COMMIT_ID, gateChangeSchema, givenApprovalsSchema, resourceSelectorSchema } from './schema';
export { loadGivenApprovals, loadRequirementsReport, parseGivenApprovals, verifyApprovals } from './verify';
export type {
  ApprovalRequirement,
  ApprovalRule,
  ApprovalRules,
  ChangedItem,
  CodeReviewOnly,
  ExemptChange,
  GateChange,
  GivenApprovals,
  NotCounted,
  PullRequestFacts,
  RequirementsReport,
  RequirementStatus,
  ResourceSelector,
  VerifyReport,
} from './types';
