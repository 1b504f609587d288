import { ENVIRONMENT_NAMES, isEnvironmentName, type EnvironmentName } from '@tap/validation';
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, constants as fsConstants, fstatSync, fsyncSync, openSync, readSync, readdirSync, realpathSync, renameSync, rmSync, statSync, writeSync, type Stats } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, sep } from 'node:path';
import { MAX_INPUT_BYTES } from './constants';
import { ManifestError } from './errors';
import { verifyManifest } from './manifest';
import type { LoadedManifest } from './types';

const KINDS: Array<[keyof Stats, string]> = [
  ['isFIFO', 'a FIFO'],
  ['isCharacterDevice', 'a character device'],
  ['isBlockDevice', 'a block device'],
  ['isSocket', 'a socket'],
];
const kindOf = (stat: Stats): string => KINDS.find(([test]) => (stat[test] as () => boolean).call(stat))?.[1] ?? 'not a file';
const MIB = 1024 * 1024;

/**
 * Refuses `file` unless its real path (symlinks and `..` resolved) is inside the real path of `directory`. A missing
 * file passes: reading it says so.
 *
 * @throws ManifestError (`outside-directory`) naming the file and where it leads.
 * @example
 * assertInsideDirectory('apps/tap-stack/manifests', 'apps/tap-stack/manifests/prod.json');
 */
export function assertInsideDirectory(directory: string, file: string): void {
  let real: string;
  try {
    real = realpathSync(file);
  } catch {
    return;
  }
  let root: string;
  try {
    root = realpathSync(directory);
  } catch {
    return;
  }
  const rel = relative(root, real);
  if (rel === '' || rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) {
    throw new ManifestError('outside-directory', file, `resolves to ${real}, outside ${directory}; keep the file in that directory (no symlink or .. out of it)`);
  }
}

/**
 * The bytes of `file`, which must be a regular file (a FIFO or a device would block or never end) of at most
 * `MAX_INPUT_BYTES`, and inside `options.within` when given.
 *
 * @throws ManifestError naming the file: not found, a directory, not a regular file, too large, outside, unreadable.
 * @example
 * const bytes = readFileBytes('apps/tap-stack/manifests/history.jsonl');
 */
export function readFileBytes(file: string, options: { within?: string } = {}): Buffer {
  if (options.within !== undefined) assertInsideDirectory(options.within, file);
  let fd: number;
  try {
    // Non-blocking: opening a FIFO for reading would otherwise wait for a writer. Regular files ignore the flag.
    fd = openSync(file, fsConstants.O_RDONLY | (fsConstants.O_NONBLOCK ?? 0));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new ManifestError('not-found', file, 'file not found');
    if (code === 'EISDIR') throw new ManifestError('unreadable', file, 'is a directory, expected a file');
    throw new ManifestError('unreadable', file, `cannot read file (${code ?? String(error)})`);
  }
  try {
    // fstat of the open file: what is read is what was checked, whatever the path points at meanwhile.
    const stat = fstatSync(fd);
    if (stat.isDirectory()) throw new ManifestError('unreadable', file, 'is a directory, expected a file');
    if (!stat.isFile()) throw new ManifestError('not-regular', file, `is not a regular file (${kindOf(stat)}); give a regular file`);
    const tooLarge = (size: number) =>
      new ManifestError('too-large', file, `is larger than ${MAX_INPUT_BYTES / MIB} MiB (${size} bytes); no baseline, inventory or history is that large: check the path`);
    if (stat.size > MAX_INPUT_BYTES) throw tooLarge(stat.size);
    // Read to the end, never past the cap: the file may grow while it is read.
    const buffer = Buffer.alloc(Math.min(stat.size + 1, MAX_INPUT_BYTES + 1));
    let length = 0;
    for (;;) {
      if (length === buffer.length) {
        if (length > MAX_INPUT_BYTES) throw tooLarge(length);
        break;
      }
      const read = readSync(fd, buffer, length, buffer.length - length, null);
      if (read === 0) break;
      length += read;
    }
    if (length > MAX_INPUT_BYTES) throw tooLarge(length);
    return buffer.subarray(0, length);
  } catch (error) {
    if (error instanceof ManifestError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new ManifestError('unreadable', file, `cannot read file (${code ?? String(error)})`);
  } finally {
    closeSync(fd);
  }
}

/**
 * The text of `file` (see {@link readFileBytes}: a regular file, at most `MAX_INPUT_BYTES`, inside `within` if given).
 *
 * @throws ManifestError naming the file: not found, a directory, not a regular file, too large, outside, unreadable.
 * @example
 * const text = readTextFile('apps/tap-stack/manifests/history.jsonl');
 */
export function readTextFile(file: string, options: { within?: string } = {}): string {
  return readFileBytes(file, options).toString('utf8');
}

/**
 * `file` parsed as JSON.
 *
 * @throws ManifestError naming the file: not found, a directory, unreadable, invalid JSON.
 * @example
 * const value = readJsonFile('apps/tap-stack/manifests/prod.json');
 */
export function readJsonFile(file: string, options: { within?: string } = {}): unknown {
  const text = readTextFile(file, options);
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new ManifestError('invalid-json', file, `invalid JSON (${(error as Error).message})`);
  }
}

