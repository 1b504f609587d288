import { CommanderError, type Command } from 'commander';
import { ENVIRONMENT_NAMES } from '@tap/validation';
import { startStatusFile, workspaceRoot, type StatusRun } from '../statusFile';

export { workspaceRoot, type StatusRun } from '../statusFile';

/**
 * Writes `running` to `dist/apps/tap-stack/status/<target>[-<configuration>].json` now; `finish` writes the outcome.
 *
 * @example
 * const status = startStatus(root, 'preflight', 'dev');
 * status.finish('ready', 0, 'dev ready');
 */
export function startStatus(root: string, target: string, configuration?: string): StatusRun {
  return startStatusFile(root, 'apps/tap-stack', target, configuration);
}

/** What an account-facing CLI (preflight, smoke) has once started: its status file and one-line failure. */
export interface CliSession {
  root: string;
  status: StatusRun;
  /** Writes `<command>: <line>` to stderr, records `error` with `exitCode`, and returns `exitCode`. */
  fail(line: string): number;
  /**
   * Parses `argv` with `program` (which must `exitOverride()`); help → status `helpStatus` and exit 0, a bad option →
   * `fail`. Returns the options, or the exit code to end with.
   */
  parse<T>(program: Command, helpStatus: string): { opts: T } | { exitCode: number };
}

/**
 * Starts a CLI run: the status file is named (from `--environment` in `argv`) and says `running` before anything can
 * fail, so even bad input leaves `error` in the right file.
 *
 * @example
 * const cli = startCli('preflight', argv, PREFLIGHT_EXIT.couldNotCheck);
 */
export function startCli(command: string, argv: readonly string[], errorExitCode: number): CliSession {
  // The SDK's eight-line Node 20 deprecation notice would bury the one line a run prints; Node 20 is still supported.
  process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';
  const root = workspaceRoot();
  const envArg = argv.find((a, i) => argv[i - 1] === '--environment' || a.startsWith('--environment='))?.replace(/^--environment=/, '');
  const status = startStatus(root, command, (ENVIRONMENT_NAMES as readonly string[]).includes(envArg ?? '') ? envArg : undefined);
  const fail = (line: string): number => {
    process.stderr.write(`${command}: ${line}\n`);
    status.finish('error', errorExitCode, line);
    return errorExitCode;
  };
  const parse = <T>(program: Command, helpStatus: string): { opts: T } | { exitCode: number } => {
    try {
      program.parse([...argv], { from: 'user' });
      return { opts: program.opts<T & Record<string, unknown>>() };
    } catch (error) {
      if (error instanceof CommanderError && (error.code === 'commander.helpDisplayed' || error.code === 'commander.version')) {
        status.finish(helpStatus, 0, 'help');
        return { exitCode: 0 };
      }
      return { exitCode: fail((error as Error).message.replace(/^error: /, '')) };
    }
  };
  return { root, status, fail, parse };
}
