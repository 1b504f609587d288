import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createConfigManifest, loadApprovalRules, manifestToEnvironmentConfig, requirementsFor, verifyApprovals, ApprovalInputError } from '../../src';
import { renderRequirements } from '../../src/approvals/render';
import { computeRequirements } from '../../src/approvals/requirements';
import { globToRegExp, parseApprovalRules, pathAndParents } from '../../src/approvals/rules';
import { approvalRulesSchema } from '../../src/approvals/schema';
import { readApprovalHistory } from '../../src/audit';
import type { ConfigManifest, RequirementsReport } from '../../src';
import { runCli } from '../../src/cli/main';
import { ENVS, WORKSPACE, approveFixtures, changedSynth, record, runCliCaptured, removeDir, tempDir, writeJson, type Env, type SynthRecordFixture } from './support';

const RULES = join(WORKSPACE, 'apps/tap-stack/approval-rules.json');

/** Moves `env`'s payment image to `newImage` (`<repository>:<tag>`) and a new digest, as a rebuild of new code does. */
function moveImage(dir: string, env: Env, newImage: (old: string) => string): void {
  const manifestFile = join(dir, 'synth', env, 'manifest.json');
  const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as ConfigManifest;
  const oldImage = manifest.configuration.docker.imageUri;
  const next = newImage(oldImage);
  const moved = createConfigManifest(manifestToEnvironmentConfig(manifest), { imageUri: next, timestamp: manifest.timestamp });
  writeJson(manifestFile, moved);
  const oldRepository = oldImage.slice(0, oldImage.lastIndexOf(':'));
  const newRepository = next.slice(0, next.lastIndexOf(':'));
  const resourcesFile = join(dir, 'synth', env, 'resources.json');
  const text = readFileSync(resourcesFile, 'utf8')
    .split(oldImage)
    .join(next)
    .split(`${oldRepository}@`)
    .join(`${newRepository}@`)
    .replace(/@sha256:[0-9a-f]{64}/g, `@sha256:${'a'.repeat(64)}`);
  writeFileSync(resourcesFile, text);
}

const requirements = (dir: string): RequirementsReport => requirementsFor({ baseline: join(dir, 'base'), current: join(dir, 'synth'), rules: RULES });
const needs = (report: RequirementsReport) => report.requirements.map((r) => `${r.rule}: ${r.approvals} x ${r.group}`);

describe('globs of the approval rules', () => {
  it.each([
    ['encryption.*', 'encryption.keyRotation', true],
    ['encryption.*', 'encryption.kms.enabled', false],
    ['encryption.**', 'encryption.kms.enabled', true],
    ['aws:rds/*', 'aws:rds/cluster:Cluster', true],
    ['aws:rds/*', 'aws:rdsx/cluster:Cluster', false],
    ['**.kmsKeyId', 'kmsKeyId', true],
    ['**.kmsKeyId', 'masterUserSecrets[0].kmsKeyId', true],
    ['**.kmsKeyId', 'masterKmsKeyId', false],
    ['{aws:kms/key:Key,aws:sns/*}', 'aws:sns/topic:Topic', true],
    ['{aws:kms/key:Key,aws:sns/*}', 'aws:sqs/queue:Queue', false],
    ['environment.variables.*SECRET*', 'environment.variables.DB_SECRET_ARN', true],
    ['ingress[0]', 'ingress[0]', true],
    ['ingress[0]', 'ingress0', false],
  ])('%s against %s: %s', (glob, input, expected) => {
    // Act + Assess
    expect(globToRegExp(glob).test(input)).toBe(expected);
  });

  it('splits a path into itself and its parents, keeping quoted keys whole', () => {
    // Act + Assess
    expect(pathAndParents('policy.Statement[0].Action')).toEqual(['policy', 'policy.Statement', 'policy.Statement[0]', 'policy.Statement[0].Action']);
    expect(pathAndParents('tags["team.name"]')).toEqual(['tags', 'tags["team.name"]']);
    expect(pathAndParents('memorySize')).toEqual(['memorySize']);
  });
});

