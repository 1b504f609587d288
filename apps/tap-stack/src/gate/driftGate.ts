import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { startStatusFile, writeJsonAtomic } from '../statusFile';
import { GateExit, GateUsageError } from './errors';
import { driftStatus, missingTapDrift, parseJson, root, runSynth, runTapDrift, workspaceRequire, type CliRun } from './tapDrift';

// The tap-stack drift gate, run by `nx run tap-stack:drift-check` / `drift-approve` (launcher: scripts/drift-gate.mjs).
//   check:   (with --synthesize, the offline synth of every environment into --current first, so a failed synth is
//            this run's error), then tap-drift check (each environment vs its approved baseline), tap-drift compare
//            (parity across environments), tap-drift audit verify (the history's hash chain is intact and every
//            baseline is the one history approved last) and the tap-security policies over the synth it checks
//            (tap-policy check --format json: a mandatory violation fails the gate, even in a baseline approved with
//            --no-policy-check). All always run when the check could; the report has each, the exit code is the worst
//            (0 in sync, 1 unapproved change, parity drift, broken audit record or mandatory violation, 2 error or
//            bad input). The baselines are the committed ones (apps/tap-stack/manifests) unless --baseline says
//            otherwise (tests); no environment variable moves them. When the check could run, the report also lists
//            the approvals the change needs (tap-drift requirements, apps/tap-stack/approval-rules.json unless --rules
//            says otherwise outside CI; a bad rules file is an error) and the approvals the baselines still owe (requirements
//            recorded unmet in the history: the pull request's reviews must meet them, the deploy checks them again).
//            The Markdown report goes to --report; a run that cannot produce one leaves an ERROR report there, never
//            the previous run's. The status goes to dist/apps/tap-stack/status/drift-check.json (README "Exit codes and
//            status files").
//   approve: the tap-security policies over the current synth (tap-policy check --format json), then tap-drift approve
//            with that report (--policy-report) and every option this script does not know forwarded (--reason,
//            --approver, --approvals, ...) and the approval rules (--rules, default apps/tap-stack/approval-rules.json):
//            the current synth becomes the baselines, one hash-chained audit line per environment. In CI (CI set and
//            not '', 0 or false) --approver, --history, --approvals, --policy-cli, --no-policy-check and --rules are
//            refused (exit 2, one line each): the identity and the approvals come from GitHub, the rules from the
//            committed file. No environment variable changes the rules: the command line shows what judged.

const FORMATS = ['markdown', 'text', 'json'];
/** The enforcement levels that fail `tap-policy check`, as tap-drift approve judges them. */
const BLOCKING_LEVELS = ['mandatory', 'remediate'];
export const DRIFT_GATE_USAGE = [
  'usage: drift-gate.mjs check --current <synth dir> [--baseline <dir>] [--synthesize] [--report <file.md>] [--format markdown|text|json] [--rules <file>]',
  '       drift-gate.mjs approve --baseline <dir> --current <synth dir> [--history <file>] [--policy-cli <tap-policy.js>] [--rules <file>] [tap-drift approve options, e.g. --reason "..."]',
  'check: --baseline defaults to apps/tap-stack/manifests (the committed baselines). Exit 0 in sync, 1 unapproved change, parity drift,',
  'broken audit record (tap-drift audit verify) or mandatory policy violation, 2 error; status in dist/apps/tap-stack/status/drift-check.json.',
  '--rules defaults to apps/tap-stack/approval-rules.json (the committed rules); in CI it is refused (exit 2).',
  'approve: in CI, --approver, --history, --approvals, --policy-cli, --no-policy-check and --rules are refused (exit 2).',
  '',
].join('\n');

const VALUE_OPTIONS = ['baseline', 'current', 'history', 'report', 'format', 'policy-cli', 'rules'] as const;
const FLAG_OPTIONS = ['synthesize', 'help'] as const;
type ValueOption = (typeof VALUE_OPTIONS)[number];
type FlagOption = (typeof FLAG_OPTIONS)[number];

/** The gate's own options; everything else is forwarded to `tap-drift approve`. */
interface GateArgs {
  values: Partial<Record<ValueOption, string>> & Partial<Record<FlagOption, boolean>>;
  rest: string[];
  mode: string | undefined;
  /** Options given without their value (`--rules` last): refused, never read as the default. */
  valueless: string[];
}

/** A tap-policy JSON report, as far as the gate reads it. */
interface PolicyReport {
  policyCount: number;
  files: Array<{
    environment: string;
    stackName: string;
    violations?: Array<{ policyName: string; enforcementLevel: string; resourceName?: string; resourceType?: string; message: unknown }>;
  }>;
}

