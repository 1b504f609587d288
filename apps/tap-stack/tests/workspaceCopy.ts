import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { SHARED_COPY_VARIABLE } from './globalSetup';
import { ROOT, tempDir } from './synthHelper';

/*
 * Tests that run Nx or the gate scripts against an edited workspace do it in a copy, never in this checkout (other
 * tests read its files meanwhile). Copying and building the workspace is most of their time, so one copy serves the
 * whole Jest run: a git repository of the workspace's files as they are (tracked and new, one commit), its packages
 * linked, built once. Each test gets its own `git worktree` of that commit: a fresh checkout in a second, whose Nx
 * shares the copy's cache (Nx keeps one cache per repository, worktrees included), so only what the test edits is
 * built again. The folder comes from the globalSetup (tests/globalSetup.ts) and goes with the globalTeardown.
 */
/** What the copy builds once: what the deploy runner and the approvals judge run (their dependencies come along). */
const BUILT = ['tap-stack', 'networking-stack', 'policy', 'manifest'];
const LINK = join(ROOT, '.github', 'scripts', 'link-node-modules.sh');
/** How long a test waits for another worker's copy (a build on a loaded machine). */
const WAIT_MS = 15 * 60_000;

/** The environment of a nested Nx or git run: none of the outer task's NX_* or JEST_* variables (they name this workspace). */
export function cleanEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!key.startsWith('NX_') && !key.startsWith('JEST_')) env[key] = value;
  return {
    ...env,
    NX_DAEMON: 'false',
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

/** Sleeps without a timer (Jest's fake timers, if any, do not apply). */
function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** The workspace's files (what git would commit, plus untracked ones not ignored) as one commit in `repo`, packages linked. */
function createCopy(repo: string): void {
  const files = git(ROOT, 'ls-files', '--cached', '--others', '--exclude-standard').split('\n').filter(Boolean);
  for (const file of files) {
    let mode: number;
    try {
      mode = statSync(join(ROOT, file)).mode;
    } catch {
      continue; // deleted in the working tree, not yet committed
    }
    mkdirSync(dirname(join(repo, file)), { recursive: true });
    copyFileSync(join(ROOT, file), join(repo, file));
    chmodSync(join(repo, file), mode);
  }
  git(repo, 'init', '--quiet', '--initial-branch=main');
  git(repo, 'add', '-A');
  git(repo, 'commit', '--quiet', '-m', 'base');
  const link = run('bash', [LINK, ROOT, repo], repo);
  if (link.code !== 0) throw new Error(`link-node-modules.sh: ${link.stderr}`);
  const build = run(process.execPath, [join(repo, 'node_modules', 'nx', 'dist', 'bin', 'nx.js'), 'run-many', '-t', 'build', '-p', ...BUILT, '--outputStyle=static'], repo);
  if (build.code !== 0) throw new Error(`building the workspace copy failed:\n${build.stdout.slice(-2000)}${build.stderr.slice(-2000)}`);
}

/** The shared copy of this Jest run, made (and built) by the first test that asks; later ones wait for it. */
export function sharedCopy(): string {
  const folder = process.env[SHARED_COPY_VARIABLE];
  if (!folder) throw new Error(`${SHARED_COPY_VARIABLE} is not set: run these tests with apps/tap-stack/jest.config.ts (its globalSetup makes the folder)`);
  const repo = join(folder, 'repo');
  const ready = join(folder, 'ready');
  const failed = join(folder, 'failed');
  try {
    mkdirSync(join(folder, 'lock'));
  } catch {
    // Another test file (another worker) makes it: wait for its verdict.
    const until = Date.now() + WAIT_MS;
    while (!existsSync(ready) && !existsSync(failed) && Date.now() < until) sleep(500);
    if (!existsSync(ready)) throw new Error(`the shared workspace copy in ${repo} was not made (see the first test that asked for it)`);
    return repo;
  }
  try {
    createCopy(repo);
  } catch (error) {
    writeFileSync(failed, String(error));
    throw error;
  }
  writeFileSync(ready, '');
  return repo;
}

/**
 * A fresh checkout of the shared copy's commit for one test (its own files, dist and status; the copy's Nx cache), with
 * the workspace's node_modules linked as `link` says: `'packages'` relinks every workspace package to the checkout's own
 * sources (.github/scripts/link-node-modules.sh), `'folder'` links the workspace's node_modules folder as it is.
 *
 * @example
 * const workspace = worktree('ungated', 'folder');
 * edit(join(workspace, 'apps/tap-stack/Pulumi.prod.yaml'), ...);
 */
export function worktree(name: string, link: 'packages' | 'folder'): string {
  const repo = sharedCopy();
  const dir = join(tempDir(`worktree-${name}`), 'workspace');
  git(repo, 'worktree', 'add', '--detach', '--quiet', dir, 'HEAD');
  if (link === 'packages') {
    const linked = run('bash', [LINK, ROOT, dir], dir);
    if (linked.code !== 0) throw new Error(`link-node-modules.sh: ${linked.stderr}`);
  } else {
    symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  }
  return dir;
}