/**
 * Reads and verifies one manifest file (schema and hash); with `within`, the file must resolve inside that directory.
 *
 * @throws ManifestError naming the file: not found, unreadable, invalid JSON, schema, hash mismatch.
 * @example
 * const { manifest } = loadManifest('apps/tap-stack/manifests/prod.json');
 */
export function loadManifest(file: string, options: { within?: string } = {}): LoadedManifest {
  return { file, manifest: verifyManifest(readJsonFile(file, options), file) };
}

/**
 * The manifests at `path`, by environment: a single manifest file, or a directory holding `<env>.json` files
 * and/or `<env>/manifest.json` (the offline synth layout). Other files are ignored; a file whose name and
 * environment disagree is refused.
 *
 * @throws ManifestError on a missing path, an empty directory or any bad manifest.
 * @example
 * const baselines = loadManifestSet('apps/tap-stack/manifests'); // Map { 'dev' => {...}, 'prod' => {...} }
 */
export function loadManifestSet(path: string): Map<EnvironmentName, LoadedManifest> {
  const set = new Map<EnvironmentName, LoadedManifest>();
  if (!existsSync(path)) throw new ManifestError('not-found', path, 'file or directory not found');
  if (!statSync(path).isDirectory()) {
    const loaded = loadManifest(path);
    set.set(loaded.manifest.environment, loaded);
    return set;
  }
  for (const env of ENVIRONMENT_NAMES) {
    const candidates = [join(path, `${env}.json`), join(path, env, 'manifest.json')].filter((file) => existsSync(file));
    if (candidates.length > 1) {
      throw new ManifestError('duplicate-environment', path, `holds both ${candidates.join(' and ')}; keep one manifest per environment`);
    }
    if (candidates.length === 0) continue;
    // Found in the directory given: it must stay there (a symlink or `..` out of it is refused).
    const loaded = loadManifest(candidates[0], { within: path });
    if (loaded.manifest.environment !== env) {
      throw new ManifestError(
        'file-name',
        loaded.file,
        `declares environment ${loaded.manifest.environment} but its name says ${env}; rename the file or regenerate it`,
      );
    }
    set.set(env, loaded);
  }
  if (set.size === 0) {
    const stray = readdirSync(path).filter((name) => name.endsWith('.json') && !isEnvironmentName(basename(name, '.json')));
    const hint = stray.length ? ` (ignored: ${stray.join(', ')})` : '';
    throw new ManifestError('no-manifests', path, `no manifests found: expected ${ENVIRONMENT_NAMES.map((e) => `${e}.json`).join(', ')}${hint}`);
  }
  return set;
}

/** Writes `length` bytes of `buffer` from `offset` to `fd`; returns how many it wrote (`fs.writeSync`'s contract). */
export type WriteFn = (fd: number, buffer: Buffer, offset: number, length: number) => number;

const writeAll: WriteFn = (fd, buffer, offset, length) => writeSync(fd, buffer, offset, length);

/**
 * Writes `content` to `file` so that readers see the old file or the new one, never half of either: a temp file in the
 * same directory, every byte written (a partial write continues, a write that makes no progress fails), its size
 * checked, fsync, then rename over the target. Any failure removes the temp file and leaves the old file as it was.
 *
 * @throws ManifestError (`write-failed`, one line) on a short or failed write (disk full, file size limit).
 * @example
 * writeFileAtomic('manifests/prod.json', JSON.stringify(manifest, null, 2) + '\n');
 */
export function writeFileAtomic(file: string, content: string, options: { write?: WriteFn } = {}): void {
  const write = options.write ?? writeAll;
  const bytes = Buffer.from(content, 'utf8');
  const temp = join(dirname(file), `.${basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const failed = (problem: string) => new ManifestError('write-failed', file, `${problem}; the old file is unchanged`);
  let fd: number;
  try {
    fd = openSync(temp, 'wx', 0o644);
  } catch (error) {
    throw failed(`cannot write (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  try {
    let written = 0;
    while (written < bytes.length) {
      const count = write(fd, bytes, written, bytes.length - written);
      if (!(count > 0)) break;
      written += count;
    }
    // The size on disk, not the count a write reported, is what a reader gets.
    const size = fstatSync(fd).size;
    if (written < bytes.length || size !== bytes.length) {
      throw failed(`short write: ${Math.min(written, size)} of ${bytes.length} bytes written (disk full?)`);
    }
    fsyncSync(fd);
    closeSync(fd);
    renameSync(temp, file);
  } catch (error) {
    try {
      closeSync(fd);
    } catch {
      // already closed
    }
    rmSync(temp, { force: true });
    if (error instanceof ManifestError) throw error;
    throw failed(`cannot write (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
}
