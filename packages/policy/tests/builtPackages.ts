// The built packages (dist/) as an install would lay them out. Inside the workspace node_modules/@tap/validation
// links to TypeScript sources, which Node cannot load, so the build of @tap/policy only runs next to the build of
// @tap/validation (the test target depends on ^build, so both exist).
import Module from 'node:module';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const WORKSPACE = resolve(__dirname, '../../..');
const DIST = join(WORKSPACE, 'dist', 'packages');

/**
 * Links dist/packages/{policy,validation} as node_modules/@tap/* in a folder under the workspace's git-ignored tmp/
 * (third-party dependencies still come from the root node_modules). Run the bin with `--preserve-symlinks` so
 * `@tap/validation` resolves to the link. Remove `root` when done.
 */
export function linkBuiltPackages(): { root: string; bin: string } {
  mkdirSync(join(WORKSPACE, 'tmp'), { recursive: true });
  const root = mkdtempSync(join(WORKSPACE, 'tmp', 'tap-policy-bin-'));
  mkdirSync(join(root, 'node_modules', '@tap'), { recursive: true });
  for (const name of ['policy', 'validation']) symlinkSync(join(DIST, name), join(root, 'node_modules', '@tap', name), 'dir');
  return { root, bin: join(root, 'node_modules', '@tap', 'policy', 'src', 'bin', 'tap-policy.js') };
}

export function removeLinks(root: string): void {
  rmSync(root, { recursive: true, force: true });
}

type Resolve = (request: string, ...rest: unknown[]) => string;

/** Runs `fn` in this process with `@tap/validation` resolving to its build, as in an install of the published packages. */
export function withBuiltValidation<T>(fn: () => T): T {
  const loader = Module as unknown as { _resolveFilename: Resolve };
  const original = loader._resolveFilename;
  loader._resolveFilename = (request, ...rest) => original(request === '@tap/validation' ? join(DIST, 'validation') : request, ...rest);
  try {
    return fn();
  } finally {
    loader._resolveFilename = original;
  }
}
