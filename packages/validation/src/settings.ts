import { DEFAULT_LAMBDA_TIMEOUT_SECONDS, ENVIRONMENT_NAMES } from './constants';
import * as rules from './settingRules';
import type { ConfigPath, ConfigValue, EnvironmentConfig, FieldPolicy } from './types';

/** The JSON type of a setting's value; `integer` is a whole number. */
export type SettingType = 'string' | 'integer' | 'number' | 'boolean';

/** The setting types that can hold a value of type `V`. */
type SettingTypeOf<V> = [NonNullable<V>] extends [number] ? 'integer' | 'number' : [NonNullable<V>] extends [string] ? 'string' : [NonNullable<V>] extends [boolean] ? 'boolean' : never;

/**
 * How a resource property follows a setting (read by `tap-drift compare`, `tap-drift check` and the wiring test):
 * - `value`: the property equals the setting's value (its `fallback` when the config leaves it out);
 * - `negated`: the property is the opposite of a boolean setting (`skipFinalSnapshot` of `finalSnapshot`);
 * - `when-true`: the property is set exactly when a boolean setting is true;
 * - `count`: the NUMBER of resources of the type is the setting's value (a boolean counts 1 when true, else 0);
 * - `text`: the property is a text with the setting's value written into it (an alarm's description, a name).
 */
export type FeedKind = 'value' | 'negated' | 'when-true' | 'count' | 'text';

/** One resource property a setting feeds. */
export interface Feed {
  /** Pulumi type token of the resources it feeds, e.g. `aws:lambda/function:Function`. */
  readonly type: `${string}:${string}`;
  /** The input property, dotted when nested (`rotationRules.automaticallyAfterDays`); `(count)` for kind `count`. */
  readonly property: string;
  readonly kind: FeedKind;
  /**
   * Only the resource with this logical name after the program's own name (`-payments-function` is `tap-payments-function`
   * in a stack whose TapStack is `tap`); every resource of `type` when absent.
   */
  readonly name?: `-${string}`;
}

/**
 * A setting that feeds no resource input, and why: `provider` — the AWS provider's configuration (`aws:region`);
 * `derived` — recorded and checked only, AWS derives it from another setting (Lambda's vCPU follows its memory).
 */
export interface FeedsNone {
  readonly none: 'provider' | 'derived';
  readonly why: string;
}

/** Where a setting ends up: the resource properties it feeds (at least one), or none and why. */
export type SettingFeeds = readonly [Feed, ...Feed[]] | FeedsNone;

/** One row of {@link SETTINGS}: everything the platform knows about one leaf of `EnvironmentConfig`. */
export interface Setting<V> {
  /** The `Pulumi.<stack>.yaml` key that sets it; absent when a stack cannot set it (it comes from the profile or the stack name). */
  readonly key?: `TapStack:${string}` | `aws:${string}`;
  /** Its JSON type, checked before any rule. */
  readonly type: SettingTypeOf<V>;
  /** Whether the config may leave it out (true exactly when `EnvironmentConfig` declares it optional). */
  readonly optional: undefined extends V ? true : false;
  /** Text values it may take (beyond "a non-empty string"). */
  readonly oneOf?: readonly string[];
  /** How it may differ between environments (read by `tap-drift compare`). */
  readonly policy: FieldPolicy;
  /** The rule a present value obeys, whatever the environment (one of `settingRules`). */
  readonly rule?: (value: NonNullable<V>) => string | undefined;
  /**
   * The end of "`<Dev environment | All environments>` must …" when the value is not the profile's, e.g.
   * `use 1024MB Lambda memory`. Absent: the value has its own check in `validateEnvironmentConfig`.
   */
  readonly must?: (expected: NonNullable<V>) => string;
  /** For `threshold` settings: what the alarm is and the unit of its value, for "… must be at most 2000ms". */
  readonly alarm?: { readonly what: string; readonly unit: string };
  /** The value in effect when the config leaves an optional setting out (the component's own default). */
  readonly fallback?: NonNullable<V>;
  /**
   * The value an ephemeral copy of an environment (a `<env>-<name>` stack such as a smoke run) may have instead of the
   * profile's, for a `per-environment` setting. A copy is torn down by its run, so it must stay destroyable even when
   * the environment itself is protected; no other value is allowed (see {@link EPHEMERAL_COPY_SETTINGS}).
   */
  readonly ephemeral?: NonNullable<V>;
  /** Its path in the configuration manifest (`lambda.memory`); `null` when the manifest records it elsewhere. */
  readonly manifest: string | null;
  /**
   * The manifest path it had before a rename: manifests recorded then (the approved baselines) are still read, and the
   * next approval records the new path (the check shows the move as a change).
   */
  readonly formerly?: string;
  /**
   * Where it ends up (see {@link SettingFeeds}). Each feed is a resource-parity rule of `tap-drift compare`, a binding
   * `tap-drift check` holds every synth to, and a case of the tap-stack's wiring test.
   */
  readonly feeds: SettingFeeds;
  /**
   * A value that proves the wiring (the tap-stack's wiring test sets it on the dev profile), needed only when no other
   * profile's value differs from dev's.
   */
  readonly example?: NonNullable<V>;
}

