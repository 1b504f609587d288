import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import * as ts from 'typescript';
import { typecheckTargets } from '../../src/typecheck';

const WORKSPACE = resolve(__dirname, '..', '..', '..', '..');
const LIB_ONLY = 'tsc -p tsconfig.lib.json --noEmit';
const SPEC_ONLY = 'tsc -p tsconfig.spec.json --noEmit';

let workspace: string;
beforeEach(() => {
  workspace = mkdtempSync(join(tmpdir(), 'typecheck-targets-'));
});
afterEach(() => rmSync(workspace, { recursive: true, force: true }));

/** Writes `text` (an object as JSON) at `file` of the temp workspace. */
function write(file: string, text: string | object): void {
  mkdirSync(dirname(join(workspace, file)), { recursive: true });
  writeFileSync(join(workspace, file), typeof text === 'string' ? text : JSON.stringify(text));
}

/** A project at `root`: its tsconfig files (name to content), project.json targets, and empty source files. */
function project(root: string, configs: Record<string, string | object>, targets: Record<string, object> = {}, files: string[] = []): void {
  for (const [name, content] of Object.entries(configs)) write(`${root}/${name}`, content);
  write(`${root}/project.json`, { name: root, targets });
  for (const file of files) write(`${root}/${file}`, 'export {};\n');
}

const commands = (root: string) => (typecheckTargets(root, workspace)['typecheck']?.options as { commands: string[] } | undefined)?.commands;

// The workspace's shape: tsconfig.json holds the options, lib and spec extend it with their files and `types`.
const BASE = { compilerOptions: { strict: true, target: 'ES2022', lib: ['ES2023'], noUnusedLocals: true }, files: [], include: [] };
const LIB = { extends: './tsconfig.json', compilerOptions: { outDir: '../../dist/out-tsc', types: ['node'] }, include: ['src/**/*.ts'], exclude: ['tests/**/*'] };
const SPEC = { extends: './tsconfig.json', compilerOptions: { outDir: '../../dist/out-tsc', types: ['jest', 'node'] }, include: ['src/**/*.ts', 'tests/**/*.ts', 'jest.config.ts'] };
const FILES = ['src/index.ts', 'src/deploy/cli.ts', 'tests/unit/cli.test.ts', 'jest.config.ts'];
/** A spec config with `compilerOptions` changed. */
const specWith = (compilerOptions: object) => ({ ...SPEC, compilerOptions: { ...SPEC.compilerOptions, ...compilerOptions } });

