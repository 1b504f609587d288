import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

// The status-file format of tools/nx-plugin/bin/status-file.mjs (README "Exit codes and status files"): Nx reports
// every failed task as exit 1, so scripts read dist/apps/tap-stack/status/<target>[-<env>].json instead.

/** The folder with nx.json above `from` (the workspace root), else `from`. */
export function workspaceRoot(from: string = process.cwd()): string {
  for (let dir = resolve(from); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'nx.json'))) return dir;
    if (dirname(dir) === dir) return resolve(from);
  }
}

function writeJsonAtomic(file: string, value: unknown): void {
  mkdirSync(dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, `${JSON.stringify(value, null, 2)}\n`);
  renameSync(temp, file);
}

/** A started run's status file. */
export interface StatusRun {
  file: string;
  finish(status: string, exitCode: number, message: string, extra?: Record<string, unknown>): void;
}

/**
 * Writes `running` to `dist/apps/tap-stack/status/<target>[-<configuration>].json` now; `finish` writes the outcome.
 *
 * @example
 * const status = startStatus(root, 'preflight', 'dev');
 * status.finish('ready', 0, 'dev ready');
 */
export function startStatus(root: string, target: string, configuration?: string): StatusRun {
  const file = join(root, 'dist', 'apps', 'tap-stack', 'status', `${target}${configuration ? `-${configuration}` : ''}.json`);
  const base = { project: 'tap-stack', target, configuration: configuration ?? null, startedAt: new Date().toISOString() };
  writeJsonAtomic(file, { ...base, status: 'running', exitCode: null, message: 'running', finishedAt: null });
  return {
    file,
    finish(status, exitCode, message, extra = {}) {
      writeJsonAtomic(file, { ...base, status, exitCode, message, finishedAt: new Date().toISOString(), ...extra });
    },
  };
}
