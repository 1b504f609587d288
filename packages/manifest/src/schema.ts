import { ENVIRONMENT_NAMES, SETTING_PATHS, isSettingValue, settingOf, type ConfigPath, type SettingType } from '@tap/validation';
import { z } from 'zod';
import { MANIFEST_VERSION } from './constants';
import type { ManifestConfiguration } from './types';

const finite = z.number().finite();

/** A manifest leaf of a setting's type: the manifest is as strict as the config it records. */
function leafSchema(type: SettingType): z.ZodTypeAny {
  switch (type) {
    case 'string':
      return z.string().min(1);
    case 'boolean':
      return z.boolean();
    case 'integer':
      return finite.int();
    case 'number':
      return finite;
  }
}

/**
 * The configuration's shape, from `SETTINGS` of @tap/validation: each setting at its manifest path (`lambda.memory`),
 * optional only when the config may leave it out and it has no fallback; plus the image (no setting: it is built).
 */
function configurationShape(): z.ZodRawShape {
  const top: Record<string, z.ZodTypeAny> = {};
  const groups: Record<string, Record<string, z.ZodTypeAny>> = {};
  const put = (at: string, leaf: z.ZodTypeAny): void => {
    const [group, name] = at.split('.');
    if (name === undefined) top[group] = leaf;
    else groups[group] = { ...groups[group], [name]: leaf };
  };
  for (const path of SETTING_PATHS) {
    const { manifest, type, optional, fallback, formerly } = settingOf(path);
    if (manifest === null) continue;
    // A renamed setting is at one of its two paths (the refinement below says which may be missing).
    const leaf = (optional && fallback === undefined) || formerly !== undefined ? leafSchema(type).optional() : leafSchema(type);
    put(manifest, leaf);
    if (formerly !== undefined) put(formerly, leafSchema(type).optional());
  }
  const blocks = Object.fromEntries(Object.entries(groups).map(([group, shape]) => [group, z.object(shape).strict()]));
  return { ...top, ...blocks, docker: z.object({ imageUri: z.string().min(1) }).strict() };
}

/**
 * The value of setting `path` in a manifest configuration: at its manifest path, or (a manifest recorded before the
 * setting was renamed) at its former one; undefined when absent or when both are present (never two values).
 *
 * @example
 * settingLeaf({ encryption: { kmsEnabled: true } }, 'encryption.keyRotation'); // true (an older manifest)
 */
export function settingLeaf(configuration: unknown, path: ConfigPath): unknown {
  const { manifest, formerly } = settingOf(path);
  if (manifest === null) return undefined;
  const now = manifestLeaf(configuration, manifest);
  const before = formerly === undefined ? undefined : manifestLeaf(configuration, formerly);
  return now !== undefined && before !== undefined ? undefined : (now ?? before);
}

/** The value at a manifest path (`lambda.memory`) of a configuration; undefined when absent. */
export function manifestLeaf(configuration: unknown, at: string): unknown {
  return at.split('.').reduce<unknown>((node, key) => (isRecord(node) ? node[key] : undefined), configuration);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * True when `value` records every setting at its manifest path with its type (a setting with a fallback always),
 * and the image: what the generated shape checks, said so the compiler knows it (zod cannot infer a generated shape).
 */
function isManifestConfiguration(value: Record<string, unknown>): value is ManifestConfiguration {
  const settingsOk = SETTING_PATHS.every((path) => {
    const { manifest, fallback, optional } = settingOf(path);
    if (manifest === null) return true;
    const leaf = settingLeaf(value, path);
    return isSettingValue(path, leaf) && ((fallback === undefined && optional) || leaf !== undefined);
  });
  return settingsOk && typeof manifestLeaf(value, 'docker.imageUri') === 'string';
}

/**
 * What a configuration manifest must look like; unknown keys are rejected at every level. Built from `SETTINGS`, so a
 * new setting needs no edit here; its static type is `ManifestConfiguration`, derived from the same table.
 */
export const configurationSchema = z.object(configurationShape()).strict().refine(isManifestConfiguration, 'does not record every setting of SETTINGS');

export const manifestSchema = z
  .object({
    manifestVersion: z.literal(MANIFEST_VERSION),
    environment: z.enum(ENVIRONMENT_NAMES),
    timestamp: z.string().datetime({ offset: true }),
    configuration: configurationSchema,
    configHash: z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lowercase hex characters (SHA-256)'),
  })
  .strict();
