import { ENVIRONMENTS, STACK_TAGS } from './constants';
import type { EnvironmentName, StackContext } from './types';

/** The stack and project of a URN (`urn:pulumi:<stack>::<project>::<type>::<name>`). */
export function parseUrn(urn: string): { stackName?: string; project?: string } {
  const match = /^urn:pulumi:([^:]+)::([^:]+)::/.exec(urn);
  return match ? { stackName: match[1], project: match[2] } : {};
}

function asEnvironment(value: string | undefined): EnvironmentName | undefined {
  return (ENVIRONMENTS as readonly string[]).includes(value ?? '') ? (value as EnvironmentName) : undefined;
}

/**
 * What the policies know about the stack: the environment comes from the `tap:environment` stack tag, else from the
 * stack name (`dev`, `staging`, `prod`, or one of them followed by `-…`, e.g. `prod-eu`); the suffix from the
 * `tap:environmentSuffix` tag (else {@link inferEnvironmentSuffix} over the names). Prod rules apply in prod and,
 * failing closed, when the environment cannot be told.
 *
 * @example
 * resolveStackContext('urn:pulumi:prod::TapStack::aws:kms/key:Key::db-key', new Map()).prodRules; // true
 */
export function resolveStackContext(urn: string | undefined, stackTags: ReadonlyMap<string, string>): StackContext {
  const { stackName, project } = urn ? parseUrn(urn) : {};
  const fromTag = stackTags.get(STACK_TAGS.environment);
  const fromStack = stackName ? asEnvironment(stackName) ?? asEnvironment(stackName.split('-')[0]) : undefined;
  const environment = fromTag !== undefined ? asEnvironment(fromTag) : fromStack;
  const suffix = stackTags.get(STACK_TAGS.environmentSuffix);
  return {
    stackName,
    project: project ?? stackTags.get(STACK_TAGS.project),
    environment,
    environmentSuffix: suffix && suffix.length > 0 ? suffix : undefined,
    prodRules: environment === undefined || environment === 'prod',
  };
}

/**
 * The environment suffix most physical names carry: the text after `-{environment}-` at the end of names built by
 * `resourceName(type, environment, suffix)`, by majority. Undefined when no name has that shape.
 *
 * @example
 * inferEnvironmentSuffix(['aurora-cluster-dev-001', 'lambda-sg-dev-001'], 'dev'); // '001'
 */
export function inferEnvironmentSuffix(names: readonly string[], environment: string): string | undefined {
  const counts = new Map<string, number>();
  const marker = `-${environment}-`;
  for (const name of names) {
    const at = name.lastIndexOf(marker);
    if (at < 0) continue;
    const suffix = name.slice(at + marker.length);
    if (/^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(suffix)) counts.set(suffix, (counts.get(suffix) ?? 0) + 1);
  }
  let best: string | undefined;
  let bestCount = 0;
  for (const [suffix, count] of counts) {
    if (count > bestCount) {
      best = suffix;
      bestCount = count;
    }
  }
  return best;
}
