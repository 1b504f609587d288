// The engine's own plan against the approved inventory: the last check before `pulumi up --plan <file>`.
//
// The gate judged the offline synth; the engine runs the same bundle for real, and a program can behave differently
// there. `pulumi preview --save-plan` records what the engine will do, resource by resource (URN, type, parent,
// options, the inputs that differ from the stack's state); `pulumi up --plan` then refuses to do anything else
// (https://www.pulumi.com/docs/iac/guides/basics/update-plans/). This module refuses a plan that does anything the
// approved inventory does not hold.
//
// Limits of update plans (Pulumi docs "Update plans", Limitations; pkg/resource/deploy/plan.go): a value computed at
// deploy time (another resource's output not known yet) is recorded as unknown, and `up --plan` then accepts ANY value
// for it. How unknowns are judged here:
//   - unknown where the approved value is wired from another resource (it holds `${ref:...}`, or an ARN in the synth's
//     mock account): accepted and listed as unproven: the engine cannot know an output before the resource exists,
//     and the synth proved what it is wired to;
//   - unknown where the approved value is a constant: refused (cannot prove): a constant is known at preview, so an
//     unknown means the real program computes it from something the synth never saw.
// A `same` resource has no input diff (the plan diffs against the stack's state): it keeps what was deployed, which
// an earlier checked deploy put there; out-of-band drift of it is the drift guard's job. Secrets are ciphertext in the
// plan and are never decrypted here: a secret is accepted where the approved inventory has a secret, refused where it
// has a plain value. Dependencies only order the steps and are not compared.
import { MOCK_ACCOUNT_ID } from '@tap/components/testing';
import { formatPath, SECRET_PLACEHOLDER, type InventoryResource, type ResourceInventory } from '@tap/manifest';
import { PLAN_UNKNOWN, type DeploymentPlan, type PlanGoal, type ResourcePlan } from './plan';

/** The key and value that mark a secret in serialized property values (sdk/go/common/resource/sig). */
const SECRET_SIG = { key: '4dabf18193072939515e22adb298388d', value: '1b47061264138c4ac30d75fd1eb44270' } as const;

/** Provider-set meta key of checked inputs (the names of properties the provider defaulted, e.g. an autoname). */
const PROVIDER_DEFAULTS_KEY = '__defaults';

/**
 * Resources the program reads rather than registers (ReadResource): the engine may record no goal for them, and a
 * read changes nothing in the cloud.
 */
const READ_TYPES = ['pulumi:pulumi:StackReference'] as const;

/** Steps that create a resource: every input the program sets is in the plan's `adds`. */
const CREATE_STEPS = ['create', 'create-replacement'] as const;

/** One thing the plan does that the approved inventory does not hold, or that cannot be proven from the plan. */
export interface PlanFinding {
  urn: string;
  /** The input or option concerned (`environment.variables.SINK`, `options.ignoreChanges`), if any. */
  property?: string;
  /** One line: what differs and how. */
  message: string;
}

/** The verdict on one plan. */
export interface PlanComparison {
  /** Each of these refuses the deploy. */
  refusals: PlanFinding[];
  /** Accepted but not proven from the plan (unknown until deploy, a secret, a reference the plan cannot resolve). */
  unproven: PlanFinding[];
  /** How many resource plans were compared. */
  resources: number;
}

const isPlainObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const isPlanSecret = (value: unknown): boolean => isPlainObject(value) && value[SECRET_SIG.key] === SECRET_SIG.value;
/** How an inventory records a secret: `[secret]`, or `{ "secret": "sha256:..." }` (the digest of the synth's value). */
const isApprovedSecret = (value: unknown): boolean =>
  value === SECRET_PLACEHOLDER || (isPlainObject(value) && Object.keys(value).length === 1 && typeof value['secret'] === 'string');
const REFERENCE = /^\$\{ref:(.+)\}$/;
const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Whether an approved value comes from another resource's output (so the engine may not know it at preview). */
function isWired(approved: unknown): boolean {
  const text = JSON.stringify(approved) ?? '';
  return text.includes('${ref:') || text.includes(`:${MOCK_ACCOUNT_ID}:`);
}

