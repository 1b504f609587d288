// What the nightly live-drift run does to GitHub issues, as a pure decision: given one environment's result and the
// open issues GitHub lists, the actions to take. One issue per environment, found again by a hidden marker in its body
// and a label (never by its title, which people edit): opened when drift appears, a comment naming what changed since
// the last report while it stays, closed when the environment is back in sync.
import type { LiveDriftReport } from '@tap/manifest';
import type { EnvironmentName } from '@tap/validation';

/** The label of every nightly drift issue (listing filters on it). */
export const DRIFT_LABEL = 'live-drift';

/** GitHub refuses an issue or comment body over 65,536 characters; the report is cut well before. */
const MAX_BODY = 60_000;

/** The hidden marker that names an environment's drift issue. */
export const issueMarker = (environment: EnvironmentName): string => `<!-- tap-drift:${environment} -->`;

/** The hidden line that keeps the last reported drift in the body, for the next night's "what changed". */
const STATE = /<!-- tap-drift-state: (\[.*?\]) -->/;

/** An issue as `GET /repos/{owner}/{repo}/issues` lists it (only the fields used here). */
export interface GithubIssue {
  number: number;
  title: string;
  body?: string | null;
  state: string;
  labels: Array<string | { name?: string | null }>;
  /** Present on pull requests: the issues list holds them too. */
  pull_request?: unknown;
}

/** One environment's nightly result: its status file's verdict and, for drift, the report. */
export interface NightlyResult {
  environment: EnvironmentName;
  status: 'in-sync' | 'drift' | 'error';
  /** The live-drift report (`dist/apps/tap-stack/drift/<env>.json`), when written. */
  report?: Pick<LiveDriftReport, 'cloud' | 'deployed'>;
  /** The Markdown report (`nx run tap-stack:drift --format=markdown`), shown in the issue. */
  markdown?: string;
  /** The error's line, for `error`. */
  message?: string;
  /** The workflow run, linked from every issue text. */
  runUrl: string;
}

/** What to do on GitHub. */
export type IssueAction =
  | { kind: 'create'; environment: EnvironmentName; title: string; body: string; labels: string[] }
  | { kind: 'comment'; environment: EnvironmentName; issue: number; body: string }
  | { kind: 'update'; environment: EnvironmentName; issue: number; body: string }
  | { kind: 'close'; environment: EnvironmentName; issue: number };

/**
 * The drift of a report as stable lines, one per drifted resource (its changed properties) or configuration path:
 * what "changed since the last report" compares. Ignored entries are left out; values never appear.
 *
 * @example
 * driftEntries(report); // ['cloud: tap-monitoring-lambda-errors (aws:cloudwatch/metricAlarm:MetricAlarm) changed: threshold']
 */
export function driftEntries(report: NightlyResult['report']): string[] {
  const cloud = (report?.cloud?.resources ?? [])
    .filter((r) => !r.ignored)
    .map((r) => {
      const properties = r.properties.filter((p) => !p.ignored).map((p) => p.path);
      return `cloud: ${r.name} (${r.type}) ${r.kind}${properties.length > 0 ? `: ${properties.join(', ')}` : ''}`;
    });
  const deployed = (report?.deployed?.changes ?? []).map((c) => `configuration: ${c.path} (${c.kind})`);
  return [...new Set([...cloud, ...deployed])].sort();
}

const labelNames = (issue: GithubIssue): string[] => issue.labels.map((l) => (typeof l === 'string' ? l : (l.name ?? '')));

/**
 * The open drift issues of `environment` among `issues`, oldest first: open, not a pull request, labelled, with the
 * environment's marker.
 */
export function driftIssuesOf(environment: EnvironmentName, issues: readonly GithubIssue[]): GithubIssue[] {
  return issues
    .filter((i) => i.pull_request === undefined || i.pull_request === null)
    .filter((i) => i.state === 'open' && labelNames(i).includes(DRIFT_LABEL) && (i.body ?? '').includes(issueMarker(environment)))
    .sort((a, b) => a.number - b.number);
}

