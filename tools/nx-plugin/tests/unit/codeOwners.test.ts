import { createProjectGraphAsync, type ProjectGraph } from '@nx/devkit';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, posix, resolve } from 'node:path';
import picomatch from 'picomatch';

/*
 * The code that judges (the drift gate, its policies, the offline synth, the Nx plugin, every tool) is reviewed by
 * security and the platform leads twice over: `.github/CODEOWNERS` makes both owners, and the `gateChange` section of
 * apps/tap-stack/approval-rules.json makes a change of it need both groups' approvals. The judge's projects are not
 * listed by hand here: they are the dependency closure, in the Nx project graph, of the projects whose code judges.
 */
const WORKSPACE = resolve(__dirname, '..', '..', '..', '..');
const CODEOWNERS = join(WORKSPACE, '.github', 'CODEOWNERS');
const RULES = join(WORKSPACE, 'apps', 'tap-stack', 'approval-rules.json');
const JUDGES = ['manifest', 'policy', 'policy-pack', 'synth', 'nx-plugin'];
const GATE_OWNERS = ['@tap/security', '@tap/platform-leads'];

/** One line of a CODEOWNERS file. */
interface OwnerLine {
  line: number;
  pattern: string;
  owners: string[];
  matches: (path: string) => boolean;
}

/**
 * A CODEOWNERS pattern as GitHub reads it (gitignore syntax without `!` and `[]`): a leading or inner `/` anchors it
 * at the top level, a trailing `/` means everything under that directory, `*` any characters but `/`, `**` anything;
 * a pattern matches a path, or any path under it.
 */
