import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

/**
 * Forgets the worktrees this run's tests made (tests/workspaceCopy.ts): their folders went with each test file's temp
 * folders, so git only has to drop the records it keeps of them. Other worktrees of the repository are left alone.
 */
export default function globalTeardown(): void {
  spawnSync('git', ['worktree', 'prune'], { cwd: resolve(__dirname, '..', '..', '..'), stdio: 'ignore' });
}
