export default {
  displayName: 'tap-stack',
  preset: '../../jest.preset.js',
  coverageDirectory: '../../coverage/apps/tap-stack',
  // One copy of the workspace per run for the tests that edit and build one (tests/workspaceCopy.ts).
  globalSetup: '<rootDir>/tests/globalSetup.ts',
  globalTeardown: '<rootDir>/tests/globalTeardown.ts',
};
