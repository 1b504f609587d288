import type * as Pulumi from '@pulumi/pulumi';

/*
 * jest.preset.js maps @pulumi/pulumi's TypeScript shim to tools/pulumi-testing/jest/lazyTypescript.cjs: importing Pulumi
 * in a test file no longer loads TypeScript, and a test that serializes a function still gets the real one.
 */
describe("jest.preset.js: @pulumi/pulumi's TypeScript, loaded on first use", () => {
  it('imports Pulumi without loading TypeScript, and loads it to serialize a function', async () => {
    // Prepare: a fresh module registry that counts each load of TypeScript.
    let loads = 0;
    let pulumi: typeof Pulumi | undefined;
    jest.isolateModules(() => {
      jest.doMock('typescript', () => {
        loads += 1;
        return jest.requireActual('typescript');
      });

      // Act
      pulumi = require('@pulumi/pulumi');
    });
    const afterImport = loads;
    const serialized = await pulumi?.runtime.serializeFunction(() => 6 * 7);

    // Assess
    expect(afterImport).toBe(0);
    expect(loads).toBe(1);
    expect(serialized?.text).toContain('6 * 7');
  });
});
