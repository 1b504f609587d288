import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import * as ts from 'typescript';

/**
 * Every TypeScript example in a README compiles, so a README cannot drift from the code it documents.
 *
 * The READMEs: the root one and `packages/*`, `apps/*`, `tools/*` (never node_modules or dist). The examples: every
 * fenced block whose info string starts with `ts` or `typescript`. Each block is its own module, placed beside its
 * README (a relative import resolves from there), and type-checked with the TypeScript compiler API under the
 * workspace's options (`tsconfig.base.json`: strict, its `paths`, so `@tap/*` resolves to source and `@pulumi/*` to
 * node_modules), with three differences for snippets: ES2022 modules (top-level `await` reads naturally in an
 * example), no `noUnusedLocals` (an example may name a value only to show it), no emit.
 *
 * An example is complete: it imports what it uses and declares what it takes from the reader's program
 * (`declare const key: aws.kms.Key;`) in the block itself, where the reader sees it; nothing is added here.
 *
 * The one exception, to stay rare: a block that is not code on its own (a type signature, a fragment of an object) is
 * marked `ts ignore` in its info string (```` ```ts ignore ````), visible in the README source and still highlighted
 * as TypeScript. It is not compiled.
 *
 * Nx re-runs this test when a README or any project's source changes: it is in tests/docs, run by nx-plugin's `docs`
 * target, and tools/nx-plugin/project.json lists them as that target's inputs (the examples depend on projects this one
 * does not import). `test` leaves READMEs out, so a README-only edit runs this and no `test`.
 */
const WORKSPACE = resolve(__dirname, '..', '..', '..', '..');
const README_DIRS = ['packages', 'apps', 'tools'];


/** A fenced TypeScript block of a README: its first code line (1-based, in the README) and its code. */
interface Example {
  line: number;
  code: string;
}

