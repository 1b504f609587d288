import type { LiveDriftReport } from './live/types';
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

/** What the on-call engineer does about each kind of live drift (also in apps/tap-stack/README.md). */
const LIVE_ACTIONS = {
  changed: 'changed outside Pulumi (console edit): revert it with `nx run tap-stack:deploy`, or adopt it in code and approve it (`drift-approve`), or add an ignore rule with a reason if it is benign',
  missing: 'deleted outside Pulumi: `nx run tap-stack:deploy` recreates it',
  unmanaged: 'in the cloud but not in the stack state: import it (`pulumi import`) or delete it',
  replaced: 'Pulumi would replace it: read the properties, then deploy or fix the code',
  unknown: 'an operation this tool does not know: read the Pulumi output (`nx run tap-stack:preview`)',
  'not-deployed': 'merged but not deployed: `nx run tap-stack:deploy`',
  'not-in-code': 'deployed from other code (out-of-band or unmerged deploy): deploy from the main branch, or bring the code in line',
  missing_manifest: 'no configManifest output: deploy the stack to record one',
} as const;

const LIVE_STATUS_WORDS = { 'in-sync': 'in sync', drift: 'DRIFT', error: 'ERROR' } as const;

function liveCounts(report: LiveDriftReport): { drifted: number; ignored: number; differences: number } {
  const ignored = report.cloud.resources.filter((r) => r.ignored).length;
  return {
    drifted: report.cloud.resources.length - ignored,
    ignored,
    differences: report.deployed ? report.deployed.changes.length + (report.deployed.status === 'missing' ? 1 : 0) : 0,
  };
}

function liveSummary(report: LiveDriftReport): string {
  const { drifted, ignored, differences } = liveCounts(report);
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  return `${report.environment}: ${plural(drifted, 'drifted resource')} (${ignored} ignored), ${plural(differences, 'deployed-vs-code difference')}, ${plural(report.errors.length, 'error')}`;
}

function liveActions(report: LiveDriftReport): string[] {
  const kinds = new Set<keyof typeof LIVE_ACTIONS>();
  for (const resource of report.cloud.resources) if (!resource.ignored) kinds.add(resource.kind);
  for (const change of report.deployed?.changes ?? []) kinds.add(change.kind);
  if (report.deployed?.status === 'missing') kinds.add('missing_manifest');
  return [...kinds].map((kind) => LIVE_ACTIONS[kind]);
}

const ignoredNote = (ignored: { reason: string } | undefined): string => (ignored ? `ignored: ${ignored.reason}` : '');

/**
 * A live-drift report (cloud vs state, deployed vs code) as text, JSON, or Markdown (for a ticket or chat message).
 * Ignored drift is listed with its reason; secret values are already `[secret]` in the report.
 *
 * @example
 * process.stdout.write(renderLive(runLiveDrift({ stack: 'dev', cwd: 'apps/tap-stack', code }), 'markdown'));
 */
export function renderLive(report: LiveDriftReport, format: OutputFormat): string {
  if (format === 'json') return `${JSON.stringify(report, null, 2)}\n`;
  const deployed = report.deployed;
  const actions = liveActions(report);
  if (format === 'markdown') {
    const lines = [`### tap-drift live: ${report.environment} ${report.status === 'in-sync' ? 'in sync' : report.status === 'drift' ? 'drift found' : 'error'}`, '', liveSummary(report), ''];
    if (report.errors.length) lines.push('**Errors** (the check is incomplete)', '', ...report.errors.map((e) => `- ${cell(e)}`), '');
    lines.push(`#### Cloud vs state (stack \`${report.stack}\`)`, '');
    if (report.cloud.resources.length === 0) lines.push('No resource differs from the stack state.', '');
    else {
      const rows = report.cloud.resources.flatMap((r) => {
        const head = [r.ignored ? 'ignored' : `**${r.kind}**`, `\`${r.type}\``, cell(r.name), '', '', '', cell(ignoredNote(r.ignored))];
        // The resource row already gives the reason when the whole resource is ignored.
        const note = (p: (typeof r.properties)[number]) => (r.ignored ? (p.ignored ? 'ignored' : '') : ignoredNote(p.ignored));
        return [head, ...r.properties.map((p) => ['', '', '', `\`${p.path}\``, cell(p.old), cell(p.new), cell(note(p))])];
      });
      lines.push(markdownTable(['status', 'type', 'name', 'property', 'state', 'cloud', 'note'], rows), '');
    }
    if (report.cloud.warnings.length) lines.push('**Warnings**', '', ...report.cloud.warnings.map((w) => `- ${cell(w)}`), '');
    lines.push('#### Deployed vs code', '');
    if (!deployed) lines.push('Not compared (see errors).', '');
    else if (deployed.status === 'missing') lines.push(`**drift**: ${deployed.note}.`, '');
    else if (deployed.changes.length === 0) lines.push(`The deployed configuration matches the code (\`${short(deployed.codeHash)}\`).`, '');
    else {
      lines.push(markdownTable(['path', 'deployed', 'code', 'meaning'], deployed.changes.map((c) => [`\`${c.path}\``, cell(c.deployed), cell(c.code), c.label])), '');
    }
    if (actions.length) lines.push('**What to do**', '', ...actions.map((a) => `- ${a}`), '');
    return `${lines.join('\n')}`;
  }
  const lines = [`${report.environment} (stack ${report.stack}): ${LIVE_STATUS_WORDS[report.status]}`];
  for (const error of report.errors) lines.push(`  ERROR ${error}`);
  lines.push(`  cloud vs state: ${report.cloud.resources.length === 0 ? 'no resource differs from the stack state' : ''}`.trimEnd());
  for (const r of report.cloud.resources) {
    lines.push(`    ${r.ignored ? 'ignored' : r.kind.toUpperCase()} ${r.type} ${r.name} (${r.op})${r.ignored ? `: ${ignoredNote(r.ignored)}` : ''}`);
    for (const p of r.properties) lines.push(`      ${p.path}: ${show(p.old)} -> ${show(p.new)}${p.ignored && !r.ignored ? ` (${ignoredNote(p.ignored)})` : ''}`);
  }
  for (const warning of report.cloud.warnings) lines.push(`    warning: ${warning}`);
  if (!deployed) lines.push('  deployed vs code: not compared (see errors)');
  else if (deployed.status === 'missing') lines.push(`  deployed vs code: DRIFT ${deployed.note}`);
  else {
    lines.push(`  deployed vs code: ${deployed.changes.length === 0 ? `in sync (${short(deployed.codeHash)})` : `${short(deployed.deployedHash)} deployed${deployed.deployedAt ? ` at ${deployed.deployedAt}` : ''}, ${short(deployed.codeHash)} in code`}`);
    for (const c of deployed.changes) lines.push(`    ${c.path}: deployed ${show(c.deployed)} -> code ${show(c.code)} (${c.label})`);
  }
  for (const action of actions) lines.push(`  to do: ${action}`);
  lines.push(`${report.status === 'in-sync' ? 'in sync' : report.status}: ${liveSummary(report)}`);
  return `${lines.join('\n')}\n`;
}
