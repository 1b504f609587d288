import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import * as pulumi from '@pulumi/pulumi';
import { flush, installMocks, valueOf, type RecordedResource } from '@tap/pulumi-testing';
import {
  ENVIRONMENT_NAMES,
  SETTINGS,
  SETTING_PATHS,
  environmentProfile,
  setSettingValue,
  type ConfigPath,
  type ConfigValue,
  type EnvironmentConfig,
  type SettingFeeds,
} from '@tap/validation';
import { TapStack } from '../../src/tapStack';
import { APP, imageContext } from '../synthHelper';

// Every setting that feeds a resource, changed one at a time from the dev profile: the TapStack must pass the new value
// into the resource input named here. A row of SETTINGS that feeds a resource and has no case fails the first test.

/* eslint-disable @typescript-eslint/no-explicit-any -- recorded inputs are free-form JSON */

const network = (env: string): Record<string, unknown> => JSON.parse(readFileSync(join(APP, 'fixtures', 'networking', `${env}.json`), 'utf8')).outputs;
const mocks = installMocks({
  stackOutputs: Object.fromEntries(ENVIRONMENT_NAMES.map((env) => [`organization/networking-stack/${env}`, network(env)])),
});

/** Where a changed setting must show: the inputs of the resources of `type` named `<stack>-<name>`. */
interface Wiring<P extends ConfigPath> {
  value: NonNullable<ConfigValue<P>>;
  type: string;
  /** Logical name after the stack's own name, e.g. `-payments-function`; every resource of `type` when absent. */
  name?: string;
  /** What the inputs (or, for a count, the number of resources) must show. */
  shows: (inputs: Record<string, any>[]) => unknown;
  expected: unknown;
}

type WiringTable = { [P in ConfigPath]?: Wiring<P> };

const FUNCTION = 'aws:lambda/function:Function';
const CLUSTER = 'aws:rds/cluster:Cluster';
const ALARM = 'aws:cloudwatch/metricAlarm:MetricAlarm';
const first = (inputs: Record<string, any>[]): Record<string, any> => inputs[0] ?? {};

const WIRING: WiringTable = {
  environment: { value: 'staging', type: CLUSTER, name: '-db-cluster', shows: (i) => first(i).clusterIdentifier, expected: expect.stringContaining('staging') },
  environmentSuffix: { value: 'w42', type: CLUSTER, name: '-db-cluster', shows: (i) => first(i).clusterIdentifier, expected: expect.stringMatching(/-w42$/) },
  'lambda.memoryMb': { value: 2048, type: FUNCTION, name: '-payments-function', shows: (i) => first(i).memorySize, expected: 2048 },
  'lambda.timeoutSeconds': { value: 60, type: FUNCTION, name: '-payments-function', shows: (i) => first(i).timeout, expected: 60 },
  'lambda.reservedConcurrency': { value: 7, type: FUNCTION, name: '-payments-function', shows: (i) => first(i).reservedConcurrentExecutions, expected: 7 },
  'database.instanceClass': { value: 'db.r6g.large', type: 'aws:rds/clusterInstance:ClusterInstance', shows: (i) => i.map((r) => r.instanceClass), expected: ['db.r6g.large'] },
  'database.instanceCount': { value: 2, type: 'aws:rds/clusterInstance:ClusterInstance', shows: (i) => i.length, expected: 2 },
  'database.engineVersion': { value: '15.12', type: CLUSTER, name: '-db-cluster', shows: (i) => first(i).engineVersion, expected: '15.12' },
  // Dev is destroyable; turned on, the cluster is protected (RDS refuses DeleteDBCluster) / takes a final snapshot.
  'database.deletionProtection': { value: true, type: CLUSTER, name: '-db-cluster', shows: (i) => first(i).deletionProtection, expected: true },
  'database.finalSnapshot': {
    value: true,
    type: CLUSTER,
    name: '-db-cluster',
    shows: (i) => [first(i).skipFinalSnapshot, typeof first(i).finalSnapshotIdentifier === 'string' && /^aurora-final-dev-w01-[0-9a-f]{8}$/.test(first(i).finalSnapshotIdentifier)],
    expected: [false, true],
  },
  'database.backupRetentionDays': { value: 14, type: CLUSTER, name: '-db-cluster', shows: (i) => first(i).backupRetentionPeriod, expected: 14 },
  'secrets.rotationDays': {
    value: 45,
    type: 'aws:secretsmanager/secretRotation:SecretRotation',
    shows: (i) => first(i).rotationRules?.automaticallyAfterDays,
    expected: 45,
  },
  'logging.retentionDays': { value: 60, type: 'aws:cloudwatch/logGroup:LogGroup', shows: (i) => [...new Set(i.map((r) => r.retentionInDays))], expected: [60] },
  'encryption.kmsEnabled': { value: false, type: 'aws:kms/key:Key', name: '-key', shows: (i) => first(i).enableKeyRotation, expected: false },
  'monitoring.errorThreshold': { value: 2, type: ALARM, name: '-monitoring-lambda-errors', shows: (i) => first(i).threshold, expected: 2 },
  'monitoring.latencyThresholdMs': { value: 1500, type: ALARM, name: '-monitoring-lambda-duration', shows: (i) => first(i).threshold, expected: 1500 },
  'monitoring.dbCpuThresholdPercent': { value: 70, type: ALARM, name: '-monitoring-aurora-cpu', shows: (i) => first(i).threshold, expected: 70 },
  'monitoring.dbConnectionsThreshold': { value: 50, type: ALARM, name: '-monitoring-aurora-connections', shows: (i) => first(i).threshold, expected: 50 },
};

