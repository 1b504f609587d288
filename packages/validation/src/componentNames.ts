import { AWS_NAME_LIMITS, type NamedResourceType } from './limits';

/** One physical name a component is about to give a resource. */
export interface ComponentName {
  /** What the name is, for the message, e.g. `cluster identifier`. */
  what: string;
  /** Pulumi type token of the resource; its AWS limit is `AWS_NAME_LIMITS[type]`. */
  type: NamedResourceType;
  /** The whole name. */
  name: string;
}

/**
 * What is wrong with the names a component is about to create, as one line, or undefined when every name fits its AWS
 * limit: the worst breach (the name furthest over), its length, the limit and, when the names end in `suffix`, the
 * longest environmentSuffix with which every name fits (else how many characters to cut). A name over its limit fails
 * the deploy halfway, after every resource before it was created: a component checks before creating any.
 *
 * @example
 * componentNameProblem('DatabaseComponent', 'x', 'a'.repeat(60), [
 *   { what: 'cluster identifier', type: 'aws:rds/cluster:Cluster', name: `aurora-cluster-prod-${'a'.repeat(60)}` },
 * ]);
 * // "DatabaseComponent 'x': cluster identifier 'aurora-cluster-prod-aaa…' is 80 characters; AWS allows 63
 * //  (RDS cluster identifier); the longest environmentSuffix that fits is 43"
 */
export function componentNameProblem(component: string, name: string, suffix: string | undefined, names: readonly ComponentName[]): string | undefined {
  const over = names
    .map((entry) => ({ entry, limit: AWS_NAME_LIMITS[entry.type], excess: entry.name.length - AWS_NAME_LIMITS[entry.type].max }))
    .filter((x) => x.excess > 0)
    .sort((a, b) => b.excess - a.excess)[0];
  if (over === undefined) return undefined;
  const { entry, limit } = over;
  const head = `${component} '${name}': ${entry.what} '${entry.name}' is ${entry.name.length} characters; AWS allows ${limit.max} (${limit.what})`;
  if (suffix === undefined || suffix === '' || !names.every((n) => n.name.includes(suffix))) return `${head}; shorten it by ${over.excess}`;
  // Each name is its fixed part plus the suffix: the longest suffix is the tightest limit minus the fixed part.
  const longest = Math.min(...names.map((n) => AWS_NAME_LIMITS[n.type].max - (n.name.length - suffix.length)));
  return `${head}; the longest environmentSuffix that fits is ${Math.max(0, longest)}`;
}