const bullets = (lines: readonly string[]): string[] => lines.map((line) => `- \`${line.replace(/`/g, "'")}\``);

function issueBody(result: NightlyResult, entries: readonly string[]): string {
  const head = [
    issueMarker(result.environment),
    `<!-- tap-drift-state: ${JSON.stringify(entries).replace(/-->/g, '--\\u003e')} -->`,
    `Live drift in **${result.environment}**, last reported by ${result.runUrl}. The nightly run updates this issue while the drift stays and closes it once ${result.environment} is back in sync.`,
    '',
    ...bullets(entries),
    '',
  ].join('\n');
  const report = result.markdown ?? '';
  return report.length + head.length > MAX_BODY ? `${head}${report.slice(0, MAX_BODY - head.length)}\n\n(report cut; the full one is the run's artifact)\n` : `${head}${report}`;
}

/** The entries the body recorded last time (none when it has no state line or it does not parse). */
function lastEntries(issue: GithubIssue): string[] {
  const match = STATE.exec(issue.body ?? '');
  try {
    const value: unknown = match ? JSON.parse(match[1]) : [];
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
  } catch {
    return [];
  }
}

/**
 * The actions on GitHub for one environment's nightly result, given the open issues listed with the drift label:
 * - drift, no issue: create one (title `Live drift: <env>`, the label, the marker);
 * - drift, an issue: when the drift differs from the last report, a comment with what appeared and what went, and the
 *   body updated to the current report; nothing when it is the same;
 * - in sync, an issue: a comment, then close it;
 * - an error (the check could not run): nothing (the run fails instead; an error is not drift, nor its end).
 * Extra open issues of the same environment (duplicates) are closed with a pointer to the oldest.
 *
 * @example
 * decideIssueActions({ environment: 'prod', status: 'in-sync', runUrl }, [{ number: 7, title: 'Live drift: prod', body: '<!-- tap-drift:prod -->', state: 'open', labels: ['live-drift'] }]);
 * // [{ kind: 'comment', environment: 'prod', issue: 7, body: 'Back in sync ...' }, { kind: 'close', environment: 'prod', issue: 7 }]
 */
export function decideIssueActions(result: NightlyResult, issues: readonly GithubIssue[]): IssueAction[] {
  if (result.status === 'error') return [];
  const { environment } = result;
  const [issue, ...duplicates] = driftIssuesOf(environment, issues);
  const actions: IssueAction[] = duplicates.flatMap((d): IssueAction[] => [
    { kind: 'comment', environment, issue: d.number, body: `Duplicate of #${issue.number}: the nightly run keeps one issue per environment.` },
    { kind: 'close', environment, issue: d.number },
  ]);
  if (result.status === 'in-sync') {
    if (!issue) return actions;
    return [...actions, { kind: 'comment', environment, issue: issue.number, body: `Back in sync: ${result.runUrl} found no drift in ${environment}.` }, { kind: 'close', environment, issue: issue.number }];
  }
  const entries = driftEntries(result.report);
  if (!issue) return [{ kind: 'create', environment, title: `Live drift: ${environment}`, body: issueBody(result, entries), labels: [DRIFT_LABEL] }];
  const before = lastEntries(issue);
  const appeared = entries.filter((e) => !before.includes(e));
  const gone = before.filter((e) => !entries.includes(e));
  if (appeared.length === 0 && gone.length === 0) return actions;
  const comment = [
    `The drift in **${environment}** changed since the last report (${result.runUrl}):`,
    ...(appeared.length > 0 ? ['', '**New:**', ...bullets(appeared)] : []),
    ...(gone.length > 0 ? ['', '**No longer drifting:**', ...bullets(gone)] : []),
  ].join('\n');
  return [...actions, { kind: 'comment', environment, issue: issue.number, body: comment }, { kind: 'update', environment, issue: issue.number, body: issueBody(result, entries) }];
}
