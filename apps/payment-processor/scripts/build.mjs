// Bundles the Lambda entry points with esbuild into a self-contained docker build context:
// dist/apps/payment-processor/{index.js,migrate.js,*.map,Dockerfile}. Deterministic: same sources,
// same bytes (no timestamps, relative source-map paths).
import { build } from 'esbuild';
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const workspaceRoot = path.resolve(projectRoot, '../..');
const outdir = path.join(workspaceRoot, 'dist/apps/payment-processor');

await fs.rm(outdir, { recursive: true, force: true });
const result = await build({
  absWorkingDir: workspaceRoot,
  entryPoints: {
    index: path.join(projectRoot, 'src/index.ts'),
    migrate: path.join(projectRoot, 'src/migrate-main.ts'),
  },
  outdir,
  bundle: true,
  platform: 'node',
  target: 'node22',
  format: 'cjs',
  minify: true,
  sourcemap: true,
  // ESM builds of the AWS SDK tree-shake better than their CJS ones.
  mainFields: ['module', 'main'],
  // pg only loads pg-native when asked for (NODE_PG_FORCE_NATIVE); it is not installed.
  external: ['pg-native'],
  legalComments: 'none',
  tsconfig: path.join(projectRoot, 'tsconfig.lib.json'),
  metafile: true,
  logLevel: 'warning',
});
await fs.copyFile(path.join(projectRoot, 'Dockerfile'), path.join(outdir, 'Dockerfile'));

for (const [file, meta] of Object.entries(result.metafile.outputs)) {
  if (file.endsWith('.js')) console.log(`${path.relative(workspaceRoot, file)}  ${(meta.bytes / 1024).toFixed(1)} KiB`);
}
