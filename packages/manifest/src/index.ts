// The public API of @tap/manifest, by job (README.md, "API"). Everything else is internal: tests import it from its
// module. `@tap/manifest/pulumi` adds `createConfigManifestOutput` for Pulumi programs.

// Records: configuration manifests and resource inventories, their hashes, reading and writing them.
export { CONFIG_PATHS, EXIT_CODES, INVENTORY_VERSION, MANIFEST_VERSION, SECRET_PLACEHOLDER } from './constants';
export { canonicalJson, computeConfigHash } from './hash';
export { createConfigManifest, manifestToEnvironmentConfig, verifyManifest } from './manifest';
export { createInventory, formatPath, loadInventory, loadInventorySet, serializeInventory, verifyInventory } from './inventory';
export { loadManifest, loadManifestSet, readFileBytes, readJsonFile, readTextFile, writeFileAtomic } from './io';
export type { WriteFn } from './io';

// The drift gate: check against the approved baselines, compare across environments, approve.
export { diffManifests } from './diff';
export { diffInventories } from './resourceDiff';
export { checkManifests } from './check';
export type { CheckInventories } from './check';
export { compareManifests } from './compare';
export { RESOURCE_PARITY_RULES } from './constants';
export { compareInventories } from './parity';
export { configuredValue, feedProblem, feedResources } from './binding';
export type { ParityInput } from './parity';
export { approveManifests } from './approve';
export type { ApproveOptions } from './approve';
export { ciRefusals } from './audit';
export type { GitIdentityFn } from './audit';

// Approvals and the audit record: requirements, their verification, the hash-chained history.
export { collectChanges, computeRequirements, loadApprovalRules, loadGivenApprovals, renderRequirements, requirementsFor, verifyApprovals } from './approvals';
export type { ApprovalRules, RequirementsInput, RequirementsReport, VerifyReport } from './approvals';
export { historyLineHash, nextPrevHash, verifyAuditTrail, withHistoryLock } from './history/chain';
export type { VerifyAuditOptions } from './history/chain';
export { readHistory } from './audit';
export { owedApprovals } from './history/owed';
export { appendRevertDrift } from './history/revertDrift';
export type { RevertDriftOptions } from './history/revertDrift';
export type { OwedApprovalsOptions } from './history/owed';

// Live drift: cloud vs state and deployed vs code.
export { runLiveDrift } from './live/run';
export type { LiveDriftOptions, SpawnFn, SpawnResult } from './live/run';
export { compareDeployed } from './live/deployed';
export { applyIgnoreRules, loadIgnoreRules } from './live/ignore';
export { parseRefreshPreview } from './live/refresh';
export type { DeployedChange, DeployedComparison, LiveDriftReport, RefreshPreview, ResourceDrift } from './live/types';

// The security diff: each changed grant, broadening or narrowing.
export { renderSecurityDiffMarkdown, renderSecurityReport, securityDiff, securityReport } from './security';
export type { Inventory, SecurityClassification, SecurityDiff, SecurityDiffRow, SecurityReport } from './security';

// The evidence bundle of a change, and its verification.
export { verifyEvidenceBundle, writeEvidenceBundle } from './evidence';
export type { EvidenceOptions, EvidenceResult, EvidenceVerifyReport } from './evidence';

// Errors: each one line naming the file or flag (see EXIT_CODES for how the CLI maps them).
export {
  ApprovalRefusedError,
  CiRefusalError,
  InventoryHashMismatchError,
  InventorySchemaError,
  LiveDriftError,
  ManifestError,
  ManifestHashMismatchError,
  ManifestSchemaError,
} from './errors';
export type { LiveDriftErrorCode, ManifestErrorCode } from './errors';
export { ApprovalInputError } from './approvals';

export type {
  ApprovalRecord,
  ApproveReport,
  AuditReport,
  CheckReport,
  CompareReport,
  ConfigManifest,
  EnvironmentCheck,
  HistoryLine,
  InventoryCheck,
  InventoryDiff,
  InventoryResource,
  LoadedInventory,
  LoadedManifest,
  ManifestChange,
  ManifestConfiguration,
  ManifestExtras,
  OwedReport,
  ResourceInventory,
  ResourceParityReport,
  RevertDriftRecord,
} from './types';
