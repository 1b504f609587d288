import type { ConfigManifest, ManifestChange } from './types';

/**
 * Flattens a JSON object to dotted paths, e.g. `{ lambda: { memory: 1024 } }` -> `{ 'lambda.memory': 1024 }`.
 *
 * @example
 * flattenConfiguration({ a: { b: 1 } }); // { 'a.b': 1 }
 */
export function flattenConfiguration(value: unknown, prefix = ''): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return prefix ? { [prefix]: value } : {};
  const flat: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    Object.assign(flat, flattenConfiguration(child, prefix ? `${prefix}.${key}` : key));
  }
  return flat;
}

/** Values of a path compare as JSON: a deployed manifest read leniently may hold arrays or objects at a path. */
const sameValue = (a: unknown, b: unknown): boolean => a === b || JSON.stringify(a) === JSON.stringify(b);

/**
 * Every path of two flattened configurations whose value differs, sorted by path: `added` only in `after`,
 * `removed` only in `before`, else `changed`.
 *
 * @example
 * diffFlattened({ 'a.b': 1 }, { 'a.b': 2, c: 3 }); // [{ path: 'a.b', kind: 'changed', ... }, { path: 'c', kind: 'added', after: 3 }]
 */
export function diffFlattened(a: Record<string, unknown>, b: Record<string, unknown>): ManifestChange[] {
  const paths = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  const changes: ManifestChange[] = [];
  for (const path of paths) {
    if (!(path in a)) changes.push({ path, kind: 'added', after: b[path] });
    else if (!(path in b)) changes.push({ path, kind: 'removed', before: a[path] });
    else if (!sameValue(a[path], b[path])) changes.push({ path, kind: 'changed', before: a[path], after: b[path] });
  }
  return changes;
}

/**
 * Every configuration path that differs from `before` to `after` (and `environment`, if it differs),
 * sorted by path; a path `before` does not list in its `fields` is marked `newField`. The timestamp and the hash are not compared.
 *
 * @example
 * diffManifests(approved, current); // [{ path: 'database.instanceCount', kind: 'changed', before: 2, after: 1 }]
 */
export function diffManifests(before: ConfigManifest, after: ConfigManifest): ManifestChange[] {
  const a = flattenConfiguration(before.configuration);
  const b = flattenConfiguration(after.configuration);
  if (before.environment !== after.environment) {
    a.environment = before.environment;
    b.environment = after.environment;
  }
  // A field the baseline's writer did not record (a setting added since) is a new field, not a value someone unset.
  const recorded = new Set(before.fields);
  return diffFlattened(a, b).map((change) => (change.kind === 'added' && change.path !== 'environment' && !recorded.has(change.path) ? { ...change, newField: true } : change));
}
