import { ENVIRONMENT_NAMES, SETTING_PATHS, isSettingValue, settingOf, type ConfigPath, type SettingType } from '@tap/validation';
import { z } from 'zod';
import { IMAGE_URI_PATH, MANIFEST_VERSION } from './constants';
import type { ConfigManifest, ManifestConfiguration } from './types';

/** Why a leaf or block a manifest lists in `fields` is missing: not an old file (that lists fewer fields), an edited one. */
const LISTED_BUT_ABSENT = 'listed in fields but has no value (an edited file: an older writer lists fewer fields); regenerate it';

/** A manifest leaf of a setting's type: the manifest is as strict as the config it records. */
function leafSchema(type: SettingType): z.ZodTypeAny {
  const required_error = LISTED_BUT_ABSENT;
  switch (type) {
    case 'string':
      return z.string({ required_error }).min(1);
    case 'boolean':
      return z.boolean({ required_error });
    case 'integer':
      return z.number({ required_error }).finite().int();
    case 'number':
      return z.number({ required_error }).finite();
  }
}

/**
 * Every field a configuration manifest of this version records, sorted: each setting's manifest path (`lambda.memory`,
 * from `SETTINGS` of @tap/validation) and the image (`docker.imageUri`, no setting: it is built). A manifest lists the
 * fields its writer knew in `fields`, so a reader can tell a field an older writer did not record from one removed by hand.
 */
export const MANIFEST_FIELDS: readonly string[] = Object.freeze(
  [...SETTING_PATHS.flatMap((path) => settingOf(path).manifest ?? []), IMAGE_URI_PATH].sort(),
);

/**
 * The fields a manifest may hold when read: `MANIFEST_FIELDS` and the former path of each renamed setting (its row's
 * `formerly`), so a baseline written before a rename still reads, and `check` shows the move (old path removed, new path
 * a new field) for the next approval to record.
 */
export const READ_FIELDS: readonly string[] = Object.freeze(
  [...MANIFEST_FIELDS, ...SETTING_PATHS.flatMap((path) => settingOf(path).formerly ?? [])].sort(),
);

/** The leaf schema of a known field; a field with a fallback (and the image) is always recorded, others only when set. */
function fieldSchema(field: string): z.ZodTypeAny {
  if (field === IMAGE_URI_PATH) return z.string({ required_error: LISTED_BUT_ABSENT }).min(1);
  const path = SETTING_PATHS.find((p) => settingOf(p).manifest === field || settingOf(p).formerly === field);
  if (path === undefined) throw new TypeError(`${field} is no field of the configuration manifest`);
  const { type, optional, fallback, manifest } = settingOf(path);
  return (optional && fallback === undefined) || field !== manifest ? leafSchema(type).optional() : leafSchema(type);
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

/**
 * The configuration's shape when it records `fields` (each a known field): each at its path (`lambda.memory`) with its
 * type, unknown keys rejected at every level. A field not listed must be absent: its writer did not know it.
 */
function configurationShape(fields: readonly string[]): z.ZodRawShape {
  const top: Record<string, z.ZodTypeAny> = {};
  const groups: Record<string, Record<string, z.ZodTypeAny>> = {};
  for (const field of fields) {
    const [group, name] = field.split('.');
    if (name === undefined) top[group] = fieldSchema(field);
    else groups[group] = { ...groups[group], [name]: fieldSchema(field) };
  }
  const blocks = Object.fromEntries(Object.entries(groups).map(([group, shape]) => [group, z.object(shape, { required_error: LISTED_BUT_ABSENT }).strict()]));
  return { ...top, ...blocks };
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
    const leaf = settingLeaf(value, path);
    return isSettingValue(path, leaf) && (fallback === undefined || leaf !== undefined);
  });
  return settingsOk && typeof manifestLeaf(value, IMAGE_URI_PATH) === 'string';
}

/**
 * What the configuration of a manifest written today must look like (every field of `MANIFEST_FIELDS`); unknown keys
 * are rejected at every level. Built from `SETTINGS`, so a new setting needs no edit here; its static type is
 * `ManifestConfiguration`, derived from the same table.
 */
export const configurationSchema = z.object(configurationShape(MANIFEST_FIELDS)).strict().refine(isManifestConfiguration, 'does not record every setting of SETTINGS');

/** `fields`: known fields only, sorted, each once (what `createConfigManifest` writes). */
const fieldsSchema = z.array(z.string()).superRefine((fields, ctx) => {
  for (const field of fields) {
    if (!READ_FIELDS.includes(field)) ctx.addIssue({ code: z.ZodIssueCode.custom, message: `${field} is no field of the configuration manifest (no setting of SETTINGS has it); known: ${MANIFEST_FIELDS.join(', ')}` });
  }
  if (fields.some((field, i) => i > 0 && fields[i - 1] >= field)) ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'must be sorted, each field once' });
});

/**
 * What a configuration manifest of the current format (`MANIFEST_VERSION`) must look like: the configuration records
 * exactly the fields it lists in `fields`, each with its setting's type. Older formats are upgraded to this one first
 * (see `MANIFEST_FORMAT` in upgrade.ts); the schema itself never accepts less than a file lists.
 */
export const manifestSchema = z
  .object({
    manifestVersion: z.literal(MANIFEST_VERSION),
    environment: z.enum(ENVIRONMENT_NAMES),
    timestamp: z.string().datetime({ offset: true }),
    fields: fieldsSchema,
    configuration: z.record(z.unknown()),
    configHash: z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lowercase hex characters (SHA-256)'),
  })
  .strict()
  .superRefine((manifest, ctx) => {
    const known = manifest.fields.filter((field) => READ_FIELDS.includes(field));
    const parsed = z.object(configurationShape(known)).strict().safeParse(manifest.configuration);
    if (!parsed.success) for (const issue of parsed.error.issues) ctx.addIssue({ ...issue, path: ['configuration', ...issue.path] });
    for (const path of SETTING_PATHS) {
      const { manifest: at, formerly } = settingOf(path);
      if (at !== null && formerly !== undefined && manifestLeaf(manifest.configuration, at) !== undefined && manifestLeaf(manifest.configuration, formerly) !== undefined) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['configuration', ...formerly.split('.')], message: `records ${path} twice: at ${at} and at its former path ${formerly}; keep ${at}` });
      }
    }
  });

/**
 * The fields a manifest written today always records (every setting with a value or fallback, and the image) that
 * `manifest` does not: it was written before those settings existed. `check` reports them as new fields; what needs
 * every setting (`manifestToEnvironmentConfig`, `compare`) refuses such a manifest by name.
 *
 * @example
 * unrecordedFields(verifyManifest(oldBaseline)); // ['monitoring.dbConnectionsThreshold']
 */
export function unrecordedFields(manifest: Pick<ConfigManifest, 'fields'>): string[] {
  return MANIFEST_FIELDS.filter((field) => !manifest.fields.includes(field) && !fieldSchema(field).isOptional());
}