/** The canonical text of an option value for comparison: unset, false and empty all read as absent. */
function optionText(value: unknown): string | undefined {
  if (value === undefined || value === null || value === false) return undefined;
  if (Array.isArray(value)) return value.length === 0 ? undefined : JSON.stringify([...value].map(String).sort());
  if (isPlainObject(value)) return Object.values(value).every((v) => v === undefined || v === null || v === 0 || v === '') ? undefined : JSON.stringify(value);
  return JSON.stringify(value);
}

/** Options the engine enforces, from the goal (GoalV1 names), and how the inventory's `options` (SDK names) holds them. */
function goalOptions(goal: PlanGoal): Record<string, unknown> {
  return {
    protect: goal.protect,
    ignoreChanges: goal.ignoreChanges,
    deleteBeforeReplace: goal.deleteBeforeReplace,
    additionalSecretOutputs: goal.additionalSecretOutputs,
    aliases: [...(goal.aliases ?? []), ...(goal.structuredAliases ?? [])],
    customTimeouts: goal.customTimeouts,
  };
}

class Comparison {
  readonly refusals: PlanFinding[] = [];
  readonly unproven: PlanFinding[] = [];
  /** The account the plan's ARNs name where the synth had its mock account: one account for the whole plan. */
  private account?: { id: string; where: string };
  private readonly urnByLabel = new Map<string, string>();

  constructor(
    private readonly plan: DeploymentPlan,
    private readonly inventory: ResourceInventory,
  ) {
    // A reference names a resource by its name, or by `<type>::<name>` when two resources share the name.
    const count = new Map<string, number>();
    for (const r of Object.values(inventory.resources)) count.set(r.name, (count.get(r.name) ?? 0) + 1);
    for (const [urn, r] of Object.entries(inventory.resources)) this.urnByLabel.set((count.get(r.name) ?? 0) > 1 ? `${r.type}::${r.name}` : r.name, urn);
  }

  refuse(urn: string, message: string, property?: string): void {
    this.refusals.push({ urn, message, ...(property === undefined ? {} : { property }) });
  }

  note(urn: string, message: string, property?: string): void {
    this.unproven.push({ urn, message, ...(property === undefined ? {} : { property }) });
  }

  resource(urn: string, planned: ResourcePlan): void {
    const approved = this.inventory.resources[urn];
    const goal = planned.goal;
    const steps = planned.steps ?? [];
    if (!goal) {
      // A resource only deleted: the program no longer registers it.
      if (approved) this.refuse(urn, `the plan ${steps.join(', ') || 'drops'} ${urn}, which the approved inventory keeps (the program did not register it)`);
      return;
    }
    if (!approved) {
      if (goal.type.startsWith('pulumi:providers:') && goal.name.startsWith('default')) {
        this.note(urn, `the engine's default ${goal.type.slice('pulumi:providers:'.length)} provider, configured from the stack configuration the gate read`);
        return;
      }
      this.refuse(urn, `the plan ${steps.join(', ') || 'registers'} a ${goal.type} the approved inventory does not have: ${urn}`);
      return;
    }
    this.identity(urn, goal, approved);
    this.options(urn, goal, approved);
    this.inputs(urn, goal, approved, steps.some((step) => (CREATE_STEPS as readonly string[]).includes(step)));
  }

  private identity(urn: string, goal: PlanGoal, approved: InventoryResource): void {
    const pairs: Array<[string, unknown, unknown]> = [
      ['type', goal.type, approved.type],
      ['name', goal.name, approved.name],
      ['custom', goal.custom, approved.custom],
      ['parent', goal.parent || undefined, approved.parent],
    ];
    for (const [field, planned, expected] of pairs) {
      if (planned !== expected) this.refuse(urn, `${urn}: ${field} is ${JSON.stringify(planned)} in the plan, ${JSON.stringify(expected)} in the approved inventory`, field);
    }
  }

