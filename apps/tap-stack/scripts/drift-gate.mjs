#!/usr/bin/env node
// The tap-stack drift gate, run by `nx run tap-stack:drift-check` / `drift-approve`.
//   check:   (with --synthesize, the offline synth of every environment into --current first, so a failed synth is
//            this run's error), then tap-drift check (each environment vs its approved baseline) AND tap-drift compare
//            (parity across environments); both always run, the report has both, the exit code is the worse of the
//            two (0 in sync, 1 unapproved change or parity drift, 2 error or bad input). When the check could run, the
//            report also lists the approvals the change needs (tap-drift requirements, apps/tap-stack/approval-rules.json
//            or $TAP_APPROVAL_RULES; a bad rules file is an error). The Markdown report goes to
//            --report; a run that cannot produce one leaves an ERROR report there, never the previous run's. The
//            status goes to dist/apps/tap-stack/status/drift-check.json (README "Exit codes and status files").
//   approve: the tap-security policies over the current synth (tap-policy check --format json), then tap-drift approve
//            with that report (--policy-report) and every option this script does not know forwarded (--reason,
//            --approver, --approvals, ...) and the approval rules (--rules, default apps/tap-stack/approval-rules.json):
//            the current synth becomes the baselines, one audit line per environment.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { driftStatus, startStatus, writeJsonAtomic } from '../../../tools/nx-plugin/bin/status-file.mjs';
import { missingTapDrift, root, runSynth, runTapDrift } from './tap-drift.mjs';

const FORMATS = ['markdown', 'text', 'json'];
const USAGE = [
  'usage: drift-gate.mjs check --current <synth dir> [--baseline <dir>] [--synthesize] [--report <file.md>] [--format markdown|text|json]',
  '       drift-gate.mjs approve --baseline <dir> --current <synth dir> [--history <file>] [--policy-cli <tap-policy.js>] [tap-drift approve options, e.g. --reason "..."]',
  'check: --baseline defaults to $TAP_DRIFT_BASELINE, else apps/tap-stack/manifests. Exit 0 in sync, 1 unapproved change or parity drift, 2 error;',
  'status in dist/apps/tap-stack/status/drift-check.json.',
  '',
].join('\n');

const VALUE_OPTIONS = ['baseline', 'current', 'history', 'report', 'format', 'policy-cli'];
const FLAG_OPTIONS = ['synthesize', 'help'];

/** Splits argv into this script's options and the rest (forwarded to `tap-drift approve`). */
function splitArgs(argv) {
  const values = {};
  const rest = [];
  const positionals = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const match = /^--([^=]+)(=(.*))?$/.exec(arg);
    if (match && VALUE_OPTIONS.includes(match[1])) {
      values[match[1]] = match[2] !== undefined ? match[3] : argv[++i];
    } else if (match && FLAG_OPTIONS.includes(match[1]) && match[2] === undefined) {
      values[match[1]] = true;
    } else if (arg === '-h') {
      values.help = true;
    } else if (!arg.startsWith('-') && positionals.length === 0) {
      positionals.push(arg);
    } else {
      rest.push(arg);
    }
  }
  return { values, rest, mode: positionals[0] };
}

const { values, rest, mode } = splitArgs(process.argv.slice(2));
if (values.help) {
  process.stdout.write(USAGE);
  process.exit(0);
}

if (mode === 'approve') approve();
else check();

function approve() {
  if (!values.baseline || !values.current) usageError('approve needs --baseline and --current');
  const problem = missingTapDrift('drift-gate');
  if (problem) usageError(problem.replace(/^drift-gate: /, ''));
  const args = ['approve', '--baseline', values.baseline, '--current', values.current];
  // --no-policy-check is tap-drift's to record ("policy: not checked"); otherwise it judges the policy report.
  if (!rest.includes('--no-policy-check')) args.push('--policy-report', runPolicies(values.current, values['policy-cli']));
  if (values.history) args.push('--history', values.history);
  // Each history line records the approvals its change needed (and who gave them, with --approvals <file>).
  if (!rest.some((arg) => arg === '--rules' || arg.startsWith('--rules='))) {
    args.push('--rules', relative(process.cwd(), process.env.TAP_APPROVAL_RULES || join(root, 'apps/tap-stack/approval-rules.json')));
  }
  const { code, out } = runTapDrift([...args, ...rest]);
  process.stdout.write(out);
  if (code === 0) process.stdout.write(`\nBaselines updated in ${values.baseline}: review and commit them with the change.\n`);
  process.exit(code);
}