describe('typecheckTargets', () => {
  it.each([
    ['the workspace shape (src in both, tests in spec)', { 'tsconfig.json': BASE, 'tsconfig.lib.json': LIB, 'tsconfig.spec.json': SPEC }, FILES],
    [
      'a top-level source tsconfig.spec.json lists (the policy pack)',
      {
        'tsconfig.lib.json': { compilerOptions: { ...BASE.compilerOptions, types: ['node'] }, files: ['index.ts'] },
        'tsconfig.spec.json': { compilerOptions: { ...BASE.compilerOptions, types: ['jest', 'node'] }, include: ['index.ts', 'tests/**/*.ts'] },
      },
      ['index.ts', 'tests/unit/pack.test.ts'],
    ],
  ])('checks one program, tsconfig.spec.json, where it covers tsconfig.lib.json: %s', (_what, configs, files) => {
    // Prepare
    project('apps/app', configs, {}, files);

    // Act / Assess
    expect(commands('apps/app')).toEqual([SPEC_ONLY]);
  });

  it.each([
    ['a folder only lib includes', { 'tsconfig.lib.json': { ...LIB, include: ['src/**/*.ts', 'scripts/**/*.ts'] } }, ['scripts/seed.ts']],
    ['a source folder spec excludes', { 'tsconfig.spec.json': { ...SPEC, exclude: ['src/generated/**'] } }, ['src/generated/client.ts']],
    ['a top-level source spec does not list', { 'tsconfig.lib.json': { ...LIB, files: ['index.ts'] } }, ['index.ts']],
  ])('keeps the lib program where tsconfig.spec.json leaves out some of its files: %s', (_what, configs, files) => {
    // Prepare
    project('apps/app', { 'tsconfig.json': BASE, 'tsconfig.lib.json': LIB, 'tsconfig.spec.json': SPEC, ...configs }, {}, [...FILES, ...files]);

    // Act / Assess
    expect(commands('apps/app')).toEqual([LIB_ONLY, SPEC_ONLY]);
  });

  it.each([
    ['strict off', { strict: false }],
    ['the DOM lib', { lib: ['ES2023', 'DOM'] }],
    ['unused locals allowed', { noUnusedLocals: false }],
    ['types beyond Jest', { types: ['jest', 'mocha', 'node'] }],
    ['every @types package (no types)', { types: undefined }],
  ])('keeps the lib program where tsconfig.spec.json checks differently: %s', (_what, compilerOptions) => {
    // Prepare
    project('apps/app', { 'tsconfig.json': BASE, 'tsconfig.lib.json': LIB, 'tsconfig.spec.json': specWith(compilerOptions) }, {}, FILES);

    // Act / Assess
    expect(commands('apps/app')).toEqual([LIB_ONLY, SPEC_ONLY]);
  });

  it.each([
    ['spec config is not JSON', { 'tsconfig.spec.json': '{ "include": [' }],
    ['lib config extends a missing file', { 'tsconfig.lib.json': { ...LIB, extends: './tsconfig.missing.json' } }],
  ])('keeps both programs where tsc would report a config (each reports its own): %s', (_what, configs) => {
    // Prepare
    project('apps/app', { 'tsconfig.json': BASE, 'tsconfig.lib.json': LIB, 'tsconfig.spec.json': SPEC, ...configs }, {}, FILES);

    // Act / Assess
    expect(commands('apps/app')).toEqual([LIB_ONLY, SPEC_ONLY]);
  });

  it('checks the tests only where build compiles the sources with tsc, even with a spec config that checks differently', () => {
    // Prepare
    const configs = { 'tsconfig.json': BASE, 'tsconfig.lib.json': LIB, 'tsconfig.spec.json': specWith({ strict: false }) };
    project('packages/lib', configs, { build: { executor: '@nx/js:tsc' } }, FILES);

    // Act / Assess
    expect(commands('packages/lib')).toEqual([SPEC_ONLY]);
  });

  it.each([
    ['an esbuild bundle', { build: { executor: 'nx:run-commands', options: { command: 'esbuild src/index.ts' } } }],
    ['no build', {}],
    ['a tsc build of another config', { build: { executor: '@nx/js:tsc', options: { tsConfig: '{projectRoot}/tsconfig.app.json' } } }],
  ])('keeps the lib program of a spec config that checks differently for %s', (_what, targets) => {
    // Prepare
    project('apps/app', { 'tsconfig.json': BASE, 'tsconfig.lib.json': LIB, 'tsconfig.spec.json': specWith({ strict: false }) }, targets, FILES);

    // Act / Assess
    expect(commands('apps/app')).toEqual([LIB_ONLY, SPEC_ONLY]);
  });

  it('checks the sources of a tsc-built project without tests, and infers nothing without a tsconfig', () => {
    // Prepare
    project('packages/bare', { 'tsconfig.json': BASE, 'tsconfig.lib.json': LIB }, { build: { executor: '@nx/js:tsc' } }, ['src/index.ts']);
    project('packages/none', {});

    // Act / Assess
    expect(commands('packages/bare')).toEqual([LIB_ONLY]);
    expect(typecheckTargets('packages/none', workspace)).toEqual({});
  });
});

/** The part of ESLint's Node API used here (the workspace installs ESLint 8 without its type declarations). */
interface Linter {
  lintText(code: string, options: { filePath: string }): Promise<Array<{ messages: Array<{ ruleId: string | null; message: string }> }>>;
  calculateConfigForFile(filePath: string): Promise<{ rules: Record<string, unknown[]> }>;
}
// eslint-disable-next-line @typescript-eslint/no-var-requires
const { ESLint } = require('eslint') as { ESLint: new (options: { cwd: string; overrideConfig: object }) => Linter };

/**
 * With one program per project, the sources are type-checked with the tests' types, so the root .eslintrc.json is what
 * refuses test globals in sources. These lint (virtual) files of the real workspace with its real config; nothing is
 * written into the checkout. The boundaries rule is off: it needs the project graph and is moduleBoundaries.test.ts's.
 */
