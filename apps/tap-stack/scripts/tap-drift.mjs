// The tap-drift CLI of @tap/manifest as the tap-stack scripts run it: the package's own build, found the way Node
// finds the package (node_modules/@tap/manifest links to packages/manifest in the workspace); `nx run tap-stack:build`
// builds it first (^build).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';

export const root = resolve(dirname(new URL(import.meta.url).pathname), '..', '..', '..');
const tapDrift = join(dirname(createRequire(join(root, 'package.json')).resolve('@tap/manifest/package.json')), 'dist', 'cli', 'main.js');

/** The one line a caller prints when the bundle is missing, or undefined when it is there. */
export function missingTapDrift(script) {
  if (existsSync(tapDrift)) return undefined;
  return `${script}: ${tapDrift} is missing; build it with "npx nx run manifest:build" (the nx targets do this first)`;
}

/** Exits 2 with one line when the bundle is missing; `script` names the caller in that line. */
export function requireTapDrift(script) {
  const problem = missingTapDrift(script);
  if (!problem) return;
  process.stderr.write(`${problem}\n`);
  process.exit(2);
}

/**
 * Runs `tap-drift args`, passing its stderr through unless `quiet` (and returning it, for status messages); a run
 * killed by a signal counts as exit 2 (error).
 */
export function runTapDrift(args, cwd = process.cwd(), { quiet = false } = {}) {
  const run = spawnSync(process.execPath, [tapDrift, ...args], { encoding: 'utf8', cwd, maxBuffer: 512 * 1024 * 1024 });
  if (run.stderr && !quiet) process.stderr.write(run.stderr);
  return { code: run.status ?? 2, out: run.stdout ?? '', err: run.stderr ?? '' };
}

/**
 * Runs the offline synth (dist/apps/tap-stack/tap-synth.js, built by `nx run tap-stack:build`) of `environments` into
 * `outDir`, its output passed through to stderr (stdout is the caller's report). Returns the exit code and the last
 * error line, or `{ code: 0 }`.
 */
export function runSynth(environments, outDir) {
  const synth = join(root, 'dist/apps/tap-stack/tap-synth.js');
  if (!existsSync(synth)) {
    return { code: 2, message: `${synth} is missing; build it with "npx nx run tap-stack:build" (the nx targets do this first)` };
  }
  const args = [synth, '--out', outDir, ...environments.flatMap((env) => ['--environment', env])];
  const run = spawnSync(process.execPath, args, { encoding: 'utf8', cwd: root, maxBuffer: 64 * 1024 * 1024 });
  process.stderr.write(run.stdout ?? '');
  process.stderr.write(run.stderr ?? '');
  if (run.status === 0) return { code: 0 };
  const lines = (run.stderr ?? '').split('\n').filter((l) => l.trim() && !l.startsWith('error: synth') && !/^\(\d+ resources/.test(l));
  return { code: run.status ?? 2, message: `offline synth failed: ${lines[0] ?? `tap-synth exited ${run.status ?? run.signal}`}` };
}
