/** @jest-config-loader-options {"transpileOnly": true} */
export default {
  displayName: 'secrets',
  preset: '../../jest.preset.js',
  coverageDirectory: '../../coverage/packages/secrets',
  // One real PostgreSQL 15 per run for the rotation tests.
  globalSetup: '<rootDir>/../../tools/embedded-pg/src/global-setup.mjs',
  globalTeardown: '<rootDir>/../../tools/embedded-pg/src/global-teardown.mjs',
};
