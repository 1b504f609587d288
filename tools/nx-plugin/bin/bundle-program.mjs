#!/usr/bin/env node
// Bundles a Pulumi program (and optional side entries, e.g. an offline synth CLI) into plain CommonJS for the
// `main:` of its Pulumi.yaml. Workspace packages (`@tap/*`, mapped by tsconfig paths) are bundled in; everything from
// node_modules stays external so `@pulumi/*` is loaded once, from the workspace's node_modules, by program and SDK.
//
// usage: bundle-program.mjs --tsconfig <file> --outdir <dir> <entry.ts>... (the first entry becomes index.js; an
//        entry written name=path.ts becomes name.js, otherwise the file's base name is used)
import { build } from 'esbuild';
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parseArgs } from 'node:util';

const { values, positionals } = parseArgs({
  options: { tsconfig: { type: 'string' }, outdir: { type: 'string' } },
  allowPositionals: true,
});
if (!values.tsconfig || !values.outdir || positionals.length === 0) {
  process.stderr.write('usage: bundle-program.mjs --tsconfig <file> --outdir <dir> <entry.ts>...\n');
  process.exit(2);
}

const [main, ...others] = positionals;
const named = (entry) => {
  const [name, path] = entry.includes('=') ? entry.split('=') : [basename(entry, '.ts'), entry];
  return { in: path, out: name };
};
const entryPoints = [{ in: main, out: 'index' }, ...others.map(named)];
mkdirSync(values.outdir, { recursive: true });
try {
  await build({
    entryPoints,
    outdir: values.outdir,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    packages: 'external',
    tsconfig: values.tsconfig,
    sourcemap: true,
    logLevel: 'warning',
  });
} catch {
  // esbuild has already printed the errors with file and line.
  process.exit(1);
}
// Pulumi's Node.js host reads the program folder's package.json; dependencies resolve from the workspace above it.
writeFileSync(
  join(values.outdir, 'package.json'),
  `${JSON.stringify({ name: basename(values.outdir), private: true, main: 'index.js' }, null, 2)}\n`,
);
