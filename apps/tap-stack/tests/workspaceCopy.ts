import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ROOT, tempDir } from './synthHelper';

/*
 * Tests that run Nx or the gate scripts against an edited workspace do it in a copy, never in this checkout (other
 * tests read its files meanwhile). Each test gets a `git worktree` of this repository: a fresh checkout of HEAD in a
 * second, with the working tree's own changes (edited, new and deleted files) laid over it and committed, so the copy
 * is the workspace as it is. A worktree shares this repository's Nx cache (Nx keeps one cache per repository, worktrees
 * included: nx/src/utils/cache-directory.js), so what this run has already built is a cache hit there and only what a
 * test edits is built again. The worktrees live in the tests' own temp folders; the globalTeardown prunes their records.
 */
const LINK = join(ROOT, '.github', 'scripts', 'link-node-modules.sh');

/**
 * The environment of a nested Nx or git run: none of the outer task's NX_* or JEST_* variables (they name this
 * workspace). Plugins load in the Nx process itself (NX_ISOLATE_PLUGINS=false): isolation shields a long-lived daemon
 * from a plugin's state, and a one-shot run without a daemon would pay for about six worker processes each time.
 */
export function cleanEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!key.startsWith('NX_') && !key.startsWith('JEST_')) env[key] = value;
  return {
    ...env,
    NX_DAEMON: 'false',
    NX_ISOLATE_PLUGINS: 'false',
    NX_NO_CLOUD: 'true',
    NX_TUI: 'false',
    GIT_AUTHOR_NAME: 'Test',
    GIT_AUTHOR_EMAIL: 't@example.com',
    GIT_COMMITTER_NAME: 'Test',
    GIT_COMMITTER_EMAIL: 't@example.com',
    ...extra,
  };
}

/** Runs `command` in `cwd` with {@link cleanEnv}; the caller judges the exit code. */
export function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): { code: number | null; stdout: string; stderr: string } {
  const result: SpawnSyncReturns<string> = spawnSync(command, args, { cwd, encoding: 'utf8', env: cleanEnv(env), maxBuffer: 64 * 1024 * 1024 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** `git <args>` in `cwd`; throws with git's message when it fails. */
export function git(cwd: string, ...args: string[]): string {
  const result = run('git', args, cwd);
  if (result.code !== 0) throw new Error(`git ${args.join(' ')}: ${result.stderr}`);
  return result.stdout.trim();
}

/** Lays the working tree's changes against HEAD (edited, new, deleted; ignored files left out) over the checkout `dir`. */
function overlayWorkingTree(dir: string): boolean {
  const list = (...args: string[]) => git(ROOT, '-c', 'core.quotePath=false', ...args).split('\n').filter(Boolean);
  const changed = [...new Set([...list('diff', '--name-only', 'HEAD'), ...list('ls-files', '--others', '--exclude-standard')])];
  for (const file of changed) {
    const from = join(ROOT, file);
    const to = join(dir, file);
    if (existsSync(from)) {
      mkdirSync(dirname(to), { recursive: true });
      copyFileSync(from, to);
      chmodSync(to, statSync(from).mode);
    } else {
      rmSync(to, { force: true });
    }
  }
  return changed.length > 0;
}

/**
 * A fresh checkout of this repository for one test: HEAD with the working tree's changes committed on top (its own
 * files, dist and status; this repository's Nx cache), with the workspace's node_modules linked as `link` says:
 * `'packages'` relinks every workspace package to the checkout's own sources (.github/scripts/link-node-modules.sh),
 * `'folder'` links the workspace's node_modules folder as it is.
 *
 * @example
 * const workspace = worktree('ungated', 'folder');
 * edit(join(workspace, 'apps/tap-stack/Pulumi.prod.yaml'), ...);
 */
export function worktree(name: string, link: 'packages' | 'folder'): string {
  const dir = join(tempDir(`worktree-${name}`), 'workspace');
  git(ROOT, 'worktree', 'add', '--detach', '--quiet', dir, 'HEAD');
  if (overlayWorkingTree(dir)) {
    git(dir, 'add', '-A');
    git(dir, 'commit', '--quiet', '--no-verify', '-m', 'the working tree as it is');
  }
  if (link === 'packages') {
    const linked = run('bash', [LINK, ROOT, dir], dir);
    if (linked.code !== 0) throw new Error(`link-node-modules.sh: ${linked.stderr}`);
  } else {
    symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  }
  return dir;
}

/**
 * Builds of this checkout that other tests load while they run (the gate's bundle, @tap/manifest's entry), each with
 * its inode and modification time. Nx without its daemon copies every cached output back into place (it cannot tell
 * that the files on disk already match), so an Nx run in this checkout would replace them: compare a snapshot taken
 * before a file's Nx runs with one taken after.
 *
 * @example
 * const before = checkoutBuilds();
 * // ... nx runs in a worktree ...
 * expect(checkoutBuilds()).toEqual(before);
 */
export function checkoutBuilds(): Record<string, string> {
  const files = [join('dist', 'apps', 'tap-stack', 'drift-gate.js'), join('dist', 'apps', 'tap-stack', 'tap-deploy.js'), join('packages', 'manifest', 'dist', 'index.js')];
  return Object.fromEntries(
    files.map((file) => {
      const stat = statSync(join(ROOT, file), { throwIfNoEntry: false });
      return [file, stat ? `inode ${stat.ino}, modified ${stat.mtimeMs}` : 'missing'];
    }),
  );
}
