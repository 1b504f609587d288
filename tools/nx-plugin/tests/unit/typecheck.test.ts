import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { typecheckTargets } from '../../src/typecheck';

let workspace: string;
beforeEach(() => {
  workspace = mkdtempSync(join(tmpdir(), 'typecheck-targets-'));
});
afterEach(() => rmSync(workspace, { recursive: true, force: true }));

/** A project at `root` with the given tsconfig files and project.json targets. */
function project(root: string, configs: string[], targets: Record<string, object>): void {
  mkdirSync(join(workspace, root), { recursive: true });
  for (const config of configs) writeFileSync(join(workspace, root, config), '{}\n');
  writeFileSync(join(workspace, root, 'project.json'), JSON.stringify({ name: root, targets }));
}

const commands = (root: string) => (typecheckTargets(root, workspace)['typecheck']?.options as { commands: string[] } | undefined)?.commands;

describe('typecheckTargets', () => {
  it('checks the tests only where build compiles the sources with tsc (they would be type-checked twice)', () => {
    // Prepare
    project('packages/lib', ['tsconfig.lib.json', 'tsconfig.spec.json'], { build: { executor: '@nx/js:tsc' } });

    // Act / Assess
    expect(commands('packages/lib')).toEqual(['tsc -p tsconfig.spec.json --noEmit']);
  });

  it.each([
    ['an esbuild bundle', { build: { executor: 'nx:run-commands', options: { command: 'esbuild src/index.ts' } } }],
    ['no build', {}],
    ['a tsc build of another config', { build: { executor: '@nx/js:tsc', options: { tsConfig: '{projectRoot}/tsconfig.app.json' } } }],
  ])('checks the sources on their own (without Jest types) and the tests for %s', (_what, targets) => {
    // Prepare
    project('apps/app', ['tsconfig.lib.json', 'tsconfig.spec.json'], targets);

    // Act / Assess
    expect(commands('apps/app')).toEqual(['tsc -p tsconfig.lib.json --noEmit', 'tsc -p tsconfig.spec.json --noEmit']);
  });

  it('checks the sources of a tsc-built project without tests, and infers nothing without a tsconfig', () => {
    // Prepare
    project('packages/bare', ['tsconfig.lib.json'], { build: { executor: '@nx/js:tsc' } });
    project('packages/none', [], {});

    // Act / Assess
    expect(commands('packages/bare')).toEqual(['tsc -p tsconfig.lib.json --noEmit']);
    expect(typecheckTargets('packages/none', workspace)).toEqual({});
  });
});
