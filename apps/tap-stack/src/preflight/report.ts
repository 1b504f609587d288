import type { CheckResult, PreflightReport } from './types';

const MARK = { pass: '✓', fail: '✗', skip: 'skipped' } as const;
const VERDICT = ['ready', 'NOT READY', 'could not check'];

function line(check: CheckResult): string {
  return `${MARK[check.status]} ${check.title}: ${check.detail}${check.note ? ` (note: ${check.note})` : ''}${check.fix ? ` → ${check.fix}` : ''}`;
}

/**
 * The report as text: one line per check (✓ / ✗ / skipped, and for ✗ what to do), then the verdict.
 *
 * @example
 * process.stdout.write(renderText([report]));
 */
export function renderText(reports: readonly PreflightReport[]): string {
  return reports
    .map((r) => {
      const head = `preflight ${r.stack} (${r.region}):`;
      if (r.error) return `${head} could not check: ${r.error}\n`;
      return [head, ...r.checks.map((c) => `  ${line(c)}`), `  → ${VERDICT[r.exitCode] ?? 'error'}`, ''].join('\n');
    })
    .join('\n');
}

/**
 * The report as Markdown, one table per environment (for a pull-request comment or a ticket).
 *
 * @example
 * writeFileSync('preflight.md', renderMarkdown([report]));
 */
export function renderMarkdown(reports: readonly PreflightReport[]): string {
  const cell = (text: string) => text.replaceAll('|', '\\|');
  return reports
    .map((r) => {
      const head = `## Preflight ${r.stack} (${r.region}): ${VERDICT[r.exitCode] ?? 'error'}`;
      if (r.error) return `${head}\n\n${cell(r.error)}\n`;
      const rows = r.checks.map((c) => `| ${MARK[c.status]} | ${cell(c.title)} | ${cell(c.detail)}${c.note ? ` (note: ${cell(c.note)})` : ''} | ${cell(c.fix ?? '')} |`);
      return [head, '', '| | check | found | to do |', '| --- | --- | --- | --- |', ...rows, ''].join('\n');
    })
    .join('\n');
}

/**
 * The report as JSON: the report itself for one environment, an array for several.
 *
 * @example
 * JSON.parse(renderJson([report])).exitCode;
 */
export function renderJson(reports: readonly PreflightReport[]): string {
  return `${JSON.stringify(reports.length === 1 ? reports[0] : reports, null, 2)}\n`;
}
