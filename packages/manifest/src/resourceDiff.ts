import { OPTIONS_PATH, SECRET_PLACEHOLDER } from './constants';
import { canonicalJson } from './hash';
import { formatPath, isSecretDigest } from './inventory';
import type { ComponentChanges, InventoryDiff, InventoryResource, PropertyChange, ResourceChange, ResourceInventory } from './types';

const isPlainObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const same = (a: unknown, b: unknown): boolean => a === b || canonicalJson(a ?? null) === canonicalJson(b ?? null);
/** Arrays of scalars compare as one value (`Action: [a, b] -> [a, b, c]`); arrays holding objects are walked by index. */
const isStructured = (value: unknown[]): boolean => value.some((item) => typeof item === 'object' && item !== null);
/** A secret input, digested or not: compared as one value, never walked into. */
const isSecret = (value: unknown): boolean => value === SECRET_PLACEHOLDER || isSecretDigest(value);

/**
 * Every path where `after` differs from `before`, structurally: objects by key, arrays of objects by index, everything
 * else (scalars, arrays of scalars) as one value. Paths use Pulumi's notation (`policy.Statement[2].Action`).
 *
 * @example
 * diffValues({ period: 300, statement: [{ Action: 'a' }] }, { period: 3600, statement: [{ Action: 'b' }] });
 * // [{ path: 'period', kind: 'changed', before: 300, after: 3600 }, { path: 'statement[0].Action', kind: 'changed', ... }]
 */
export function diffValues(before: unknown, after: unknown, prefix: ReadonlyArray<string | number> = []): PropertyChange[] {
  const changes: PropertyChange[] = [];
  const walk = (a: unknown, b: unknown, path: Array<string | number>) => {
    if (isSecret(a) || isSecret(b)) {
      if (!same(a, b)) changes.push({ path: formatPath(path), kind: 'changed', before: a, after: b, ...(isSecret(a) && isSecret(b) ? { secret: true as const } : {}) });
      return;
    }
    if (isPlainObject(a) && isPlainObject(b)) {
      for (const key of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
        if (!(key in a)) changes.push({ path: formatPath([...path, key]), kind: 'added', after: b[key] });
        else if (!(key in b)) changes.push({ path: formatPath([...path, key]), kind: 'removed', before: a[key] });
        else walk(a[key], b[key], [...path, key]);
      }
      return;
    }
    if (Array.isArray(a) && Array.isArray(b) && (isStructured(a) || isStructured(b))) {
      for (let i = 0; i < Math.max(a.length, b.length); i++) {
        if (i >= a.length) changes.push({ path: formatPath([...path, i]), kind: 'added', after: b[i] });
        else if (i >= b.length) changes.push({ path: formatPath([...path, i]), kind: 'removed', before: a[i] });
        else walk(a[i], b[i], [...path, i]);
      }
      return;
    }
    if (!same(a, b)) changes.push({ path: formatPath(path), kind: 'changed', before: a, after: b });
  };
  walk(before, after, [...prefix]);
  return changes;
}

/** Changes of one resource present on both sides: its inputs, and its options, parent and dependencies (in parentheses). */
function resourceProperties(a: InventoryResource, b: InventoryResource): PropertyChange[] {
  const changes = [...diffValues(a.inputs, b.inputs), ...diffValues(a.options ?? {}, b.options ?? {}, [OPTIONS_PATH])];
  if (a.parent !== b.parent) changes.push({ path: '(parent)', kind: 'changed', before: a.parent, after: b.parent });
  if (a.custom !== b.custom) changes.push({ path: '(custom)', kind: 'changed', before: a.custom, after: b.custom });
  if (!same(a.dependencies, b.dependencies)) {
    const before = new Set(a.dependencies ?? []);
    const after = new Set(b.dependencies ?? []);
    changes.push({
      path: '(dependencies)',
      kind: 'changed',
      before: [...before].filter((urn) => !after.has(urn)).map(shortUrn),
      after: [...after].filter((urn) => !before.has(urn)).map(shortUrn),
    });
  }
  return changes;
}

/**
 * The short form of a URN for reports: `<name> (<type>)`.
 *
 * @example
 * shortUrn('urn:pulumi:dev::TapStack::tap:stack:TapStack$tap:database:DatabaseComponent::tap-db'); // 'tap-db (tap:database:DatabaseComponent)'
 */
export function shortUrn(urn: string): string {
  // urn:pulumi:<stack>::<project>::<parent types and type, joined by $>::<name>; the name itself may hold `::`.
  const parts = urn.split('::');
  const name = parts.slice(3).join('::');
  const type = (parts[2] ?? '').split('$').pop() ?? '';
  return name ? `${name} (${type})` : urn;
}

/**
 * Every resource added, removed or changed from `before` to `after` (each changed input old -> new), grouped by the
 * parent component, components and resources sorted by URN.
 *
 * @example
 * const diff = diffInventories(approved, current);
 * diff.counts; // { added: 0, removed: 1, changed: 2, properties: 4 }
 */
export function diffInventories(before: ResourceInventory, after: ResourceInventory): InventoryDiff {
  const urns = [...new Set([...Object.keys(before.resources), ...Object.keys(after.resources)])].sort();
  const byParent = new Map<string, ResourceChange[]>();
  for (const urn of urns) {
    const a = before.resources[urn];
    const b = after.resources[urn];
    const r = b ?? a;
    let change: ResourceChange | undefined;
    if (!a) change = { urn, type: r.type, name: r.name, kind: 'added', properties: [] };
    else if (!b) change = { urn, type: r.type, name: r.name, kind: 'removed', properties: [] };
    else {
      const properties = resourceProperties(a, b);
      if (properties.length > 0) change = { urn, type: r.type, name: r.name, kind: 'changed', properties };
    }
    if (!change) continue;
    const parent = r.parent ?? '';
    byParent.set(parent, [...(byParent.get(parent) ?? []), change]);
  }
  const components: ComponentChanges[] = [...byParent.keys()].sort().map((parent) => {
    const resources = byParent.get(parent) ?? [];
    return {
      parent,
      label: parent ? shortUrn(parent) : '(stack)',
      added: resources.filter((r) => r.kind === 'added').length,
      removed: resources.filter((r) => r.kind === 'removed').length,
      changed: resources.filter((r) => r.kind === 'changed').length,
      properties: resources.reduce((n, r) => n + r.properties.length, 0),
      resources,
    };
  });
  return {
    counts: {
      added: components.reduce((n, c) => n + c.added, 0),
      removed: components.reduce((n, c) => n + c.removed, 0),
      changed: components.reduce((n, c) => n + c.changed, 0),
      properties: components.reduce((n, c) => n + c.properties, 0),
    },
    components,
  };
}

/** An empty diff (nothing compared, or nothing changed). */
export function emptyInventoryDiff(): InventoryDiff {
  return { counts: { added: 0, removed: 0, changed: 0, properties: 0 }, components: [] };
}
