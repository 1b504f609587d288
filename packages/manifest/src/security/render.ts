import { code, markdownTable, table } from '../render';
import type { OutputFormat } from '../types';
import type { SecurityReport } from './report';
import type { SecurityDiff, SecurityDiffRow } from './types';

const joined = (values: string[] | undefined): string => (values && values.length ? values.join(', ') : '-');
const typeName = (type: string): string => type.split(':').pop() ?? type;
/** Longest cell of the text table: a key policy's 20 actions would push the verdict off the screen. */
const TEXT_CELL_MAX = 100;
const clip = (text: string): string => (text.length > TEXT_CELL_MAX ? `${text.slice(0, TEXT_CELL_MAX - 1)}…` : text);

/** Who (principals or the peer), what (actions or traffic), on what (resources or the direction). */
function columns(row: SecurityDiffRow): string[] {
  return [row.effect ?? '-', joined(row.principals), joined(row.actions), joined(row.resources), joined(row.conditions)];
}

/**
 * One environment's security diff as a Markdown table: one row per changed grant, `+` added or `-` removed, its
 * classification (broadening in bold), the resource, the scope, effect, principals (or peer), actions (or traffic),
 * resources (or direction), conditions, and why. Broadening rows first.
 *
 * @example
 * renderSecurityDiffMarkdown(securityDiff(before, after)); // '**broadening**: 1 of 2 changed grants ...\n\n| ± | ...'
 */
export function renderSecurityDiffMarkdown(diff: SecurityDiff): string {
  if (diff.rows.length === 0) return 'No security-relevant change: no grant, policy statement, security-group rule or public endpoint changed.\n';
  const rows = [...diff.rows].sort((a, b) => (a.classification === b.classification ? 0 : a.classification === 'broadening' ? -1 : 1));
  const broadening = rows.filter((r) => r.classification === 'broadening').length;
  const summary = broadening
    ? `**broadening**: ${broadening} of ${diff.rows.length} changed grant${diff.rows.length === 1 ? '' : 's'} give more access`
    : `**narrowing** only: ${diff.rows.length} changed grant${diff.rows.length === 1 ? '' : 's'}, none gives more access`;
  const body = markdownTable(
    ['±', 'class', 'resource', 'scope', 'effect', 'principal / peer', 'action / traffic', 'resource / direction', 'condition', 'why'],
    rows.map((row) => [
      row.change === '+' ? '`+`' : '`-`',
      row.classification === 'broadening' ? '**broadening**' : 'narrowing',
      code(`${row.name} (${typeName(row.type)})`),
      code(row.scope),
      ...columns(row).map((value) => code(value)),
      code(row.reason),
    ]),
  );
  return `${summary}\n\n${body}\n`;
}

/**
 * The `security-diff` report of every environment: `json` (the report as is), `markdown` (a section per environment,
 * for the drift report and the pull-request comment) or `text`.
 *
 * @example
 * process.stdout.write(renderSecurityReport(securityReport(sides), 'markdown'));
 */
export function renderSecurityReport(report: SecurityReport, format: OutputFormat): string {
  if (format === 'json') return `${JSON.stringify(report, null, 2)}\n`;
  const verdict = report.errors.length ? 'cannot judge' : report.broadening ? 'broadening' : report.changed ? 'narrowing only' : 'no security change';
  if (format === 'markdown') {
    const lines = [`### Security diff: ${verdict}`, ''];
    for (const error of report.errors) lines.push(`- **ERROR** ${code(error)}`);
    if (report.errors.length) lines.push('');
    for (const { environment, diff } of report.environments) lines.push(`#### ${environment}`, '', renderSecurityDiffMarkdown(diff));
    return `${lines.join('\n').replace(/\n{3,}/g, '\n\n').replace(/\n+$/, '')}\n`;
  }
  const lines: string[] = [];
  for (const { environment, diff } of report.environments) {
    if (diff.rows.length === 0) continue;
    lines.push(`${environment}:`);
    lines.push(
      table(
        ['', 'class', 'resource', 'scope', 'effect', 'principal/peer', 'action/traffic', 'resource/direction', 'condition', 'why'],
        diff.rows.map((row) => [row.change, row.classification, row.name, row.scope, ...columns(row), row.reason].map(clip)),
      ),
      '',
    );
  }
  for (const error of report.errors) lines.push(`ERROR ${error}`);
  lines.push(`${verdict}: ${report.environments.map((e) => `${e.environment} ${e.diff.broadening ? 'broadening' : e.diff.rows.length ? 'narrowing' : 'unchanged'}`).join(', ') || 'nothing compared'}`);
  return `${lines.join('\n')}\n`;
}
