import { MARKDOWN_DETAIL_CAP, MARKDOWN_RESOURCE_CAP } from './constants';
import type { IgnoredBy, LiveDriftReport } from './live/types';
import type {
  ApproveReport,
  CheckReport,
  CompareReport,
  ComponentChanges,
  ConfigManifest,
  EnvironmentCheck,
  InventoryCheck,
  LoadedManifest,
  ManifestChange,
  OutputFormat,
  PropertyChange,
  ResourceChange,
  ResourceParityReport,
} from './types';

const short = (hash: string | undefined): string => (hash ? hash.slice(0, 12) : '-');
const show = (value: unknown): string => (value === undefined ? '-' : typeof value === 'string' ? value : JSON.stringify(value));
const cell = (value: unknown): string => show(value).replace(/\|/g, '\\|');
/** Longest value a Markdown cell shows: a comment stays readable (and under GitHub's 65,536 characters). */
const CELL_MAX = 160;
/** A value as inline code, cut to CELL_MAX; `<`, `|` and backticks cannot break the table or turn into HTML. */
export function code(value: unknown): string {
  if (value === undefined) return '-';
  let text = show(value).replace(/\s*\n\s*/g, ' ');
  if (text.length > CELL_MAX) text = `${text.slice(0, CELL_MAX - 1)}…`;
  const fence = '`'.repeat(Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length)) + 1);
  const padded = text.startsWith('`') || text.endsWith('`') ? ` ${text} ` : text;
  return `${fence}${padded}${fence}`.replace(/\|/g, '\\|');
}
/** A changed property as a report shows it: `old -> new`, or `changed (secret)` for a secret (digests are not for reading). */
const showChange = (p: PropertyChange): string => (p.secret ? 'changed (secret)' : `${show(p.before)} -> ${show(p.after)}`);
const plural = (n: number, word: string, many = `${word}s`): string => `${n} ${n === 1 ? word : many}`;
/** `tap-db (tap:database:DatabaseComponent)` -> `tap-db`, and the type's last part for a label. */
const typeName = (type: string): string => type.split(':').pop() ?? type;

/** A plain-text table: columns padded to their widest cell. */
export function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((header, i) => Math.max(header.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

/** A GitHub-flavoured Markdown table (cells must already be escaped, e.g. with `code`). */
export function markdownTable(headers: string[], rows: string[][]): string {
  return [`| ${headers.join(' | ')} |`, `|${headers.map(() => ' --- ').join('|')}|`, ...rows.map((row) => `| ${row.join(' | ')} |`)].join('\n');
}

/** Resource-parity rows: drift first, then expected differences; the status words of the config table. */
function parityRows(parity: ResourceParityReport) {
  return [...parity.rows.filter((row) => row.status === 'drift'), ...parity.rows.filter((row) => row.status === 'expected')];
}

function paritySummary(parity: ResourceParityReport): string {
  const drift = parity.rows.filter((row) => row.status === 'drift').length;
  return `${plural(parity.resourceCount, 'resource')}: ${drift} drift, ${plural(parity.rows.length - drift, 'expected difference')}`;
}

function parityMarkdown(parity: ResourceParityReport): string[] {
  const lines = ['#### Resources', '', `${paritySummary(parity)} across ${parity.environments.join(', ')} (environment names, suffix, regions and account ids normalised)`, ''];
  if (parity.rows.length === 0) return [...lines, 'Every resource has the same settings in every environment.', ''];
  const tableOf = (rows: ResourceParityReport['rows']): string[] => {
    const shown = rows.slice(0, MARKDOWN_DETAIL_CAP);
    const table = markdownTable(
      ['resource', 'property', ...parity.environments, 'why'],
      shown.map((row) => [`${code(row.name)} (${typeName(row.type)})`, code(row.path), ...parity.environments.map((env) => code(row.values[env])), cell(row.reason)]),
    );
    return [table, ...(rows.length > shown.length ? ['', `…and ${rows.length - shown.length} more; \`tap-drift compare --format json\` has all of them`] : [])];
  };
  const drift = parity.rows.filter((row) => row.status === 'drift');
  const expected = parity.rows.filter((row) => row.status === 'expected');
  if (drift.length) lines.push('**Drift** (fix the environment, or the profile and `RESOURCE_PARITY_RULES` if the difference is meant)', '', ...tableOf(drift), '');
  // Expected differences collapsed: nothing to act on, there for the reviewer who wants to see them.
  if (expected.length) lines.push('<details>', `<summary>${plural(expected.length, 'expected difference')}</summary>`, '', ...tableOf(expected), '', '</details>', '');
  return lines;
}

/**
 * The `compare` report as text (a side-by-side table), JSON, or Markdown (for pull-request comments), with the
 * resource parity when inventories were compared.
 *
 * @example
 * process.stdout.write(renderCompare(compareManifests(loaded, inventories), 'markdown'));
 */
export function renderCompare(report: CompareReport, format: OutputFormat): string {
  if (format === 'json') return `${JSON.stringify(report, null, 2)}\n`;
  const drift = report.rows.filter((row) => row.status === 'drift');
  const expected = report.rows.filter((row) => row.status === 'expected').length;
  const parity = report.resources;
  const resourceSummary = parity ? `; ${paritySummary(parity)}` : '';
  const summary = `${drift.length} drift, ${expected} expected difference${expected === 1 ? '' : 's'} across ${report.environments.join(', ')}${resourceSummary}`;
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
      ...(parity ? parityMarkdown(parity) : []),
    ].join('\n');
  }
  const rows = report.rows.map((row) => [row.path, ...report.environments.map((env) => show(row.values[env])), row.status === 'drift' ? 'DRIFT' : row.status]);
  const resourceLines = parity
    ? [
        `resources: ${paritySummary(parity)}`,
        ...parityRows(parity).map(
          (row) =>
            `  ${row.status === 'drift' ? 'DRIFT' : 'expected'} ${row.name} (${row.type}) ${row.path}: ${parity.environments.map((env) => `${env}=${show(row.values[env])}`).join(', ')}${row.status === 'drift' ? '' : ` (${row.reason})`}`,
        ),
        '',
      ]
    : [];
  return [table(headers, rows), '', ...reasons.map((reason) => `DRIFT ${reason}`), ...resourceLines, `${report.drift ? 'drift' : 'in sync'}: ${summary}`, ''].join('\n');
}

