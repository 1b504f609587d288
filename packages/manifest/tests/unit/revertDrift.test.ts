import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { appendRevertDrift, approveManifests, historyLineHash, owedApprovals, verifyAuditTrail } from '../../src';
import { readApprovalHistory } from '../../src/audit';
import { removeDir, tempDir, writeSynth } from './support';

/*
 * A deploy that overwrites out-of-band changes on purpose (tap-deploy --revert-drift --reason) leaves a `revert-drift`
 * line in the hash-chained approval history: who, why, which resources. It approves no baseline, and the chain and
 * `audit verify` accept it like any other line.
 */
const ALARM = {
  urn: 'urn:pulumi:prod::TapStack::tap:monitoring:MonitoringComponent$aws:cloudwatch/metricAlarm:MetricAlarm::tap-monitoring-lambda-errors',
  type: 'aws:cloudwatch/metricAlarm:MetricAlarm',
  properties: ['actionsEnabled', 'threshold'],
};
const GIT = () => ({ name: 'Git User', email: 'git@example.com' });
const lines = (file: string) => readFileSync(file, 'utf8').split('\n').filter((l) => l !== '');

describe('appendRevertDrift: a knowing revert of out-of-band changes in the approval history', () => {
  let dir: string;
  let history: string;
  beforeEach(() => {
    // Prepare: every environment approved once (the first approval starts the chain).
    dir = tempDir('revert-drift');
    history = join(dir, 'base', 'history.jsonl');
    mkdirSync(join(dir, 'base'));
    for (const env of ['dev', 'staging', 'prod'] as const) writeSynth(join(dir, 'synth'), env);
    approveManifests({ baseline: join(dir, 'base'), current: join(dir, 'synth'), reason: 'first baselines', noPolicyCheck: true, approver: 'test', env: {} });
  });
  afterEach(() => removeDir(dir));

  it('appends a chained line naming the environment, reason, resources and the git identity; audit verify passes', () => {
    // Prepare
    const before = lines(history);

    // Act
    const record = appendRevertDrift({ history, environment: 'prod', reason: '  undo the incident hotfix ', resources: [ALARM], env: {}, git: GIT, now: () => new Date('2026-01-02T03:04:05Z') });
    const report = verifyAuditTrail({ baseline: join(dir, 'base') });

    // Assess
    const after = lines(history);
    expect(after.slice(0, before.length)).toEqual(before);
    expect(JSON.parse(after[after.length - 1])).toEqual({
      kind: 'revert-drift',
      time: '2026-01-02T03:04:05.000Z',
      environment: 'prod',
      reason: 'undo the incident hotfix',
      approver: { name: 'Git User', email: 'git@example.com', source: 'git' },
      resources: [ALARM],
      prevHash: historyLineHash(JSON.parse(before[before.length - 1])),
    });
    expect(record.prevHash).toBe(historyLineHash(JSON.parse(before[before.length - 1])));
    expect(report.problems).toEqual([]);
    expect(report.ok).toBe(true);
    // It approves nothing: the approvals and what prod owes are what they were.
    expect(readApprovalHistory(history).map((r) => r.environment)).toEqual(['dev', 'staging', 'prod']);
    expect(owedApprovals({ history }).owed).toBe(false);
  });

  it('lets the next line chain onto it, and breaks the chain when it is edited afterwards', () => {
    // Prepare
    appendRevertDrift({ history, environment: 'prod', reason: 'undo the incident hotfix', resources: [ALARM], env: {}, git: GIT });
    appendRevertDrift({ history, environment: 'dev', reason: 'second', resources: [ALARM], env: {}, git: GIT });
    expect(verifyAuditTrail({ baseline: join(dir, 'base') }).ok).toBe(true);
    const text = readFileSync(history, 'utf8');

    // Act: the reason of the first revert rewritten after the fact
    writeFileSync(history, text.replace('undo the incident hotfix', 'routine'));
    const report = verifyAuditTrail({ baseline: join(dir, 'base') });

    // Assess
    expect(report.ok).toBe(false);
    expect(report.problems.map((p) => p.message)).toEqual([expect.stringMatching(/history\.jsonl:5: prevHash does not match line 4 \(edited, removed or reordered\)$/)]);
  });

  it('records GITHUB_ACTOR as the proposer in CI, and refuses in CI without it', () => {
    // Act
    const ci = appendRevertDrift({ history, environment: 'prod', reason: 'r', resources: [ALARM], env: { CI: 'true', GITHUB_ACTOR: 'octocat' }, git: GIT });
    const nobody = () => appendRevertDrift({ history, environment: 'prod', reason: 'r', resources: [ALARM], env: { CI: 'true' }, git: GIT });

    // Assess
    expect(ci.proposer).toEqual({ name: 'octocat', source: 'ci' });
    expect(ci.approver).toBeUndefined();
    expect(nobody).toThrow(/running in CI without GITHUB_ACTOR/);
    expect(verifyAuditTrail({ baseline: join(dir, 'base') }).ok).toBe(true);
  });

  it('refuses a blank reason and an empty resource list, writing nothing', () => {
    // Prepare
    const before = readFileSync(history, 'utf8');

    // Act
    const blank = () => appendRevertDrift({ history, environment: 'prod', reason: '   ', resources: [ALARM], env: {}, git: GIT });
    const none = () => appendRevertDrift({ history, environment: 'prod', reason: 'r', resources: [], env: {}, git: GIT });

    // Assess
    expect(blank).toThrow(/--reason: is required/);
    expect(none).toThrow(/at least one drifted resource/);
    expect(readFileSync(history, 'utf8')).toBe(before);
  });

  it('refuses to read a revert-drift line without a reason or without anyone named', () => {
    // Prepare: two hand-written lines, each missing one thing
    const prevHash = historyLineHash(JSON.parse(lines(history).at(-1) as string));
    const base = { kind: 'revert-drift', time: '2026-01-02T03:04:05.000Z', environment: 'prod', resources: [ALARM], prevHash };
    const withoutReason = join(dir, 'no-reason.jsonl');
    const withoutAnyone = join(dir, 'no-one.jsonl');
    writeFileSync(withoutReason, `${readFileSync(history, 'utf8')}${JSON.stringify({ ...base, approver: { name: 'x', source: 'git' } })}\n`);
    writeFileSync(withoutAnyone, `${readFileSync(history, 'utf8')}${JSON.stringify({ ...base, reason: 'r' })}\n`);

    // Act
    const read = (file: string) => () => verifyAuditTrail({ baseline: join(dir, 'base'), history: file });

    // Assess
    expect(read(withoutReason)).toThrow(/no-reason\.jsonl:4: not a revert-drift record \(reason: Required\)/);
    expect(read(withoutAnyone)).toThrow(/no-one\.jsonl:4: not a revert-drift record \(approver: names nobody/);
  });
});
