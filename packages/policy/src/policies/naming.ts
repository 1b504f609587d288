import type { PolicyResource, StackValidationPolicy } from '@pulumi/policy';
import { STACK_TAGS, SUFFIX_ONLY_NAME_PREFIXES, TYPES } from '../constants';
import { inferEnvironmentSuffix, resolveStackContext } from '../context';
import { isSecretPlaceholder, str } from '../values';

/** Properties that hold a resource's physical name, by type; every other `aws:` type: `name` / `namePrefix`. */
const NAME_PROPERTIES: Readonly<Record<string, readonly string[]>> = {
  [TYPES.cluster]: ['clusterIdentifier', 'clusterIdentifierPrefix'],
  [TYPES.clusterInstance]: ['identifier', 'identifierPrefix'],
};

/** The physical names a resource sets explicitly (auto-named resources have none to check). */
export function physicalNames(resource: PolicyResource): { property: string; value: string }[] {
  if (!resource.type.startsWith('aws:')) return [];
  const properties = NAME_PROPERTIES[resource.type] ?? ['name', 'namePrefix'];
  return properties
    .map((property) => ({ property, value: str(resource.props[property]) }))
    .filter((n): n is { property: string; value: string } => n.value !== undefined && !isSecretPlaceholder(n.value));
}

/** Is `token` a whole part of `name` (delimited by anything but letters and digits)? */
export function carriesToken(name: string, token: string): boolean {
  const escaped = token.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(^|[^a-z0-9])${escaped}($|[^a-z0-9])`, 'i').test(name);
}

export const resourceNaming: StackValidationPolicy = {
  name: 'resource-naming',
  description: 'Every explicitly named resource carries the environment and the environment suffix ({type}-{environment}-{suffix}).',
  enforcementLevel: 'mandatory',
  severity: 'low',
  validateStack: (args, report) => {
    const named = args.resources.map((r) => ({ resource: r, names: physicalNames(r) })).filter((n) => n.names.length > 0);
    if (named.length === 0) args.notApplicable('no explicitly named resource');
    const context = resolveStackContext(args.resources[0]?.urn, args.stackTags);
    if (!context.environment) {
      report(
        `The environment of stack ${context.stackName ?? '(unknown)'} cannot be told, so names cannot be checked. ` +
          `Fix: name the stack dev, staging or prod, or run \`pulumi stack tag set ${STACK_TAGS.environment} <env>\`.`,
      );
      return;
    }
    const environment = context.environment;
    const suffix =
      context.environmentSuffix ??
      inferEnvironmentSuffix(named.flatMap((n) => n.names.map((x) => x.value)), environment);
    if (!suffix) {
      report(
        `No resource name in stack ${context.stackName ?? ''} carries an environment suffix after "-${environment}-". ` +
          `Fix: name resources with resourceName(type, environment, suffix) from @tap/validation, or set the ${STACK_TAGS.environmentSuffix} stack tag.`,
      );
      return;
    }
    for (const { resource, names } of named) {
      for (const { property, value } of names) {
        const suffixOnly = resource.type === TYPES.logGroup && SUFFIX_ONLY_NAME_PREFIXES.some((p) => value.startsWith(p));
        const missing = [
          ...(suffixOnly || carriesToken(value, environment) ? [] : [`the environment "${environment}"`]),
          ...(carriesToken(value, suffix) ? [] : [`the environment suffix "${suffix}"`]),
        ];
        if (missing.length > 0) {
          report(
            `${resource.type.split(':').pop()} '${resource.name}' has ${property} "${value}" without ${missing.join(' and ')}. ` +
              `Fix: name it resourceName(type, '${environment}', '${suffix}') (→ "<type>-${environment}-${suffix}").`,
            resource.urn,
          );
        }
      }
    }
  },
};

export const namingPolicies = [resourceNaming] as const;
