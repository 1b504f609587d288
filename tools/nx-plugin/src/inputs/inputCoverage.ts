import type { ProjectGraph } from '@nx/devkit';
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { HashPlanInspector } from 'nx/src/hasher/hash-plan-inspector';
import { createTaskGraph } from 'nx/src/tasks-runner/create-task-graph';
import { TEST_FOLDERS } from '../testFolders';
import { testReads, type TestRead } from './testReads';

/** What a task reads by Nx's account: its input files, and the tasks it waits for (dependencies included). */
export interface TaskInputs {
  files: Set<string>;
  dependsOn: Set<string>;
}

/** One read the task's inputs do not cover. */
export interface UncoveredRead {
  read: TestRead;
  /** The files of the read that are not inputs, or the build that the task does not depend on. */
  missing: string[];
  why: 'not an input' | 'build not a dependency';
}

/**
 * The input files of `project:target` as Nx resolves them for hashing (named inputs expanded, `^` inputs of the
 * dependencies included), and every task `project:target` depends on, transitively.
 *
 * @example
 * const inputs = await taskInputs(graph, '/repo', 'tap-stack', 'test');
 * inputs.files.has('packages/manifest/tests/fixtures/synth/dev/resources.json');
 */
export async function taskInputs(graph: ProjectGraph, workspaceRoot: string, project: string, target: string): Promise<TaskInputs> {
  const inspector = new HashPlanInspector(graph, workspaceRoot);
  await inspector.init();
  const plan = inspector.inspectTaskInputs({ project, target });
  const id = `${project}:${target}`;
  if (!plan[id]) throw new Error(`Nx has no hash plan for ${id}`);
  const taskGraph = createTaskGraph(graph, {}, [project], [target], undefined, {});
  const dependsOn = new Set<string>();
  const pending = [...(taskGraph.dependencies[id] ?? [])];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    if (dependsOn.has(next)) continue;
    dependsOn.add(next);
    pending.push(...(taskGraph.dependencies[next] ?? []));
  }
  return { files: new Set(plan[id].files), dependsOn };
}

/** The workspace's files as Nx sees them: tracked, plus untracked ones git does not ignore. */
export function workspaceFiles(workspaceRoot: string): string[] {
  const listed = spawnSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: workspaceRoot, encoding: 'utf8' });
  if (listed.status !== 0) throw new Error(`git ls-files failed in ${workspaceRoot}: ${listed.stderr}`);
  return listed.stdout.split('\0').filter(Boolean);
}

/**
 * The `.ts` files under `<root>/tests` (where the workspace keeps tests, fixtures and their helpers) that `target` runs:
 * a target of a test folder (`docs`, `e2e`: testFolders.ts) the files in that folder, any other target (`test`) the
 * rest.
 */
export function testSources(workspaceRoot: string, root: string, target: string): string[] {
  const folders = Object.fromEntries(Object.entries(TEST_FOLDERS).map(([name, { folder }]) => [name, join(workspaceRoot, root, folder)]));
  const own = folders[target];
  const walk = (dir: string): string[] => {
    let entries: string[];
    try {
      entries = readdirSync(dir);
    } catch {
      return [];
    }
    return entries.flatMap((entry) => {
      const path = join(dir, entry);
      if (entry === 'node_modules' || entry === 'dist' || (own === undefined && Object.values(folders).includes(path))) return [];
      return statSync(path).isDirectory() ? walk(path) : path.endsWith('.ts') ? [path] : [];
    });
  };
  return walk(own ?? join(workspaceRoot, root, 'tests'));
}

/** What each project's `build` writes (its `outputs`), relative to the workspace. */
function buildOutputs(graph: ProjectGraph): Array<{ project: string; output: string }> {
  return Object.values(graph.nodes).flatMap((node) =>
    (node.data.targets?.['build']?.outputs ?? []).map((output) => ({
      project: node.name,
      output: output.replace('{workspaceRoot}/', '').replace('{projectRoot}', node.data.root),
    })),
  );
}

const under = (path: string, folder: string) => folder === '' || path === folder || path.startsWith(`${folder}/`);

/** `**\/a/b` under `prefix`: files whose path ends in the literal tail. */
function matchesTail(file: string, prefix: string, tail: string[]): boolean {
  if (!under(file, prefix)) return false;
  return tail.length === 0 || file.endsWith(`/${tail.join('/')}`);
}

/**
 * A read that names no particular files: the workspace or a whole project (a base folder such as `ROOT` or `APP`, whose
 * files are read through further `join`s, seen on their own), or a path computed right below the workspace root or a
 * top-level folder (`join(ROOT, file)`).
 */
function unknowable(read: TestRead, roots: Set<string>): boolean {
  if (read.kind === 'exact') return read.path === '' || roots.has(read.path);
  return read.path === '' || !read.path.includes('/');
}

/**
 * The reads of `project`'s tests that its `target` task (`test`, `docs` or `e2e`, see `testSources`) does not account for: a
 * workspace file read (or under a folder read) that is not among the task's inputs, so a change to it replays a cached
 * result; or a build output read whose build the task does not depend on, so it may read a stale or missing one. Reads
 * that name no particular files (see `unknowable`) are left out.
 *
 * @example
 * const problems = uncoveredReads(graph, '/repo', 'tap-stack', 'test', await taskInputs(graph, '/repo', 'tap-stack', 'test'), files);
 */
export function uncoveredReads(graph: ProjectGraph, workspaceRoot: string, project: string, target: string, inputs: TaskInputs, files: string[]): UncoveredRead[] {
  const node = graph.nodes[project];
  if (!node) throw new Error(`no project ${project}`);
  const builds = buildOutputs(graph);
  const roots = new Set(Object.values(graph.nodes).map((n) => n.data.root));
  const problems: UncoveredRead[] = [];
  for (const source of testSources(workspaceRoot, node.data.root, target)) {
    for (const read of testReads(source, workspaceRoot)) {
      const build = builds.find((b) => under(read.path, b.output));
      if (build) {
        const task = `${build.project}:build`;
        if (!inputs.dependsOn.has(task)) problems.push({ read, missing: [task], why: 'build not a dependency' });
        continue;
      }
      if (unknowable(read, roots)) continue;
      const readFiles = read.kind === 'exact' ? files.filter((f) => under(f, read.path)) : files.filter((f) => matchesTail(f, read.path, read.tail));
      const missing = readFiles.filter((f) => !inputs.files.has(f));
      if (missing.length > 0) problems.push({ read, missing, why: 'not an input' });
    }
  }
  return problems;
}
