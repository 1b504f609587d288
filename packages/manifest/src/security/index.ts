export { securityDiff } from './diff';
export { mayGrant, resourceGrants, type Grant } from './grants';
export { cidrCovers, networkRules, ruleCovers } from './network';
export { PolicyShapeError } from './errors';
export { coveredByAny, globCovers, isPolicyDocument, policyStatements, statementCovers } from './policy';
export { renderSecurityDiffMarkdown, renderSecurityReport } from './render';
export { securityDiffs, securityReport, type SecurityReport, type SecuritySides } from './report';
export type { GrantKind, Inventory, NetworkRule, NormalStatement, PolicyCondition, SecurityClassification, SecurityDiff, SecurityDiffRow } from './types';