describe('the shipped rules file', () => {
  it('is valid, declares the fintech groups, and its published JSON schema has the same fields as the code', () => {
    // Act
    const rules = loadApprovalRules(RULES);
    const schema = JSON.parse(readFileSync(join(WORKSPACE, 'apps/tap-stack/approval-rules.schema.json'), 'utf8'));

    // Assess
    expect(Object.keys(rules.groups).sort()).toEqual(['cost-owners', 'platform-leads', 'security']);
    expect(rules.rules.find((r) => r.id === 'prod-any-change')).toMatchObject({ environments: ['prod'], group: 'platform-leads', approvals: 2 });
    const inner = approvalRulesSchema._def.schema;
    expect(Object.keys(schema.properties).sort()).toEqual(Object.keys(inner.shape).sort());
    expect(Object.keys(schema.properties.rules.items.properties).sort()).toEqual(Object.keys(inner.shape.rules.element.shape).sort());
  });
});

/** The rules file as plain JSON, for tests that break it. */
interface EditableRules {
  version: number;
  rules: Array<Record<string, unknown>>;
}

describe('bad rules files: one line naming the file', () => {
  const valid = (): EditableRules => JSON.parse(readFileSync(RULES, 'utf8'));
  it.each([
    ['an unknown group', (f: EditableRules) => (f.rules[0].group = 'platform-lead'), /rules\.0\.group: unknown group "platform-lead" \(declared: platform-leads, security, cost-owners\)/],
    ['a duplicate id', (f: EditableRules) => (f.rules[1].id = f.rules[0].id), /duplicate id "prod-any-change"/],
    ['no reason', (f: EditableRules) => (f.rules[2].reason = ' '), /rules\.2\.reason: is required/],
    ['zero approvals', (f: EditableRules) => (f.rules[0].approvals = 0), /rules\.0\.approvals: Number must be greater than or equal to 1/],
    ['an unknown key', (f: EditableRules) => (f.rules[0].approver = 'x'), /rules\.0: Unrecognized key\(s\) in object: 'approver'/],
    ['an empty match', (f: EditableRules) => (f.rules[0].match = {}), /rules\.0\.match: must list at least one config glob or resource selector/],
    ['an unknown environment', (f: EditableRules) => (f.rules[0].environments = ['production']), /rules\.0\.environments\.0: Invalid enum value/],
    ['an unknown version', (f: EditableRules) => (f.version = 2), /version: Invalid literal value, expected 1/],
  ])('%s', (_what, edit, message) => {
    // Prepare
    const file = valid();
    edit(file);

    // Act + Assess
    expect(() => parseApprovalRules(file, 'rules.json')).toThrow(ApprovalInputError);
    expect(() => parseApprovalRules(file, 'rules.json')).toThrow(message);
    expect(() => parseApprovalRules(file, 'rules.json')).toThrow(/^rules\.json: not a valid approval rules file: /);
  });
});

