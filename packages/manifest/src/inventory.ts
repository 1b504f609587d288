import type { EnvironmentName } from '@tap/validation';
import { ENVIRONMENT_NAMES } from '@tap/validation';
import { existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { z } from 'zod';
import { INVENTORY_FILE_SUFFIX, INVENTORY_VERSION, REFERENCE_ATTRIBUTES, SECRET_DIGEST_PREFIX, SECRET_INPUT_KEYS, SECRET_PLACEHOLDER, SYNTH_RESOURCES_FILE, VOLATILE_VALUES } from './constants';
import { InventoryHashMismatchError, InventorySchemaError, ManifestError } from './errors';
import { computeConfigHash } from './hash';
import { readJsonFile } from './io';
import { redactSecrets } from './live/refresh';
import { INVENTORY_FORMAT, upgradeFile } from './upgrade';
import type { InventoryNormalisation, InventoryResource, LoadedInventory, LoadedManifest, ResourceInventory } from './types';

/** One record of the synth's `resources.json`; fields this package does not use (outputs, propertyDependencies, ...) pass. */
const synthRecordSchema = z
  .object({
    urn: z.string().startsWith('urn:pulumi:'),
    type: z.string().min(1),
    name: z.string().min(1),
    parent: z.string().optional(),
    custom: z.boolean(),
    id: z.string().optional(),
    inputs: z.record(z.unknown()),
    outputs: z.record(z.unknown()).optional(),
    dependencies: z.array(z.string()).optional(),
    /** Resource options as the engine receives them (`protect`, `ignoreChanges`, references as URNs). */
    options: z.record(z.unknown()).optional(),
    /** Where `inputs` holds "[secret]", the SHA-256 of the mock value, in the same shape (array indices as keys). */
    secretDigests: z.record(z.unknown()).optional(),
  })
  .passthrough();
type SynthRecord = z.infer<typeof synthRecordSchema>;

const inventoryResourceSchema = z
  .object({
    type: z.string().min(1),
    name: z.string().min(1),
    parent: z.string().optional(),
    custom: z.boolean(),
    inputs: z.record(z.unknown()),
    dependencies: z.array(z.string()).optional(),
    options: z.record(z.unknown()).optional(),
  })
  .strict();

/** What a stored inventory must look like; unknown keys are rejected at every level but inside `inputs`. */
export const inventorySchema = z
  .object({
    inventoryVersion: z.literal(INVENTORY_VERSION),
    environment: z.enum(ENVIRONMENT_NAMES),
    normalisation: z
      .object({
        volatile: z.array(z.object({ rule: z.string().min(1), urn: z.string().min(1), path: z.string() }).strict()),
        jsonStrings: z.array(z.object({ urn: z.string().min(1), path: z.string() }).strict()),
      })
      .strict(),
    resources: z.record(z.string().startsWith('urn:pulumi:'), inventoryResourceSchema),
    inventoryHash: z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lowercase hex characters (SHA-256)'),
  })
  .strict();

/**
 * A property path in Pulumi's notation: `a.b[0]["c.d"]` (keys with `.`, `[`, `]` or `"` in brackets).
 *
 * @example
 * formatPath(['policy', 'Statement', 2, 'Action']); // 'policy.Statement[2].Action'
 */
export function formatPath(segments: ReadonlyArray<string | number>): string {
  let path = '';
  for (const segment of segments) {
    if (typeof segment === 'number') path += `[${segment}]`;
    else if (/^[^.[\]"]+$/.test(segment)) path += path ? `.${segment}` : segment;
    else path += `[${JSON.stringify(segment)}]`;
  }
  return path;
}

const isPlainObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * A secret input as an inventory records it: `{ "secret": "sha256:<64 hex>" }`.
 *
 * @example
 * isSecretDigest({ secret: `sha256:${'0'.repeat(64)}` }); // true
 * isSecretDigest('[secret]'); // false
 */
export function isSecretDigest(value: unknown): value is { secret: string } {
  return (
    isPlainObject(value) &&
    Object.keys(value).length === 1 &&
    typeof value['secret'] === 'string' &&
    value['secret'].startsWith(SECRET_DIGEST_PREFIX) &&
    /^[0-9a-f]{64}$/.test(value['secret'].slice(SECRET_DIGEST_PREFIX.length))
  );
}

/**
 * The inventory's record of a secret value: the SHA-256 of its canonical JSON (see SECRET_DIGEST_PREFIX for why a
 * plain digest).
 *
 * @example
 * secretDigest('hunter2'); // { secret: 'sha256:…' }
 */
export function secretDigest(value: unknown): { secret: string } {
  return { secret: `${SECRET_DIGEST_PREFIX}${computeConfigHash(value)}` };
}

/** The synth's digest at `path` of its `secretDigests` mirror (array indices are keys), if it recorded one. */
function digestAt(digests: Record<string, unknown> | undefined, path: ReadonlyArray<string | number>): string | undefined {
  let node: unknown = digests;
  for (const segment of path) node = isPlainObject(node) ? node[String(segment)] : undefined;
  return typeof node === 'string' && /^sha256:[0-9a-f]{64}$/.test(node) ? node : undefined;
}

/** Every digest of this build's own images (e.g. `@sha256:…` of the docker image's `repoDigest`), by volatile rule. */
function buildDigests(records: readonly SynthRecord[]): Map<string, Set<string>> {
  const byRule = new Map<string, Set<string>>();
  for (const volatile of VOLATILE_VALUES) {
    const found = new Set<string>();
    for (const r of records.filter((candidate) => candidate.type === volatile.source.type)) {
      const value = r.outputs?.[volatile.source.output];
      if (typeof value === 'string') for (const match of value.matchAll(volatile.pattern)) found.add(match[0]);
    }
    byRule.set(volatile.rule, found);
  }
  return byRule;
}

/** Objects with their keys sorted (UTF-16 code units, as RFC 8785), recursively: a stable, reviewable file. */
function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (!isPlainObject(value)) return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((key) => [key, sortKeys(value[key])]),
  );
}

/** `value` -> `${ref:<name>.<attribute>}` for every resource's id and identifying outputs (see REFERENCE_ATTRIBUTES). */
function referenceMap(records: readonly SynthRecord[]): Map<string, string> {
  const nameCount = new Map<string, number>();
  for (const r of records) nameCount.set(r.name, (nameCount.get(r.name) ?? 0) + 1);
  const label = (r: SynthRecord) => ((nameCount.get(r.name) ?? 0) > 1 ? `${r.type}::${r.name}` : r.name);
  const refs = new Map<string, string>();
  const add = (value: unknown, ref: string) => {
    if (typeof value !== 'string' || value === '' || value === SECRET_PLACEHOLDER || value === '[unknown]' || refs.has(value)) return;
    refs.set(value, `\${ref:${ref}}`);
  };
  // Precedence when two resources expose the same value: ids, then top-level attributes, then nested ones (a cluster's
  // `masterUserSecrets[0].kmsKeyId` is the key's ARN, and must read as the key's).
  for (const r of records) if (r.custom && r.id) add(r.id, `${label(r)}.id`);
  for (const attribute of REFERENCE_ATTRIBUTES) for (const r of records) add(r.outputs?.[attribute], `${label(r)}.${attribute}`);
  const walk = (r: SynthRecord, value: unknown, path: Array<string | number>) => {
    if (Array.isArray(value)) value.forEach((child, i) => walk(r, child, [...path, i]));
    else if (isPlainObject(value)) for (const [key, child] of Object.entries(value)) walk(r, child, [...path, key]);
    else if (path.length > 1 && (REFERENCE_ATTRIBUTES as readonly unknown[]).includes(path[path.length - 1])) add(value, `${label(r)}.${formatPath(path)}`);
  };
  for (const r of records) walk(r, r.outputs ?? {}, []);
  return refs;
}

/** A string holding a JSON object or array (an IAM policy document, ...), parsed; otherwise `undefined`. */
function parseJsonString(value: string): unknown {
  const text = value.trim();
  if (!(text.startsWith('{') && text.endsWith('}')) && !(text.startsWith('[') && text.endsWith(']'))) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * The resource inventory of one environment from the synth's `resources.json` records: every resource by URN with its
 * type, parent, inputs and resource options. Inputs are made safe and stable: Pulumi secrets and the values of
 * secret-bearing keys become `{ "secret": "sha256:…" }` (the digest of the mock value the synth recorded; `[secret]`
 * when it recorded none); values equal to another resource's id or identifying output become
 * `${ref:<name>.<attribute>}`; JSON strings (policies) are parsed; this build's own volatile values (its image digest)
 * are replaced and listed. Outputs are never copied (the synth's outputs are mock values and not masked).
 *
 * @throws InventorySchemaError when `records` is not the synth's record list (or holds a URN twice).
 * @example
 * const inventory = createInventory(JSON.parse(readFileSync('dist/apps/tap-stack/synth/dev/resources.json', 'utf8')), 'dev');
 * inventory.resources['urn:pulumi:dev::TapStack::...::tap-monitoring-lambda-errors'].inputs.period; // 300
 */
export function createInventory(records: unknown, environment: EnvironmentName, source = 'resources.json'): ResourceInventory {
  const parsed = z.array(synthRecordSchema).safeParse(records);
  if (!parsed.success) throw new InventorySchemaError(source, issuesOf(parsed.error, 'not the synth record list (resources.json)'));
  const sorted = [...parsed.data].sort((a, b) => (a.urn < b.urn ? -1 : a.urn > b.urn ? 1 : 0));
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i].urn === sorted[i - 1].urn) throw new InventorySchemaError(source, [`${sorted[i].urn}: registered twice`]);
  }
  const refs = referenceMap(sorted);
  const ownDigests = buildDigests(sorted);
  const normalisation: InventoryNormalisation = { volatile: [], jsonStrings: [] };

  const normalise = (record: SynthRecord, value: unknown, path: Array<string | number>): unknown => {
    const urn = record.urn;
    const key = path[path.length - 1];
    if (typeof value === 'string') {
      if (value === SECRET_PLACEHOLDER) {
        const digest = digestAt(record.secretDigests, path);
        return digest ? { secret: digest } : SECRET_PLACEHOLDER;
      }
      if (value !== '' && (SECRET_INPUT_KEYS as readonly unknown[]).includes(key)) return secretDigest(value);
      const ref = refs.get(value);
      if (ref) return ref;
      const json = parseJsonString(value);
      if (json !== undefined) {
        normalisation.jsonStrings.push({ urn, path: formatPath(path) });
        return normalise(record, json, path);
      }
      let text = value;
      for (const volatile of VOLATILE_VALUES) {
        const own = ownDigests.get(volatile.rule) ?? new Set<string>();
        // Only this build's own value is replaced; any other match (an older digest pinned by hand) is compared.
        const replaced = text.replace(volatile.pattern, (match) => (own.has(match) ? volatile.replacement : match));
        if (replaced !== text) normalisation.volatile.push({ rule: volatile.rule, urn, path: formatPath(path) });
        text = replaced;
      }
      return text;
    }
    if (Array.isArray(value)) return value.map((child, i) => normalise(record, child, [...path, i]));
    if (isPlainObject(value)) {
      return Object.fromEntries(
        Object.keys(value)
          .sort()
          .map((k) => [k, normalise(record, value[k], [...path, k])]),
      );
    }
    return value;
  };

  const resources: Record<string, InventoryResource> = {};
  for (const record of sorted) {
    resources[record.urn] = {
      type: record.type,
      name: record.name,
      ...(record.parent ? { parent: record.parent } : {}),
      custom: record.custom,
      inputs: normalise(record, redactSecrets(record.inputs), []) as Record<string, unknown>,
      ...(record.dependencies ? { dependencies: [...new Set(record.dependencies)].sort() } : {}),
      // Options are compared as recorded (references already URNs); never through the reference map or volatile rules.
      ...(record.options && Object.keys(record.options).length > 0 ? { options: sortKeys(record.options) as Record<string, unknown> } : {}),
    };
  }
  return sealInventory(environment, normalisation, resources);
}

