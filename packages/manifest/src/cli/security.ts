import { Option, type Command } from 'commander';
import { ENVIRONMENT_NAMES, type EnvironmentName } from '@tap/validation';
import { EXIT_CODES, OUTPUT_FORMATS } from '../constants';
import { loadInventorySet } from '../inventory';
import { loadManifestSet } from '../io';
import { renderSecurityReport } from '../security/render';
import { securityReport, type SecurityReport } from '../security/report';
import type { OutputFormat } from '../types';

/** Where the security commands write. */
export interface SecurityCommandsIo {
  out: (text: string) => void;
  err: (text: string) => void;
}

/**
 * The security report of `--baseline` against `--current`, read as `check` reads them (manifests with their
 * inventories beside them), optionally of one environment.
 *
 * @example
 * const report = loadSecurityReport('apps/tap-stack/manifests', 'dist/apps/tap-stack/synth', 'dev');
 */
export function loadSecurityReport(baselinePath: string, currentPath: string, environment?: EnvironmentName): SecurityReport {
  const baseline = loadManifestSet(baselinePath);
  const current = loadManifestSet(currentPath);
  return securityReport({ baseline, current, inventories: { baseline: loadInventorySet(baseline), current: loadInventorySet(current) } }, environment);
}

/**
 * The exit code of a security report: 2 when an environment cannot be judged, 1 when any grant changed (broadening or
 * narrowing alike: a security change is for a reviewer to see; `broadening` in the report says which), else 0.
 */
export function securityExitCode(report: SecurityReport): number {
  if (report.errors.length > 0) return EXIT_CODES.badInput;
  return report.changed ? EXIT_CODES.drift : EXIT_CODES.ok;
}

/**
 * Registers `security-diff` on the `tap-drift` program. `setExitCode` receives the exit code (errors are thrown, and
 * `runCli` turns them into one line and exit 2).
 *
 * @example
 * registerSecurityCommands(program, io, (code) => (exitCode = code));
 */
export function registerSecurityCommands(program: Command, io: SecurityCommandsIo, setExitCode: (code: number) => void): void {
  program
    .command('security-diff')
    .description(
      'every changed grant of each environment against its approved baseline (IAM, trust, key and resource policies, Lambda permissions, security-group rules, public endpoints), each broadening or narrowing (exit 0 no security change, 1 changes, 2 cannot judge)',
    )
    .requiredOption('--baseline <path>', 'approved manifest file or directory (<env>.json with <env>.resources.json), as for check')
    .requiredOption('--current <path>', 'current manifest file or directory (the synth: <env>/manifest.json with <env>/resources.json), as for check')
    .addOption(new Option('--environment <env>', 'only this environment').choices(ENVIRONMENT_NAMES))
    .addOption(new Option('--format <format>', 'output format (markdown is for pull-request comments)').choices(OUTPUT_FORMATS).default('text'))
    .addOption(new Option('--json', 'the same as --format json').conflicts('format'))
    .action((options: { baseline: string; current: string; environment?: EnvironmentName; format: OutputFormat; json?: boolean }) => {
      const report = loadSecurityReport(options.baseline, options.current, options.environment);
      io.out(renderSecurityReport(report, options.json ? 'json' : options.format));
      for (const error of report.errors) io.err(`tap-drift: ${error}\n`);
      setExitCode(securityExitCode(report));
    });
}