describe('requirements from the drift gate\'s check (configuration and resources)', () => {
  let dir: string;
  beforeAll(() => {
    dir = tempDir('approvals');
    approveFixtures(dir);
  });
  afterAll(() => removeDir(dir));
  beforeEach(() => removeDir(join(dir, 'synth')));

  it('nothing changed: nothing required', () => {
    // Prepare
    changedSynth(dir, 'prod', {});

    // Act
    const report = requirements(dir);

    // Assess
    expect(report).toMatchObject({ changedEnvironments: [], changeCount: 0, requirements: [], exempt: [], unmatched: [] });
    expect(renderRequirements(report, 'markdown')).toContain('**No approval required** beyond code review.');
  });

  it('a prod encryption setting needs two platform leads and security, named in the Markdown with the path', () => {
    // Prepare
    changedSynth(dir, 'prod', { config: (c) => (c.encryption.keyRotation = false) });

    // Act
    const report = requirements(dir);
    const markdown = renderRequirements(report, 'markdown');

    // Assess
    expect(needs(report)).toEqual(['prod-any-change: 2 x platform-leads', 'encryption: 1 x security']);
    expect(report.requirements[1].triggeredBy).toEqual(['prod: encryption.keyRotation true -> false']);
    expect(markdown).toMatch(/^\| 2 \| \*\*platform-leads\*\* \| `prod-any-change` \| prod \|/m);
    expect(markdown).toMatch(/^\| 1 \| \*\*security\*\* \| `encryption` \| prod \|/m);
    expect(markdown).toContain('  - `prod: encryption.keyRotation true -> false`');
  });

  it('a KMS key property in prod (resources only, no configuration path) needs security too', () => {
    // Prepare
    changedSynth(dir, 'prod', { records: (records) => (record(records, 'tap-key').inputs['enableKeyRotation'] = false) });

    // Act
    const report = requirements(dir);

    // Assess
    expect(needs(report)).toEqual(['prod-any-change: 2 x platform-leads', 'encryption: 1 x security']);
    expect(report.requirements[1].triggeredBy).toEqual(['prod: tap-key (aws:kms/key:Key) enableKeyRotation true -> false']);
  });

  it('storage encryption of the prod cluster, and its deletion protection, need security through two rules', () => {
    // Prepare
    changedSynth(dir, 'prod', {
      records: (records) => {
        record(records, 'tap-db-cluster').inputs['storageEncrypted'] = false;
        // Prod's cluster keeps a final snapshot on delete; skipping it loses the data.
        record(records, 'tap-db-cluster').inputs['skipFinalSnapshot'] = true;
      },
    });

    // Act
    const report = requirements(dir);

    // Assess
    expect(needs(report)).toEqual(['prod-any-change: 2 x platform-leads', 'encryption: 1 x security', 'deletion-and-retention: 1 x security']);
    expect(report.requirements[2].triggeredBy).toEqual(['prod: tap-db-cluster (aws:rds/cluster:Cluster) skipFinalSnapshot false -> true']);
  });

  it('a widened IAM policy in dev needs security, each changed statement named (added, removed, old -> new)', () => {
    // Prepare
    changedSynth(dir, 'dev', {
      records: (records) =>
        (record(records, 'tap-payments-role-policy').inputs['policy'] = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] })),
    });

    // Act
    const report = requirements(dir);

    // Assess
    expect(needs(report)).toEqual(['iam: 1 x security']);
    expect(report.requirements[0].triggeredBy).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^dev: tap-payments-role-policy \(aws:iam\/rolePolicy:RolePolicy\) policy\.Statement\[0\]\.Action \[.*\] -> \*$/),
        'dev: tap-payments-role-policy (aws:iam/rolePolicy:RolePolicy) policy.Statement[0].Sid (removed)',
        'dev: tap-payments-role-policy (aws:iam/rolePolicy:RolePolicy) policy.Statement[1] (removed)',
      ]),
    );
  });

  it('prod sizing needs the cost owners and the platform leads, but not security', () => {
    // Prepare
    changedSynth(dir, 'prod', {
      config: (c) => (c.lambda.memoryMb = 3008),
      records: (records) => (record(records, 'tap-payments-function').inputs['memorySize'] = 3008),
    });

    // Act
    const report = requirements(dir);

    // Assess
    expect(needs(report)).toEqual(['prod-any-change: 2 x platform-leads', 'prod-sizing: 1 x cost-owners']);
    expect(report.requirements[1].triggeredBy).toEqual([
      'prod: lambda.memory 4096 -> 3008',
      'prod: tap-payments-function (aws:lambda/function:Function) memorySize 4096 -> 3008',
    ]);
  });

  it('the same sizing change in dev needs no approval beyond code review, and says so', () => {
    // Prepare
    changedSynth(dir, 'dev', { config: (c) => (c.lambda.memoryMb = 2048), records: (records) => (record(records, 'tap-payments-function').inputs['memorySize'] = 2048) });

    // Act
    const report = requirements(dir);

    // Assess
    expect(report.requirements).toEqual([]);
    expect(report.changedEnvironments).toEqual(['dev']);
    expect(report.unmatched).toHaveLength(2);
    expect(renderRequirements(report, 'text')).toContain('none beyond code review');
  });

  it('opening network access in dev needs security (every environment is a template for prod)', () => {
    // Prepare
    changedSynth(dir, 'dev', {
      records: (records: SynthRecordFixture[]) => (record(records, 'tap-secrets-rotation-egress-https').inputs['cidrIpv4'] = '0.0.0.0/0'),
    });

    // Act
    const report = requirements(dir);

    // Assess
    expect(needs(report)).toEqual(['network-exposure: 1 x security']);
    expect(report.requirements[0].triggeredBy[0]).toMatch(/^dev: tap-secrets-rotation-egress-https \(aws:vpc\/securityGroupEgressRule:SecurityGroupEgressRule\) cidrIpv4 10\..* -> 0\.0\.0\.0\/0$/);
  });

  it('a new build of the payment image in prod (tag and digest move, same repository) needs only code review', () => {
    // Prepare
    changedSynth(dir, 'prod', {});
    moveImage(dir, 'prod', (old) => `${old.slice(0, old.lastIndexOf(':'))}:0123456789abcdef`);

    // Act
    const report = requirements(dir);

    // Assess
    expect(report.requirements).toEqual([]);
    expect(report.changeCount).toBeGreaterThanOrEqual(2);
    expect(report.exempt.map((e) => e.change)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^prod: docker\.imageUri .*:457fa5c7cdb37d64 -> .*:0123456789abcdef$/), expect.stringMatching(/^prod: tap-payments-image \(docker:index\/image:Image\) imageName/)]),
    );
    expect(report.exempt.every((e) => e.exemption === 'payment-image-content')).toBe(true);
  });

  it('the image from another repository is not exempt: the prod rule applies', () => {
    // Prepare
    changedSynth(dir, 'prod', {});
    moveImage(dir, 'prod', (old) => old.replace('payment-processor-prod-001', 'someone-else').replace(/:[^:/]+$/, ':0123456789abcdef'));

    // Act
    const report = requirements(dir);

    // Assess
    expect(report.exempt).toEqual([]);
    // Code from another repository is also image-source: what runs is not what this build pushes to its own one.
    expect(needs(report)).toEqual(['prod-any-change: 2 x platform-leads', 'image-source: 1 x security']);
    expect(report.requirements[0].triggeredBy).toEqual(expect.arrayContaining([expect.stringMatching(/^prod: docker\.imageUri .*someone-else:0123456789abcdef$/)]));
  });

  it('removing a prod database instance needs platform leads, security (data) and cost owners', () => {
    // Prepare
    changedSynth(dir, 'prod', {
      config: (c) => (c.database.instanceCount = 1),
      records: (records) => records.splice(records.indexOf(record(records, 'tap-db-instance-1')), 1),
    });

    // Act
    const report = requirements(dir);

    // Assess
    expect(needs(report)).toEqual(['prod-any-change: 2 x platform-leads', 'deletion-and-retention: 1 x security', 'prod-sizing: 1 x cost-owners']);
    expect(report.requirements[1].triggeredBy).toEqual(['prod: tap-db-instance-1 (aws:rds/clusterInstance:ClusterInstance) (removed)']);
  });

  it('refuses to answer from half the change: a baseline without resource inventories is an error', () => {
    // Prepare
    changedSynth(dir, 'prod', {});
    const old = join(dir, 'old-base');
    for (const env of ENVS) writeJson(join(old, `${env}.json`), JSON.parse(readFileSync(join(dir, 'base', `${env}.json`), 'utf8')));

    // Act + Assess
    expect(() => requirementsFor({ baseline: old, current: join(dir, 'synth'), rules: RULES })).toThrow(
      /cannot tell what changed, so not which approvals it needs: .*has no resource inventory/,
    );
    removeDir(old);
  });
});

