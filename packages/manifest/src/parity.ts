import type { EnvironmentConfig, EnvironmentName } from '@tap/validation';
import { ENVIRONMENT_NAMES, settingValue } from '@tap/validation';
import { configuredValue, expectedCount, feedHolds, programName, sameValue as same, standalone } from './binding';
import { RESOURCE_PARITY_RULES, SECRET_PLACEHOLDER, type ResourceParityRule } from './constants';
import { formatPath, isSecretDigest } from './inventory';
import type { InventoryResource, LoadedInventory, ParityRow, ResourceParityReport } from './types';

/** One environment's inventory and the configuration it was made with. */
export interface ParityInput {
  environment: EnvironmentName;
  config: EnvironmentConfig;
  loaded: LoadedInventory;
}

const isPlainObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Every string in a value, at any depth. */
function* strings(value: unknown): Generator<string> {
  if (typeof value === 'string') yield value;
  else if (Array.isArray(value)) for (const item of value) yield* strings(item);
  else if (isPlainObject(value)) for (const item of Object.values(value)) yield* strings(item);
}

/** The AWS account an inventory's ARNs (and ECR hosts) name most often; `undefined` when none does. */
function inferAccount(loaded: LoadedInventory): string | undefined {
  const counts = new Map<string, number>();
  for (const text of strings(loaded.inventory.resources)) {
    for (const match of text.matchAll(/arn:aws[a-z-]*:[^:]*:[^:]*:(\d{12}):|(?<!\d)(\d{12})\.dkr\.ecr\./g)) {
      const account = match[1] ?? match[2];
      counts.set(account, (counts.get(account) ?? 0) + 1);
    }
  }
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]?.[0];
}

/** Replaces the environment's own account, region, name and suffix with `{account}`, `{region}`, ... everywhere. */
function normaliser(input: ParityInput): (value: unknown) => unknown {
  const tokens: Array<[RegExp, string]> = [];
  const account = inferAccount(input.loaded);
  if (account) tokens.push([standalone(account), '{account}']);
  tokens.push([standalone(input.config.region), '{region}'], [standalone(input.environment), '{environment}']);
  if (input.config.environmentSuffix) tokens.push([standalone(input.config.environmentSuffix), '{suffix}']);
  const normalise = (value: unknown): unknown => {
    if (typeof value === 'string') return tokens.reduce((text, [pattern, replacement]) => text.replace(pattern, replacement), value);
    if (Array.isArray(value)) return value.map(normalise);
    if (isPlainObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [normalise(k) as string, normalise(v)]));
    return value;
  };
  return normalise;
}

/** Leaf paths of a resource's inputs, as the inventory diff walks them (arrays of scalars are one leaf). */
function leaves(value: unknown, path: Array<string | number> = [], out = new Map<string, unknown>()): Map<string, unknown> {
  // Each environment has its own secrets: parity sees that one is there, not its digest.
  if (isSecretDigest(value)) out.set(formatPath(path), SECRET_PLACEHOLDER);
  else if (isPlainObject(value) && Object.keys(value).length > 0) {
    for (const [key, child] of Object.entries(value)) leaves(child, [...path, key], out);
  } else if (Array.isArray(value) && value.some((item) => typeof item === 'object' && item !== null)) {
    value.forEach((child, i) => leaves(child, [...path, i], out));
  } else if (path.length > 0) {
    out.set(formatPath(path), value);
  }
  return out;
}

/**
 * True when masking ONE occurrence of each environment's configured value in its text gives the same text everywhere
 * ("More than 5 Lambda errors in 5 minutes" with 5 configured still matches "More than 10 Lambda errors in 5 minutes").
 */
function commonMaskedText(entries: ReadonlyArray<{ text: unknown; value: unknown }>, mask: string): boolean {
  let common: Set<string> | undefined;
  for (const { text, value } of entries) {
    if (typeof text !== 'string' || value === undefined) return false;
    const candidates = new Set<string>();
    for (const match of text.matchAll(standalone(String(value)))) {
      const index = match.index ?? 0;
      candidates.add(`${text.slice(0, index)}${mask}${text.slice(index + match[0].length)}`);
    }
    common = common ? new Set([...common].filter((candidate) => candidates.has(candidate))) : candidates;
    if (common.size === 0) return false;
  }
  return common !== undefined && common.size > 0;
}

/** How an explained difference reads, by the kind of rule that explains it. */
const REASON: Record<'value' | 'text' | 'negated' | 'when-true', (field: string) => string> = {
  value: (field) => field,
  text: (field) => `${field} (in the text)`,
  negated: (field) => `${field} (negated)`,
  'when-true': (field) => `${field} (set only when true)`,
};

const showValue = (value: unknown): string => (value === undefined ? '-' : typeof value === 'string' ? value : JSON.stringify(value));

/** True when `rule` covers the resource of `type` named `name` (a rule with a name: `<program><name>` only). */
const covers = (rule: ResourceParityRule, type: string, name: string, program: string): boolean =>
  rule.type === type && (rule.name === undefined || name === `${program}${rule.name}`);

