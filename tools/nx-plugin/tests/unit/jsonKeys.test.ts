import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseJSON, traverseNodes } from 'jsonc-eslint-parser';
import { workspaceFiles } from '../../src/inputs/inputCoverage';

/**
 * No hand-written JSON file states a key twice. `JSON.parse` (npm, Nx, Node) keeps the last one without a word, so a
 * package.json with `"zod"` twice in its dependencies means whichever line comes last, and an edit to the first
 * silently does nothing. Hand-written: the workspace's and each project's own JSON (package.json, project.json,
 * tsconfig*.json, .eslintrc.json, approval-rules.json), all in nx-plugin:test's inputs; baselines and fixtures are
 * written by JSON.stringify, package-lock.json by npm.
 */
const WORKSPACE = resolve(__dirname, '..', '..', '..', '..');
/** The workspace's own JSON files and each project's (its top folder), as nx-plugin:test's inputs name them. */
const HAND_WRITTEN = /^(?:(?:apps|packages|tools)\/[^/]+\/)?[^/]+\.json$/;

/** Each key stated twice in one object of `text`, as `<path>: "<key>" (lines a and b)`. */
function duplicateKeys(text: string): string[] {
  const found: string[] = [];
  traverseNodes(parseJSON(text), {
    enterNode(node) {
      if (node.type !== 'JSONObjectExpression') return;
      const seen = new Map<string, number>();
      for (const property of node.properties) {
        const key = property.key.type === 'JSONLiteral' ? String(property.key.value) : property.key.name;
        const line = property.loc.start.line;
        const first = seen.get(key);
        if (first !== undefined) found.push(`"${key}" (lines ${first} and ${line})`);
        else seen.set(key, line);
      }
    },
    // Nothing to do on the way out; the visitor type asks for both.
    leaveNode: () => undefined,
  });
  return found;
}

describe('the JSON files of the workspace', () => {
  it('state each key once per object', () => {
    // Prepare
    const files = workspaceFiles(WORKSPACE).filter((file) => HAND_WRITTEN.test(file) && file !== 'package-lock.json');

    // Act
    const duplicates = files.flatMap((file) => duplicateKeys(readFileSync(resolve(WORKSPACE, file), 'utf8')).map((found) => `${file}: ${found}`));

    // Assess
    expect(files).toEqual(expect.arrayContaining(['nx.json', '.eslintrc.json', 'apps/tap-stack/package.json', 'apps/tap-stack/approval-rules.json']));
    expect(duplicates).toEqual([]);
  });

  it('finds a key stated twice, also in a nested object, and names its lines', () => {
    // Act
    const found = duplicateKeys('{\n  "dependencies": {\n    "zod": "^3",\n    "pg": "^8",\n    "zod": "^3"\n  },\n  "zod": 1\n}');

    // Assess
    expect(found).toEqual(['"zod" (lines 3 and 5)']);
  });
});
