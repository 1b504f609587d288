import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SETTING_PATHS, settingOf, type ConfigPath } from '../../src';

/*
 * The README's settings table is what users read to set a key; the SETTINGS rows are what the code reads. A row the
 * table lacks, or whether it is optional, its key, manifest path or policy stated otherwise, fails here with the line to
 * write.
 */
const README = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');

/** The table's lines by setting path: `| \`lambda.memoryMb\` | \`TapStack:lambdaMemoryMb\` | ... |`. */
function tableRows(markdown: string): Map<string, string[]> {
  const rows = new Map<string, string[]>();
  const section = markdown.slice(markdown.indexOf('| Setting | Config key | Manifest path | Policy |'));
  for (const line of section.split('\n').slice(2)) {
    if (!line.startsWith('|')) break;
    const cells = line.split(/(?<!\\)\|/).slice(1, -1).map((cell) => cell.trim());
    const path = /^`([^`]+)`/.exec(cells[0])?.[1];
    if (path) rows.set(path, cells);
  }
  return rows;
}

/** The cells a row's data decides, as the table writes them. */
function expectedCells(path: ConfigPath): { optional: boolean; key: string; manifest: string; policy: string } {
  const setting = settingOf(path);
  const key = setting.key ?? (path === 'environment' ? '— (the stack name)' : '—');
  return {
    optional: setting.optional,
    key: key.startsWith('—') ? key : `\`${key}\``,
    manifest: path === 'environment' ? 'top-level `environment`' : `\`${setting.manifest}\``,
    policy: setting.policy,
  };
}

describe('the README settings table', () => {
  it('has one line per SETTINGS row, saying whether it is optional, its config key, manifest path and policy', () => {
    // Prepare
    const rows = tableRows(README);

    // Act: every row, compared with what its data says (the rule and feeds columns are prose, read by people).
    const wrong = SETTING_PATHS.flatMap((path) => {
      const cells = rows.get(path);
      const expected = expectedCells(path);
      const { key, manifest, policy } = expected;
      if (!cells) return [`missing: | \`${path}\`${expected.optional ? ' (optional)' : ''} | ${key} | ${manifest} | ${policy} | <rule> | <what it feeds> |`];
      // "(optional" after the path marks a setting a config may leave out.
      const stated = { optional: /^`[^`]+` \(optional\b/.test(cells[0]), key: cells[1], manifest: cells[2], policy: cells[3] };
      return JSON.stringify(stated) === JSON.stringify(expected) ? [] : [`${path}: the table says ${JSON.stringify(stated)}, the row ${JSON.stringify(expected)}`];
    });

    // Assess
    expect(wrong).toEqual([]);
    expect([...rows.keys()].filter((path) => !(SETTING_PATHS as readonly string[]).includes(path))).toEqual([]);
  });

  it('reads a table as written: a line that states another policy is found', () => {
    // Prepare: the table with prod's memory rule turned into a parity setting.
    const edited = README.replace(/(\| `lambda\.memoryMb` \|[^|]*\|[^|]*\| )per-environment/, '$1parity');

    // Act
    const cells = tableRows(edited).get('lambda.memoryMb');

    // Assess
    expect(edited).not.toBe(README);
    expect(cells?.[3]).toBe('parity');
    expect(expectedCells('lambda.memoryMb').policy).toBe('per-environment');
  });
});
