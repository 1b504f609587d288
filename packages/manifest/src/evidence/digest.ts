import type { EnvironmentName } from '@tap/validation';
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { list as listTar } from 'tar';
import { MAX_INPUT_BYTES } from '../constants';
import { EvidenceError } from './errors';
import type { EvidenceIndex, EvidenceVerifyReport } from './types';

/** The bundle format named in `index.json`; a reader refuses any other. */
export const EVIDENCE_FORMAT = 'tap-evidence/1';

/** The bundle's own table of contents: every other file and its SHA-256. */
export const INDEX_FILE = 'index.json';

/** Lowercase hex SHA-256 of `bytes`. */
export const sha256Hex = (bytes: string | Buffer): string => createHash('sha256').update(bytes).digest('hex');

const DIGEST = /^[0-9a-f]{64}$/;

/**
 * The `index.json` of a bundle holding `files` (bundle path → bytes): their SHA-256, sorted by path.
 *
 * @example
 * const index = buildEvidenceIndex('prod', new Map([['change.json', Buffer.from('{}')]]));
 * index.files['change.json']; // '44136fa3…'
 */
export function buildEvidenceIndex(environment: EnvironmentName, files: ReadonlyMap<string, Buffer>): EvidenceIndex {
  const digests = [...files.keys()].sort().map((path): [string, string] => [path, sha256Hex(files.get(path) as Buffer)]);
  return { format: EVIDENCE_FORMAT, environment, algorithm: 'sha256', files: Object.fromEntries(digests) };
}

/** A bundle as read: each regular file's bytes by bundle path, and one line for each entry that cannot be one. */
interface BundleContent {
  files: Map<string, Buffer>;
  /** Symlinks, devices and the like (a bundle holds regular files only), and files over `MAX_INPUT_BYTES`. */
  problems: string[];
}

const irregular = (path: string): string => `${path}: not a regular file (a bundle holds only regular files)`;
const oversized = (path: string): string => `${path}: larger than ${MAX_INPUT_BYTES / (1024 * 1024)} MiB, far beyond any bundle file: not read`;

function readFolder(dir: string): BundleContent {
  const content: BundleContent = { files: new Map(), problems: [] };
  const walk = (absolute: string, relative: string): void => {
    for (const name of readdirSync(absolute).sort()) {
      const path = relative === '' ? name : `${relative}/${name}`;
      const stat = lstatSync(join(absolute, name));
      if (stat.isDirectory()) walk(join(absolute, name), path);
      else if (!stat.isFile()) content.problems.push(irregular(path));
      else if (stat.size > MAX_INPUT_BYTES) content.problems.push(oversized(path));
      else content.files.set(path, readFileSync(join(absolute, name)));
    }
  };
  walk(dir, '');
  return content;
}

/** The archive's entries under its one top folder; a damaged archive is a finding (the bytes changed), not exit 2. */
function readArchive(file: string): { content?: BundleContent; damaged?: string } {
  const content: BundleContent = { files: new Map(), problems: [] };
  const tops = new Set<string>();
  const entries: Array<{ path: string; type: string; data?: Buffer }> = [];
  let total = 0;
  try {
    listTar({
      file,
      sync: true,
      strict: true,
      onReadEntry: (entry) => {
        // A bundle is small: an entry (or all of them) past the bound is never held in memory.
        total += entry.size ?? 0;
        if ((entry.size ?? 0) > MAX_INPUT_BYTES || total > 4 * MAX_INPUT_BYTES) {
          entries.push({ path: entry.path, type: entry.type });
          entry.resume();
          return;
        }
        const chunks: Buffer[] = [];
        entry.on('data', (chunk: Buffer) => chunks.push(chunk));
        entry.on('end', () => entries.push({ path: entry.path, type: entry.type, data: Buffer.concat(chunks) }));
      },
    });
  } catch (error) {
    return { damaged: `${file}: the archive is damaged (${(error as Error).message}): its bytes were changed or cut short` };
  }
  for (const entry of entries) {
    const [top, ...rest] = entry.path.replace(/\/+$/, '').split('/');
    tops.add(top);
    const path = rest.join('/');
    if (entry.type === 'Directory') continue;
    if (entry.type !== 'File' || path === '' || rest.includes('..')) content.problems.push(irregular(entry.path));
    else if (!entry.data) content.problems.push(oversized(entry.path));
    else content.files.set(path, entry.data);
  }
  if (tops.size > 1) content.problems.push(...[...tops].slice(1).map((top) => `${top}/: a second top folder (a bundle archive holds one folder)`));
  return { content };
}

