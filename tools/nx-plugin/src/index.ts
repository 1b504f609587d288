import {
  createNodesFromFiles,
  readCachedProjectGraph,
  type CreateNodesContextV2,
  type CreateNodesV2,
  type PreTasksExecution,
  type TargetConfiguration,
} from '@nx/devkit';
import { dirname } from 'node:path';
import { requestedRun, unknownConfigurations } from './configurations';
import { pulumiTargets } from './pulumi';
import { testFolderTargets } from './testFolders';
import { typecheckTargets } from './typecheck';

/**
 * Infers workspace targets from files on disk, so every project gets them without copy-pasted blocks:
 * - `typecheck` for every project with a `tsconfig.lib.json`;
 * - `docs` for every project with a `tests/docs` folder (the tests that read READMEs), `e2e` for one with `tests/e2e`
 *   (the tests that run Nx or the built programs in a copy of the workspace);
 * - `preview`, `deploy`, `refresh`, `destroy` (configurations per `Pulumi.<stack>.yaml`) for every Pulumi app.
 */
export const createNodesV2: CreateNodesV2 = [
  '**/project.json',
  (files, options, context: CreateNodesContextV2) =>
    createNodesFromFiles(
      (file, _opts, ctx) => {
        const root = dirname(file);
        const targets: Record<string, TargetConfiguration> = {
          ...typecheckTargets(root, ctx.workspaceRoot),
          ...testFolderTargets(root, ctx.workspaceRoot),
          ...pulumiTargets(root, ctx.workspaceRoot),
        };
        return Object.keys(targets).length === 0 ? {} : { projects: { [root]: { targets } } };
      },
      files,
      options,
      context,
    ),
];

/**
 * Before any task runs (dependencies included): a `--configuration` that a requested target does not have fails the
 * run, listing the valid ones, instead of Nx quietly running the target's default options.
 */
export const preTasksExecution: PreTasksExecution = (_options, context) => {
  const run = requestedRun(context.argv);
  if (run?.configuration === undefined) return;
  // Nx computed and cached the graph before it runs tasks.
  const problems = unknownConfigurations(run, readCachedProjectGraph());
  if (problems.length > 0) throw new Error(problems.join('\n'));
};
