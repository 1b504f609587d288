#!/usr/bin/env node
// The tap-stack drift gate, run by `nx run tap-stack:drift-check` / `drift-approve` after the offline synth.
//   check:   tap-drift check (each environment vs its approved baseline) AND tap-drift compare (parity across
//            environments); both always run, the report has both, the exit code is the worse of the two
//            (0 in sync, 1 unapproved change or parity drift, 2 bad input).
//   approve: tap-drift approve (current synth becomes the baselines, one audit line per environment).
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { requireTapDrift, runTapDrift } from './tap-drift.mjs';

const { values, positionals } = parseArgs({
  options: {
    baseline: { type: 'string' },
    current: { type: 'string' },
    history: { type: 'string' },
    report: { type: 'string' },
  },
  allowPositionals: true,
});
const [mode] = positionals;
if (!['check', 'approve'].includes(mode) || !values.baseline || !values.current) {
  process.stderr.write('usage: drift-gate.mjs check|approve --baseline <dir> --current <synth dir> [--history <file>] [--report <file.md>]\n');
  process.exit(2);
}
requireTapDrift('drift-gate');
const tap = (args) => runTapDrift(args);

if (mode === 'approve') {
  const args = ['approve', '--baseline', values.baseline, '--current', values.current];
  if (values.history) args.push('--history', values.history);
  const { code, out } = tap(args);
  process.stdout.write(out);
  if (code === 0) process.stdout.write(`\nBaselines updated in ${values.baseline}: review and commit them with the change.\n`);
  process.exit(code);
}

const check = tap(['check', '--baseline', values.baseline, '--current', values.current, '--format', 'markdown']);
const compare = tap(['compare', values.current, '--format', 'markdown']);
const verdict = (code) => (code === 0 ? 'pass' : code === 1 ? 'FAIL' : 'ERROR (bad input)');
const report = [
  '# Drift gate',
  '',
  `- Approved baselines (\`tap-drift check\`): **${verdict(check.code)}**`,
  `- Environment parity (\`tap-drift compare\`): **${verdict(compare.code)}**`,
  '',
  '## Against the approved baselines',
  '',
  check.out.trim(),
  '',
  '## Across environments',
  '',
  compare.out.trim(),
  '',
  ...(check.code === 1
    ? ['If the change is intended, run `npx nx run tap-stack:drift-approve` and commit `apps/tap-stack/manifests/`.', '']
    : []),
].join('\n');
process.stdout.write(report);
if (values.report) {
  mkdirSync(dirname(resolve(values.report)), { recursive: true });
  writeFileSync(values.report, report);
}
process.exit(Math.max(check.code, compare.code));
