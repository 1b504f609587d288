import { Option, type Command } from 'commander';
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { EXIT_CODES, OUTPUT_FORMATS } from '../constants';
import { ManifestError } from '../errors';
import { writeFileAtomic } from '../io';
import { requirementsFor } from '../approvals/load';
import { renderRequirements, renderVerify } from '../approvals/render';
import { loadGivenApprovals, loadRequirementsReport, verifyApprovals } from '../approvals/verify';
import type { OutputFormat } from '../types';
import { COMMIT_ID } from '../approvals/schema';
import type { PullRequestFacts, RequirementsReport } from '../approvals/types';

/** Where the approval commands write, and how they report their exit code to `runCli`. */
export interface ApprovalCommandsIo {
  out: (text: string) => void;
  err: (text: string) => void;
}

const formatOption = (): Option =>
  new Option('--format <format>', 'output format (markdown is for pull-request comments)').choices(OUTPUT_FORMATS).default('text');

interface SourceOptions {
  baseline?: string;
  current?: string;
  rules?: string;
  requirements?: string;
  changedFiles?: string;
}

/** The requirements from `--requirements <json>`, or computed from `--baseline`, `--current` and `--rules`. */
function requirementsFrom(options: SourceOptions): RequirementsReport {
  if (options.requirements) {
    if (options.baseline || options.current || options.changedFiles) {
      throw new ManifestError('bad-argument', '--requirements', 'contradicts --baseline/--current/--changed-files; give the report or what it is computed from, not both');
    }
    return loadRequirementsReport(options.requirements);
  }
  const missing = (['baseline', 'current', 'rules'] as const).filter((key) => !options[key]).map((key) => `--${key}`);
  if (missing.length > 0) throw new ManifestError('bad-argument', missing.join(', '), 'required (or --requirements <file> with the JSON of tap-drift requirements)');
  return requirementsFor({
    baseline: options.baseline as string,
    current: options.current as string,
    rules: options.rules as string,
    ...(options.changedFiles === undefined ? {} : { changedFiles: options.changedFiles }),
  });
}

interface PullRequestOptions {
  author?: string;
  head?: string;
  pushers?: string;
}

/** `--author`, `--head` and `--pushers`, checked (a bad one is exit 2, before anything is read). */
function pullRequestFrom(options: PullRequestOptions): PullRequestFacts {
  const facts: PullRequestFacts = {};
  if (options.author !== undefined) {
    const author = options.author.trim();
    if (author === '') throw new ManifestError('bad-argument', '--author', "must name a login (the pull request's author, e.g. github.event.pull_request.user.login)");
    facts.author = author;
  }
  if (options.head !== undefined) {
    const head = options.head.trim();
    if (!COMMIT_ID.test(head)) {
      throw new ManifestError('bad-argument', '--head', `"${head}" is not a full commit id (40 hex digits); pass the pull request's head sha, e.g. github.event.pull_request.head.sha`);
    }
    facts.head = head.toLowerCase();
  }
  if (options.pushers !== undefined) {
    const pushers = options.pushers
      .split(',')
      .map((login) => login.trim())
      .filter((login) => login !== '');
    if (pushers.length === 0) throw new ManifestError('bad-argument', '--pushers', 'must list logins, comma-separated (the "pushers" of the pull-request file)');
    facts.pushers = pushers;
  }
  return facts;
}

/**
 * Registers `requirements` and `verify-approvals` on the `tap-drift` program. `setExitCode` receives the command's
 * exit code (errors are thrown, and `runCli` turns them into one line and exit 2).
 *
 * @example
 * registerApprovalCommands(program, io, (code) => (exitCode = code));
 */
export function registerApprovalCommands(program: Command, io: ApprovalCommandsIo, setExitCode: (code: number) => void): void {
  program
    .command('requirements')
    .description('the approvals a change needs: each rule of the rules file that the changed configuration paths or resources trigger, and with --changed-files the gate-change requirements (exit 0, 2 bad input)')
    .requiredOption('--baseline <path>', 'approved manifest file or directory, as for check')
    .requiredOption('--current <path>', 'current manifest file or directory (the synth), as for check')
    .requiredOption('--rules <file>', 'approval rules, e.g. apps/tap-stack/approval-rules.json')
    .option('--changed-files <file>', "the pull request's changed files, one per line (git diff --name-only): a change of the judge adds the rules' gateChange requirements")
    .option('--out <file>', 'also write the JSON report here (input of verify-approvals --requirements)')
    .addOption(formatOption())
    .action((options: { baseline: string; current: string; rules: string; changedFiles?: string; out?: string; format: OutputFormat }) => {
      const report = requirementsFor(options);
      if (options.out) writeJson(options.out, renderRequirements(report, 'json'));
      io.out(renderRequirements(report, options.format));
      setExitCode(EXIT_CODES.ok);
    });

  program
    .command('verify-approvals')
    .description('are the approvals a pull request has enough? exit 0 every requirement met, 1 missing ones (listed), 2 bad input')
    .requiredOption('--given <file>', 'the approvals: JSON [{"approver": "<login>", "groups": ["<group>", ...]}, ...]')
    .option('--requirements <file>', 'the JSON of `tap-drift requirements --format json` (instead of --baseline/--current/--rules)')
    .option('--baseline <path>', 'approved manifest file or directory, as for check')
    .option('--current <path>', 'current manifest file or directory (the synth), as for check')
    .option('--rules <file>', 'approval rules, e.g. apps/tap-stack/approval-rules.json')
    .option('--changed-files <file>', 'with --baseline/--current/--rules: the changed files, as for requirements')
    .option('--author <login>', "the pull request's author: their own review never counts")
    .option('--head <sha>', "the pull request's head commit (full id): only reviews given on it count")
    .option('--pushers <logins>', 'comma-separated logins that authored or committed its commits: their reviews never count')
    .addOption(formatOption())
    .action((options: SourceOptions & PullRequestOptions & { given: string; format: OutputFormat }) => {
      const pullRequest = pullRequestFrom(options);
      const report = requirementsFrom(options);
      const result = verifyApprovals(report, loadGivenApprovals(options.given), options.given, pullRequest);
      io.out(renderVerify(result, options.format));
      for (const r of result.requirements.filter((requirement) => !requirement.met)) {
        io.err(`tap-drift: missing ${r.missing} approval(s) from ${r.group} (${r.rule}: ${r.approvals} required, ${r.approvedBy.length} given)\n`);
      }
      setExitCode(result.met ? EXIT_CODES.ok : EXIT_CODES.drift);
    });
}

function writeJson(file: string, content: string): void {
  mkdirSync(dirname(resolve(file)), { recursive: true });
  writeFileAtomic(file, content);
}
