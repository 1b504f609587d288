import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ts from 'typescript';

const PACKAGE = join(__dirname, '..', '..');

/** Every name `src/index.ts` exports (values and types, through any `export *`), as the compiler resolves them. */
function exportedNames(): string[] {
  const index = join(PACKAGE, 'src', 'index.ts');
  const config = ts.getParsedCommandLineOfConfigFile(join(PACKAGE, 'tsconfig.lib.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined });
  const program = ts.createProgram([index], { ...config?.options, noEmit: true });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(index);
  const module = source && checker.getSymbolAtLocation(source);
  if (!module) throw new Error(`cannot resolve the module ${index}`);
  return checker.getExportsOfModule(module).map((symbol) => symbol.getName());
}

/** The README's "API" section: from its heading to the next `## ` heading. */
function apiSection(): string {
  const readme = readFileSync(join(PACKAGE, 'README.md'), 'utf8');
  const start = readme.indexOf('\n## API\n');
  if (start < 0) throw new Error('README.md has no "## API" section');
  const end = readme.indexOf('\n## ', start + 1);
  return readme.slice(start, end < 0 ? undefined : end);
}

/** The identifier each inline code span starts with (`loadManifest(file)` -> loadManifest). */
const leadingNames = (text: string): string[] => [...text.matchAll(/`([A-Za-z_$][\w$]*)/g)].map((match) => match[1]);

describe('the public API of @tap/manifest', () => {
  let exports: string[];
  beforeAll(() => (exports = exportedNames()));

  it('exports only what the README documents: each export is named in its API section', () => {
    // Prepare
    const documented = new Set(leadingNames(apiSection()));

    // Act
    const undocumented = exports.filter((name) => !documented.has(name));

    // Assess: document a new export in README.md ("API"), or keep it internal (tests import it from its module).
    expect(undocumented).toEqual([]);
  });

  it('documents only what it exports: each name in the first column of the API tables is an export', () => {
    // Prepare: the first cell of every table row (header and separator rows hold no code).
    const firstCells = apiSection()
      .split('\n')
      .filter((line) => line.startsWith('| `'))
      .map((line) => line.split(' | ')[0]);
    const exported = new Set(exports);

    // Act
    const missing = firstCells.flatMap(leadingNames).filter((name) => !exported.has(name));

    // Assess
    expect(missing).toEqual([]);
  });
});
