import type {
  EnforcementLevel,
  PolicyResource,
  PolicyResourceOptions,
  ResourceValidation,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationArgs,
  StackValidationPolicy,
} from '@pulumi/policy';
// Exported by @pulumi/policy's index (its proxy.d.ts is stripped, so they are untyped): the engine's own unknown
// detection, reused so hand-built args behave like the analyzer's.
import { UnknownValueError, unknownCheckingProxy } from '@pulumi/policy';
import * as pulumi from '@pulumi/pulumi';
import { ENVIRONMENTS, STACK_TAGS, UNKNOWN_PLACEHOLDER } from './constants';
import { parseUrn } from './context';
import { NotApplicableError, PolicyEvaluationError, PolicyInputError } from './errors';
import { assertSynthResources } from './synthRecords';
import { policies as packPolicies } from './policies';
import type { EvaluateOptions, PolicyViolation, SynthResource, TapPolicy } from './types';

type ResourceClass = { new (...rest: never[]): unknown; __pulumiType?: unknown; isInstance?: unknown };

/** The engine compares a class's `__pulumiType` with the resource's type token (server.ts isTypeOf). */
function isTypeOf(type: string, resourceClass: ResourceClass): boolean {
  const pulumiType = resourceClass.__pulumiType;
  if (typeof pulumiType === 'string' && pulumiType.length > 0) return type === pulumiType;
  const isInstance = resourceClass.isInstance;
  return typeof isInstance === 'function' && isInstance({ __pulumiType: type }) === true;
}

function pulumiTypeOf(fn: unknown): string | undefined {
  const value = (fn as { __pulumiType?: unknown } | undefined)?.__pulumiType;
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

function throwNotApplicable(reason?: string): never {
  throw new NotApplicableError(reason);
}

function options(parent: string | null | undefined): PolicyResourceOptions {
  return {
    protect: false,
    ignoreChanges: [],
    aliases: [],
    customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
    additionalSecretOutputs: [],
    ...(parent ? { parent } : {}),
  };
}

/** What the engine tells a policy about one resource: a resource policy's args and a stack policy's resources alike. */
type ResourceFacts = Pick<PolicyResource, 'type' | 'props' | 'urn' | 'name' | 'opts' | 'isType'> & {
  // The two declare asType with different result types; the engine gives the same props to both.
  asType: PolicyResource['asType'] & ResourceValidationArgs['asType'];
};

function resourceFacts(resource: SynthResource, props: Record<string, unknown>): ResourceFacts {
  const isType = (cls: ResourceClass): boolean => isTypeOf(resource.type, cls);
  return {
    type: resource.type,
    props,
    urn: resource.urn,
    name: resource.name,
    opts: options(resource.parent),
    isType,
    // The engine returns the props themselves, typed as the class's args.
    asType: (cls: ResourceClass) => (isType(cls) ? (props as never) : undefined),
  };
}

/**
 * The synth writes "[unknown]" where a value is not known yet; the engine sends its unknown sentinel, which the
 * policies' proxy turns into "can't run during preview". Translating keeps the offline run as faithful.
 */
function engineValues(value: unknown): unknown {
  if (value === UNKNOWN_PLACEHOLDER) return pulumi.runtime.unknownValue;
  if (Array.isArray(value)) return value.map(engineValues);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, engineValues(v)]));
  }
  return value;
}

/**
 * The stack tags the evaluator gives the policies: `pulumi:project` (from the URNs), `tap:environment` and,
 * when known, `tap:environmentSuffix`. Set the same tags on a real stack for the same results.
 *
 * @example
 * stackTagsFor(resources, { stackName: 'dev', environment: 'dev' }).get('tap:environment'); // 'dev'
 */
export function stackTagsFor(resources: readonly SynthResource[], opts: Pick<EvaluateOptions, 'environment' | 'environmentSuffix'>): ReadonlyMap<string, string> {
  const tags = new Map<string, string>();
  const project = resources.map((r) => parseUrn(r.urn).project).find((p) => p !== undefined);
  if (project) tags.set(STACK_TAGS.project, project);
  tags.set(STACK_TAGS.environment, opts.environment);
  if (opts.environmentSuffix) tags.set(STACK_TAGS.environmentSuffix, opts.environmentSuffix);
  return tags;
}

/**
 * The `ResourceValidationArgs` the engine would give a policy for `resource` (props wrapped in the engine's
 * unknown-checking proxy, `notApplicable` throwing as the analyzer's does).
 *
 * @example
 * const args = resourceValidationArgs(record, new Map([['tap:environment', 'dev']]));
 * policy.validateResource(args, (message) => messages.push(message));
 */
export function resourceValidationArgs(resource: SynthResource, stackTags: ReadonlyMap<string, string>): ResourceValidationArgs {
  const props = unknownCheckingProxy(engineValues(resource.inputs ?? {})) as Record<string, unknown>;
  return {
    ...resourceFacts(resource, props),
    stackTags,
    getConfig: <T extends object>() => ({}) as T,
    notApplicable: throwNotApplicable,
  };
}

/**
 * The `StackValidationArgs` the engine would give a stack policy: every resource with its parent, `dependencies` and
 * `propertyDependencies` linked as resource objects. Props are the inputs merged with the recorded `outputs` and `id`
 * (the engine gives outputs, which include the inputs).
 *
 * @example
 * resourcesPolicy.validateStack(stackValidationArgs(records, tags), report);
 */
