import { createProjectGraphAsync, type ProjectGraph, type TargetConfiguration } from '@nx/devkit';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join, relative, resolve } from 'node:path';
import { DOCS_TESTS, E2E_TESTS, TEST_FOLDERS, testFolderTargets } from '../../src/testFolders';
import { testSources } from '../../src/inputs/inputCoverage';

/*
 * The tests that read READMEs live in tests/docs and run in `docs` only: `test` hashes no README, so a test there would
 * replay a cached pass after its README broke; and a docs check run by `test` would make `test` read what it does not hash.
 * The tests that run Nx in a copy of the workspace live in tests/e2e and run in `e2e` only: run twice, they would cost
 * the time their own target saves.
 */
const WORKSPACE = resolve(__dirname, '..', '..', '..', '..');

const listed = new Map<string, string[]>();

/**
 * The test files Jest would run for `target` of `project`, as Nx runs it (its command, cwd and env), workspace-relative.
 * Asked once per task: each folder's case lists `test` again.
 */
function listedTests(graph: ProjectGraph, project: string, target: string): string[] {
  const task = `${project}:${target}`;
  if (!listed.has(task)) listed.set(task, listTests(graph, project, target));
  return listed.get(task) as string[];
}

function listTests(graph: ProjectGraph, project: string, target: string): string[] {
  const { options } = graph.nodes[project].data.targets?.[target] as TargetConfiguration<{ command: string; cwd: string; env?: Record<string, string> }>;
  const run = spawnSync(`${options?.command} --listTests`, {
    cwd: join(WORKSPACE, options?.cwd ?? ''),
    shell: true,
    encoding: 'utf8',
    env: { ...process.env, ...options?.env, PATH: `${join(WORKSPACE, 'node_modules', '.bin')}${delimiter}${process.env.PATH}` },
  });
  if (run.status !== 0) throw new Error(`${project}:${target} --listTests failed: ${run.stderr}`);
  return run.stdout.split('\n').filter(Boolean).map((file) => relative(WORKSPACE, file)).sort();
}

describe('the inferred test-folder targets (docs, e2e)', () => {
  let graph: ProjectGraph;

  beforeAll(async () => {
    graph = await createProjectGraphAsync({ exitOnError: false });
  }, 120_000);

  it.each(Object.keys(TEST_FOLDERS))('%s runs exactly the tests in its folder, and test runs none of them', (target) => {
    // Prepare
    const projects = Object.values(graph.nodes).filter((node) => node.data.targets?.[target]);

    // Act
    const runs = projects.map((node) => {
      const own = testSources(WORKSPACE, node.data.root, target).filter((file) => file.endsWith('.test.ts')).map((file) => relative(WORKSPACE, file)).sort();
      return { project: node.name, own, listed: listedTests(graph, node.name, target), test: listedTests(graph, node.name, 'test') };
    });

    // Assess
    expect(projects.map((node) => node.name)).toEqual(expect.arrayContaining(target === 'docs' ? ['manifest', 'nx-plugin'] : ['tap-stack']));
    for (const { project, own, listed, test } of runs) {
      expect([project, listed]).toEqual([project, own]);
      expect([project, listed.length > 0, test.length > 0]).toEqual([project, true, true]);
      expect([project, test.filter((file) => file.includes(`/${DOCS_TESTS}/`) || file.includes(`/${E2E_TESTS}/`))]).toEqual([project, []]);
    }
  }, 120_000);

  it('infers each target only for a project with its folder', () => {
    // Prepare
    const root = mkdtempSync(join(tmpdir(), 'tap-nx-test-folders-'));
    mkdirSync(join(root, 'packages', 'a', DOCS_TESTS), { recursive: true });
    mkdirSync(join(root, 'packages', 'b', 'tests', 'unit'), { recursive: true });
    mkdirSync(join(root, 'apps', 'c', E2E_TESTS), { recursive: true });

    try {
      // Act
      const [a, b, c] = ['packages/a', 'packages/b', 'apps/c'].map((project) => testFolderTargets(project, root));

      // Assess
      expect(Object.keys(a)).toEqual(['docs']);
      expect(a.docs?.options).toMatchObject({ cwd: 'packages/a', command: expect.stringContaining(`<rootDir>/${DOCS_TESTS}/`) });
      expect(b).toEqual({});
      expect(Object.keys(c)).toEqual(['e2e']);
      expect(c.e2e?.options).toMatchObject({ cwd: 'apps/c', command: expect.stringContaining(`<rootDir>/${E2E_TESTS}/`) });
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
