import { ENVIRONMENT_NAMES, type EnvironmentName } from '@tap/validation';
import { Option, type Command } from 'commander';
import { EXIT_CODES, OUTPUT_FORMATS } from '../constants';
import { startChain, verifyAuditTrail } from '../history/chain';
import { owedApprovals } from '../history/owed';
import { renderAudit, renderOwed } from '../history/render';
import type { OutputFormat } from '../types';

/** Where the audit commands write. */
export interface AuditCommandsIo {
  out: (text: string) => void;
  err: (text: string) => void;
}

const formatOption = (fallback: OutputFormat = 'text'): Option =>
  new Option('--format <format>', 'output format (markdown is for pull-request comments)').choices(OUTPUT_FORMATS).default(fallback);

/**
 * Registers `audit start-chain`, `audit verify` and `audit owed` on the `tap-drift` program. `setExitCode` receives the
 * command's exit code (errors are thrown, and `runCli` turns them into one line and exit 2).
 *
 * @example
 * registerAuditCommands(program, io, (code) => (exitCode = code));
 */
export function registerAuditCommands(program: Command, io: AuditCommandsIo, setExitCode: (code: number) => void): void {
  const audit = program
    .command('audit')
    .description('the approval history as a hash chain: start it, verify it with the baselines, list the approvals owed');

  audit
    .command('start-chain')
    .description('append the chain-start line that covers the legacy lines (SHA-256 of their bytes) and records the committed baselines (exit 0, 2 refused)')
    .requiredOption('--baseline <dir>', 'baseline directory (<env>.json with <env>.resources.json)')
    .option('--history <file>', 'the history (default: <baseline dir>/history.jsonl)')
    .option('--reason <text>', 'why the chain starts (required; recorded)')
    .addOption(formatOption())
    .action((options: { baseline: string; history?: string; reason?: string; format: OutputFormat }) => {
      const record = startChain({ baseline: options.baseline, history: options.history, reason: options.reason ?? '' });
      io.out(
        options.format === 'json'
          ? `${JSON.stringify(record, null, 2)}\n`
          : `chain started: ${record.legacyLines} legacy line(s) covered (sha256 ${record.legacySha256.slice(0, 12)}…), baselines of ${Object.keys(record.baselines).join(', ') || 'no environment'} recorded\n`,
      );
      setExitCode(EXIT_CODES.ok);
    });

  audit
    .command('verify')
    .description('exit 0 when the history chain is intact and every baseline is the one history approved last; 1 naming the first broken line or baseline; 2 bad input')
    .option('--history <file>', 'the history (default: <baseline dir>/history.jsonl)')
    .option('--baseline <dir>', 'baseline directory (default: the directory of --history)')
    .addOption(formatOption())
    .action((options: { history?: string; baseline?: string; format: OutputFormat }) => {
      const report = verifyAuditTrail(options);
      io.out(renderAudit(report, options.format));
      for (const problem of report.problems) io.err(`tap-drift: ${problem.message}\n`);
      setExitCode(report.ok ? EXIT_CODES.ok : EXIT_CODES.drift);
    });

  audit
    .command('owed')
    .description('per environment, the approval requirements recorded unmet since its last fully met approval (exit 0, 2 bad input)')
    .option('--history <file>', 'the history (default: <baseline dir>/history.jsonl)')
    .option('--baseline <dir>', 'baseline directory, for the default --history')
    .addOption(new Option('--environment <env>', 'only this environment').choices(ENVIRONMENT_NAMES))
    .addOption(formatOption('json'))
    .action((options: { history?: string; baseline?: string; environment?: EnvironmentName; format: OutputFormat }) => {
      io.out(renderOwed(owedApprovals(options), options.format));
      setExitCode(EXIT_CODES.ok);
    });
}
