import type { PolicyResource, StackValidationArgs } from '@pulumi/policy';
import { str } from './values';

/**
 * Does `ref` (a property of `source`) point at `target`? Stack policies need this to join resources: a rotation to
 * its secret, a permission to its function, an instance to its cluster.
 *
 * - On a real deploy the engine gives `propertyDependencies`, and outputs (`arn`, `id`, `name`) to compare with.
 * - Offline the synth gives inputs only, where a reference is what the mocks resolved it to: the target's physical
 *   name, an ARN ending in that name, or the mock conventions `<logical name>-id` (ids) and `…/<logical name>` (ARNs).
 */
export function refersTo(ref: unknown, target: PolicyResource, source?: PolicyResource, property?: string): boolean {
  if (source && property && (source.propertyDependencies?.[property] ?? []).includes(target)) return true;
  const value = str(ref);
  if (!value) return false;
  const props = target.props as Record<string, unknown>;
  const exact = [props['arn'], props['id'], props['name'], props['clusterIdentifier'], props['identifier'], target.urn]
    .map(str)
    .filter((v): v is string => v !== undefined);
  if (exact.includes(value)) return true;
  if (value === `${target.name}-id` || value.endsWith(`/${target.name}`)) return true;
  const physical = str(props['name']) ?? str(props['clusterIdentifier']) ?? str(props['identifier']);
  if (!physical) return false;
  // ARNs: …:function:<name>[:qualifier], …:secret:<name>-AbCdEf, …:<type>/<name>, …:<name>
  return (
    value.endsWith(`:${physical}`) ||
    value.endsWith(`/${physical}`) ||
    value.includes(`:function:${physical}:`) ||
    value.includes(`:secret:${physical}-`)
  );
}

/** The resources of `type`. */
export function ofType(resources: readonly PolicyResource[], type: string): PolicyResource[] {
  return resources.filter((r) => r.type === type);
}

/**
 * The stack's resources of `type` (those `keep` accepts, when given). With none the policy does not apply:
 * `args.notApplicable(reason)` throws, as the engine expects, so the caller only sees a non-empty list.
 *
 * @example
 * const functions = ofTypeOrNotApplicable(args, TYPES.lambdaFunction, 'no Lambda function in the stack');
 */
export function ofTypeOrNotApplicable(
  args: StackValidationArgs,
  type: string,
  reason: string,
  keep: (resource: PolicyResource) => boolean = () => true,
): PolicyResource[] {
  const found = ofType(args.resources, type).filter(keep);
  if (found.length === 0) args.notApplicable(reason);
  return found;
}
