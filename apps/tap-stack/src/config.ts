import * as pulumi from '@pulumi/pulumi';
import {
  assertValidEnvironmentConfig,
  ConfigValidationError,
  DEFAULT_ENVIRONMENT_SUFFIX,
  ENVIRONMENT_NAMES,
  environmentProfile,
  isEnvironmentName,
  type EnvironmentConfig,
  type EnvironmentName,
} from '@tap/validation';
import { CONFIG_KEYS, NAMESPACE_TYPO_DISTANCE, PROJECT, STACK_DEFAULTS, STACK_KEYS } from './constants';
import { StackConfigError } from './errors';

/** Everything the program reads from `Pulumi.<stack>.yaml`. */
export interface StackSettings {
  /** The validated environment. */
  environment: EnvironmentConfig;
  /** Fully qualified networking stack, e.g. `organization/networking-stack/prod`. */
  networkingStackRef: string;
  /** Email subscribed to the alarm topic, if any. */
  alarmEmail?: string;
  /** Image build context relative to the workspace root. */
  imageBuildContext: string;
}

/** Where the program reads its config: raw strings by `namespace:key`, and every key the stack sets. */
export interface ConfigSource {
  /** The raw value of `namespace:key` (e.g. `TapStack:lambdaMemoryMb`), or undefined when unset. */
  get(key: string): string | undefined;
  /** Every key the stack sets, as `namespace:key`: unknown ones are refused. */
  keys(): readonly string[];
}

/** The running stack's config (`Pulumi.<stack>.yaml`, as the CLI or the offline synth hands it to the program). */
export const pulumiConfigSource: ConfigSource = {
  get: (key) => {
    const [project, name] = key.split(':');
    return new pulumi.Config(project).get(name);
  },
  // allConfig() is the whole config map, keys as `namespace:key` (the SDK strips the language host's `:config:`).
  keys: () => Object.keys(pulumi.runtime.allConfig()),
};

/** Every key the program reads, sorted: the only keys of the `TapStack` namespace a stack may set. */
export const KNOWN_CONFIG_KEYS: readonly string[] = [...Object.keys(CONFIG_KEYS), ...STACK_KEYS].filter((k) => k.startsWith(`${PROJECT}:`)).sort();

/** Levenshtein distance: how many single-character edits turn `a` into `b`. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}

/** `tap-stack`, `tapstack`, `TapStak`: a namespace that is ours, misspelt. */
function looksLikeOurNamespace(namespace: string): boolean {
  const folded = namespace.toLowerCase().replace(/[^a-z0-9]/g, '');
  return editDistance(folded, PROJECT.toLowerCase()) <= NAMESPACE_TYPO_DISTANCE;
}

/**
 * One line per key of the `TapStack` namespace (or a namespace that looks like it) the program does not read, with the
 * nearest valid key; empty when every key is known. `aws:` and other providers' keys are never reported.
 *
 * @example
 * unknownConfigKeys(['aws:region', 'TapStack:lambdaMemoryMB'], 'prod');
 * // ['unknown config key TapStack:lambdaMemoryMB in Pulumi.prod.yaml: did you mean TapStack:lambdaMemoryMb?']
 */
export function unknownConfigKeys(keys: readonly string[], stack: string): string[] {
  const problems: string[] = [];
  for (const key of keys) {
    const [namespace, ...rest] = key.split(':');
    const name = rest.join(':');
    if (KNOWN_CONFIG_KEYS.includes(key) || !(namespace === PROJECT || looksLikeOurNamespace(namespace))) continue;
    const wanted = `${PROJECT}:${name}`.toLowerCase();
    const [nearest] = KNOWN_CONFIG_KEYS.map((known) => ({ known, distance: editDistance(wanted, known.toLowerCase()) })).sort(
      (a, b) => a.distance - b.distance,
    );
    // A few edits (or only the case) away is a typo; further away we cannot guess, so list what exists.
    const hint =
      nearest && nearest.distance <= 3 ? `did you mean ${nearest.known}?` : `valid keys are ${KNOWN_CONFIG_KEYS.join(', ')} (and aws:region)`;
    problems.push(`unknown config key ${key} in Pulumi.${stack}.yaml: ${hint}`);
  }
  return problems;
}

/**
 * The environment a stack deploys, from its name: `prod`, or `prod-<name>` for an ephemeral copy (`dev-pr42`).
 * Undefined when the name starts with no environment.
 *
 * @example
 * environmentOfStack('dev-pr42'); // 'dev'
 */