type PolicyRun = { file: string; report: PolicyReport; error?: undefined } | { error: string; file?: undefined; report?: undefined };

/** Splits argv into this script's options and the rest (forwarded to `tap-drift approve`). */
function splitArgs(argv: string[]): GateArgs {
  const values: GateArgs['values'] = {};
  const rest: string[] = [];
  const positionals: string[] = [];
  const valueless: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const match = /^--([^=]+)(=(.*))?$/.exec(arg);
    if (match && (VALUE_OPTIONS as readonly string[]).includes(match[1])) {
      const inline = match[2] !== undefined;
      const value = inline ? match[3] : argv[i + 1];
      if (value === undefined || value === '' || value.startsWith('--')) {
        // The next option stays an option; `--rules=--x` has nothing after it to keep.
        valueless.push(`--${match[1]}`);
      } else {
        values[match[1] as ValueOption] = value;
        if (!inline) i++;
      }
    } else if (match && (FLAG_OPTIONS as readonly string[]).includes(match[1]) && match[2] === undefined) {
      values[match[1] as FlagOption] = true;
    } else if (arg === '-h') {
      values.help = true;
    } else if (!arg.startsWith('-') && positionals.length === 0) {
      positionals.push(arg);
    } else {
      rest.push(arg);
    }
  }
  return { values, rest, mode: positionals[0], valueless };
}

/** CI is truthy: set and not '', '0' or 'false' (any case), as tap-drift judges it. */
function inCi(env: NodeJS.ProcessEnv = process.env): boolean {
  const value = env['CI'];
  return value !== undefined && value !== '' && value !== '0' && value.toLowerCase() !== 'false';
}

/**
 * In CI, the flags the approval refuses (one line each, exit 2): the identity and the approvals come from GitHub, the
 * history sits beside the baselines, the policies are the workspace's own and always run. The reasons are tap-drift's
 * (CI_REFUSED_FLAGS of @tap/manifest, loaded from its build like tap-drift itself), so both say the same.
 */
function refuseInCi({ values, rest }: GateArgs): void {
  if (!inCi()) return;
  const given: string[] = [];
  if (values.history !== undefined) given.push('--history');
  if (values['policy-cli'] !== undefined) given.push('--policy-cli');
  for (const arg of rest) {
    const flag = /^(--[^=]+)/.exec(arg)?.[1];
    if (flag && ['--approver', '--approvals', '--no-policy-check'].includes(flag) && !given.includes(flag)) given.push(flag);
  }
  // --rules is the gate's own refusal: tap-drift approve takes --rules from the gate, in CI too.
  const refusals = given.length === 0 ? [] : (workspaceRequire('@tap/manifest') as { ciRefusals: (flags: string[], env: NodeJS.ProcessEnv) => string[] }).ciRefusals(given, process.env);
  if (values.rules !== undefined) refusals.push(RULES_REFUSED_IN_CI);
  if (refusals.length === 0) return;
  for (const line of refusals) process.stderr.write(`drift-gate: ${line}\n`);
  throw new GateExit(2);
}

function approve(args: GateArgs): number {
  const { values, rest } = args;
  if (args.valueless.length > 0) throw new GateUsageError(`${args.valueless[0]} needs a value (drift-gate.mjs --help)`);
  if (!values.baseline || !values.current) throw new GateUsageError('approve needs --baseline and --current');
  const problem = missingTapDrift('drift-gate');
  if (problem) throw new GateUsageError(problem.replace(/^drift-gate: /, ''));
  refuseInCi(args);
  const approveArgs = ['approve', '--baseline', values.baseline, '--current', values.current];
  // --no-policy-check is tap-drift's to record ("policy: not checked"); otherwise it judges the policy report.
  if (!rest.includes('--no-policy-check')) {
    const policies = runPolicies(values.current, 'approve', values['policy-cli']);
    if (policies.error !== undefined) throw new GateUsageError(policies.error);
    approveArgs.push('--policy-report', policies.file);
  }
  if (values.history) approveArgs.push('--history', values.history);
  // Each history line records the approvals its change needed (and who gave them, with --approvals <file>).
  approveArgs.push('--rules', rulesFile(values.rules));
  const { code, out } = runTapDrift([...approveArgs, ...rest]);
  process.stdout.write(out);
  if (code === 0) process.stdout.write(`\nBaselines updated in ${values.baseline}: review and commit them with the change.\n`);
  return code;
}