/** The approved side of a configuration change: `(new field)` when the baseline's writer did not record the field. */
const approvedValue = (change: ManifestChange, shown: (value: unknown) => string): string => (change.newField ? '(new field)' : shown(change.before));

const STATUS_WORDS = {
  unchanged: 'unchanged',
  changed: 'changed',
  added: 'new environment, no approved baseline',
  removed: 'baseline only, no current manifest',
} as const;

const INVENTORY_WORDS = {
  unchanged: 'unchanged',
  changed: 'changed',
  added: 'new, no approved inventory',
  'no-baseline': 'ERROR: no approved inventory (old baseline format)',
  'no-current': 'ERROR: no current inventory',
} as const;

function inventorySummary(check: InventoryCheck): string {
  if (check.status !== 'changed') return INVENTORY_WORDS[check.status];
  const { added, removed, changed, properties } = check.diff.counts;
  const parts = [`${changed} changed (${plural(properties, 'property', 'properties')})`, `${added} added`, `${removed} removed`];
  return `${parts.join(', ')}${check.normalisationChanged ? ', normalisation list changed' : ''}`;
}

const resourceMark = { added: '+', removed: '-', changed: '~' } as const;

function checkText(entry: EnvironmentCheck): string[] {
  const hashes = entry.status === 'changed' && entry.baselineHash !== entry.currentHash ? ` (${short(entry.baselineHash)} -> ${short(entry.currentHash)})` : '';
  const lines = [`${entry.environment}: ${STATUS_WORDS[entry.status]}${hashes}`];
  for (const change of entry.changes) lines.push(`  ${change.path}: ${approvedValue(change, show)} -> ${show(change.after)}`);
  const resources = entry.resources;
  if (!resources || (resources.status === 'unchanged' && entry.status === 'unchanged')) return lines;
  const inventoryHashes = resources.status === 'changed' ? ` (${short(resources.baselineHash)} -> ${short(resources.currentHash)})` : '';
  lines.push(`  resources: ${inventorySummary(resources)}${inventoryHashes}`);
  for (const component of resources.diff.components) {
    lines.push(`    ${component.label}`);
    for (const r of component.resources) {
      lines.push(`      ${resourceMark[r.kind]} ${r.name} (${r.type})`);
      for (const p of r.properties) lines.push(`          ${p.path}: ${showChange(p)}`);
    }
  }
  return lines;
}

