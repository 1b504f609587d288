#!/usr/bin/env node
// Lays a built package out as an install would: for each `@tap/*` dependency of dist/<package>/package.json, a link
// dist/<package>/node_modules/@tap/<name> → that dependency's build in dist/packages. Inside the workspace
// node_modules/@tap/* link to TypeScript sources, which Node cannot load; with these links a built CLI or library
// (e.g. `node dist/packages/policy/src/bin/tap-policy.js`) runs in the workspace exactly as it would when installed.
// npm never packs node_modules, so the published tarball is unchanged.
//
// usage: link-built-packages.mjs <dist/packages/name>
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const [target] = process.argv.slice(2);
if (!target || !existsSync(join(target, 'package.json'))) {
  process.stderr.write(`usage: link-built-packages.mjs <dist/packages/name> (no package.json in ${target ?? '(none)'}: build it first)\n`);
  process.exit(2);
}
const distPackages = resolve(target, '..');
const builtByName = new Map(
  readdirSync(distPackages)
    .filter((dir) => existsSync(join(distPackages, dir, 'package.json')))
    .map((dir) => [JSON.parse(readFileSync(join(distPackages, dir, 'package.json'), 'utf8')).name, join(distPackages, dir)]),
);
const manifest = JSON.parse(readFileSync(join(target, 'package.json'), 'utf8'));
for (const name of Object.keys(manifest.dependencies ?? {}).filter((dep) => dep.startsWith('@tap/'))) {
  const built = builtByName.get(name);
  if (!built) {
    process.stderr.write(`link-built-packages: ${name} is not built in ${distPackages}; build it first (nx build depends on ^build)\n`);
    process.exit(1);
  }
  const link = join(target, 'node_modules', name);
  mkdirSync(dirname(link), { recursive: true });
  rmSync(link, { recursive: true, force: true });
  symlinkSync(relative(dirname(link), built), link, 'dir');
}
