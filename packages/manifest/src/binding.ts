import {
  SETTING_PATHS,
  settingOf,
  settingValue,
  type ConfigPath,
  type EnvironmentConfig,
  type EnvironmentName,
  type Feed,
  type FeedKind,
} from '@tap/validation';
import { canonicalJson } from './hash';
import type { InventoryResource, ResourceInventory } from './types';

/** One resource property a setting feeds: a feed of a `SETTINGS` row (@tap/validation), with its setting. */
export interface SettingBinding {
  setting: ConfigPath;
  feed: Feed;
}

/**
 * Every feed of every row of `SETTINGS`, in table order: what `tap-drift check` holds each synth to, and the
 * configuration part of `RESOURCE_PARITY_RULES`.
 *
 * @example
 * SETTING_BINDINGS.filter((b) => b.setting === 'logging.retentionDays');
 * // [{ setting: 'logging.retentionDays', feed: { type: 'aws:cloudwatch/logGroup:LogGroup', property: 'retentionInDays', kind: 'value' } }]
 */
export const SETTING_BINDINGS: readonly SettingBinding[] = Object.freeze(
  SETTING_PATHS.flatMap((setting) => {
    const feeds = settingOf(setting).feeds;
    return 'none' in feeds ? [] : feeds.map((feed): SettingBinding => ({ setting, feed }));
  }),
);

/** A resource as the binding check reads it: an inventory's, or one the mocks recorded. */
export interface BoundResource {
  type: string;
  /** Logical name. */
  name: string;
  inputs: Record<string, unknown>;
}

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** `token` where it stands alone: not inside a longer word or number (`dev` in `aurora-dev-001`, not in `device`). */
export const standalone = (token: string): RegExp => new RegExp(`(?<![A-Za-z0-9])${escape(token)}(?![A-Za-z0-9])`, 'g');

/** Equal as JSON (`undefined` and `null` alike). */
export const sameValue = (a: unknown, b: unknown): boolean => a === b || canonicalJson(a ?? null) === canonicalJson(b ?? null);

/**
 * The value setting `path` has in effect in `config`: its value, else its row's `fallback`, else `false` for a
 * boolean (an optional flag left out of an older config is off), else `undefined`.
 *
 * @example
 * configuredValue(environmentProfile('dev'), 'lambda.memoryMb'); // 1024
 */
export function configuredValue(config: EnvironmentConfig, path: ConfigPath): unknown {
  const row: { type: string; fallback?: unknown } = settingOf(path);
  return settingValue(config, path) ?? row.fallback ?? (row.type === 'boolean' ? false : undefined);
}

/** The input at a dotted `property` (`rotationRules.automaticallyAfterDays`). */
function inputAt(inputs: Record<string, unknown>, property: string): unknown {
  return property.split('.').reduce<unknown>((node, key) => (typeof node === 'object' && node !== null && !Array.isArray(node) ? (node as Record<string, unknown>)[key] : undefined), inputs);
}

/**
 * True when a property holding `actual` follows a setting whose value is `configured`, by the feed's kind (not `count`:
 * that one is about how many resources there are, see {@link feedProblem}).
 *
 * @example
 * feedHolds('negated', false, true); // true: skipFinalSnapshot false when finalSnapshot is true
 * feedHolds('text', 'More than 5 Lambda errors in 5 minutes', 5); // true
 */
export function feedHolds(kind: Exclude<FeedKind, 'count'>, actual: unknown, configured: unknown): boolean {
  switch (kind) {
    case 'value':
      return sameValue(actual, configured);
    case 'negated':
      return actual === !(configured === true);
    case 'when-true':
      return (actual !== undefined) === (configured === true);
    case 'text':
      return typeof actual === 'string' && configured !== undefined && standalone(String(configured)).test(actual);
  }
}

/** How many resources a `count` feed wants: the number itself, or 1 for a true flag and 0 otherwise. */
export const expectedCount = (configured: unknown): number => (typeof configured === 'number' ? configured : configured === true ? 1 : 0);

/**
 * The resources `feed` binds: those of its type, and when it names one, the one called `<program><name>` (the program's
 * root component is `program`: `tap` in a stack, the test's own name under the mocks).
 *
 * @example
 * feedResources(resources, { type: 'aws:lambda/function:Function', property: 'memorySize', kind: 'value', name: '-payments-function' }, 'tap');
 * // [the resource named tap-payments-function]
 */
export function feedResources<R extends BoundResource>(resources: readonly R[], feed: Feed, program: string): R[] {
  return resources.filter((r) => r.type === feed.type && (feed.name === undefined || r.name === `${program}${feed.name}`));
}