/** Why a difference is expected (the rule's field), or `undefined` when no rule of the table explains it. */
function explain(
  resource: { type: string; name: string; program: string },
  path: string,
  values: Partial<Record<EnvironmentName, unknown>>,
  inputs: readonly ParityInput[],
): string | undefined {
  for (const rule of RESOURCE_PARITY_RULES) {
    if (!covers(rule, resource.type, resource.name, resource.program) || rule.property !== path) continue;
    if (rule.kind === 'network') {
      const ok = inputs.every(({ environment }) => {
        const value = values[environment];
        const items = Array.isArray(value) ? value : [value];
        return items.length > 0 && items.every((item) => typeof item === 'string' && rule.pattern.test(item));
      });
      if (ok) return 'networking stack: each environment has its own VPC';
      continue;
    }
    if (rule.kind === 'count') continue;
    const kind = rule.kind;
    for (const field of rule.fields) {
      // Each environment follows its own value (as `tap-drift check` holds it); a text must differ by the value only.
      const ok =
        kind === 'text'
          ? commonMaskedText(inputs.map(({ environment, config }) => ({ text: values[environment], value: settingValue(config, field) })), `{${field}}`)
          : inputs.every(({ environment, config }) => feedHolds(kind, values[environment], configuredValue(config, field)));
      if (ok) return REASON[kind](field);
    }
  }
  return undefined;
}

/**
 * Resource-level parity: after each environment's account, region, name and suffix are normalised (in URNs, names,
 * ARNs, every value), the environments must declare the same resources with the same inputs. A difference is
 * `expected` only where `RESOURCE_PARITY_RULES` maps it to a configuration field (sizing, counts, thresholds) or to the
 * networking stack; anything else is `drift`.
 *
 * @example
 * const report = compareInventories([{ environment: 'dev', config, loaded }, ...]);
 * report.rows.filter((row) => row.status === 'drift'); // [] when the environments are in parity
 */
export function compareInventories(inputs: readonly ParityInput[]): ResourceParityReport {
  const ordered = ENVIRONMENT_NAMES.flatMap((env) => inputs.filter((input) => input.environment === env));
  const environments = ordered.map((input) => input.environment);
  const normalised = new Map<EnvironmentName, Map<string, InventoryResource>>();
  for (const input of ordered) {
    const normalise = normaliser(input);
    normalised.set(
      input.environment,
      new Map(Object.entries(input.loaded.inventory.resources).map(([urn, resource]) => [normalise(urn) as string, normalise(resource) as InventoryResource])),
    );
  }
  const at = (env: EnvironmentName) => normalised.get(env) ?? new Map<string, InventoryResource>();
  const urns = [...new Set(environments.flatMap((env) => [...at(env).keys()]))].sort();
  const everywhere = (urn: string) => environments.every((env) => at(env).has(urn));
  const rows: ParityRow[] = [];

  // Resources that exist in some environments only: expected when a count rule covers their type.
  const countRules = RESOURCE_PARITY_RULES.filter((rule) => rule.kind === 'count');
  const program = (ordered[0] && programName(ordered[0].loaded.inventory)) ?? '';
  const countExplained = new Set<string>();
  for (const urn of urns.filter((u) => !everywhere(u))) {
    const resource = environments.map((env) => at(env).get(urn)).find((r) => r !== undefined) as InventoryResource;
    const rule = countRules.find((r) => covers(r, resource.type, resource.name, program));
    const values = Object.fromEntries(environments.map((env) => [env, at(env).has(urn)]));
    const counts = Object.fromEntries(environments.map((env) => [env, [...at(env).values()].filter((r) => r.type === resource.type).length]));
    const field = rule && 'fields' in rule ? rule.fields[0] : undefined;
    // A count follows a number (instances) or a boolean setting (one resource when on, none when off or left out).
    const followsConfig = field !== undefined && ordered.every(({ environment, config }) => counts[environment] === expectedCount(configuredValue(config, field)));
    if (followsConfig) countExplained.add(urn);
    rows.push({
      resource: urn,
      type: resource.type,
      name: resource.name,
      path: '(present)',
      values,
      status: followsConfig ? 'expected' : 'drift',
      reason: followsConfig
        ? `${field}: ${environments.map((env) => `${env}=${counts[env]}`).join(', ')} ${resource.type.split(':').pop()}`
        : `exists in ${environments.filter((env) => values[env]).join(', ')} only, not explained by the profiles`,
    });
  }

  for (const urn of urns.filter(everywhere)) {
    const resources = Object.fromEntries(environments.map((env) => [env, at(env).get(urn) as InventoryResource])) as Record<EnvironmentName, InventoryResource>;
    const first = resources[environments[0]];
    const flat = Object.fromEntries(environments.map((env) => [env, leaves(resources[env].inputs)])) as Record<EnvironmentName, Map<string, unknown>>;
    const paths = [...new Set(environments.flatMap((env) => [...flat[env].keys()]))].sort();
    const compared: Array<[string, Partial<Record<EnvironmentName, unknown>>]> = paths.map((path) => [path, Object.fromEntries(environments.map((env) => [env, flat[env].get(path)]))]);
    // Dependencies on resources that only some environments have (a second database instance) are not a difference.
    const deps = Object.fromEntries(environments.map((env) => [env, resources[env].dependencies?.filter((d) => !countExplained.has(d))]));
    compared.push(['(dependencies)', deps], ['(parent)', Object.fromEntries(environments.map((env) => [env, resources[env].parent]))]);
    for (const [path, values] of compared) {
      if (environments.every((env) => same(values[env], values[environments[0]]))) continue;
      const reason = explain({ type: first.type, name: first.name, program }, path, values, ordered);
      rows.push({
        resource: urn,
        type: first.type,
        name: first.name,
        path,
        values,
        status: reason ? 'expected' : 'drift',
        reason: reason ?? `differs (${environments.map((env) => `${env}=${showValue(values[env])}`).join(', ')}); no profile field explains it`,
      });
    }
  }
  return {
    environments,
    files: Object.fromEntries(ordered.map((input) => [input.environment, input.loaded.file])),
    resourceCount: urns.length,
    rows,
    drift: rows.some((row) => row.status === 'drift'),
  };
}
