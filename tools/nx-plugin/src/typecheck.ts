import type { TargetConfiguration } from '@nx/devkit';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const LIB = 'tsconfig.lib.json';
const SPEC = 'tsconfig.spec.json';

/** Whether the project's `build` compiles `tsconfig.lib.json` with tsc, which type-checks the sources already. */
function buildTypeChecks(root: string, workspaceRoot: string): boolean {
  const file = join(workspaceRoot, root, 'project.json');
  if (!existsSync(file)) return false;
  const project = JSON.parse(readFileSync(file, 'utf8')) as { targets?: Record<string, { executor?: string; options?: { tsConfig?: string } }> };
  const build = project.targets?.['build'];
  // nx.json's target defaults give @nx/js:tsc `{projectRoot}/tsconfig.lib.json`; a build that names another config does
  // not stand for this one.
  const tsConfig = build?.options?.tsConfig;
  return build?.executor === '@nx/js:tsc' && (tsConfig === undefined || [`{projectRoot}/${LIB}`, `${root}/${LIB}`].includes(tsConfig));
}

/**
 * `typecheck`: the library sources and the tests (including `@ts-expect-error` type tests) without emitting.
 * `tsconfig.spec.json` holds the sources and the tests; `tsconfig.lib.json` is checked on its own (the sources without
 * Jest's types) only where `build` does not compile it with tsc anyway, so no project type-checks its sources twice.
 */
export function typecheckTargets(root: string, workspaceRoot: string): Record<string, TargetConfiguration> {
  const has = (config: string) => existsSync(join(workspaceRoot, root, config));
  const checkLib = has(LIB) && !(has(SPEC) && buildTypeChecks(root, workspaceRoot));
  const configs = [...(checkLib ? [LIB] : []), ...(has(SPEC) ? [SPEC] : [])];
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
