import {
  AURORA_POSTGRES_MAJOR,
  AURORA_POSTGRES_VERSION,
  DEFAULT_LAMBDA_TIMEOUT_SECONDS,
  ENVIRONMENT_NAMES,
  LAMBDA_LIMITS,
  RETIRED_AURORA_POSTGRES_VERSIONS,
} from './constants';
import { ConfigValidationError } from './errors';
import { lambdaVcpuForMemory } from './lambda';
import { NAME_PART } from './naming';
import { nameLimitBreach } from './physicalNames';
import { PROFILES, isEnvironmentName } from './profiles';
import type { EnvironmentConfig, EnvironmentProfile, ValidationIssue } from './types';

type Leaf = 'string' | 'integer' | 'number' | 'boolean';
type Shape = { readonly [key: string]: Leaf | `${Leaf}?` | Shape };

/** The structure of `EnvironmentConfig`; `?` marks optional settings. Anything else is an unknown key. */
const SHAPE: Shape = {
  environment: 'string',
  region: 'string',
  environmentSuffix: 'string',
  lambda: { memoryMb: 'integer', vcpu: 'number', reservedConcurrency: 'integer?', timeoutSeconds: 'integer?' },
  database: { instanceClass: 'string', instanceCount: 'integer', engineVersion: 'string', backupRetentionDays: 'integer' },
  monitoring: {
    errorThreshold: 'integer',
    latencyThresholdMs: 'integer',
    dbCpuThresholdPercent: 'integer',
    dbConnectionsThreshold: 'integer',
  },
  secrets: { rotationDays: 'integer' },
  logging: { retentionDays: 'integer' },
  encryption: { kmsEnabled: 'boolean' },
};

/** Parity values are the same in every profile; dev's copy is as good as any. */
const PARITY = PROFILES.dev;

/**
 * Checks `config` against the profile of `environment` and returns EVERY violation (an empty array when valid).
 * Never throws: unknown environments, wrong types, missing fields and unknown keys are issues too.
 *
 * @example
 * const issues = validateEnvironmentConfig('dev', { ...environmentProfile('dev'), region: 'eu-west-1' });
 * issues[0].message; // 'Dev environment must use region us-east-2, got eu-west-1'
 */