describe('verifyApprovals', () => {
  const report = computeRequirements(
    [{ kind: 'config', environment: 'prod', path: 'encryption.keyRotation', change: 'changed', before: true, after: false }],
    loadApprovalRules(RULES),
    RULES,
  );

  it('is met with two platform leads and one security approver', () => {
    // Act
    const result = verifyApprovals(report, [
      { approver: 'alice', groups: ['platform-leads'] },
      { approver: 'bob', groups: ['platform-leads', 'cost-owners'] },
      { approver: 'sam', groups: ['security'] },
    ]);

    // Assess
    expect(result.met).toBe(true);
    expect(result.requirements.map((r) => [r.rule, r.approvedBy, r.missing])).toEqual([
      ['prod-any-change', ['alice', 'bob'], 0],
      ['encryption', ['sam'], 0],
    ]);
  });

  it('one platform lead too few is missing one, however often that lead appears', () => {
    // Act
    const result = verifyApprovals(report, [
      { approver: 'alice', groups: ['platform-leads'] },
      { approver: 'ALICE', groups: ['platform-leads'] },
      { approver: 'sam', groups: ['security'] },
    ]);

    // Assess
    expect(result.met).toBe(false);
    expect(result.requirements[0]).toMatchObject({ rule: 'prod-any-change', met: false, missing: 1, approvedBy: ['alice'] });
    expect(result.requirements[1]).toMatchObject({ rule: 'encryption', met: true });
  });

  it('no requirements: met with no approvals at all', () => {
    // Act + Assess
    expect(verifyApprovals({ requirements: [] }, []).met).toBe(true);
  });
});

