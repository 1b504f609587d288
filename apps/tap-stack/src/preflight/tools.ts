import { spawnSync } from 'node:child_process';
import type { SpawnFn, SpawnResult } from './types';

/**
 * Runs a command synchronously with the environment of this process (stdin closed: nothing may prompt).
 *
 * @example
 * spawnTool('docker', ['info']).status; // 0 when the engine answers
 */
export const spawnTool: SpawnFn = (command, args, options = {}) => {
  const run = spawnSync(command, [...args], {
    cwd: options.cwd,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, PULUMI_SKIP_UPDATE_CHECK: 'true', ...options.env },
  });
  return { status: run.status, stdout: run.stdout ?? '', stderr: run.stderr ?? '', error: run.error };
};

/** The first non-empty line of a command's output, for one-line messages. */
export function firstLine(text: string | undefined): string | undefined {
  return text
    ?.split('\n')
    .map((line) => line.trim())
    .find((line) => line.length > 0);
}

/** True when the command could not start because it is not installed. */
export function notInstalled(result: SpawnResult): boolean {
  return (result.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
}
