import type { TargetConfiguration } from '@nx/devkit';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** `typecheck`: the library sources and the tests (including `@ts-expect-error` type tests) without emitting. */
export function typecheckTargets(root: string, workspaceRoot: string): Record<string, TargetConfiguration> {
  const configs = ['tsconfig.lib.json', 'tsconfig.spec.json'].filter((c) => existsSync(join(workspaceRoot, root, c)));
  if (configs.length === 0) return {};
  return {
    typecheck: {
      executor: 'nx:run-commands',
      cache: true,
      inputs: ['code', '^production'],
      outputs: [],
      options: {
        cwd: root,
        commands: configs.map((c) => `tsc -p ${c} --noEmit`),
        parallel: false,
      },
      metadata: { description: 'Type-check sources and tests without emitting.' },
    },
  };
}
