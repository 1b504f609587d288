import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { resolve } from 'node:path';

/**
 * Removes the folder the run's test files shared (tests/globalSetup.ts) and forgets the worktrees this run's tests made
 * (tests/workspaceCopy.ts): their folders went with each test file's temp folders, so git only has to drop the records
 * it keeps of them. Other worktrees of the repository are left alone.
 */
export default function globalTeardown(): void {
  const shared = process.env['TAP_STACK_TEST_RUN_DIR'];
  if (shared) rmSync(shared, { recursive: true, force: true });
  spawnSync('git', ['worktree', 'prune'], { cwd: resolve(__dirname, '..', '..', '..'), stdio: 'ignore' });
}
