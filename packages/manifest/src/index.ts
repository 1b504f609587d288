// The public API of @tap/manifest, by job (README.md, "API"). Everything else is internal: tests import it from its
// module. `@tap/manifest/pulumi` adds `createConfigManifestOutput` for Pulumi programs.

// Records: configuration manifests and resource inventories, their hashes, reading and writing them.
export { CONFIG_PATHS, EXIT_CODES, INVENTORY_VERSION, MANIFEST_VERSION } from './constants';
export { canonicalJson, computeConfigHash } from './hash';
export { createConfigManifest, manifestToEnvironmentConfig, verifyManifest } from './manifest';
export { createInventory, loadInventory, loadInventorySet, serializeInventory, verifyInventory } from './inventory';
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
export type { ParityInput } from './parity';
export { approveManifests } from './approve';
export type { ApproveOptions } from './approve';
export { ciRefusals } from './audit';
export type { GitIdentityFn } from './audit';

// Approvals and the audit record: requirements, their verification, the hash-chained history.
export { loadApprovalRules, loadGivenApprovals, requirementsFor, verifyApprovals } from './approvals';
export type { ApprovalRules, RequirementsInput, RequirementsReport, VerifyReport } from './approvals';
export { historyLineHash, nextPrevHash, verifyAuditTrail, withHistoryLock } from './history/chain';
export type { VerifyAuditOptions } from './history/chain';
export { readHistory } from './audit';
export { owedApprovals } from './history/owed';
export type { OwedApprovalsOptions } from './history/owed';

// Live drift: cloud vs state and deployed vs code.
export { runLiveDrift } from './live/run';
export type { LiveDriftOptions, SpawnFn, SpawnResult } from './live/run';
export { compareDeployed } from './live/deployed';
export type { DeployedChange, DeployedComparison, LiveDriftReport, ResourceDrift } from './live/types';

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
} from './types';
