import { z } from 'zod';
import { PULUMI_SECRET_SIG, REFRESH_NO_CHANGE_OPS, REFRESH_OP_KINDS, SECRET_PLACEHOLDER } from '../constants';
import { LiveDriftError } from '../errors';
import { expectedChange } from './expected';
import { propertyPathSegments } from './paths';
import type { PropertyDrift, RefreshPreview, ResourceDrift, ResourceDriftKind } from './types';

export { propertyPathSegments } from './paths';

// The shape of `pulumi refresh --preview-only --json` (sdk/pkg/display/json.go): every key is omitted when empty, and
// unknown keys are kept so a newer CLI does not break the parser.
const stateSchema = z
  .object({
    type: z.string().optional(),
    inputs: z.record(z.unknown()).nullish(),
    outputs: z.record(z.unknown()).nullish(),
  })
  .passthrough();

const stepSchema = z
  .object({
    op: z.string().min(1),
    urn: z.string().min(1),
    oldState: stateSchema.nullish(),
    newState: stateSchema.nullish(),
    diffReasons: z.array(z.string()).nullish(),
    detailedDiff: z.record(z.object({ kind: z.string(), inputDiff: z.boolean().optional() }).passthrough()).nullish(),
  })
  .passthrough();

const previewSchema = z
  .object({
    steps: z.array(stepSchema).nullish(),
    diagnostics: z
      .array(z.object({ message: z.string(), severity: z.string(), urn: z.string().optional() }).passthrough())
      .nullish(),
  })
  .passthrough();

type Step = z.infer<typeof stepSchema>;
type State = z.infer<typeof stateSchema>;

/** True for a value Pulumi marks secret: the `[secret]` text or a serialized secret (the secret signature key). */
function isSecret(value: unknown): boolean {
  if (value === SECRET_PLACEHOLDER) return true;
  return typeof value === 'object' && value !== null && (value as Record<string, unknown>)[PULUMI_SECRET_SIG.key] === PULUMI_SECRET_SIG.value;
}

/**
 * `value` with every secret (at any depth) replaced by `"[secret]"`.
 *
 * @example
 * redactSecrets({ password: { '4dabf18193072939515e22adb298388d': '1b47061264138c4ac30d75fd1eb44270', value: 'x' } });
 * // { password: '[secret]' }
 */
export function redactSecrets(value: unknown): unknown {
  if (isSecret(value)) return SECRET_PLACEHOLDER;
  if (Array.isArray(value)) return value.map(redactSecrets);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, child]) => [key, redactSecrets(child)]));
  }
  return value;
}

/** The value at `path`, stopping (as a secret) at any secret on the way; `undefined` when absent. */
function valueAt(root: Record<string, unknown> | null | undefined, path: string): unknown {
  let value: unknown = root ?? undefined;
  for (const segment of propertyPathSegments(path)) {
    if (isSecret(value)) return SECRET_PLACEHOLDER;
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<string | number, unknown>)[segment];
  }
  return redactSecrets(value);
}

/** Outputs hold what the provider read from the cloud; inputs are the fallback (and first for an input diff). */
function stateValue(state: State | null | undefined, path: string, inputDiff: boolean): unknown {
  if (!state) return undefined;
  const [first, second] = inputDiff ? [state.inputs, state.outputs] : [state.outputs, state.inputs];
  const value = valueAt(first, path);
  return value === undefined ? valueAt(second, path) : value;
}

function properties(step: Step): PropertyDrift[] {
  const diff = (path: string, kind: string, inputDiff = false): PropertyDrift => ({
    path,
    kind,
    old: stateValue(step.oldState, path, inputDiff),
    new: stateValue(step.newState, path, inputDiff),
  });
  if (step.detailedDiff && Object.keys(step.detailedDiff).length > 0) {
    return Object.entries(step.detailedDiff)
      .map(([path, entry]) => diff(path, entry.kind, entry.inputDiff ?? false))
      .sort((a, b) => a.path.localeCompare(b.path));
  }
  // Older CLIs and some providers give only the top-level keys that differ.
  return [...(step.diffReasons ?? [])].sort().map((path) => diff(path, 'update'));
}

/** `urn:pulumi:<stack>::<project>::<type>[$<child type>]::<name>` -> name and the last type. */
function fromUrn(urn: string): { type: string; name: string } {
  const parts = urn.split('::');
  const types = (parts.length >= 4 ? parts[2] : '').split('$');
  return { type: types[types.length - 1] ?? '', name: parts.length >= 4 ? parts.slice(3).join('::') : urn };
}