/**
 * Runs the tap-security policies over every environment's resources.json under `current` and writes the JSON report
 * next to the synth folder; returns its path. Violations are tap-drift approve's to judge (it refuses blocking ones);
 * a policy check that cannot run stops the approval.
 */
function runPolicies(current, cli = join(dirname(createRequire(join(root, 'package.json')).resolve('@tap/policy/package.json')), 'dist', 'bin', 'tap-policy.js')) {
  if (!existsSync(cli)) usageError(`${cli} is missing; build it with "npx nx run policy:build" (nx run tap-stack:drift-approve does this first)`);
  const files = existsSync(current)
    ? readdirSync(current)
        .map((env) => join(current, env, 'resources.json'))
        .filter((file) => existsSync(file))
        .sort()
    : [];
  if (files.length === 0) usageError(`no <env>/resources.json under ${current}: run the offline synth first (npx nx run tap-stack:synth)`);
  const run = spawnSync(process.execPath, [cli, 'check', ...files, '--format', 'json'], { encoding: 'utf8', cwd: root, maxBuffer: 256 * 1024 * 1024 });
  if (run.stderr) process.stderr.write(run.stderr);
  let report;
  try {
    report = JSON.parse(run.stdout);
  } catch {
    report = undefined;
  }
  // tap-policy: 0 passed, 1 mandatory violations (still a report), anything else could not check.
  if (report === undefined || (run.status !== 0 && run.status !== 1)) {
    usageError(`the policy check could not run (tap-policy exited ${run.status ?? run.signal}); nothing was approved`);
  }
  const file = join(dirname(resolve(current)), 'policy-report.json');
  writeJsonAtomic(file, report);
  // Relative to the workspace: the path goes into history.jsonl, which must not depend on where the checkout lives.
  return relative(process.cwd(), file);
}

function usageError(problem) {
  process.stderr.write(`drift-gate: ${problem}\n`);
  process.exit(2);
}

