// The tap-stack scripts are launchers: their logic is typed code in apps/tap-stack/src/gate, bundled by
// `nx run tap-stack:build` into dist/apps/tap-stack/<name>.js (the Nx targets that run them build it first).
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';

const root = resolve(dirname(new URL(import.meta.url).pathname), '..', '..', '..');

/** Runs the bundle `name` with this process's arguments; one line and exit 2 when it is not built. */
export function launch(name) {
  const bundle = join(root, 'dist', 'apps', 'tap-stack', `${name}.js`);
  if (!existsSync(bundle)) {
    process.stderr.write(`${name}: ${bundle} is missing; build it with "npx nx run tap-stack:build" (the nx targets do this first)\n`);
    process.exit(2);
  }
  createRequire(import.meta.url)(bundle);
}
