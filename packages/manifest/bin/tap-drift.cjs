#!/usr/bin/env node
// The package's bin. It is committed (the CLI itself is compiled to dist/), so `npm ci` links
// node_modules/.bin/tap-drift inside the workspace before any build and `npx tap-drift` never looks the name up in a
// registry. Kept to a file check and a call: the CLI is typed source in src/cli/main.ts.
'use strict';
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const main = join(__dirname, '..', 'dist', 'cli', 'main.js');
if (!existsSync(main)) {
  process.stderr.write('tap-drift: not built yet: run `npx nx build manifest` first\n');
  process.exit(2);
}
process.exitCode = require(main).runCli(process.argv.slice(2));