/** The table's type: one row per leaf of `EnvironmentConfig`, each row typed by the value it describes. */
export type SettingsTable = { readonly [P in ConfigPath]: Setting<ConfigValue<P>> };

const FUNCTION = 'aws:lambda/function:Function';
const CLUSTER = 'aws:rds/cluster:Cluster';
const INSTANCE = 'aws:rds/clusterInstance:ClusterInstance';
const PAYMENT_FUNCTION = '-payments-function';

/** An alarm's threshold is the setting, and its description says it. */
const alarmFeeds = (name: `-${string}`): readonly [Feed, Feed] => [
  { type: 'aws:cloudwatch/metricAlarm:MetricAlarm', property: 'threshold', kind: 'value', name },
  { type: 'aws:cloudwatch/metricAlarm:MetricAlarm', property: 'alarmDescription', kind: 'text', name },
];

/**
 * THE table of environment settings: for each leaf of `EnvironmentConfig`, its `Pulumi.<stack>.yaml` key, type, rule,
 * drift policy, manifest path and the resource properties it feeds. Config reading, validation, `FIELD_POLICIES`, the
 * manifest schema and both manifest conversions, tap-drift's resource-parity rules and setting bindings, and the
 * tap-stack's wiring test are derived from it; the values themselves are in `PROFILES`. Rows are in the manifest's order (the
 * manifest files keep their layout; validation lists known keys in it too). A leaf of `EnvironmentConfig` without a row
 * does not compile.
 *
 * @example
 * SETTINGS['lambda.memoryMb'].key;      // 'TapStack:lambdaMemoryMb'
 * SETTINGS['lambda.memoryMb'].manifest; // 'lambda.memory'
 * SETTINGS['lambda.memoryMb'].feeds;    // [{ type: 'aws:lambda/function:Function', property: 'memorySize', kind: 'value', name: '-payments-function' }]
 */
