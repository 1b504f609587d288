export { approveManifests } from './approve';
export type { ApproveOptions } from './approve';
export { checkManifests } from './check';
export { compareManifests } from './compare';
export { CONFIG_PATHS, DEFAULT_HISTORY_FILE, EXIT_CODES, MANIFEST_VERSION, OUTPUT_FORMATS } from './constants';
export { diffManifests, flattenConfiguration } from './diff';
export { ManifestError, ManifestHashMismatchError, ManifestSchemaError } from './errors';
export type { ManifestErrorCode } from './errors';
export { canonicalJson, computeConfigHash } from './hash';
export { loadManifest, loadManifestSet, writeFileAtomic } from './io';
export { createConfigManifest, manifestToEnvironmentConfig, verifyManifest } from './manifest';
export { renderApprove, renderCheck, renderCompare, renderHash } from './render';
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