// Relative, as the program passes it: the Lambda component refuses absolute contexts.
let buildContext: string;
beforeAll(() => {
  buildContext = relative(process.cwd(), imageContext());
});

let runs = 0;
/** Runs the TapStack for `config` under the mocks; the resources it registered, by type, named without the stack's name. */
async function run(config: EnvironmentConfig): Promise<Array<RecordedResource & { suffix: string }>> {
  const name = `wiring${runs++}`;
  const from = mocks.resources.length;
  const stack = new TapStack(name, {
    config,
    networkingStackRef: `organization/networking-stack/${config.environment}`,
    imageBuildContext: buildContext,
    rotationCode: new pulumi.asset.AssetArchive({}),
    manifestTimestamp: '2025-01-01T00:00:00.000Z',
  });
  await valueOf(stack.configHash);
  await flush(mocks);
  return mocks.resources
    .slice(from)
    .filter((r) => r.name.startsWith(name))
    .map((r) => ({ ...r, suffix: r.name.slice(name.length) }));
}

function observe(resources: Array<RecordedResource & { suffix: string }>, wiring: Wiring<ConfigPath>): unknown {
  const inputs = resources.filter((r) => r.type === wiring.type && (wiring.name === undefined || r.suffix === wiring.name)).map((r) => r.inputs);
  return wiring.shows(inputs);
}

/** The dev profile with setting `path` set to `value`. */
function changed<P extends ConfigPath>(path: P, value: ConfigValue<P>): EnvironmentConfig {
  const config = environmentProfile('dev', 'w01');
  setSettingValue(config, path, value);
  return config;
}

describe('every setting of SETTINGS reaches its resource', () => {
  it('has a wiring case for exactly the settings that feed a resource; the others are listed with what they feed', () => {
    // Prepare
    const feeds = (kind: SettingFeeds): ConfigPath[] => SETTING_PATHS.filter((path) => SETTINGS[path].feeds === kind);

    // Act
    const wired = Object.keys(WIRING).sort();

    // Assess
    expect(wired).toEqual([...feeds('resource')].sort());
    // Lambda derives vCPU from memory; the AWS provider takes the region from aws:region. A new setting lands here only
    // when it truly feeds no resource.
    expect({ derived: feeds('derived'), provider: feeds('provider') }).toEqual({ derived: ['lambda.vcpu'], provider: ['region'] });
  });

  let base: Array<RecordedResource & { suffix: string }>;
  beforeAll(async () => {
    base = await run(environmentProfile('dev', 'w01'));
  });

  const cases = SETTING_PATHS.flatMap((path) => {
    const wiring = WIRING[path];
    return wiring ? [[path, wiring] as const] : [];
  });
  it.each(cases)('passes %s into its resource', async (path, wiring) => {
    // Prepare
    const before = observe(base, wiring);
    const config = changed(path, wiring.value);

    // Act
    const after = observe(await run(config), wiring);

    // Assess: the resource shows the new value, and did not before.
    expect(after).toEqual(wiring.expected);
    expect(before).not.toEqual(wiring.expected);
  });
});
