import type { EnforcementLevel, ResourceValidationPolicy, Severity, StackValidationPolicy } from '@pulumi/policy';
import type { ENVIRONMENTS, OUTPUT_FORMATS } from './constants';

export type EnvironmentName = (typeof ENVIRONMENTS)[number];
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/** A policy of the pack: either kind CrossGuard accepts. */
export type TapPolicy = ResourceValidationPolicy | StackValidationPolicy;

/**
 * One resource as the offline synth writes it to `dist/apps/tap-stack/synth/<env>/resources.json`
 * (a JSON array of these). Secret values are the string `"[secret]"`.
 */
export interface SynthResource {
  urn: string;
  /** Type token, e.g. `aws:rds/cluster:Cluster`. */
  type: string;
  /** Logical name. */
  name: string;
  /** URN of the parent, when there is one. */
  parent?: string | null;
  inputs: Record<string, unknown>;
  /** Optional: the provider id, when the synth records it (helps stack policies match references). */
  id?: string;
  /** Optional: the (mocked) outputs, when the synth records them; stack policies see inputs merged with these. */
  outputs?: Record<string, unknown>;
  /**
   * Optional: URNs this resource's creation waits for, as the engine receives them (explicit `dependsOn` and the
   * resources behind its input Outputs, a component expanded into its custom children). Stack policies get them as
   * `PolicyResource.dependencies`; files written before the synth recorded them load with none.
   */
  dependencies?: string[];
  /** Optional: the same per input property; stack policies get them as `PolicyResource.propertyDependencies`. */
  propertyDependencies?: Record<string, string[]>;
}

/** Options of {@link evaluatePolicies}. */
export interface EvaluateOptions {
  /** The stack the resources belong to (reported with each violation). */
  stackName: string;
  /** dev, staging or prod: passed to the policies as the `tap:environment` stack tag. */
  environment: string;
  /** Passed as the `tap:environmentSuffix` stack tag; inferred from the resource names when absent. */
  environmentSuffix?: string;
  /** Policies to run; default: the pack's {@link policies}. */
  policies?: ReadonlyArray<TapPolicy>;
  /** Enforcement level of policies that set none (the pack's default). Default: `mandatory`. */
  defaultEnforcementLevel?: EnforcementLevel;
}

/** One reported violation, with what a reader needs to find and fix it. */
export interface PolicyViolation {
  policyName: string;
  enforcementLevel: EnforcementLevel;
  severity?: Severity;
  message: string;
  /** The resource in violation; absent when the stack as a whole is. */
  urn?: string;
  resourceType?: string;
  resourceName?: string;
  stackName: string;
  environment: string;
}

/** What the policies know about the stack they run in (see {@link resolveStackContext}). */
export interface StackContext {
  stackName?: string;
  project?: string;
  /** Undefined when neither the `tap:environment` tag nor the stack name says it. */
  environment?: EnvironmentName;
  environmentSuffix?: string;
  /** Prod rules apply in prod and, failing closed, when the environment is unknown. */
  prodRules: boolean;
}
