import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { LambdaComponentError } from './errors';

function listFiles(root: string, dir: string, into: string[]): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) listFiles(root, full, into);
    else if (entry.isFile()) into.push(relative(root, full).split(sep).join('/'));
  }
}

/**
 * Content-addressed image tag of a Docker build context: SHA-256 over the sorted relative paths and bytes of every
 * file, first 16 hex characters. Same files give the same tag on any machine; any change gives a new tag.
 * It hashes every file, including ones a `.dockerignore` would exclude, so it may change when the image would not,
 * never the reverse.
 *
 * @example
 * contentTag('dist/apps/payment-processor'); // e.g. '3f1c0a9d52b7e4aa'
 */
export function contentTag(dir: string): string {
  let stats;
  try {
    stats = statSync(dir);
  } catch {
    throw new LambdaComponentError(`build context ${dir} does not exist; build the image context first (e.g. nx build payment-processor)`);
  }
  if (!stats.isDirectory()) {
    throw new LambdaComponentError(`build context ${dir} is not a directory`);
  }
  const files: string[] = [];
  listFiles(dir, dir, files);
  if (!files.includes('Dockerfile')) {
    throw new LambdaComponentError(`build context ${dir} has no Dockerfile; build the image context first (e.g. nx build payment-processor)`);
  }
  files.sort();
  const hash = createHash('sha256');
  for (const file of files) {
    const bytes = readFileSync(join(dir, file));
    // Length-prefix both parts so no concatenation of path and content can collide with another.
    hash.update(`${Buffer.byteLength(file)}:${file}\0${bytes.length}:`);
    hash.update(bytes);
  }
  return hash.digest('hex').slice(0, 16);
}