export const SETTINGS = {
  environment: {
    type: 'string',
    optional: false,
    oneOf: ENVIRONMENT_NAMES,
    policy: 'per-environment',
    manifest: null,
    feeds: [{ type: CLUSTER, property: 'clusterIdentifier', kind: 'text', name: '-db-cluster' }],
    example: 'staging',
  },
  region: {
    key: 'aws:region',
    type: 'string',
    optional: false,
    policy: 'per-environment',
    must: (v) => `use region ${v}`,
    manifest: 'region',
    feeds: { none: 'provider', why: 'the AWS provider takes the region from aws:region; no resource has it as an input' },
  },
  environmentSuffix: {
    key: 'TapStack:environmentSuffix',
    type: 'string',
    optional: false,
    policy: 'deployment',
    manifest: 'environmentSuffix',
    feeds: [{ type: CLUSTER, property: 'clusterIdentifier', kind: 'text', name: '-db-cluster' }],
    example: 'w42',
  },
  'lambda.memoryMb': {
    key: 'TapStack:lambdaMemoryMb',
    type: 'integer',
    optional: false,
    policy: 'per-environment',
    rule: rules.lambdaMemoryProblem,
    must: (v) => `use ${v}MB Lambda memory`,
    manifest: 'lambda.memory',
    feeds: [{ type: FUNCTION, property: 'memorySize', kind: 'value', name: PAYMENT_FUNCTION }],
  },
  'lambda.vcpu': {
    key: 'TapStack:lambdaVcpu',
    type: 'number',
    optional: false,
    policy: 'per-environment',
    must: (v) => `use ${v} Lambda vCPU`,
    manifest: 'lambda.cpu',
    feeds: { none: 'derived', why: 'Lambda has no CPU setting: AWS gives one vCPU per 1769 MB of memory' },
  },
  'lambda.timeoutSeconds': {
    key: 'TapStack:lambdaTimeoutSeconds',
    type: 'integer',
    optional: true,
    policy: 'deployment',
    rule: rules.lambdaTimeoutProblem,
    fallback: DEFAULT_LAMBDA_TIMEOUT_SECONDS,
    manifest: 'lambda.timeoutSeconds',
    feeds: [{ type: FUNCTION, property: 'timeout', kind: 'value', name: PAYMENT_FUNCTION }],
    example: 60,
  },
  'lambda.reservedConcurrency': {
    key: 'TapStack:lambdaReservedConcurrency',
    type: 'integer',
    optional: true,
    policy: 'deployment',
    rule: rules.reservedConcurrencyProblem,
    manifest: 'lambda.reservedConcurrency',
    feeds: [{ type: FUNCTION, property: 'reservedConcurrentExecutions', kind: 'value', name: PAYMENT_FUNCTION }],
  },
  'database.instanceClass': {
    key: 'TapStack:dbInstanceClass',
    type: 'string',
    optional: false,
    policy: 'per-environment',
    must: (v) => `use ${v} database instances`,
    manifest: 'database.instanceClass',
    feeds: [{ type: INSTANCE, property: 'instanceClass', kind: 'value' }],
  },
  'database.engineVersion': {
    type: 'string',
    optional: false,
    policy: 'parity',
    manifest: 'database.engineVersion',
    feeds: [{ type: CLUSTER, property: 'engineVersion', kind: 'value', name: '-db-cluster' }],
    example: '15.12',
  },
  'database.instanceCount': {
    key: 'TapStack:dbInstanceCount',
    type: 'integer',
    optional: false,
    policy: 'per-environment',
    rule: rules.clusterInstanceCountProblem,
    must: (n) => `run ${n} database instance${n === 1 ? '' : 's'}${n > 1 ? ' (high availability)' : ''}`,
    manifest: 'database.instanceCount',
    feeds: [{ type: INSTANCE, property: '(count)', kind: 'count' }],
  },
  'database.deletionProtection': {
    key: 'TapStack:dbDeletionProtection',
    type: 'boolean',
    optional: true,
    policy: 'per-environment',
    must: (v) => `${v ? 'protect its database from deletion' : 'leave its database deletable'} (deletionProtection ${v})`,
    ephemeral: false,
    manifest: 'database.deletionProtection',
    feeds: [{ type: CLUSTER, property: 'deletionProtection', kind: 'value', name: '-db-cluster' }],
  },
  'database.finalSnapshot': {
    key: 'TapStack:dbFinalSnapshot',
    type: 'boolean',
    optional: true,
    policy: 'per-environment',
    must: (v) => `${v ? 'take a final database snapshot on delete' : 'skip the final database snapshot on delete'} (finalSnapshot ${v})`,
    ephemeral: false,
    manifest: 'database.finalSnapshot',
    // Prod keeps a final snapshot named with a random part (a RandomId, only where it is on).
    feeds: [
      { type: CLUSTER, property: 'skipFinalSnapshot', kind: 'negated', name: '-db-cluster' },
      { type: CLUSTER, property: 'finalSnapshotIdentifier', kind: 'when-true', name: '-db-cluster' },
      { type: 'random:index/randomId:RandomId', property: '(count)', kind: 'count' },
    ],
  },
  'secrets.rotationDays': {
    type: 'integer',
    optional: false,
    policy: 'parity',
    rule: rules.rotationDaysProblem,
    must: (v) => `rotate secrets every ${v} days`,
    manifest: 'secrets.rotationDays',
    feeds: [{ type: 'aws:secretsmanager/secretRotation:SecretRotation', property: 'rotationRules.automaticallyAfterDays', kind: 'value' }],
    example: 45,
  },
  'database.backupRetentionDays': {
    type: 'integer',
    optional: false,
    policy: 'parity',
    rule: rules.backupRetentionProblem,
    must: (v) => `keep database backups for ${v} days`,
    manifest: 'backup.retentionDays',
    feeds: [{ type: CLUSTER, property: 'backupRetentionPeriod', kind: 'value', name: '-db-cluster' }],
    example: 14,
  },
  'logging.retentionDays': {
    type: 'integer',
    optional: false,
    policy: 'parity',
    rule: rules.logRetentionProblem,
    must: (v) => `keep logs for ${v} days`,
    manifest: 'logging.retentionDays',
    feeds: [{ type: 'aws:cloudwatch/logGroup:LogGroup', property: 'retentionInDays', kind: 'value' }],
    example: 60,
  },
  'encryption.keyRotation': {
    type: 'boolean',
    optional: false,
    policy: 'parity',
    // Storage is always encrypted with the stack's customer-managed key (the policies refuse anything else); this
    // says whether KMS rotates that key's material every year.
    must: (v) => `${v ? 'rotate' : 'not rotate'} the material of the stack KMS key yearly (keyRotation ${v})`,
    manifest: 'encryption.keyRotation',
    formerly: 'encryption.kmsEnabled',
    feeds: [{ type: 'aws:kms/key:Key', property: 'enableKeyRotation', kind: 'value', name: '-key' }],
    example: false,
  },
  'monitoring.errorThreshold': {
    key: 'TapStack:errorThreshold',
    type: 'integer',
    optional: false,
    policy: 'threshold',
    rule: rules.errorThresholdProblem,
    alarm: { what: 'error alarm threshold', unit: '' },
    manifest: 'monitoring.errorThreshold',
    feeds: alarmFeeds('-monitoring-lambda-errors'),
  },
  'monitoring.latencyThresholdMs': {
    key: 'TapStack:latencyThresholdMs',
    type: 'integer',
    optional: false,
    policy: 'threshold',
    rule: rules.positiveThresholdProblem,
    alarm: { what: 'latency alarm threshold', unit: 'ms' },
    manifest: 'monitoring.latencyThresholdMs',
    feeds: alarmFeeds('-monitoring-lambda-duration'),
  },
  'monitoring.dbCpuThresholdPercent': {
    type: 'integer',
    optional: false,
    policy: 'threshold',
    rule: rules.percentThresholdProblem,
    alarm: { what: 'database CPU alarm threshold', unit: '%' },
    manifest: 'monitoring.dbCpuThresholdPercent',
    feeds: alarmFeeds('-monitoring-aurora-cpu'),
    example: 70,
  },
  'monitoring.dbConnectionsThreshold': {
    key: 'TapStack:dbConnectionsThreshold',
    type: 'integer',
    optional: false,
    policy: 'threshold',
    rule: rules.positiveThresholdProblem,
    alarm: { what: 'database connections alarm threshold', unit: '' },
    manifest: 'monitoring.dbConnectionsThreshold',
    feeds: alarmFeeds('-monitoring-aurora-connections'),
  },
} as const satisfies SettingsTable;