function check() {
  // First thing: the status says running and the previous report is gone, so neither can pass for this run's.
  const status = startStatus({ workspaceRoot: root, projectRoot: 'apps/tap-stack', target: 'drift-check' });
  const reportFile = values.report ? resolve(values.report) : undefined;
  if (reportFile) rmSync(reportFile, { force: true });
  const format = values.format ?? 'markdown';

  const fail = (problem) => {
    process.stderr.write(`drift-gate: ${problem}\n`);
    if (reportFile) {
      mkdirSync(dirname(reportFile), { recursive: true });
      writeFileSync(reportFile, ['# Drift gate', '', '- **ERROR**: the gate could not run, nothing was checked.', '', `> ${problem}`, ''].join('\n'));
    }
    status.finish('error', 2, problem);
    process.exit(2);
  };

  if (mode !== 'check') fail(`${mode ? `unknown mode "${mode}"` : 'no mode'}: use check or approve (drift-gate.mjs --help)`);
  if (rest.length > 0) fail(`unknown option ${rest[0]}: check takes --baseline, --current, --synthesize, --report, --format (drift-gate.mjs --help)`);
  // Explicit argument > TAP_DRIFT_BASELINE (another folder of approved baselines, e.g. to try a gate) > the committed ones.
  values.baseline ??= process.env.TAP_DRIFT_BASELINE || join(root, 'apps/tap-stack/manifests');
  if (!values.current) fail('check needs --current <synth dir>');
  if (!FORMATS.includes(format)) fail(`unknown format "${format}": use one of ${FORMATS.join(', ')}`);
  const missing = missingTapDrift('drift-gate');
  if (missing) fail(missing.replace(/^drift-gate: /, ''));
  if (values.synthesize) {
    const synth = runSynth([], resolve(values.current));
    if (synth.code !== 0) fail(synth.message);
  }

  const check = runTapDrift(['check', '--baseline', values.baseline, '--current', values.current, '--format', 'markdown']);
  const compare = runTapDrift(['compare', values.current, '--format', 'markdown']);
  // Who must approve the change (apps/tap-stack/approval-rules.json): only when the check could see all of it. A bad
  // rules file is an error of the gate.
  // Relative, as the report shows it: the same on every machine.
  const rules = relative(process.cwd(), process.env.TAP_APPROVAL_RULES || join(root, 'apps/tap-stack/approval-rules.json'));
  const requirementsArgs = ['requirements', '--baseline', values.baseline, '--current', values.current, '--rules', rules];
  const requirements = check.code < 2 ? runTapDrift([...requirementsArgs, '--format', 'markdown']) : undefined;
  const code = Math.max(check.code, compare.code, requirements && requirements.code > 1 ? 2 : 0);
  const verdict = (c) => (c === 0 ? 'pass' : c === 1 ? 'FAIL' : 'ERROR');
  const markdown = [
    '# Drift gate',
    '',
    `- Approved baselines (\`tap-drift check\`): **${verdict(check.code)}**`,
    `- Environment parity (\`tap-drift compare\`): **${verdict(compare.code)}**`,
    '',
    '## Against the approved baselines',
    '',
    check.out.trim() || `> ${check.err.trim().split('\n')[0]}`,
    '',
    '## Across environments',
    '',
    compare.out.trim() || `> ${compare.err.trim().split('\n')[0]}`,
    '',
    '## Approval requirements',
    '',
    !requirements ? '> Not computed: the check against the baselines could not run.' : requirements.out.trim() || `> ${requirements.err.trim().split('\n')[0]}`,
    '',
    ...(check.code === 1
      ? ['If the change is intended, run `npx nx run tap-stack:drift-approve --reason="..."` and commit `apps/tap-stack/manifests/`.', '']
      : []),
  ].join('\n');
  if (reportFile) {
    mkdirSync(dirname(reportFile), { recursive: true });
    writeFileSync(reportFile, markdown);
  }

  if (format === 'markdown') {
    process.stdout.write(markdown);
  } else {
    // The same checks again in the asked format; their messages were printed above already.
    const again = (args) => runTapDrift([...args, '--format', format], process.cwd(), { quiet: true }).out;
    const checkOut = again(['check', '--baseline', values.baseline, '--current', values.current]);
    const compareOut = again(['compare', values.current]);
    const requirementsOut = requirements ? again(requirementsArgs) : '';
    if (format === 'json') {
      const parse = (text) => {
        try {
          return JSON.parse(text);
        } catch {
          return null;
        }
      };
      process.stdout.write(`${JSON.stringify({ status: driftStatus(code), exitCode: code, check: parse(checkOut), compare: parse(compareOut), requirements: parse(requirementsOut) }, null, 2)}\n`);
    } else {
      process.stdout.write(`${checkOut.trim()}\n\n${compareOut.trim()}\n\n${requirementsOut.trim() || 'approval requirements: not computed'}\n\ndrift gate: baselines ${verdict(check.code)}, parity ${verdict(compare.code)}\n`);
    }
  }

  const error = [check, compare, requirements].find((r) => r && r.code > 1);
  const message = error
    ? error.err.trim().split('\n')[0] || `tap-drift exited ${error.code}`
    : `baselines ${verdict(check.code)}, parity ${verdict(compare.code)}${reportFile ? `; report in ${relative(root, reportFile)}` : ''}`;
  status.finish(driftStatus(code), code, message);
  process.exit(code);
}
