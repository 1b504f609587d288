import { rmSync } from 'node:fs';
import { SHARED_COPY_VARIABLE } from './globalSetup';

/** Removes this run's shared workspace copy (its worktrees live in the tests' own temp folders, removed by them). */
export default function globalTeardown(): void {
  const folder = process.env[SHARED_COPY_VARIABLE];
  if (folder) rmSync(folder, { recursive: true, force: true });
}
