import type { EnvironmentName } from '@tap/validation';
import { existsSync } from 'node:fs';
import { ManifestError } from '../errors';
import { readFileBytes } from '../io';
import type { ApprovalRecord, BaselineHashes } from '../types';

/** The history record a deploy writes when it reverts out-of-band drift (`--revert-drift --reason`). */
export const REVERT_DRIFT_KIND = 'revert-drift';

/** One history line as the bundle keeps it: its number, its exact text and its parsed value. */
export interface EvidenceHistoryLine {
  line: number;
  text: string;
  value: Record<string, unknown>;
}

/** What the history says about one environment's current baseline. */
export interface HistoryEvidence {
  /** The latest approval of the environment (its proposer, reason, recorded approvals), when there is one. */
  approval?: { line: number; record: ApprovalRecord };
  /** The baseline before it (`oldHash` / `oldInventoryHash`; null: the first approval) and the line that approved it. */
  previous: { hashes: BaselineHashes | null; line: number | null };
  /** The lines since the previous baseline that concern the environment (approvals, revert-drift, the chain start). */
  lines: EvidenceHistoryLine[];
  /** The `revert-drift` records of the environment among `lines`. */
  revertDrift: Array<Record<string, unknown>>;
}

/**
 * Every line of a history, parsed but not judged by kind: the bundle keeps records of kinds this version does not know
 * (e.g. `revert-drift`) as they are. `tap-drift audit verify` judges the chain; the bundle records its verdict.
 *
 * @throws ManifestError naming `file:line` for a line that is not a JSON object.
 * @example
 * readHistoryLines('apps/tap-stack/manifests/history.jsonl').at(-1)?.value['environment']; // 'prod'
 */
export function readHistoryLines(file: string): EvidenceHistoryLine[] {
  if (!existsSync(file)) return [];
  const lines: EvidenceHistoryLine[] = [];
  readFileBytes(file)
    .toString('utf8')
    .split('\n')
    .forEach((text, index) => {
      if (text.trim() === '') return;
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch (error) {
        throw new ManifestError('invalid-json', `${file}:${index + 1}`, `invalid JSON (${(error as Error).message})`);
      }
      if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ManifestError('schema', `${file}:${index + 1}`, 'not a history record (a JSON object)');
      lines.push({ line: index + 1, text, value: value as Record<string, unknown> });
    });
  return lines;
}

const isApproval = (value: Record<string, unknown>, environment: EnvironmentName): boolean => !('kind' in value) && value['environment'] === environment;
const approvedHashes = (record: ApprovalRecord): BaselineHashes => ({
  configHash: record.newHash,
  ...(record.newInventoryHash ? { inventoryHash: record.newInventoryHash } : {}),
});
const sameHashes = (a: BaselineHashes, b: BaselineHashes): boolean => a.configHash === b.configHash && a.inventoryHash === b.inventoryHash;

/**
 * The environment's latest approval, the baseline before it, and the history lines since that earlier baseline.
 *
 * @example
 * const facts = historyEvidence(readHistoryLines(file), 'prod');
 * facts.approval?.record.reason; // 'Prod database now protected: ...'
 * facts.previous.hashes?.configHash; // 'fac507a5…'
 */
export function historyEvidence(lines: readonly EvidenceHistoryLine[], environment: EnvironmentName): HistoryEvidence {
  const approvals = lines.filter((l) => isApproval(l.value, environment));
  const latest = approvals.at(-1);
  if (!latest) {
    const concerned = lines.filter((l) => l.value['environment'] === environment || l.value['kind'] === 'chain-start');
    return { previous: { hashes: null, line: null }, lines: concerned, revertDrift: revertDriftOf(concerned, environment) };
  }
  const record = latest.value as unknown as ApprovalRecord;
  const hashes: BaselineHashes | null =
    record.oldHash === null ? null : { configHash: record.oldHash, ...(record.oldInventoryHash ? { inventoryHash: record.oldInventoryHash } : {}) };
  // The line that approved the previous baseline: the newest approval before the latest with those hashes.
  const before = hashes === null ? undefined : approvals.filter((l) => l.line < latest.line && sameHashes(approvedHashes(l.value as unknown as ApprovalRecord), hashes)).at(-1);
  const since = before?.line ?? 0;
  const concerned = lines.filter((l) => l.line > since && (l.value['environment'] === environment || l.value['kind'] === 'chain-start'));
  return {
    approval: { line: latest.line, record },
    previous: { hashes, line: before?.line ?? null },
    lines: concerned,
    revertDrift: revertDriftOf(concerned, environment),
  };
}

function revertDriftOf(lines: readonly EvidenceHistoryLine[], environment: EnvironmentName): Array<Record<string, unknown>> {
  return lines.filter((l) => l.value['kind'] === REVERT_DRIFT_KIND && l.value['environment'] === environment).map((l) => l.value);
}
