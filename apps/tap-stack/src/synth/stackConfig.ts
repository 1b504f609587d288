import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parse } from 'yaml';
import { SynthError, type StackConfig } from '@tap/synth';

/**
 * Top-level keys of `Pulumi.<stack>.yaml` the synth understands. `environment` (Pulumi ESC imports, whose
 * `pulumiConfig` becomes stack config at deploy time) is refused: the synth and the gate cannot see those values.
 */
const STACK_FILE_KEYS = ['config', 'secretsprovider', 'encryptedkey', 'encryptionsalt'] as const;

/** Keys of a project-level schema declaration in `Pulumi.yaml` (`type`, `default`, ...), as Pulumi's project file defines them. */
const SCHEMA_KEYS = ['type', 'description', 'secret', 'default', 'items'] as const;

const isMap = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function readYaml(file: string, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new SynthError(`${file}: cannot read the ${what}; create it or pick another stack`, 'input');
  }
  try {
    return parse(text) as unknown;
  } catch (err) {
    throw new SynthError(`${file}: invalid YAML (${(err as Error).message.split('\n')[0]})`, 'input');
  }
}

/** A config value as the program reads it: text as is, anything structured as JSON (what `config.getObject` parses). */
const asConfigText = (value: unknown): string => (typeof value === 'string' ? value : JSON.stringify(value));

/**
 * Reads `Pulumi.<stack>.yaml`. Structured values become JSON strings (what `config.getObject` parses); `secure:`
 * values, which only the stack's secrets provider can decrypt, become a placeholder marked secret that carries a
 * digest of the ciphertext, so a new secure value changes the secret inputs it reaches (`changed (secret)`).
 *
 * @example
 * readStackConfigFile('apps/tap-stack/Pulumi.dev.yaml'); // { values: { 'aws:region': 'us-east-2', ... }, secretKeys: [] }
 */
export function readStackConfigFile(file: string): StackConfig {
  const doc = readYaml(file, 'stack config file') ?? {};
  if (!isMap(doc)) throw new SynthError(`${file}: a stack config file is a map with a "config" key`, 'input');
  for (const key of Object.keys(doc)) {
    if (key === 'environment') {
      throw new SynthError(
        `${file}: "environment" imports Pulumi ESC environments, whose config the offline synth and the drift gate cannot see: remove it and set the keys under "config:"`,
        'input',
      );
    }
    if (!(STACK_FILE_KEYS as readonly string[]).includes(key)) {
      throw new SynthError(`${file}: unknown top-level key "${key}": a stack config file has ${STACK_FILE_KEYS.join(', ')}`, 'input');
    }
  }
  const config = doc['config'] ?? {};
  if (!isMap(config)) throw new SynthError(`${file}: "config" must be a map of project:key to value`, 'input');
  const values: Record<string, string> = {};
  const secretKeys: string[] = [];
  for (const [key, value] of Object.entries(config)) {
    if (!/^[^:\s]+:[^:\s]+$/.test(key)) {
      throw new SynthError(`${file}: config key "${key}" must be namespaced as project:key (e.g. TapStack:lambdaMemoryMb)`, 'input');
    }
    if (isMap(value) && 'secure' in value) {
      const ciphertext = createHash('sha256').update(asConfigText(value['secure'])).digest('hex').slice(0, 16);
      values[key] = `synth-placeholder-for-${key}-${ciphertext}`;
      secretKeys.push(key);
    } else {
      values[key] = asConfigText(value);
    }
  }
  return { values, secretKeys };
}

/**
 * The project-level config of `Pulumi.yaml`, as Pulumi applies it to every stack of the project: a key without a
 * namespace is the project's (`lambdaMemoryMb` -> `TapStack:lambdaMemoryMb`); a plain value is the value, `{ value }`
 * a structured value, `{ type, default, ... }` a declaration whose `default` applies (schemas only for the project's
 * own keys). `stackConfigDir` (stack files elsewhere) is refused: the synth reads `Pulumi.<stack>.yaml` beside it.
 *
 * @example
 * readProjectConfig('apps/tap-stack/Pulumi.yaml'); // { project: 'TapStack', values: {} }
 */
