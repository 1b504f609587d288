/** @jest-config-loader-options {"transpileOnly": true} */
export default {
  displayName: 'tap-stack',
  preset: '../../jest.preset.js',
  coverageDirectory: '../../coverage/apps/tap-stack',
  // A folder the run's test files share (the committed synth, made once), removed at the end with the worktrees of the
  // tests that edit and build a copy of the workspace (tests/workspaceCopy.ts).
  globalSetup: '<rootDir>/tests/globalSetup.ts',
  globalTeardown: '<rootDir>/tests/globalTeardown.ts',
};
