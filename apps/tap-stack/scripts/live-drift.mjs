#!/usr/bin/env node
// Live drift of the tap-stack, run by `nx run tap-stack:drift [--configuration=<env>]` after the offline synth:
// for each environment, `tap-drift live` (pulumi refresh --preview-only: cloud vs state, with the ignore rules; and the
// deployed configManifest output vs the synth of the current code). Every environment is checked and its JSON report
// written to <out-dir>/<env>.json, even after a failure (with --format markdown also <out-dir>/report.md); the exit
// code is the worst of them (0 in sync, 1 drift, 2 error).
//
// usage: live-drift.mjs [--environment <env>] [--format text|json|markdown] [--pulumi <path>]
//                       [--synth <dir>] [--out-dir <dir>] [--ignore <file>]
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { requireTapDrift, root, runTapDrift } from './tap-drift.mjs';

const app = join(root, 'apps', 'tap-stack');
const ENVIRONMENTS = ['dev', 'staging', 'prod'];
const FORMATS = ['text', 'json', 'markdown'];

function usage(problem) {
  process.stderr.write(`live-drift: ${problem}\n`);
  process.stderr.write('usage: live-drift.mjs [--environment dev|staging|prod] [--format text|json|markdown] [--pulumi <path>] [--synth <dir>] [--out-dir <dir>] [--ignore <file>]\n');
  process.exit(2);
}

let values;
try {
  ({ values } = parseArgs({
    options: {
      environment: { type: 'string' },
      format: { type: 'string', default: 'text' },
      pulumi: { type: 'string' },
      synth: { type: 'string', default: join(root, 'dist/apps/tap-stack/synth') },
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
requireTapDrift('live-drift');

const environments = values.environment ? [values.environment] : ENVIRONMENTS;
const results = environments.map((env) => {
  const args = ['live', '--stack', env, '--cwd', app, '--code', join(resolve(values.synth), env, 'manifest.json')];
  args.push('--ignore', resolve(values.ignore), '--out', join(resolve(values['out-dir']), `${env}.json`), '--format', values.format);
  if (values.pulumi) args.push('--pulumi', values.pulumi);
  return { env, ...runTapDrift(args, root) };
});

const verdict = (code) => (code === 0 ? 'in sync' : code === 1 ? 'DRIFT' : 'ERROR');
const worst = Math.max(...results.map((r) => r.code));
const reports = join(relative(process.cwd(), resolve(values['out-dir'])) || '.', '<env>.json');
if (values.format === 'json') {
  // One JSON document on stdout: the report itself for one environment, an array for several.
  const parsed = results.map((r) => (r.out.trim() ? JSON.parse(r.out) : { environment: r.env, status: 'error', exitCode: r.code }));
  process.stdout.write(`${JSON.stringify(parsed.length === 1 ? parsed[0] : parsed, null, 2)}\n`);
} else if (values.format === 'markdown') {
  const summary = results.map((r) => `- ${r.env}: **${verdict(r.code)}**`);
  const markdown = [`# Live drift: ${verdict(worst)}`, '', ...summary, '', ...results.map((r) => r.out.trim()).filter(Boolean).flatMap((o) => [o, '']), `Reports: \`${reports}\``, ''].join('\n');
  process.stdout.write(markdown);
  // Also as a file: Nx wraps stdout in its own lines, a ticket or chat message wants the report alone.
  mkdirSync(resolve(values['out-dir']), { recursive: true });
  writeFileSync(join(resolve(values['out-dir']), 'report.md'), markdown);
} else {
  for (const r of results) if (r.out) process.stdout.write(`${r.out}\n`);
  process.stdout.write(`live drift: ${results.map((r) => `${r.env} ${verdict(r.code)}`).join(', ')}; reports in ${reports}\n`);
}
process.exit(worst);
