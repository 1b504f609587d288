// Bundles the Lambda entry points with esbuild into a self-contained docker build context:
// dist/apps/payment-processor/{index.js,migrate.js,*.map,Dockerfile}. Deterministic: same sources,
// same bytes (no timestamps, relative source-map paths).
import { build } from 'esbuild';
import fs from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const workspaceRoot = path.resolve(projectRoot, '../..');
const outdir = path.join(workspaceRoot, 'dist/apps/payment-processor');

// pg's `./stream` is swapped for a Node-only module (why: scripts/pg-node-stream.cjs). Same exports,
// checked here so a pg upgrade that changes them fails the build instead of the Lambda.
const pgNodeStream = path.join(projectRoot, 'scripts/pg-node-stream.cjs');
const require = createRequire(import.meta.url);
const exportsOf = (file) => Object.keys(require(file)).sort().join(',');
if (exportsOf('pg/lib/stream.js') !== exportsOf(pgNodeStream)) {
  process.stderr.write(`build: pg/lib/stream.js exports ${exportsOf('pg/lib/stream.js')}; update ${path.relative(workspaceRoot, pgNodeStream)}\n`);
  process.exit(1);
}
const nodeOnlyPgStream = {
  name: 'node-only-pg-stream',
  setup(b) {
    b.onResolve({ filter: /^\.\/stream$/ }, (args) =>
      /[\\/]node_modules[\\/]pg[\\/]lib$/.test(args.resolveDir) ? { path: pgNodeStream } : undefined,
    );
  },
};

await fs.rm(outdir, { recursive: true, force: true });
const result = await build({
  absWorkingDir: workspaceRoot,
  entryPoints: {
    index: path.join(projectRoot, 'src/index.ts'),
    migrate: path.join(projectRoot, 'src/migrateMain.ts'),
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
  plugins: [nodeOnlyPgStream],
  logLevel: 'warning',
});
await fs.copyFile(path.join(projectRoot, 'Dockerfile'), path.join(outdir, 'Dockerfile'));

for (const [file, meta] of Object.entries(result.metafile.outputs)) {
  if (file.endsWith('.js')) console.log(`${path.relative(workspaceRoot, file)}  ${(meta.bytes / 1024).toFixed(1)} KiB`);
}
