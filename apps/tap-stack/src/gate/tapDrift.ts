import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { workspaceRoot } from '../statusFile';

// The tap-drift CLI of @tap/manifest as the tap-stack scripts run it: the package's own build, found the way Node
// finds the package (node_modules/@tap/manifest links to packages/manifest in the workspace); `nx run tap-stack:build`
// builds it first (^build).

/** The workspace root: the folder with nx.json above this file (bundled in dist/apps/tap-stack, or from src/gate). */
export const root = workspaceRoot(__dirname);
/** The resolver of the workspace's packages (node_modules of the root). */
export const workspaceRequire = createRequire(join(root, 'package.json'));

/** What a child CLI answered; a run killed by a signal counts as exit 2 (error). */
export interface CliRun {
  code: number;
  out: string;
  err: string;
}

function tapDriftPath(): string {
  return join(dirname(workspaceRequire.resolve('@tap/manifest/package.json')), 'dist', 'cli', 'main.js');
}

/** The one line a caller prints when the tap-drift build is missing, or undefined when it is there. */
export function missingTapDrift(script: string): string | undefined {
  const tapDrift = tapDriftPath();
  if (existsSync(tapDrift)) return undefined;
  return `${script}: ${tapDrift} is missing; build it with "npx nx run manifest:build" (the nx targets do this first)`;
}

/**
 * Runs `tap-drift args`, passing its stderr through unless `quiet` (and returning it, for status messages).
 *
 * @example
 * runTapDrift(['check', '--baseline', 'apps/tap-stack/manifests', '--current', 'dist/apps/tap-stack/synth']).code; // 0 in sync
 */
export function runTapDrift(args: string[], cwd: string = process.cwd(), { quiet = false }: { quiet?: boolean } = {}): CliRun {
  const run = spawnSync(process.execPath, [tapDriftPath(), ...args], { encoding: 'utf8', cwd, maxBuffer: 512 * 1024 * 1024 });
  if (run.stderr && !quiet) process.stderr.write(run.stderr);
  return { code: run.status ?? 2, out: run.stdout ?? '', err: run.stderr ?? '' };
}

/**
 * Runs the offline synth (dist/apps/tap-stack/tap-synth.js, built by `nx run tap-stack:build`) of `environments` (none:
 * every one) into `outDir`, its output passed through to stderr (stdout is the caller's report). Returns the exit code
 * and the first error line, or `{ code: 0 }`.
 *
 * @example
 * const synth = runSynth(['dev'], 'dist/apps/tap-stack/drift/synth');
 * if (synth.code !== 0) console.error(synth.message);
 */
export function runSynth(environments: string[], outDir: string): { code: number; message?: string } {
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

/** The status of a drift check's exit code: 0 in sync, 1 drift, anything else (2, a signal) an error. */
export function driftStatus(code: number): 'in-sync' | 'drift' | 'error' {
  return code === 0 ? 'in-sync' : code === 1 ? 'drift' : 'error';
}

/** `text` as JSON, or null when it is not JSON (an empty or failed run). */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
