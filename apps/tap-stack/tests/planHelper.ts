import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MOCK_ACCOUNT_ID } from '@tap/components/testing';
import type { InventoryResource, ResourceInventory } from '@tap/manifest';
import { PLAN_UNKNOWN, type DeploymentPlan, type PlanGoal, type ResourcePlan } from '../src/deploy/plan';
import { ROOT } from './synthHelper';

/* eslint-disable @typescript-eslint/no-explicit-any -- plan property values are free-form JSON */

/*
 * Update plans of the real shape, for tests: what `pulumi preview --save-plan` writes (pulumi/pulumi
 * pkg/cmd/pulumi/plan/plan.go `Write`: apitype.DeploymentPlanV1 as indented JSON; sdk/go/common/apitype/plan.go for
 * DeploymentPlanV1 / ResourcePlanV1 / GoalV1 / PlanDiffV1; values serialized as in stack state, an unknown as
 * `04da6b54-80e4-46f7-96ec-b56ff0331ba9`, a secret as `{ "4dabf...": "1b47...", "ciphertext": ... }`).
 */

/** The account the plans "deploy" to (any account other than the synth's mock one). */
export const DEPLOY_ACCOUNT = '111122223333';
/** The header of every plan here (apitype.PlanManifestV1): when and by which CLI it was saved. */
const PLAN_MANIFEST: DeploymentPlan['manifest'] = { time: '2026-12-06T19:00:00Z', magic: 'a'.repeat(64), version: 'v3.200.0' };
/** A Pulumi secret as a saved plan holds it (encrypted with the stack's secrets provider). */
export const PLAN_SECRET = { '4dabf18193072939515e22adb298388d': '1b47061264138c4ac30d75fd1eb44270', ciphertext: 'v1:c2VjcmV0:AAAA' };

/** The committed approved inventory of `project` (tap-stack or networking-stack) for `env`. */
export function committedInventory(project: string, env: string): ResourceInventory {
  return JSON.parse(readFileSync(join(ROOT, 'apps', project, 'manifests', `${env}.resources.json`), 'utf8')) as ResourceInventory;
}

/** An approved input as the engine would send it on a first deploy: references unknown, secrets encrypted, mock account real. */
function engineValue(value: unknown): unknown {
  if (typeof value === 'string') {
    if (/^\$\{ref:.+\}$/.test(value)) return PLAN_UNKNOWN;
    if (value === '[secret]') return PLAN_SECRET;
    return value.replaceAll(MOCK_ACCOUNT_ID, DEPLOY_ACCOUNT).replaceAll('@sha256:<digest>', `@sha256:${'ab'.repeat(32)}`);
  }
  if (Array.isArray(value)) return value.map(engineValue);
  if (value && typeof value === 'object') {
    if (Object.keys(value).length === 1 && typeof (value as any).secret === 'string') return PLAN_SECRET;
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, engineValue(v)]));
  }
  return value;
}

/** The approved resource options the engine's goal holds too (the SDK and GoalV1 share these names). */
function goalOptionsOf(resource: InventoryResource): Record<string, unknown> {
  const options = resource.options ?? {};
  const names = ['protect', 'ignoreChanges', 'deleteBeforeReplace', 'additionalSecretOutputs', 'customTimeouts'];
  const goal: Record<string, unknown> = Object.fromEntries(names.filter((name) => options[name] !== undefined).map((name) => [name, options[name]]));
  // An alias the SDK sends as an object (a spec) the engine keeps as a structured alias, a URN as an alias.
  const aliases = Array.isArray(options['aliases']) ? (options['aliases'] as unknown[]) : [];
  if (aliases.some((alias) => typeof alias === 'string')) goal['aliases'] = aliases.filter((alias) => typeof alias === 'string');
  if (aliases.some((alias) => typeof alias !== 'string')) goal['structuredAliases'] = aliases.filter((alias) => typeof alias !== 'string');
  return goal;
}

/**
 * The resource plan of a first deploy (`create`) of one approved resource. `jsonStrings` are the inputs the program
 * sends as JSON text (the inventory's `normalisation.jsonStrings` of this URN): unknown as a whole while a value in
 * them is (a policy naming a key that does not exist yet), else the text.
 */
export function createPlanOf(resource: InventoryResource, jsonStrings: readonly string[] = []): ResourcePlan {
  const adds = engineValue(resource.inputs) as Record<string, unknown>;
  for (const key of jsonStrings.filter((path) => path in adds)) {
    const text = JSON.stringify(adds[key]);
    adds[key] = text.includes(PLAN_UNKNOWN) ? PLAN_UNKNOWN : text;
  }
  return { goal: { ...goalOf(resource), inputDiff: { adds }, outputDiff: {} }, steps: ['create'], state: {} };
}

/** The goal the engine holds for an approved resource: its identity, parent, dependencies and registered options. */
function goalOf(resource: InventoryResource): PlanGoal {
  return {
    type: resource.type,
    name: resource.name,
    custom: resource.custom,
    ...(resource.parent ? { parent: resource.parent } : {}),
    protect: false,
    dependencies: resource.dependencies ?? [],
    // The options the program registered it with, as the engine's goal carries them (GoalV1 names).
    ...goalOptionsOf(resource),
  };
}

/**
 * The plan a faithful program's first deploy of `inventory` would save: every approved resource created as approved,
 * plus the engine's default aws provider. `edit` changes it (a resource the synth never saw, another value).
 */
export function firstDeployPlan(inventory: ResourceInventory, edit: (plans: Record<string, ResourcePlan>) => void = () => undefined): DeploymentPlan {
  const stackUrn = Object.keys(inventory.resources).find((urn) => urn.includes('::pulumi:pulumi:Stack::')) ?? '';
  const project = stackUrn.split('::')[1];
  const jsonStrings = (urn: string) => inventory.normalisation.jsonStrings.filter((entry) => entry.urn === urn).map((entry) => entry.path);
  const resourcePlans: Record<string, ResourcePlan> = Object.fromEntries(Object.entries(inventory.resources).map(([urn, resource]) => [urn, createPlanOf(resource, jsonStrings(urn))]));
  resourcePlans[`urn:pulumi:${inventory.environment}::${project}::pulumi:providers:aws::default_6_66_0`] = {
    goal: { type: 'pulumi:providers:aws', name: 'default_6_66_0', custom: true, inputDiff: { adds: { region: 'us-east-2', version: '6.66.0' } }, protect: false },
    steps: ['create'],
    state: {},
  };
  edit(resourcePlans);
  return { manifest: PLAN_MANIFEST, resourcePlans };
}

/**
 * The plan of a deploy that changes nothing: every approved resource `same`, with the goal it was registered with (what
 * `pulumi preview --save-plan` saves when the cloud matches the code).
 */
export function unchangedPlan(inventory: ResourceInventory): DeploymentPlan {
  const resourcePlans: Record<string, ResourcePlan> = Object.fromEntries(
    Object.entries(inventory.resources).map(([urn, resource]) => [urn, { goal: goalOf(resource), steps: ['same'], state: {} }]),
  );
  return { manifest: PLAN_MANIFEST, resourcePlans };
}
