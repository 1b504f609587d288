import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LiveDriftError, compareDeployed, type LoadedManifest } from '../../src';
import { applyIgnoreRules, loadIgnoreRules, parseIgnoreRules } from '../../src/live/ignore';
import { parseRefreshPreview, propertyPathSegments } from '../../src/live/refresh';
import { buildLiveReport } from '../../src/live/report';
import { type IgnoreRule, type RefreshPreview } from '../../src/live/types';
import { renderLive } from '../../src/render';
import { WORKSPACE, manifestFor, removeDir, tempDir } from './support';

const FIXTURES = join(__dirname, '..', 'fixtures', 'refresh');
const fixture = (name: string): unknown => JSON.parse(readFileSync(join(FIXTURES, `${name}.json`), 'utf8'));
const ALARM = 'aws:cloudwatch/metricAlarm:MetricAlarm';
const CLUSTER = 'aws:rds/cluster:Cluster';
const AURORA_RULES: IgnoreRule[] = [{ type: CLUSTER, name: '*', property: 'engineVersion*', reason: 'Aurora minor-version upgrade' }];

function codeManifest(change?: Parameters<typeof manifestFor>[1]): LoadedManifest {
  return { file: 'synth/dev/manifest.json', manifest: manifestFor('dev', change) };
}

describe('parseRefreshPreview', () => {
  it('turns update steps into changed resources with old -> new per detailedDiff path, and skips same/refresh', () => {
    // Act
    const preview = parseRefreshPreview(fixture('update'));
    // Assess
    expect(preview.resources.map((r) => [r.type, r.name, r.kind, r.op])).toEqual([
      [CLUSTER, 'tap-dev-cluster', 'changed', 'update'],
      [ALARM, 'tap-dev-lambda-errors', 'changed', 'update'],
    ]);
    expect(preview.resources[1].properties).toEqual([
      { path: 'alarmActions[0]', kind: 'delete', old: 'arn:aws:sns:us-east-2:111122223333:alerts-dev-001', new: undefined },
      { path: 'tags.Owner', kind: 'add', old: undefined, new: 'alice' },
      { path: 'threshold', kind: 'update', old: 10, new: 50 },
    ]);
    expect(preview.errors).toEqual([]);
  });

  it('carries warnings (colour markup removed) and drops info diagnostics', () => {
    // Act
    const preview = parseRefreshPreview(fixture('update'));
    // Assess
    expect(preview.warnings).toEqual(['tap-dev-cluster: engine version 15.4 is deprecated']);
  });

  it.each([
    ['delete', 'missing', 'delete', 'tap-dev-fn-logs'],
    ['create', 'unmanaged', 'create', 'manual-ssh'],
    ['replace', 'replaced', 'create-replacement+replace+delete-replaced', 'tap-dev-subnets'],
    ['unknown-op', 'unknown', 'discard', 'tap-dev-alerts'],
  ])('reads the %s fixture as one %s resource', (name, kind, op, resourceName) => {
    // Act
    const preview = parseRefreshPreview(fixture(name));
    // Assess
    expect(preview.resources).toHaveLength(1);
    expect(preview.resources[0]).toMatchObject({ kind, op, name: resourceName });
  });

  it('keeps the replaced property once with its values', () => {
    // Act
    const [subnets] = parseRefreshPreview(fixture('replace')).resources;
    // Assess
    expect(subnets.properties).toEqual([{ path: 'name', kind: 'update-replace', old: 'subnets-dev-001', new: 'subnets-dev-002' }]);
  });

  it.each(['empty', 'no-steps'])('reads the %s preview as no drift and no error', (name) => {
    // Act
    const preview = parseRefreshPreview(fixture(name));
    // Assess
    expect(preview).toEqual({ resources: [], warnings: [], errors: [] });
  });

  it('collects error diagnostics as errors', () => {
    // Act
    const preview = parseRefreshPreview(fixture('error'));
    // Assess
    expect(preview.errors).toEqual([
      'TapStack-dev: failed to refresh: operation error STS: GetCallerIdentity, https response error StatusCode: 403, ExpiredToken',
      'preview failed',
    ]);
  });

  it('never shows a secret: [secret] text and Pulumi secret sigils, also below a secret on the path', () => {
    // Act
    const preview = parseRefreshPreview(fixture('secret'));
    const text = JSON.stringify(preview);
    // Assess
    expect(preview.resources[0].properties).toEqual([
      { path: 'nested.token', kind: 'add', old: undefined, new: '[secret]' },
      { path: 'secretString', kind: 'update', old: '[secret]', new: '[secret]' },
      // A rotation label moved: listed, as a change Secrets Manager makes by design.
      { path: 'versionStages[0]', kind: 'update', old: 'AWSCURRENT', new: 'AWSPREVIOUS', ignored: { builtin: 'secretsmanager-rotation-stages', reason: expect.any(String) } },
    ]);
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain('s3cr3t-token');
  });

  it.each([
    ['an array', []],
    ['steps that are not a list', { steps: 'update' }],
    ['a step without urn', { steps: [{ op: 'update' }] }],
  ])('refuses %s with one line', (_, document) => {
    // Act
    const act = () => parseRefreshPreview(document, 'refresh.json');
    // Assess
    expect(act).toThrow(LiveDriftError);
    expect(act).toThrow(/^refresh\.json: not the JSON of "pulumi refresh --preview-only --json": [^\n]+$/);
  });

  it('splits Pulumi property paths, quoted keys included', () => {
    // Act
    const segments = propertyPathSegments('tags["team.name"].list[12].x');
    // Assess
    expect(segments).toEqual(['tags', 'team.name', 'list', 12, 'x']);
  });
});

