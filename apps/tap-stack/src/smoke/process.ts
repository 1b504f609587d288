import { spawn, type ChildProcess } from 'node:child_process';

/** What a finished command gave back. */
export interface CommandResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Set when the command could not start (e.g. ENOENT: not installed). */
  error?: NodeJS.ErrnoException;
}

/** Options of {@link runCommand}. */
export interface RunCommandOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Copy the command's output here as it comes (pulumi up and destroy take minutes: the user wants to see them). */
  tee?: (chunk: string) => void;
  /** Called with the child once it started, and with undefined once it ended (so an interrupt can reach it). */
  onChild?: (child: ChildProcess | undefined) => void;
}

/**
 * Runs a command to its end. The child gets its own process group (`detached`), so a Ctrl-C in the terminal reaches
 * only this process, which decides what the child gets: Pulumi takes one SIGINT as "cancel gracefully" and a second
 * as "abort now", so the child must never receive the terminal's signal and a forwarded one together.
 *
 * @example
 * const result = await runCommand('pulumi', ['version']);
 */
export function runCommand(command: string, args: readonly string[], options: RunCommandOptions = {}): Promise<CommandResult> {
  return new Promise((resolve) => {
    let stdout = '';
    let stderr = '';
    let child: ChildProcess;
    try {
      child = spawn(command, [...args], {
        cwd: options.cwd,
        env: { ...process.env, PULUMI_SKIP_UPDATE_CHECK: 'true', ...options.env },
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: process.platform !== 'win32',
      });
    } catch (error) {
      resolve({ code: null, signal: null, stdout, stderr, error: error as NodeJS.ErrnoException });
      return;
    }
    options.onChild?.(child);
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      options.tee?.(chunk);
    });
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      options.tee?.(chunk);
    });
    let startError: NodeJS.ErrnoException | undefined;
    child.on('error', (error: NodeJS.ErrnoException) => {
      startError = error;
    });
    child.on('close', (code, signal) => {
      options.onChild?.(undefined);
      resolve({ code, signal, stdout, stderr, ...(startError ? { error: startError } : {}) });
    });
  });
}
