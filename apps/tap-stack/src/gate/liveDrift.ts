import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { startStatusFile, type StatusRun } from '../statusFile';
import { LiveDriftFailure } from './errors';
import { driftStatus, missingTapDrift, parseJson, root, runSynth, runTapDrift, type CliRun } from './tapDrift';

// Live drift of the tap-stack, run by `nx run tap-stack:drift [--configuration=<env>]` (launcher: scripts/live-drift.mjs):
// the offline synth of the checked environments (the current code), then for each environment `tap-drift live` (pulumi
// refresh --preview-only: cloud vs state, with the ignore rules; and the deployed configManifest output vs that synth).
// Every environment is checked and its JSON report written to <out-dir>/<env>.json, even after a failure (with --format
// markdown also <out-dir>/report.md); the exit code is the worst of them (0 in sync, 1 drift, 2 error).
//
// Nx reports every failed task as exit 1, so the run also writes its status file first thing and at the end:
// dist/apps/tap-stack/status/drift[-<env>].json (README "Exit codes and status files"): "in-sync", "drift" or "error".

const app = join(root, 'apps', 'tap-stack');
const ENVIRONMENTS = ['dev', 'staging', 'prod'];
const FORMATS = ['text', 'json', 'markdown'];
export const LIVE_DRIFT_USAGE =
  'usage: live-drift.mjs [--environment dev|staging|prod] [--format text|json|markdown] [--pulumi <path>] [--synth <dir>] [--out-dir <dir>] [--ignore <file>]\n' +
  '  --synth <dir>  compare with the synth already in <dir> (default: synthesize the code into dist/apps/tap-stack/drift/synth first)\n' +
  'Exit 0 in sync, 1 drift, 2 error; status in dist/apps/tap-stack/status/drift[-<env>].json.\n';

interface LiveOptions {
  environment?: string;
  format: string;
  pulumi?: string;
  synth?: string;
  'out-dir': string;
  ignore: string;
}

function options(argv: string[]): LiveOptions {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        environment: { type: 'string' },
        format: { type: 'string', default: 'text' },
        pulumi: { type: 'string' },
        synth: { type: 'string' },
        'out-dir': { type: 'string', default: join(root, 'dist/apps/tap-stack/drift') },
        ignore: { type: 'string', default: join(app, 'drift-ignore.json') },
      },
      strict: true,
    }));
  } catch (error) {
    throw new LiveDriftFailure((error as Error).message, true);
  }
  if (values.environment !== undefined && !ENVIRONMENTS.includes(values.environment)) {
    throw new LiveDriftFailure(`unknown environment "${values.environment}": use one of ${ENVIRONMENTS.join(', ')}`, true);
  }
  if (!FORMATS.includes(values.format)) throw new LiveDriftFailure(`unknown format "${values.format}": use one of ${FORMATS.join(', ')}`, true);
  return values as LiveOptions;
}

const verdict = (code: number) => (code === 0 ? 'in sync' : code === 1 ? 'DRIFT' : 'ERROR');

/** Prints the results in the asked format (markdown also to <out-dir>/report.md). */
function report(results: Array<CliRun & { env: string }>, format: string, outDir: string): void {
  const worst = Math.max(...results.map((r) => r.code));
  const reports = join(relative(process.cwd(), outDir) || '.', '<env>.json');
  if (format === 'json') {
    // One JSON document on stdout: the report itself for one environment, an array for several.
    const parsed = results.map((r) => parseJson(r.out) ?? { environment: r.env, status: 'error', exitCode: r.code, errors: [r.err.trim().split('\n')[0] || 'no report'] });
    process.stdout.write(`${JSON.stringify(parsed.length === 1 ? parsed[0] : parsed, null, 2)}\n`);
  } else if (format === 'markdown') {
    const summary = results.map((r) => `- ${r.env}: **${verdict(r.code)}**`);
    const outputs = results.map((r) => r.out.trim()).filter(Boolean);
    const markdown = [`# Live drift: ${verdict(worst)}`, '', ...summary, '', ...outputs.flatMap((o) => [o, '']), `Reports: \`${reports}\``, ''].join('\n');
    process.stdout.write(markdown);
    // Also as a file: Nx wraps stdout in its own lines, a ticket or chat message wants the report alone.
    mkdirSync(outDir, { recursive: true });
    writeFileSync(join(outDir, 'report.md'), markdown);
  } else {
    for (const r of results) if (r.out) process.stdout.write(`${r.out}\n`);
    process.stdout.write(`live drift: ${results.map((r) => `${r.env} ${verdict(r.code)}`).join(', ')}; reports in ${reports}\n`);
  }
}