export function environmentOfStack(stack: string): EnvironmentName | undefined {
  const match = /^([a-z]+)(-.+)?$/.exec(stack);
  return match && isEnvironmentName(match[1]) ? match[1] : undefined;
}

/** The environment of `stack`: its name decides; `TapStack:environment`, when set, must agree with it. */
function resolveEnvironment(source: ConfigSource, stack: string): EnvironmentName {
  const declared = source.get(`${PROJECT}:environment`);
  if (declared !== undefined && !isEnvironmentName(declared)) {
    throw new StackConfigError(
      `environment "${declared}" must be one of ${ENVIRONMENT_NAMES.join(', ')}: fix ${PROJECT}:environment in Pulumi.${stack}.yaml`,
    );
  }
  const named = environmentOfStack(stack);
  if (named === undefined) {
    throw new StackConfigError(
      `stack ${stack} is not named after an environment: name it ${ENVIRONMENT_NAMES.slice(0, -1).join(', ')} or ${ENVIRONMENT_NAMES.at(-1)}, or <environment>-<name> for a copy (e.g. dev-pr42)`,
    );
  }
  // One source of truth: `pulumi up --stack prod` must never deploy another environment's sizing.
  if (declared !== undefined && declared !== named) {
    throw new StackConfigError(
      `stack ${stack} declares ${PROJECT}:environment ${declared} in Pulumi.${stack}.yaml: a stack deploys the environment it is named after (${named}, or ${named}-<name> for a copy); remove ${PROJECT}:environment or set it to ${named}, or use a ${declared} stack`,
    );
  }
  return named;
}

/** Numbers stay numbers; anything else is passed on as text so validation reports it as a wrong type. */
function parseNumber(raw: string): number | string {
  return /^\s*-?\d+(\.\d+)?\s*$/.test(raw) ? Number(raw) : raw;
}

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split('.');
  let node = target;
  for (const part of parts.slice(0, -1)) node = node[part] as Record<string, unknown>;
  node[parts[parts.length - 1]] = value;
}

/**
 * Builds the stack's one `EnvironmentConfig` (profile defaults + overrides from config) and validates it before any
 * resource exists. Throws `StackConfigError` for an unknown key (with the nearest valid one) or a stack whose name and
 * `TapStack:environment` disagree, and `ConfigValidationError` listing every violation, each with the config key to fix.
 *
 * @example
 * const settings = readStackSettings(pulumiConfigSource, pulumi.getStack());
 */
export function readStackSettings(source: ConfigSource, stack: string): StackSettings {
  const unknown = unknownConfigKeys(source.keys(), stack);
  if (unknown.length > 0) throw new StackConfigError(unknown.join('\n'));
  const env = resolveEnvironment(source, stack);
  const suffix = source.get(`${PROJECT}:environmentSuffix`) ?? DEFAULT_ENVIRONMENT_SUFFIX;
  const config = environmentProfile(env, DEFAULT_ENVIRONMENT_SUFFIX) as unknown as Record<string, unknown>;
  (config['lambda'] as Record<string, unknown>)['reservedConcurrency'] = STACK_DEFAULTS.reservedConcurrency[env];
  for (const [key, path] of Object.entries(CONFIG_KEYS)) {
    const raw = source.get(key);
    if (raw === undefined) continue;
    const textual = path === 'region' || path === 'environmentSuffix' || path === 'database.instanceClass';
    setPath(config, path, textual ? raw : parseNumber(raw));
  }
  config['environmentSuffix'] = suffix;

  try {
    assertValidEnvironmentConfig(env, config);
  } catch (err) {
    if (err instanceof ConfigValidationError) throw withConfigKeys(err);
    throw err;
  }
  return {
    environment: config,
    networkingStackRef:
      source.get(`${PROJECT}:networkingStackRef`) ?? STACK_DEFAULTS.networkingStackRef.replace('{environment}', env),
    alarmEmail: source.get(`${PROJECT}:alarmEmail`),
    imageBuildContext: source.get(`${PROJECT}:imageBuildContext`) ?? STACK_DEFAULTS.imageBuildContext,
  };
}

/** The same error, each issue's message prefixed with the `Pulumi.<stack>.yaml` key that sets its path. */
function withConfigKeys(err: ConfigValidationError): ConfigValidationError {
  const keyOf = new Map(Object.entries(CONFIG_KEYS).map(([key, path]) => [path as string, key]));
  return new ConfigValidationError(
    err.environment,
    err.issues.map((issue) => {
      const key = keyOf.get(issue.path);
      return key ? { ...issue, message: `${issue.message} (set by ${key})` } : issue;
    }),
  );
}
