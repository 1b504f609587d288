import { Command, CommanderError, Option } from 'commander';
import { readFileSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { ENVIRONMENTS, EXIT_CODES, OUTPUT_FORMATS } from './constants';
import { parseUrn } from './context';
import { PolicyEvaluationError, PolicyInputError } from './errors';
import { formatReport, type FileReport } from './report';
import { assertSynthResources, blockingViolations } from './synthRecords';
import type { OutputFormat, SynthResource } from './types';

/** Where the CLI writes; the bin passes the process streams, tests capture. */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

interface CheckOptions {
  environment?: string;
  environmentSuffix?: string;
  format: OutputFormat;
}

const isEnvironment = (value: string | undefined): value is string => (ENVIRONMENTS as readonly string[]).includes(value ?? '');

/** Reads and checks one resources.json; every problem is a PolicyInputError naming the file. */
function load(file: string, environmentOption: string | undefined): { resources: SynthResource[]; environment: string; stackName: string } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new PolicyInputError(`${file}: cannot read it (${code}); run \`npx nx run tap-stack:synth\` first or fix the path`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new PolicyInputError(`${file}: not valid JSON (${(error as Error).message}); expected the resources.json written by tap-stack:synth`);
  }
  assertSynthResources(value, file);
  const stackFromUrn = value.map((r) => parseUrn(r.urn).stackName).find((s) => s !== undefined);
  // synth/<env>/resources.json names its environment; so does a stack named after it.
  const environment =
    environmentOption ?? [basename(dirname(file)), stackFromUrn].find(isEnvironment);
  if (!environment) {
    throw new PolicyInputError(`${file}: cannot tell its environment from the path or the stack name; pass --environment ${ENVIRONMENTS.join('|')}`);
  }
  return { resources: value, environment, stackName: stackFromUrn ?? environment };
}

async function check(files: string[], opts: CheckOptions, io: CliIo): Promise<number> {
  if (opts.environment !== undefined && !isEnvironment(opts.environment)) {
    throw new PolicyInputError(`--environment "${opts.environment}" must be one of ${ENVIRONMENTS.join(', ')}`);
  }
  // Every file is read and checked before any is evaluated: bad input never yields a partial report.
  const loaded = files.map((file) => ({ file, ...load(file, opts.environment) }));
  // Loaded only now: @pulumi/policy and @pulumi/aws take ~2 s, which bad input should not wait for.
  const [{ evaluatePolicies }, { policies }] = await Promise.all([import('./evaluate'), import('./policies')]);
  const reports: FileReport[] = loaded.map(({ file, resources, environment, stackName }) => ({
    file,
    stackName,
    environment,
    resourceCount: resources.length,
    violations: evaluatePolicies(resources, { stackName, environment, environmentSuffix: opts.environmentSuffix }),
  }));
  io.stdout(formatReport(reports, opts.format, policies.length));
  return reports.some((r) => blockingViolations(r.violations).length > 0) ? EXIT_CODES.violations : EXIT_CODES.ok;
}

/**
 * `tap-policy check <resources.json>... [--environment <env>] [--environment-suffix <s>] [--format text|json|markdown]`.
 * Returns the exit code: 0 no mandatory violation, 1 mandatory violations, 2 bad input (one line on stderr, no stack).
 *
 * @example
 * process.exitCode = await runCli(['check', 'dist/apps/tap-stack/synth/dev/resources.json', '--format', 'markdown']);
 */
export async function runCli(argv: readonly string[], io: CliIo = defaultIo): Promise<number> {
  let exitCode: number = EXIT_CODES.ok;
  const program = new Command('tap-policy')
    .description('Runs the tap-security CrossGuard policies over offline synth output (resources.json).')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout(s),
      writeErr: (s) => io.stderr(s),
      outputError: (s, write) => write(`tap-policy: ${s.replace(/^error: /, '').trim()} (see tap-policy check --help)\n`),
    });
  program
    .command('check')
    .description('Check one or more resources.json files; the environment comes from the synth/<env>/ folder unless given.')
    .argument('<resources...>', 'resources.json files written by `nx run tap-stack:synth`')
    .option('-e, --environment <env>', `environment of every file (${ENVIRONMENTS.join(', ')})`)
    .option('--environment-suffix <suffix>', 'environment suffix (default: inferred from the resource names)')
    .addOption(new Option('-f, --format <format>', 'report format').choices([...OUTPUT_FORMATS]).default('text'))
    .action(async (files: string[], opts: CheckOptions) => {
      exitCode = await check(files, opts, io);
    });
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version exit 0; usage errors were already written by outputError.
      return error.exitCode === 0 ? EXIT_CODES.ok : EXIT_CODES.badInput;
    }
    if (error instanceof PolicyInputError || error instanceof PolicyEvaluationError) {
      io.stderr(`tap-policy: ${error.message}\n`);
    } else {
      io.stderr(`tap-policy: unexpected error: ${(error as Error)?.message ?? String(error)}\n`);
    }
    return EXIT_CODES.badInput;
  }
}

const defaultIo: CliIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
};
