export default {
  displayName: 'tap-stack',
  preset: '../../jest.preset.js',
  coverageDirectory: '../../coverage/apps/tap-stack',
  // The worktrees of the tests that edit and build a copy of the workspace (tests/workspaceCopy.ts) are pruned at the end.
  globalTeardown: '<rootDir>/tests/globalTeardown.ts',
};
