import { blockingViolations } from './synthRecords';
import type { OutputFormat, PolicyViolation } from './types';

/** What the CLI found in one resources.json. */
export interface FileReport {
  file: string;
  stackName: string;
  environment: string;
  resourceCount: number;
  violations: PolicyViolation[];
}

function where(v: PolicyViolation): string {
  return v.resourceName ? `${v.resourceType?.split(':').pop() ?? 'resource'} '${v.resourceName}'` : `stack ${v.stackName}`;
}

function text(reports: readonly FileReport[], policyCount: number): string {
  const lines: string[] = [];
  for (const r of reports) {
    lines.push(`${r.file} (stack ${r.stackName}, ${r.environment}): ${r.resourceCount} resources, ${r.violations.length} violation(s)`);
    for (const v of r.violations) {
      lines.push(`  ✗ [${v.enforcementLevel}] ${v.policyName} on ${where(v)}: ${v.message}`);
      if (v.urn) lines.push(`      ${v.urn}`);
    }
  }
  const blocking = reports.reduce((n, r) => n + blockingViolations(r.violations).length, 0);
  const total = reports.reduce((n, r) => n + r.violations.length, 0);
  lines.push(
    total === 0
      ? `tap-policy: ${policyCount} policies, no violations in ${reports.length} file(s)`
      : `tap-policy: ${total} violation(s) (${blocking} mandatory) in ${reports.filter((r) => r.violations.length > 0).length} of ${reports.length} file(s)`,
  );
  return `${lines.join('\n')}\n`;
}

function cell(value: string): string {
  return value.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function markdown(reports: readonly FileReport[], policyCount: number): string {
  const lines = ['## CrossGuard policies (tap-security)', ''];
  for (const r of reports) {
    lines.push(`### ${r.environment}: ${r.violations.length === 0 ? '✅ no violations' : `❌ ${r.violations.length} violation(s)`}`, '');
    lines.push(`\`${r.file}\`, stack \`${r.stackName}\`, ${r.resourceCount} resources, ${policyCount} policies.`, '');
    if (r.violations.length > 0) {
      lines.push('| Policy | Level | Resource | Message |', '| --- | --- | --- | --- |');
      for (const v of r.violations) {
        lines.push(`| \`${v.policyName}\` | ${v.enforcementLevel} | ${cell(where(v))} | ${cell(v.message)} |`);
      }
      lines.push('');
    }
  }
  return `${lines.join('\n')}\n`;
}

/**
 * Renders the CLI's report.
 *
 * @example
 * process.stdout.write(formatReport([{ file, stackName: 'dev', environment: 'dev', resourceCount: 40, violations }], 'markdown', 28));
 */
export function formatReport(reports: readonly FileReport[], format: OutputFormat, policyCount: number): string {
  switch (format) {
    case 'json':
      return `${JSON.stringify(
        {
          ok: reports.every((r) => blockingViolations(r.violations).length === 0),
          policyCount,
          files: reports,
        },
        null,
        2,
      )}\n`;
    case 'markdown':
      return markdown(reports, policyCount);
    default:
      return text(reports, policyCount);
  }
}
