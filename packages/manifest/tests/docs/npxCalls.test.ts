import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/*
 * `npx tap-drift` asks the public registry for that name when the workspace's launcher is not linked (npm skips a bin
 * whose file is missing); `npx --no-install tap-drift` never does. The READMEs a user copies commands from show only that.
 */
const WORKSPACE = resolve(__dirname, '..', '..', '..', '..');

describe('the READMEs that show tap-drift commands', () => {
  it.each(['packages/manifest/README.md', 'apps/tap-stack/README.md'])('%s never shows an npx call that could fetch tap-drift from the registry', (file) => {
    // Act
    const calls = readFileSync(join(WORKSPACE, file), 'utf8').match(/npx(?: [-\w]+)* tap-drift/g) ?? [];
    // Assess
    expect(calls.filter((call) => !call.includes('--no-install'))).toEqual([]);
  });
});