describe('tap-drift requirements and verify-approvals', () => {
  let dir: string;
  beforeAll(() => {
    dir = tempDir('approvals-cli');
    approveFixtures(dir);
    changedSynth(dir, 'prod', { config: (c) => (c.encryption.keyRotation = false) });
  });
  afterAll(() => removeDir(dir));

  const cli = (...args: string[]) => runCliCaptured(args);
  const source = () => ['--baseline', join(dir, 'base'), '--current', join(dir, 'synth'), '--rules', RULES];
  const given = (name: string, value: unknown) => writeJson(join(dir, name), value);

  it('requirements: the Markdown names security and the platform leads for a prod encryption change; --out keeps the JSON', () => {
    // Act
    const run = cli('requirements', ...source(), '--format', 'markdown', '--out', join(dir, 'out', 'requirements.json'));

    // Assess
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain('| 2 | **platform-leads** | `prod-any-change` | prod |');
    expect(run.stdout).toContain('| 1 | **security** | `encryption` | prod |');
    expect(JSON.parse(readFileSync(join(dir, 'out', 'requirements.json'), 'utf8')).requirements).toHaveLength(2);
  });

  it('verify-approvals: one platform lead too few exits 1 and names what is missing', () => {
    // Prepare
    const file = given('one-short.json', [
      { approver: 'alice', groups: ['platform-leads'] },
      { approver: 'sam', groups: ['security'] },
    ]);

    // Act
    const run = cli('verify-approvals', '--given', file, ...source());

    // Assess
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('approvals: 1 of 2 approval requirement(s) not met');
    expect(run.stdout).toContain('MISSING 1 of 2 approvals from platform-leads [prod-any-change] (so far: alice)');
    expect(run.stdout).toContain('met: 1 approval from security [encryption], by sam');
    expect(run.stderr).toBe('tap-drift: missing 1 approval(s) from platform-leads (prod-any-change: 2 required, 1 given)\n');
  });

  it('verify-approvals: every requirement met exits 0, also from the saved requirements JSON', () => {
    // Prepare
    const file = given('enough.json', [
      { approver: 'alice', groups: ['platform-leads'] },
      { approver: 'bob', groups: ['platform-leads'] },
      { approver: 'sam', groups: ['security'] },
    ]);
    cli('requirements', ...source(), '--format', 'json', '--out', join(dir, 'saved.json'));

    // Act
    const computed = cli('verify-approvals', '--given', file, ...source(), '--format', 'markdown');
    const saved = cli('verify-approvals', '--given', file, '--requirements', join(dir, 'saved.json'));

    // Assess
    expect(computed.code).toBe(0);
    expect(computed.stdout).toContain('**Approvals: all 2 approval requirement(s) met.**');
    expect(saved.code).toBe(0);
    expect(saved.stderr).toBe('');
  });

  it.each([
    ['a given file that is not a list', () => ['--given', given('object.json', { approver: 'alice' })], /^tap-drift: .*object\.json: not a list of approvals: \(root\): Expected array/],
    ['an approval without groups', () => ['--given', given('nogroups.json', [{ approver: 'alice' }])], /^tap-drift: .*nogroups\.json: not a list of approvals: 0\.groups: Required/],
    ['a missing given file', () => ['--given', join(dir, 'nope.json')], /^tap-drift: .*nope\.json: given approvals file not found/],
    ['given JSON that does not parse', () => ['--given', (writeFileSync(join(dir, 'bad.json'), '[{'), join(dir, 'bad.json'))], /^tap-drift: .*bad\.json: given approvals file is not valid JSON/],
  ])('verify-approvals refuses %s: exit 2, one line', (_what, args, message) => {
    // Act
    const run = cli('verify-approvals', ...args(), ...source());

    // Assess
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(message);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
  });

  it.each([
    ['no source of requirements', () => ['--given', given('empty.json', [])], /^tap-drift: --baseline, --current, --rules: required \(or --requirements <file>/],
    ['both a report and manifests', () => ['--given', given('empty.json', []), '--requirements', join(dir, 'saved.json'), ...source()], /^tap-drift: --requirements: contradicts --baseline\/--current/],
    ['a requirements file that is no report', () => ['--given', given('empty.json', []), '--requirements', given('notreport.json', { rules: [] })], /^tap-drift: .*notreport\.json: not a requirements report/],
  ])('verify-approvals refuses %s: exit 2', (_what, args, message) => {
    // Act
    const run = cli('verify-approvals', ...args());

    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
  });

  it('requirements refuses a bad rules file with one line naming it (exit 2)', () => {
    // Prepare
    const rules = writeJson(join(dir, 'rules.json'), { version: 1, groups: {}, rules: [{ id: 'x', match: { config: ['**'] }, group: 'security', approvals: 1, reason: 'r' }] });
    writeFileSync(join(dir, 'broken.json'), '{ "version": 1,');

    // Act
    const unknownGroup = cli('requirements', '--baseline', join(dir, 'base'), '--current', join(dir, 'synth'), '--rules', rules);
    const broken = cli('requirements', '--baseline', join(dir, 'base'), '--current', join(dir, 'synth'), '--rules', join(dir, 'broken.json'));

    // Assess
    expect(unknownGroup.code).toBe(2);
    expect(unknownGroup.stderr).toMatch(/^tap-drift: .*rules\.json: not a valid approval rules file: rules\.0\.group: unknown group "security" \(declared: none\)/);
    expect(unknownGroup.stderr.trim().split('\n')).toHaveLength(1);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(/^tap-drift: .*broken\.json: approval rules file is not valid JSON/);
  });
});

describe('tap-drift approve --rules --approvals: the history records which requirements were met, and by whom', () => {
  let dir: string;
  beforeEach(() => {
    dir = tempDir('approvals-approve');
    approveFixtures(dir);
    changedSynth(dir, 'prod', { config: (c) => (c.encryption.keyRotation = false) });
  });
  afterEach(() => removeDir(dir));

  const approve = (...extra: string[]) => {
    let stderr = '';
    const code = runCli(
      ['approve', '--baseline', join(dir, 'base'), '--current', join(dir, 'synth'), '--reason', 'KMS off in prod (CHG-1)', '--approver', 'ci', '--no-policy-check', ...extra],
      { out: () => undefined, err: (t) => (stderr += t), env: {} },
    );
    return { code, stderr };
  };
  const lastLine = () => JSON.parse(readFileSync(join(dir, 'base', 'history.jsonl'), 'utf8').trim().split('\n').pop() as string);
  const prodHash = () => JSON.parse(readFileSync(join(dir, 'base', 'prod.json'), 'utf8')).configHash;

  it('records each requirement of the environment with its approvers', () => {
    // Prepare
    const given = writeJson(join(dir, 'given.json'), [
      { approver: 'alice', groups: ['platform-leads'] },
      { approver: 'sam', groups: ['security'] },
    ]);

    // Act
    const run = approve('--rules', RULES, '--approvals', given);

    // Assess
    expect(run.code).toBe(0);
    expect(lastLine()).toMatchObject({
      environment: 'prod',
      approvals: {
        rules: RULES,
        given,
        requirements: [
          { rule: 'prod-any-change', group: 'platform-leads', approvals: 2, approvedBy: ['alice'], met: false },
          { rule: 'encryption', group: 'security', approvals: 1, approvedBy: ['sam'], met: true },
        ],
      },
    });
    expect(readApprovalHistory(join(dir, 'base', 'history.jsonl')).at(-1)?.approvals?.requirements).toHaveLength(2);
  });

  it('without --approvals records the requirements as not met yet', () => {
    // Act
    const run = approve('--rules', RULES);

    // Assess
    expect(run.code).toBe(0);
    expect(lastLine().approvals).toEqual({
      rules: RULES,
      requirements: [
        { rule: 'prod-any-change', group: 'platform-leads', approvals: 2, approvedBy: [], met: false },
        { rule: 'encryption', group: 'security', approvals: 1, approvedBy: [], met: false },
      ],
    });
  });

  it.each([
    ['--approvals without --rules', () => ['--approvals', writeJson(join(dir, 'g.json'), [])], /^tap-drift: --approvals: needs --rules/],
    ['a bad rules file', () => ['--rules', writeJson(join(dir, 'r.json'), { version: 1 })], /^tap-drift: .*r\.json: not a valid approval rules file/],
    ['a bad approvals file', () => ['--rules', RULES, '--approvals', writeJson(join(dir, 'g.json'), [{ who: 'x' }])], /^tap-drift: .*g\.json: not a list of approvals/],
  ])('refuses %s: exit 2, nothing written', (_what, extra, message) => {
    // Prepare
    const before = prodHash();

    // Act
    const run = approve(...extra());

    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(prodHash()).toBe(before);
    expect(readFileSync(join(dir, 'base', 'history.jsonl'), 'utf8').trim().split('\n')).toHaveLength(3);
    expect(existsSync(join(dir, 'base', 'prod.json'))).toBe(true);
  });
});
