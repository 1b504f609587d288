// A failing program is tested through the CLI in a child process (apps/tap-stack failures.test.ts): its unhandled
// rejections are Jest's to report here, not the engine's.
import type * as pulumi from '@pulumi/pulumi';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { synthesize } from '../../src';

const mocks: pulumi.runtime.Mocks = {
  newResource: (args) => ({ id: `${args.name}-id`, state: { ...args.inputs, arn: `arn:test:${args.name}` } }),
  call: () => ({}),
};

describe('synthesize', () => {
  it('records every resource with its parent, dependencies and computed outputs, secrets as "[secret]" with a digest', async () => {
    // Act
    const run = await synthesize({ project: 'demo', stack: 'dev', programPath: join(__dirname, '..', 'fixtures', 'program.ts'), config: { values: {}, secretKeys: [] }, mocks });

    // Assess
    const byName = Object.fromEntries(run.resources.map((r) => [r.name, r]));
    expect(run.resources.map((r) => r.type).sort()).toEqual(['pulumi:pulumi:Stack', 'test:index:Bucket', 'test:index:Key', 'test:index:Store']);
    expect(byName['store-bucket']).toEqual({
      urn: 'urn:pulumi:dev::demo::test:index:Store$test:index:Bucket::store-bucket',
      type: 'test:index:Bucket',
      name: 'store-bucket',
      parent: byName['store'].urn,
      custom: true,
      id: 'store-bucket-id',
      inputs: { keyId: 'store-key-id', password: '[secret]' },
      outputs: { arn: 'arn:test:store-bucket' },
      dependencies: ['urn:pulumi:dev::demo::test:index:Store$test:index:Key::store-key'],
      propertyDependencies: { keyId: ['urn:pulumi:dev::demo::test:index:Store$test:index:Key::store-key'] },
      // The digest of the mock value's JSON, never the value.
      secretDigests: { password: `sha256:${createHash('sha256').update(JSON.stringify('hunter2')).digest('hex')}` },
    });
    expect(byName['store'].custom).toBe(false);
    expect(run.outputs).toEqual({ bucketId: 'store-bucket-id', password: '[secret]' });
  });
});
