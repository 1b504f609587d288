import { ENVIRONMENT_NAMES, type EnvironmentName } from '@tap/validation';
import { createHash } from 'node:crypto';
import { appendFileSync, closeSync, existsSync, mkdirSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { isApproval, isChainStart, readHistory } from '../audit';
import { DEFAULT_HISTORY_FILE } from '../constants';
import { ManifestError } from '../errors';
import { canonicalJson } from '../hash';
import { inventoryFileFor, loadInventory } from '../inventory';
import { assertInsideDirectory, loadManifest, readFileBytes, readTextFile } from '../io';
import type { ApprovalRecord, AuditProblem, AuditReport, BaselineHashes, ChainStartRecord, HistoryLine } from '../types';

const sha256 = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');
const short = (hash: string | undefined): string => (hash ? `${hash.slice(0, 12)}…` : 'none');

/**
 * The hash the next history line carries as `prevHash`: lowercase hex SHA-256 of the canonical JSON (RFC 8785) of a
 * line's parsed object. Whitespace and key order of the line do not change it; any value does.
 *
 * @example
 * historyLineHash(JSON.parse(lastLine)); // '9c1e…' (64 hex characters)
 */
export function historyLineHash(value: unknown): string {
  return sha256(canonicalJson(value));
}

/**
 * The `prevHash` of the next line appended to `file`: the hash of its last line, or null when the history is missing
 * or empty.
 *
 * @throws ManifestError when a line of the history cannot be read (nothing is appended onto a broken file).
 * @example
 * nextPrevHash('apps/tap-stack/manifests/history.jsonl'); // hash of the last line
 */
export function nextPrevHash(file: string): string | null {
  if (!existsSync(file)) return null;
  const lines = readHistory(file);
  return lines.length === 0 ? null : historyLineHash(lines[lines.length - 1].value);
}

/**
 * The history of a baseline directory, `<dir>/history.jsonl`, which must stay in that directory (a symlink or `..` out
 * of it is refused).
 *
 * @throws ManifestError (`outside-directory`) when it leads out of `dir`.
 * @example
 * defaultHistoryFile('apps/tap-stack/manifests'); // 'apps/tap-stack/manifests/history.jsonl'
 */
export function defaultHistoryFile(dir: string): string {
  const file = join(dir, DEFAULT_HISTORY_FILE);
  assertInsideDirectory(dir, file);
  return file;
}

/**
 * Runs `fn` holding `<history>.lock`, created exclusively (O_EXCL) and removed afterwards, whatever happens: two
 * approvals at once cannot both append.
 *
 * @throws ManifestError (`locked`) when another process holds the lock.
 * @example
 * withHistoryLock('apps/tap-stack/manifests/history.jsonl', () => appendFileSync(file, line));
 */
export function withHistoryLock<T>(historyFile: string, fn: () => T): T {
  const lock = `${historyFile}.lock`;
  mkdirSync(dirname(historyFile), { recursive: true });
  let fd: number;
  try {
    fd = openSync(lock, 'wx');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EEXIST') throw new ManifestError('locked', lock, `cannot create the history lock (${code ?? String(error)})`);
    let holder = '';
    try {
      holder = readTextFile(lock).trim();
    } catch {
      holder = '';
    }
    throw new ManifestError('locked', lock, `held by another approve${holder ? ` (${holder})` : ''}; wait for it to finish, or delete the file if no approve is running`);
  }
  try {
    writeSync(fd, `pid ${process.pid} since ${new Date().toISOString()}\n`);
    closeSync(fd);
    return fn();
  } finally {
    rmSync(lock, { force: true });
  }
}

/** The hashes of each baseline in `dir` (`<env>.json` or `<env>/manifest.json`, and the inventory beside it). */
interface LoadedBaselines {
  hashes: Map<EnvironmentName, { file: string; inventoryFile: string; hashes: BaselineHashes }>;
  problems: AuditProblem[];
}

function loadBaselines(dir: string): LoadedBaselines {
  const hashes: LoadedBaselines['hashes'] = new Map();
  const problems: AuditProblem[] = [];
  if (!existsSync(dir)) throw new ManifestError('not-found', dir, 'file or directory not found');
  if (!statSync(dir).isDirectory()) throw new ManifestError('bad-argument', dir, 'is a file; give the baseline directory');
  // A stored hash that does not match its content is the plainest edit by hand: a finding (exit 1), not bad input.
  const load = <T>(file: string, read: () => T): T | undefined => {
    try {
      return read();
    } catch (error) {
      if (error instanceof ManifestError && error.code === 'hash-mismatch') {
        problems.push({ file, message: error.message });
        return undefined;
      }
      throw error;
    }
  };
  for (const environment of ENVIRONMENT_NAMES) {
    const file = [join(dir, `${environment}.json`), join(dir, environment, 'manifest.json')].find((f) => existsSync(f));
    if (!file) continue;
    // Every baseline read must be a file of the directory given: a symlink or `..` out of it is refused.
    const manifest = load(file, () => loadManifest(file, { within: dir }));
    const inventoryFile = inventoryFileFor(file);
    const inventory = existsSync(inventoryFile) ? load(inventoryFile, () => loadInventory(inventoryFile, environment, { within: dir })) : undefined;
    if (!manifest || (existsSync(inventoryFile) && !inventory)) continue;
    hashes.set(environment, {
      file,
      inventoryFile,
      hashes: { configHash: manifest.manifest.configHash, ...(inventory ? { inventoryHash: inventory.inventory.inventoryHash } : {}) },
    });
  }
  return { hashes, problems };
}

/** Options of `startChain`. */
export interface StartChainOptions {
  /** The baseline directory; its baselines are recorded in the chain-start line. */
  baseline: string;
  /** The history. Default: `history.jsonl` in the baseline directory. */
  history?: string;
  /** Why the chain starts (recorded). */
  reason: string;
  /** Clock. Default: the system clock. */
  now?: () => Date;
}

/**
 * Starts the hash chain of a history whose lines have no `prevHash`: appends one `chain-start` line that covers the
 * legacy lines by the SHA-256 of their exact bytes (newlines included), carries the hash of the last one as `prevHash`
 * and records the baselines committed now. The legacy lines stay byte for byte as they are. Refused when the history
 * is empty (the first approval starts the chain), already chained, or when a baseline is not the one the last legacy
 * line of its environment approved (the chain would launder an edit).
 *
 * @throws ManifestError (exit 2) on each refusal, and when the history or a baseline cannot be read.
 * @example
 * startChain({ baseline: 'apps/tap-stack/manifests', reason: 'start the hash chain of the approval history' });
 */
export function startChain(options: StartChainOptions): ChainStartRecord {
  const reason = options.reason?.trim() ?? '';
  if (reason === '') throw new ManifestError('bad-argument', '--reason', 'is required: say why the chain starts here, e.g. --reason "history.jsonl becomes a hash chain"');
  const history = options.history ?? defaultHistoryFile(options.baseline);
  const refuseIfChained = (lines: HistoryLine[]): void => {
    if (lines.length === 0) throw new ManifestError('chain', history, 'is empty: nothing to cover; the first approval starts the chain (prevHash null)');
    const chained = lines.find((l) => isChainStart(l.record) || (l.record as ApprovalRecord).prevHash !== undefined);
    if (chained) throw new ManifestError('chain', history, `already chained (line ${chained.line}); the chain starts once`);
  };
  refuseIfChained(readHistory(history));
  const { hashes, problems } = loadBaselines(options.baseline);
  if (problems.length > 0) throw new ManifestError('chain', problems[0].file, `${problems[0].message.replace(`${problems[0].file}: `, '')}; the chain does not start over an edited baseline`);
  return withHistoryLock(history, () => {
    let bytes = readFileBytes(history);
    const lines = readHistory(history);
    refuseIfChained(lines);
    const approved = lastApprovals(lines);
    for (const [environment, baseline] of hashes) {
      const last = approved.get(environment);
      const mismatch = last && (last.configHash !== baseline.hashes.configHash || (last.inventoryHash !== undefined && last.inventoryHash !== baseline.hashes.inventoryHash));
      if (mismatch) {
        throw new ManifestError('chain', baseline.file, `is not what ${history}:${last.line} approved; the chain does not start over an edited baseline`);
      }
    }
    if (bytes.length > 0 && bytes[bytes.length - 1] !== 0x0a) {
      appendFileSync(history, '\n');
      bytes = readFileBytes(history);
    }
    const record: ChainStartRecord = {
      kind: 'chain-start',
      time: (options.now ?? (() => new Date()))().toISOString(),
      legacyLines: countLines(bytes),
      legacySha256: sha256(bytes),
      prevHash: historyLineHash(lines[lines.length - 1].value),
      reason,
      baselines: Object.fromEntries([...hashes].map(([environment, b]) => [environment, b.hashes])),
    };
    appendFileSync(history, `${JSON.stringify(record)}\n`);
    return record;
  });
}

/** Newline-terminated lines in `bytes` (a last line without a newline counts too). */
function countLines(bytes: Buffer): number {
  let count = 0;
  for (const byte of bytes) if (byte === 0x0a) count += 1;
  return bytes.length > 0 && bytes[bytes.length - 1] !== 0x0a ? count + 1 : count;
}

/** Per environment, what the history approved last (an approval's new hashes, or the chain-start's baselines) and where; a revert-drift line approves nothing. */
function lastApprovals(lines: readonly HistoryLine[]): Map<EnvironmentName, BaselineHashes & { line: number }> {
  const approved = new Map<EnvironmentName, BaselineHashes & { line: number }>();
  for (const { line, record } of lines) {
    if (isChainStart(record)) {
      for (const [environment, hashes] of Object.entries(record.baselines) as Array<[EnvironmentName, BaselineHashes]>) approved.set(environment, { ...hashes, line });
    } else if (isApproval(record)) {
      approved.set(record.environment, { configHash: record.newHash, ...(record.newInventoryHash ? { inventoryHash: record.newInventoryHash } : {}), line });
    }
  }
  return approved;
}

/** The chain's first broken line (or none): legacy bytes, chain-start, then every `prevHash`. */
function verifyChain(file: string, lines: readonly HistoryLine[]): { problems: AuditProblem[]; chainStart: number | null; legacyLines: number; chained: boolean } {
  const problems: AuditProblem[] = [];
  const at = (line: number, message: string): void => void problems.push({ file, line, message: `${file}:${line}: ${message}` });
  if (lines.length === 0) return { problems, chainStart: null, legacyLines: 0, chained: true };
  const startIndex = lines.findIndex((l) => isChainStart(l.record));
  let first: number;
  if (startIndex === -1) {
    const head = lines[0].record as ApprovalRecord;
    if (head.prevHash === undefined) {
      // One finding for a history that was never chained, not one per line.
      at(lines[0].line, 'no prevHash, and no chain-start line covers it: the history is not chained (tap-drift audit start-chain starts the chain)');
      return { problems, chainStart: null, legacyLines: 0, chained: false };
    } else if (head.prevHash !== null) {
      at(lines[0].line, 'prevHash names a line before the first one (lines removed from the start)');
    }
    first = 0;
  } else {
    const start = lines[startIndex];
    const record = start.record as ChainStartRecord;
    const legacy = readFileBytes(file).subarray(0, start.offset);
    const count = countLines(legacy);
    if (sha256(legacy) !== record.legacySha256 || count !== record.legacyLines) {
      at(
        start.line,
        `the ${count} legacy line(s) before the chain-start do not match its legacySha256 (it covers ${record.legacyLines}): a legacy line was edited, removed or reordered`,
      );
    }
    const expected = startIndex === 0 ? null : historyLineHash(lines[startIndex - 1].value);
    if (record.prevHash !== expected) at(start.line, `prevHash does not match ${startIndex === 0 ? 'an empty history before it' : `line ${lines[startIndex - 1].line}`} (edited, removed or reordered)`);
    first = startIndex;
  }
  const startLine = startIndex === -1 ? null : lines[startIndex].line;
  for (let i = first + 1; i < lines.length; i++) {
    const { line, record } = lines[i];
    if (isChainStart(record)) {
      at(line, `a second chain-start (the chain started ${startLine === null ? 'on line 1' : `on line ${startLine}`}); the chain starts once`);
      continue;
    }
    if (record.prevHash === undefined || record.prevHash === null) {
      at(line, `no prevHash (every line after ${startLine === null ? 'the first' : `the chain-start on line ${startLine}`} carries the hash of the line before it)`);
    } else if (record.prevHash !== historyLineHash(lines[i - 1].value)) {
      at(line, `prevHash does not match line ${lines[i - 1].line} (edited, removed or reordered)`);
    }
  }
  return { problems, chainStart: startLine, legacyLines: startIndex === -1 ? 0 : (lines[startIndex].record as ChainStartRecord).legacyLines, chained: true };
}

/** Options of `verifyAuditTrail`. */
export interface VerifyAuditOptions {
  /** The baseline directory. Default: the history's directory. */
  baseline?: string;
  /** The history. Default: `history.jsonl` in the baseline directory. */
  history?: string;
}

/**
 * Verifies the audit trail: the history's hash chain is intact (legacy lines against the chain-start's
 * `legacySha256`, every later line's `prevHash` against the line before it), and each environment's baseline (config
 * manifest and inventory hashes) is the one its last history line approved (`newHash` / `newInventoryHash`, or the
 * chain-start's `baselines`). Problems come first broken line first, then the baselines.
 *
 * @throws ManifestError (exit 2) when neither option is given, or the history or a baseline cannot be read.
 * @example
 * const report = verifyAuditTrail({ baseline: 'apps/tap-stack/manifests' });
 * report.ok; // true
 * report.problems[0]?.message; // 'history.jsonl:17: prevHash does not match line 16 (edited, removed or reordered)'
 */
export function verifyAuditTrail(options: VerifyAuditOptions): AuditReport {
  if (!options.baseline && !options.history) {
    throw new ManifestError('bad-argument', '--baseline', 'give the baseline directory (its history.jsonl is the default --history), or --history <file>');
  }
  const history = options.history ?? defaultHistoryFile(options.baseline as string);
  const baseline = options.baseline ?? dirname(history);
  const lines = readHistory(history);
  const chain = verifyChain(history, lines);
  const { hashes, problems: baselineProblems } = loadBaselines(baseline);
  const approved = lastApprovals(lines);
  const problems = [...chain.problems, ...baselineProblems];
  const environments: AuditReport['environments'] = [];
  for (const environment of ENVIRONMENT_NAMES) {
    const current = hashes.get(environment);
    const last = approved.get(environment) ?? null;
    const broken = baselineProblems.some((p) => p.file.startsWith(join(baseline, environment)));
    if (!current && !last && !broken) continue;
    const before = problems.length;
    if (current && !last) {
      problems.push({ file: current.file, message: `${current.file}: no line of ${history} approved it: added by hand?` });
    } else if (!current && last && !broken) {
      problems.push({ file: join(baseline, `${environment}.json`), message: `${join(baseline, `${environment}.json`)}: missing, but ${history}:${last.line} approved ${environment}: removed by hand?` });
    } else if (current && last) {
      if (current.hashes.configHash !== last.configHash) {
        problems.push({
          file: current.file,
          message: `${current.file}: hash ${short(current.hashes.configHash)} is not the one history approved (${short(last.configHash)}, ${history}:${last.line}): edited by hand?`,
        });
      }
      if (current.hashes.inventoryHash !== last.inventoryHash && (last.inventoryHash !== undefined || current.hashes.inventoryHash !== undefined)) {
        problems.push({
          file: current.inventoryFile,
          message: `${current.inventoryFile}: hash ${short(current.hashes.inventoryHash)} is not the one history approved (${short(last.inventoryHash)}, ${history}:${last.line}): edited by hand?`,
        });
      }
    }
    environments.push({ environment, approved: last, baseline: current?.hashes ?? null, ok: !broken && problems.length === before });
  }
  return {
    ok: problems.length === 0,
    history,
    baseline,
    lines: lines.length,
    legacyLines: chain.legacyLines,
    chainStart: chain.chainStart,
    chained: chain.chained,
    environments,
    problems,
  };
}