/**
 * True when `path` is a row of the table, i.e. a leaf of `EnvironmentConfig` (the table has exactly one row per leaf).
 *
 * @example
 * isConfigPath('lambda.memoryMb'); // true
 * isConfigPath('lambda.memory');   // false (a manifest path)
 */
export function isConfigPath(path: string): path is ConfigPath {
  return Object.prototype.hasOwnProperty.call(SETTINGS, path);
}

/** Every setting's path, in table order. */
export const SETTING_PATHS: readonly ConfigPath[] = Object.freeze(Object.keys(SETTINGS).filter(isConfigPath));

/** The row of `path`, typed by its value. */
export function settingOf<P extends ConfigPath>(path: P): SettingsTable[P] {
  const table: SettingsTable = SETTINGS;
  return table[path];
}

/**
 * How each configuration path may vary between environments. The manifest's `compare` reads this.
 * - `per-environment`: exact per profile; environments differ here on purpose.
 * - `parity`: identical in every environment; any difference is drift.
 * - `threshold`: an alarm threshold; each environment may be stricter (lower) than its profile, never looser.
 * - `deployment`: set per deployment (suffix, concurrency, timeout); differences are expected.
 */
export const FIELD_POLICIES: Readonly<Record<ConfigPath, FieldPolicy>> = Object.freeze(mapSettings((path) => settingOf(path).policy));

/**
 * A record with one entry per setting, `f(path)` each.
 *
 * @example
 * const keys = mapSettings((path) => SETTINGS[path].manifest); // { environment: null, region: 'region', ... }
 */
export function mapSettings<T>(f: (path: ConfigPath) => T): Record<ConfigPath, T> {
  // Every path of the union is a key: SETTING_PATHS lists all of them.
  return Object.fromEntries(SETTING_PATHS.map((path) => [path, f(path)])) as Record<ConfigPath, T>;
}

