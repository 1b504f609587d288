// Private test helpers: hand-built synth records and runners that call a policy the way the engine does.
import type { ResourceValidationPolicy, StackValidationPolicy } from '@pulumi/policy';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { NotApplicableError, resourceValidationArgs, stackValidationArgs, type SynthResource } from '../src';

export const FIXTURE_PATH = join(__dirname, 'fixtures', 'resources.json');

/** A fresh copy of the compliant dev stack fixture. */
export function loadFixture(): SynthResource[] {
  return JSON.parse(readFileSync(FIXTURE_PATH, 'utf8')) as SynthResource[];
}

/** The fixture record with logical name `name` (fails loudly when absent). */
export function find(resources: SynthResource[], name: string): SynthResource {
  const found = resources.find((r) => r.name === name);
  if (!found) throw new Error(`fixture has no resource named ${name}`);
  return found;
}

/** A synth record in stack `stack` (default dev) of project TapStack. */
export function record(type: string, name: string, inputs: Record<string, unknown>, stack = 'dev'): SynthResource {
  return { urn: `urn:pulumi:${stack}::TapStack::${type}::${name}`, type, name, parent: null, inputs };
}

export function tags(environment?: string, suffix?: string): ReadonlyMap<string, string> {
  const map = new Map<string, string>();
  if (environment) map.set('tap:environment', environment);
  if (suffix) map.set('tap:environmentSuffix', suffix);
  return map;
}

export interface Outcome {
  messages: string[];
  urns: (string | undefined)[];
  /** Set when the policy declared itself not applicable. */
  notApplicable?: string;
}

function capture(call: (report: (message: string, urn?: string) => void) => unknown): Outcome {
  const outcome: Outcome = { messages: [], urns: [] };
  try {
    const result = call((message, urn) => {
      outcome.messages.push(message);
      outcome.urns.push(urn);
    });
    if (result instanceof Promise) throw new Error('policies are synchronous');
  } catch (error) {
    if (!(error instanceof NotApplicableError)) throw error;
    outcome.notApplicable = error.reason ?? '';
  }
  return outcome;
}

/** Calls every validateResource of `policy` on one record with hand-built args. */
export function runResource(policy: ResourceValidationPolicy, resource: SynthResource, stackTags = tags('dev')): Outcome {
  const validations = Array.isArray(policy.validateResource) ? policy.validateResource : [policy.validateResource];
  const outcome: Outcome = { messages: [], urns: [] };
  for (const validate of validations) {
    if (!validate) continue;
    const one = capture((report) => validate(resourceValidationArgs(resource, stackTags), report));
    outcome.messages.push(...one.messages);
    outcome.urns.push(...one.urns);
    outcome.notApplicable ??= one.notApplicable;
  }
  return outcome;
}

/** Calls validateStack of `policy` on the records with hand-built args. */
export function runStack(policy: StackValidationPolicy, resources: SynthResource[], stackTags = tags('dev')): Outcome {
  return capture((report) => policy.validateStack(stackValidationArgs(resources, stackTags), report));
}
