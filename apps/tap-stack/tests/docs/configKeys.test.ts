import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { STACK_KEYS } from '../../src/constants';
import { APP } from '../synthHelper';

/*
 * The README's key table lists the program's own keys; the settings' keys are listed once, in @tap/validation's
 * README (its docs test holds that table to SETTINGS). A key the program reads but the table lacks, or one it lists
 * that the program does not read, fails here.
 */
describe("the README's table of the program's own config keys", () => {
  it('lists exactly STACK_KEYS, and sends every other key to the settings table', () => {
    // Prepare
    const readme = readFileSync(join(APP, 'README.md'), 'utf8');
    const table = readme.slice(readme.indexOf('| key | meaning | default |'));
    const lines = table.split('\n').slice(2);

    // Act
    const listed = lines.slice(0, lines.findIndex((line) => !line.startsWith('|'))).map((line) => /^\| `([^`]+)`/.exec(line)?.[1]);

    // Assess
    expect(listed).toEqual([...STACK_KEYS]);
    expect(readme.slice(0, readme.indexOf('| key | meaning | default |'))).toContain('the settings table of\n`packages/validation/README.md`');
  });
});
