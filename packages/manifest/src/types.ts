import type { EnvironmentName, FieldPolicy } from '@tap/validation';
import type { z } from 'zod';
import type { OUTPUT_FORMATS } from './constants';
import type { configurationSchema } from './schema';

/** The hashed part of a manifest: what an environment is. */
export type ManifestConfiguration = z.infer<typeof configurationSchema>;

/** A canonical, hashed record of one environment's configuration. */
export interface ConfigManifest {
  manifestVersion: 1;
  environment: EnvironmentName;
  /** ISO 8601; when the manifest was made. Never part of the hash. */
  timestamp: string;
  configuration: ManifestConfiguration;
  /** Lowercase hex SHA-256 of the RFC 8785 canonical JSON of `configuration`. */
  configHash: string;
}

/** What `createConfigManifest` needs besides the environment config. */
export interface ManifestExtras {
  /** The deployed container image, e.g. `123.dkr.ecr.us-east-1.amazonaws.com/payments@sha256:...`. */
  imageUri: string;
  /** ISO 8601 timestamp. Default: now. Fix it for reproducible files (offline synth, tests). */
  timestamp?: string;
}

export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/** One difference between two manifests, by configuration path. */
export interface ManifestChange {
  path: string;
  kind: 'changed' | 'added' | 'removed';
  before?: unknown;
  after?: unknown;
}

/** A manifest and the file it came from. */
export interface LoadedManifest {
  file: string;
  manifest: ConfigManifest;
}

/** One configuration path across environments in `compareManifests`. */
export interface CompareRow {
  path: string;
  /** How the path may vary (from `@tap/validation`'s FIELD_POLICIES). */
  policy: FieldPolicy;
  values: Partial<Record<EnvironmentName, unknown>>;
  /** `same`: equal everywhere and within every profile; `expected`: differs as profiles allow; `drift`: anything else. */
  status: 'same' | 'expected' | 'drift';
  /** Why a row is drift, one sentence each (e.g. `prod: Prod environment must run 2 database instances ...`). */
  reasons: string[];
}

export interface CompareReport {
  environments: EnvironmentName[];
  files: Partial<Record<EnvironmentName, string>>;
  rows: CompareRow[];
  drift: boolean;
}

/** One environment against its approved baseline. */
export interface EnvironmentCheck {
  environment: EnvironmentName;
  /** `added`: current only (no approved baseline); `removed`: baseline only (no current manifest). */
  status: 'unchanged' | 'changed' | 'added' | 'removed';
  baselineFile?: string;
  currentFile?: string;
  baselineHash?: string;
  currentHash?: string;
  changes: ManifestChange[];
}

export interface CheckReport {
  environments: EnvironmentCheck[];
  changed: boolean;
}

/** One line of the approval history (JSON Lines). */
export interface ApprovalRecord {
  time: string;
  environment: EnvironmentName;
  oldHash: string | null;
  newHash: string;
  changedPaths: string[];
  baselineFile: string;
  currentFile: string;
}

export interface ApproveReport {
  /** The check that was approved (what changed). */
  check: CheckReport;
  /** Environments whose baseline was written, with their history line. */
  approved: ApprovalRecord[];
  historyFile: string;
}
