#!/usr/bin/env node
'use strict';
// tap-drift, the CLI of @tap/manifest, wherever the package lives:
// - published (and in dist/packages/manifest after `nx build manifest`): runs the compiled CLI next to this file;
// - inside the workspace (npm links node_modules/.bin/tap-drift here, and there is nothing compiled in the source tree):
//   bundles the TypeScript source in memory with esbuild, as `nx run tap-stack:build` bundles the program, resolving
//   @tap/* through tsconfig.base.json. So `npx --no-install tap-drift` works right after `npm ci`, without a build, and
//   npx never has to fetch a package of that name from the registry.
const { existsSync } = require('node:fs');
const Module = require('node:module');
const { dirname, join, resolve } = require('node:path');

const compiled = join(__dirname, '..', 'src', 'cli', 'main.js');

function fromSource() {
  const source = join(__dirname, '..', 'src', 'cli', 'main.ts');
  const root = resolve(__dirname, '..', '..', '..');
  let esbuild;
  try {
    esbuild = require(require.resolve('esbuild', { paths: [root] }));
  } catch {
    process.stderr.write(`tap-drift: ${compiled} is not built and esbuild is not installed: run "npm ci" at the workspace root, or "npx nx build manifest"\n`);
    process.exit(2);
  }
  const { outputFiles } = esbuild.buildSync({
    entryPoints: [source],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    // Third-party packages load from node_modules; @tap/* are bundled from source through the tsconfig paths.
    packages: 'external',
    tsconfig: join(root, 'tsconfig.base.json'),
    sourcemap: 'inline',
    write: false,
    logLevel: 'error',
  });
  const cli = new Module(source, module);
  cli.filename = source;
  cli.paths = Module._nodeModulePaths(dirname(source));
  cli._compile(outputFiles[0].text, source);
  return cli.exports;
}

const { runCli } = existsSync(compiled) ? require(compiled) : fromSource();
process.exitCode = runCli(process.argv.slice(2));
