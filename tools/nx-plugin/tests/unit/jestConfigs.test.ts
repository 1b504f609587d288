import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { extract, parse } from 'jest-docblock';
import { workspaceFiles } from '../../src/inputs/inputCoverage';

/*
 * Jest loads a jest.config.ts with ts-node, which type-checks it unless the file's docblock says transpile-only: about
 * a second of CPU at every Jest start (each test, docs and e2e task, each `--listTests`), for a file the project's
 * `typecheck` checks anyway. Read as Jest reads it (jest-config: the docblock's `jest-config-loader-options`).
 */
const WORKSPACE = resolve(__dirname, '..', '..', '..', '..');

function jestConfigs(): string[] {
  return workspaceFiles(WORKSPACE).filter((path) => path.endsWith('jest.config.ts'));
}

describe('every project Jest config', () => {
  it('is loaded by Jest without a type check (ts-node transpileOnly, from its docblock)', () => {
    // Prepare
    const configs = jestConfigs();

    // Act
    const loaders = configs.map((config) => {
      const pragmas = parse(extract(readFileSync(join(WORKSPACE, config), 'utf8')));
      const options = pragmas['jest-config-loader-options'];
      return { config, loader: pragmas['jest-config-loader'] ?? 'ts-node', options: typeof options === 'string' ? JSON.parse(options) : undefined };
    });

    // Assess: every project with tests has one, and each loads transpile-only.
    expect(configs).toEqual(expect.arrayContaining(['apps/tap-stack/jest.config.ts', 'packages/validation/jest.config.ts', 'tools/nx-plugin/jest.config.ts']));
    for (const loaded of loaders) expect(loaded).toEqual({ config: loaded.config, loader: 'ts-node', options: { transpileOnly: true } });
  });
});
