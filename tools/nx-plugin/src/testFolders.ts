import type { TargetConfiguration } from '@nx/devkit';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** A folder of tests that runs in its own target rather than in `test`. */
interface TestFolder {
  /** The folder, relative to the project. */
  folder: string;
  /** The target's inputs, before what project.json adds. */
  inputs: string[];
  description: string;
}

/**
 * Tests that leave `test` for a target of their own, one row each. jest.preset.js keeps every folder here out of `test`
 * (`testPathIgnorePatterns`); each target runs Jest with the project's config on its folder only.
 * - `docs`: the tests that read READMEs. Its inputs hold the READMEs, so `test` leaves every `*.md` out of its inputs
 *   and a README-only edit replays it from the cache.
 * - `e2e`: the tests that run Nx or the built programs in a copy of the workspace. Nothing depends on an app, so Nx
 *   runs an app's tasks last; as a task of its own, this half of the app's tests runs beside the other half on a
 *   second core instead of after it. A project adds what its e2e tests read to the inputs in project.json.
 */
export const TEST_FOLDERS: Record<'docs' | 'e2e', TestFolder> = {
  docs: {
    folder: 'tests/docs',
    // `default` includes the project's README; a project whose checks read other files lists them in project.json.
    inputs: ['default', '^production', 'jestConfig'],
    description: 'The checks that hold the READMEs to the code (tests/docs); they run again when a README changes, `test` does not.',
  },
  e2e: {
    folder: 'tests/e2e',
    inputs: ['code', '^production', 'jestConfig'],
    description: 'The tests that run Nx or the built programs in a copy of the workspace (tests/e2e).',
  },
};

export const DOCS_TESTS = TEST_FOLDERS.docs.folder;
export const E2E_TESTS = TEST_FOLDERS.e2e.folder;

/**
 * One target per folder of {@link TEST_FOLDERS} the project has: Jest with the project's config, on that folder only.
 *
 * @example
 * testFolderTargets('packages/manifest', '/repo').docs.options.command;
 * // "jest --testPathIgnorePatterns=/node_modules/ --testMatch='<rootDir>/tests/docs/**\/*.test.ts'"
 */
export function testFolderTargets(root: string, workspaceRoot: string): Record<string, TargetConfiguration> {
  const targets: Record<string, TargetConfiguration> = {};
  for (const [name, { folder, inputs, description }] of Object.entries(TEST_FOLDERS)) {
    if (!existsSync(join(workspaceRoot, root, folder))) continue;
    targets[name] = {
      executor: 'nx:run-commands',
      cache: true,
      // As `test` (nx.json): Jest loads a workspace package from its build.
      dependsOn: ['^build'],
      inputs,
      outputs: [],
      options: {
        cwd: root,
        // The preset's ignore patterns keep these folders out of `test`; here they are replaced, and the match narrowed.
        command: `jest --testPathIgnorePatterns=/node_modules/ --testMatch='<rootDir>/${folder}/**/*.test.ts'`,
      },
      metadata: { description },
    };
  }
  return targets;
}