const html = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** One component's changes as a collapsed block: added and removed resources first, then property rows, at most `budget` rows. */
function componentDetails(component: ComponentChanges, budget: number): string[] {
  const rows: string[][] = [];
  let hidden = 0;
  const push = (row: string[]) => (rows.length < budget ? rows.push(row) : hidden++);
  const label = (r: ResourceChange) => `${code(r.name)} (${typeName(r.type)})`;
  const ordered = [...component.resources.filter((r) => r.kind !== 'changed'), ...component.resources.filter((r) => r.kind === 'changed')];
  for (const r of ordered.slice(0, MARKDOWN_RESOURCE_CAP)) {
    if (r.kind !== 'changed') push([label(r), `**${r.kind}**`, '', '']);
    else for (const p of r.properties) push([label(r), code(p.path), p.secret ? '(secret)' : code(p.before), p.secret ? 'changed (secret)' : code(p.after)]);
  }
  const unlisted = ordered.slice(MARKDOWN_RESOURCE_CAP);
  hidden += unlisted.reduce((n, r) => n + Math.max(1, r.properties.length), 0);
  const counts = [
    component.changed ? `${component.changed} changed (${plural(component.properties, 'property', 'properties')})` : '',
    component.added ? `${component.added} added` : '',
    component.removed ? `${component.removed} removed` : '',
  ].filter(Boolean);
  // HTML inside <summary>: GitHub does not render Markdown there reliably.
  const lines = ['<details>', `<summary><code>${html(component.label)}</code>: ${counts.join(', ')}</summary>`, ''];
  if (rows.length) lines.push(markdownTable(['resource', 'property', 'approved', 'current'], rows));
  if (hidden > 0) {
    lines.push('', `…and ${hidden} more${unlisted.length > 0 ? ` (${plural(unlisted.length, 'resource')} not listed)` : ''}; \`tap-drift check --format json\` has all of them`);
  }
  lines.push('', '</details>', '');
  return lines;
}

const hashPair = (a: string | undefined, b: string | undefined): string => (a === b ? `\`${short(a)}\`` : `\`${short(a)}\` → \`${short(b)}\``);

/**
 * The `check` report: per environment its status, every changed configuration path (old -> new) and every resource
 * added, removed or changed (each property old -> new), grouped by component. Markdown (for a pull-request comment)
 * puts a summary table first and collapses each component's details, capped so a change of hundreds of properties
 * stays a readable comment ("…and N more").
 *
 * @example
 * process.stdout.write(renderCheck(checkManifests(baseline, current, inventories), 'markdown'));
 */
export function renderCheck(report: CheckReport, format: OutputFormat): string {
  if (format === 'json') return `${JSON.stringify(report, null, 2)}\n`;
  const changed = report.environments.filter((entry) => entry.status !== 'unchanged').length;
  const summary = report.changed
    ? `${changed} of ${report.environments.length} environment${report.environments.length === 1 ? '' : 's'} differ from the approved baseline`
    : `all ${report.environments.length} environment${report.environments.length === 1 ? '' : 's'} match the approved baseline`;
  const unheld = report.bindings.length > 0;
  const verdict = report.errors.length ? 'error' : report.changed ? 'changed' : unheld ? 'settings not held' : 'in sync';
  if (format === 'markdown') {
    const title = report.errors.length ? 'cannot check everything' : report.changed ? 'changes need approval' : unheld ? 'settings not held by their resources' : 'in sync';
    const lines = [`### tap-drift check: ${title}`, '', summary, ''];
    if (report.errors.length) lines.push('**Errors** (the check is incomplete)', '', ...report.errors.map((e) => `- ${cell(e)}`), '');
    if (unheld) {
      lines.push(
        '**Settings not held by their resources** (the synth contradicts its own configuration; an approval does not waive it: fix the code or the setting)',
        '',
        ...report.bindings.map((b) => `- ${cell(b.message)}`),
        '',
      );
    }
    const withInventory = report.environments.some((e) => e.resources);
    lines.push(
      markdownTable(
        ['environment', 'status', 'configuration', ...(withInventory ? ['resources'] : []), 'config hash', ...(withInventory ? ['inventory hash'] : [])],
        report.environments.map((e) => [
          e.environment,
          STATUS_WORDS[e.status],
          e.changes.length ? plural(e.changes.length, 'changed path') : e.status === 'changed' ? 'unchanged' : '-',
          ...(withInventory ? [e.resources ? inventorySummary(e.resources) : '-'] : []),
          hashPair(e.baselineHash, e.currentHash),
          ...(withInventory ? [e.resources ? hashPair(e.resources.baselineHash, e.resources.currentHash) : '-'] : []),
        ]),
      ),
    );
    // One budget of detail rows for the whole comment, shared fairly by the components that changed.
    const changedComponents = report.environments.reduce((n, e) => n + (e.resources?.diff.components.length ?? 0), 0);
    const perComponent = Math.max(5, Math.floor(MARKDOWN_DETAIL_CAP / Math.max(1, changedComponents)));
    for (const entry of report.environments.filter((e) => e.changes.length > 0 || (e.resources?.diff.components.length ?? 0) > 0)) {
      lines.push('', `#### ${entry.environment}`, '');
      if (entry.changes.length > 0) {
        lines.push('Configuration:', '', markdownTable(['path', 'approved', 'current'], entry.changes.map((c) => [`\`${c.path}\``, approvedValue(c, cell), cell(c.after)])), '');
      }
      const components = entry.resources?.diff.components ?? [];
      if (components.length === 0) continue;
      lines.push(
        `Resources: ${inventorySummary(entry.resources as InventoryCheck)}`,
        '',
        markdownTable(
          ['component', 'changed', 'properties', 'added', 'removed'],
          components.map((c) => [code(c.label), String(c.changed), String(c.properties), String(c.added), String(c.removed)]),
        ),
        '',
      );
      for (const component of components) lines.push(...componentDetails(component, perComponent));
    }
    return `${lines.join('\n').replace(/\n{3,}/g, '\n\n').replace(/\n+$/, '')}\n`;
  }
  const lines = report.environments.flatMap(checkText);
  for (const error of report.errors) lines.push(`ERROR ${error}`);
  if (unheld) lines.push('settings not held by their resources (an approval does not waive them: fix the code or the setting):', ...report.bindings.map((b) => `  ${b.message}`));
  lines.push(`${verdict}: ${summary}`);
  return `${lines.join('\n')}\n`;
}

