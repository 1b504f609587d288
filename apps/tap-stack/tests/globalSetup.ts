import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Names the folder of the run's shared workspace copy for the tests (tests/workspaceCopy.ts). */
export const SHARED_COPY_VARIABLE = 'TAP_STACK_SHARED_WORKSPACE';

/** The folder of this run's shared workspace copy (tests/workspaceCopy.ts); made lazily by the first test that needs it. */
export default function globalSetup(): void {
  // Workers are forked after globalSetup, so they inherit this.
  process.env[SHARED_COPY_VARIABLE] = mkdtempSync(join(tmpdir(), 'tap-stack-shared-'));
}