describe('ignore rules', () => {
  let dir: string;
  beforeEach(() => (dir = tempDir('live-ignore')));
  afterEach(() => removeDir(dir));

  it('marks the Aurora engine version drift as ignored with its reason and keeps it in the report', () => {
    // Act
    const preview = applyIgnoreRules(parseRefreshPreview(fixture('update')), AURORA_RULES);
    const cluster = preview.resources.find((r) => r.type === CLUSTER);
    // Assess
    expect(preview.resources).toHaveLength(2);
    expect(cluster?.ignored).toEqual({ rule: 0, reason: 'Aurora minor-version upgrade' });
    expect(cluster?.properties.every((p) => p.ignored?.reason === 'Aurora minor-version upgrade')).toBe(true);
    expect(preview.resources.find((r) => r.type === ALARM)?.ignored).toBeUndefined();
  });

  it('ignores only the matching property: the resource still drifts when another property changed', () => {
    // Prepare
    const rules: IgnoreRule[] = [{ type: 'aws:cloudwatch/*', name: 'tap-*', property: 'tags.*', reason: 'tags managed by the org' }];
    // Act
    const alarm = applyIgnoreRules(parseRefreshPreview(fixture('update')), rules).resources.find((r) => r.type === ALARM);
    // Assess
    expect(alarm?.ignored).toBeUndefined();
    expect(alarm?.properties.filter((p) => p.ignored).map((p) => p.path)).toEqual(['tags.Owner']);
  });

  it('ignores a whole resource with a rule without property, whatever happened to it', () => {
    // Prepare
    const rules: IgnoreRule[] = [{ type: '*', name: 'tap-dev-fn-logs', reason: 'recreated by the function on first log' }];
    // Act
    const [logs] = applyIgnoreRules(parseRefreshPreview(fixture('delete')), rules).resources;
    // Assess
    expect(logs.kind).toBe('missing');
    expect(logs.ignored?.reason).toBe('recreated by the function on first log');
  });

  it.each([
    ['alarmActions[0]', ['alarmActions[0]']],
    ['alarmActions[*]', ['alarmActions[0]', 'alarmActions[1]']],
    ['alarmActions[1]', ['alarmActions[1]']],
  ])('reads brackets in %s as array indices, not a character class', (property, expected) => {
    // Prepare
    const preview: RefreshPreview = {
      resources: [
        {
          urn: 'u1',
          type: ALARM,
          name: 'tap-dev-alarm',
          kind: 'changed',
          op: 'update',
          properties: ['alarmActions[0]', 'alarmActions[1]', 'alarmActions0', 'alarmActions1'].map((path) => ({ path, kind: 'update' as const, old: 'a', new: 'b' })),
        },
      ],
      warnings: [],
      errors: [],
    };
    // Act
    const [alarm] = applyIgnoreRules(preview, [{ type: ALARM, name: '*', property, reason: 'managed elsewhere' }]).resources;
    // Assess
    expect(alarm.properties.filter((p) => p.ignored).map((p) => p.path)).toEqual(expected);
  });

  it('does not let a property rule hide a deleted resource', () => {
    // Prepare
    const rules: IgnoreRule[] = [{ type: '*', name: '*', property: '*', reason: 'too broad' }];
    // Act
    const [logs] = applyIgnoreRules(parseRefreshPreview(fixture('delete')), rules).resources;
    // Assess
    expect(logs.ignored).toBeUndefined();
  });

  it('loads the checked-in tap-stack rules, Aurora first, for clusters and cluster instances', () => {
    // Act
    const rules = loadIgnoreRules(join(WORKSPACE, 'apps', 'tap-stack', 'drift-ignore.json'));
    const preview: RefreshPreview = {
      resources: [
        { urn: 'u1', type: 'aws:rds/clusterInstance:ClusterInstance', name: 'tap-dev-instance-0', kind: 'changed', op: 'update', properties: [{ path: 'engineVersionActual', kind: 'update', old: '15.4', new: '15.5' }] },
      ],
      warnings: [],
      errors: [],
    };
    // Assess
    expect(rules[0]).toMatchObject({ type: CLUSTER, property: 'engineVersion*' });
    expect(applyIgnoreRules(preview, rules).resources[0].ignored).toBeDefined();
  });

  it.each([
    ['a rule without reason', { rules: [{ type: CLUSTER, property: 'engineVersion' }] }, /rules\.0\.reason Required/],
    ['an empty reason', { rules: [{ type: CLUSTER, reason: '  ' }] }, /reason is required: say why this drift is benign/],
    ['an unknown key', { rules: [{ type: CLUSTER, reason: 'x', resource: 'y' }] }, /Unrecognized key/],
    ['no rules list', { ignore: [] }, /rules Required/],
  ])('refuses %s with one line naming the file', (_, value, problem) => {
    // Prepare
    const file = join(dir, 'drift-ignore.json');
    writeFileSync(file, JSON.stringify(value));
    // Act
    const act = () => loadIgnoreRules(file);
    // Assess
    expect(act).toThrow(LiveDriftError);
    expect(act).toThrow(problem);
    expect(act).toThrow(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: invalid ignore rules: [^\n]+$`));
  });

  it('refuses an ignore file that is not JSON or missing', () => {
    // Prepare
    const file = join(dir, 'bad.json');
    writeFileSync(file, '{ rules: ');
    // Act + Assess
    expect(() => loadIgnoreRules(file)).toThrow(/bad\.json: invalid JSON/);
    expect(() => loadIgnoreRules(join(dir, 'none.json'))).toThrow(/none\.json: ignore file not found; fix the --ignore path/);
  });

  it('defaults the name pattern to every name', () => {
    // Act
    const [rule] = parseIgnoreRules({ rules: [{ type: CLUSTER, reason: 'r' }] });
    // Assess
    expect(rule.name).toBe('*');
  });
});

describe('compareDeployed', () => {
  it('is in sync when only the registry host of the image differs (the synth uses a mock account)', () => {
    // Prepare
    const code = codeManifest();
    const deployed = manifestFor('dev');
    const real = { ...deployed, configuration: { ...deployed.configuration, docker: { imageUri: deployed.configuration.docker.imageUri.replace('123456789012', '111122223333') } } };
    // Act
    const result = compareDeployed(real, code);
    // Assess
    expect(result.status).toBe('in-sync');
    expect(result.changes).toEqual([]);
  });

  it('labels a code change that was never deployed and a new image tag', () => {
    // Prepare
    const code = codeManifest((c) => (c.monitoring.errorThreshold = 8));
    const deployed = manifestFor('dev');
    deployed.configuration.docker.imageUri = deployed.configuration.docker.imageUri.replace(':1.4.0', ':1.3.9');
    // Act
    const result = compareDeployed(deployed, code);
    // Assess
    expect(result.status).toBe('drift');
    expect(result.changes).toEqual([
      { path: 'docker.imageUri', kind: 'not-deployed', label: 'in code (approved) but not deployed', deployed: 'payment-processor:1.3.9', code: 'payment-processor:1.4.0' },
      { path: 'monitoring.errorThreshold', kind: 'not-deployed', label: 'in code (approved) but not deployed', deployed: manifestFor('dev').configuration.monitoring.errorThreshold, code: 8 },
    ]);
  });

  it('labels a deployed path the code no longer has', () => {
    // Prepare
    const deployed = manifestFor('dev');
    const older = { ...deployed, configuration: { ...deployed.configuration, legacy: { flag: true } } };
    // Act
    const result = compareDeployed(older, codeManifest());
    // Assess
    expect(result.changes).toEqual([{ path: 'legacy.flag', kind: 'not-in-code', label: 'deployed but not in code', deployed: true, code: undefined }]);
  });

  it('reports a stack without configManifest output as drift with the explanation', () => {
    // Act
    const result = compareDeployed(undefined, codeManifest());
    // Assess
    expect(result.status).toBe('missing');
    expect(result.note).toContain('never deployed, or was deployed before configuration manifests existed');
  });

  it.each([
    ['a secret output', '[secret]', /the output is secret/],
    ['not a manifest', { hello: 1 }, /not a configuration manifest/],
    ['another environment', { ...manifestFor('prod') }, /belongs to environment prod but the code manifest .* is dev/],
  ])('refuses %s with one line', (_, deployed, problem) => {
    // Act
    const act = () => compareDeployed(deployed, codeManifest());
    // Assess
    expect(act).toThrow(LiveDriftError);
    expect(act).toThrow(problem);
  });
});

describe('buildLiveReport and renderLive', () => {
  const cloud = (name: string, rules: IgnoreRule[] = AURORA_RULES) => applyIgnoreRules(parseRefreshPreview(fixture(name)), rules);
  const inSync = () => compareDeployed(manifestFor('dev'), codeManifest());

  it('exits 0 when nothing drifted', () => {
    // Act
    const report = buildLiveReport({ environment: 'dev', stack: 'dev', cloud: cloud('empty'), deployed: inSync() });
    // Assess
    expect(report).toMatchObject({ status: 'in-sync', exitCode: 0 });
    expect(renderLive(report, 'text')).toMatch(/^in sync: dev: 0 drifted resources \(0 ignored\)/m);
  });

  it('exits 0 when all drift is ignored, and still lists it with the reason', () => {
    // Prepare
    const onlyCluster = parseRefreshPreview(fixture('update'));
    onlyCluster.resources = onlyCluster.resources.filter((r) => r.type === CLUSTER);
    // Act
    const report = buildLiveReport({ environment: 'dev', stack: 'dev', cloud: applyIgnoreRules(onlyCluster, AURORA_RULES), deployed: inSync() });
    const text = renderLive(report, 'text');
    // Assess
    expect(report.exitCode).toBe(0);
    expect(text).toContain('ignored aws:rds/cluster:Cluster tap-dev-cluster (update): ignored: Aurora minor-version upgrade');
    expect(text).toContain('engineVersion: 15.4 -> 15.5');
  });

  it('exits 1 for cloud drift or a missing configManifest, and says what to do', () => {
    // Act
    const cloudDrift = buildLiveReport({ environment: 'dev', stack: 'dev', cloud: cloud('update'), deployed: inSync() });
    const missing = buildLiveReport({ environment: 'dev', stack: 'dev', cloud: cloud('empty'), deployed: compareDeployed(undefined, codeManifest()) });
    // Assess
    expect(cloudDrift.exitCode).toBe(1);
    expect(renderLive(cloudDrift, 'text')).toContain('CHANGED aws:cloudwatch/metricAlarm:MetricAlarm tap-dev-lambda-errors (update)');
    expect(renderLive(cloudDrift, 'text')).toContain('threshold: 10 -> 50');
    expect(renderLive(cloudDrift, 'text')).toContain('to do: changed outside Pulumi (console edit)');
    expect(missing.exitCode).toBe(1);
    expect(renderLive(missing, 'text')).toContain('deployed vs code: DRIFT the stack has no configManifest output');
  });

  it('exits 2 on error diagnostics even when other drift exists', () => {
    // Act
    const report = buildLiveReport({ environment: 'dev', stack: 'dev', cloud: cloud('error'), deployed: inSync() });
    // Assess
    expect(report).toMatchObject({ status: 'error', exitCode: 2 });
    expect(renderLive(report, 'text')).toContain('ERROR TapStack-dev: failed to refresh');
  });

  it('renders markdown tables with the ignored reason and the deployed-vs-code meaning', () => {
    // Prepare
    const deployed = compareDeployed(manifestFor('dev'), codeManifest((c) => (c.monitoring.errorThreshold = 8)));
    // Act
    const markdown = renderLive(buildLiveReport({ environment: 'dev', stack: 'dev', cloud: cloud('update'), deployed }), 'markdown');
    // Assess
    expect(markdown).toMatch(/^### tap-drift live: dev drift found\n/);
    expect(markdown).toContain('| ignored | `aws:rds/cluster:Cluster` | tap-dev-cluster |  |  |  | ignored: Aurora minor-version upgrade |');
    expect(markdown).toContain('| **changed** | `aws:cloudwatch/metricAlarm:MetricAlarm` | tap-dev-lambda-errors |');
    expect(markdown).toContain('|  |  |  | `engineVersion` | 15.4 | 15.5 | ignored |');
    expect(markdown).toContain('| `monitoring.errorThreshold` | 10 | 8 | in code (approved) but not deployed |');
    expect(markdown).toContain('- merged but not deployed: `nx run tap-stack:deploy`');
  });

  it('renders JSON that parses back to the report, secrets redacted', () => {
    // Prepare
    const report = buildLiveReport({ environment: 'dev', stack: 'dev', cloud: cloud('secret'), deployed: inSync() });
    // Act
    const json = renderLive(report, 'json');
    // Assess
    expect(JSON.parse(json)).toEqual(JSON.parse(JSON.stringify(report)));
    expect(json).not.toMatch(/hunter2|s3cr3t/);
  });
});

/*
 * After Secrets Manager rotates the database secret, the version the stack created (stages AWSCURRENT + TAP_INITIAL)
 * loses AWSCURRENT: UpdateSecretVersionStage moves AWSCURRENT to the new version and AWSPREVIOUS to the old one, and
 * removes AWSPREVIOUS again at the next rotation (AWS CLI reference, update-secret-version-stage; DescribeSecret
 * VersionIdsToStages; hashicorp/terraform-provider-aws#25168 shows refresh reporting exactly that). `ignoreChanges`
 * only affects `pulumi up`, so `pulumi refresh --preview-only` reports it ~30 days after every first deploy.
 */
describe('changes Secrets Manager makes by design (rotation)', () => {
  const VERSION = 'aws:secretsmanager/secretVersion:SecretVersion';
  const SECRET = 'aws:secretsmanager/secret:Secret';
  interface Step { op: string; urn: string; oldState?: Record<string, any>; newState?: Record<string, any>; diffReasons?: string[]; detailedDiff?: Record<string, { kind: string }> | null } // eslint-disable-line @typescript-eslint/no-explicit-any -- refresh JSON as free-form
  const rotated = () => fixture('rotated') as { steps: Step[] };
  const stepOf = (document: { steps: Step[] }, type: string) => document.steps.find((s) => s.urn.includes(`$${type}::`)) as Step;
  const inSync = () => compareDeployed(manifestFor('dev'), codeManifest());
  const report = (document: unknown, rules: IgnoreRule[] = []) =>
    buildLiveReport({ environment: 'dev', stack: 'dev', cloud: applyIgnoreRules(parseRefreshPreview(document), rules), deployed: inSync() });

  it('classes the first rotation (AWSCURRENT -> AWSPREVIOUS, TAP_INITIAL kept) as expected, listed with its reason: in sync', () => {
    // Act
    const live = report(rotated());
    const text = renderLive(live, 'text');
    const [version] = live.cloud.resources;
    // Assess
    expect(live).toMatchObject({ status: 'in-sync', exitCode: 0 });
    expect(version).toMatchObject({ type: VERSION, name: 'tap-secrets-secret-version', kind: 'changed' });
    expect(version.properties).toEqual([
      { path: 'versionStages[0]', kind: 'update', old: 'AWSCURRENT', new: 'AWSPREVIOUS', ignored: { builtin: 'secretsmanager-rotation-stages', reason: expect.stringMatching(/rotation/) } },
    ]);
    expect(version.ignored).toEqual(version.properties[0].ignored);
    expect(text).toMatch(/ignored aws:secretsmanager\/secretVersion:SecretVersion tap-secrets-secret-version \(update\): expected: .*rotation/);
    expect(text).toContain('versionStages[0]: AWSCURRENT -> AWSPREVIOUS');
    expect(text).not.toContain('initial-password-do-not-print');
  });

  it('classes the second rotation (only TAP_INITIAL left on the version) as expected', () => {
    // Prepare
    const document = rotated();
    const step = stepOf(document, VERSION);
    step.newState!.outputs.versionStages = ['TAP_INITIAL'];
    step.detailedDiff = { 'versionStages[0]': { kind: 'update' }, 'versionStages[1]': { kind: 'delete' } };
    // Act
    const live = report(document);
    // Assess
    expect(live.exitCode).toBe(0);
    expect(live.cloud.resources[0].properties.map((p) => [p.path, p.kind, Boolean(p.ignored)])).toEqual([
      ['versionStages[0]', 'update', true],
      ['versionStages[1]', 'delete', true],
    ]);
  });

  it('is still drift when TAP_INITIAL is taken off the version (it would be deprecated and deleted)', () => {
    // Prepare
    const document = rotated();
    stepOf(document, VERSION).newState!.outputs.versionStages = ['AWSPREVIOUS'];
    stepOf(document, VERSION).detailedDiff = { 'versionStages[0]': { kind: 'update' }, 'versionStages[1]': { kind: 'delete' } };
    // Act
    const live = report(document);
    // Assess
    expect(live).toMatchObject({ status: 'drift', exitCode: 1 });
    expect(live.cloud.resources[0].ignored).toBeUndefined();
    expect(live.cloud.resources[0].properties.every((p) => p.ignored === undefined)).toBe(true);
  });

  it('is still drift when the same secret changes its KMS key after the rotation; the rotation stays expected', () => {
    // Prepare
    const document = rotated();
    const secret = stepOf(document, SECRET);
    secret.op = 'update';
    secret.newState!.outputs.kmsKeyId = 'arn:aws:kms:us-east-2:111122223333:key/9999ffff-8888-eeee-7777-dddd6666cccc';
    secret.diffReasons = ['kmsKeyId'];
    secret.detailedDiff = { kmsKeyId: { kind: 'update' } };
    // Act
    const live = report(document);
    const byName = (name: string) => live.cloud.resources.find((r) => r.name === name)!;
    // Assess
    expect(live).toMatchObject({ status: 'drift', exitCode: 1 });
    expect(byName('tap-secrets-secret')).toMatchObject({ kind: 'changed', properties: [{ path: 'kmsKeyId', old: expect.stringMatching(/1111aaaa/), new: expect.stringMatching(/9999ffff/) }] });
    expect(byName('tap-secrets-secret').ignored).toBeUndefined();
    expect(byName('tap-secrets-secret-version').ignored).toMatchObject({ builtin: 'secretsmanager-rotation-stages' });
  });

  it('is still drift when a version\'s value changed (rotation never rewrites a version: it adds one)', () => {
    // Prepare
    const document = rotated();
    const step = stepOf(document, VERSION);
    step.detailedDiff = { ...step.detailedDiff, secretString: { kind: 'update' } };
    // Act
    const live = report(document);
    const [version] = live.cloud.resources;
    // Assess
    expect(live.exitCode).toBe(1);
    expect(version.ignored).toBeUndefined();
    expect(version.properties.find((p) => p.path === 'secretString')).toEqual({ path: 'secretString', kind: 'update', old: '[secret]', new: '[secret]' });
    expect(version.properties.find((p) => p.path === 'versionStages[0]')!.ignored).toBeDefined();
  });

  it.each([
    ['lastRotatedDate', '2026-11-01T00:00:00Z', '2026-12-01T00:00:00Z', true],
    ['lastChangedDate', '2026-11-01T00:00:00Z', '2026-12-01T00:00:00Z', true],
    ['lastAccessedDate', '2026-11-01T00:00:00Z', '2026-12-06T00:00:00Z', true],
    ['nextRotationDate', '2026-12-01T00:00:00Z', '2026-12-31T00:00:00Z', true],
    ['rotationEnabled', false, true, true],
    ['rotationEnabled', true, false, false],
  ])('a Secrets Manager %s change %p -> %p is expected: %p', (path, before, after, expected) => {
    // Prepare
    const urn = 'urn:pulumi:dev::TapStack::tap:secrets:SecretsComponent$aws:secretsmanager/secretRotation:SecretRotation::tap-secrets-rotation';
    const state = (value: unknown) => ({ type: 'aws:secretsmanager/secretRotation:SecretRotation', outputs: { [path]: value } });
    const document = { steps: [{ op: 'update', urn, oldState: state(before), newState: state(after), detailedDiff: { [path]: { kind: 'update' } } }] };
    // Act
    const live = report(document);
    // Assess
    expect(live.exitCode).toBe(expected ? 0 : 1);
    expect(live.cloud.resources).toHaveLength(1);
  });

  it('leaves the same property of another service alone (a rule of the ignore file is still needed there)', () => {
    // Prepare
    const urn = 'urn:pulumi:dev::TapStack::tap:x$aws:ssm/parameter:Parameter::p';
    const state = (value: unknown) => ({ type: 'aws:ssm/parameter:Parameter', outputs: { versionStages: value } });
    const document = { steps: [{ op: 'update', urn, oldState: state(['AWSCURRENT']), newState: state(['AWSPREVIOUS']), detailedDiff: { 'versionStages[0]': { kind: 'update' } } }] };
    // Act
    const live = report(document);
    // Assess
    expect(live.exitCode).toBe(1);
  });
});
