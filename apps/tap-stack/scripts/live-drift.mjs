#!/usr/bin/env node
// Live drift of the tap-stack, run by `nx run tap-stack:drift [--configuration=<env>]`: the offline synth of the checked
// environments (the current code), then for each environment `tap-drift live` (pulumi refresh --preview-only: cloud vs
// state, with the ignore rules; and the deployed configManifest output vs that synth). Every environment is checked
// and its JSON report written to <out-dir>/<env>.json, even after a failure (with --format markdown also
// <out-dir>/report.md); the exit code is the worst of them (0 in sync, 1 drift, 2 error).
//
// Nx reports every failed task as exit 1, so the run also writes its status file first thing and at the end:
// dist/apps/tap-stack/status/drift[-<env>].json (see tools/nx-plugin/bin/status-file.mjs, README "Exit codes and
// status files"): "in-sync", "drift" or "error".
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { driftStatus, startStatus } from '../../../tools/nx-plugin/bin/status-file.mjs';
import { missingTapDrift, root, runSynth, runTapDrift } from './tap-drift.mjs';

const app = join(root, 'apps', 'tap-stack');
const ENVIRONMENTS = ['dev', 'staging', 'prod'];
const FORMATS = ['text', 'json', 'markdown'];
const USAGE =
  'usage: live-drift.mjs [--environment dev|staging|prod] [--format text|json|markdown] [--pulumi <path>] [--synth <dir>] [--out-dir <dir>] [--ignore <file>]\n' +
  '  --synth <dir>  compare with the synth already in <dir> (default: synthesize the code into dist/apps/tap-stack/drift/synth first)\n' +
  'Exit 0 in sync, 1 drift, 2 error; status in dist/apps/tap-stack/status/drift[-<env>].json.\n';

const argv = process.argv.slice(2);
if (argv.includes('--help') || argv.includes('-h')) {
  process.stdout.write(USAGE);
  process.exit(0);
}

// The status file is named after the environment before anything can fail, so even bad input leaves "error" there.
const envArg = argv.find((a, i) => argv[i - 1] === '--environment' || a.startsWith('--environment='))?.replace(/^--environment=/, '');
const status = startStatus({
  workspaceRoot: root,
  projectRoot: 'apps/tap-stack',
  target: 'drift',
  configuration: ENVIRONMENTS.includes(envArg) ? envArg : undefined,
});

function fail(problem) {
  process.stderr.write(`live-drift: ${problem}\n`);
  status.finish('error', 2, problem);
  process.exit(2);
}
function usage(problem) {
  process.stderr.write(USAGE);
  fail(problem);
}

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
  usage(error.message);
}
if (values.environment !== undefined && !ENVIRONMENTS.includes(values.environment)) {
  usage(`unknown environment "${values.environment}": use one of ${ENVIRONMENTS.join(', ')}`);
}
if (!FORMATS.includes(values.format)) usage(`unknown format "${values.format}": use one of ${FORMATS.join(', ')}`);

const environments = values.environment ? [values.environment] : ENVIRONMENTS;
const outDir = resolve(values['out-dir']);
// Yesterday's reports must not pass for today's: whatever happens below, these files are rewritten or gone.
for (const env of environments) rmSync(join(outDir, `${env}.json`), { force: true });
rmSync(join(outDir, 'report.md'), { force: true });

/** An error report per environment, in the shape tap-drift live writes, so a reader of <env>.json sees why. */
function failEveryEnvironment(problem) {
  mkdirSync(outDir, { recursive: true });
  for (const env of environments) {
    writeFileSync(join(outDir, `${env}.json`), `${JSON.stringify({ environment: env, stack: env, status: 'error', exitCode: 2, errors: [problem] }, null, 2)}\n`);
  }
  fail(problem);
}

const missing = missingTapDrift('live-drift');
if (missing) failEveryEnvironment(missing.replace(/^live-drift: /, ''));

let synthDir = values.synth;
if (synthDir === undefined) {
  synthDir = join(root, 'dist/apps/tap-stack/drift/synth');
  const synth = runSynth(environments, synthDir);
  if (synth.code !== 0) failEveryEnvironment(synth.message);
}

const results = environments.map((env) => {
  const args = ['live', '--stack', env, '--cwd', app, '--code', join(resolve(synthDir), env, 'manifest.json')];
  args.push('--ignore', resolve(values.ignore), '--out', join(outDir, `${env}.json`), '--format', values.format);
  if (values.pulumi) args.push('--pulumi', values.pulumi);
  return { env, ...runTapDrift(args, root) };
});

const verdict = (code) => (code === 0 ? 'in sync' : code === 1 ? 'DRIFT' : 'ERROR');
const worst = Math.max(...results.map((r) => r.code));
const reports = join(relative(process.cwd(), outDir) || '.', '<env>.json');
if (values.format === 'json') {
  // One JSON document on stdout: the report itself for one environment, an array for several.
  const parse = (r) => {
    try {
      return JSON.parse(r.out);
    } catch {
      return { environment: r.env, status: 'error', exitCode: r.code, errors: [r.err.trim().split('\n')[0] || 'no report'] };
    }
  };
  const parsed = results.map(parse);
  process.stdout.write(`${JSON.stringify(parsed.length === 1 ? parsed[0] : parsed, null, 2)}\n`);
} else if (values.format === 'markdown') {
  const summary = results.map((r) => `- ${r.env}: **${verdict(r.code)}**`);
  const markdown = [`# Live drift: ${verdict(worst)}`, '', ...summary, '', ...results.map((r) => r.out.trim()).filter(Boolean).flatMap((o) => [o, '']), `Reports: \`${reports}\``, ''].join('\n');
  process.stdout.write(markdown);
  // Also as a file: Nx wraps stdout in its own lines, a ticket or chat message wants the report alone.
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'report.md'), markdown);
} else {
  for (const r of results) if (r.out) process.stdout.write(`${r.out}\n`);
  process.stdout.write(`live drift: ${results.map((r) => `${r.env} ${verdict(r.code)}`).join(', ')}; reports in ${reports}\n`);
}

const firstError = results.find((r) => r.code > 1);
const message = firstError
  ? `${firstError.env}: ${firstError.err.trim().split('\n')[0] || `tap-drift exited ${firstError.code}`}`
  : results.map((r) => `${r.env} ${verdict(r.code)}`).join(', ');
status.finish(driftStatus(worst), worst, message, {
  environments: Object.fromEntries(results.map((r) => [r.env, driftStatus(r.code)])),
  reports: Object.fromEntries(results.filter((r) => existsSync(join(outDir, `${r.env}.json`))).map((r) => [r.env, relative(root, join(outDir, `${r.env}.json`))])),
});
process.exit(worst);
