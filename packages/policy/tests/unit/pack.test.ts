import type { PolicyPackArgs } from '@pulumi/policy';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { runInNewContext } from 'node:vm';
import ts from 'typescript';

const PACK_DIR = resolve(__dirname, '../../../../tools/policy-pack');

/**
 * Runs tools/policy-pack/index.ts as Pulumi would (compiled, cwd = the pack), except that `@pulumi/policy`'s
 * PolicyPack is replaced by a recorder: the real constructor starts the analyzer's gRPC server.
 */
function runPack(): { name: string; args: PolicyPackArgs }[] {
  const source = readFileSync(join(PACK_DIR, 'index.ts'), 'utf8');
  const { outputText } = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true } });
  const packRequire = createRequire(join(PACK_DIR, 'index.ts'));
  const constructed: { name: string; args: PolicyPackArgs }[] = [];
  class RecordingPolicyPack {
    constructor(name: string, args: PolicyPackArgs) {
      constructed.push({ name, args });
    }
  }
  const sandboxRequire = (id: string): unknown => (id === '@pulumi/policy' ? { ...(packRequire(id) as object), PolicyPack: RecordingPolicyPack } : packRequire(id));
  const module = { exports: {} };
  runInNewContext(outputText, { require: sandboxRequire, module, exports: module.exports, __dirname: PACK_DIR, __filename: join(PACK_DIR, 'index.ts') });
  return constructed;
}

describe('tools/policy-pack', () => {
  it('declares a nodejs pack with a version (PolicyPack reads package.json)', () => {
    // Act
    const yaml = readFileSync(join(PACK_DIR, 'PulumiPolicy.yaml'), 'utf8');
    const pkg = JSON.parse(readFileSync(join(PACK_DIR, 'package.json'), 'utf8')) as { version?: string; dependencies?: Record<string, string> };
    // Assess
    expect(yaml).toMatch(/^runtime: nodejs$/m);
    expect(pkg.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(Object.keys(pkg.dependencies ?? {})).toEqual(expect.arrayContaining(['@pulumi/policy', '@tap/policy']));
  });

  it('constructs one tap-security pack, mandatory, with every policy of the built @tap/policy', () => {
    // Prepare
    // Node's own resolution from the pack, as Pulumi runs it: node_modules/@tap/policy → packages/policy/dist.
    const built = createRequire(join(PACK_DIR, 'index.ts'))('@tap/policy') as { policies: { name: string }[] };
    // Act
    const packs = runPack();
    // Assess
    expect(packs).toHaveLength(1);
    expect(packs[0].name).toBe('tap-security');
    expect(packs[0].args.enforcementLevel).toBe('mandatory');
    expect(packs[0].args.policies.map((p) => p.name)).toEqual(built.policies.map((p) => p.name));
    expect(packs[0].args.policies.length).toBeGreaterThanOrEqual(27);
  });
});
