import type { OutputFormat } from '../types';
import type { ApprovalRequirement, NotCounted, PullRequestFacts, RequirementsReport, RequirementStatus, VerifyReport } from './types';

/** How many triggering changes a report lists per requirement before "…and N more". */
export const TRIGGER_CAP = 10;

const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const code = (text: string): string => `\`${text.replace(/`/g, "'")}\``;

function capped(lines: readonly string[], format: (line: string) => string, indent: string, total = lines.length): string[] {
  const shown = lines.slice(0, TRIGGER_CAP).map((line) => `${indent}${format(line)}`);
  const count = Math.max(total, lines.length);
  if (count > shown.length) shown.push(`${indent}…and ${count - shown.length} more`);
  return shown;
}

const need = (r: ApprovalRequirement): string => `${r.approvals} approval${r.approvals === 1 ? '' : 's'} from ${r.group}`;

/**
 * The approvals a change needs, as text, JSON or Markdown (a section of the drift gate's pull-request comment).
 *
 * @example
 * process.stdout.write(renderRequirements(report, 'markdown'));
 */
export function renderRequirements(report: RequirementsReport, format: OutputFormat): string {
  if (format === 'json') return `${JSON.stringify(report, null, 2)}\n`;
  const files = report.changedFiles === undefined ? '' : `, ${report.changedFiles} changed file(s)`;
  const summary = `${report.changeCount} change(s) in ${report.changedEnvironments.join(', ') || 'no environment'}${files}, rules ${report.rulesFile}`;
  if (format === 'markdown') {
    const lines = [`${summary.replace(report.rulesFile, code(report.rulesFile))}.`, ''];
    if (report.requirements.length === 0) {
      lines.push('**No approval required** beyond code review.', '');
    } else {
      lines.push('| approvals | group | rule | environments | why |', '| ---: | --- | --- | --- | --- |');
      for (const r of report.requirements) {
        lines.push(`| ${r.approvals} | **${cell(r.group)}** | ${code(r.rule)} | ${r.environments.join(', ')} | ${cell(r.reason)} |`);
      }
      lines.push('', 'Triggered by:', '');
      for (const r of report.requirements) {
        lines.push(`- ${code(r.rule)} (${need(r)}):`, ...capped(r.triggeredBy, code, '  - ', r.triggeredCount));
      }
      lines.push('');
    }
    if (report.exempt.length > 0) {
      lines.push(`Code review only (${report.exempt.length}):`, '', ...capped(report.exempt.map((e) => `${e.change} [${e.exemption}]`), code, '- '), '');
    }
    if (report.unmatched.length > 0) {
      lines.push(`No rule applies (code review only): ${report.unmatched.length} change(s).`, '');
    }
    return `${lines.join('\n').replace(/\n+$/, '')}\n`;
  }
  const lines = [`approval requirements: ${summary}`];
  if (report.requirements.length === 0) lines.push('  none beyond code review');
  for (const r of report.requirements) {
    lines.push(`  REQUIRED ${need(r)} [${r.rule}] (${r.environments.join(', ')}): ${r.reason}`, ...capped(r.triggeredBy, (t) => t, '    - ', r.triggeredCount));
  }
  if (report.exempt.length > 0) lines.push(`  code review only: ${report.exempt.length} change(s) exempt (${[...new Set(report.exempt.map((e) => e.exemption))].join(', ')})`);
  if (report.unmatched.length > 0) lines.push(`  no rule applies: ${report.unmatched.length} change(s)`);
  return `${lines.join('\n')}\n`;
}

const statusLine = (r: RequirementStatus): string =>
  r.met
    ? `met: ${need(r)} [${r.rule}], by ${r.approvedBy.join(', ')}`
    : `MISSING ${r.missing} of ${need(r)} [${r.rule}]${r.approvedBy.length ? ` (so far: ${r.approvedBy.join(', ')})` : ''}: ${r.reason}`;

/** Short commit ids in a reason (formatted as code in Markdown). */
const HEX = /\b[0-9a-f]{7}\b/g;

const notCountedLine = (n: NotCounted): string => `${n.approver}${n.reviewId === undefined ? '' : ` (review ${n.reviewId})`}: ${n.reason}`;

/** Which reviews count, in words: `reviews on 5d6e7f8, not by the author alice nor a pusher (alice, web-flow)`. */
function pullRequestLine(pr: PullRequestFacts): string {
  const parts = [pr.head === undefined ? 'reviews on any commit' : `reviews on the head ${pr.head.slice(0, 7).toLowerCase()}`];
  if (pr.author !== undefined) parts.push(`not by the author ${pr.author}`);
  if (pr.pushers !== undefined) parts.push(pr.pushers.length === 0 ? 'no pushers given' : `nor by a pusher (${pr.pushers.join(', ')})`);
  return parts.join(', ');
}

/**
 * The result of `verify-approvals` as text, JSON or Markdown: each requirement met (by whom) or missing (how many), and
 * each given approval that was not counted, with its reason.
 *
 * @example
 * process.stdout.write(renderVerify(verifyApprovals(report, given), 'text'));
 */
export function renderVerify(report: VerifyReport, format: OutputFormat): string {
  if (format === 'json') return `${JSON.stringify(report, null, 2)}\n`;
  const missing = report.requirements.filter((r) => !r.met);
  const headline =
    report.requirements.length === 0
      ? 'no approval required beyond code review'
      : missing.length === 0
        ? `all ${report.requirements.length} approval requirement(s) met`
        : `${missing.length} of ${report.requirements.length} approval requirement(s) not met`;
  const notCounted = report.notCounted ?? [];
  if (format === 'markdown') {
    const lines = [`**Approvals: ${headline}.**`, ''];
    for (const r of report.requirements) lines.push(`- ${r.met ? '✅' : '❌'} ${statusLine(r).replace(/^(met|MISSING)/, (w) => (w === 'met' ? 'met' : 'missing'))}`);
    if (report.pullRequest) lines.push('', `Counted: ${pullRequestLine(report.pullRequest).replace(HEX, '`$&`')}.`);
    if (notCounted.length > 0) {
      lines.push('', `Not counted (${notCounted.length}):`, '', ...notCounted.map((n) => `- ${cell(notCountedLine(n)).replace(HEX, '`$&`')}`));
    }
    return `${lines.join('\n').replace(/\n+$/, '')}\n`;
  }
  return `${[
    `approvals: ${headline}`,
    ...report.requirements.map((r) => `  ${statusLine(r)}`),
    ...(report.pullRequest ? [`  counted: ${pullRequestLine(report.pullRequest)}`] : []),
    ...notCounted.map((n) => `  not counted: ${notCountedLine(n)}`),
  ].join('\n')}\n`;
}
