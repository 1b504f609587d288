import { PolicyInputError } from './errors';
import type { PolicyViolation, SynthResource } from './types';

function isUrnList(value: unknown): boolean {
  return Array.isArray(value) && value.every((v) => typeof v === 'string' && v.startsWith('urn:pulumi:'));
}

/**
 * Checks the records are what the offline synth writes: `{ urn, type, name, parent?, inputs, dependencies?,
 * propertyDependencies? }` (dependencies are optional so files from before the synth recorded them still load).
 *
 * @example
 * assertSynthResources(JSON.parse(text), 'resources.json');
 */
export function assertSynthResources(value: unknown, where = 'resources'): asserts value is SynthResource[] {
  if (!Array.isArray(value)) {
    throw new PolicyInputError(`${where} is not a JSON array of resources (expected the resources.json written by tap-stack:synth)`);
  }
  value.forEach((item: unknown, i) => {
    const r = item as Partial<Record<keyof SynthResource, unknown>> | null;
    const problem =
      typeof r !== 'object' || r === null || Array.isArray(r)
        ? 'is not an object'
        : typeof r.urn !== 'string' || !r.urn.startsWith('urn:pulumi:')
          ? 'has no "urn" of the form urn:pulumi:<stack>::<project>::<type>::<name>'
          : typeof r.type !== 'string' || r.type.length === 0
            ? 'has no "type"'
            : typeof r.name !== 'string' || r.name.length === 0
              ? 'has no "name"'
              : typeof r.inputs !== 'object' || r.inputs === null || Array.isArray(r.inputs)
                ? 'has no "inputs" object'
                : r.parent !== undefined && r.parent !== null && typeof r.parent !== 'string'
                  ? 'has a "parent" that is not a URN string'
                  : r.dependencies !== undefined && !isUrnList(r.dependencies)
                    ? 'has "dependencies" that are not an array of URNs'
                    : r.propertyDependencies !== undefined &&
                        (typeof r.propertyDependencies !== 'object' ||
                          r.propertyDependencies === null ||
                          Array.isArray(r.propertyDependencies) ||
                          !Object.values(r.propertyDependencies).every(isUrnList))
                      ? 'has "propertyDependencies" that are not an object of URN arrays'
                      : undefined;
    if (problem) throw new PolicyInputError(`${where}: resource #${i} ${problem}`);
  });
}

/** Violations that fail a deployment (mandatory; remediate reported as mandatory). */
export function blockingViolations(violations: readonly PolicyViolation[]): PolicyViolation[] {
  return violations.filter((v) => v.enforcementLevel === 'mandatory' || v.enforcementLevel === 'remediate');
}
