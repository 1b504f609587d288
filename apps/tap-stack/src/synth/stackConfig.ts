import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { SynthError, type StackConfig } from '@tap/synth';

/**
 * Reads `Pulumi.<stack>.yaml`. Structured values become JSON strings (what `config.getObject` parses); `secure:`
 * values, which only the stack's secrets provider can decrypt, become a fixed placeholder marked secret.
 *
 * @example
 * readStackConfigFile('apps/tap-stack/Pulumi.dev.yaml'); // { values: { 'aws:region': 'us-east-2', ... }, secretKeys: [] }
 */
export function readStackConfigFile(file: string): StackConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new SynthError(`${file}: cannot read the stack config file; create it or pick another stack`, 'input');
  }
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (err) {
    throw new SynthError(`${file}: invalid YAML (${(err as Error).message.split('\n')[0]})`, 'input');
  }
  const config = (doc as { config?: unknown } | null)?.config ?? {};
  if (typeof config !== 'object' || config === null || Array.isArray(config)) {
    throw new SynthError(`${file}: "config" must be a map of project:key to value`, 'input');
  }
  const values: Record<string, string> = {};
  const secretKeys: string[] = [];
  for (const [key, value] of Object.entries(config)) {
    if (!/^[^:\s]+:[^:\s]+$/.test(key)) {
      throw new SynthError(`${file}: config key "${key}" must be namespaced as project:key (e.g. TapStack:lambdaMemoryMb)`, 'input');
    }
    if (typeof value === 'object' && value !== null && !Array.isArray(value) && 'secure' in value) {
      values[key] = `synth-placeholder-for-${key}`;
      secretKeys.push(key);
    } else {
      values[key] = typeof value === 'string' ? value : JSON.stringify(value);
    }
  }
  return { values, secretKeys };
}
