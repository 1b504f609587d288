import { renderSecurityDiffMarkdown, securityDiff, type Inventory } from '../../src/security';
import { CORPUS, type CorpusResource } from '../fixtures/security/corpus';

/** An inventory holding `resources` as they are (JSON-string policies stay strings: the diff must read both). */
function inventory(resources: CorpusResource[]): Inventory {
  return {
    inventoryVersion: 2,
    environment: 'dev',
    normalisation: { volatile: [], jsonStrings: [] },
    resources: Object.fromEntries(resources.map((r) => [`urn:pulumi:dev::TapStack::${r.type}::${r.name}`, { type: r.type, name: r.name, custom: true, inputs: r.inputs }])),
    inventoryHash: '',
  };
}

describe('security diff corpus: every grant change is classed broadening or narrowing', () => {
  it.each(CORPUS.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    // Arrange
    const before = inventory(c.before);
    const after = inventory(c.after);

    // Act
    const diff = securityDiff(before, after);

    // Assess
    expect(diff.rows.map((row) => `${row.change} ${row.classification} ${row.kind}`).sort()).toEqual([...c.rows].sort());
    expect(diff.broadening).toBe(c.rows.some((row) => row.includes('broadening')));
  });

  it('judges nothing changed when an inventory is compared with itself, whatever it grants', () => {
    // Arrange
    const all = inventory(CORPUS.flatMap((c, i) => c.after.map((r) => ({ ...r, name: `${r.name}-${i}` }))));

    // Act
    const diff = securityDiff(all, all);

    // Assess
    expect(diff).toEqual({ rows: [], broadening: false });
  });

  it('counts everything a new environment grants as added', () => {
    // Arrange
    const c = CORPUS.find((entry) => entry.name.startsWith('kms:Decrypt for a new principal')) as (typeof CORPUS)[number];

    // Act
    const diff = securityDiff(undefined, inventory(c.after));

    // Assess
    expect(diff.rows.length).toBeGreaterThan(0);
    expect(diff.rows.every((row) => row.change === '+' && row.classification === 'broadening')).toBe(true);
  });
});

describe('renderSecurityDiffMarkdown', () => {
  it('shows each changed grant with its sign, class, principal, action and condition, broadening first', () => {
    // Arrange
    const c = CORPUS.find((entry) => entry.name === 'a condition removed') as (typeof CORPUS)[number];

    // Act
    const markdown = renderSecurityDiffMarkdown(securityDiff(inventory(c.before), inventory(c.after)));

    // Assess
    const rows = markdown.split('\n').filter((line) => line.startsWith('| `'));
    expect(rows[0]).toMatch(/^\| `\+` \| \*\*broadening\*\* \| `app-policy \(RolePolicy\)` \| `role app-role` \| `Allow` \| .* \| `kms:decrypt` \| `\*` \| `-` \|/);
    expect(rows[1]).toMatch(/^\| `-` \| narrowing \| .*`StringEquals kms:viaservice=rds.us-east-2.amazonaws.com`/);
    expect(markdown).toMatch(/^\*\*broadening\*\*/);
  });

  it('keeps a table cell from breaking on a pipe in a value', () => {
    // Arrange
    const before = inventory([]);
    const after = inventory([{ type: 'aws:iam/rolePolicy:RolePolicy', name: 'p', inputs: { role: 'r', policy: { Statement: { Effect: 'Allow', Action: 's3:Get|Object', Resource: '*' } } } }]);

    // Act
    const markdown = renderSecurityDiffMarkdown(securityDiff(before, after));

    // Assess
    const row = markdown.split('\n').find((line) => line.startsWith('| `+`')) as string;
    expect(row.split(/(?<!\\)\|/).length - 2).toBe(10);
  });
});
