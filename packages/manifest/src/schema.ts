import { ENVIRONMENT_NAMES, SETTING_PATHS, isSettingValue, settingOf, type SettingType } from '@tap/validation';
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
  for (const path of SETTING_PATHS) {
    const { manifest, type, optional, fallback } = settingOf(path);
    if (manifest === null) continue;
    const leaf = optional && fallback === undefined ? leafSchema(type).optional() : leafSchema(type);
    const [group, name] = manifest.split('.');
    if (name === undefined) top[group] = leaf;
    else groups[group] = { ...groups[group], [name]: leaf };
  }
  const blocks = Object.fromEntries(Object.entries(groups).map(([group, shape]) => [group, z.object(shape).strict()]));
  return { ...top, ...blocks, docker: z.object({ imageUri: z.string().min(1) }).strict() };
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
    const { manifest, fallback } = settingOf(path);
    if (manifest === null) return true;
    const leaf = manifestLeaf(value, manifest);
    return isSettingValue(path, leaf) && (fallback === undefined || leaf !== undefined);
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
