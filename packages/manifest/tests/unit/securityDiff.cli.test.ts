import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RequirementsReport, SecurityReport } from '../../src';
import { WORKSPACE, approveFixtures, changedSynth, record, removeDir, runCliCaptured, tempDir, type SynthRecordFixture } from './support';

const RULES = join(WORKSPACE, 'apps/tap-stack/approval-rules.json');

/** Changes the JSON-string policy of the synth record `name` (the synth keeps policies as strings). */
function editPolicy(records: SynthRecordFixture[], name: string, edit: (policy: { Statement: Array<Record<string, unknown>> }) => void): void {
  const inputs = record(records, name).inputs as { policy: string };
  const policy = JSON.parse(inputs.policy) as { Statement: Array<Record<string, unknown>> };
  edit(policy);
  inputs.policy = JSON.stringify(policy);
}

/** A new principal may decrypt with the database key: a key policy statement. */
const decryptForReporting = (records: SynthRecordFixture[]): void =>
  editPolicy(records, 'tap-key', (policy) => {
    policy.Statement.push({ Sid: 'Reporting', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::123456789012:role/reporting' }, Action: 'kms:Decrypt', Resource: '*' });
  });

/** The payment function's role can no longer DescribeSecret: an IAM change that only removes an action. */
const dropDescribeSecret = (records: SynthRecordFixture[]): void =>
  editPolicy(records, 'tap-payments-role-policy', (policy) => {
    const read = policy.Statement.find((s) => s.Sid === 'ReadDatabaseSecret') as { Action: string[] };
    read.Action = read.Action.filter((action) => action !== 'secretsmanager:DescribeSecret');
  });

describe('tap-drift security-diff and the rules with "when": "broadening", end to end', () => {
  const dir = tempDir('tap-security-');
  const base = join(dir, 'base');
  const synth = join(dir, 'synth');
  const requirements = (): RequirementsReport => {
    const run = runCliCaptured(['requirements', '--baseline', base, '--current', synth, '--rules', RULES, '--format', 'json']);
    expect(run.code).toBe(0);
    return JSON.parse(run.stdout) as RequirementsReport;
  };
  const securityDiff = (...extra: string[]) => runCliCaptured(['security-diff', '--baseline', base, '--current', synth, ...extra]);

  beforeAll(() => approveFixtures(dir));
  afterAll(() => removeDir(dir));
  beforeEach(() => removeDir(synth));

  it('reports kms:Decrypt for a new principal on the database key as broadening (exit 1), and it needs security', () => {
    // Prepare
    changedSynth(dir, 'dev', { records: decryptForReporting });

    // Act
    const run = securityDiff('--environment', 'dev', '--json');
    const report = requirements();

    // Assess
    expect(run.code).toBe(1);
    const security = JSON.parse(run.stdout) as SecurityReport;
    expect(security.broadening).toBe(true);
    expect(security.environments[0].diff.rows).toEqual([
      expect.objectContaining({ change: '+', classification: 'broadening', kind: 'statement', scope: 'key tap-key', principals: ['AWS:arn:aws:iam::123456789012:role/reporting'], actions: ['kms:decrypt'] }),
    ]);
    expect(report.requirements).toEqual(expect.arrayContaining([expect.objectContaining({ rule: 'iam', group: 'security', environments: ['dev'] })]));
  });

  it('lets an IAM change in dev that only removes an action pass with code review only (exit 1: a security change, narrowing)', () => {
    // Prepare
    changedSynth(dir, 'dev', { records: dropDescribeSecret });

    // Act
    const run = securityDiff('--format', 'markdown');
    const report = requirements();

    // Assess
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/### Security diff: narrowing only/);
    expect(run.stdout).toMatch(/\| `-` \| narrowing \| `tap-payments-role-policy \(RolePolicy\)` .*secretsmanager:describesecret/);
    expect(run.stdout).not.toMatch(/\*\*broadening\*\*/);
    expect(report.requirements).toEqual([]);
    expect(report.unmatched.join('\n')).toMatch(/dev: tap-payments-role-policy \(aws:iam\/rolePolicy:RolePolicy\) policy\.Statement/);
  });

  it('still asks security for the same narrowing in prod', () => {
    // Prepare
    changedSynth(dir, 'prod', { records: dropDescribeSecret });

    // Act
    const report = requirements();

    // Assess
    expect(report.requirements.map((r) => `${r.rule}: ${r.group}`)).toEqual(['prod-any-change: platform-leads', 'iam-prod: security']);
  });

  it('exits 0 with no security change, even when other resources changed', () => {
    // Prepare
    changedSynth(dir, 'dev', { records: (records) => (record(records, 'tap-payments').inputs['memorySize'] = 4096) });

    // Act
    const run = securityDiff();

    // Assess
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toMatch(/^no security change: dev unchanged, staging unchanged, prod unchanged/m);
  });

  it('cannot judge (exit 2, one line) a synth without its resource inventory', () => {
    // Prepare
    changedSynth(dir, 'dev', {});
    rmSync(join(synth, 'staging', 'resources.json'));

    // Act
    const run = securityDiff();

    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^tap-drift: .*staging[/\\]manifest\.json: no resources\.json beside it, so staging's grants cannot be judged; synthesize again/);
  });

  it('refuses contradicting output options and an unknown environment as usage errors (exit 2)', () => {
    // Prepare
    changedSynth(dir, 'dev', {});

    // Act
    const both = securityDiff('--json', '--format', 'markdown');
    const unknown = securityDiff('--environment', 'qa');

    // Assess
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/^tap-drift: .*--json.*cannot be used with.*--format/);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^tap-drift: .*qa.*Allowed choices are dev, staging, prod/);
  });

  it("adds the security section to check's drift report", () => {
    // Prepare
    changedSynth(dir, 'dev', { records: decryptForReporting });

    // Act
    const run = runCliCaptured(['check', '--baseline', base, '--current', synth, '--format', 'markdown']);

    // Assess
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/### tap-drift check[\s\S]*### Security diff: broadening\n\n#### dev\n\n\*\*broadening\*\*/);
  });

  it('refuses a misspelt "when" in the rules file (exit 2, one line naming the file)', () => {
    // Prepare
    changedSynth(dir, 'dev', {});
    const rules = JSON.parse(readFileSync(RULES, 'utf8')) as { rules: Array<Record<string, unknown>> };
    (rules.rules.find((r) => r.id === 'iam') as Record<string, unknown>).when = 'broadenning';
    const file = join(dir, 'rules.json');
    writeFileSync(file, JSON.stringify(rules));

    // Act
    const run = runCliCaptured(['requirements', '--baseline', base, '--current', synth, '--rules', file]);

    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/rules\.json: not a valid approval rules file: rules\.\d+\.when: Invalid enum value\. Expected 'any' \| 'broadening', received 'broadenning'/);
  });
});
