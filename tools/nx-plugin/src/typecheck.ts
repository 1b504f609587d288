import type { TargetConfiguration } from '@nx/devkit';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
// Named imports: Nx loads this plugin through swc, whose namespace-import helper the workspace does not install.
import { getParsedCommandLineOfConfigFile, sys, type CompilerOptions, type ParsedCommandLine } from 'typescript';

const LIB = 'tsconfig.lib.json';
const SPEC = 'tsconfig.spec.json';
/**
 * The types tsconfig.spec.json may add to tsconfig.lib.json's: the root .eslintrc.json refuses their globals in sources
 * (`no-restricted-globals`), which is what the lib config's own check would otherwise catch.
 */
const TEST_TYPES: readonly string[] = ['jest'];

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

/** The root files and compiler options tsc reads from `file` (`extends`, `files`, `include`, `exclude`), or undefined where tsc would report the config. */
function readConfig(file: string): ParsedCommandLine | undefined {
  let unreadable = false;
  const parsed = getParsedCommandLineOfConfigFile(file, undefined, {
    ...sys,
    onUnRecoverableConfigFileDiagnostic: () => {
      unreadable = true;
    },
  });
  return unreadable || parsed === undefined || parsed.errors.length > 0 ? undefined : parsed;
}

/** The options that decide what a `--noEmit` program reports: not where it would emit, nor which file set them, nor `types` (compared on their own). */
function checkingOptions({ types: _types, outDir: _outDir, configFilePath: _file, ...options }: CompilerOptions): CompilerOptions {
  return options;
}

/** Whether the test config's `types` are the lib config's plus at most {@link TEST_TYPES}. */
function addsOnlyTestTypes(lib: readonly string[] | undefined, spec: readonly string[] | undefined): boolean {
  if (lib === undefined || spec === undefined) return lib === spec;
  return lib.every((type) => spec.includes(type)) && spec.every((type) => lib.includes(type) || TEST_TYPES.includes(type));
}

/**
 * Whether the tests' program checks every file the lib program checks, with the same options but Jest's types: then the
 * lib program would report nothing more, save a source leaning on Jest's globals, which lint refuses.
 */
function specCoversLib(dir: string): boolean {
  const lib = readConfig(join(dir, LIB));
  const spec = readConfig(join(dir, SPEC));
  if (lib === undefined || spec === undefined) return false;
  const specFiles = new Set(spec.fileNames);
  return (
    lib.fileNames.every((file) => specFiles.has(file)) &&
    addsOnlyTestTypes(lib.options.types, spec.options.types) &&
    isDeepStrictEqual(checkingOptions(lib.options), checkingOptions(spec.options))
  );
}

/**
 * `typecheck`: the library sources and the tests (including `@ts-expect-error` type tests) without emitting.
 * `tsconfig.spec.json` holds the tests and usually the sources; `tsconfig.lib.json` (the sources without Jest's types)
 * gets a program of its own only where no other program checks its files: not where the tests' program does with the
 * same options (`specCoversLib`), nor where `build` compiles it with tsc. So no project type-checks its sources twice.
 *
 * @example
 * typecheckTargets('apps/tap-stack', workspaceRoot).typecheck.options.commands; // ['tsc -p tsconfig.spec.json --noEmit']
 */
export function typecheckTargets(root: string, workspaceRoot: string): Record<string, TargetConfiguration> {
  const has = (config: string) => existsSync(join(workspaceRoot, root, config));
  const checkLib = has(LIB) && !(has(SPEC) && (buildTypeChecks(root, workspaceRoot) || specCoversLib(join(workspaceRoot, root))));
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
