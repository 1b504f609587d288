import type { TargetConfiguration } from '@nx/devkit';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Where a project keeps the tests that read its README (or another project's): they run in `docs`, whose inputs hold
 * the READMEs, so `test` can leave every `*.md` out of its inputs and a README-only edit replays it from the cache.
 * jest.preset.js keeps this folder out of `test` (`testPathIgnorePatterns`).
 */
export const DOCS_TESTS = 'tests/docs';

/**
 * `docs`, for every project with a `tests/docs` folder: Jest with the project's config, on that folder only.
 *
 * @example
 * docsTargets('packages/manifest', '/repo').docs.options.command;
 * // "jest --testPathIgnorePatterns=/node_modules/ --testMatch='<rootDir>/tests/docs/**\/*.test.ts'"
 */
export function docsTargets(root: string, workspaceRoot: string): Record<string, TargetConfiguration> {
  if (!existsSync(join(workspaceRoot, root, DOCS_TESTS))) return {};
  return {
    docs: {
      executor: 'nx:run-commands',
      cache: true,
      // `default` includes the project's README; a project whose checks read other files lists them in project.json.
      inputs: ['default', '^production', '{workspaceRoot}/jest.preset.js'],
      outputs: [],
      options: {
        cwd: root,
        // The preset's ignore pattern is what keeps tests/docs out of `test`; here it is replaced, and the match narrowed.
        command: `jest --testPathIgnorePatterns=/node_modules/ --testMatch='<rootDir>/${DOCS_TESTS}/**/*.test.ts'`,
      },
      metadata: { description: `The checks that hold the READMEs to the code (${DOCS_TESTS}); they run again when a README changes, \`test\` does not.` },
    },
  };
}
