import { AURORA_POSTGRES_MAJOR, AURORA_POSTGRES_VERSION, ENVIRONMENT_NAMES, LAMBDA_LIMITS, RETIRED_AURORA_POSTGRES_VERSIONS } from './constants';
import { ConfigValidationError } from './errors';
import { lambdaVcpuForMemory } from './lambda';
import { NAME_PART } from './naming';
import { nameLimitBreach, type StackPhysicalName } from './physicalNames';
import { PROFILES, environmentProfile, isEnvironmentName } from './profiles';
import { latencyBelowTimeoutProblem } from './settingRules';
import {
  SETTINGS,
  SETTING_PATHS,
  isSettingValue,
  settingMust,
  settingOf,
  settingProblem,
  settingValue,
  type SettingType,
} from './settings';
import type { ConfigPath, EnvironmentConfig, FieldPolicy, ValidationIssue } from './types';

type Leaf = SettingType;
type Shape = { readonly [key: string]: Leaf | `${Leaf}?` | Shape };
type MutableShape = { [key: string]: Leaf | `${Leaf}?` | MutableShape };

/** The structure of `EnvironmentConfig`, from `SETTINGS`; `?` marks optional settings. Anything else is an unknown key. */
const SHAPE: Shape = shapeOf(SETTING_PATHS);

function shapeOf(paths: readonly ConfigPath[]): Shape {
  const shape: MutableShape = {};
  for (const path of paths) {
    const keys = path.split('.');
    const leaf = keys.pop() ?? path;
    let node = shape;
    for (const key of keys) {
      const child = node[key];
      if (typeof child === 'object') node = child;
      else node = node[key] = {};
    }
    const { type, optional } = settingOf(path);
    node[leaf] = optional ? `${type}?` : type;
  }
  return shape;
}

/** Parity values are the same in every profile; dev's copy is as good as any. */
const PARITY = environmentProfile('dev');

/** The value every profile has at `path`, or undefined when the profiles differ there. */
function commonProfileValue(path: ConfigPath): unknown {
  const [first, ...rest] = ENVIRONMENT_NAMES.map((env) => settingValue(environmentProfile(env), path));
  return rest.every((value) => value === first) ? first : undefined;
}

/** Options of {@link validateEnvironmentConfig}. */
export interface ValidationOptions {
  /**
   * The config is an ephemeral copy of the environment (a `<env>-<name>` stack, e.g. a smoke run): a `per-environment`
   * setting may also take its row's `ephemeral` value (destroyable), whatever the profile says. Default: false.
   */
  ephemeralCopy?: boolean;
  /**
   * Every physical name the stack derives from `environmentSuffix` (the stack's list, e.g. `STACK_PHYSICAL_NAMES` of
   * `@tap/components`): a suffix that pushes one past its AWS limit is an issue. Default: none, so no name is checked.
   */
  physicalNames?: readonly StackPhysicalName[];
}

/**
 * Checks `config` against the profile of `environment` and returns EVERY violation (an empty array when valid).
 * Never throws: unknown environments, wrong types, missing fields and unknown keys are issues too. Each setting is
 * checked as its row of `SETTINGS` says: its type, then its rule, then its policy against the profile.
 *
 * @example
 * const issues = validateEnvironmentConfig('dev', { ...environmentProfile('dev'), region: 'eu-west-1' });
 * issues[0].message; // 'Dev environment must use region us-east-2, got eu-west-1'
 */
