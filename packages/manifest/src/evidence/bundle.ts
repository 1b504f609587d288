import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { create as createTar } from 'tar';
import { canonicalJson } from '../hash';
import { writeFileAtomic } from '../io';
import { renderSecurityDiffMarkdown, securityDiff, type SecurityDiff } from '../security';
import type { ResourceInventory } from '../types';
import { baselineFiles, collectEvidence, type CollectedEvidence, type EvidenceSources } from './collect';
import { buildEvidenceIndex, EVIDENCE_FORMAT, INDEX_FILE, sha256Hex } from './digest';
import { EvidenceError } from './errors';
import { renderEvidenceMarkdown } from './render';
import type { EvidenceResult } from './types';

/** How many hex digits of the baseline id name the default bundle folder. */
export const BUNDLE_ID_LENGTH = 12;

/** Where bundles go by default: `dist/evidence/<env>-<baseline id>/`. */
export const DEFAULT_EVIDENCE_DIR = join('dist', 'evidence');

/** Environment variables whose values are secrets: none of them may appear in a bundle. */
const SECRET_VARIABLE = /SECRET|TOKEN|PASSWORD|PASSPHRASE|PRIVATE_KEY|CREDENTIAL/i;
/** Shorter values are too likely to occur by chance (`true`, a region) to be told from a leak. */
const SECRET_MIN_LENGTH = 8;

/** Options of `writeEvidenceBundle`. */
export interface EvidenceOptions extends EvidenceSources {
  /** The bundle folder. Default: `dist/evidence/<env>-<baseline id>`. */
  out?: string;
  /** Environment variables the secret check reads. Default: `process.env`. */
  env?: NodeJS.ProcessEnv;
}

/**
 * The id of an approved baseline: the first 12 hex digits of the SHA-256 of the canonical JSON of its hashes
 * `{configHash, inventoryHash}`. Both hashes are in it, so a change of configuration or of any resource gets a new id.
 *
 * @example
 * baselineId({ configHash: '8670fce7…', inventoryHash: '95a625c0…' }); // '3b1f09a2c4d5'
 */
export function baselineId(hashes: { configHash: string; inventoryHash?: string }): string {
  return sha256Hex(canonicalJson({ configHash: hashes.configHash, inventoryHash: hashes.inventoryHash ?? null })).slice(0, BUNDLE_ID_LENGTH);
}

/** The security diff of the change (previous approved inventory → this one), as `security-diff.json` and `.md`. */
function securityDiffFiles(before: ResourceInventory | undefined, after: ResourceInventory): { json: SecurityDiff; markdown: string } {
  const diff = securityDiff(before, after);
  return { json: diff, markdown: renderSecurityDiffMarkdown(diff) };
}

const json = (value: unknown): Buffer => Buffer.from(`${JSON.stringify(value, null, 2)}\n`, 'utf8');

/** Every file of the bundle (bundle path → bytes), `index.json` aside. */
function bundleFiles(evidence: CollectedEvidence): Map<string, Buffer> {
  const { history } = evidence;
  const record = history.approval?.record;
  const security = securityDiffFiles(evidence.change.before, evidence.baseline.inventory.inventory);
  return new Map<string, Buffer>([
    [
      'change.json',
      json({
        format: EVIDENCE_FORMAT,
        environment: evidence.environment,
        baselineId: baselineId(evidence.baseline.hashes),
        generatedAt: evidence.generatedAt,
        approved: evidence.findings.length === 0,
        findings: evidence.findings,
        commit: evidence.git,
        hashes: { old: history.previous.hashes, new: evidence.baseline.hashes },
        proposer: record?.proposer ?? record?.approver ?? null,
        reason: record?.reason ?? null,
        approvedAt: record?.time ?? null,
        historyFile: history.file,
        historyLine: history.approval?.line ?? null,
        changedPaths: record?.changedPaths ?? null,
        changedResources: record?.changedResources ?? null,
        audit: evidence.audit,
        revertDrift: history.revertDrift,
      }),
    ],
    ['change-summary.txt', Buffer.from(evidence.change.text, 'utf8')],
    ['gate-check.txt', Buffer.from(evidence.gate.text, 'utf8')],
    ['security-diff.json', json(security.json)],
    ['security-diff.md', Buffer.from(security.markdown, 'utf8')],
    ['policy.json', json(evidence.policy)],
    ['requirements.json', json(evidence.requirements)],
    ['approvals.json', json(evidence.approvals)],
    ['status.json', json(evidence.status)],
    ['backout.json', json(evidence.backOut)],
    ['history.jsonl', Buffer.from(history.lines.map((l) => `${l.text}\n`).join(''), 'utf8')],
    ...baselineFiles(evidence),
    ['evidence.md', Buffer.from(renderEvidenceMarkdown(evidence), 'utf8')],
  ]);
}