/**
 * The `approve` report: which baselines were written, by whom, why, with which policy result, and where the history went.
 *
 * @example
 * process.stdout.write(renderApprove(approveManifests({ baseline: 'manifests', current: 'synth', reason, noPolicyCheck: true }), 'text'));
 */
export function renderApprove(report: ApproveReport, format: OutputFormat): string {
  if (format === 'json') return `${JSON.stringify(report, null, 2)}\n`;
  const kept = report.check.environments.filter((e) => e.status === 'removed').map((e) => e.environment);
  const unchanged = report.check.environments.filter((e) => e.status === 'unchanged' && e.resources?.status !== 'no-baseline').map((e) => e.environment);
  const summary = report.approved.length
    ? `approved ${report.approved.length} environment${report.approved.length === 1 ? '' : 's'}; history appended to ${report.historyFile}`
    : 'nothing to approve: every environment matches its baseline';
  const first = report.approved[0];
  const who = first
    ? [
        first.proposer
          ? `proposer: ${first.proposer.name} (${first.proposer.source}); approvers: the pull request's reviews, recorded from GitHub by the deploy`
          : `approver: ${first.approver?.name ?? '-'}${first.approver?.email ? ` <${first.approver.email}>` : ''} (${first.approver?.source ?? '-'})`,
        `reason: ${first.reason ?? '-'}`,
        `policy: ${first.policy?.result ?? '-'}${first.policy?.report ? ` (${first.policy.report}: ${plural(first.policy.violations ?? 0, 'advisory violation')})` : ''}`,
      ]
    : [];
  const notes = [
    ...(unchanged.length ? [`unchanged: ${unchanged.join(', ')}`] : []),
    ...(kept.length ? [`kept (no current manifest): ${kept.join(', ')}`] : []),
  ];
  const resources = (r: (typeof report.approved)[number]) => {
    const c = r.changedResources;
    return c ? `${c.changed} changed, ${c.added} added, ${c.removed} removed` : '-';
  };
  if (format === 'markdown') {
    const rows = report.approved.map((r) => [
      r.environment,
      `\`${short(r.oldHash ?? undefined)}\` → \`${short(r.newHash)}\``,
      r.changedPaths.length ? r.changedPaths.map((p) => `\`${p}\``).join(', ') : '-',
      resources(r),
    ]);
    return [
      `### tap-drift approve`,
      '',
      summary,
      '',
      ...who.map((line) => `- ${cell(line)}`),
      ...(who.length ? [''] : []),
      ...(rows.length ? [markdownTable(['environment', 'config hash', 'changed paths', 'resources'], rows), ''] : []),
      ...notes.map((n) => `- ${n}`),
      '',
    ].join('\n');
  }
  const lines = report.approved.map(
    (r) =>
      `${r.environment}: approved ${short(r.oldHash ?? undefined)} -> ${short(r.newHash)} (${r.changedPaths.join(', ') || 'configuration unchanged'}; resources: ${resources(r)}) -> ${r.baselineFile}`,
  );
  return `${[...lines, ...who, ...notes, summary].join('\n')}\n`;
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

// A built-in class is a change the service makes by design: "expected", not a rule someone wrote.
const ignoredNote = (ignored: IgnoredBy | undefined): string => (ignored ? `${'builtin' in ignored ? 'expected' : 'ignored'}: ${ignored.reason}` : '');

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
