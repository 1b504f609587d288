// Helpers of the blocks' tests: a parent to create the blocks under, and lookups over what the mocks recorded.
import * as pulumi from '@pulumi/pulumi';
import type { MockedResource } from '../../src/testing';

/* eslint-disable @typescript-eslint/no-explicit-any -- tests read recorded inputs as free-form JSON */

/** A recorded resource whose inputs a test reads freely. */
export interface Recorded extends MockedResource {
  inputs: Record<string, any>;
}

/**
 * A component to create the blocks under. It records the `dependsOn` of every child (through a transformation, which
 * sees the options each child is created with), since the mocks see no dependencies.
 */
export class Parent extends pulumi.ComponentResource {
  private readonly names: Map<pulumi.Resource, string>;
  private readonly dependsOn: Map<string, unknown>;

  constructor(name: string) {
    // Filled by the transformation, which runs for the parent itself before `this` exists.
    const names = new Map<pulumi.Resource, string>();
    const dependsOn = new Map<string, unknown>();
    const record: pulumi.ResourceTransformation = (args) => {
      names.set(args.resource, args.name);
      dependsOn.set(args.name, args.opts.dependsOn);
      return undefined;
    };
    super('test:index:Parent', name, {}, { transformations: [record] });
    this.names = names;
    this.dependsOn = dependsOn;
  }

  /** Logical names of what the child `name` was created to wait for (children of this parent), in the order given. */
  dependsOnOf(name: string): string[] {
    const deps = this.dependsOn.get(name);
    const list: unknown[] = deps === undefined ? [] : Array.isArray(deps) ? deps : [deps];
    return list.map((r) => (pulumi.Resource.isInstance(r) ? (this.names.get(r) ?? 'outside the parent') : 'not a resource'));
  }
}

/** Resolves with the value of an Output. */
export function valueOf<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply((value) => resolve(value)));
}

/** Resolves once every given resource is registered (its URN is known), so the mocks have recorded its inputs. */
export async function registered(resources: (pulumi.Resource | undefined)[]): Promise<void> {
  await Promise.all(resources.map((r) => (r === undefined ? undefined : valueOf(r.urn))));
}

/** Resources of `type` whose logical name starts with `prefix`. */
export function ofType(mocks: { resources: MockedResource[] }, prefix: string, type: string): Recorded[] {
  return mocks.resources.filter((r) => r.type === type && r.name.startsWith(prefix));
}

/** The single resource of `type` under `prefix`; fails when there is not exactly one. */
export function one(mocks: { resources: MockedResource[] }, prefix: string, type: string): Recorded {
  const found = ofType(mocks, prefix, type);
  if (found.length !== 1) throw new Error(`expected one ${type} under ${prefix}, found ${found.length}`);
  return found[0];
}