  private options(urn: string, goal: PlanGoal, approved: InventoryResource): void {
    const expected = (approved as InventoryResource & { options?: Record<string, unknown> }).options ?? {};
    for (const [option, planned] of Object.entries(goalOptions(goal))) {
      const plannedText = optionText(planned);
      const expectedText = optionText(expected[option]);
      if (plannedText === expectedText) continue;
      // Aliases and timeouts are recorded in different shapes by the SDK and the engine: only their presence compares.
      if ((option === 'aliases' || option === 'customTimeouts') && plannedText !== undefined && expectedText !== undefined) continue;
      this.refuse(urn, `${urn}: resource option ${option} is ${plannedText ?? 'unset'} in the plan, ${expectedText ?? 'unset'} in the approved inventory`, `options.${option}`);
    }
  }

  private inputs(urn: string, goal: PlanGoal, approved: InventoryResource, creates: boolean): void {
    const diff = goal.inputDiff ?? {};
    const planned = { ...(diff.adds ?? {}), ...(diff.updates ?? {}) };
    const defaulted = new Set([diff.adds?.[PROVIDER_DEFAULTS_KEY], diff.updates?.[PROVIDER_DEFAULTS_KEY]].flatMap((list) => (Array.isArray(list) ? list.map(String) : [])));
    for (const key of Object.keys(planned).sort()) {
      if (key === PROVIDER_DEFAULTS_KEY) continue;
      if (!(key in approved.inputs)) {
        if (defaulted.has(key)) this.note(urn, `${key} is set by the provider's default (not by the program)`, key);
        else this.refuse(urn, `${urn}: input ${key} is set in the plan but not in the approved inventory`, key);
        continue;
      }
      this.value(urn, approved.inputs[key], planned[key], [key]);
    }
    for (const key of diff.deletes ?? []) {
      if (key in approved.inputs) this.refuse(urn, `${urn}: the plan removes input ${key}, which the approved inventory sets`, key);
    }
    if (creates) {
      for (const key of Object.keys(approved.inputs).sort()) {
        if (!(key in planned)) this.refuse(urn, `${urn}: the approved inventory sets input ${key}, the plan creates the resource without it`, key);
      }
    }
  }

  /** Compares one planned value with the approved one, recursively; `path` names it in findings. */
  private value(urn: string, approved: unknown, planned: unknown, path: Array<string | number>): void {
    const property = formatPath(path);
    const differs = (detail: string) => this.refuse(urn, `${urn}: ${property} ${detail}`, property);
    if (planned === PLAN_UNKNOWN) {
      if (isWired(approved)) this.note(urn, `${property} is unknown until deploy (wired from another resource's output in the approved inventory)`, property);
      else differs(`cannot be proven: unknown in the plan (computed at deploy time), the constant ${JSON.stringify(approved)} in the approved inventory`);
      return;
    }
    if (isPlanSecret(planned)) {
      if (isApprovedSecret(approved)) this.note(urn, `${property} is a secret (ciphertext in the plan, not compared)`, property);
      else differs('is a secret in the plan where the approved inventory has a plain value');
      return;
    }
    if (isApprovedSecret(approved)) {
      differs('is a plain value in the plan where the approved inventory has a secret');
      return;
    }
    if (typeof approved === 'string' && REFERENCE.test(approved)) {
      this.reference(urn, property, approved, planned);
      return;
    }
    if (typeof planned === 'string' && typeof approved !== 'string') {
      // The inventory parses JSON strings (policy documents); so does the comparison.
      let parsed: unknown;
      try {
        parsed = JSON.parse(planned);
      } catch {
        differs(`is ${JSON.stringify(planned)} in the plan, ${JSON.stringify(approved)} in the approved inventory`);
        return;
      }
      this.value(urn, approved, parsed, path);
      return;
    }
    if (typeof approved === 'string' && typeof planned === 'string') {
      if (!this.sameString(approved, planned, property)) differs(`is ${JSON.stringify(planned)} in the plan, ${JSON.stringify(approved)} in the approved inventory`);
      return;
    }
    if (Array.isArray(approved) && Array.isArray(planned)) {
      if (approved.length !== planned.length) differs(`has ${planned.length} items in the plan, ${approved.length} in the approved inventory`);
      else approved.forEach((item, i) => this.value(urn, item, planned[i], [...path, i]));
      return;
    }
    if (isPlainObject(approved) && isPlainObject(planned)) {
      for (const key of Object.keys(planned).sort()) {
        if (key in approved) this.value(urn, approved[key], planned[key], [...path, key]);
        else this.refuse(urn, `${urn}: input ${formatPath([...path, key])} is set in the plan but not in the approved inventory`, formatPath([...path, key]));
      }
      for (const key of Object.keys(approved).sort()) {
        if (!(key in planned)) this.refuse(urn, `${urn}: the approved inventory sets ${formatPath([...path, key])}, the plan does not`, formatPath([...path, key]));
      }
      return;
    }
    if (approved !== planned) differs(`is ${JSON.stringify(planned)} in the plan, ${JSON.stringify(approved)} in the approved inventory`);
  }