/**
 * The settings an ephemeral copy of an environment sets, with their values (the rows with `ephemeral`): what makes a
 * copy of prod destroyable. The smoke run writes them into its temporary stack's config; validation accepts them for a
 * copy only (`validateEnvironmentConfig(env, config, { ephemeralCopy: true })`).
 *
 * @example
 * EPHEMERAL_COPY_SETTINGS; // [['database.deletionProtection', false], ['database.finalSnapshot', false]]
 */
export const EPHEMERAL_COPY_SETTINGS: ReadonlyArray<readonly [ConfigPath, boolean | number | string]> = Object.freeze(
  SETTING_PATHS.flatMap((path) => {
    const value: unknown = (settingOf(path) as { ephemeral?: unknown }).ephemeral;
    return typeof value === 'boolean' || typeof value === 'number' || typeof value === 'string' ? [[path, value] as const] : [];
  }),
);

/** Configuration paths that must be identical in every environment. */
export const PARITY_FIELDS: readonly ConfigPath[] = Object.freeze(SETTING_PATHS.filter((path) => FIELD_POLICIES[path] === 'parity'));

/**
 * True when `value` may be the value of setting `path`: its type (a whole number for `integer`, one of `oneOf`), or
 * `undefined` for an optional setting. Type only: the setting's rule and the profile are `validateEnvironmentConfig`'s.
 *
 * @example
 * isSettingValue('lambda.memoryMb', 1024);     // true
 * isSettingValue('lambda.memoryMb', '1024');   // false
 * isSettingValue('lambda.timeoutSeconds', undefined); // true (optional)
 */
export function isSettingValue<P extends ConfigPath>(path: P, value: unknown): value is ConfigValue<P> {
  const setting: { type: SettingType; optional: boolean; oneOf?: readonly string[] } = settingOf(path);
  if (value === undefined) return setting.optional;
  switch (setting.type) {
    case 'string':
      return typeof value === 'string' && (setting.oneOf === undefined || setting.oneOf.includes(value));
    case 'boolean':
      return typeof value === 'boolean';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value);
  }
}

/**
 * The value of setting `path` in `config`.
 *
 * @example
 * settingValue(environmentProfile('prod'), 'database.instanceCount'); // 2
 */
export function settingValue<P extends ConfigPath>(config: EnvironmentConfig, path: P): ConfigValue<P> {
  const value = path.split('.').reduce<unknown>((node, key) => (isRecord(node) ? node[key] : undefined), config);
  if (!isSettingValue(path, value)) throw new TypeError(`${path} of the config is ${JSON.stringify(value)}, expected type ${settingOf(path).type}`);
  return value;
}

/**
 * What is wrong with `value` by the rule of setting `path` ("must be …"), or undefined when it obeys (or is absent).
 *
 * @example
 * settingProblem('monitoring.dbCpuThresholdPercent', 100); // 'must be an integer from 1 to 99 (percent)'
 */
export function settingProblem<P extends ConfigPath>(path: P, value: ConfigValue<P>): string | undefined {
  const setting: Setting<ConfigValue<P>> = settingOf(path);
  return value === undefined || value === null ? undefined : setting.rule?.(value);
}

/**
 * The end of "… must …" for a value that is not `expected` (e.g. `use 1024MB Lambda memory`), or undefined when the
 * setting has no exact-value message (it is not compared with the profile that way).
 *
 * @example
 * settingMust('lambda.memoryMb', 1024); // 'use 1024MB Lambda memory'
 */
export function settingMust<P extends ConfigPath>(path: P, expected: ConfigValue<P>): string | undefined {
  const setting: Setting<ConfigValue<P>> = settingOf(path);
  return expected === undefined || expected === null ? undefined : setting.must?.(expected);
}

/**
 * Sets setting `path` of `config` to `value`; `undefined` removes an optional setting.
 *
 * @example
 * const config = environmentProfile('dev');
 * setSettingValue(config, 'lambda.reservedConcurrency', 20);
 */
export function setSettingValue<P extends ConfigPath>(config: EnvironmentConfig, path: P, value: ConfigValue<P>): void {
  const keys = path.split('.');
  const leaf = keys.pop() ?? path;
  let node: unknown = config;
  for (const key of keys) node = isRecord(node) ? node[key] : undefined;
  if (!isRecord(node)) throw new TypeError(`${path}: the config has no ${keys.join('.')} block`);
  if (value === undefined) delete node[leaf];
  else node[leaf] = value;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
