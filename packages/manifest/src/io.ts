import { ENVIRONMENT_NAMES, isEnvironmentName, type EnvironmentName } from '@tap/validation';
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { ManifestError } from './errors';
import { verifyManifest } from './manifest';
import type { LoadedManifest } from './types';

/**
 * The text of `file`.
 *
 * @throws ManifestError naming the file: not found, a directory, unreadable.
 * @example
 * const text = readTextFile('apps/tap-stack/manifests/history.jsonl');
 */
export function readTextFile(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new ManifestError('not-found', file, 'file not found');
    if (code === 'EISDIR') throw new ManifestError('unreadable', file, 'is a directory, expected a file');
    throw new ManifestError('unreadable', file, `cannot read file (${code ?? String(error)})`);
  }
}

/**
 * `file` parsed as JSON.
 *
 * @throws ManifestError naming the file: not found, a directory, unreadable, invalid JSON.
 * @example
 * const value = readJsonFile('apps/tap-stack/manifests/prod.json');
 */
export function readJsonFile(file: string): unknown {
  const text = readTextFile(file);
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new ManifestError('invalid-json', file, `invalid JSON (${(error as Error).message})`);
  }
}

/**
 * Reads and verifies one manifest file (schema and hash).
 *
 * @throws ManifestError naming the file: not found, unreadable, invalid JSON, schema, hash mismatch.
 * @example
 * const { manifest } = loadManifest('apps/tap-stack/manifests/prod.json');
 */
export function loadManifest(file: string): LoadedManifest {
  return { file, manifest: verifyManifest(readJsonFile(file), file) };
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
    const loaded = loadManifest(candidates[0]);
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

/**
 * Writes `content` to `file` so that readers see the old file or the new one, never half of either:
 * a temp file in the same directory, fsync, then rename over the target.
 *
 * @example
 * writeFileAtomic('manifests/prod.json', JSON.stringify(manifest, null, 2) + '\n');
 */
export function writeFileAtomic(file: string, content: string): void {
  const temp = join(dirname(file), `.${basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const fd = openSync(temp, 'wx', 0o644);
  try {
    writeSync(fd, content);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    renameSync(temp, file);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}
