// tap-drift-issues: the nightly live-drift run's GitHub issues, one per environment (src/nightly/issues.ts decides).
//   tap-drift-issues.js --reports <dir> --repository <owner/name> --run-url <url> [--out <plan.json>] [--apply]
// Reads each environment's result from the drift job's artifacts (<dir>/nightly-<env>/nightly/), lists the open
// `live-drift` issues (GITHUB_TOKEN, `issues: read` is enough), decides, writes the plan ({actions, errors}) to --out
// and prints one line per action; --apply also carries them out (a token with `issues: write`). In the workflow the
// plan is applied by a job that runs no project code (.github/workflows/nightly-drift.yml).
// Exit 0 done, 1 an environment's check errored (its issue is left as it is; the plan is still written and applied),
// 2 bad options, unreadable results or a failed GitHub call.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { ENVIRONMENT_NAMES } from '@tap/validation';
import { GithubApiError, NightlyInputError } from './errors';
import { githubRest } from './github';
import { decideIssueActions, DRIFT_LABEL, type IssueAction } from './issues';
import { readNightlyResult } from './results';

const USAGE = 'tap-drift-issues.js --reports <dir> --repository <owner/name> --run-url <url> [--out <plan.json>] [--apply]';

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { reports: { type: 'string' }, repository: { type: 'string' }, 'run-url': { type: 'string' }, out: { type: 'string' }, apply: { type: 'boolean' } },
    strict: true,
  });
  const missing = (['reports', 'repository', 'run-url'] as const).filter((name) => !values[name]);
  if (missing.length > 0) throw new NightlyInputError(`${missing.map((m) => `--${m}`).join(', ')} required`);
  const token = process.env['GITHUB_TOKEN'] ?? '';
  if (token === '') throw new NightlyInputError('GITHUB_TOKEN is not set (a token with issues: read, or issues: write for --apply)');
  const github = githubRest({ repository: values.repository as string, token, apiUrl: process.env['GITHUB_API_URL'] });
  const open = await github.listOpenIssues(DRIFT_LABEL);
  const actions: IssueAction[] = [];
  const errors: string[] = [];
  for (const environment of ENVIRONMENT_NAMES) {
    const result = readNightlyResult(values.reports as string, environment, values['run-url'] as string);
    if (result.status === 'error') errors.push(`${environment}: ${result.message ?? 'the check failed'}`);
    actions.push(...decideIssueActions(result, open));
  }
  if (values.out) {
    mkdirSync(dirname(values.out), { recursive: true });
    writeFileSync(values.out, `${JSON.stringify({ actions, errors }, null, 2)}\n`);
  }
  for (const action of actions) {
    process.stdout.write(`${action.environment}: ${action.kind}${'issue' in action ? ` #${action.issue}` : ` "${action.title}"`}\n`);
    if (values.apply) await github.apply(action);
  }
  for (const error of errors) process.stderr.write(`tap-drift-issues: live drift could not be checked: ${error}\n`);
  return errors.length > 0 ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    const known = err instanceof GithubApiError || err instanceof NightlyInputError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
    const message = err instanceof Error ? err.message.split('\n')[0] : String(err);
    process.stderr.write(`tap-drift-issues: ${known ? message : `internal error: ${message}`} (${USAGE})\n`);
    process.exit(2);
  },
);
