import { copyFileSync, cpSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, tempDir } from './synthHelper';

/**
 * A workspace whose committed files the test may edit: the Pulumi projects of tap-stack and networking-stack (config,
 * approved baselines, approval rules) copied, the builds and node_modules linked. The gated deploy runner reads its
 * committed baselines and config from the workspace it runs in, so an edit here is a real unapproved change, and its
 * status files stay out of this checkout.
 */
export function editableWorkspace(): string {
  const dir = tempDir('runner-workspace');
  copyFileSync(join(ROOT, 'nx.json'), join(dir, 'nx.json'));
  for (const shared of ['node_modules', 'packages', 'tools']) symlinkSync(join(ROOT, shared), join(dir, shared), 'dir');
  for (const project of ['tap-stack', 'networking-stack']) {
    // The runner writes its synth and status under dist/apps/<project>: a real folder of linked builds.
    mkdirSync(join(dir, 'dist', 'apps', project), { recursive: true });
    for (const file of readdirSync(join(ROOT, 'dist', 'apps', project)).filter((f) => f.endsWith('.js') || f === 'package.json')) {
      symlinkSync(join(ROOT, 'dist', 'apps', project, file), join(dir, 'dist', 'apps', project, file));
    }
    const app = join(ROOT, 'apps', project);
    cpSync(app, join(dir, 'apps', project), { recursive: true, filter: (src) => !src.startsWith(join(app, 'tests')) && !src.startsWith(join(app, 'src')) });
  }
  return dir;
}

/** Replaces `from` with `to` in `file` (which must hold it). */
export function edit(file: string, from: string, to: string): void {
  const text = readFileSync(file, 'utf8');
  expect(text).toContain(from);
  writeFileSync(file, text.replace(from, to));
}
