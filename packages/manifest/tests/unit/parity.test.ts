import { SETTINGS, SETTING_PATHS, type EnvironmentName } from '@tap/validation';
import { RESOURCE_PARITY_RULES, compareInventories, createInventory, manifestToEnvironmentConfig, type ParityInput } from '../../src';
import { NETWORK_PARITY_RULES } from '../../src/constants';
import { record, synthFixture, type SynthRecordFixture } from './support';

const ENVS = ['dev', 'staging', 'prod'] as const;

/** The three synth fixtures as parity inputs; `change` edits one environment's records first. */
function inputs(change: Partial<Record<EnvironmentName, (records: SynthRecordFixture[]) => void>> = {}): ParityInput[] {
  return ENVS.map((environment) => {
    const { manifest, records } = synthFixture(environment);
    change[environment]?.(records);
    return { environment, config: manifestToEnvironmentConfig(manifest), loaded: { file: `${environment}/resources.json`, inventory: createInventory(records, environment) } };
  });
}

describe('compareInventories (resource-level parity)', () => {
  it('finds no drift across today\'s dev, staging and prod, and lists each expected difference with its profile field', () => {
    // Act
    const report = compareInventories(inputs());

    // Assess
    expect(report.drift).toBe(false);
    expect(report.rows.filter((row) => row.status === 'drift')).toEqual([]);
    const expected = Object.fromEntries(report.rows.map((row) => [`${row.name} ${row.path}`, row.reason]));
    expect(expected).toMatchObject({
      'tap-payments-function memorySize': 'lambda.memoryMb',
      'tap-payments-function reservedConcurrentExecutions': 'lambda.reservedConcurrency',
      'tap-db-instance-0 instanceClass': 'database.instanceClass',
      'tap-db-instance-1 (present)': 'database.instanceCount: dev=1, staging=1, prod=2 ClusterInstance',
      'tap-monitoring-lambda-errors threshold': 'monitoring.errorThreshold',
      'tap-monitoring-lambda-errors alarmDescription': 'monitoring.errorThreshold (in the text)',
      'tap-monitoring-lambda-duration threshold': 'monitoring.latencyThresholdMs',
      'tap-monitoring-aurora-connections threshold': 'monitoring.dbConnectionsThreshold',
      'tap-db-sg vpcId': 'networking stack: each environment has its own VPC',
    });
    const memory = report.rows.find((row) => row.name === 'tap-payments-function' && row.path === 'memorySize');
    expect(memory?.values).toEqual({ dev: 1024, staging: 2048, prod: 4096 });
    // Environment names, suffix, region and account are normalised in URNs and values.
    expect(memory?.resource).toBe('urn:pulumi:{environment}::TapStack::tap:lambda:LambdaComponent$aws:lambda/function:Function::tap-payments-function');
    expect(report.resourceCount).toBeGreaterThan(50);
  });

  it('reports drift when one environment changes a property no profile field drives', () => {
    // Act: prod's errors alarm waits 24 hours; the profiles allow nothing of the kind.
    const report = compareInventories(
      inputs({ prod: (records) => Object.assign(record(records, 'tap-monitoring-lambda-errors').inputs, { period: 3600, evaluationPeriods: 24 }) }),
    );

    // Assess
    expect(report.drift).toBe(true);
    expect(report.rows.filter((row) => row.status === 'drift').map((row) => [row.name, row.path, row.values])).toEqual([
      ['tap-monitoring-lambda-errors', 'evaluationPeriods', { dev: 1, staging: 1, prod: 24 }],
      ['tap-monitoring-lambda-errors', 'period', { dev: 300, staging: 300, prod: 3600 }],
    ]);
  });

  it('reports drift when a mapped property does not follow its configuration value', () => {
    // Act: staging's function memory differs from staging's configured lambda.memoryMb (2048).
    const report = compareInventories(inputs({ staging: (records) => (record(records, 'tap-payments-function').inputs['memorySize'] = 3008) }));

    // Assess
    expect(report.rows.filter((row) => row.status === 'drift')).toEqual([
      expect.objectContaining({ name: 'tap-payments-function', path: 'memorySize', values: { dev: 1024, staging: 3008, prod: 4096 } }),
    ]);
  });

  it('reports a resource only some environments have, unless a count rule explains it', () => {
    // Act: dev loses its rotation egress rule; and a second database instance in staging breaks database.instanceCount.
    const report = compareInventories(
      inputs({
        dev: (records) => records.splice(records.indexOf(record(records, 'tap-secrets-rotation-egress-https')), 1),
        staging: (records) => {
          const instance = record(records, 'tap-db-instance-0');
          records.push({ ...instance, urn: instance.urn.replace(/-0$/, '-1'), name: 'tap-db-instance-1' });
        },
      }),
    );

    // Assess
    expect(report.rows.filter((row) => row.status === 'drift').map((row) => [row.name, row.path, row.values])).toEqual([
      ['tap-db-instance-1', '(present)', { dev: false, staging: true, prod: true }],
      ['tap-secrets-rotation-egress-https', '(present)', { dev: false, staging: true, prod: true }],
    ]);
  });

  it('does not pass an open CIDR off as an environment\'s own VPC', () => {
    // Act
    const report = compareInventories(inputs({ prod: (records) => (record(records, 'tap-secrets-rotation-egress-https').inputs['cidrIpv4'] = '0.0.0.0/0') }));

    // Assess
    expect(report.rows.filter((row) => row.status === 'drift')).toEqual([
      expect.objectContaining({ name: 'tap-secrets-rotation-egress-https', path: 'cidrIpv4', values: { dev: '10.10.0.0/16', staging: '10.20.0.0/16', prod: '0.0.0.0/0' } }),
    ]);
  });

  it('takes its configuration rules from the feeds of the SETTINGS rows, one rule per feed, and adds only network rules', () => {
    // Prepare
    const feeds = SETTING_PATHS.flatMap((path) => {
      const row = SETTINGS[path].feeds;
      return 'none' in row ? [] : row.map((feed) => ({ ...feed, fields: [path] }));
    });

    // Act
    const configuration = RESOURCE_PARITY_RULES.filter((rule) => rule.kind !== 'network');
    const others = RESOURCE_PARITY_RULES.filter((rule) => rule.kind === 'network');

    // Assess
    expect(configuration).toEqual(feeds);
    expect(others).toEqual([...NETWORK_PARITY_RULES]);
  });

  it('explains a difference only on the resource a named feed binds', () => {
    // Act: the rotation function's errors alarm (threshold 0 everywhere) takes prod's lambda.errorThreshold; the
    // monitoring.errorThreshold feed names the payment function's alarm, not this one.
    const report = compareInventories(inputs({ prod: (records) => (record(records, 'tap-monitoring-rotation-errors').inputs['threshold'] = 3) }));

    // Assess
    expect(report.rows.filter((row) => row.status === 'drift').map((row) => [row.name, row.path])).toEqual([['tap-monitoring-rotation-errors', 'threshold']]);
  });
});
