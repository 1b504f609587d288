// The tap-drift CLI of @tap/manifest as the tap-stack scripts run it: bundled by `nx run tap-stack:build`, because the
// package's own build resolves @tap/validation through node_modules, which inside the workspace points at sources.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

export const root = resolve(dirname(new URL(import.meta.url).pathname), '..', '..', '..');
const tapDrift = join(root, 'dist/apps/tap-stack/tap-drift.js');

/** Exits 2 with one line when the bundle is missing; `script` names the caller in that line. */
export function requireTapDrift(script) {
  if (existsSync(tapDrift)) return;
  process.stderr.write(`${script}: ${tapDrift} is missing; build it with "npx nx run tap-stack:build" (the nx targets do this first)\n`);
  process.exit(2);
}

/** Runs `tap-drift args`, passing its stderr through; a run killed by a signal counts as exit 2 (error). */
export function runTapDrift(args, cwd = process.cwd()) {
  const run = spawnSync(process.execPath, [tapDrift, ...args], { encoding: 'utf8', cwd, maxBuffer: 512 * 1024 * 1024 });
  if (run.stderr) process.stderr.write(run.stderr);
  return { code: run.status ?? 2, out: run.stdout ?? '' };
}