/** The approval rules (the committed ones unless `given`), relative as the report and history show them: the same on every machine. */
function rulesFile(given?: string): string {
  return relative(process.cwd(), given !== undefined ? resolve(given) : join(root, 'apps/tap-stack/approval-rules.json'));
}

/** Why CI takes no other rules: a rules file of the change under review would let it choose its own approvers. */
const RULES_REFUSED_IN_CI = '--rules is refused in CI: the approval rules are the committed apps/tap-stack/approval-rules.json, not a flag';

/**
 * Runs the tap-security policies over every environment's resources.json under `current` and writes the JSON report
 * next to the synth folder. Returns `{ file, report }` (the path relative to the workspace), or `{ error }` (one line)
 * when the policy check cannot run. Violations are the caller's to judge: tap-drift approve refuses blocking ones,
 * the check fails on them.
 */
function runPolicies(current: string, mode: 'approve' | 'check', cli?: string): PolicyRun {
  cli ??= join(dirname(workspaceRequire.resolve('@tap/policy/package.json')), 'dist', 'bin', 'tap-policy.js');
  if (!existsSync(cli)) return { error: `${cli} is missing; build it with "npx nx run policy:build" (nx run tap-stack:drift-approve and drift-check do this first)` };
  const files = existsSync(current)
    ? readdirSync(current)
        .map((env) => join(current, env, 'resources.json'))
        .filter((file) => existsSync(file))
        .sort()
    : [];
  if (files.length === 0) return { error: `no <env>/resources.json under ${current}: run the offline synth first (npx nx run tap-stack:synth)` };
  const run = spawnSync(process.execPath, [cli, 'check', ...files, '--format', 'json'], { encoding: 'utf8', cwd: root, maxBuffer: 256 * 1024 * 1024 });
  if (run.stderr) process.stderr.write(run.stderr);
  const report = parseJson(run.stdout) as PolicyReport | null;
  // tap-policy: 0 passed, 1 mandatory violations (still a report), anything else could not check.
  if (report === null || !Array.isArray(report.files) || (run.status !== 0 && run.status !== 1)) {
    return { error: `the policy check could not run (tap-policy exited ${run.status ?? run.signal}); nothing was ${mode === 'approve' ? 'approved' : 'checked'}` };
  }
  const file = join(dirname(resolve(current)), 'policy-report.json');
  writeJsonAtomic(file, report);
  // Relative to the workspace: the path goes into history.jsonl, which must not depend on where the checkout lives.
  return { file: relative(process.cwd(), file), report };
}

/** Each blocking violation of a tap-policy JSON report, one line naming its policy. */
function blockingViolations(report: PolicyReport): string[] {
  return report.files.flatMap((f) =>
    (f.violations ?? [])
      .filter((v) => BLOCKING_LEVELS.includes(v.enforcementLevel))
      .map((v) => {
        const where = v.resourceName ? `${(v.resourceType ?? 'resource').split(':').pop()} '${v.resourceName}'` : `stack ${f.stackName}`;
        return `${v.policyName} (${v.enforcementLevel}) in ${f.environment}: ${where}: ${String(v.message).replace(/\s*\n\s*/g, ' ')}`;
      }),
  );
}

const verdict = (c: number) => (c === 0 ? 'pass' : c === 1 ? 'FAIL' : 'ERROR');
const firstError = (run: CliRun) => `> ${run.err.trim().split('\n')[0]}`;