function parseIndex(bytes: Buffer): { index?: EvidenceIndex; problem?: string } {
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    return { problem: `${INDEX_FILE}: not valid JSON (${(error as Error).message}): the index was edited` };
  }
  const index = value as Partial<EvidenceIndex>;
  if (typeof index !== 'object' || index === null || index.format !== EVIDENCE_FORMAT || index.algorithm !== 'sha256' || typeof index.files !== 'object' || index.files === null) {
    return { problem: `${INDEX_FILE}: not a ${EVIDENCE_FORMAT} index (format, algorithm sha256 and files expected): the index was edited` };
  }
  const bad = Object.entries(index.files).find(([path, digest]) => typeof digest !== 'string' || !DIGEST.test(digest) || path === INDEX_FILE || path.split('/').includes('..'));
  if (bad) return { problem: `${INDEX_FILE}: the entry "${bad[0]}" is not a bundle file with a SHA-256 digest: the index was edited` };
  return { index: index as EvidenceIndex };
}

/**
 * Recomputes every digest of an evidence bundle (its folder, or the `.tar.gz` of it) against its `index.json`: a file
 * whose bytes changed, one the index lists that is missing, one the index does not list, a symlink or other
 * non-regular entry, an index that is not one, and (with `expectIndexSha256`) an index whose own digest is not the one
 * recorded when the bundle was made.
 *
 * @throws EvidenceError (exit 2) when `path` does not exist or is neither a folder nor a `.tar.gz` file.
 * @example
 * verifyEvidenceBundle('dist/evidence/prod-1a2b3c4d5e6f').ok; // true when intact
 * verifyEvidenceBundle('prod.tar.gz', { expectIndexSha256: '9f2c…' }).problems; // ['change.json: changed (…)']
 */
export function verifyEvidenceBundle(path: string, options: { expectIndexSha256?: string } = {}): EvidenceVerifyReport {
  if (!existsSync(path)) throw new EvidenceError(path, 'not found: give an evidence folder or its .tar.gz (tap-drift evidence writes both)');
  let stat;
  try {
    stat = statSync(path);
  } catch (error) {
    throw new EvidenceError(path, `cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  let content: BundleContent;
  try {
    if (stat.isDirectory()) content = readFolder(path);
    else if (stat.isFile() && /\.(tar\.gz|tgz)$/.test(path)) {
      const archive = readArchive(path);
      if (!archive.content) return { ok: false, path, files: 0, problems: [archive.damaged as string] };
      content = archive.content;
    } else throw new EvidenceError(path, 'is neither an evidence folder nor a .tar.gz: give the folder tap-drift evidence wrote, or its archive');
  } catch (error) {
    if (error instanceof EvidenceError) throw error;
    throw new EvidenceError(path, `cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  const problems: string[] = [...content.problems];
  const indexBytes = content.files.get(INDEX_FILE);
  if (!indexBytes) return { ok: false, path, files: 0, problems: [...problems, `${INDEX_FILE}: missing: nothing says what the bundle held`] };
  const indexSha256 = sha256Hex(indexBytes);
  if (options.expectIndexSha256 !== undefined && options.expectIndexSha256.toLowerCase() !== indexSha256) {
    problems.push(`${INDEX_FILE}: sha256 ${indexSha256} is not the recorded ${options.expectIndexSha256.toLowerCase()}: the index was replaced`);
  }
  const { index, problem } = parseIndex(indexBytes);
  if (!index) return { ok: false, path, indexSha256, files: 0, problems: [...problems, problem as string] };
  for (const [file, digest] of Object.entries(index.files)) {
    const bytes = content.files.get(file);
    if (!bytes) problems.push(`${file}: missing (index.json lists it)`);
    else if (sha256Hex(bytes) !== digest) problems.push(`${file}: changed (sha256 ${sha256Hex(bytes).slice(0, 12)}…, index.json says ${digest.slice(0, 12)}…)`);
  }
  for (const file of content.files.keys()) {
    if (file !== INDEX_FILE && !(file in index.files)) problems.push(`${file}: not listed in index.json (added to the bundle)`);
  }
  return { ok: problems.length === 0, path, indexSha256, files: Object.keys(index.files).length, problems };
}
