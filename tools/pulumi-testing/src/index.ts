// Test helpers over the platform's mocks (@tap/blocks/testing): install them for a test file, wait for the program,
// find what it registered.
import * as pulumi from '@pulumi/pulumi';
import { MOCK_ACCOUNT_ID, MOCK_ECR_PASSWORD, MOCK_REGION, setPlatformMocks, type MockedCall, type MockedResource } from '@tap/blocks/testing';

/* eslint-disable @typescript-eslint/no-explicit-any -- tests read recorded inputs as free-form JSON */

export const ACCOUNT_ID = MOCK_ACCOUNT_ID;
export const REGION = MOCK_REGION;
/** What the mocked ECR authorization token returns as password: tests check it never reaches an output. */
export const ECR_PASSWORD = MOCK_ECR_PASSWORD;

/** A registered resource, inputs free-form for a test's assertions. */
export interface RecordedResource extends MockedResource {
  inputs: Record<string, any>;
}

export interface MockOptions {
  /** Outputs of each stack reference, by fully qualified stack name. */
  stackOutputs?: Record<string, Record<string, unknown>>;
  /** CIDR returned by `aws.ec2.getVpc` for a VPC no stack reference exports. @default '10.99.0.0/16' */
  vpcCidr?: string;
  /** What every `random.RandomPassword` generates. */
  randomPassword?: string;
}

export interface Mocks {
  resources: RecordedResource[];
  calls: (MockedCall & { inputs: Record<string, any> })[];
  options: MockOptions;
}

/**
 * Installs the platform's mocks (readable ids: `<name>-id`) as project `tap`, stack `unit`, and returns what they record.
 * Call once per test file, before constructing components.
 *
 * @example
 * const mocks = installMocks({ stackOutputs: { 'organization/networking-stack/dev': network } });
 */
export function installMocks(options: MockOptions = {}): Mocks {
  const mocks = setPlatformMocks({
    project: 'tap',
    stack: 'unit',
    stackReferences: options.stackOutputs,
    vpcCidr: options.vpcCidr ?? '10.99.0.0/16',
    randomPassword: options.randomPassword,
  });
  return { resources: mocks.resources, calls: mocks.calls, options };
}

/** Resolves with the value of an Output (never resolves for an Output that fails). */
export function valueOf<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply((value) => resolve(value)));
}

/** Waits until no new resource has been registered for a few event-loop turns. */
export async function flush(mocks: Pick<Mocks, 'resources'>): Promise<void> {
  let stable = 0;
  let last = -1;
  while (stable < 5) {
    await new Promise((resolve) => setTimeout(resolve, 5));
    if (mocks.resources.length === last) stable += 1;
    else {
      stable = 0;
      last = mocks.resources.length;
    }
  }
}

/** Resources of `type` whose logical name starts with `prefix`. */
export function ofType(mocks: Pick<Mocks, 'resources'>, prefix: string, type: string): RecordedResource[] {
  return mocks.resources.filter((r) => r.type === type && r.name.startsWith(prefix));
}

/** The single resource of `type` under `prefix`; fails when there is not exactly one. */
export function one(mocks: Pick<Mocks, 'resources'>, prefix: string, type: string): RecordedResource {
  const found = ofType(mocks, prefix, type);
  if (found.length !== 1) throw new Error(`expected one ${type} under ${prefix}, found ${found.length}`);
  return found[0];
}

export { echoMocks, platformMocks, type PlatformMockOptions, type PlatformMocks } from '@tap/blocks/testing';
export type { SynthResource } from '@tap/synth';
export { recordGraph, type GraphRecording, type GraphResource } from './graph';