export function validateEnvironmentConfig(environment: string, config: unknown, options: ValidationOptions = {}): ValidationIssue[] {
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

  const profile: EnvironmentConfig | undefined = known ? environmentProfile(environment) : undefined;
  // A name over its AWS limit fails the deploy halfway, after everything before it was created: refuse the suffix now.
  if (known && has('environmentSuffix') && NAME_PART.test(str('environmentSuffix'))) {
    const count = has('database.instanceCount') && num('database.instanceCount') >= 1 ? num('database.instanceCount') : PROFILES[environment].database.instanceCount;
    const breach = nameLimitBreach(options.physicalNames ?? [], environment, str('environmentSuffix'), count);
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

  // Every setting as its row says: its rule, then exact per profile (per-environment), identical everywhere (parity),
  // or at most the profile's (threshold: stricter is allowed, looser never).
  const broken = new Set<string>();
  for (const path of SETTING_PATHS) {
    if (!has(path)) continue;
    const value = values.get(path);
    if (!isSettingValue(path, value)) continue;
    const setting: SettingCheck = settingOf(path);
    const problem = settingProblem(path, value);
    if (problem) {
      broken.add(path);
      add(path, problem.replace(/^must be /, ''), `${path} ${problem}, got ${String(value)}`);
      continue;
    }
    const exact = setting.policy === 'per-environment' ? profile : setting.policy === 'parity' ? PARITY : undefined;
    const expected = exact && settingValue(exact, path);
    const must = exact && settingMust(path, settingValue(exact, path));
    // A copy is torn down by its run: it may be destroyable where the environment is protected.
    const copyOverride = options.ephemeralCopy === true && setting.ephemeral !== undefined && value === setting.ephemeral;
    if (must && value !== expected && !copyOverride) {
      add(path, String(expected), `${setting.policy === 'parity' ? 'All environments' : label} must ${must}, got ${String(value)}`);
    } else if (setting.policy === 'threshold' && setting.alarm) {
      const limit = profile ? settingValue(profile, path) : commonProfileValue(path);
      if (typeof limit === 'number' && num(path) > limit) {
        const who = profile ? label : 'Every environment';
        add(path, `at most ${limit}`, `${who} ${setting.alarm.what} must be at most ${limit}${setting.alarm.unit}, got ${num(path)}`);
      }
    }
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

  // The engine version is pinned in one constant; say why another version is refused.
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

  // The latency alarm must fire before the function times out.
  if (has('monitoring.latencyThresholdMs') && !broken.has('monitoring.latencyThresholdMs') && !broken.has('lambda.timeoutSeconds')) {
    const timeoutSeconds = has('lambda.timeoutSeconds') ? num('lambda.timeoutSeconds') : SETTINGS['lambda.timeoutSeconds'].fallback;
    const problem = latencyBelowTimeoutProblem(num('monitoring.latencyThresholdMs'), timeoutSeconds);
    if (problem) {
      add(
        'monitoring.latencyThresholdMs',
        `below ${timeoutSeconds * 1000}`,
        `monitoring.latencyThresholdMs ${num('monitoring.latencyThresholdMs')} ${problem}`,
      );
    }
  }
  return issues;
}

/** What validation reads of a row whatever its value type (its rule and message are `settingProblem`/`settingMust`). */
interface SettingCheck {
  readonly policy: FieldPolicy;
  readonly ephemeral?: unknown;
  readonly alarm?: { readonly what: string; readonly unit: string };
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
export function assertValidEnvironmentConfig(environment: string, config: unknown, options: ValidationOptions = {}): asserts config is EnvironmentConfig {
  const issues = validateEnvironmentConfig(environment, config, options);
  if (issues.length > 0) throw new ConfigValidationError(environment, issues);
}

/**
 * The issue of a value that is not of setting `path`'s type (the same message as `validateEnvironmentConfig`), or
 * undefined when it is. For readers that take a setting from text (e.g. a `Pulumi.<stack>.yaml` value) before it joins
 * a typed config.
 *
 * @example
 * settingTypeIssue('lambda.memoryMb', 'big')?.message; // 'lambda.memoryMb must be a number, got string "big"'
 */
export function settingTypeIssue(path: ConfigPath, value: unknown): ValidationIssue | undefined {
  const issues: ValidationIssue[] = [];
  checkLeaf(path, value, settingOf(path).type, settingOf(path).optional, issues, new Map());
  return issues[0];
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
    checkLeaf(path, actual, leafOf(spec), spec.endsWith('?'), issues, values);
  }
}

function leafOf(spec: Leaf | `${Leaf}?`): Leaf {
  return spec === 'string?' ? 'string' : spec === 'integer?' ? 'integer' : spec === 'number?' ? 'number' : spec === 'boolean?' ? 'boolean' : spec;
}

function checkLeaf(path: string, actual: unknown, leaf: Leaf, optional: boolean, issues: ValidationIssue[], values: Map<string, unknown>): void {
  if (actual === undefined) {
    if (!optional) issues.push({ path, expected: LEAF_WORDS[leaf], actual, message: `${path} is required (${LEAF_WORDS[leaf]})` });
    return;
  }
  const problem = leafProblem(leaf, actual);
  if (problem) {
    issues.push({ path, expected: LEAF_WORDS[leaf], actual, message: `${path} must be ${problem}, got ${describe(actual, leaf === 'number' || leaf === 'integer')}` });
  } else {
    values.set(path, actual);
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