function kindOf(op: string): ResourceDriftKind {
  return (REFRESH_OP_KINDS as Record<string, ResourceDriftKind>)[op] ?? 'unknown';
}

// Pulumi's colour markup (`<{%reset%}>`) and trailing newlines do not belong in a one-line message.
const plain = (message: string): string => message.replace(/<\{%[^%]*%\}>/g, '').replace(/\s*\n\s*/g, ' ').trim();

/** A preview with nothing in it: the cloud side of a report whose refresh did not run or failed. */
export const emptyPreview = (): RefreshPreview => ({ resources: [], warnings: [], errors: [] });

/**
 * Turns the JSON document of `pulumi refresh --preview-only --json` into drift entries, one per resource: update ->
 * `changed`, delete -> `missing`, create -> `unmanaged` (in the cloud but not in the state), replace /
 * create-replacement / delete-replaced -> `replaced`, any other operation -> `unknown` (kept, never dropped). Each
 * entry lists its changed properties with old (state) -> new (cloud) values; secrets are always `"[secret]"`.
 * Changes a service makes by design (`EXPECTED_CHANGES`: Secrets Manager rotation) are marked `ignored` with
 * a `builtin` id and their reason, never dropped.
 *
 * @throws LiveDriftError when `document` is not that shape.
 * @example
 * const preview = parseRefreshPreview(JSON.parse(stdout), 'pulumi refresh --stack dev');
 * preview.resources; // [{ urn, type: 'aws:cloudwatch/metricAlarm:MetricAlarm', kind: 'changed', properties: [...] }]
 */
export function parseRefreshPreview(document: unknown, source = 'pulumi refresh output'): RefreshPreview {
  const parsed = previewSchema.safeParse(document);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => `${issue.path.length ? issue.path.join('.') : '(root)'}: ${issue.message}`);
    throw new LiveDriftError('refresh-output', source, `not the JSON of "pulumi refresh --preview-only --json": ${issues.slice(0, 3).join('; ')}`);
  }
  const byUrn = new Map<string, ResourceDrift>();
  const stepByUrn = new Map<string, Step>();
  for (const step of parsed.data.steps ?? []) {
    stepByUrn.set(step.urn, step);
    const changed = properties(step);
    if ((REFRESH_NO_CHANGE_OPS as readonly string[]).includes(step.op) && changed.length === 0) continue;
    const kind = (REFRESH_NO_CHANGE_OPS as readonly string[]).includes(step.op) ? 'changed' : kindOf(step.op);
    const known = byUrn.get(step.urn);
    if (known) {
      // A replacement arrives as several steps for one URN: one entry, every operation named.
      known.op = `${known.op}+${step.op}`;
      if (known.kind !== kind) known.kind = known.kind === 'replaced' || kind === 'replaced' ? 'replaced' : 'unknown';
      for (const property of changed) if (!known.properties.some((p) => p.path === property.path)) known.properties.push(property);
      continue;
    }
    const urnParts = fromUrn(step.urn);
    const type = step.newState?.type ?? step.oldState?.type ?? urnParts.type;
    byUrn.set(step.urn, { urn: step.urn, type, name: urnParts.name, kind, op: step.op, properties: changed });
  }
  for (const resource of byUrn.values()) {
    // Only an in-place change can be one the service makes by design; a deleted or replaced resource never is.
    if (resource.kind !== 'changed' || resource.op.includes('+')) continue;
    const step = stepByUrn.get(resource.urn);
    resource.properties = resource.properties.map((property) => {
      const expected = expectedChange({ type: resource.type, path: property.path, old: step?.oldState?.outputs, new: step?.newState?.outputs });
      return expected ? { ...property, ignored: expected } : property;
    });
    if (resource.properties.length > 0 && resource.properties.every((p) => p.ignored)) resource.ignored = resource.properties[0].ignored;
  }
  const diagnostics = parsed.data.diagnostics ?? [];
  const messages = (severity: string) =>
    diagnostics.filter((d) => d.severity === severity).map((d) => (d.urn ? `${fromUrn(d.urn).name}: ${plain(d.message)}` : plain(d.message)));
  return {
    resources: [...byUrn.values()].sort((a, b) => a.urn.localeCompare(b.urn)),
    warnings: messages('warning'),
    errors: messages('error'),
  };
}
