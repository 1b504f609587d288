import { join } from 'node:path';
import type { EnvironmentName } from '@tap/validation';
import { approveManifests, createInventory, manifestToEnvironmentConfig } from '../../src';
import { checkBindings } from '../../src/binding';
import { protectDatabase, record, removeDir, runCliCaptured, synthFixture, tempDir, writeSynth, type SynthRecordFixture } from './support';

const ENVS = ['dev', 'staging', 'prod'] as const;

/** The application log group keeps its logs for one day, whatever `logging.retentionDays` says (30 everywhere). */
const oneDayAppLogs = (records: SynthRecordFixture[]): void => {
  record(records, 'tap-monitoring-app-logs').inputs['retentionInDays'] = 1;
};

describe('tap-drift check: every setting holds at the resource property it feeds', () => {
  let dir: string;
  beforeEach(() => {
    dir = tempDir('tap-drift-binding');
  });
  afterEach(() => removeDir(dir));

  it('refuses a code change that breaks a setting in every environment alike, even once its baselines are approved', () => {
    // Prepare: the code sets the application log group to 1 day in every environment and that synth was approved, so
    // the check against the baselines sees no change and the environments do not differ from each other.
    for (const env of ENVS) writeSynth(join(dir, 'approved'), env, { records: oneDayAppLogs });
    // Approved outside CI (an explicit, empty environment): CI refuses an approver given as a flag.
    approveManifests({ baseline: join(dir, 'base'), current: join(dir, 'approved'), reason: 'r', approver: 'Test <t@example.com>', noPolicyCheck: true, env: {} });
    for (const env of ENVS) writeSynth(join(dir, 'synth'), env, { records: oneDayAppLogs });

    // Act
    const result = runCliCaptured(['check', '--baseline', join(dir, 'base'), '--current', join(dir, 'synth')]);

    // Assess: each environment, the resource (logical name and type), the property, the setting and both values.
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('settings not held by their resources');
    expect(result.stdout.split('\n').filter((line) => line.startsWith('  ') && line.includes(' but '))).toEqual(
      ENVS.map((env) => `  ${env}: tap-monitoring-app-logs (aws:cloudwatch/logGroup:LogGroup) retentionInDays is 1, but logging.retentionDays is 30`),
    );
  });
});

/** The binding findings of `env`'s synth fixture after `change`, as one line each. */
function findings(env: EnvironmentName, change: (records: SynthRecordFixture[]) => void = () => undefined): string[] {
  const { manifest, records } = synthFixture(env);
  protectDatabase(records, env, env === 'prod');
  change(records);
  return checkBindings(env, manifestToEnvironmentConfig(manifest), createInventory(records, env)).map((f) => f.message);
}

describe('checkBindings', () => {
  it.each(ENVS)('finds every setting of %s held by the synth it was made with', (env) => {
    // Act + Assess
    expect(findings(env)).toEqual([]);
  });

  it.each([
    [
      'a value on a named resource',
      (r: SynthRecordFixture[]) => (record(r, 'tap-payments-function').inputs['memorySize'] = 2048),
      'prod: tap-payments-function (aws:lambda/function:Function) memorySize is 2048, but lambda.memoryMb is 4096',
    ],
    [
      'a negated flag',
      (r: SynthRecordFixture[]) => (record(r, 'tap-db-cluster').inputs['skipFinalSnapshot'] = true),
      'prod: tap-db-cluster (aws:rds/cluster:Cluster) skipFinalSnapshot is true, but database.finalSnapshot is true (the property must be its opposite)',
    ],
    [
      'a property set only when a flag is true',
      (r: SynthRecordFixture[]) => delete record(r, 'tap-db-cluster').inputs['finalSnapshotIdentifier'],
      'prod: tap-db-cluster (aws:rds/cluster:Cluster) finalSnapshotIdentifier is (not set), but database.finalSnapshot is true (the property is set exactly when it is true)',
    ],
    [
      'a count',
      (r: SynthRecordFixture[]) => r.splice(r.indexOf(record(r, 'tap-db-instance-1')), 1),
      'prod: 1 resource(s) of aws:rds/clusterInstance:ClusterInstance, but database.instanceCount is 2',
    ],
    [
      'a value written into a text',
      (r: SynthRecordFixture[]) => (record(r, 'tap-monitoring-lambda-errors').inputs['alarmDescription'] = 'More than 30 Lambda errors in 5 minutes'),
      "prod: tap-monitoring-lambda-errors (aws:cloudwatch/metricAlarm:MetricAlarm) alarmDescription is 'More than 30 Lambda errors in 5 minutes', but monitoring.errorThreshold is 3 (the property must say it)",
    ],
    [
      'a nested property',
      (r: SynthRecordFixture[]) => (record(r, 'tap-secrets-rotation').inputs['rotationRules'] = { automaticallyAfterDays: 90 }),
      'prod: tap-secrets-rotation (aws:secretsmanager/secretRotation:SecretRotation) rotationRules.automaticallyAfterDays is 90, but secrets.rotationDays is 30',
    ],
    [
      'a renamed resource (the feed binds nothing)',
      (r: SynthRecordFixture[]) => (record(r, 'tap-monitoring-aurora-cpu').name = 'tap-monitoring-db-cpu'),
      'prod: no resource tap-monitoring-aurora-cpu (aws:cloudwatch/metricAlarm:MetricAlarm) holds threshold, which monitoring.dbCpuThresholdPercent feeds',
    ],
  ])('names %s that does not follow its setting', (_what, change, message) => {
    // Act
    const found = findings('prod', change);

    // Assess
    expect(found).toContain(message);
  });

  it('does not bind a named feed to another resource of the same type', () => {
    // Act: the rotation function's errors alarm is no setting's (its threshold is the stack's constant 0).
    const found = findings('dev', (r) => (record(r, 'tap-monitoring-rotation-errors').inputs['threshold'] = 10));

    // Assess
    expect(found).toEqual([]);
  });
});

describe('checkBindings with a configuration that leaves an optional setting out', () => {
  it('holds no resource to a setting the manifest does not record, and the rest still', () => {
    // Prepare: an older configuration without lambda.reservedConcurrency; the function still reserves 5.
    const { manifest, records } = synthFixture('dev');
    const config = manifestToEnvironmentConfig(manifest);
    delete config.lambda.reservedConcurrency;
    record(records, 'tap-payments-function').inputs['memorySize'] = 512;

    // Act
    const found = checkBindings('dev', config, createInventory(records, 'dev')).map((f) => f.setting);

    // Assess
    expect(found).toEqual(['lambda.memoryMb']);
  });
});
