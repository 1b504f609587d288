import { createProjectGraphAsync, type ProjectGraph } from '@nx/devkit';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/** The part of ESLint's Node API used here (the workspace installs ESLint 8 without its type declarations). */
interface Linter {
  lintText(code: string, options: { filePath: string }): Promise<Array<{ messages: Array<{ ruleId: string | null }> }>>;
}
// eslint-disable-next-line @typescript-eslint/no-var-requires
const { ESLint } = require('eslint') as { ESLint: new (options: { cwd: string }) => Linter };

/**
 * The workspace's lint holds the architecture ("Who may import whom" in the root README's "Architecture" section):
 * each forbidden import below, written into a (virtual) file of the project that must not make it, is reported by the
 * rule named beside it, and the allowed import next to it is not. The files exist only in memory; their paths place
 * them in a project and say whether they are source or tests.
 */
const WORKSPACE = resolve(__dirname, '..', '..', '..', '..');
const BOUNDARY_RULES = new Set(['@nx/enforce-module-boundaries', 'no-restricted-imports', '@typescript-eslint/no-restricted-imports']);

let eslint: Linter;
let graph: ProjectGraph;

/** The boundary findings for `code` linted as if it were the file at `filePath` (relative to the workspace). */
async function boundaryFindings(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: resolve(WORKSPACE, filePath) });
  return result.messages.filter((m) => m.ruleId !== null && BOUNDARY_RULES.has(m.ruleId)).map((m) => m.ruleId as string);
}

/** The import path of a project, from the workspace's TypeScript path mapping. */
function importPathOf(root: string): string {
  const paths = JSON.parse(readFileSync(resolve(WORKSPACE, 'tsconfig.base.json'), 'utf8')).compilerOptions.paths as Record<string, string[]>;
  const found = Object.entries(paths).find(([, targets]) => targets.some((target) => target.startsWith(`${root}/`)));
  if (!found) throw new Error(`no path mapping for ${root}`);
  return found[0];
}

beforeAll(async () => {
  // The boundaries rule reads the cached project graph and silently skips itself when there is none (a fresh clone):
  // computing the graph here writes that cache, without a daemon.
  process.env.NX_DAEMON = 'false';
  graph = await createProjectGraphAsync({ exitOnError: false });
  eslint = new ESLint({ cwd: WORKSPACE });
}, 120_000);

describe('lint reports imports the architecture forbids', () => {
  it.each([
    // [case, file, forbidden import, the rule that reports it, an allowed import from the same file]
    ['networking-stack imports a component', 'apps/networking-stack/src/x.ts', '@tap/database', '@nx/enforce-module-boundaries', '@tap/validation'],
    ['networking-stack imports the umbrella', 'apps/networking-stack/src/x.ts', '@tap/components', '@nx/enforce-module-boundaries', '@pulumi/aws/ec2'],
    ['a component imports the root of @pulumi/aws', 'packages/database/src/x.ts', '@pulumi/aws', '@nx/enforce-module-boundaries', '@pulumi/aws/rds'],
    ['a test imports the root of @pulumi/aws', 'packages/policy/tests/unit/x.test.ts', '@pulumi/aws', '@nx/enforce-module-boundaries', '@pulumi/aws/kms'],
    ['tap-stack source imports the root of @pulumi/aws', 'apps/tap-stack/src/x.ts', '@pulumi/aws', '@nx/enforce-module-boundaries', '@pulumi/aws/getRegion'],
    ['payment-processor imports an infrastructure package', 'apps/payment-processor/src/x.ts', '@tap/lambda', '@nx/enforce-module-boundaries', 'pg'],
    ['a package imports an app', 'packages/lambda/src/x.ts', '@tap/payment-processor', '@nx/enforce-module-boundaries', '@tap/validation'],
    ['a component imports another component', 'packages/secrets/src/x.ts', '@tap/database', '@nx/enforce-module-boundaries', '@tap/validation'],
    ['validation imports the manifest', 'packages/validation/src/x.ts', '@tap/manifest', '@nx/enforce-module-boundaries', 'node:path'],
    ['tap-stack source bypasses the umbrella', 'apps/tap-stack/src/x.ts', '@tap/database', '@nx/enforce-module-boundaries', '@tap/components'],
    ['tap-stack source imports the policies', 'apps/tap-stack/src/x.ts', '@tap/policy', '@typescript-eslint/no-restricted-imports', '@tap/manifest'],
    ['tap-stack tests bypass the umbrella', 'apps/tap-stack/tests/unit/x.test.ts', '@tap/lambda', '@nx/enforce-module-boundaries', '@tap/policy'],
    ['production source imports a test utility', 'packages/database/src/x.ts', '@tap/pulumi-testing', 'no-restricted-imports', '@tap/validation'],
    ['production source imports the smoke events', 'apps/payment-processor/src/sub/x.ts', '../../../tap-stack/src/smoke/paymentEvents', 'no-restricted-imports', 'pg'],
    ['a tool imports an app', 'tools/nx-plugin/src/x.ts', '@tap/payment-processor', '@nx/enforce-module-boundaries', '@nx/devkit'],
    ['a library imports the synth engine', 'packages/manifest/src/x.ts', '@tap/synth', '@nx/enforce-module-boundaries', '@tap/validation'],
    ['tap-stack source imports a test utility, where the synth engine is allowed', 'apps/tap-stack/src/x.ts', '@tap/pulumi-testing', 'no-restricted-imports', '@tap/synth'],
  ])('%s: reported, while the allowed import is not', async (_case, file, forbidden, rule, allowed) => {
    // Prepare
    const importing = (specifier: string) => `import * as imported from '${specifier}';\nexport const used = imported;\n`;

    // Act
    const reported = await boundaryFindings(file, importing(forbidden));
    const allowedFindings = await boundaryFindings(file, importing(allowed));

    // Assess
    expect(reported).toEqual([rule]);
    expect(allowedFindings).toEqual([]);
  });

  it('reports every test utility imported from production source, and none from tests', async () => {
    // Prepare: every type:test-util project in the graph, so a new one missing from the lint's list fails here
    const testUtils = Object.values(graph.nodes).filter((node) => node.data.tags?.includes('type:test-util'));
    expect(testUtils.length).toBeGreaterThanOrEqual(3);

    for (const node of testUtils) {
      const code = `import * as imported from '${importPathOf(node.data.root)}';\nexport const used = imported;\n`;

      // Act
      const fromSource = await boundaryFindings('packages/components/src/x.ts', code);
      const fromTest = await boundaryFindings('packages/components/tests/unit/x.test.ts', code);
      const fromTestHelper = await boundaryFindings('packages/secrets/tests/helpers/x.ts', code);
      const fromJestConfig = await boundaryFindings('apps/payment-processor/jest.config.ts', code);

      // Assess
      expect({ project: node.name, fromSource }).toEqual({ project: node.name, fromSource: ['no-restricted-imports'] });
      expect({ project: node.name, fromTest, fromTestHelper, fromJestConfig }).toEqual({ project: node.name, fromTest: [], fromTestHelper: [], fromJestConfig: [] });
    }
  });

  it('keeps the written-down exception: the payment processor tests import the smoke events', async () => {
    // Act
    const findings = await boundaryFindings(
      'apps/payment-processor/tests/unit/x.test.ts',
      `import { paymentRequests } from '../../../tap-stack/src/smoke/paymentEvents';\nexport const used = paymentRequests;\n`,
    );

    // Assess
    expect(findings).toEqual([]);
  });
});