export function stackValidationArgs(resources: readonly SynthResource[], stackTags: ReadonlyMap<string, string>): StackValidationArgs {
  const built: PolicyResource[] = resources.map((resource) => {
    const merged: Record<string, unknown> = { ...(resource.inputs ?? {}), ...(resource.outputs ?? {}) };
    if (resource.id !== undefined && merged['id'] === undefined) merged['id'] = resource.id;
    const props = unknownCheckingProxy(engineValues(merged)) as Record<string, unknown>;
    return { ...resourceFacts(resource, props), dependencies: [], propertyDependencies: {} };
  });
  const byUrn = new Map(built.map((r) => [r.urn, r]));
  // As the analyzer does (@pulumi/policy server.js): URNs become the resource objects, URNs not in the stack are dropped.
  const objects = (urns: readonly string[] | undefined) => (urns ?? []).map((urn) => byUrn.get(urn)).filter((r): r is PolicyResource => r !== undefined);
  resources.forEach((resource, i) => {
    const parent = resource.parent ? byUrn.get(resource.parent) : undefined;
    if (parent) built[i].parent = parent;
    built[i].dependencies = objects(resource.dependencies);
    built[i].propertyDependencies = Object.fromEntries(
      Object.entries(resource.propertyDependencies ?? {}).map(([property, urns]) => [property, objects(urns)]),
    );
  });
  return { resources: built, stackTags, getConfig: <T extends object>() => ({}) as T, notApplicable: throwNotApplicable };
}

/** Runs one validation the way the analyzer does: not-applicable is silent, an unknown value is advisory. */
function run(
  policy: TapPolicy,
  call: () => unknown,
  where: string,
  unknownViolation: (message: string) => void,
): void {
  try {
    const result = call();
    if (result && typeof (result as { then?: unknown }).then === 'function') {
      throw new PolicyEvaluationError(`policy '${policy.name}' returned a promise on ${where}; the offline evaluator runs synchronous policies only`);
    }
  } catch (error) {
    if (error instanceof NotApplicableError) return;
    if (error instanceof UnknownValueError) {
      // The engine reports these as advisory: the value is only known after the update.
      unknownViolation(`can't run policy '${policy.name}' during preview: ${(error as Error).message}`);
      return;
    }
    if (error instanceof PolicyEvaluationError) throw error;
    throw new PolicyEvaluationError(`policy '${policy.name}' failed on ${where}: ${(error as Error)?.message ?? String(error)}`);
  }
}

/**
 * Runs every policy over a synthesized stack exactly as the engine would on `pulumi preview --policy-pack`:
 * each resource through each resource policy (skipping those whose type does not match), then the whole stack through
 * each stack policy, collecting `reportViolation` calls and honouring `notApplicable`.
 *
 * @throws PolicyInputError when the records are not synth records; PolicyEvaluationError when a policy crashes.
 * @example
 * const violations = evaluatePolicies(JSON.parse(readFileSync('dist/apps/tap-stack/synth/dev/resources.json', 'utf8')), {
 *   stackName: 'dev',
 *   environment: 'dev',
 * });
 */
export function evaluatePolicies(resources: SynthResource[], opts: EvaluateOptions): PolicyViolation[] {
  assertSynthResources(resources);
  if (!(ENVIRONMENTS as readonly string[]).includes(opts.environment)) {
    throw new PolicyInputError(`environment "${opts.environment}" must be one of ${ENVIRONMENTS.join(', ')}`);
  }
  const stackTags = stackTagsFor(resources, opts);
  const violations: PolicyViolation[] = [];
  const common = { stackName: opts.stackName, environment: opts.environment };
  for (const policy of opts.policies ?? packPolicies) {
    const level = policy.enforcementLevel ?? opts.defaultEnforcementLevel ?? 'mandatory';
    if (level === 'disabled') continue;
    // Stack policies cannot remediate; a remediation that still violates is reported as mandatory.
    const reportedLevel: EnforcementLevel = level === 'remediate' ? 'mandatory' : level;
    const base = { policyName: policy.name, severity: policy.severity, ...common };
    if ('validateStack' in policy && typeof policy.validateStack === 'function') {
      const stackPolicy = policy as StackValidationPolicy;
      const pulumiType = pulumiTypeOf(stackPolicy.validateStack);
      if (pulumiType && !resources.some((r) => r.type === pulumiType)) continue;
      const args = stackValidationArgs(resources, stackTags);
      const byUrn = new Map(resources.map((r) => [r.urn, r]));
      run(
        policy,
        () =>
          stackPolicy.validateStack(args, (message, urn) => {
            const resource = urn ? byUrn.get(urn) : undefined;
            violations.push({ ...base, enforcementLevel: reportedLevel, message, urn, resourceType: resource?.type, resourceName: resource?.name });
          }),
        `stack ${opts.stackName}`,
        (message) => violations.push({ ...base, enforcementLevel: 'advisory', message }),
      );
      continue;
    }
    const resourcePolicy = policy as ResourceValidationPolicy;
    if (!resourcePolicy.validateResource) continue;
    const validations: ResourceValidation[] = Array.isArray(resourcePolicy.validateResource)
      ? resourcePolicy.validateResource
      : [resourcePolicy.validateResource];
    const fastType = validations.length === 1 ? pulumiTypeOf(validations[0]) : undefined;
    for (const resource of resources) {
      if (fastType && resource.type !== fastType) continue;
      const at = { urn: resource.urn, resourceType: resource.type, resourceName: resource.name };
      for (const validation of validations) {
        const args = resourceValidationArgs(resource, stackTags);
        run(
          policy,
          // The resource's own URN is always used, as the engine does for resource policies.
          () => validation(args, (message) => violations.push({ ...base, ...at, enforcementLevel: reportedLevel, message })),
          resource.urn,
          (message) => violations.push({ ...base, ...at, enforcementLevel: 'advisory', message }),
        );
      }
    }
  }
  return violations;
}