/** Refuses a bundle that holds the value of a secret environment variable (named, never shown). */
function assertNoSecrets(files: ReadonlyMap<string, Buffer>, env: NodeJS.ProcessEnv): void {
  const secrets = Object.entries(env).filter((e): e is [string, string] => SECRET_VARIABLE.test(e[0]) && typeof e[1] === 'string' && e[1].length >= SECRET_MIN_LENGTH);
  for (const [path, bytes] of files) {
    const leaked = secrets.find(([, value]) => bytes.includes(value));
    if (leaked) throw new EvidenceError(path, `would hold the value of the environment variable ${leaked[0]}; nothing was written (find where it comes from and remove it)`);
  }
}

/** Empties `dir` for a new bundle: missing, empty, or an earlier bundle (it has an index.json); anything else is refused. */
function prepareFolder(dir: string, archive: string): void {
  if (existsSync(dir)) {
    if (!statSync(dir).isDirectory() || (readdirSync(dir).length > 0 && !existsSync(join(dir, INDEX_FILE)))) {
      throw new EvidenceError(dir, 'exists and is not an evidence bundle; give another --out (a bundle folder is replaced, nothing else is)');
    }
    rmSync(dir, { recursive: true, force: true });
  }
  if (existsSync(archive) && !statSync(archive).isFile()) throw new EvidenceError(archive, 'exists and is not a file; remove it or give another --out');
  mkdirSync(dir, { recursive: true });
}

/**
 * Writes the evidence bundle of `environment`'s approved baseline (see `collectEvidence`): one folder of files,
 * `index.json` with the SHA-256 of each of them, and a `.tar.gz` of the folder beside it. `tap-drift evidence verify`
 * checks either.
 *
 * @throws ManifestError / EvidenceError (exit 2) when an input cannot be read, the folder is in the way, or a secret
 *   environment variable's value would be written.
 * @example
 * const result = writeEvidenceBundle({ environment: 'prod', baseline: 'apps/tap-stack/manifests', current: 'dist/apps/tap-stack/synth' });
 * result.dir; // 'dist/evidence/prod-3b1f09a2c4d5'
 * result.indexSha256; // record it outside the bundle
 */
export function writeEvidenceBundle(options: EvidenceOptions): EvidenceResult {
  const evidence = collectEvidence(options);
  const files = bundleFiles(evidence);
  const index = buildEvidenceIndex(evidence.environment, files);
  const indexBytes = json(index);
  files.set(INDEX_FILE, indexBytes);
  assertNoSecrets(files, options.env ?? process.env);

  const dir = options.out ?? join(DEFAULT_EVIDENCE_DIR, `${evidence.environment}-${baselineId(evidence.baseline.hashes)}`);
  const archive = `${dir.replace(/[/\\]+$/, '')}.tar.gz`;
  prepareFolder(dir, archive);
  for (const [path, bytes] of files) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileAtomic(join(dir, path), bytes.toString('utf8'));
  }
  // Portable entries (no owner, fixed times): the archive depends on the files only.
  createTar({ file: archive, cwd: dirname(dir), gzip: true, sync: true, portable: true, mtime: new Date(0) }, [basename(dir)]);
  return {
    environment: evidence.environment,
    dir,
    archive,
    indexSha256: sha256Hex(indexBytes),
    archiveSha256: sha256Hex(readFileSync(archive)),
    files: [...files.keys()].sort(),
    approved: evidence.findings.length === 0,
    findings: evidence.findings,
  };
}
