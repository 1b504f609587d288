import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { StringDecoder } from 'node:string_decoder';

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
  /**
   * Write the command's stdout and stderr to this file instead of a pipe (returned as `stdout`, tee'd as it grows). A
   * child writing to a file keeps running if this process is killed; one writing to a pipe would die of SIGPIPE.
   */
  outputFile?: string;
}

const TAIL_INTERVAL_MS = 250;

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
    let fd: number | undefined;
    try {
      if (options.outputFile) {
        mkdirSync(dirname(options.outputFile), { recursive: true });
        fd = openSync(options.outputFile, 'w');
      }
      child = spawn(command, [...args], {
        cwd: options.cwd,
        env: { ...process.env, PULUMI_SKIP_UPDATE_CHECK: 'true', ...options.env },
        stdio: ['ignore', fd ?? 'pipe', fd ?? 'pipe'],
        detached: process.platform !== 'win32',
      });
    } catch (error) {
      resolve({ code: null, signal: null, stdout, stderr, error: error as NodeJS.ErrnoException });
      return;
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
    options.onChild?.(child);
    let tail: (() => void) | undefined;
    let timer: NodeJS.Timeout | undefined;
    if (options.outputFile) {
      const file = options.outputFile;
      const decoder = new StringDecoder('utf8');
      let offset = 0;
      tail = () => {
        const bytes = readFileSync(file);
        if (bytes.length <= offset) return;
        const chunk = decoder.write(bytes.subarray(offset));
        offset = bytes.length;
        stdout += chunk;
        if (chunk) options.tee?.(chunk);
      };
      timer = setInterval(tail, TAIL_INTERVAL_MS);
    }
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
      if (timer) clearInterval(timer);
      tail?.();
      options.onChild?.(undefined);
      resolve({ code, signal, stdout, stderr, ...(startError ? { error: startError } : {}) });
    });
  });
}