function run(argv: string[], status: StatusRun): number {
  const values = options(argv);
  const environments = values.environment ? [values.environment] : ENVIRONMENTS;
  const outDir = resolve(values['out-dir']);
  // Yesterday's reports must not pass for today's: whatever happens below, these files are rewritten or gone.
  for (const env of environments) rmSync(join(outDir, `${env}.json`), { force: true });
  rmSync(join(outDir, 'report.md'), { force: true });
  const failEveryEnvironment = (problem: string): never => {
    mkdirSync(outDir, { recursive: true });
    for (const env of environments) {
      writeFileSync(join(outDir, `${env}.json`), `${JSON.stringify({ environment: env, stack: env, status: 'error', exitCode: 2, errors: [problem] }, null, 2)}\n`);
    }
    throw new LiveDriftFailure(problem);
  };

  const missing = missingTapDrift('live-drift');
  if (missing) failEveryEnvironment(missing.replace(/^live-drift: /, ''));
  let synthDir = values.synth;
  if (synthDir === undefined) {
    synthDir = join(root, 'dist/apps/tap-stack/drift/synth');
    const synth = runSynth(environments, synthDir);
    if (synth.code !== 0) failEveryEnvironment(synth.message ?? `tap-synth exited ${synth.code}`);
  }
  const results = environments.map((env) => {
    const args = ['live', '--stack', env, '--cwd', app, '--code', join(resolve(synthDir as string), env, 'manifest.json')];
    args.push('--ignore', resolve(values.ignore), '--out', join(outDir, `${env}.json`), '--format', values.format);
    if (values.pulumi) args.push('--pulumi', values.pulumi);
    return { env, ...runTapDrift(args, root) };
  });
  report(results, values.format, outDir);

  const worst = Math.max(...results.map((r) => r.code));
  const firstError = results.find((r) => r.code > 1);
  const message = firstError
    ? `${firstError.env}: ${firstError.err.trim().split('\n')[0] || `tap-drift exited ${firstError.code}`}`
    : results.map((r) => `${r.env} ${verdict(r.code)}`).join(', ');
  status.finish(driftStatus(worst), worst, message, {
    environments: Object.fromEntries(results.map((r) => [r.env, driftStatus(r.code)])),
    reports: Object.fromEntries(results.filter((r) => existsSync(join(outDir, `${r.env}.json`))).map((r) => [r.env, relative(root, join(outDir, `${r.env}.json`))])),
  });
  return worst;
}

/**
 * The live drift command line (see the comment above); returns the exit code: 0 in sync, 1 drift, 2 error or bad input.
 *
 * @example
 * process.exitCode = liveDrift(['--environment', 'dev', '--format', 'markdown']);
 */
export function liveDrift(argv: string[]): number {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(LIVE_DRIFT_USAGE);
    return 0;
  }
  // The status file is named after the environment before anything can fail, so even bad input leaves "error" there.
  const envArg = argv.find((a, i) => argv[i - 1] === '--environment' || a.startsWith('--environment='))?.replace(/^--environment=/, '');
  const status = startStatusFile(root, 'apps/tap-stack', 'drift', envArg !== undefined && ENVIRONMENTS.includes(envArg) ? envArg : undefined);
  try {
    return run(argv, status);
  } catch (error) {
    if (!(error instanceof LiveDriftFailure)) throw error;
    if (error.usage) process.stderr.write(LIVE_DRIFT_USAGE);
    process.stderr.write(`live-drift: ${error.message}\n`);
    status.finish('error', 2, error.message);
    return 2;
  }
}
