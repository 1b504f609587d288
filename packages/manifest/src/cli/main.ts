#!/usr/bin/env node
import { Command, CommanderError, Option } from 'commander';
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { approveManifests } from '../approve';
import type { GitIdentityFn } from '../audit';
import { checkManifests } from '../check';
import { compareManifests } from '../compare';
import { EXIT_CODES, OUTPUT_FORMATS } from '../constants';
import { ApprovalRefusedError, CiRefusalError, LiveDriftError, ManifestError } from '../errors';
import { loadInventorySet } from '../inventory';
import { loadManifest, loadManifestSet, writeFileAtomic } from '../io';
import { emptyPreview } from '../live/refresh';
import { buildLiveReport } from '../live/report';
import { runLiveDrift, type SpawnFn } from '../live/run';
import type { LiveDriftReport } from '../live/types';
import { renderApprove, renderCheck, renderCompare, renderHash, renderLive } from '../render';
import { registerApprovalCommands } from './approvals';
import { registerAuditCommands } from './audit';
import { registerSecurityCommands } from './security';
import { renderSecurityReport } from '../security/render';
import { securityReport } from '../security/report';
import { registerEvidenceCommands } from './evidence';
import type { LoadedInventory, LoadedManifest, OutputFormat } from '../types';
import type { EnvironmentName } from '@tap/validation';

interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
  /** How `live` runs Pulumi; tests inject a stand-in. Default: the real executable. */
  spawn?: SpawnFn;
  /** Environment variables `approve` reads the CI actor from. Default: `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** The git identity `approve` falls back to. Default: `git config user.name` / `user.email`. */
  git?: GitIdentityFn;
}

const formatOption = (): Option =>
  new Option('--format <format>', 'output format (markdown is for pull-request comments)').choices(OUTPUT_FORMATS).default('text');

/**
 * Runs `tap-drift` with `argv` (without `node` and the script) and returns the exit code:
 * 0 in sync, 1 drift or changes, 2 bad input or (live) an error. Never throws; errors become one line on `io.err`.
 *
 * @example
 * const code = runCli(['check', '--baseline', 'manifests', '--current', 'dist/synth', '--format', 'markdown']);
 */