export function readProjectConfig(file: string): { project: string; values: Record<string, string> } {
  const doc = readYaml(file, 'project file');
  if (!isMap(doc) || typeof doc['name'] !== 'string' || doc['name'] === '') throw new SynthError(`${file}: a Pulumi project file needs a "name"`, 'input');
  const project = doc['name'];
  if (doc['stackConfigDir'] !== undefined || typeof doc['config'] === 'string') {
    throw new SynthError(`${file}: stack config files in another folder (stackConfigDir) are not supported: the synth and the gate read Pulumi.<stack>.yaml beside ${basename(file)}`, 'input');
  }
  const config = doc['config'] ?? {};
  if (!isMap(config)) throw new SynthError(`${file}: "config" must be a map of key to value`, 'input');
  const values: Record<string, string> = {};
  for (const [name, declared] of Object.entries(config)) {
    const key = name.includes(':') ? name : `${project}:${name}`;
    if (!/^[^:\s]+:[^:\s]+$/.test(key)) throw new SynthError(`${file}: config key "${name}" must be key or namespace:key`, 'input');
    if (!isMap(declared)) {
      values[key] = asConfigText(declared);
      continue;
    }
    if ('value' in declared) {
      values[key] = asConfigText(declared['value']);
      continue;
    }
    const unknown = Object.keys(declared).filter((k) => !(SCHEMA_KEYS as readonly string[]).includes(k));
    if (unknown.length > 0 || Object.keys(declared).length === 0) {
      throw new SynthError(`${file}: config "${name}" must be a value, { value: ... } or a declaration with ${SCHEMA_KEYS.join(', ')}; found ${unknown.join(', ') || 'nothing'}`, 'input');
    }
    if (key.split(':')[0] !== project) {
      throw new SynthError(`${file}: config "${name}" declares a schema for another namespace; set its value directly or as { value: ... }`, 'input');
    }
    if (declared['secret'] === true) {
      throw new SynthError(`${file}: config "${name}" is declared secret; project-level config holds clear text only, set the secret in each Pulumi.<stack>.yaml`, 'input');
    }
    if ('default' in declared) values[key] = asConfigText(declared['default']);
  }
  return { project, values };
}

/** Where {@link readStackConfig} reads a stack's config, and which keys it may hold. */
export interface StackConfigSources {
  /** The Pulumi project folder (its `Pulumi.yaml`). */
  appDir: string;
  /** The stack settings file (`<appDir>/Pulumi.<stack>.yaml`, or another one for tests and copies). */
  stackFile: string;
  /** Keys outside the project's own namespace the stack may set (the program judges its own namespace). */
  allowedForeignKeys: readonly string[];
}

/**
 * A stack's config exactly as `pulumi up` hands it to the program: `Pulumi.yaml`'s project-level config, overridden key
 * by key by `Pulumi.<stack>.yaml`. Refused, naming the key and the file: a key of another namespace than the project's
 * that is not in `allowedForeignKeys` (`aws:endpoints`, `aws:defaultTags`, `pulumi:*`, ...), ESC `environment:`
 * imports, `stackConfigDir`.
 *
 * @throws SynthError (kind `input`) naming the file and what to fix.
 * @example
 * const { project, config } = readStackConfig({ appDir: 'apps/tap-stack', stackFile: 'apps/tap-stack/Pulumi.dev.yaml', allowedForeignKeys: ['aws:region'] });
 */
export function readStackConfig(sources: StackConfigSources): { project: string; config: StackConfig } {
  const projectFile = join(sources.appDir, 'Pulumi.yaml');
  const projectConfig = readProjectConfig(projectFile);
  const stackConfig = readStackConfigFile(sources.stackFile);
  const refused = (key: string, file: string): string | undefined =>
    key.split(':')[0] === projectConfig.project || sources.allowedForeignKeys.includes(key)
      ? undefined
      : `${file}: config key ${key} is refused: the offline synth and the drift gate cannot see what it changes in a deploy; remove it (outside ${projectConfig.project}:*, only ${sources.allowedForeignKeys.join(', ')} may be set)`;
  const problems = [
    ...Object.keys(projectConfig.values).map((key) => refused(key, projectFile)),
    ...Object.keys(stackConfig.values).map((key) => refused(key, sources.stackFile)),
  ].filter((p): p is string => p !== undefined);
  if (problems.length > 0) throw new SynthError(problems.join('\n'), 'input');
  // Stack-level values supersede project-level ones, key by key.
  return { project: projectConfig.project, config: { values: { ...projectConfig.values, ...stackConfig.values }, secretKeys: stackConfig.secretKeys } };
}