  /**
   * A string against the approved one: the synth's mock account stands for the one account the plan deploys to (the
   * same wherever it appears), and the image digest placeholder for any digest.
   */
  private sameString(approved: string, planned: string, where: string): boolean {
    const pattern = escapeRegExp(approved).replaceAll(escapeRegExp('@sha256:<digest>'), '@sha256:[0-9a-f]{64}').replaceAll(MOCK_ACCOUNT_ID, '(\\d{12})');
    const match = new RegExp(`^${pattern}$`).exec(planned);
    if (!match) return false;
    for (const account of match.slice(1)) {
      this.account ??= { id: account, where };
      if (account !== this.account.id) return false;
    }
    return true;
  }

  /** `${ref:<name>.<attribute>}`: the planned value must be that resource's output when the plan knows it. */
  private reference(urn: string, property: string, approved: string, planned: unknown): void {
    const ref = REFERENCE.exec(approved)?.[1] ?? '';
    const dot = ref.indexOf('.', ref.lastIndexOf('::') + 1);
    const target = this.urnByLabel.get(ref.slice(0, dot));
    const attribute = ref.slice(dot + 1);
    const state = target ? this.plan.resourcePlans?.[target]?.state : undefined;
    const known = attribute === 'id' || !state ? undefined : state[attribute];
    if (typeof planned !== 'string') {
      this.refuse(urn, `${urn}: ${property} is ${JSON.stringify(planned)} in the plan, a reference to ${ref} in the approved inventory`, property);
    } else if (typeof known === 'string' && known !== PLAN_UNKNOWN) {
      if (known !== planned) this.refuse(urn, `${urn}: ${property} is ${JSON.stringify(planned)} in the plan, not ${ref} (${JSON.stringify(known)}) as in the approved inventory`, property);
    } else {
      this.note(urn, `${property} should be ${ref}: the plan does not record that output, so the value is not proven`, property);
    }
  }
}

/**
 * Every resource goal of `plan` against the approved inventory: a resource the inventory does not have, a known input
 * or option with another value, an input it does not set, an approved resource the plan drops, a constant the plan
 * only knows as unknown: each refuses, naming the URN (and the property). See this file's header for unknowns.
 *
 * @example
 * const verdict = comparePlanWithInventory(readDeploymentPlan(file), approvedInventory(root, spec, 'prod'));
 * verdict.refusals; // [] before `pulumi up --plan <file>`
 */
export function comparePlanWithInventory(plan: DeploymentPlan, inventory: ResourceInventory): PlanComparison {
  const comparison = new Comparison(plan, inventory);
  const planned = plan.resourcePlans ?? {};
  for (const urn of Object.keys(planned).sort()) comparison.resource(urn, planned[urn]);
  // An approved resource the engine never planned: the program did not register it when run for real.
  for (const urn of Object.keys(inventory.resources).sort()) {
    if (urn in planned) continue;
    if ((READ_TYPES as readonly string[]).includes(inventory.resources[urn].type)) comparison.note(urn, 'read by the program at deploy time (not planned): changes nothing in the cloud');
    else comparison.refuse(urn, `the approved inventory has ${urn}, the plan does not (the program did not register it)`);
  }
  return { refusals: comparison.refusals, unproven: comparison.unproven, resources: Object.keys(planned).length };
}
