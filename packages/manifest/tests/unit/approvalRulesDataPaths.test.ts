import { join } from 'node:path';
import { approveManifests, requirementsFor } from '../../src';
import type { RequirementsReport } from '../../src';
import { WORKSPACE, record, removeDir, tempDir, writeSynth } from './support';

/*
 * The shipped approval rules (apps/tap-stack/approval-rules.json) on changes the gate let through with code review
 * only: how long logs are kept, where a function sends data (its environment variables), and what an alarm means.
 * Each change is made in dev, the environment no prod-only rule covers.
 */
const RULES = join(WORKSPACE, 'apps/tap-stack/approval-rules.json');
const ENVS = ['dev', 'staging', 'prod'] as const;
type Env = (typeof ENVS)[number];

const needs = (report: RequirementsReport) => report.requirements.map((r) => `${r.rule}: ${r.approvals} x ${r.group}`);
const ruleOf = (report: RequirementsReport, group: string) => report.requirements.filter((r) => r.group === group);

describe('approval rules: retention, Lambda environment, alarm semantics', () => {
  let dir: string;
  const requirements = (): RequirementsReport => requirementsFor({ baseline: join(dir, 'base'), current: join(dir, 'synth'), rules: RULES });
  const changedSynth = (env: Env, change: Parameters<typeof writeSynth>[2]) => {
    for (const other of ENVS) writeSynth(join(dir, 'synth'), other, other === env ? change : {});
  };

  beforeAll(() => {
    dir = tempDir('approval-data-paths');
    for (const env of ENVS) writeSynth(join(dir, 'approved'), env);
    approveManifests({ baseline: join(dir, 'base'), current: join(dir, 'approved'), reason: 'fixtures', approver: 'Test <t@example.com>', noPolicyCheck: true, env: {} });
  });
  afterAll(() => removeDir(dir));
  beforeEach(() => removeDir(join(dir, 'synth')));

  it('shorter log retention in dev needs security (deletion-and-retention): logs are the audit trail', () => {
    // Prepare
    changedSynth('dev', { records: (records) => (record(records, 'tap-payments-logs').inputs['retentionInDays'] = 1) });

    // Act
    const report = requirements();

    // Assess
    expect(needs(report)).toEqual(['deletion-and-retention: 1 x security']);
    expect(report.requirements[0].triggeredBy).toEqual(['dev: tap-payments-logs (aws:cloudwatch/logGroup:LogGroup) retentionInDays 30 -> 1']);
  });

  it('a new Lambda environment variable in dev needs security: it is how a function learns where to send data', () => {
    // Prepare
    changedSynth('dev', {
      records: (records) => ((record(records, 'tap-payments-function').inputs['environment'] as { variables: Record<string, string> }).variables['SINK_URL'] = 'https://collector.example.net'),
    });

    // Act
    const report = requirements();

    // Assess
    expect(ruleOf(report, 'security').map((r) => r.rule)).toEqual(['lambda-environment']);
    expect(report.requirements.find((r) => r.rule === 'lambda-environment')?.triggeredBy).toEqual([
      'dev: tap-payments-function (aws:lambda/function:Function) environment.variables.SINK_URL (added)',
    ]);
  });

  it('a changed Lambda environment variable in dev needs security too', () => {
    // Prepare: the rotation function talks to another Secrets Manager endpoint
    changedSynth('dev', {
      records: (records) =>
        ((record(records, 'tap-secrets-rotation-function').inputs['environment'] as { variables: Record<string, string> }).variables['SECRETS_MANAGER_ENDPOINT'] = 'https://proxy.example.net'),
    });

    // Act
    const report = requirements();

    // Assess
    expect(needs(report)).toContain('lambda-environment: 1 x security');
  });

  it.each([
    ['threshold', 500],
    ['evaluationPeriods', 10],
    ['datapointsToAlarm', 10],
    ['treatMissingData', 'notBreaching'],
    ['alarmActions', []],
    ['comparisonOperator', 'LessThanThreshold'],
  ])('an alarm %s change in dev needs a platform lead (what the alarm means), not only in prod', (property, value) => {
    // Prepare
    changedSynth('dev', { records: (records) => (record(records, 'tap-monitoring-aurora-connections').inputs[property] = value) });

    // Act
    const report = requirements();

    // Assess
    expect(ruleOf(report, 'platform-leads').map((r) => `${r.rule}: ${r.approvals}`)).toEqual(['alarm-semantics: 1']);
    expect(report.requirements.find((r) => r.rule === 'alarm-semantics')?.triggeredBy[0]).toMatch(new RegExp(`^dev: tap-monitoring-aurora-connections \\(aws:cloudwatch/metricAlarm:MetricAlarm\\) ${property}\\b`));
  });

  it('removing an alarm in dev needs a platform lead', () => {
    // Prepare
    changedSynth('dev', { records: (records) => records.splice(records.indexOf(record(records, 'tap-monitoring-lambda-errors')), 1) });

    // Act
    const report = requirements();

    // Assess
    expect(needs(report)).toContain('alarm-semantics: 1 x platform-leads');
    expect(report.requirements.find((r) => r.rule === 'alarm-semantics')?.triggeredBy).toEqual(['dev: tap-monitoring-lambda-errors (aws:cloudwatch/metricAlarm:MetricAlarm) (removed)']);
  });

  it('an alarm description in dev still needs no approval beyond code review (only what the alarm means does)', () => {
    // Prepare
    changedSynth('dev', { records: (records) => (record(records, 'tap-monitoring-aurora-connections').inputs['alarmDescription'] = 'reworded') });

    // Act
    const report = requirements();

    // Assess
    expect(report.requirements).toEqual([]);
    expect(report.unmatched).toEqual([expect.stringContaining('alarmDescription')]);
  });
});
