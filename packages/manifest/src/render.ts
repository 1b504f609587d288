import type { ApproveReport, CheckReport, CompareReport, ConfigManifest, LoadedManifest, OutputFormat } from './types';

const short = (hash: string | undefined): string => (hash ? hash.slice(0, 12) : '-');
const show = (value: unknown): string => (value === undefined ? '-' : typeof value === 'string' ? value : JSON.stringify(value));
const cell = (value: unknown): string => show(value).replace(/\|/g, '\\|');

function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((header, i) => Math.max(header.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

function markdownTable(headers: string[], rows: string[][]): string {
  return [`| ${headers.join(' | ')} |`, `|${headers.map(() => ' --- ').join('|')}|`, ...rows.map((row) => `| ${row.join(' | ')} |`)].join('\n');
}

/**
 * The `compare` report as text (a side-by-side table), JSON, or Markdown (for pull-request comments).
 *
 * @example
 * process.stdout.write(renderCompare(compareManifests(loaded), 'markdown'));
 */
export function renderCompare(report: CompareReport, format: OutputFormat): string {
  if (format === 'json') return `${JSON.stringify(report, null, 2)}\n`;
  const drift = report.rows.filter((row) => row.status === 'drift');
  const expected = report.rows.filter((row) => row.status === 'expected').length;
  const summary = `${drift.length} drift, ${expected} expected difference${expected === 1 ? '' : 's'} across ${report.environments.join(', ')}`;
  const headers = ['path', ...report.environments, 'status'];
  const reasons = drift.flatMap((row) => row.reasons.map((reason) => `${row.path}: ${reason}`));
  if (format === 'markdown') {
    const rows = report.rows.map((row) => [
      `\`${row.path}\``,
      ...report.environments.map((env) => cell(row.values[env])),
      row.status === 'drift' ? '**drift**' : row.status,
    ]);
    return [
      `### tap-drift compare: ${report.drift ? 'drift found' : 'in sync'}`,
      '',
      summary,
      '',
      markdownTable(headers, rows),
      ...(reasons.length ? ['', '**Drift**', '', ...reasons.map((reason) => `- ${reason.replace(/\|/g, '\\|')}`)] : []),
      '',
    ].join('\n');
  }
  const rows = report.rows.map((row) => [row.path, ...report.environments.map((env) => show(row.values[env])), row.status === 'drift' ? 'DRIFT' : row.status]);
  return [table(headers, rows), '', ...reasons.map((reason) => `DRIFT ${reason}`), `${report.drift ? 'drift' : 'in sync'}: ${summary}`, ''].join('\n');
}

const STATUS_WORDS = {
  unchanged: 'unchanged',
  changed: 'changed',
  added: 'new environment, no approved baseline',
  removed: 'baseline only, no current manifest',
} as const;

/**
 * The `check` report: per environment its status and every changed path (old -> new).
 *
 * @example
 * process.stdout.write(renderCheck(checkManifests(baseline, current), 'text'));
 */
export function renderCheck(report: CheckReport, format: OutputFormat): string {
  if (format === 'json') return `${JSON.stringify(report, null, 2)}\n`;
  const changed = report.environments.filter((entry) => entry.status !== 'unchanged').length;
  const summary = report.changed
    ? `${changed} of ${report.environments.length} environment${report.environments.length === 1 ? '' : 's'} differ from the approved baseline`
    : `all ${report.environments.length} environment${report.environments.length === 1 ? '' : 's'} match the approved baseline`;
  if (format === 'markdown') {
    const lines = [`### tap-drift check: ${report.changed ? 'changes need approval' : 'in sync'}`, '', summary, ''];
    lines.push(markdownTable(['environment', 'status', 'baseline', 'current'], report.environments.map((e) => [e.environment, STATUS_WORDS[e.status], `\`${short(e.baselineHash)}\``, `\`${short(e.currentHash)}\``])));
    for (const entry of report.environments.filter((e) => e.changes.length > 0)) {
      lines.push('', `#### ${entry.environment}`, '', markdownTable(['path', 'approved', 'current'], entry.changes.map((c) => [`\`${c.path}\``, cell(c.before), cell(c.after)])));
    }
    return `${lines.join('\n')}\n`;
  }
  const lines: string[] = [];
  for (const entry of report.environments) {
    const hashes = entry.status === 'changed' ? ` (${short(entry.baselineHash)} -> ${short(entry.currentHash)})` : '';
    lines.push(`${entry.environment}: ${STATUS_WORDS[entry.status]}${hashes}`);
    for (const change of entry.changes) lines.push(`  ${change.path}: ${show(change.before)} -> ${show(change.after)}`);
  }
  lines.push(`${report.changed ? 'changed' : 'in sync'}: ${summary}`);
  return `${lines.join('\n')}\n`;
}

/**
 * The `approve` report: which baselines were written and where the history went.
 *
 * @example
 * process.stdout.write(renderApprove(approveManifests({ baseline: 'manifests', current: 'synth' }), 'text'));
 */
export function renderApprove(report: ApproveReport, format: OutputFormat): string {
  if (format === 'json') return `${JSON.stringify(report, null, 2)}\n`;
  const kept = report.check.environments.filter((e) => e.status === 'removed').map((e) => e.environment);
  const unchanged = report.check.environments.filter((e) => e.status === 'unchanged').map((e) => e.environment);
  const summary = report.approved.length
    ? `approved ${report.approved.length} environment${report.approved.length === 1 ? '' : 's'}; history appended to ${report.historyFile}`
    : 'nothing to approve: every environment matches its baseline';
  const notes = [
    ...(unchanged.length ? [`unchanged: ${unchanged.join(', ')}`] : []),
    ...(kept.length ? [`kept (no current manifest): ${kept.join(', ')}`] : []),
  ];
  if (format === 'markdown') {
    const rows = report.approved.map((r) => [r.environment, `\`${short(r.oldHash ?? undefined)}\``, `\`${short(r.newHash)}\``, r.changedPaths.map((p) => `\`${p}\``).join(', ')]);
    return [`### tap-drift approve`, '', summary, '', ...(rows.length ? [markdownTable(['environment', 'old hash', 'new hash', 'changed paths'], rows), ''] : []), ...notes.map((n) => `- ${n}`), ''].join('\n');
  }
  const lines = report.approved.map((r) => `${r.environment}: approved ${short(r.oldHash ?? undefined)} -> ${short(r.newHash)} (${r.changedPaths.join(', ')}) -> ${r.baselineFile}`);
  return `${[...lines, ...notes, summary].join('\n')}\n`;
}

/**
 * The `hash` output: the recomputed hash (text), or file/environment/hash (JSON, Markdown).
 *
 * @example
 * renderHash(loadManifest('prod.json'), 'text'); // '3f1c…\n'
 */
export function renderHash(loaded: LoadedManifest, format: OutputFormat): string {
  const { environment, configHash }: ConfigManifest = loaded.manifest;
  if (format === 'json') return `${JSON.stringify({ file: loaded.file, environment, configHash }, null, 2)}\n`;
  if (format === 'markdown') return `${markdownTable(['file', 'environment', 'configHash'], [[cell(loaded.file), environment, `\`${configHash}\``]])}\n`;
  return `${configHash}\n`;
}
