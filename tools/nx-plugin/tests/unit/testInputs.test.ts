import { createProjectGraphAsync, type ProjectGraph } from '@nx/devkit';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { taskInputs, testSources, uncoveredReads, workspaceFiles } from '../../src/inputs/inputCoverage';
import type { TaskHashes } from '../../src/inputs/taskHashes';
import { testReads } from '../../src/inputs/testReads';

/*
 * Nx replays a cached result when none of a task's inputs changed. A test that reads a file outside its inputs (another
 * project's fixture, a root file) passes from the cache after that file broke; one that runs a build output its task does
 * not depend on reads a stale one. These tests hold every project's `test` and `docs` tasks to what their tests read,
 * and check with Nx's own hasher that an edit reaches exactly the tasks that read it.
 */
const WORKSPACE = resolve(__dirname, '..', '..', '..', '..');
/** The fixtures of @tap/manifest that tap-stack's drift-gate tests hand to tap-drift. */
const MANIFEST_FIXTURE = 'packages/manifest/tests/fixtures/synth/prod/manifest.json';
/**
 * READMEs, each with the `docs` tasks that read it (tests/docs): nx-plugin's compiles the examples of every README,
 * manifest's holds its API section to its exports and both its and tap-stack's README to `npx --no-install`, tap-stack's
 * holds its README to preflight's AWS calls, the nightly workflow and its own config keys, validation's holds its
 * settings table to SETTINGS.
 */
const README_READERS: Record<string, string[]> = {
  'README.md': ['nx-plugin:docs'],
  'packages/validation/README.md': ['nx-plugin:docs', 'validation:docs'],
  'packages/manifest/README.md': ['manifest:docs', 'nx-plugin:docs'],
  'apps/tap-stack/README.md': ['manifest:docs', 'nx-plugin:docs', 'tap-stack:docs'],
};
const READMES = Object.keys(README_READERS);

const created: string[] = [];
afterAll(() => created.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `tap-nx-inputs-${prefix}-`));
  created.push(dir);
  return dir;
}

function write(root: string, file: string, text: string): void {
  mkdirSync(dirname(join(root, file)), { recursive: true });
  writeFileSync(join(root, file), text);
}

describe('what tests read, found in their sources', () => {
  it('sees reads through a helper constant, __dirname, command lines and relative imports, not file names used as data', () => {
    // Prepare: a workspace where packages/b's test reads a fixture of packages/a in four ways.
    const root = tempDir('reads');
    write(root, 'packages/a/tests/fixtures/synth/dev.json', '{}\n');
    write(root, 'packages/a/tests/support.ts', 'export const A = 1;\n');
    write(root, 'packages/b/tests/helper.ts', "import { resolve } from 'node:path';\nexport const ROOT = resolve(__dirname, '..', '..', '..');\n");
    write(
      root,
      'packages/b/tests/unit/b.test.ts',
      [
        "import { spawnSync } from 'node:child_process';",
        "import { readFileSync } from 'node:fs';",
        "import { join, resolve } from 'node:path';",
        "import { ROOT } from '../helper';",
        "import { A } from '../../../a/tests/support';",
        "const FIXTURES = join(ROOT, 'packages', 'a', 'tests', 'fixtures');",
        "readFileSync(resolve(__dirname, '../../../a/tests/fixtures/synth/dev.json'));",
        "spawnSync('node', ['cli.js', 'packages/a/tests/fixtures/synth/dev.json']);",
        "const name = process.argv[2];",
        "readFileSync(join(ROOT, 'packages', 'a', name, 'dev.json'));",
        "const table = [['packages/a/tests/support.ts', 1]];",
      ].join('\n'),
    );

    // Act
    const reads = testReads(join(root, 'packages/b/tests/unit/b.test.ts'), root).map((r) => [r.path, r.kind, r.tail.join('/')]);

    // Assess
    expect(reads).toEqual(
      expect.arrayContaining([
        ['packages/a/tests/support.ts', 'exact', ''],
        ['packages/a/tests/fixtures', 'exact', ''],
        ['packages/a/tests/fixtures/synth/dev.json', 'exact', ''],
        ['packages/a', 'prefix', 'dev.json'],
      ]),
    );
    expect(reads.filter(([path]) => path === 'packages/a/tests/fixtures/synth/dev.json')).toHaveLength(2);
    expect(reads.filter(([path]) => path === 'packages/a/tests/support.ts')).toHaveLength(1);
  });
});