export function runCli(argv: readonly string[], io: Io = { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t) }): number {
  let exitCode: number = EXIT_CODES.ok;
  const program = new Command('tap-drift')
    .description(
      'Compare, check and approve TAP configuration manifests and resource inventories, and check live drift (exit 0 in sync, 1 drift, 2 bad input or error).',
    )
    .version(packageVersion())
    .exitOverride()
    .showSuggestionAfterError()
    .configureOutput({
      writeOut: io.out,
      writeErr: io.err,
      outputError: (message, write) => write(`tap-drift: ${message.trim().replace(/\s*\n\s*/g, ' ')}\n`),
    });

  program
    .command('compare')
    .description('every configuration path and every resource across environments; differences are expected (profiles) or drift')
    .argument('<manifest...>', 'manifest files or directories (<env>.json or <env>/manifest.json), each with its resource inventory beside it')
    .addOption(formatOption())
    .action((paths: string[], options: { format: OutputFormat }) => {
      const sets = paths.map((path) => loadManifestSet(path));
      const inventories = new Map<EnvironmentName, LoadedInventory>();
      for (const set of sets) for (const [env, loaded] of loadInventorySet(set)) inventories.set(env, loaded);
      const report = compareManifests(
        sets.flatMap((set) => [...set.values()]),
        inventories,
      );
      io.out(renderCompare(report, options.format));
      exitCode = report.drift ? EXIT_CODES.drift : EXIT_CODES.ok;
    });

  program
    .command('check')
    .description(
      'each environment against its approved baseline: every changed configuration path and resource property, old -> new; and every setting held at the resource properties it feeds',
    )
    .requiredOption('--baseline <path>', 'approved manifest file or directory (<env>.json with <env>.resources.json)')
    .requiredOption('--current <path>', 'current manifest file or directory (the synth: <env>/manifest.json with <env>/resources.json)')
    .addOption(formatOption())
    .action((options: { baseline: string; current: string; format: OutputFormat }) => {
      const baseline: Map<EnvironmentName, LoadedManifest> = loadManifestSet(options.baseline);
      const current: Map<EnvironmentName, LoadedManifest> = loadManifestSet(options.current);
      const inventories = { baseline: loadInventorySet(baseline), current: loadInventorySet(current) };
      const report = checkManifests(baseline, current, inventories);
      io.out(renderCheck(report, options.format));
      // The drift report's (markdown) security section: every changed grant, broadening or narrowing (security-diff).
      const security = report.errors.length === 0 && options.format === 'markdown' ? securityReport({ baseline, current, inventories }) : undefined;
      if (security?.changed) io.out(`\n${renderSecurityReport(security, options.format)}`);
      for (const error of report.errors) io.err(`tap-drift: ${error}\n`);
      exitCode = report.errors.length > 0 ? EXIT_CODES.badInput : report.changed || report.bindings.length > 0 ? EXIT_CODES.drift : EXIT_CODES.ok;
    });

  program
    .command('approve')
    .description('accept the current manifests and inventories as the new baselines; one audited history line per environment')
    .requiredOption('--baseline <path>', 'baseline directory (created when missing) or file')
    .requiredOption('--current <path>', 'current manifest file or directory, with the inventories beside it')
    .option('--reason <text>', 'why the change is approved (required; recorded in the history)')
    .option('--approver <name>', 'who approves, e.g. "Jane Doe <jane@example.com>" (default: git config user.name/user.email; refused in CI, where GITHUB_ACTOR is recorded as the proposer)')
    .option('--policy-report <file>', 'JSON report of `tap-policy check --format json` over the current synth; mandatory violations refuse the approval (exit 1)')
    .option('--no-policy-check', 'approve without a policy report (recorded as "policy: not checked"; refused in CI)')
    .option('--history <file>', 'JSON Lines audit log, a hash chain (default: <baseline dir>/history.jsonl; refused in CI)')
    .option('--rules <file>', 'approval rules: each history line records the approvals its change needed')
    .option('--approvals <file>', 'the approvals given (as for verify-approvals --given): recorded per requirement, met and by whom (refused in CI)')
    .addOption(formatOption())
    .action(
      (options: {
        baseline: string;
        current: string;
        reason?: string;
        approver?: string;
        policyReport?: string;
        policyCheck: boolean;
        history?: string;
        rules?: string;
        approvals?: string;
        format: OutputFormat;
      }) => {
        const report = approveManifests({
          baseline: options.baseline,
          current: options.current,
          reason: options.reason ?? '',
          approver: options.approver,
          policyReport: options.policyReport,
          noPolicyCheck: options.policyCheck === false,
          history: options.history,
          rules: options.rules,
          approvals: options.approvals,
          env: io.env,
          git: io.git,
        });
        io.out(renderApprove(report, options.format));
        exitCode = EXIT_CODES.ok;
      },
    );

  program
    .command('hash')
    .description('print the recomputed configHash of a manifest (refuses a manifest whose stored hash differs)')
    .argument('<manifest>', 'manifest file')
    .addOption(formatOption())
    .action((file: string, options: { format: OutputFormat }) => {
      io.out(renderHash(loadManifest(file), options.format));
      exitCode = EXIT_CODES.ok;
    });

  program
    .command('live')
    .description('cloud vs state (pulumi refresh --preview-only) and deployed vs code (configManifest output vs synth) for one stack')
    .requiredOption('--stack <name>', 'Pulumi stack (environment), e.g. dev')
    .requiredOption('--cwd <dir>', 'Pulumi project folder (holds Pulumi.yaml)')
    .requiredOption('--code <file>', 'offline synth manifest of the current code, e.g. dist/apps/tap-stack/synth/dev/manifest.json')
    .option('--ignore <file>', 'ignore rules for benign drift (JSON: {"rules": [{type, name, property, reason}]})')
    .option('--out <file>', 'also write the JSON report here (folders are created)')
    .option('--pulumi <path>', 'Pulumi executable (default: pulumi on PATH)')
    .addOption(formatOption())
    .action((options: { stack: string; cwd: string; code: string; ignore?: string; out?: string; pulumi?: string; format: OutputFormat }) => {
      const writeReport = (report: LiveDriftReport): void => {
        if (!options.out) return;
        mkdirSync(dirname(resolve(options.out)), { recursive: true });
        writeFileAtomic(options.out, renderLive(report, 'json'));
      };
      let report: LiveDriftReport;
      try {
        report = runLiveDrift({ ...options, spawn: io.spawn });
      } catch (error) {
        // A check that could not run still leaves an error report, so yesterday's file never passes for today's.
        if (error instanceof LiveDriftError || error instanceof ManifestError) {
          writeReport(buildLiveReport({ environment: options.stack, stack: options.stack, cloud: emptyPreview(), errors: [error.message] }));
        }
        throw error;
      }
      writeReport(report);
      io.out(renderLive(report, options.format));
      exitCode = report.exitCode;
    });

  registerApprovalCommands(program, io, (code) => (exitCode = code));
  registerAuditCommands(program, io, (code) => (exitCode = code));
  registerSecurityCommands(program, io, (code) => (exitCode = code));
  registerEvidenceCommands(program, io, (code) => (exitCode = code));

  try {
    program.parse([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof ApprovalRefusedError) {
      // Refused, not bad input: one line, then each blocking violation on its own line.
      io.err(`tap-drift: ${error.source}: approval refused, ${error.violations.length} mandatory policy violation(s); fix them (or the policy) and synth again:\n`);
      for (const violation of error.violations) io.err(`  ${violation.replace(/\s*\n\s*/g, ' ')}\n`);
      return EXIT_CODES.drift;
    }
    if (error instanceof CiRefusalError) {
      for (const refusal of error.refusals) io.err(`tap-drift: ${refusal}\n`);
      return EXIT_CODES.badInput;
    }
    if (error instanceof CommanderError) {
      // Help and --version are successes; every usage error (unknown flag, missing argument, bad choice) is bad input.
      return error.code === 'commander.helpDisplayed' || error.code === 'commander.version' ? EXIT_CODES.ok : EXIT_CODES.badInput;
    }
    const message = error instanceof ManifestError || error instanceof LiveDriftError ? error.message : `unexpected error: ${error instanceof Error ? error.message : String(error)}`;
    io.err(`tap-drift: ${message.replace(/\s*\n\s*/g, ' ')}\n`);
    return EXIT_CODES.badInput;
  }
}

function packageVersion(): string {
  try {
    return (JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return '0.0.0';
  }
}

if (require.main === module) {
  process.exitCode = runCli(process.argv.slice(2));
}
