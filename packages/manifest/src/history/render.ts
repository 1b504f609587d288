import type { AuditReport, OutputFormat, OwedApproval, OwedReport } from '../types';

const short = (hash: string | undefined): string => (hash ? hash.slice(0, 12) : '-');
const code = (text: string): string => `\`${text.replace(/`/g, "'")}\``;

function chainSummary(report: AuditReport): string {
  const start = !report.chained
    ? 'not chained'
    : report.chainStart === null
      ? 'chained from its first line'
      : `${report.legacyLines} legacy line(s) covered by the chain-start on line ${report.chainStart}`;
  return `${report.lines} line(s), ${start}`;
}

/**
 * The `audit verify` report: intact, or every problem (first broken line first), as text, JSON or Markdown.
 *
 * @example
 * process.stdout.write(renderAudit(verifyAuditTrail({ baseline: 'apps/tap-stack/manifests' }), 'markdown'));
 */
export function renderAudit(report: AuditReport, format: OutputFormat): string {
  if (format === 'json') return `${JSON.stringify(report, null, 2)}\n`;
  const envs = report.environments.map((e) => e.environment).join(', ') || 'no environment';
  if (format === 'markdown') {
    const lines = report.ok
      ? [`**Audit record intact**: ${code(report.history)}, ${chainSummary(report)}; the baselines of ${envs} are the ones history approved last.`]
      : [`**Audit record BROKEN**: ${code(report.history)}, ${chainSummary(report)}.`, '', ...report.problems.map((p) => `- ${p.message.replace(/\|/g, '\\|')}`)];
    if (report.environments.length > 0) {
      lines.push('', '| environment | config hash | inventory hash | approved on |', '| --- | --- | --- | --- |');
      for (const e of report.environments) {
        const approvedOn = e.approved ? `${code(`${report.history}:${e.approved.line}`)}` : 'never';
        lines.push(`| ${e.environment} | \`${short(e.baseline?.configHash)}\` | \`${short(e.baseline?.inventoryHash)}\` | ${approvedOn}${e.ok ? '' : ' **(mismatch)**'} |`);
      }
    }
    return `${lines.join('\n')}\n`;
  }
  if (report.ok) return `audit trail intact: ${report.history}, ${chainSummary(report)}; baselines of ${envs} are the ones history approved last\n`;
  return [`audit trail BROKEN: ${report.history}, ${chainSummary(report)}`, ...report.problems.map((p) => `  ${p.message}`), ''].join('\n');
}

const owedLine = (o: OwedApproval, where: string): string =>
  `${o.approvals} approval(s) from ${o.group} (${o.rule}), recorded unmet on ${where}${o.approvedBy.length ? ` (given by ${o.approvedBy.join(', ')})` : ''}`;

/**
 * The `audit owed` report: per environment, the approvals its current baseline still owes (JSON is the deploy's input).
 *
 * @example
 * process.stdout.write(renderOwed(owedApprovals({ history: 'apps/tap-stack/manifests/history.jsonl' }), 'markdown'));
 */
export function renderOwed(report: OwedReport, format: OutputFormat): string {
  if (format === 'json') return `${JSON.stringify(report, null, 2)}\n`;
  const owing = report.environments.filter((e) => e.owed.length > 0);
  if (format === 'markdown') {
    if (owing.length === 0) return `None: every approval ${code(report.history)} recorded was met.\n`;
    return `${owing.flatMap((e) => e.owed.map((o) => `- **${e.environment}**: ${owedLine(o, code(`${report.history}:${o.line}`))}${o.reason ? ` — ${o.reason.replace(/\|/g, '\\|')}` : ''}`)).join('\n')}\n`;
  }
  if (owing.length === 0) return `owed approvals: none (${report.history})\n`;
  return ['owed approvals:', ...owing.flatMap((e) => e.owed.map((o) => `  ${e.environment}: ${owedLine(o, `${report.history}:${o.line}`)}`)), ''].join('\n');
}
