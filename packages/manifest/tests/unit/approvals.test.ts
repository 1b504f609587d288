import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  approvalRulesSchema,
  approveManifests,
  computeRequirements,
  createConfigManifest,
  globToRegExp,
  loadApprovalRules,
  manifestToEnvironmentConfig,
  parseApprovalRules,
  pathAndParents,
  renderRequirements,
  requirementsFor,
  verifyApprovals,
  ApprovalInputError,
} from '../../src';
import type { ConfigManifest, RequirementsReport } from '../../src';
import { WORKSPACE, record, removeDir, tempDir, writeJson, writeSynth, type SynthRecordFixture } from './support';

const RULES = join(WORKSPACE, 'apps/tap-stack/approval-rules.json');
const ENVS = ['dev', 'staging', 'prod'] as const;
type Env = (typeof ENVS)[number];

/** Approved baselines (with inventories) of the unchanged synth fixtures in `<dir>/base`. */
function approveFixtures(dir: string): void {
  for (const env of ENVS) writeSynth(join(dir, 'approved'), env);
  approveManifests({ baseline: join(dir, 'base'), current: join(dir, 'approved'), reason: 'fixtures', approver: 'Test <t@example.com>', noPolicyCheck: true });
}

/** The synth in `<dir>/synth`: every environment unchanged except `env`, changed by `change`. */
function changedSynth(dir: string, env: Env, change: Parameters<typeof writeSynth>[2]): void {
  for (const other of ENVS) writeSynth(join(dir, 'synth'), other, other === env ? change : {});
}

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
    ['encryption.*', 'encryption.kmsEnabled', true],
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
    changedSynth(dir, 'prod', { config: (c) => (c.encryption.kmsEnabled = false) });

    // Act
    const report = requirements(dir);
    const markdown = renderRequirements(report, 'markdown');

    // Assess
    expect(needs(report)).toEqual(['prod-any-change: 2 x platform-leads', 'encryption: 1 x security']);
    expect(report.requirements[1].triggeredBy).toEqual(['prod: encryption.kmsEnabled true -> false']);
    expect(markdown).toMatch(/^\| 2 \| \*\*platform-leads\*\* \| `prod-any-change` \| prod \|/m);
    expect(markdown).toMatch(/^\| 1 \| \*\*security\*\* \| `encryption` \| prod \|/m);
    expect(markdown).toContain('  - `prod: encryption.kmsEnabled true -> false`');
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
        record(records, 'tap-db-cluster').inputs['skipFinalSnapshot'] = false;
      },
    });

    // Act
    const report = requirements(dir);

    // Assess
    expect(needs(report)).toEqual(['prod-any-change: 2 x platform-leads', 'encryption: 1 x security', 'deletion-and-retention: 1 x security']);
    expect(report.requirements[2].triggeredBy).toEqual(['prod: tap-db-cluster (aws:rds/cluster:Cluster) skipFinalSnapshot true -> false']);
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
    expect(needs(report)).toEqual(['prod-any-change: 2 x platform-leads']);
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
    [{ kind: 'config', environment: 'prod', path: 'encryption.kmsEnabled', change: 'changed', before: true, after: false }],
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