describe('every test and docs task accounts for what its tests read', () => {
  let graph: ProjectGraph;
  const computed = new Map<string, ReturnType<typeof taskInputs>>();
  /** {@link taskInputs} of a task, computed once for the cases below (each builds Nx's hash plan). */
  const inputsOf = (project: string, target: string) => {
    const task = `${project}:${target}`;
    if (!computed.has(task)) computed.set(task, taskInputs(graph, WORKSPACE, project, target));
    return computed.get(task) as ReturnType<typeof taskInputs>;
  };

  beforeAll(async () => {
    graph = await createProjectGraphAsync({ exitOnError: false });
  }, 120_000);

  it.each(['test', 'docs', 'e2e'])('each workspace file a test of %s reads is an input of that task, and each build output it reads is built first', async (target) => {
    // Prepare
    const files = workspaceFiles(WORKSPACE);
    const projects = Object.values(graph.nodes).filter((node) => node.data.targets?.[target]);

    // Act
    const problems: string[] = [];
    for (const project of projects) {
      const inputs = await inputsOf(project.name, target);
      for (const { read, missing, why } of uncoveredReads(graph, WORKSPACE, project.name, target, inputs, files)) {
        problems.push(`${read.source}:${read.line} reads ${read.path || '.'}: ${why} of ${project.name}:${target} (${missing.slice(0, 3).join(', ')})`);
      }
    }

    // Assess: on failure, add the files to the target's inputs (project.json) or make the build a dependency.
    expect([projects.length > 0, problems]).toEqual([true, []]);
  }, 120_000);

  it.each(['test', 'docs', 'e2e'])('%s waits for the build of every workspace package its project imports (Jest loads the build)', async (target) => {
    // Prepare: Nx's Jest resolver asks Node's resolution first, and Node takes a workspace package (linked into
    // node_modules by npm) to its package.json `main`, the build. Only a missing build falls back to the sources.
    expect(JSON.parse(readFileSync(join(WORKSPACE, 'packages', 'validation', 'package.json'), 'utf8')).main).toBe('./dist/index.js');
    const projects = Object.values(graph.nodes).filter((node) => node.data.targets?.[target]);

    // Act: the imported projects with a build that the task does not wait for.
    const problems: string[] = [];
    for (const project of projects) {
      const inputs = await inputsOf(project.name, target);
      for (const { target: imported } of graph.dependencies[project.name] ?? []) {
        if (graph.nodes[imported]?.data.targets?.['build'] && !inputs.dependsOn.has(`${imported}:build`)) problems.push(`${project.name}:${target} loads ${imported}'s build unbuilt`);
      }
    }

    // Assess: on failure, make `^build` a dependency of the target.
    expect([projects.length > 0, problems]).toEqual([true, []]);
  }, 120_000);
});

describe('which tests each target runs', () => {
  it('test leaves tests/docs and tests/e2e out; docs and e2e take only their own folder', () => {
    // Prepare: a project with a unit test, a docs test, an e2e test and a helper beside them.
    const root = tempDir('sources');
    write(root, 'packages/a/tests/unit/a.test.ts', '');
    write(root, 'packages/a/tests/docs/readme.test.ts', '');
    write(root, 'packages/a/tests/e2e/nx.test.ts', '');
    write(root, 'packages/a/tests/helper.ts', '');

    // Act
    const of = (target: string) => testSources(root, 'packages/a', target).map((file) => file.slice(root.length + 1)).sort();

    // Assess
    expect(of('test')).toEqual(['packages/a/tests/helper.ts', 'packages/a/tests/unit/a.test.ts']);
    expect(of('docs')).toEqual(['packages/a/tests/docs/readme.test.ts']);
    expect(of('e2e')).toEqual(['packages/a/tests/e2e/nx.test.ts']);
  });
});

describe("Nx's task hashes over a copy of the workspace", () => {
  let hashes: TaskHashes[];

  /** The tasks whose hash differs between two steps. */
  const changed = (from: TaskHashes, to: TaskHashes) => Object.keys(to).filter((task) => from[task] !== to[task]);

  beforeAll(() => {
    // Prepare: the workspace's files (tracked, and untracked ones not ignored) in a temp folder, node_modules linked.
    const copy = tempDir('hashes');
    for (const file of workspaceFiles(WORKSPACE)) {
      if (!existsSync(join(WORKSPACE, file))) continue; // deleted in the working tree
      mkdirSync(dirname(join(copy, file)), { recursive: true });
      copyFileSync(join(WORKSPACE, file), join(copy, file));
    }
    symlinkSync(join(WORKSPACE, 'node_modules'), join(copy, 'node_modules'), 'dir');
    // The outer Nx run's variables name this workspace; the copy is its own.
    const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('NX_') && !key.startsWith('JEST_')));
    const steps = JSON.stringify([[MANIFEST_FIXTURE], ...READMES.map((readme) => [readme])]);

    // Act: hashes as the copy is, after the fixture edit, then after each README edit on top.
    const run = spawnSync(
      process.execPath,
      ['-r', '@swc-node/register', '-e', `require('./tools/nx-plugin/src/inputs/taskHashes').hashesAfterEdits(['build', 'typecheck', 'test', 'docs'], ${steps}).then((h) => console.log(JSON.stringify(h)))`],
      { cwd: copy, encoding: 'utf8', env: { ...env, NX_DAEMON: 'false', NX_ISOLATE_PLUGINS: 'false', NX_NO_CLOUD: 'true' }, maxBuffer: 16 * 1024 * 1024 },
    );
    expect([run.status, run.stderr]).toEqual([0, expect.any(String)]);
    hashes = JSON.parse(run.stdout.trim().split('\n').at(-1) as string);
  }, 180_000);

  it("changing a fixture of packages/manifest that tap-stack's tests read changes tap-stack:test's hash (it runs again)", () => {
    // Assess
    expect(changed(hashes[0], hashes[1])).toEqual(expect.arrayContaining(['tap-stack:test', 'manifest:test']));
  });

  it.each(READMES)('a README-only edit of %s keeps every build, typecheck and test hash; the docs tasks that read it run again', (readme) => {
    // Prepare: the hashes before and after this README's edit (step 0 is the copy as it is, step 1 the fixture edit).
    const step = READMES.indexOf(readme) + 2;

    // Act
    const edited = changed(hashes[step - 1], hashes[step]);

    // Assess: the docs tasks do see the edit, so the unchanged hashes are not blindness of the hasher.
    expect(edited.filter((task) => !task.endsWith(':docs'))).toEqual([]);
    expect(edited.filter((task) => task.endsWith(':docs')).sort()).toEqual(README_READERS[readme]);
  });
});
