export { approveManifests } from './approve';
export type { ApproveOptions } from './approve';
export {
  checkPolicyReport,
  CI_REFUSED_FLAGS,
  ciRefusals,
  gitIdentity,
  isChainStart,
  isCi,
  readApprovalHistory,
  readHistory,
  resolveApprover,
  resolveIdentity,
  summarizeResourceChanges,
} from './audit';
export type { ApproverSources, GitIdentityFn } from './audit';
export { SETTING_BINDINGS, checkBindings, configuredValue, feedHolds, feedProblem, feedResources, programName } from './binding';
export type { BindingFinding, BoundResource, FeedProblem, SettingBinding } from './binding';
export { checkManifests } from './check';
export type { CheckInventories } from './check';
export { compareManifests } from './compare';
export {
  CONFIG_MANIFEST_OUTPUT,
  CONFIG_PATHS,
  DEFAULT_HISTORY_FILE,
  EXIT_CODES,
  IMAGE_URI_PATH,
  INVENTORY_FILE_SUFFIX,
  INVENTORY_VERSION,
  MANIFEST_VERSION,
  MARKDOWN_DETAIL_CAP,
  MARKDOWN_RESOURCE_CAP,
  MAX_INPUT_BYTES,
  NETWORK_PARITY_RULES,
  OUTPUT_FORMATS,
  PULUMI_EXIT_CHANGES,
  REFERENCE_ATTRIBUTES,
  REFRESH_OP_KINDS,
  RESOURCE_PARITY_RULES,
  SECRET_INPUT_KEYS,
  SECRET_PLACEHOLDER,
  SYNTH_RESOURCES_FILE,
  VOLATILE_VALUES,
} from './constants';
export { diffManifests, flattenConfiguration } from './diff';
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
export { canonicalJson, computeConfigHash } from './hash';
export {
  computeInventoryHash,
  createInventory,
  formatPath,
  inventoryFileFor,
  inventorySchema,
  loadInventory,
  loadInventorySet,
  serializeInventory,
  verifyInventory,
} from './inventory';
export { historyLineHash, nextPrevHash, startChain, verifyAuditTrail, withHistoryLock } from './history/chain';
export type { StartChainOptions, VerifyAuditOptions } from './history/chain';
export { owedApprovals } from './history/owed';
export type { OwedApprovalsOptions } from './history/owed';
export { renderAudit, renderOwed } from './history/render';
export { assertInsideDirectory, loadManifest, loadManifestSet, readFileBytes, readJsonFile, readTextFile, writeFileAtomic } from './io';
export type { WriteFn } from './io';
export { compareInventories } from './parity';
export type { ParityInput } from './parity';
export { diffInventories, diffValues, shortUrn } from './resourceDiff';
export { createConfigManifest, manifestToEnvironmentConfig, verifyManifest } from './manifest';
export { comparableImageUri, compareDeployed } from './live/deployed';
export { applyIgnoreRules, ignoreFileSchema, loadIgnoreRules, parseIgnoreRules } from './live/ignore';
export { parseRefreshPreview, propertyPathSegments, redactSecrets } from './live/refresh';
export { EXPECTED_CHANGES, ROTATION_STAGES, expectedChange } from './live/expected';
export type { ExpectedChange, ExpectedChangeInput } from './live/expected';
export { buildLiveReport } from './live/report';
export type { LiveReportParts } from './live/report';
export { runLiveDrift, spawnPulumi } from './live/run';
export type { LiveDriftOptions, SpawnFn, SpawnResult } from './live/run';
export type {
  DeployedChange,
  DeployedComparison,
  IgnoredBy,
  IgnoreRule,
  LiveDriftReport,
  PropertyDrift,
  RefreshPreview,
  ResourceDrift,
  ResourceDriftKind,
} from './live/types';
export { renderApprove, renderCheck, renderCompare, renderHash, renderLive } from './render';
export { configurationSchema, manifestSchema } from './schema';
export type {
  ApprovalRecord,
  Approver,
  AuditProblem,
  AuditReport,
  BaselineHashes,
  ChainStartRecord,
  HistoryLine,
  HistoryRecord,
  OwedApproval,
  OwedReport,
  ApproveReport,
  ChangedResources,
  CheckReport,
  CompareReport,
  CompareRow,
  ComponentChanges,
  ConfigManifest,
  EnvironmentCheck,
  InventoryCheck,
  InventoryCounts,
  InventoryDiff,
  InventoryNormalisation,
  InventoryResource,
  LoadedInventory,
  LoadedManifest,
  ParityRow,
  PolicyResult,
  RecordedApprovals,
  PropertyChange,
  ResourceChange,
  ResourceInventory,
  ResourceParityReport,
  VolatileOccurrence,
  ManifestChange,
  ManifestConfiguration,
  ManifestExtras,
  OutputFormat,
} from './types';
export * from './approvals';
