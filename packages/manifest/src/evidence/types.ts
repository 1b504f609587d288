import type { EnvironmentName } from '@tap/validation';
import type { BaselineHashes } from '../types';

/** The `index.json` of an evidence bundle: the SHA-256 of every other file of the bundle, by its path in the bundle. */
export interface EvidenceIndex {
  /** The bundle format, `tap-evidence/1`. */
  format: string;
  environment: EnvironmentName;
  algorithm: 'sha256';
  /** Bundle path (forward slashes, relative to the bundle folder) → lowercase hex SHA-256 of its bytes. */
  files: Record<string, string>;
}

/** Where a back-out goes: the baseline before this change, and the commit that holds it. */
export interface BackOutTarget {
  /** The hashes the history says were approved before this change (null: this was the first approval). */
  hashes: BaselineHashes | null;
  /** The history line that approved them (1-based), when the history has it. */
  historyLine: number | null;
  /** The newest commit whose `<env>.json` (and inventory) have those hashes, when git can tell. */
  commit: string | null;
  /** Why `commit` is null, when it is. */
  commitNote?: string;
  /** Whether this change left the environment as it was (old and new hashes equal). */
  unchanged: boolean;
  /** What to run to go back, in order. */
  procedure: string[];
}

/** What `writeEvidenceBundle` did. */
export interface EvidenceResult {
  environment: EnvironmentName;
  /** The bundle folder. */
  dir: string;
  /** The `.tar.gz` of the folder, beside it. */
  archive: string;
  /** SHA-256 of `index.json`: record it outside the bundle (CI log, job summary) to pin the whole bundle. */
  indexSha256: string;
  /** SHA-256 of the archive's bytes. */
  archiveSha256: string;
  /** Bundle paths written, sorted. */
  files: string[];
  /** The synth is the approved baseline and the audit record verifies: the bundle documents an approved state. */
  approved: boolean;
  /** Why it is not approved (one line each), when it is not. */
  findings: string[];
}

/** What `verifyEvidenceBundle` found. */
export interface EvidenceVerifyReport {
  /** Every file is in the index with its digest, and nothing else is in the bundle. */
  ok: boolean;
  /** The folder or archive verified. */
  path: string;
  /** SHA-256 of `index.json` as found (absent when there is none). */
  indexSha256?: string;
  /** How many files the index lists. */
  files: number;
  /** One line each: a changed, missing or extra file, an unreadable index, a pinned index digest that differs. */
  problems: string[];
}
