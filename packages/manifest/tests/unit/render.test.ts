import { join } from 'node:path';
import { checkManifests, compareManifests, createInventory, type CheckReport, type LoadedInventory, type LoadedManifest } from '../../src';
import { MARKDOWN_DETAIL_CAP } from '../../src/constants';
import { renderCheck, renderCompare } from '../../src/render';
import { synthFixture, record, type SynthRecordFixture } from './support';

/** A check of dev against itself, the current side changed by `change`. */
function devCheck(change: (records: SynthRecordFixture[]) => void): CheckReport {
  const approved = synthFixture('dev');
  const current = synthFixture('dev');
  change(current.records);
  const manifests = (file: string): Map<'dev', LoadedManifest> => new Map([['dev', { file, manifest: approved.manifest }]]);
  const inventory = (file: string, records: SynthRecordFixture[]): Map<'dev', LoadedInventory> => new Map([['dev', { file, inventory: createInventory(records, 'dev') }]]);
  return checkManifests(manifests(join('base', 'dev.json')), manifests(join('synth', 'dev', 'manifest.json')), {
    baseline: inventory(join('base', 'dev.resources.json'), approved.records),
    current: inventory(join('synth', 'dev', 'resources.json'), current.records),
  });
}

describe('renderCheck with resources', () => {
  it('renders a change of three properties as a pull-request comment: summary table first, details per component', () => {
    // Prepare: the errors alarm effectively switched off.
    const report = devCheck((records) => Object.assign(record(records, 'tap-monitoring-lambda-errors').inputs, { period: 3600, evaluationPeriods: 24, datapointsToAlarm: 24 }));

    // Act
    const markdown = renderCheck(report, 'markdown');

    // Assess
    expect(markdown.startsWith('### tap-drift check: changes need approval\n\n1 of 1 environment differ from the approved baseline\n\n| environment | status | configuration | resources |')).toBe(true);
    expect(markdown).toContain('| dev | changed | unchanged | 1 changed (3 properties), 0 added, 0 removed |');
    expect(markdown.indexOf('| component | changed | properties | added | removed |')).toBeLessThan(markdown.indexOf('<details>'));
    expect(markdown).toContain('| `tap-monitoring (tap:monitoring:MonitoringComponent)` | 1 | 3 | 0 | 0 |');
    expect(markdown).toContain('<summary><code>tap-monitoring (tap:monitoring:MonitoringComponent)</code>: 1 changed (3 properties)</summary>');
    for (const [path, before, after] of [['datapointsToAlarm', 1, 24], ['evaluationPeriods', 1, 24], ['period', 300, 3600]]) {
      expect(markdown).toContain(`| \`tap-monitoring-lambda-errors\` (MetricAlarm) | \`${path}\` | \`${before}\` | \`${after}\` |`);
    }
    expect(markdown).not.toContain('more');
  });

  it('keeps a change of 300 properties a bounded comment, summary first, with "…and N more"', () => {
    // Prepare: six new tags on 50 resources.
    const report = devCheck((records) => {
      for (const r of records.slice(0, 50)) {
        r.inputs = { ...r.inputs, ...Object.fromEntries([1, 2, 3, 4, 5, 6].map((i) => [`extra${i}`, `value-${i}-${'x'.repeat(40)}`])) };
      }
    });

    // Act
    const markdown = renderCheck(report, 'markdown');

    // Assess
    expect(report.environments[0].resources?.diff.counts).toEqual({ added: 0, removed: 0, changed: 50, properties: 300 });
    expect(markdown.length).toBeLessThan(20_000);
    expect(markdown.indexOf('| environment | status |')).toBeLessThan(markdown.indexOf('<details>'));
    expect(markdown).toContain('| dev | changed | unchanged | 50 changed (300 properties), 0 added, 0 removed |');
    const detailRows = markdown.split('\n').filter((line) => /^\| `[^`]+` \([A-Za-z]+\) \| `extra\d`/.test(line));
    expect(detailRows.length).toBeGreaterThan(0);
    expect(detailRows.length).toBeLessThanOrEqual(MARKDOWN_DETAIL_CAP);
    // Nothing silently dropped: what is not shown is counted.
    const hidden = [...markdown.matchAll(/…and (\d+) more/g)].reduce((n, m) => n + Number(m[1]), 0);
    expect(hidden).toBe(300 - detailRows.length);
    // Every component still has its summary row and its collapsed block.
    const components = report.environments[0].resources?.diff.components ?? [];
    expect(markdown.match(/<details>/g)).toHaveLength(components.length);
  });

  it('lists each property old -> new in text, under its component', () => {
    // Prepare
    const report = devCheck((records) => (record(records, 'tap-monitoring-aurora-cpu').inputs['treatMissingData'] = 'notBreaching'));

    // Act
    const text = renderCheck(report, 'text');

    // Assess
    expect(text).toBe(
      [
        'dev: changed',
        `  resources: 1 changed (1 property), 0 added, 0 removed (${report.environments[0].resources?.baselineHash?.slice(0, 12)} -> ${report.environments[0].resources?.currentHash?.slice(0, 12)})`,
        '    tap-monitoring (tap:monitoring:MonitoringComponent)',
        '      ~ tap-monitoring-aurora-cpu (aws:cloudwatch/metricAlarm:MetricAlarm)',
        '          treatMissingData: breaching -> notBreaching',
        'changed: 1 of 1 environment differ from the approved baseline',
        '',
      ].join('\n'),
    );
  });

  it('keeps long values and Markdown-breaking characters inside their cell', () => {
    // Prepare
    const report = devCheck((records) => (record(records, 'tap-payments-function').inputs['description'] = `a|b <script> \`tick\` ${'y'.repeat(400)}`));

    // Act
    const markdown = renderCheck(report, 'markdown');

    // Assess
    const row = markdown.split('\n').find((line) => line.includes('`description`')) ?? '';
    expect(row).toContain('``a\\|b <script> `tick` ');
    expect(row).toContain('…``');
    expect(row.length).toBeLessThan(400);
  });
});

describe('renderCompare with resources', () => {
  it('shows resource drift in the open and collapses the expected differences', () => {
    // Prepare
    const envs = ['dev', 'staging', 'prod'] as const;
    const fixtures = envs.map((env) => ({ env, ...synthFixture(env) }));
    record(fixtures[2].records, 'tap-monitoring-lambda-errors').inputs['period'] = 3600;
    const manifests = fixtures.map(({ env, manifest }) => ({ file: `${env}/manifest.json`, manifest }));
    const inventories = new Map(fixtures.map(({ env, records }) => [env, { file: `${env}/resources.json`, inventory: createInventory(records, env) }]));

    // Act
    const markdown = renderCompare(compareManifests(manifests, inventories), 'markdown');

    // Assess
    const resources = markdown.slice(markdown.indexOf('#### Resources'));
    expect(resources).toMatch(/^#### Resources\n\n\d+ resources: 1 drift, \d+ expected differences across dev, staging, prod/);
    const details = resources.indexOf('<details>');
    expect(resources.indexOf('| `tap-monitoring-lambda-errors` (MetricAlarm) | `period` | `300` | `300` | `3600` |')).toBeGreaterThan(0);
    expect(resources.indexOf('| `tap-monitoring-lambda-errors` (MetricAlarm) | `period`')).toBeLessThan(details);
    expect(resources.indexOf('| `tap-payments-function` (Function) | `memorySize` | `1024` | `2048` | `4096` | lambda.memoryMb |')).toBeGreaterThan(details);
  });
});
