import { createProjectGraphAsync, type ProjectGraph } from '@nx/devkit';
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { readNxJson } from 'nx/src/config/nx-json';
import { InProcessTaskHasher } from 'nx/src/hasher/task-hasher';
import { createProjectRootMappings } from 'nx/src/project-graph/utils/find-project-for-path';
import { createTaskGraph } from 'nx/src/tasks-runner/create-task-graph';
import { getNxWorkspaceFilesFromContext, updateFilesInContext } from 'nx/src/utils/workspace-context';
import { workspaceRoot } from 'nx/src/utils/workspace-root';

/** Task id (`project:target`) to the hash Nx gives it, the key of its cache entry. */
export type TaskHashes = Record<string, string>;

/**
 * The hashes Nx computes for every `targets` task of every project, in the workspace of the current directory: first as
 * it is, then after each step of `edits` (an empty line appended to each of the step's workspace-relative files, on top
 * of the earlier steps: any change of content changes a file's hash). A task whose hash is unchanged is replayed from the
 * cache; one whose hash changed runs. Nothing runs and the edits stay on disk: call it in a copy of the workspace.
 *
 * @example
 * const [before, after] = await hashesAfterEdits(['test'], [['packages/manifest/tests/fixtures/synth/dev/manifest.json']]);
 * before['tap-stack:test'] !== after['tap-stack:test']; // the edit makes tap-stack's tests run again
 */
export async function hashesAfterEdits(targets: string[], edits: string[][]): Promise<TaskHashes[]> {
  const graph = await createProjectGraphAsync({ exitOnError: false });
  const hashes = [await hashAll(graph, targets)];
  for (const step of edits) {
    for (const file of step) appendFileSync(join(workspaceRoot, file), '\n');
    updateFilesInContext(workspaceRoot, step, []);
    hashes.push(await hashAll(graph, targets));
  }
  return hashes;
}

async function hashAll(graph: ProjectGraph, targets: string[]): Promise<TaskHashes> {
  const projects = Object.values(graph.nodes).filter((node) => targets.some((t) => node.data.targets?.[t])).map((node) => node.name);
  const taskGraph = createTaskGraph(graph, {}, projects, targets, undefined, {});
  const roots = Object.fromEntries(createProjectRootMappings(graph.nodes).entries());
  const { externalReferences } = await getNxWorkspaceFilesFromContext(workspaceRoot, roots, false);
  const hasher = new InProcessTaskHasher(graph, readNxJson(workspaceRoot), externalReferences ?? null, {});
  const tasks = Object.values(taskGraph.tasks);
  const hashes = await hasher.hashTasks(tasks, taskGraph, process.env);
  return Object.fromEntries(tasks.map((task, i) => [task.id, hashes[i].value]));
}