/** The fenced `ts` / `typescript` blocks of a Markdown text, except those marked `ignore`. */
function typescriptExamples(markdown: string): Example[] {
  const lines = markdown.split(/\r?\n/);
  const examples: Example[] = [];
  let open: { fence: string; indent: number; compiled: boolean; start: number } | undefined;
  lines.forEach((text, index) => {
    if (open === undefined) {
      const opening = /^( {0,3})(`{3,}|~{3,})\s*([^\s`]*)(.*)$/.exec(text);
      if (opening === null) return;
      const [, indent, fence, language, rest] = opening;
      const typescript = ['ts', 'typescript'].includes(language.toLowerCase());
      open = { fence, indent: indent.length, compiled: typescript && !/\bignore\b/.test(rest), start: index + 1 };
      return;
    }
    const closing = /^ {0,3}(`{3,}|~{3,})\s*$/.exec(text);
    if (closing === null || closing[1][0] !== open.fence[0] || closing[1].length < open.fence.length) return;
    if (open.compiled) {
      const body = lines.slice(open.start, index).map((line) => line.slice(Math.min(open?.indent ?? 0, /^ */.exec(line)?.[0].length ?? 0)));
      examples.push({ line: open.start + 1, code: body.join('\n') + '\n' });
    }
    open = undefined;
  });
  return examples;
}

/** The READMEs whose examples are checked, relative to the workspace, root first. */
function readmes(): string[] {
  const found = existsSync(join(WORKSPACE, 'README.md')) ? ['README.md'] : [];
  for (const dir of README_DIRS) {
    const projects = readdirSync(join(WORKSPACE, dir), { withFileTypes: true }).filter((entry) => entry.isDirectory());
    for (const project of projects.map((entry) => entry.name).sort()) {
      const readme = `${dir}/${project}/README.md`;
      if (existsSync(join(WORKSPACE, readme))) found.push(readme);
    }
  }
  return found;
}

/** The workspace's compiler options, adjusted for snippets (see the top comment). */
function compilerOptions(): ts.CompilerOptions {
  const configPath = join(WORKSPACE, 'tsconfig.base.json');
  const { config, error } = ts.readConfigFile(configPath, ts.sys.readFile);
  if (error) throw new Error(ts.flattenDiagnosticMessageText(error.messageText, '\n'));
  const parsed = ts.parseJsonConfigFileContent(config, ts.sys, WORKSPACE, undefined, configPath);
  return {
    ...parsed.options,
    module: ts.ModuleKind.ES2022,
    moduleDetection: ts.ModuleDetectionKind.Force,
    noUnusedLocals: false,
    noEmit: true,
    declaration: false,
    sourceMap: false,
  };
}

/** A virtual source file per example, beside its README, so relative imports resolve from the README's folder. */
function examplePath(readme: string, example: Example): string {
  return join(WORKSPACE, dirname(readme), `README.md.example-line-${example.line}.ts`);
}

/**
 * Compiles every example of the given READMEs (path relative to the workspace → Markdown) in one program; returns each
 * README's problems, empty when all its examples compile.
 */
function problemsOf(markdownByReadme: Map<string, string>): Map<string, string[]> {
  const virtual = new Map<string, { readme: string; example: Example }>();
  for (const [readme, markdown] of markdownByReadme) {
    for (const example of typescriptExamples(markdown)) virtual.set(examplePath(readme, example), { readme, example });
  }
  const options = compilerOptions();
  const host = ts.createCompilerHost(options, true);
  const { fileExists, readFile, getSourceFile } = host;
  host.fileExists = (file) => virtual.has(file) || fileExists.call(host, file);
  host.readFile = (file) => virtual.get(file)?.example.code ?? readFile.call(host, file);
  host.getSourceFile = (file, languageVersion, ...rest) => {
    const entry = virtual.get(file);
    return entry ? ts.createSourceFile(file, entry.example.code, languageVersion, true) : getSourceFile.call(host, file, languageVersion, ...rest);
  };
  const program = ts.createProgram({ rootNames: [...virtual.keys()], options, host });

  const problems = new Map<string, string[]>([...markdownByReadme.keys()].map((readme) => [readme, []]));
  for (const [file, { readme, example }] of virtual) {
    const source = program.getSourceFile(file);
    if (source === undefined) throw new Error(`${readme}: the example at line ${example.line} was not compiled`);
    for (const diagnostic of [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)]) {
      const at = diagnostic.start === undefined ? 0 : source.getLineAndCharacterOfPosition(diagnostic.start).line;
      const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, ' ');
      problems.get(readme)?.push(`${readme}:${example.line + at} (example at line ${example.line}): TS${diagnostic.code} ${message}`);
    }
  }
  return problems;
}

const ALL_READMES = readmes();
let problems: Map<string, string[]>;

beforeAll(() => {
  // One program for all: the workspace sources and @pulumi/aws's declarations are read once, not once per README.
  problems = problemsOf(new Map(ALL_READMES.map((readme) => [readme, readFileSync(join(WORKSPACE, readme), 'utf8')])));
}, 180_000);

describe('README examples', () => {
  it('finds the READMEs of the workspace and their TypeScript examples', () => {
    // Prepare
    const withExamples = ALL_READMES.filter((readme) => typescriptExamples(readFileSync(join(WORKSPACE, readme), 'utf8')).length > 0);

    // Act / Assess: the root and the packages are found; a change that stopped finding examples would pass silently
    expect(ALL_READMES).toEqual(expect.arrayContaining(['README.md', 'packages/manifest/README.md', 'apps/tap-stack/README.md']));
    expect(withExamples.length).toBeGreaterThanOrEqual(5);
  });

  it.each(ALL_READMES)('%s: every TypeScript example compiles', (readme) => {
    // Prepare / Act: compiled once, in beforeAll

    // Assess: each problem names the README, the line and the compiler's diagnostic
    expect(problems.get(readme)).toEqual([]);
  });
});

describe('typescriptExamples', () => {
  it('takes ts and typescript blocks with their first code line, and leaves other languages and `ts ignore` blocks', () => {
    // Prepare
    const markdown = [
      '# Title', // 1
      '```ts', // 2
      'const a = 1;', // 3
      '```', // 4
      '```bash', // 5
      'npm test', // 6
      '```', // 7
      '```ts ignore', // 8
      'f(options?: Options): Result', // 9
      '```', // 10
      '  ~~~~typescript title="x.ts"', // 11
      '  const b = `', // 12
      '  ```', // 13
      '  `;', // 14
      '  ~~~~', // 15
    ].join('\n');

    // Act
    const examples = typescriptExamples(markdown);

    // Assess
    expect(examples).toEqual([
      { line: 3, code: 'const a = 1;\n' },
      { line: 12, code: 'const b = `\n```\n`;\n' },
    ]);
  });

  it('reports a failing example by README, line and diagnostic, and nothing for one that compiles', () => {
    // Prepare: a README in memory; its second example passes a number where a resource type is expected
    const markdown = [
      '# @tap/validation', // 1
      '```ts', // 2
      "import { resourceName } from '@tap/validation';", // 3
      "resourceName('aurora-cluster', 'dev', '001');", // 4
      '```', // 5
      '```typescript', // 6
      "import { resourceName } from '@tap/validation';", // 7
      '', // 8
      "resourceName(42, 'dev', '001');", // 9
      '```', // 10
    ].join('\n');

    // Act
    const found = problemsOf(new Map([['packages/validation/README.md', markdown]]));

    // Assess
    expect(found.get('packages/validation/README.md')).toEqual([
      expect.stringMatching(/^packages\/validation\/README\.md:9 \(example at line 7\): TS2345 Argument of type 'number'/),
    ]);
  }, 120_000);
});