/** Where a feed does not hold: the resource (none for a count, or when no resource is bound) and what it has. */
export interface FeedProblem {
  resource?: BoundResource;
  actual: unknown;
}

/**
 * The first way `feed` does not hold over `resources` for a setting whose value is `configured`, or `undefined` when it
 * holds: for `count`, the number of bound resources; otherwise no bound resource at all (a renamed resource must not
 * pass unnoticed), or the first whose property does not follow the value.
 *
 * @example
 * feedProblem(feed, feedResources(resources, feed, 'tap'), 30); // { resource: <the log group>, actual: 1 }
 */
export function feedProblem(feed: Feed, resources: readonly BoundResource[], configured: unknown): FeedProblem | undefined {
  if (feed.kind === 'count') return resources.length === expectedCount(configured) ? undefined : { actual: resources.length };
  if (resources.length === 0) return { actual: undefined };
  const kind = feed.kind;
  for (const resource of resources) {
    const actual = inputAt(resource.inputs, feed.property);
    if (!feedHolds(kind, actual, configured)) return { resource, actual };
  }
  return undefined;
}

/** One setting that the current synth does not hold at the property it feeds (exit 1; an approval does not waive it). */
export interface BindingFinding {
  environment: EnvironmentName;
  setting: ConfigPath;
  /** The resource's logical name; absent for a count, or when no resource of the feed exists. */
  resource?: string;
  type: string;
  property: string;
  kind: FeedKind;
  /** The setting's value in effect (see {@link configuredValue}). */
  expected: unknown;
  /** What the resource has (for a count: how many there are). */
  actual: unknown;
  /** One line naming all of the above. */
  message: string;
}

const show = (value: unknown): string => (value === undefined ? '(not set)' : typeof value === 'string' ? `'${value}'` : JSON.stringify(value));

/** What the property must be, beyond the value, by kind. */
const KIND_WORDS: Record<Exclude<FeedKind, 'count' | 'value'>, string> = {
  negated: ' (the property must be its opposite)',
  'when-true': ' (the property is set exactly when it is true)',
  text: ' (the property must say it)',
};

/** The program's root component: the child of the `pulumi:pulumi:Stack` resource (its name prefixes every other). */
export function programName(inventory: ResourceInventory): string | undefined {
  const stacks = new Set(Object.entries(inventory.resources).flatMap(([urn, r]) => (r.type === 'pulumi:pulumi:Stack' ? [urn] : [])));
  return Object.values(inventory.resources).find((r: InventoryResource) => r.parent !== undefined && stacks.has(r.parent) && !r.custom)?.name;
}

/**
 * Every setting of `config` that `inventory` (the same environment's synth) does not hold at a property it feeds
 * (`SETTING_BINDINGS`): the property must follow the value the configuration manifest records (its fallback when it
 * has one; a setting left out without a fallback is not held to anything). Approving a synth
 * whose resources contradict its own configuration is never in sync: the manifest would say one thing, the cloud
 * another.
 *
 * @example
 * checkBindings('dev', manifestToEnvironmentConfig(manifest), inventory);
 * // [{ setting: 'logging.retentionDays', resource: 'tap-monitoring-app-logs', property: 'retentionInDays', expected: 30, actual: 1, ... }]
 */
export function checkBindings(environment: EnvironmentName, config: EnvironmentConfig, inventory: ResourceInventory): BindingFinding[] {
  const program = programName(inventory) ?? '';
  const resources = Object.values(inventory.resources);
  return SETTING_BINDINGS.flatMap(({ setting, feed }): BindingFinding[] => {
    // A setting the configuration leaves out (optional, no fallback: a manifest recorded before it existed) says
    // nothing to hold its resources to; the next synth records it.
    if (settingValue(config, setting) === undefined && (settingOf(setting) as { fallback?: unknown }).fallback === undefined) return [];
    const expected = configuredValue(config, setting);
    const problem = feedProblem(feed, feedResources(resources, feed, program), expected);
    if (!problem) return [];
    const where = feed.name ? `${program}${feed.name} (${feed.type})` : `(${feed.type})`;
    const message =
      feed.kind === 'count'
        ? `${environment}: ${show(problem.actual)} resource(s) of ${feed.type}, but ${setting} is ${show(expected)}`
        : problem.resource
          ? `${environment}: ${problem.resource.name} (${feed.type}) ${feed.property} is ${show(problem.actual)}, but ${setting} is ${show(expected)}${feed.kind === 'value' ? '' : KIND_WORDS[feed.kind]}`
          : `${environment}: no resource ${where} holds ${feed.property}, which ${setting} feeds`;
    return [{ environment, setting, resource: problem.resource?.name, type: feed.type, property: feed.property, kind: feed.kind, expected, actual: problem.actual, message }];
  });
}