function check({ values, rest, mode, valueless }: GateArgs): number {
  // First thing: the status says running and the previous report is gone, so neither can pass for this run's.
  const status = startStatusFile(root, 'apps/tap-stack', 'drift-check');
  const reportFile = values.report ? resolve(values.report) : undefined;
  if (reportFile) rmSync(reportFile, { force: true });
  const format = values.format ?? 'markdown';

  const fail = (problem: string): number => {
    process.stderr.write(`drift-gate: ${problem}\n`);
    if (reportFile) {
      mkdirSync(dirname(reportFile), { recursive: true });
      writeFileSync(reportFile, ['# Drift gate', '', '- **ERROR**: the gate could not run, nothing was checked.', '', `> ${problem}`, ''].join('\n'));
    }
    status.finish('error', 2, problem);
    return 2;
  };

  if (mode !== 'check') return fail(`${mode ? `unknown mode "${mode}"` : 'no mode'}: use check or approve (drift-gate.mjs --help)`);
  if (rest.length > 0) return fail(`unknown option ${rest[0]}: check takes --baseline, --current, --synthesize, --report, --format, --rules (drift-gate.mjs --help)`);
  if (valueless.length > 0) return fail(`${valueless[0]} needs a value (drift-gate.mjs --help)`);
  if (values.rules !== undefined && inCi()) return fail(RULES_REFUSED_IN_CI);
  // The committed baselines, unless an explicit argument (tests) says otherwise; no environment variable moves them.
  const baseline = values.baseline ?? join(root, 'apps/tap-stack/manifests');
  const current = values.current;
  if (!current) return fail('check needs --current <synth dir>');
  if (!FORMATS.includes(format)) return fail(`unknown format "${format}": use one of ${FORMATS.join(', ')}`);
  const missing = missingTapDrift('drift-gate');
  if (missing) return fail(missing.replace(/^drift-gate: /, ''));
  if (values.synthesize) {
    const synth = runSynth([], resolve(current));
    if (synth.code !== 0) return fail(synth.message ?? `tap-synth exited ${synth.code}`);
  }

  const checked = runTapDrift(['check', '--baseline', baseline, '--current', current, '--format', 'markdown']);
  const compare = runTapDrift(['compare', current, '--format', 'markdown']);
  // The rest only when the check could read the baselines and the synth (otherwise it is an error already).
  const ran = checked.code < 2;
  // Relative, as the report shows them: the same on every machine.
  const baselineShown = relative(process.cwd(), resolve(baseline)) || '.';
  // The audit record: the history's hash chain is intact and every baseline is the one history approved last.
  const audit = ran ? runTapDrift(['audit', 'verify', '--baseline', baselineShown, '--format', 'markdown']) : undefined;
  // The tap-security policies over the synth checked here: a mandatory violation fails the gate, whatever was approved.
  const policies = ran ? runPolicies(current, 'check') : undefined;
  const violations = policies?.report ? blockingViolations(policies.report) : [];
  const policyCode = !policies ? 0 : policies.error !== undefined ? 2 : violations.length > 0 ? 1 : 0;
  // Violations are findings (the report lists them, the status names their policies); stderr is for errors.
  if (policies?.error !== undefined) process.stderr.write(`drift-gate: ${policies.error}\n`);
  // Who must approve the change (apps/tap-stack/approval-rules.json): only when the check could see all of it. A bad
  // rules file is an error of the gate.
  const requirementsArgs = ['requirements', '--baseline', baseline, '--current', current, '--rules', rulesFile(values.rules)];
  const requirements = ran ? runTapDrift([...requirementsArgs, '--format', 'markdown']) : undefined;
  // What the approved baselines still owe: requirements recorded unmet on the history lines that approved them.
  const owedArgs = ['audit', 'owed', '--baseline', baselineShown];
  const owedRun = ran ? runTapDrift([...owedArgs, '--format', 'json']) : undefined;
  const owedReport = owedRun && owedRun.code === 0 ? (parseJson(owedRun.out) as { owed?: unknown } | null) : undefined;
  const owing = Boolean(owedReport?.owed);
  const owedMarkdown = owedRun && owedRun.code === 0 ? runTapDrift([...owedArgs, '--format', 'markdown'], process.cwd(), { quiet: true }).out : '';
  // A change that needs nothing new still leaves what the baselines owe: never say "no approval required" then.
  const notOwed = (text: string) =>
    owing
      ? text
          .replace(/\*\*No approval required\*\* beyond code review\.?/g, '**No new approval required** by this change; the owed approvals below still stand.')
          .replace(/none beyond code review/g, 'none new for this change (approvals are still owed, see below)')
      : text;
  const code = Math.max(checked.code, compare.code, audit?.code ?? 0, policyCode, requirements && requirements.code > 1 ? 2 : 0, owedRun && owedRun.code > 0 ? 2 : 0);
  const notRun = '> Not run: the check against the baselines could not run.';
  const policySection = !policies
    ? [notRun]
    : policies.error !== undefined
      ? [`> ${policies.error}`]
      : violations.length > 0
        ? [`**${violations.length} mandatory violation(s)** over the synth checked here (an approval does not waive them):`, '', ...violations.map((v) => `- ${v.replace(/\|/g, '\\|')}`)]
        : [`No mandatory violation: ${policies.report.policyCount} policies over ${policies.report.files.map((f) => f.environment).join(', ')}.`];
  const markdown = [
    '# Drift gate',
    '',
    `- Approved baselines (\`tap-drift check\`): **${verdict(checked.code)}**`,
    `- Environment parity (\`tap-drift compare\`): **${verdict(compare.code)}**`,
    `- Audit record (\`tap-drift audit verify\`): **${audit ? verdict(audit.code) : 'not run'}**`,
    `- Security policies (\`tap-policy check\`): **${policies ? verdict(policyCode) : 'not run'}**`,
    '',
    '## Against the approved baselines',
    '',
    checked.out.trim() || firstError(checked),
    '',
    '## Across environments',
    '',
    compare.out.trim() || firstError(compare),
    '',
    '## Audit record',
    '',
    !audit ? notRun : audit.out.trim() || firstError(audit),
    '',
    '## Security policies',
    '',
    ...policySection,
    '',
    '## Approval requirements',
    '',
    !requirements ? '> Not computed: the check against the baselines could not run.' : notOwed(requirements.out.trim()) || firstError(requirements),
    '',
    ...(owedRun
      ? ["## Owed approvals (to be met by the pull request's reviews; the deploy checks them again)", '', owedRun.code === 0 ? owedMarkdown.trim() : firstError(owedRun), '']
      : []),
    ...(checked.code === 1
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
    const again = (args: string[]) => runTapDrift([...args, '--format', format], process.cwd(), { quiet: true }).out;
    const checkOut = again(['check', '--baseline', baseline, '--current', current]);
    const compareOut = again(['compare', current]);
    const auditOut = audit ? again(['audit', 'verify', '--baseline', baselineShown]) : '';
    const requirementsOut = requirements ? notOwed(again(requirementsArgs)) : '';
    const owedOut = owedRun && owedRun.code === 0 ? again(owedArgs) : '';
    const policyJson = policies ? { status: verdict(policyCode), ...(policies.error !== undefined ? { error: policies.error } : { report: policies.file, violations }) } : null;
    if (format === 'json') {
      const document = {
        status: driftStatus(code),
        exitCode: code,
        check: parseJson(checkOut),
        compare: parseJson(compareOut),
        audit: parseJson(auditOut),
        policies: policyJson,
        requirements: parseJson(requirementsOut),
        owed: parseJson(owedOut),
      };
      process.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
    } else {
      const policyText = !policies
        ? 'security policies: not run'
        : policies.error !== undefined
          ? `security policies: ERROR ${policies.error}`
          : violations.length
            ? ['security policies: FAIL', ...violations.map((v) => `  ${v}`)].join('\n')
            : `security policies: pass (${policies.report.policyCount} policies, no mandatory violation)`;
      process.stdout.write(
        [
          checkOut.trim(),
          compareOut.trim(),
          auditOut.trim() || 'audit record: not run',
          policyText,
          requirementsOut.trim() || 'approval requirements: not computed',
          owedOut.trim() || 'owed approvals: not computed',
          `drift gate: baselines ${verdict(checked.code)}, parity ${verdict(compare.code)}, audit ${audit ? verdict(audit.code) : 'not run'}, policies ${policies ? verdict(policyCode) : 'not run'}`,
        ].join('\n\n') + '\n',
      );
    }
  }

  const error = [checked, compare, audit, requirements, owedRun].find((r): r is CliRun => r !== undefined && r.code > 1);
  const failures = [
    ...(checked.code === 1 ? ['baselines FAIL'] : []),
    ...(compare.code === 1 ? ['parity FAIL'] : []),
    ...(audit?.code === 1 ? [`audit record FAIL (${audit.err.trim().split('\n')[0].replace(/^tap-drift: /, '')})`] : []),
    ...(violations.length ? [`policies FAIL (${[...new Set(violations.map((v) => v.split(' ')[0]))].join(', ')})`] : []),
  ];
  const message = error
    ? error.err.trim().split('\n')[0] || `tap-drift exited ${error.code}`
    : policies?.error !== undefined
      ? policies.error
      : `${failures.length ? failures.join('; ') : 'baselines pass, parity pass, audit record pass, policies pass'}${owing ? '; approvals owed' : ''}${reportFile ? `; report in ${relative(root, reportFile)}` : ''}`;
  status.finish(driftStatus(code), code, message);
  return code;
}

/**
 * The drift gate's command line (`check` or `approve`, see the comment above); returns the exit code: 0 in sync or
 * approved, 1 a finding or a refusal, 2 bad input or could not check.
 *
 * @example
 * process.exitCode = driftGate(['check', '--synthesize', '--current', 'dist/apps/tap-stack/drift-check/synth']);
 */
export function driftGate(argv: string[]): number {
  const args = splitArgs(argv);
  if (args.values.help) {
    process.stdout.write(DRIFT_GATE_USAGE);
    return 0;
  }
  try {
    return args.mode === 'approve' ? approve(args) : check(args);
  } catch (error) {
    if (error instanceof GateExit) return error.code;
    if (error instanceof GateUsageError) {
      process.stderr.write(`drift-gate: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
}
