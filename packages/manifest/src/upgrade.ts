import { ENVIRONMENT_NAMES } from '@tap/validation';
import { z } from 'zod';
import { INVENTORY_VERSION, MANIFEST_VERSION } from './constants';
import { flattenConfiguration } from './diff';
import { READ_FIELDS } from './schema';

/** One upgrade step: a file of version `from`, checked by that format's own schema, -> the same file in version `from + 1`. */
export interface UpgradeStep {
  from: number;
  /** The format `from` as it was written (strict: a key that format never had is refused, not carried along). */
  schema: z.ZodTypeAny;
  /** Never changes what the file's hash covers (configuration, normalisation, resources): the hash still verifies. */
  upgrade: (file: Record<string, unknown>) => Record<string, unknown>;
}

/** A versioned file format: the key its version is in, the current version, and the steps from each older one. */
export interface VersionedFormat {
  versionKey: string;
  current: number;
  /** Oldest first, one per version below `current` that is still read. */
  steps: readonly UpgradeStep[];
}

/** An upgraded file, or why it cannot be: the issues, each `<path>: <problem>`, for a one-line refusal. */
export type UpgradeResult = { ok: true; value: unknown } | { ok: false; issues: string[] };

const issueLines = (error: z.ZodError): string[] => error.issues.map((issue) => `${issue.path.length ? issue.path.join('.') : '(root)'}: ${issue.message}`);

/**
 * A file of any version `format` reads, as the current version: each older file is checked by its own format's schema,
 * then upgraded step by step. A file of the current version, or without a numeric version, is returned as it is (the
 * current schema judges it); a newer version, or one no step reads any more, is refused.
 *
 * @example
 * const result = upgradeFile(JSON.parse(text), MANIFEST_FORMAT);
 * if (result.ok) manifestSchema.parse(result.value);
 */
export function upgradeFile(value: unknown, format: VersionedFormat): UpgradeResult {
  const version = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[format.versionKey] : undefined;
  if (typeof version !== 'number' || version === format.current) return { ok: true, value };
  const oldest = format.steps[0]?.from ?? format.current;
  const range = oldest === format.current ? `${oldest}` : `${oldest} to ${format.current}`;
  if (!Number.isInteger(version) || version > format.current || version < oldest) {
    const newer = version > format.current ? ` is newer than this tap-drift reads (${range}); update @tap/manifest` : ` is not a version this tap-drift reads (${range})`;
    return { ok: false, issues: [`${format.versionKey}: ${version}${newer}`] };
  }
  let file = value as Record<string, unknown>;
  for (const step of format.steps.filter((s) => s.from >= version)) {
    const parsed = step.schema.safeParse(file);
    if (!parsed.success) return { ok: false, issues: issueLines(parsed.error).map((issue) => `${issue} (format ${step.from})`) };
    file = step.upgrade(parsed.data as Record<string, unknown>);
  }
  return { ok: true, value: file };
}

/**
 * Configuration manifests. Format 1 listed no fields: the fields it records are the known fields it holds (a field it
 * lacks is one its writer did not record, reported as a new field; a key no setting has stays in the configuration,
 * and the current schema refuses it). The configuration, and so `configHash`, never changes.
 */
export const MANIFEST_FORMAT: VersionedFormat = {
  versionKey: 'manifestVersion',
  current: MANIFEST_VERSION,
  steps: [
    {
      from: 1,
      schema: z
        .object({
          manifestVersion: z.literal(1),
          environment: z.enum(ENVIRONMENT_NAMES),
          timestamp: z.string(),
          configuration: z.record(z.unknown()),
          configHash: z.string(),
        })
        .strict(),
      upgrade: (manifest) => {
        const held = new Set(Object.keys(flattenConfiguration(manifest['configuration'])));
        return { ...manifest, manifestVersion: 2, fields: READ_FIELDS.filter((field) => held.has(field)) };
      },
    },
  ],
};

/**
 * Resource inventories. When the recorder starts recording something new (a resource field, say), bump
 * `INVENTORY_VERSION` and add a step from the old version: its strict schema (so an old-version file holding the new
 * field is refused as edited) and an upgrade that leaves resources as they are, so what the old recorder did not
 * record shows as added in `check` (exit 1), never as a schema error (exit 2).
 */
export const INVENTORY_FORMAT: VersionedFormat = {
  versionKey: 'inventoryVersion',
  current: INVENTORY_VERSION,
  steps: [
    {
      // Format 1 recorded no resource options: a format-1 file holding them was edited, not written by an older recorder.
      from: 1,
      schema: z
        .object({
          inventoryVersion: z.literal(1),
          environment: z.enum(ENVIRONMENT_NAMES),
          normalisation: z.record(z.unknown()),
          resources: z.record(
            z
              .object({
                type: z.string(),
                name: z.string(),
                parent: z.string().optional(),
                custom: z.boolean(),
                inputs: z.record(z.unknown()),
                dependencies: z.array(z.string()).optional(),
              })
              .strict(),
          ),
          inventoryHash: z.string(),
        })
        .strict(),
      upgrade: (inventory) => ({ ...inventory, inventoryVersion: 2 }),
    },
  ],
};