describe('lint keeps what only the tests declare out of sources', () => {
  const RULES = new Set(['no-restricted-globals', 'no-restricted-imports', 'no-restricted-syntax']);
  const eslint = new ESLint({ cwd: WORKSPACE, overrideConfig: { rules: { '@nx/enforce-module-boundaries': 'off' } } });

  /** The findings of the rules above for `code` linted as the file at `filePath` (relative to the workspace). */
  async function findings(filePath: string, code: string): Promise<Array<{ ruleId: string | null; message: string }>> {
    const [result] = await eslint.lintText(code, { filePath: resolve(WORKSPACE, filePath) });
    return result.messages.filter((m) => m.ruleId !== null && RULES.has(m.ruleId));
  }

  const USES_JEST = [
    "import { jest } from '@jest/globals';",
    "describe('a suite', () => {",
    "  it('a case', () => expect(jest.fn()).toBeDefined());",
    '});',
    '',
  ].join('\n');

  it.each(['apps/tap-stack/src/deploy/x.ts', 'packages/manifest/src/x.ts', 'tools/policy-pack/index.ts'])(
    'refuses Jest globals and Jest imports in the source file %s, saying why',
    async (file) => {
      // Act
      const found = await findings(file, USES_JEST);

      // Assess
      expect(found.map((f) => [f.ruleId, /'(.+?)'/.exec(f.message)?.[1]])).toEqual(
        expect.arrayContaining([
          ['no-restricted-imports', '@jest/globals'],
          ['no-restricted-globals', 'describe'],
          ['no-restricted-globals', 'it'],
          ['no-restricted-globals', 'expect'],
        ]),
      );
      for (const f of found) expect(f.message).toMatch(/type-checked together with the tests/);
    },
  );

  it.each(['apps/tap-stack/tests/unit/x.test.ts', 'apps/tap-stack/src/deploy/x.test.ts', 'tools/policy-pack/tests/unit/pack.test.ts', 'apps/tap-stack/jest.config.ts'])(
    'accepts them in the test file %s',
    async (file) => {
      // Act / Assess
      expect(await findings(file, USES_JEST)).toEqual([]);
    },
  );

  it('accepts a source that only names things like the globals (a local `test`, a property `expect`)', async () => {
    // Act / Assess
    expect(await findings('apps/tap-stack/src/x.ts', 'const test = /a/.test("a");\nexport const o = { expect: test };\n')).toEqual([]);
  });

  it.each([
    ['a script (no import or export): its top-level names are global', "describe('a', () => it('b', () => expect(helper()).toBe(1)));\nfunction helper() { return 1; }\n"],
    ['a global declaration', "export {};\ndeclare global {\n  const helper: () => number;\n}\n"],
    ['a module augmentation', "export {};\ndeclare module '@pulumi/pulumi' {\n  const helper: () => number;\n}\n"],
  ])('refuses, in a test, what would add to the sources\' types: %s', async (_what, code) => {
    // Act
    const found = await findings('apps/payment-processor/tests/unit/x.test.ts', code);

    // Assess
    expect(found.map((f) => f.ruleId)).toContain('no-restricted-syntax');
  });

  it('refuses every global the tests\' types add to a source\'s scope', async () => {
    // Prepare: an empty source in nx-plugin (its configs are the workspace's shape), in a program of the lib config and
    // in one of tsconfig.spec.json; the globals in scope in the second and not in the first come from the tests' types.
    const source = resolve(WORKSPACE, 'tools/nx-plugin/src/scopeProbe.ts');
    /** The names in the probe's scope in a program of `config`. */
    const globals = (config: string): Set<string> => {
      const { options } = ts.getParsedCommandLineOfConfigFile(config, undefined, {
        ...ts.sys,
        onUnRecoverableConfigFileDiagnostic: (d) => {
          throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
        },
      }) as ts.ParsedCommandLine;
      const host = ts.createCompilerHost(options);
      const getSourceFile = host.getSourceFile.bind(host);
      host.getSourceFile = (file, ...rest) => (file === source ? ts.createSourceFile(file, 'export {};\n', ts.ScriptTarget.ES2022) : getSourceFile(file, ...rest));
      const program = ts.createProgram({ rootNames: [source], options, host });
      const scope = program.getTypeChecker().getSymbolsInScope(program.getSourceFile(source) as ts.SourceFile, ts.SymbolFlags.Value | ts.SymbolFlags.Type | ts.SymbolFlags.Namespace);
      return new Set(scope.map((s) => s.name));
    };
    const lib = globals(resolve(WORKSPACE, 'tools/nx-plugin/tsconfig.lib.json'));
    const added = [...globals(resolve(WORKSPACE, 'tools/nx-plugin/tsconfig.spec.json'))].filter((name) => !lib.has(name));

    // Act
    const config = await eslint.calculateConfigForFile(source);
    const restricted = new Set(config.rules['no-restricted-globals'].slice(1).map((g) => (typeof g === 'string' ? g : (g as { name: string }).name)));

    // Assess
    expect(added).toEqual(expect.arrayContaining(['describe', 'expect', 'jest']));
    expect(added.filter((name) => !restricted.has(name))).toEqual([]);
  }, 60_000);
});
