import { ENVIRONMENT_NAMES, type EnvironmentName } from '@tap/validation';
import { Option, type Command } from 'commander';
import { join } from 'node:path';
import { EXIT_CODES } from '../constants';
import { writeEvidenceBundle } from '../evidence/bundle';
import { verifyEvidenceBundle } from '../evidence/digest';
import { EvidenceError } from '../evidence/errors';

/** Where the evidence commands write, and the environment the secret check reads. */
export interface EvidenceCommandsIo {
  out: (text: string) => void;
  err: (text: string) => void;
  env?: NodeJS.ProcessEnv;
}

/** The committed baselines and the synth, as `tap-drift check` is run on them by the drift gate. */
const DEFAULT_BASELINE = join('apps', 'tap-stack', 'manifests');
const DEFAULT_CURRENT = join('dist', 'apps', 'tap-stack', 'synth');
const DEFAULT_RULES = join('apps', 'tap-stack', 'approval-rules.json');
const DIGEST = /^[0-9a-fA-F]{64}$/;

interface EvidenceFlags {
  environment?: EnvironmentName;
  baseline: string;
  current: string;
  out?: string;
  rules: string;
  requirements?: string;
  given?: string;
  pullRequest?: string;
  policyReport?: string;
  status?: string;
}

/**
 * Registers `evidence` (write a change's evidence bundle) and `evidence verify` (recompute its digests) on the
 * `tap-drift` program. `setExitCode` receives the command's exit code (errors are thrown, and `runCli` turns them into
 * one line and exit 2).
 *
 * @example
 * registerEvidenceCommands(program, io, (code) => (exitCode = code));
 */
export function registerEvidenceCommands(program: Command, io: EvidenceCommandsIo, setExitCode: (code: number) => void): void {
  const evidence = program
    .command('evidence')
    .description(
      "write the evidence bundle of an environment's approved change (hashes old -> new, the change, approvals, policies, status, back-out target; index.json of SHA-256 digests; folder and .tar.gz): exit 0 approved state, 1 written but not an approved state (listed), 2 bad input",
    )
    .addOption(new Option('--environment <env>', 'the environment whose change it documents').choices(ENVIRONMENT_NAMES))
    .option('--baseline <dir>', 'approved baselines with history.jsonl, as for check', DEFAULT_BASELINE)
    .option('--current <dir>', 'the synth being deployed, as for check', DEFAULT_CURRENT)
    .option('--out <dir>', 'bundle folder (default dist/evidence/<env>-<baseline id>; the .tar.gz goes beside it)')
    .option('--rules <file>', 'approval rules, to compute the requirements when --requirements is not given', DEFAULT_RULES)
    .option('--requirements <file>', "the JSON of tap-drift requirements (verify-approvals.sh's requirements.json)")
    .option('--given <file>', 'the approvals given (given-approvals.json of .github/scripts/given-approvals.cjs)')
    .option('--pull-request <file>', "the pull request's facts (pull-request.json of given-approvals.cjs)")
    .option('--policy-report <file>', 'tap-policy check --format json over the synth (default: policy-report.json beside the synth folder)')
    .option('--status <dir>', 'status files folder (default dist/apps/tap-stack/status)')
    .action((options: EvidenceFlags) => {
      if (!options.environment) throw new EvidenceError('--environment', `required: name the environment, one of ${ENVIRONMENT_NAMES.join(', ')}`);
      const result = writeEvidenceBundle({ ...options, environment: options.environment, env: io.env });
      io.out(
        [
          `evidence: ${result.environment}: ${result.dir} (${result.files.length} files) and ${result.archive}`,
          `index.json sha256 ${result.indexSha256}`,
          `archive sha256 ${result.archiveSha256}`,
          '',
        ].join('\n'),
      );
      for (const finding of result.findings) io.err(`tap-drift: evidence: not an approved state: ${finding}\n`);
      setExitCode(result.approved ? EXIT_CODES.ok : EXIT_CODES.drift);
    });

  evidence
    .command('verify')
    .description('recompute every digest of an evidence bundle (folder or .tar.gz): exit 0 intact, 1 changed (each file named), 2 unreadable')
    .argument('<bundle>', 'the bundle folder or its .tar.gz')
    .option('--index-sha256 <digest>', 'the index.json digest recorded when the bundle was made: a rewritten index is refused too')
    .action((bundle: string, options: { indexSha256?: string }) => {
      if (options.indexSha256 !== undefined && !DIGEST.test(options.indexSha256)) {
        throw new EvidenceError('--index-sha256', `"${options.indexSha256}" is not a SHA-256 digest (64 hex digits, as tap-drift evidence printed it)`);
      }
      const report = verifyEvidenceBundle(bundle, options.indexSha256 === undefined ? {} : { expectIndexSha256: options.indexSha256 });
      for (const problem of report.problems) io.err(`tap-drift: evidence verify: ${problem}\n`);
      io.out(
        report.ok
          ? `evidence verify: ${bundle}: intact, ${report.files} files match index.json (sha256 ${report.indexSha256})\n`
          : `evidence verify: ${bundle}: CHANGED, ${report.problems.length} problem(s)\n`,
      );
      setExitCode(report.ok ? EXIT_CODES.ok : EXIT_CODES.drift);
    });
}
