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
import { CONFIG_KEYS, PROJECT, STACK_DEFAULTS } from './constants';
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

/** Source of raw config strings (`project:key` -> value); the Pulumi config in the program, a map in tests. */
export type ConfigSource = (key: string) => string | undefined;

/** Reads `project:key` from the running stack's config. */
export const pulumiConfigSource: ConfigSource = (key) => {
  const [project, name] = key.split(':');
  return new pulumi.Config(project).get(name);
};

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
 * resource exists. Throws `ConfigValidationError` listing every violation, each with the config key to fix.
 *
 * @example
 * const settings = readStackSettings(pulumiConfigSource, pulumi.getStack());
 */
export function readStackSettings(get: ConfigSource, stack: string): StackSettings {
  const environmentName = get(`${PROJECT}:environment`) ?? stack;
  if (!isEnvironmentName(environmentName)) {
    throw new StackConfigError(
      `environment "${environmentName}" must be one of ${ENVIRONMENT_NAMES.join(', ')}: set ${PROJECT}:environment or name the stack after the environment`,
    );
  }
  const env: EnvironmentName = environmentName;
  const suffix = get(`${PROJECT}:environmentSuffix`) ?? DEFAULT_ENVIRONMENT_SUFFIX;
  const config = environmentProfile(env, DEFAULT_ENVIRONMENT_SUFFIX) as unknown as Record<string, unknown>;
  (config['lambda'] as Record<string, unknown>)['reservedConcurrency'] = STACK_DEFAULTS.reservedConcurrency[env];
  for (const [key, path] of Object.entries(CONFIG_KEYS)) {
    const raw = get(key);
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
      get(`${PROJECT}:networkingStackRef`) ?? STACK_DEFAULTS.networkingStackRef.replace('{environment}', env),
    alarmEmail: get(`${PROJECT}:alarmEmail`),
    imageBuildContext: get(`${PROJECT}:imageBuildContext`) ?? STACK_DEFAULTS.imageBuildContext,
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
