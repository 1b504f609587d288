import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { platformMocks } from '@tap/pulumi-testing';
import { parse } from 'yaml';

/* eslint-disable @typescript-eslint/no-explicit-any -- mock inputs are untyped in Pulumi's MockResourceArgs */

export interface Recorded {
  type: string;
  name: string;
  inputs: Record<string, any>;
}

export interface ProgramRun {
  resources: Recorded[];
  outputs: Record<string, unknown>;
}

const ZONES: Record<string, string[]> = {
  'us-east-1': ['us-east-1a', 'us-east-1b', 'us-east-1c', 'us-east-1d'],
  'us-east-2': ['us-east-2c', 'us-east-2a', 'us-east-2b'],
  'us-west-2': ['us-west-2a', 'us-west-2b', 'us-west-2c', 'us-west-2d'],
};

/** The `config:` map of `Pulumi.<stack>.yaml`, values as strings like the CLI passes them. */
export function stackConfig(stack: string): Record<string, string> {
  const doc = parse(readFileSync(join(__dirname, '..', `Pulumi.${stack}.yaml`), 'utf8')) as { config: Record<string, unknown> };
  return Object.fromEntries(Object.entries(doc.config).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]));
}

/**
 * Runs the networking program under mocks for one stack in a fresh module registry (fresh Pulumi runtime).
 */
export async function runProgram(stack: string, config: Record<string, string>): Promise<ProgramRun> {
  const region = config['aws:region'];
  const mocks = platformMocks({ region, availabilityZones: ZONES[region] ?? [] });
  let outputs: Record<string, unknown> | undefined;
  await jest.isolateModulesAsync(async () => {
    const pulumi: typeof import('@pulumi/pulumi') = require('@pulumi/pulumi');
    pulumi.runtime.setAllConfig(config);
    await pulumi.runtime.setMocks(mocks, 'networking-stack', stack, false);
    // The root stack resource, as `pulumi up` runs a program: its promise rejects when the program fails.
    outputs = await pulumi.runtime.runInPulumiStack(async () => require('../src/index'));
  });
  return { resources: mocks.resources, outputs: outputs ?? {} };
}

export function ofType(run: ProgramRun, type: string): Recorded[] {
  return run.resources.filter((r) => r.type === type);
}
