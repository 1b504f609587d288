export { approveManifests } from './approve';
export type { ApproveOptions } from './approve';
export { checkManifests } from './check';
export { compareManifests } from './compare';
export {
  CONFIG_MANIFEST_OUTPUT,
  CONFIG_PATHS,
  DEFAULT_HISTORY_FILE,
  EXIT_CODES,
  IMAGE_URI_PATH,
  MANIFEST_VERSION,
  OUTPUT_FORMATS,
  PULUMI_EXIT_CHANGES,
  REFRESH_OP_KINDS,
  SECRET_PLACEHOLDER,
} from './constants';
export { diffManifests, flattenConfiguration } from './diff';
export { LiveDriftError, ManifestError, ManifestHashMismatchError, ManifestSchemaError } from './errors';
export type { LiveDriftErrorCode, ManifestErrorCode } from './errors';
export { canonicalJson, computeConfigHash } from './hash';
export { loadManifest, loadManifestSet, writeFileAtomic } from './io';
export { createConfigManifest, manifestToEnvironmentConfig, verifyManifest } from './manifest';
export { comparableImageUri, compareDeployed } from './live/deployed';
export { applyIgnoreRules, ignoreFileSchema, loadIgnoreRules, parseIgnoreRules } from './live/ignore';
export { parseRefreshPreview, propertyPathSegments, redactSecrets } from './live/refresh';
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
  ApproveReport,
  CheckReport,
  CompareReport,
  CompareRow,
  ConfigManifest,
  EnvironmentCheck,
  LoadedManifest,
  ManifestChange,
  ManifestConfiguration,
  ManifestExtras,
  OutputFormat,
} from './types';
