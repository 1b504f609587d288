import { AWS_NAME_LIMITS, type NamedResourceType } from './limits';

/** An AWS length limit: the most characters, and what AWS calls the name. */
export interface NameLimit {
  max: number;
  what: string;
}

/**
 * AWS limits on names that are not a resource's own name property (so not in `AWS_NAME_LIMITS`, which the policy pack
 * reads by property). A DB cluster snapshot identifier is 1–63 letters, digits or hyphens (CreateDBClusterSnapshot);
 * DeleteDBCluster's FinalDBSnapshotIdentifier accepts up to 255, but a snapshot name must also work with every snapshot
 * API, so the tighter 63 holds.
 */
export const OTHER_NAME_LIMITS = {
  finalSnapshotIdentifier: { max: 63, what: 'RDS cluster snapshot identifier' },
} as const satisfies Readonly<Record<string, NameLimit>>;

/** One physical name a component is about to give a resource. */
export type ComponentName = {
  /** What the name is, for the message, e.g. `cluster identifier`. */
  what: string;
  /** The whole name. */
  name: string;
} & (
  | {
      /** Pulumi type token of the resource; its AWS limit is `AWS_NAME_LIMITS[type]`. */
      type: NamedResourceType;
    }
  | {
      /** A limit of its own (see {@link OTHER_NAME_LIMITS}). */
      limit: NameLimit;
    }
);

const limitOf = (entry: ComponentName): NameLimit => ('limit' in entry ? entry.limit : AWS_NAME_LIMITS[entry.type]);

/**
 * What is wrong with the names a component is about to create, as one line, or undefined when every name fits its AWS
 * limit: the first name over its limit in the order given (the component's main resource first), its length, the limit and, when the names end in `suffix`, the
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
    .map((entry) => ({ entry, limit: limitOf(entry), excess: entry.name.length - limitOf(entry).max }))
    .find((x) => x.excess > 0);
  if (over === undefined) return undefined;
  const { entry, limit } = over;
  const head = `${component} '${name}': ${entry.what} '${entry.name}' is ${entry.name.length} characters; AWS allows ${limit.max} (${limit.what})`;
  if (suffix === undefined || suffix === '' || !names.every((n) => n.name.includes(suffix))) return `${head}; shorten it by ${over.excess}`;
  // Each name is its fixed part plus the suffix: the longest suffix is the tightest limit minus the fixed part.
  const longest = Math.min(...names.map((n) => limitOf(n).max - (n.name.length - suffix.length)));
  return `${head}; the longest environmentSuffix that fits is ${Math.max(0, longest)}`;
}