function sealInventory(environment: EnvironmentName, normalisation: InventoryNormalisation, resources: Record<string, InventoryResource>): ResourceInventory {
  const hashed = sortKeys({ normalisation, resources }) as Pick<ResourceInventory, 'normalisation' | 'resources'>;
  return {
    inventoryVersion: INVENTORY_VERSION,
    environment,
    normalisation: hashed.normalisation,
    resources: hashed.resources,
    inventoryHash: computeInventoryHash(hashed),
  };
}

/**
 * Lowercase hex SHA-256 of the RFC 8785 canonical JSON of `{ normalisation, resources }`.
 *
 * @example
 * computeInventoryHash(inventory) === inventory.inventoryHash; // true for an untouched inventory
 */
export function computeInventoryHash(inventory: Pick<ResourceInventory, 'normalisation' | 'resources'>): string {
  return computeConfigHash({ normalisation: inventory.normalisation, resources: inventory.resources });
}

function issuesOf(error: z.ZodError, fallback: string): string[] {
  const issues = error.issues.slice(0, 5).map((issue) => `${issue.path.length ? issue.path.join('.') : '(root)'}: ${issue.message}`);
  return issues.length ? issues : [fallback];
}

/**
 * Checks that `value` is a stored resource inventory whose hash matches, and returns it typed.
 *
 * @throws InventorySchemaError / InventoryHashMismatchError (both ManifestError, exit 2 in the CLI).
 * @example
 * const inventory = verifyInventory(JSON.parse(text), 'manifests/prod.resources.json');
 */
