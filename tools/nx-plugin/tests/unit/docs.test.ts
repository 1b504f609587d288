import { createProjectGraphAsync, type ProjectGraph, type TargetConfiguration } from '@nx/devkit';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join, relative, resolve } from 'node:path';
import { DOCS_TESTS, docsTargets } from '../../src/docs';
import { testSources } from '../../src/inputs/inputCoverage';

/*
 * The tests that read READMEs live in tests/docs and run in `docs` only: `test` hashes no README, so a test there would
 * replay a cached pass after its README broke; and a docs check run by `test` would make `test` read what it does not hash.
 */
const WORKSPACE = resolve(__dirname, '..', '..', '..', '..');

/** The test files Jest would run for `target` of `project`, as Nx runs it (its command, cwd and env), workspace-relative. */
function listedTests(graph: ProjectGraph, project: string, target: string): string[] {
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

describe('the inferred docs target', () => {
  let graph: ProjectGraph;

  beforeAll(async () => {
    graph = await createProjectGraphAsync({ exitOnError: false });
  }, 120_000);

  it('runs exactly the tests in tests/docs, and test runs none of them', () => {
    // Prepare
    const projects = Object.values(graph.nodes).filter((node) => node.data.targets?.['docs']);

    // Act
    const runs = projects.map((node) => {
      const docsFiles = testSources(WORKSPACE, node.data.root, 'docs').filter((file) => file.endsWith('.test.ts')).map((file) => relative(WORKSPACE, file)).sort();
      return { project: node.name, docsFiles, docs: listedTests(graph, node.name, 'docs'), test: listedTests(graph, node.name, 'test') };
    });

    // Assess
    expect(projects.map((node) => node.name)).toEqual(expect.arrayContaining(['manifest', 'nx-plugin']));
    for (const { project, docsFiles, docs, test } of runs) {
      expect([project, docs]).toEqual([project, docsFiles]);
      expect([project, docs.length > 0, test.length > 0]).toEqual([project, true, true]);
      expect([project, test.filter((file) => file.includes(`/${DOCS_TESTS}/`))]).toEqual([project, []]);
    }
  }, 120_000);

  it('is inferred only for a project with a tests/docs folder', () => {
    // Prepare
    const root = mkdtempSync(join(tmpdir(), 'tap-nx-docs-'));
    mkdirSync(join(root, 'packages', 'a', DOCS_TESTS), { recursive: true });
    mkdirSync(join(root, 'packages', 'b', 'tests', 'unit'), { recursive: true });

    try {
      // Act
      const [a, b] = ['packages/a', 'packages/b'].map((project) => docsTargets(project, root));

      // Assess
      expect(a.docs?.options).toMatchObject({ cwd: 'packages/a', command: expect.stringContaining(`<rootDir>/${DOCS_TESTS}/`) });
      expect(b).toEqual({});
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
