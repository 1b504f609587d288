/** @jest-config-loader-options {"transpileOnly": true} */
export default {
  displayName: 'secrets-rotation-e2e',
  preset: '../../jest.preset.js',
  coverageDirectory: '../../coverage/apps/secrets-rotation-e2e',
  // One real PostgreSQL 15 for the run: the payment processor and the rotation function share it.
  globalSetup: '<rootDir>/../../tools/embedded-pg/src/global-setup.mjs',
  globalTeardown: '<rootDir>/../../tools/embedded-pg/src/global-teardown.mjs',
  testTimeout: 120_000,
};
