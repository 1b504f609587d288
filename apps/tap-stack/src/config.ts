import * as pulumi from '@pulumi/pulumi';
import { STACK_PHYSICAL_NAMES } from '@tap/components';
import {
  ConfigValidationError,
  ENVIRONMENT_NAMES,
  SETTING_PATHS,
  environmentProfile,
  isEnvironmentName,
  isSettingValue,
  setSettingValue,
  settingOf,
  settingTypeIssue,
  validateEnvironmentConfig,
  type ConfigPath,
  type EnvironmentConfig,
  type EnvironmentName,
  type ValidationIssue,
} from '@tap/validation';
import { NAMESPACE_TYPO_DISTANCE, PROJECT, PROVIDER_CONFIG_KEYS, STACK_DEFAULTS, STACK_KEYS } from './constants';
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

/**
 * Stack config key -> the `EnvironmentConfig` setting it sets, from the `key` of each row of `SETTINGS`. Absent keys
 * fall back to the environment's profile; present keys are validated against it. Error messages name both, so a reader
 * knows which line of `Pulumi.<env>.yaml` to fix.
 */
export const CONFIG_KEYS: ReadonlyMap<string, ConfigPath> = new Map(
  SETTING_PATHS.flatMap((path): Array<[string, ConfigPath]> => {
    const key: string | undefined = settingOf(path).key;
    return key === undefined ? [] : [[key, path]];
  }),
);

/** Every key the program reads, sorted: the only keys of the `TapStack` namespace a stack may set. */
export const KNOWN_CONFIG_KEYS: readonly string[] = [...CONFIG_KEYS.keys(), ...STACK_KEYS].filter((k) => k.startsWith(`${PROJECT}:`)).sort();

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
 * One line per key the program refuses; empty when every key is known. A key of the `TapStack` namespace (or a namespace
 * that looks like it) the program does not read is named with the nearest valid key; any other namespace's key but
 * `PROVIDER_CONFIG_KEYS` (`aws:endpoints`, `aws:defaultTags`, `pulumi:*`, also from an ESC environment at deploy time)
 * is refused: it would change the deploy where the offline synth and the gate cannot see it.
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
    if (KNOWN_CONFIG_KEYS.includes(key) || (PROVIDER_CONFIG_KEYS as readonly string[]).includes(key)) continue;
    if (!(namespace === PROJECT || looksLikeOurNamespace(namespace))) {
      problems.push(`config key ${key} of Pulumi.${stack}.yaml (or its ESC environment) is refused: the offline synth and the drift gate cannot see what it changes; remove it (outside ${PROJECT}:*, only ${PROVIDER_CONFIG_KEYS.join(', ')} may be set)`);
      continue;
    }
    const wanted = `${PROJECT}:${name}`.toLowerCase();
    const [nearest] = KNOWN_CONFIG_KEYS.map((known) => ({ known, distance: editDistance(wanted, known.toLowerCase()) })).sort(
      (a, b) => a.distance - b.distance,
    );
    // A few edits (or only the case) away is a typo; further away we cannot guess, so list what exists.
    const hint =
      nearest && nearest.distance <= 3 ? `did you mean ${nearest.known}?` : `valid keys are ${KNOWN_CONFIG_KEYS.join(', ')} (and ${PROVIDER_CONFIG_KEYS.join(', ')})`;
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

/** A setting's value from its text: numbers and booleans parsed, text kept as is (wrong types are reported, not guessed). */
function parseSetting(path: ConfigPath, raw: string): unknown {
  switch (settingOf(path).type) {
    case 'string':
      return raw;
    case 'boolean':
      return raw === 'true' ? true : raw === 'false' ? false : raw;
    case 'integer':
    case 'number':
      return /^\s*-?\d+(\.\d+)?\s*$/.test(raw) ? Number(raw) : raw;
  }
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
  const config = environmentProfile(env);
  const issues: ValidationIssue[] = [];
  for (const [key, path] of CONFIG_KEYS) {
    const raw = source.get(key);
    if (raw === undefined) continue;
    const value = parseSetting(path, raw);
    // A value of the wrong type never joins the typed config: it is reported with the rest.
    const typeIssue = settingTypeIssue(path, value);
    if (typeIssue) issues.push(typeIssue);
    else if (isSettingValue(path, value)) setSettingValue(config, path, value);
  }
  // A `<env>-<name>` stack is an ephemeral copy: it may be destroyable where the environment is protected.
  issues.push(...validateEnvironmentConfig(env, config, { ephemeralCopy: stack !== env, physicalNames: STACK_PHYSICAL_NAMES }));
  if (issues.length > 0) throw withConfigKeys(new ConfigValidationError(env, issues));
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
  const keyOf = new Map<string, string>([...CONFIG_KEYS].map(([key, path]) => [path, key]));
  return new ConfigValidationError(
    err.environment,
    err.issues.map((issue) => {
      const key = keyOf.get(issue.path);
      return key ? { ...issue, message: `${issue.message} (set by ${key})` } : issue;
    }),
  );
}
