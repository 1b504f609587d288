import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A folder the test files of this run share (what synthHelper.committedSynth makes once); globalTeardown removes it.
 * Its path reaches the test files through the environment, in this process and in any worker.
 */
export default function globalSetup(): void {
  process.env['TAP_STACK_TEST_RUN_DIR'] = mkdtempSync(join(tmpdir(), 'tap-stack-run-'));
}