export function verifyInventory(value: unknown, source = 'inventory'): ResourceInventory {
  // An older format is checked by its own schema and upgraded first; a newer one is refused.
  const upgraded = upgradeFile(value, INVENTORY_FORMAT);
  if (!upgraded.ok) throw new InventorySchemaError(source, upgraded.issues);
  const parsed = inventorySchema.safeParse(upgraded.value);
  if (!parsed.success) throw new InventorySchemaError(source, issuesOf(parsed.error, 'not a resource inventory'));
  const inventory = parsed.data as ResourceInventory;
  const computed = computeInventoryHash(inventory);
  if (computed !== inventory.inventoryHash) throw new InventoryHashMismatchError(source, inventory.inventoryHash, computed);
  return inventory;
}

/**
 * The inventory file that belongs to a manifest file: `<env>.json` -> `<env>.resources.json` (baselines),
 * `<env>/manifest.json` -> `<env>/resources.json` (the offline synth).
 *
 * @example
 * inventoryFileFor('apps/tap-stack/manifests/prod.json'); // 'apps/tap-stack/manifests/prod.resources.json'
 */
export function inventoryFileFor(manifestFile: string): string {
  const name = basename(manifestFile);
  if (name === 'manifest.json') return join(dirname(manifestFile), SYNTH_RESOURCES_FILE);
  return join(dirname(manifestFile), `${name.replace(/\.json$/, '')}${INVENTORY_FILE_SUFFIX}`);
}