export function validateEnvironmentConfig(environment: string, config: unknown): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const known = isEnvironmentName(environment);
  if (!known) {
    issues.push({
      path: 'environment',
      expected: `one of ${ENVIRONMENT_NAMES.join(', ')}`,
      actual: environment,
      message: `Unknown environment "${String(environment)}": expected one of ${ENVIRONMENT_NAMES.join(', ')}`,
    });
  }
  if (!isRecord(config)) {
    issues.push({
      path: '',
      expected: 'an object',
      actual: config,
      message: `Environment config must be an object, got ${describe(config)}`,
    });
    return issues;
  }

  const values = new Map<string, unknown>();
  checkShape(config, SHAPE, '', issues, values);
  const has = (path: string): boolean => values.has(path);
  const num = (path: string): number => values.get(path) as number;
  const str = (path: string): string => values.get(path) as string;
  const add = (path: string, expected: string, message: string): void => {
    issues.push({ path, expected, actual: values.get(path), message });
  };

  // Identity.
  if (has('environment')) {
    const declared = str('environment');
    if (!isEnvironmentName(declared)) {
      add('environment', `one of ${ENVIRONMENT_NAMES.join(', ')}`, `environment must be one of ${ENVIRONMENT_NAMES.join(', ')}, got "${declared}"`);
    } else if (known && declared !== environment) {
      add('environment', environment, `Config for the ${environment} environment declares environment "${declared}"`);
    }
  }
  if (has('environmentSuffix') && !NAME_PART.test(str('environmentSuffix'))) {
    add(
      'environmentSuffix',
      'lowercase letters, digits and single hyphens',
      `environmentSuffix must be lowercase letters, digits and single hyphens (e.g. "001"), got "${str('environmentSuffix')}"`,
    );
  }

  // Exact per environment.
  const profile: EnvironmentProfile | undefined = known ? PROFILES[environment] : undefined;
  // A name over its AWS limit fails the deploy halfway, after everything before it was created: refuse the suffix now.
  if (known && has('environmentSuffix') && NAME_PART.test(str('environmentSuffix'))) {
    const count = has('database.instanceCount') && num('database.instanceCount') >= 1 ? num('database.instanceCount') : PROFILES[environment].database.instanceCount;
    const breach = nameLimitBreach(environment, str('environmentSuffix'), count);
    if (breach) {
      add(
        'environmentSuffix',
        `at most ${breach.maxSuffixLength} characters`,
        `environmentSuffix "${str('environmentSuffix')}" (${str('environmentSuffix').length} characters) is too long for ${environment}: ` +
          `the ${breach.resource} would be named "${breach.name}" (${breach.name.length} characters) and AWS allows ${breach.limit}; ` +
          `use a suffix of at most ${breach.maxSuffixLength} characters`,
      );
    }
  }
  const label = known ? `${environment.charAt(0).toUpperCase()}${environment.slice(1)} environment` : '';
  if (profile) {
    exact('region', profile.region, (v) => `${label} must use region ${profile.region}, got ${v}`);
    exact('lambda.memoryMb', profile.lambda.memoryMb, (v) => `${label} must use ${profile.lambda.memoryMb}MB Lambda memory, got ${v}`);
    exact('lambda.vcpu', profile.lambda.vcpu, (v) => `${label} must use ${profile.lambda.vcpu} Lambda vCPU, got ${v}`);
    exact(
      'database.instanceClass',
      profile.database.instanceClass,
      (v) => `${label} must use ${profile.database.instanceClass} database instances, got ${v}`,
    );
    const count = profile.database.instanceCount;
    exact(
      'database.instanceCount',
      count,
      (v) => `${label} must run ${count} database instance${count === 1 ? '' : 's'}${count > 1 ? ' (high availability)' : ''}, got ${v}`,
    );
  } else if (has('lambda.memoryMb') && (num('lambda.memoryMb') < LAMBDA_LIMITS.minMemoryMb || num('lambda.memoryMb') > LAMBDA_LIMITS.maxMemoryMb)) {
    add(
      'lambda.memoryMb',
      `${LAMBDA_LIMITS.minMemoryMb} to ${LAMBDA_LIMITS.maxMemoryMb}`,
      `Lambda memory must be between ${LAMBDA_LIMITS.minMemoryMb} and ${LAMBDA_LIMITS.maxMemoryMb} MB, got ${num('lambda.memoryMb')}`,
    );
  }
  // vCPU follows memory; only worth saying when the vCPU itself matched the profile (else it is already reported).
  const vcpuReported = issues.some((issue) => issue.path === 'lambda.vcpu');
  if (!vcpuReported && has('lambda.vcpu') && has('lambda.memoryMb') && num('lambda.memoryMb') >= 0) {
    const implied = lambdaVcpuForMemory(num('lambda.memoryMb'));
    if (implied !== num('lambda.vcpu')) {
      add(
        'lambda.vcpu',
        String(implied),
        `Lambda vCPU ${num('lambda.vcpu')} does not match ${num('lambda.memoryMb')}MB memory, which gives ${implied} vCPU (1 vCPU per ${LAMBDA_LIMITS.mbPerVcpu}MB)`,
      );
    }
  }
  if (has('lambda.reservedConcurrency') && num('lambda.reservedConcurrency') < 1) {
    add(
      'lambda.reservedConcurrency',
      'a positive integer',
      `lambda.reservedConcurrency must be a positive integer (0 would throttle every invocation), got ${num('lambda.reservedConcurrency')}`,
    );
  }
  const timeoutOk =
    !has('lambda.timeoutSeconds') ||
    (num('lambda.timeoutSeconds') >= 1 && num('lambda.timeoutSeconds') <= LAMBDA_LIMITS.maxTimeoutSeconds);
  if (!timeoutOk) {
    add(
      'lambda.timeoutSeconds',
      `1 to ${LAMBDA_LIMITS.maxTimeoutSeconds}`,
      `lambda.timeoutSeconds must be between 1 and ${LAMBDA_LIMITS.maxTimeoutSeconds} seconds, got ${num('lambda.timeoutSeconds')}`,
    );
  }

  // Identical in every environment.
  if (has('database.engineVersion') && str('database.engineVersion') !== AURORA_POSTGRES_VERSION) {
    const version = str('database.engineVersion');
    const why = (RETIRED_AURORA_POSTGRES_VERSIONS as readonly string[]).includes(version)
      ? `AWS no longer offers ${version} (CreateDBCluster fails with "Cannot find version ${version} for aurora-postgresql")`
      : version.split('.')[0] !== AURORA_POSTGRES_MAJOR
        ? `the platform is built for PostgreSQL ${AURORA_POSTGRES_MAJOR}; a major upgrade is a planned migration, not a config change`
        : 'the version is pinned in one place (AURORA_POSTGRES_VERSION in @tap/validation) and identical in every environment';
    add(
      'database.engineVersion',
      AURORA_POSTGRES_VERSION,
      `All environments must use Aurora PostgreSQL ${AURORA_POSTGRES_VERSION}, got ${version}: ${why}`,
    );
  }
  exact(
    'database.backupRetentionDays',
    PARITY.database.backupRetentionDays,
    (v) => `All environments must keep database backups for ${PARITY.database.backupRetentionDays} days, got ${v}`,
  );
  exact('secrets.rotationDays', PARITY.secrets.rotationDays, (v) => `All environments must rotate secrets every ${PARITY.secrets.rotationDays} days, got ${v}`);
  exact('logging.retentionDays', PARITY.logging.retentionDays, (v) => `All environments must keep logs for ${PARITY.logging.retentionDays} days, got ${v}`);
  exact('encryption.kmsEnabled', PARITY.encryption.kmsEnabled, (v) => `All environments must encrypt with a customer-managed KMS key (kmsEnabled true), got ${v}`);

  // Alarm thresholds: positive integers, stricter than the profile allowed, looser never.
  const thresholds = [
    ['monitoring.errorThreshold', 'error alarm threshold', '', profile?.monitoring.errorThreshold],
    ['monitoring.latencyThresholdMs', 'latency alarm threshold', 'ms', profile?.monitoring.latencyThresholdMs],
    ['monitoring.dbCpuThresholdPercent', 'database CPU alarm threshold', '%', profile?.monitoring.dbCpuThresholdPercent ?? PARITY.monitoring.dbCpuThresholdPercent],
    ['monitoring.dbConnectionsThreshold', 'database connections alarm threshold', '', profile?.monitoring.dbConnectionsThreshold],
  ] as const;
  for (const [path, what, unit, limit] of thresholds) {
    if (!has(path)) continue;
    const value = num(path);
    if (value < 1) {
      add(path, 'a positive integer', `${path} must be a positive integer, got ${value}`);
    } else if (limit !== undefined && value > limit) {
      const who = profile ? label : 'Every environment';
      add(path, `at most ${limit}`, `${who} ${what} must be at most ${limit}${unit}, got ${value}`);
    }
  }
  if (has('monitoring.latencyThresholdMs') && timeoutOk) {
    const timeoutMs = (has('lambda.timeoutSeconds') ? num('lambda.timeoutSeconds') : DEFAULT_LAMBDA_TIMEOUT_SECONDS) * 1000;
    if (num('monitoring.latencyThresholdMs') >= timeoutMs) {
      add(
        'monitoring.latencyThresholdMs',
        `below ${timeoutMs}`,
        `monitoring.latencyThresholdMs ${num('monitoring.latencyThresholdMs')} must be below the Lambda timeout (${timeoutMs}ms), or slow invocations time out before the alarm sees them`,
      );
    }
  }
  return issues;

  function exact(path: string, expected: string | number | boolean, message: (actual: unknown) => string): void {
    if (has(path) && values.get(path) !== expected) add(path, String(expected), message(values.get(path)));
  }
}

