import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const README = join(__dirname, '..', '..', 'README.md');
const EXAMPLE = join(__dirname, '..', 'unit', 'consumerExample.test.ts');

/** The first `ts` block after `heading` in the README. */
function exampleUnder(heading: string): string | undefined {
  const readme = readFileSync(README, 'utf8');
  const section = readme.slice(readme.indexOf(`\n${heading}\n`));
  return /\n```ts\n([\s\S]*?)```\n/.exec(section)?.[1];
}

describe('README', () => {
  it('shows, as the first test of a consumer, exactly the code tests/unit/consumerExample.test.ts runs', () => {
    // Prepare
    const example = readFileSync(EXAMPLE, 'utf8');

    // Act
    const shown = exampleUnder('## Testing a stack built from @tap/components');

    // Assess
    expect(shown).toBe(example);
  });
});