/**
 * Reads an inventory of `environment`: a stored inventory (schema and hash checked) or the synth's `resources.json`
 * record list (made into an inventory).
 *
 * @throws ManifestError naming the file: not found, invalid JSON, schema, hash mismatch, another environment.
 * @example
 * const { inventory } = loadInventory('apps/tap-stack/manifests/prod.resources.json', 'prod');
 */
export function loadInventory(file: string, environment: EnvironmentName, options: { within?: string } = {}): LoadedInventory {
  const value = readJsonFile(file, options);
  const inventory = Array.isArray(value) ? createInventory(value, environment, file) : verifyInventory(value, file);
  if (inventory.environment !== environment) {
    throw new ManifestError('file-name', file, `is the inventory of ${inventory.environment}, but its manifest is ${environment}'s; regenerate it`);
  }
  return { file, inventory };
}

/**
 * The inventories beside a set of manifests (see `inventoryFileFor`), by environment; an environment without an
 * inventory file is left out (the caller decides whether that is an error).
 *
 * @example
 * const inventories = loadInventorySet(loadManifestSet('dist/apps/tap-stack/synth'));
 */
export function loadInventorySet(manifests: ReadonlyMap<EnvironmentName, LoadedManifest>): Map<EnvironmentName, LoadedInventory> {
  const set = new Map<EnvironmentName, LoadedInventory>();
  for (const [environment, loaded] of manifests) {
    const file = inventoryFileFor(loaded.file);
    // Beside its manifest, and in the same directory: a symlink out of it is refused.
    if (existsSync(file)) set.set(environment, loadInventory(file, environment, { within: dirname(loaded.file) }));
  }
  return set;
}

/**
 * The inventory as it is committed: pretty-printed (2 spaces), keys sorted, one trailing newline.
 *
 * @example
 * writeFileAtomic('manifests/prod.resources.json', serializeInventory(inventory));
 */
export function serializeInventory(inventory: ResourceInventory): string {
  return `${JSON.stringify(inventory, null, 2)}\n`;
}
