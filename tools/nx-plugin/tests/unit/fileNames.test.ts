import { execFileSync } from 'node:child_process';
import { posix, resolve } from 'node:path';

/**
 * One file-naming convention (root README, "What is here"): every TypeScript module and test is camelCase
 * (`databaseComponent.ts`, `firstDeploy.test.ts`). A kebab-case name is reported with the camelCase name to give it.
 *
 * Not TypeScript modules, so allowed as they are: the config files named by their tools (`jest.config.ts`),
 * declaration files (`*.d.ts`, named after the JavaScript they describe) and `index.ts`. Executables under a `bin/`
 * folder are commands, named like the command they install (`tap-policy.ts` becomes the `tap-policy` bin), as the
 * `*.mjs` / `*.cjs` scripts are.
 */
const WORKSPACE = resolve(__dirname, '..', '..', '..', '..');
const ROOTS = ['packages', 'apps', 'tools'];

/** The camelCase name for a kebab-case TypeScript file (`first-deploy.test.ts` → `firstDeploy.test.ts`), else undefined. */
function camelCaseRename(path: string): string | undefined {
  const segments = path.split('/');
  const base = segments[segments.length - 1];
  if (!base.includes('-') || base === 'jest.config.ts' || base === 'index.ts' || base.endsWith('.d.ts')) return undefined;
  if (segments.slice(0, -1).includes('bin')) return undefined;
  return base.replace(/-+([a-zA-Z0-9])/g, (_, next: string) => next.toUpperCase());
}

/** The TypeScript files git tracks under packages/, apps/ and tools/, relative to the workspace. */
function trackedTypeScriptFiles(): string[] {
  const listed = execFileSync('git', ['ls-files', '-z', '--', ...ROOTS.map((root) => `${root}/*.ts`)], { cwd: WORKSPACE, encoding: 'utf8' });
  return listed.split('\0').filter((path) => path !== '');
}

describe('camelCaseRename', () => {
  it.each([
    ['apps/tap-stack/tests/unit/first-deploy.test.ts', 'firstDeploy.test.ts'],
    ['apps/tap-stack/src/tap-stack.ts', 'tapStack.ts'],
    ['apps/payment-processor/src/migrations/0001-create-payments.ts', '0001CreatePayments.ts'],
  ])('reports %s as %s', (path, renamed) => {
    // Prepare: a kebab-case module or test name.
    // Act
    const result = camelCaseRename(path);

    // Assess
    expect(result).toBe(renamed);
  });

  it.each([
    'packages/database/src/databaseComponent.ts',
    'tools/nx-plugin/jest.config.ts',
    'packages/blocks/src/index.ts',
    'tools/embedded-pg/src/pg-ctl.d.ts',
    'packages/policy/src/bin/tap-policy.ts',
  ])('accepts %s', (path) => {
    // Prepare: a camelCase name, a tool's config name, a declaration file, an executable under bin/.
    // Act
    const result = camelCaseRename(path);

    // Assess
    expect(result).toBeUndefined();
  });
});

describe('TypeScript file names in the repository', () => {
  it('are camelCase: no tracked module or test under packages/, apps/ or tools/ is kebab-case', () => {
    // Prepare
    const files = trackedTypeScriptFiles();

    // Act
    const offenders = files.flatMap((path) => {
      const renamed = camelCaseRename(path);
      return renamed === undefined ? [] : [`${path} is kebab-case: git mv ${path} ${posix.join(posix.dirname(path), renamed)}`];
    });

    // Assess: the listing itself worked (a broken git call must not pass as "no offenders").
    expect(files).toContain('tools/nx-plugin/tests/unit/fileNames.test.ts');
    expect(offenders).toEqual([]);
  });
});
