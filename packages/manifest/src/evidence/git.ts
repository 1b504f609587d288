import { execFileSync } from 'node:child_process';
import type { BaselineHashes } from '../types';

/** How many commits of a baseline file are searched for an earlier version (history older than that is not looked at). */
export const BASELINE_COMMITS_SEARCHED = 500;

/** Runs git in `dir`; undefined when git is missing, `dir` is no checkout, or the command fails. */
export type GitFn = (dir: string, args: readonly string[]) => string | undefined;

/** The real git, quiet: a failure is undefined, never a throw or a line on stderr. */
export const runGit: GitFn = (dir, args) => {
  try {
    return execFileSync('git', ['-C', dir, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 256 * 1024 * 1024 });
  } catch {
    return undefined;
  }
};

/** A baseline as a commit holds it. */
export interface CommittedBaseline {
  commit: string;
  /** Commit time (ISO 8601) and subject. */
  date: string;
  subject: string;
  /** The manifest's and inventory's parsed JSON at that commit (the inventory absent when the commit has none). */
  manifest: unknown;
  inventory?: unknown;
}

/** What git knows of the checkout that holds the baselines. */
export interface GitFacts {
  /** The checked-out commit, or null without git. */
  head: string | null;
  /** Why git could not answer, when `head` is null. */
  note?: string;
  /** The baseline files differ from the commit (uncommitted or untracked). */
  dirty: boolean;
  /** Each baseline file's path in the repository, e.g. `apps/tap-stack/manifests/prod.json`. */
  repoPath: (name: string) => string;
}

/**
 * The checked-out commit and whether the baseline files `names` in `dir` are committed as they are.
 *
 * @example
 * gitFacts('apps/tap-stack/manifests', ['prod.json', 'prod.resources.json']).head; // '95f5675…' (40 hex digits)
 */
export function gitFacts(dir: string, names: readonly string[], git: GitFn = runGit): GitFacts {
  const head = git(dir, ['rev-parse', '--verify', 'HEAD'])?.trim();
  const prefix = git(dir, ['rev-parse', '--show-prefix'])?.trim() ?? '';
  const repoPath = (name: string): string => `${prefix}${name}`;
  if (!head) return { head: null, note: `${dir} is not in a git checkout (or git is not installed)`, dirty: false, repoPath };
  const status = git(dir, ['status', '--porcelain', '--', ...names]);
  return { head, dirty: status === undefined || status.trim() !== '', repoPath };
}

const parse = (text: string | undefined): unknown => {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
};

/**
 * The newest commit whose `manifestName` in `dir` has the config hash `hashes.configHash` and whose inventory (when
 * `hashes.inventoryHash` is given) has that inventory hash, with both files' content; undefined when git cannot tell
 * (no checkout, a shallow clone without that commit, a file older than `BASELINE_COMMITS_SEARCHED` commits).
 *
 * @example
 * findCommittedBaseline('apps/tap-stack/manifests', 'prod.json', 'prod.resources.json', { configHash: 'fac5…', inventoryHash: '8481…' })?.commit;
 */
export function findCommittedBaseline(dir: string, manifestName: string, inventoryName: string, hashes: BaselineHashes, git: GitFn = runGit): CommittedBaseline | undefined {
  const log = git(dir, ['log', `-n${BASELINE_COMMITS_SEARCHED}`, '--format=%H%x09%cI%x09%s', '--', manifestName, inventoryName]);
  if (!log) return undefined;
  for (const line of log.split('\n').filter((l) => l !== '')) {
    const [commit, date, ...subject] = line.split('\t');
    const manifest = parse(git(dir, ['show', `${commit}:./${manifestName}`])) as { configHash?: unknown } | undefined;
    if (manifest?.configHash !== hashes.configHash) continue;
    const inventory = parse(git(dir, ['show', `${commit}:./${inventoryName}`])) as { inventoryHash?: unknown } | undefined;
    if (hashes.inventoryHash !== undefined && inventory?.inventoryHash !== hashes.inventoryHash) continue;
    return { commit, date, subject: subject.join('\t'), manifest, ...(inventory === undefined ? {} : { inventory }) };
  }
  return undefined;
}
