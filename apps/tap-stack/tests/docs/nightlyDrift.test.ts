import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { APP } from '../synthHelper';

/** The README's "Nightly run" section: from its heading to the next `## ` heading. */
function nightlySection(): string {
  const readme = readFileSync(join(APP, 'README.md'), 'utf8');
  const start = readme.indexOf('### Nightly run');
  if (start < 0) throw new Error('apps/tap-stack/README.md has no "### Nightly run" section');
  return readme.slice(start, readme.indexOf('\n## ', start));
}

describe('the README on the nightly drift run', () => {
  it("documents the read-only role's permissions beyond ReadOnlyAccess, the OIDC subject and the backend URL's region", () => {
    // Prepare
    const nightly = nightlySection();

    // Act
    const missing = ['secretsmanager:GetSecretValue', 'kms:Decrypt', 'environment:<env>', 's3://<bucket>?region=<bucket region>', '--exclude'].filter((needed) => !nightly.includes(needed));

    // Assess: .github/workflows/nightly-drift.yml assumes that role from the job's environment (tests/unit/workflows.test.ts).
    expect(missing).toEqual([]);
  });
});
