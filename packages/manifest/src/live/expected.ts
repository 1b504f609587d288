import picomatch from 'picomatch';
import { propertyPathSegments } from './paths';
import type { IgnoredBy } from './types';

/** The staging labels Secrets Manager itself moves during a rotation; any other label is the owner's. */
export const ROTATION_STAGES = ['AWSCURRENT', 'AWSPENDING', 'AWSPREVIOUS'] as const;

/** What a built-in class sees of one changed property: the resource outputs before (state) and after (cloud). */
export interface ExpectedChangeInput {
  type: string;
  path: string;
  old: Record<string, unknown> | null | undefined;
  new: Record<string, unknown> | null | undefined;
}

/** A change a service makes by design: never drift, always listed with its reason. */
export interface ExpectedChange {
  /** Stable id, printed in the JSON report (`ignored.builtin`). */
  id: string;
  /** Resource type glob (picomatch, `*` crosses `/`). */
  type: string;
  /** Top-level property names the class covers (the first segment of the Pulumi property path). */
  properties: readonly string[];
  /** Whether this change is the one the service makes; absent: every change of those properties is. */
  when?: (root: string, before: unknown, after: unknown) => boolean;
  reason: string;
}

const labels = (value: unknown): string[] | undefined =>
  Array.isArray(value) && value.every((v) => typeof v === 'string') ? (value as string[]) : undefined;

/** True when only the rotation labels moved: every other label (the stack's TAP_INITIAL) is on the version before and after. */
function onlyRotationStagesMoved(_root: string, before: unknown, after: unknown): boolean {
  const [old, now] = [labels(before), labels(after)];
  if (!old || !now) return false;
  const own = (list: string[]) => [...new Set(list.filter((l) => !(ROTATION_STAGES as readonly string[]).includes(l)))].sort().join('\n');
  return own(old) === own(now);
}

/**
 * The changes Secrets Manager makes by design, which `pulumi refresh` reports and `ignoreChanges` (which only affects
 * `up`) cannot hide. Each is value-aware where a wrong value would matter: a version losing the stack's own label is
 * drift (a version without labels is deprecated and deleted), rotation switched off is drift.
 */
export const EXPECTED_CHANGES: readonly ExpectedChange[] = [
  {
    id: 'secretsmanager-rotation-stages',
    type: 'aws:secretsmanager/secretVersion:SecretVersion',
    properties: ['versionStages'],
    when: onlyRotationStagesMoved,
    reason:
      'Secrets Manager rotation moves AWSCURRENT / AWSPENDING / AWSPREVIOUS between versions; the stack\'s own labels (TAP_INITIAL) are unchanged',
  },
  {
    id: 'secretsmanager-rotation-dates',
    type: 'aws:secretsmanager/*',
    properties: ['lastRotatedDate', 'lastChangedDate', 'lastAccessedDate', 'nextRotationDate'],
    reason: 'Secrets Manager updates these dates on every rotation and access',
  },
  {
    id: 'secretsmanager-rotation-enabled',
    type: 'aws:secretsmanager/*',
    properties: ['rotationEnabled'],
    when: (_root, before, after) => before !== true && after === true,
    reason: 'rotation was switched on (by the stack\'s SecretRotation, after the secret was recorded); switching it off would be drift',
  },
];

const SLASH = '\u2215';
const typeMatchers = EXPECTED_CHANGES.map((change) => {
  const match = picomatch(change.type.split('/').join(SLASH), { dot: true });
  return (type: string) => match(type.split('/').join(SLASH));
});

/**
 * Why the change of `path` is one Secrets Manager makes by design, or `undefined` when it may be drift. The whole
 * property (all of `versionStages`, not one element) is judged from the outputs before and after.
 *
 * @example
 * expectedChange({ type: 'aws:secretsmanager/secretVersion:SecretVersion', path: 'versionStages[0]',
 *   old: { versionStages: ['AWSCURRENT', 'TAP_INITIAL'] }, new: { versionStages: ['AWSPREVIOUS', 'TAP_INITIAL'] } });
 * // { builtin: 'secretsmanager-rotation-stages', reason: 'Secrets Manager rotation moves ...' }
 */
export function expectedChange(input: ExpectedChangeInput): IgnoredBy | undefined {
  const root = propertyPathSegments(input.path)[0];
  if (typeof root !== 'string') return undefined;
  const index = EXPECTED_CHANGES.findIndex((change, i) => typeMatchers[i](input.type) && change.properties.includes(root));
  if (index < 0) return undefined;
  const change = EXPECTED_CHANGES[index];
  if (change.when && !change.when(root, input.old?.[root], input.new?.[root])) return undefined;
  return { builtin: change.id, reason: change.reason };
}
