import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

// The status-file format of tools/nx-plugin/bin/status-file.mjs (apps/tap-stack/README.md "Exit codes and status
// files"): Nx reports every failed task as exit 1, so scripts read dist/<project root>/status/<target>[-<env>].json,
// written atomically, "running" first thing and the outcome at the end.

/** The folder with nx.json above `from` (the workspace root), else `from`. */
export function workspaceRoot(from: string = process.cwd()): string {
  for (let dir = resolve(from); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'nx.json'))) return dir;
    if (dirname(dir) === dir) return resolve(from);
  }
}

/** Writes `value` as JSON to `file` through a temp file in the same folder and a rename (no reader sees half a file). */
export function writeJsonAtomic(file: string, value: unknown): void {
  mkdirSync(dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, `${JSON.stringify(value, null, 2)}\n`);
  renameSync(temp, file);
}

/** A started run's status file. */
export interface StatusRun<S extends string = string> {
  file: string;
  finish(status: S, exitCode: number, message: string, extra?: Record<string, unknown>): void;
}

/**
 * Writes `running` to `dist/<projectRoot>/status/<target>[-<configuration>].json` now; `finish` writes the outcome.
 *
 * @example
 * const status = startStatusFile(root, 'apps/tap-stack', 'preflight', 'dev');
 * status.finish('ready', 0, 'dev ready');
 */
export function startStatusFile<S extends string = string>(root: string, projectRoot: string, target: string, configuration?: string): StatusRun<S> {
  const file = join(root, 'dist', projectRoot, 'status', `${target}${configuration ? `-${configuration}` : ''}.json`);
  const base = { project: projectRoot.split('/').at(-1), target, configuration: configuration ?? null, startedAt: new Date().toISOString() };
  writeJsonAtomic(file, { ...base, status: 'running', exitCode: null, message: 'running', finishedAt: null });
  return {
    file,
    finish(status, exitCode, message, extra = {}) {
      writeJsonAtomic(file, { ...base, status, exitCode, message, finishedAt: new Date().toISOString(), ...extra });
    },
  };
}
