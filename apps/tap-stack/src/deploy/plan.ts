// Pulumi's update plan (`pulumi preview --save-plan <file>`), read as the engine wrote it.
// The file is `apitype.DeploymentPlanV1` encoded as JSON (pulumi/pulumi pkg/cmd/pulumi/plan/plan.go `Write`, the types
// in sdk/go/common/apitype/plan.go: DeploymentPlanV1, ResourcePlanV1, GoalV1, PlanDiffV1); property values are
// serialized as in stack state (pkg/resource/stack/plan.go `SerializePlanDiff` -> `SerializeProperties`).
import { z } from 'zod';
import { readJsonFile } from '@tap/manifest';
import { PlanFileError } from './errors';

/** PlanDiffV1: the input properties a goal adds, updates or deletes relative to the stack's state. */
const planDiffSchema = z
  .object({
    adds: z.record(z.unknown()).optional(),
    updates: z.record(z.unknown()).optional(),
    deletes: z.array(z.string()).optional(),
  })
  .passthrough();

/** GoalV1: what the program asked for one resource (type, name, parent, the input diff, resource options). */
const goalSchema = z
  .object({
    type: z.string().min(1),
    name: z.string().min(1),
    custom: z.boolean(),
    inputDiff: planDiffSchema.optional(),
    outputDiff: planDiffSchema.optional(),
    parent: z.string().optional(),
    protect: z.boolean().optional(),
    dependencies: z.array(z.string()).nullish(),
    provider: z.string().optional(),
    propertyDependencies: z.record(z.array(z.string()).nullish()).nullish(),
    deleteBeforeReplace: z.boolean().nullish(),
    ignoreChanges: z.array(z.string()).nullish(),
    ignoreRefreshChanges: z.array(z.string()).nullish(),
    additionalSecretOutputs: z.array(z.string()).nullish(),
    aliases: z.array(z.string()).nullish(),
    structuredAliases: z.array(z.unknown()).nullish(),
    id: z.string().optional(),
    customTimeouts: z.record(z.unknown()).nullish(),
  })
  .passthrough();

/** ResourcePlanV1: the goal (absent for a resource only deleted), the steps, the proposed outputs (`state`). */
const resourcePlanSchema = z
  .object({
    goal: goalSchema.nullish(),
    steps: z.array(z.string()).nullish(),
    state: z.record(z.unknown()).nullish(),
    seed: z.string().optional(),
  })
  .passthrough();

const deploymentPlanSchema = z
  .object({
    manifest: z.object({ time: z.string().optional(), magic: z.string().optional(), version: z.string().optional() }).passthrough(),
    config: z.record(z.unknown()).optional(),
    resourcePlans: z.record(z.string().startsWith('urn:pulumi:', 'is not a Pulumi URN'), resourcePlanSchema).optional(),
  })
  .passthrough();

export type PlanDiff = z.infer<typeof planDiffSchema>;
export type PlanGoal = z.infer<typeof goalSchema>;
export type ResourcePlan = z.infer<typeof resourcePlanSchema>;
/** A saved update plan (Pulumi's `DeploymentPlanV1`). */
export type DeploymentPlan = z.infer<typeof deploymentPlanSchema>;

/** What Pulumi serializes an unknown value (computed at deploy time) as (`computedValuePlaceholder`, pkg/resource/stack/deployment.go). */
export const PLAN_UNKNOWN = '04da6b54-80e4-46f7-96ec-b56ff0331ba9';

/** The steps that change nothing in the cloud: a resource whose steps are only these is not touched. */
const UNTOUCHED_STEPS = ['same', 'read'] as const;

/**
 * Reads a plan file written by `pulumi preview --save-plan`.
 *
 * @throws PlanFileError (one line: the file and what is wrong) when it is missing, not JSON or not a plan.
 * @example
 * const plan = readDeploymentPlan('dist/apps/tap-stack/deploy/prod/plan.json');
 * Object.keys(plan.resourcePlans ?? {}); // the URNs the engine planned
 */
export function readDeploymentPlan(file: string): DeploymentPlan {
  let raw: unknown;
  try {
    raw = readJsonFile(file);
  } catch (err) {
    throw new PlanFileError(file, (err as Error).message.split('\n')[0]);
  }
  const parsed = deploymentPlanSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new PlanFileError(file, `not a Pulumi update plan (DeploymentPlanV1): ${issue.path.map(String).join('.') || '(root)'}: ${issue.message}`);
  }
  return parsed.data;
}

/**
 * The URNs the plan changes: every resource with a step other than `same` or `read` (create, update, replace, delete,
 * ...), sorted.
 *
 * @example
 * touchedUrns(plan); // ['urn:pulumi:prod::TapStack::...$aws:cloudwatch/metricAlarm:MetricAlarm::tap-monitoring-lambda-errors']
 */
export function touchedUrns(plan: DeploymentPlan): string[] {
  return Object.entries(plan.resourcePlans ?? {})
    .filter(([, resource]) => (resource.steps ?? []).some((step) => !(UNTOUCHED_STEPS as readonly string[]).includes(step)))
    .map(([urn]) => urn)
    .sort();
}
