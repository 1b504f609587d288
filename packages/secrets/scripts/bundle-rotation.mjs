// Bundles the rotation function into packages/secrets/dist/rotation-bundle/index.js: the code SecretsComponent deploys by
// default and the published tarball carries. pg is bundled (driver packaging broke AWS's Python templates);
// pg-native is optional in pg and must stay external. The AWS SDK is bundled too, so the function runs the version we
// tested rather than whatever the runtime ships.
import { build } from 'esbuild';
import { statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const projectRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
// Beside the compiled library, not in dist/rotation (the compiled @tap/secrets/rotation module).
const outfile = join(projectRoot, 'dist', 'rotation-bundle', 'index.js');

await build({
  entryPoints: [join(projectRoot, 'src', 'rotation', 'index.ts')],
  outfile,
  bundle: true,
  platform: 'node',
  target: 'node22',
  format: 'cjs',
  minify: true,
  // Error class names (RotationError, ResourceNotFoundException) must survive minification: the code checks them.
  keepNames: true,
  external: ['pg-native'],
  legalComments: 'linked',
  logLevel: 'warning',
});
console.log(`rotation bundle: ${outfile} (${Math.round(statSync(outfile).size / 1024)} KiB)`);
