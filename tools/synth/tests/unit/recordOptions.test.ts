import type * as pulumi from '@pulumi/pulumi';
import { join } from 'node:path';
import { synthesize, type SynthResource } from '../../src';

/*
 * What the engine receives beside the inputs: resource options (protect, ignoreChanges, ...) and which inputs are
 * secret. The mocks' `newResource` sees neither, so the recording reads the register request. Pulumi's own stack
 * transforms (`pulumi.runtime.registerResourceTransform`) are not available under mocks: `setMocks` sets
 * `supportsTransforms = false` and the SDK then throws "The Pulumi CLI does not support transforms" (@pulumi/pulumi
 * runtime/mocks.js, runtime/stack.js); transforms are "invoked by the Pulumi engine"
 * (https://www.pulumi.com/docs/iac/concepts/resources/options/transforms/). The request is what the engine gets.
 */
const mocks: pulumi.runtime.Mocks = {
  newResource: (args) => ({ id: `${args.name}-id`, state: { ...args.inputs, arn: `arn:test:${args.name}` } }),
  call: () => ({}),
};

type Recorded = SynthResource & { options?: Record<string, unknown>; secretDigests?: Record<string, unknown> };

describe('recording resource options and secret inputs', () => {
  let byName: Record<string, Recorded>;

  beforeAll(async () => {
    const run = await synthesize({ project: 'demo', stack: 'dev', programPath: join(__dirname, '..', 'fixtures', 'optionsProgram.ts'), config: { values: {}, secretKeys: [] }, mocks });
    byName = Object.fromEntries(run.resources.map((r) => [r.name, r as Recorded]));
  });

  it('records protect, retainOnDelete and the explicit provider as its URN (never an object or a mock id)', () => {
    // Assess
    expect(byName['key'].options).toEqual({
      protect: true,
      retainOnDelete: true,
      provider: byName['eu'].urn,
    });
    expect(byName['eu'].type).toBe('pulumi:providers:test');
  });

  it('records ignoreChanges, replacement options, timeouts, aliases, secret outputs and deletedWith', () => {
    // Assess
    expect(byName['secret'].options).toEqual({
      ignoreChanges: ['description', 'value'],
      deleteBeforeReplace: true,
      replaceOnChanges: ['keyId'],
      customTimeouts: { create: '5m', delete: '10m' },
      aliases: [{ name: 'old-secret', parenturn: byName['demo-dev'].urn }],
      additionalSecretOutputs: ['arn'],
      deletedWith: byName['key'].urn,
    });
    expect(byName['imported'].options).toEqual({ import: 'existing-id' });
    expect(byName['same'].options).toBeUndefined();
  });

  it('keeps secrets "[secret]" in the inputs and records a digest per secret input, never the value', () => {
    // Assess
    const secret = byName['secret'];
    expect(secret.inputs).toEqual({ keyId: 'key-id', value: '[secret]', nested: { token: '[secret]', plain: 'x' } });
    expect(secret.secretDigests).toEqual({ value: expect.stringMatching(/^sha256:[0-9a-f]{64}$/), nested: { token: expect.stringMatching(/^sha256:[0-9a-f]{64}$/) } });
    expect(JSON.stringify(Object.values(byName))).not.toContain('db.internal.example');
  });

  it('gives the same value the same digest and another value another one', () => {
    // Assess
    const digest = (name: string) => byName[name].secretDigests?.['value'];
    expect(digest('same')).toBe(digest('secret'));
    expect(digest('other')).not.toBe(digest('secret'));
  });
});
