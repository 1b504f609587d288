// Status files: what a run of an Nx target ended with, for scripts and workflows. Nx turns every failed task into
// exit code 1 (130 when a dependency failed and the run stopped), so `$?` of `nx run` cannot tell drift from a broken
// run. Each run of a target that uses this module writes, first thing and atomically (temp file + rename, so a reader
// never sees half a file), dist/<project root>/status/<target>[-<configuration>].json:
//   { "project", "target", "configuration", "status": "running" | "in-sync" | "drift" | "ok" | "error",
//     "exitCode", "message", "startedAt", "finishedAt" }
// A file still "running" after the run ended means the process was killed; no file means the target never started
// (a dependency failed). Both are errors for a reader.
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The statuses a run can end with; `running` is written first thing. */
export const STATUSES = ['running', 'in-sync', 'drift', 'ok', 'error'];

/** `dist/<projectRoot>/status/<target>[-<configuration>].json` under `workspaceRoot`. */
export function statusPath(workspaceRoot, projectRoot, target, configuration) {
  return join(workspaceRoot, 'dist', projectRoot, 'status', `${target}${configuration ? `-${configuration}` : ''}.json`);
}

/** Writes `value` as JSON to `file` through a temp file in the same folder and a rename. */
export function writeJsonAtomic(file, value) {
  mkdirSync(dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, `${JSON.stringify(value, null, 2)}\n`);
  renameSync(temp, file);
}

/**
 * Writes `running` now and returns `finish(status, exitCode, message, extra)`, which writes the final status.
 *
 * @example
 * const run = startStatus({ workspaceRoot, projectRoot: 'apps/tap-stack', target: 'drift', configuration: 'dev' });
 * run.finish('drift', 1, 'dev: 2 resources changed in the cloud');
 */
export function startStatus({ workspaceRoot, projectRoot, target, configuration }) {
  const file = statusPath(workspaceRoot, projectRoot, target, configuration);
  const base = {
    project: projectRoot.split('/').at(-1),
    target,
    configuration: configuration ?? null,
    startedAt: new Date().toISOString(),
  };
  writeJsonAtomic(file, { ...base, status: 'running', exitCode: null, message: 'running', finishedAt: null });
  return {
    file,
    finish(status, exitCode, message, extra = {}) {
      if (!STATUSES.includes(status) || status === 'running') throw new Error(`not a final status: ${status}`);
      writeJsonAtomic(file, { ...base, status, exitCode, message, finishedAt: new Date().toISOString(), ...extra });
    },
  };
}

/** The status of a drift check's exit code: 0 in sync, 1 drift, anything else (2, a signal) an error. */
export function driftStatus(code) {
  return code === 0 ? 'in-sync' : code === 1 ? 'drift' : 'error';
}