/**
 * Throws one `ConfigValidationError` listing every violation, or narrows `config` to `EnvironmentConfig`.
 * Call it before creating any resource.
 *
 * @example
 * const config: unknown = JSON.parse(readFileSync('prod.json', 'utf8'));
 * assertValidEnvironmentConfig('prod', config);
 * config.database.instanceCount; // typed from here on
 */
export function assertValidEnvironmentConfig(environment: string, config: unknown): asserts config is EnvironmentConfig {
  const issues = validateEnvironmentConfig(environment, config);
  if (issues.length > 0) throw new ConfigValidationError(environment, issues);
}

function checkShape(
  value: Record<string, unknown>,
  shape: Shape,
  prefix: string,
  issues: ValidationIssue[],
  values: Map<string, unknown>,
): void {
  const known = Object.keys(shape);
  for (const key of Object.keys(value)) {
    if (!known.includes(key)) {
      const path = `${prefix}${key}`;
      issues.push({
        path,
        expected: 'absent',
        actual: value[key],
        message: `${path} is not a known setting (known${prefix ? ` in ${prefix.slice(0, -1)}` : ''}: ${known.join(', ')})`,
      });
    }
  }
  for (const [key, spec] of Object.entries(shape)) {
    const path = `${prefix}${key}`;
    const actual = value[key];
    if (typeof spec === 'object') {
      if (!isRecord(actual)) {
        issues.push({
          path,
          expected: 'an object',
          actual,
          message: actual === undefined ? `${path} is required` : `${path} must be an object, got ${describe(actual)}`,
        });
      } else {
        checkShape(actual, spec, `${path}.`, issues, values);
      }
      continue;
    }
    const optional = spec.endsWith('?');
    const leaf = spec.replace('?', '') as Leaf;
    if (actual === undefined) {
      if (!optional) issues.push({ path, expected: LEAF_WORDS[leaf], actual, message: `${path} is required (${LEAF_WORDS[leaf]})` });
      continue;
    }
    const problem = leafProblem(leaf, actual);
    if (problem) {
      issues.push({ path, expected: LEAF_WORDS[leaf], actual, message: `${path} must be ${problem}, got ${describe(actual, leaf === 'number' || leaf === 'integer')}` });
    } else {
      values.set(path, actual);
    }
  }
}

const LEAF_WORDS: Record<Leaf, string> = {
  string: 'a string',
  integer: 'a whole number',
  number: 'a number',
  boolean: 'true or false',
};

function leafProblem(leaf: Leaf, value: unknown): string | undefined {
  switch (leaf) {
    case 'string':
      if (typeof value !== 'string') return 'a string';
      return value.trim() === '' ? 'a non-empty string' : undefined;
    case 'boolean':
      return typeof value === 'boolean' ? undefined : 'true or false';
    case 'number':
    case 'integer':
      if (typeof value !== 'number') return 'a number';
      if (!Number.isFinite(value)) return 'a finite number';
      return leaf === 'integer' && !Number.isInteger(value) ? 'a whole number' : undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A value as a message shows it; numbers get their type named unless a number was expected. */
function describe(value: unknown, numberExpected = false): string {
  if (value === null) return 'null';
  if (typeof value === 'number' && !numberExpected) return `number ${value}`;
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `string "${value}"`;
  if (typeof value === 'number') return Number.isNaN(value) ? 'NaN' : String(value);
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
}