function ownerPattern(pattern: string): (path: string) => boolean {
  if (/[![\]\\]/.test(pattern)) throw new Error(`CODEOWNERS pattern "${pattern}": GitHub does not support !, [] or \\ escapes there`);
  const anchored = pattern.startsWith('/') || pattern.replace(/\/$/, '').includes('/');
  const directory = pattern.endsWith('/');
  const trimmed = pattern.replace(/^\//, '').replace(/\/$/, '');
  let body = '';
  for (let i = 0; i < trimmed.length; i++) {
    const c = trimmed[i];
    if (c === '*' && trimmed[i + 1] === '*') {
      body += trimmed[i + 2] === '/' ? '(?:.*/)?' : '.*';
      i += trimmed[i + 2] === '/' ? 2 : 1;
    } else if (c === '*') body += '[^/]*';
    else if (c === '?') body += '[^/]';
    else body += c.replace(/[.+^${}()|]/g, '\\$&');
  }
  const re = new RegExp(`^${anchored ? '' : '(?:.*/)?'}${body}${directory ? '/.*' : '(?:/.*)?'}$`);
  return (path) => re.test(path);
}

/** The lines of a CODEOWNERS text (comments and blank lines left out). */
function parseCodeOwners(text: string): OwnerLine[] {
  return text.split('\n').flatMap((raw, i) => {
    const line = raw.replace(/#.*$/, '').trim();
    if (line === '') return [];
    const [pattern, ...owners] = line.split(/\s+/);
    return [{ line: i + 1, pattern, owners, matches: ownerPattern(pattern) }];
  });
}

/** The owners of `path`: those of the last line that matches it (none: no line matches). */
function ownersOf(lines: readonly OwnerLine[], path: string): string[] {
  return [...lines].reverse().find((l) => l.matches(path))?.owners ?? [];
}

/** A path a glob matches, for globs no file matches yet: `**` → `x/y`, `*` → `x`, `?` → `x`. */
const samplePath = (glob: string): string => glob.replace(/\*\*/g, 'x/y').replace(/[*?]/g, 'x');

/** What the checks look at: the CODEOWNERS text, the gate's globs, the judged directories, the repository's files. */
interface GateInputs {
  codeOwners: string;
  gatePaths: readonly string[];
  /** Judged directories (project roots, or the part of a project the judge imports), repository-relative. */
  judged: readonly string[];
  files: readonly string[];
}

/** Every way CODEOWNERS and `gateChange.paths` fail the judge, one line each; empty when both cover it. */
function gateProblems({ codeOwners, gatePaths, judged, files }: GateInputs): string[] {
  const lines = parseCodeOwners(codeOwners);
  const isGate = picomatch([...gatePaths], { dot: true });
  const problems: string[] = [];
  const missingOwners = (path: string) => GATE_OWNERS.filter((owner) => !ownersOf(lines, path).includes(owner));
  for (const dir of judged) {
    const inside = files.filter((file) => file.startsWith(`${dir}/`));
    if (inside.length === 0) problems.push(`${dir}: no file in it`);
    const unowned = inside.filter((file) => missingOwners(file).length > 0);
    if (unowned.length > 0) problems.push(`${dir}: ${unowned.length} file(s) not owned by ${GATE_OWNERS.join(' and ')} in .github/CODEOWNERS, e.g. ${unowned[0]}`);
    const ungated = inside.filter((file) => !isGate(file));
    if (ungated.length > 0) problems.push(`${dir}: ${ungated.length} file(s) matched by no gateChange.paths glob of approval-rules.json, e.g. ${ungated[0]}`);
  }
  for (const glob of gatePaths) {
    const isThis = picomatch(glob, { dot: true });
    for (const path of [samplePath(glob), ...files.filter((file) => isThis(file))]) {
      const missing = missingOwners(path);
      if (missing.length > 0) {
        problems.push(`gateChange path ${glob}: ${path} has no .github/CODEOWNERS line owned by ${missing.join(' and ')}`);
        break;
      }
    }
  }
  const orphans = files.filter((file) => !ownersOf(lines, file).includes('@tap/platform-leads'));
  if (orphans.length > 0) problems.push(`${orphans.length} file(s) not owned by @tap/platform-leads, e.g. ${orphans[0]}`);
  return problems;
}

/** The repository's files (tracked, and new ones git does not ignore). */
function repositoryFiles(): string[] {
  const listed = spawnSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: WORKSPACE, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (listed.status !== 0) throw new Error(`git ls-files failed: ${listed.stderr}`);
  return [...new Set(listed.stdout.split('\0').filter((file) => file !== '' && existsSync(join(WORKSPACE, file))))];
}

/** `@tap/...` modules a source file imports, requires, mocks or re-exports. */
function tapImports(text: string): string[] {
  return [...text.matchAll(/(?:from\s+|import\s*\(\s*|require\s*\(\s*|jest\.mock\s*\(\s*|import\s+)['"](@tap\/[^'"]+)['"]/g)].map((m) => m[1]);
}

/**
 * The judged directories: the dependency closure of `JUDGES` and every tools/* project. A project the judge reaches
 * only through subpath entries (e.g. `@tap/blocks/testing`) is judged in those entries' directories, which must then
 * import nothing of their project outside themselves; any other project whole.
 */
function judgedDirectories(graph: ProjectGraph, files: readonly string[]): { closure: string[]; judged: string[]; problems: string[] } {
  const roots = Object.fromEntries(Object.entries(graph.nodes).map(([name, node]) => [name, node.data.root]));
  const start = [...JUDGES, ...Object.keys(roots).filter((name) => roots[name].startsWith('tools/'))];
  const closure = new Set<string>();
  const stack = [...start];
  while (stack.length > 0) {
    const name = stack.pop() as string;
    if (closure.has(name) || !roots[name]) continue;
    closure.add(name);
    for (const dep of graph.dependencies[name] ?? []) stack.push(dep.target);
  }
  const paths = JSON.parse(readFileSync(join(WORKSPACE, 'tsconfig.base.json'), 'utf8')).compilerOptions.paths as Record<string, string[]>;
  const projectOf = (specifier: string) => Object.keys(roots).find((name) => paths[specifier]?.[0]?.startsWith(`${roots[name]}/`));
  const sources = (root: string) => files.filter((file) => file.startsWith(`${root}/`) && /\.[cm]?[jt]s$/.test(file));
  // What the judge imports of each project: bare package names mean the whole project.
  const entries = new Map<string, Set<string>>();
  for (const name of closure) {
    for (const file of sources(roots[name])) {
      for (const specifier of tapImports(readFileSync(join(WORKSPACE, file), 'utf8'))) {
        const target = projectOf(specifier);
        if (target && target !== name) entries.set(target, (entries.get(target) ?? new Set()).add(specifier));
      }
    }
  }
  const judged: string[] = [];
  const problems: string[] = [];
  for (const name of closure) {
    const root = roots[name];
    const used = [...(entries.get(name) ?? [])];
    const subpathsOnly = !start.includes(name) && used.length > 0 && used.every((specifier) => specifier.split('/').length > 2);
    if (!subpathsOnly) {
      judged.push(root);
      continue;
    }
    for (const specifier of used) {
      const dir = posix.dirname(paths[specifier][0]);
      judged.push(dir);
      // The entry must be self-contained: a relative import out of its directory would judge with unlisted code.
      for (const file of sources(dir)) {
        for (const m of readFileSync(join(WORKSPACE, file), 'utf8').matchAll(/from\s+['"](\.{1,2}\/[^'"]+)['"]/g)) {
          const target = posix.normalize(posix.join(posix.dirname(file), m[1]));
          if (!target.startsWith(`${dir}/`)) problems.push(`${file} imports ${m[1]}, outside the judged entry ${dir}`);
        }
      }
    }
  }
  return { closure: [...closure].sort(), judged: [...new Set(judged)].sort(), problems };
}

let graph: ProjectGraph;
let files: string[];
beforeAll(async () => {
  process.env.NX_DAEMON = 'false';
  graph = await createProjectGraphAsync({ exitOnError: false });
  files = repositoryFiles();
}, 120_000);

describe('.github/CODEOWNERS and gateChange cover the code that judges', () => {
  it('the judge is the dependency closure of manifest, policy, policy-pack, synth, nx-plugin and tools/*', () => {
    // Act
    const { closure, judged, problems } = judgedDirectories(graph, files);

    // Assess: the projects whose code judges exist (a rename must not empty the closure), and the closure reaches
    // what they build on.
    for (const name of JUDGES) expect(closure).toContain(name);
    expect(closure).toEqual(expect.arrayContaining(['validation', 'pulumi-testing', 'blocks']));
    expect(judged).toEqual(expect.arrayContaining(['packages/manifest', 'packages/validation', 'tools/synth', 'packages/blocks/src/testing']));
    expect(judged).not.toContain('packages/blocks');
    expect(problems).toEqual([]);
  });

  it('every judged file is owned by security and the platform leads, and matched by gateChange.paths; every gate path has its owners', () => {
    // Prepare
    const { judged } = judgedDirectories(graph, files);
    const rules = JSON.parse(readFileSync(RULES, 'utf8')) as { gateChange?: { paths: string[] } };

    // Act
    const problems = gateProblems({ codeOwners: readFileSync(CODEOWNERS, 'utf8'), gatePaths: rules.gateChange?.paths ?? [], judged, files });

    // Assess
    expect(rules.gateChange?.paths.length).toBeGreaterThan(0);
    expect(problems).toEqual([]);
  });

  it('the rest of the repository is owned by the platform leads, and no other CODEOWNERS file competes', () => {
    // Prepare
    const lines = parseCodeOwners(readFileSync(CODEOWNERS, 'utf8'));

    // Assess
    expect(lines[0]).toMatchObject({ pattern: '*', owners: ['@tap/platform-leads'] });
    expect(ownersOf(lines, 'packages/lambda/src/index.ts')).toEqual(['@tap/platform-leads']);
    expect(ownersOf(lines, 'packages/blocks/src/vpcFunction.ts')).toEqual(['@tap/platform-leads']);
    expect(ownersOf(lines, 'packages/blocks/src/testing/mocks.ts')).toEqual(GATE_OWNERS);
    expect(files.filter((file) => /(^|\/)CODEOWNERS$/.test(file))).toEqual(['.github/CODEOWNERS']);
  });
});

describe('the checks fail where the judge is not covered', () => {
  const codeOwners = ['*  @tap/platform-leads', '/tools/  @tap/security @tap/platform-leads', '/nx.json  @tap/security @tap/platform-leads'].join('\n');
  const files = ['tools/synth/src/index.ts', 'packages/blocks/src/testing/mocks.ts', 'nx.json', 'README.md'];

  it.each([
    ['covered', { gatePaths: ['tools/**', 'nx.json'], judged: ['tools/synth'] }, []],
    [
      'a judged directory without a security CODEOWNERS line',
      { gatePaths: ['tools/**', 'packages/blocks/src/testing/**'], judged: ['packages/blocks/src/testing'] },
      [
        'packages/blocks/src/testing: 1 file(s) not owned by @tap/security and @tap/platform-leads in .github/CODEOWNERS, e.g. packages/blocks/src/testing/mocks.ts',
        'gateChange path packages/blocks/src/testing/**: packages/blocks/src/testing/x/y has no .github/CODEOWNERS line owned by @tap/security',
      ],
    ],
    ['a judged directory no gate path matches', { gatePaths: ['nx.json'], judged: ['tools/synth'] }, ['tools/synth: 1 file(s) matched by no gateChange.paths glob of approval-rules.json, e.g. tools/synth/src/index.ts']],
    [
      'a gate path without a CODEOWNERS line',
      { gatePaths: ['tools/**', 'jest.preset.js'], judged: [] },
      ['gateChange path jest.preset.js: jest.preset.js has no .github/CODEOWNERS line owned by @tap/security'],
    ],
  ])('%s', (_what, inputs, expected) => {
    // Act
    const problems = gateProblems({ codeOwners, files, ...inputs });

    // Assess
    expect(problems).toEqual(expected);
  });

  it('reads CODEOWNERS patterns as GitHub does: anchored, directories, globs, the last match wins', () => {
    // Prepare
    const lines = parseCodeOwners(['*  @a', 'docs/  @b', '/apps/*/project.json  @c', '**/secret.ts  @d', 'build.js  @e  # comment'].join('\n'));

    // Act + Assess
    expect(ownersOf(lines, 'docs/x/y.md')).toEqual(['@b']);
    expect(ownersOf(lines, 'apps/tap-stack/project.json')).toEqual(['@c']);
    expect(ownersOf(lines, 'apps/tap-stack/src/project.json')).toEqual(['@a']);
    expect(ownersOf(lines, 'packages/secrets/src/secret.ts')).toEqual(['@d']);
    expect(ownersOf(lines, 'tools/build.js')).toEqual(['@e']);
    expect(() => parseCodeOwners('!/docs/ @x')).toThrow(/does not support/);
  });
});
